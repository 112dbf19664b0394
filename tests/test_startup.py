"""Start-up stays light: commands import heavy libraries only when they need them (the figures
are measured by benchmarks/startup.py, never timed here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pydantic", "ruamel", "jinja2", "openpyxl", "rich", "charset_normalizer")


def imported(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "dxassess", *args], capture_output=True, text=True)
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


def test_help_imports_nothing_heavy():
    assert not imported("--help") & set(HEAVY)


@pytest.mark.parametrize(
    "args,allowed",
    [
        (["validate", "questionnaires/quick-check.yaml"], {"pydantic", "ruamel"}),
        (["schema", "answers"], {"pydantic"}),
    ],
)
def test_commands_import_only_what_they_use(args, allowed):
    from .conftest import ROOT

    proc_args = [a if not a.startswith("questionnaires/") else str(ROOT / a) for a in args]
    heavy = imported(*proc_args) & set(HEAVY)
    assert heavy <= allowed, heavy - allowed


def test_the_rerun_path_builds_no_pydantic_model():
    """A batch re-run reads its cache, compares the summaries and writes peers.json in the main
    process: none of the modules it uses there may build the pydantic models (a tenth of a
    second) just to get at a band name or a spreadsheet rule."""
    code = (
        "import sys\n"
        "import dxassess.model.size, dxassess.sharing, dxassess.peersfile\n"
        "import dxassess.batch.outputs, dxassess.batch.xlsx, dxassess.batch.prefectures, dxassess.batch.cache\n"
        "from dxassess.sheets import safe_cell\n"
        "from dxassess.model import Band\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'dxassess.model.'))))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "['dxassess.model.size']"


def test_the_lazy_packages_still_give_every_name():
    import dxassess.model as model
    import dxassess.sheets as sheets

    assert set(model.__all__) == set(model._WHERE)  # the list of names and where each lives agree
    for package in (model, sheets):
        for name in package.__all__:
            assert getattr(package, name) is not None, name
        with pytest.raises(AttributeError):
            package.NoSuchName  # noqa: B018


def _cache_files(tmp: Path) -> list[Path]:
    return sorted(tmp.glob("_jinja2-cache-*/dxassess-*.cache"))


@pytest.mark.skipif(sys.platform == "win32", reason="the per-user folder is Unix's")
def test_compiled_templates_are_kept_and_a_damaged_or_unsafe_cache_is_not_trusted(tmp_path):
    """The shipped templates, once compiled, are kept in Jinja's per-user cache in the temporary
    folder; a damaged entry is compiled again, and a cache folder that is not a folder only the
    user may use is not used at all. The report is the same bytes every time."""
    from .conftest import VALID, run_cli

    answers = VALID / "flagship-answers.yaml"
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {"TMPDIR": str(tmp)}

    def report(name: str) -> bytes:
        out = tmp_path / name
        proc = run_cli("report", str(answers), "-o", str(out), env=env)
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        return out.read_bytes()

    first = report("1.html")
    kept = _cache_files(tmp)
    assert len(kept) >= 2  # the report and its sources section
    assert report("2.html") == first
    from jinja2.bccache import bc_magic

    for path in kept:  # damaged: garbage after the right header, and a cut file
        path.write_bytes(bc_magic + b"garbage" if path == kept[0] else b"j2")
    assert report("3.html") == first
    assert all(p.read_bytes().startswith(bc_magic) and len(p.read_bytes()) > 100 for p in kept)  # compiled anew
    # a file where the cache folder should be: no cache, the same report
    for path in kept:
        path.unlink()
    folder = kept[0].parent
    folder.rmdir()
    folder.write_text("not a folder")
    assert report("4.html") == first
    assert folder.read_text() == "not a folder"


def test_the_compiled_templates_kept_are_the_most_recently_used(tmp_path):
    """Compiled templates of earlier versions do not pile up in the temporary folder: writing one
    keeps the TEMPLATES_KEPT most recently used (loading one marks it used), the rest go; nothing
    else in the folder is touched."""
    import os

    from jinja2 import DictLoader, Environment

    from dxassess.render import templates

    folder = tmp_path / "kept"
    folder.mkdir(mode=0o700)
    other = folder / "dxassess-questionnaire-ab.json"
    other.write_text("{}")
    count = templates.TEMPLATES_KEPT + 6
    sources = {f"t{n:03d}.j2": f"template {n} {{{{ x }}}}" for n in range(count)}

    def environment() -> Environment:
        return Environment(loader=DictLoader(sources), bytecode_cache=templates._compiled_cache(str(folder)))

    def files() -> set[str]:
        return {p.name for p in folder.glob("dxassess-*.cache")}

    env, made = environment(), {}
    for n in range(count):  # each made a second after the one before
        before = files()
        assert env.get_template(f"t{n:03d}.j2").render(x=1) == f"template {n} 1"
        (made[n],) = files() - before
        os.utime(folder / made[n], ns=(n * 10**9, n * 10**9))
    assert files() == {made[n] for n in range(6, count)} and other.exists()
    # the oldest left, loaded by another process, is marked used: a new one then removes the next
    assert environment().get_template("t006.j2").render(x=2) == "template 6 2"
    assert files() == {made[n] for n in range(6, count)}  # loaded, not compiled again
    sources["new.j2"] = "new {{ x }}"
    assert environment().get_template("new.j2").render(x=3) == "new 3"
    left = files()
    assert len(left) == templates.TEMPLATES_KEPT and made[6] in left and made[7] not in left
    assert other.read_text() == "{}"
