"""Outputs are safe: names cannot leave the output folder, inputs are never overwritten, an
unwritable output is one clean error with the old file intact, every write is atomic, HTML
escapes all input, no formula reaches a spreadsheet, user templates stay in their sandbox."""

from __future__ import annotations

import ast
import copy
import csv
import errno
import io
import os
import shutil
import tempfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import dxassess
from dxassess import files
from dxassess.cli import app
from dxassess.sheets.cells import FORMULA_START
from tests.reliability import helpers as h
from tests.reliability.registry import Case, tally

WORK = Path(tempfile.mkdtemp(prefix="dx-reliability-out-"))
runner = CliRunner()


def invoke(case: Case, argv: list[str], cwd: Path, allowed: tuple[int, ...] = (0, 1, 2)) -> Any:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(app, argv)
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        case.crash(f"{type(result.exception).__name__}: {result.exception}")
    h.check_cli(case, result.exit_code, result.stdout, result.stderr, allowed)
    return result


# --- names ------------------------------------------------------------------------------------


def test_names_built_from_input_stay_in_the_output_folder() -> None:
    t = tally("output-names")
    folder = WORK / "names"
    folder.mkdir()
    names = st.one_of(
        h.hostile_text(),
        st.sampled_from(
            ["..", ".", "../..", "．．／．．／etc", "..\\..\\x", "/etc/passwd", "C:\\x", "a/../../b", "~", "\x00"]
        ),
        st.lists(st.sampled_from(list("./\\:~$%\x00．／＼") + ["..", "あ"]), max_size=30).map("".join),
    )

    @h.fuzz(500)
    @given(names, st.sampled_from([".html", ".yaml", ""]))
    def case(stem: str, suffix: str) -> None:
        with t.case(repr(stem)[:80]) as c:
            name = files.safe_name(stem, suffix)
            target = files.inside(folder, name)
            if target.parent != folder.resolve():
                c.escape(f"{stem!r} → {target}")
            if any(sep in name for sep in ("/", "\\", "\x00", ":")) or name.strip(".") == "":
                c.escape(f"{stem!r} → unsafe name {name!r}")
            if len(name.encode("utf-8")) > 255:
                c.escape(f"{stem!r} → a name too long for a file system")
            c.outcome = "name inside the folder"

    case()
    t.done()


# --- outputs over inputs ----------------------------------------------------------------------


def test_an_output_never_overwrites_an_input() -> None:
    t = tally("output-over-input")
    folder = WORK / "over"
    answers = h.copy_mini(folder)
    (folder / "previous.yaml").write_bytes(answers.read_bytes())
    (folder / "t.j2").write_text("{{ municipality.name }}", encoding="utf-8")
    (folder / "sheet.csv").write_text(
        "code,name,prefecture,population,assessed,leadership.policy\n011002,札幌市,北海道,5,2026-11-27,yes\n",
        encoding="utf-8",
    )
    (folder / "sub").mkdir()
    (folder / "sub" / "011002.yaml").write_bytes(h.MINI.read_bytes())
    (folder / "link.yaml").symlink_to(answers.name)
    os.link(answers, folder / "hard.yaml")
    (folder / "batch").mkdir()
    (folder / "batch" / "summary.csv").write_bytes((folder / "sheet.csv").read_bytes())
    q = ["-q", "mini.yaml"]
    cases = {
        "report -o the answer file": ["report", "mini-answers.yaml", *q, "-o", "mini-answers.yaml"],
        "report -o the previous file": [
            "report",
            "mini-answers.yaml",
            "--previous",
            "previous.yaml",
            *q,
            "-o",
            "previous.yaml",
        ],
        "report -o the template": ["report", "mini-answers.yaml", "--template", "t.j2", *q, "-o", "t.j2"],
        "report -o the questionnaire": ["report", "mini-answers.yaml", *q, "-o", "mini.yaml"],
        "report -o a symlink to the answers": ["report", "mini-answers.yaml", *q, "-o", "link.yaml"],
        "report -o a hard link to the answers": ["report", "mini-answers.yaml", *q, "-o", "hard.yaml"],
        "template -o the questionnaire": ["template", "-q", "mini.yaml", "-o", "mini.yaml"],
        "import -o over its questionnaire": ["import", "sheet.csv", "-q", "sub/011002.yaml", "-o", "sub"],
        "batch -o over its input sheet": ["batch", "batch/summary.csv", "-q", "mini.yaml", "-o", "batch", "-j", "1"],
        "run's report over its answers": [],
    }
    before = h.snapshot(folder)
    for label, argv in cases.items():
        with t.case(label) as c:
            if not argv:  # the interview writes ANSWERS.md next to the answers: never the answers
                from dxassess.commands.interview import _End

                odd = folder / "odd.md"
                odd.write_bytes(answers.read_bytes())
                try:
                    _End(odd, folder / "mini.yaml", "en").write_report("md")
                except dxassess.errors.DxassessError as exc:
                    h.clean_error(c, exc)
                if odd.read_bytes() != answers.read_bytes():
                    c.escape("the interview's report replaced its answer file")
                odd.unlink()
                continue
            result = invoke(c, argv, folder, allowed=(1, 2))
            after = h.snapshot(folder)
            for name, raw in before.items():
                if after.get(name) != raw:
                    c.escape(f"{name} was overwritten")
                    (folder / name).write_bytes(raw)
            if "Traceback" in result.stderr:
                c.crash(result.stderr)
            c.outcome = "refused, input intact"
    t.done()


# --- unwritable outputs -----------------------------------------------------------------------


def _failing(monkeypatch: pytest.MonkeyPatch, step: str, code: int) -> None:
    """Make one step of every write fail with `code` (ENOSPC, EACCES, ...)."""

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise OSError(code, os.strerror(code))

    if step == "mkstemp":
        monkeypatch.setattr(files.tempfile, "mkstemp", boom)
    elif step == "write":
        real = os.fdopen

        class Full(io.RawIOBase):
            def __init__(self, fd: int) -> None:
                self.inner = real(fd, "wb")

            def write(self, data: Any) -> int:
                raise OSError(code, os.strerror(code))

            def fileno(self) -> int:
                return self.inner.fileno()

            def close(self) -> None:
                self.inner.close()
                super().close()

        monkeypatch.setattr(files.os, "fdopen", lambda fd, mode="r": Full(fd))
    elif step == "fsync":
        monkeypatch.setattr(files.os, "fsync", boom)
    elif step == "replace":
        monkeypatch.setattr(files.os, "replace", boom)
    elif step == "mkdir":
        monkeypatch.setattr(files.Path, "mkdir", boom)


def test_an_unwritable_output_is_one_clean_error_and_the_old_file_stays(monkeypatch: pytest.MonkeyPatch) -> None:
    t = tally("output-unwritable")
    base = WORK / "unwritable"
    h.copy_mini(base)
    (base / "sheet.csv").write_text(
        "code,name,prefecture,population,assessed,leadership.policy\n011002,札幌市,北海道,5,2026-11-27,yes\n",
        encoding="utf-8",
    )
    commands = {
        "report": (["report", "mini-answers.yaml", "-q", "mini.yaml", "-o", "out/r.html"], "out/r.html"),
        "template": (["template", "-q", "mini.yaml", "-o", "out/t.xlsx"], "out/t.xlsx"),
        "import": (["import", "sheet.csv", "-q", "mini.yaml", "-o", "out"], "out/011002.yaml"),
        "sample": (["sample", "--count", "2", "-q", "mini.yaml", "-o", "out"], None),
        "batch": (["batch", "mini-answers.yaml", "-q", "mini.yaml", "-o", "out", "-j", "1"], "out/summary.csv"),
    }
    errnos = [errno.ENOSPC, errno.EACCES, errno.EROFS, errno.EIO]
    steps = ["mkstemp", "write", "fsync", "replace", "mkdir"]
    for name, (argv, output) in commands.items():
        for step in steps:
            for code in errnos if name != "batch" else errnos[:2]:
                with t.case(f"{name} {step} {errno.errorcode[code]}") as c:
                    (base / "out").mkdir(exist_ok=True)
                    if step != "mkdir" or True:  # an earlier, complete run is in place
                        invoke(c, argv, base, allowed=(0,))
                    if name == "batch":  # a re-run writes only what changed: make the summary one
                        (base / "out" / "summary.csv").unlink()
                    before = h.snapshot(base)
                    with monkeypatch.context() as m:
                        _failing(m, step, code)
                        result = invoke(c, argv, base, allowed=(1,))
                    after = h.snapshot(base)
                    for rel, raw in before.items():
                        # batch's cache is no output: a run that rewrites reports drops it first
                        # (so it never describes reports that changed), and the next run rebuilds it
                        if after.get(rel) != raw and not rel.endswith(".dxassess-cache"):
                            c.lose(f"{rel} changed or vanished after a failed write")
                    leftovers = [p for p in after if p.endswith(".tmp")]
                    if leftovers:
                        c.lose(f"temporary files left: {leftovers}")
                    if name != "batch" and len(result.stderr.strip().splitlines()) != 1:
                        c.crash(f"not one line: {result.stderr!r}")
                    if output and step != "mkdir" and output.split("/")[-1] not in result.stderr and name != "batch":
                        c.crash(f"the error does not name the output: {result.stderr!r}")
                    c.outcome = "exit 1, old output intact"
    # The batch's scratch file for a waiting report (written directly, in the work folder).
    with t.case("batch work file ENOSPC") as c:

        def full(*args: Any) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        before = h.snapshot(base)
        with monkeypatch.context() as m:
            # the report's parts go out with one writev (one os.write each where there is none)
            m.setattr(os, "writev" if hasattr(os, "writev") else "write", full)
            result = invoke(c, [*commands["batch"][0], "--fresh"], base, allowed=(1,))  # score it again
        after = h.snapshot(base)
        # Only this input fails (the summary can still be written): it is rejected with DX901 and
        # the summary says so; the reports written before stay.
        for rel, raw in before.items():
            if rel.startswith("out/reports/") and after.get(rel) != raw:
                c.lose(f"{rel} changed after a failed batch")
        if "DX901" not in result.stderr or "DX901" not in (base / "out" / "summary.json").read_text(encoding="utf-8"):
            c.crash(f"the failed write is not reported: {result.stderr!r}")
        c.outcome = "exit 1, old output intact"
    if os.name == "posix" and os.geteuid() != 0:  # root writes through chmod; the monkeypatches cover it
        with t.case("read-only folder") as c:
            ro = base / "ro"
            ro.mkdir(exist_ok=True)
            ro.chmod(0o500)
            try:
                invoke(c, ["report", "mini-answers.yaml", "-q", "mini.yaml", "-o", "ro/r.html"], base, allowed=(1,))
            finally:
                ro.chmod(0o700)
    t.done()


# --- atomic writes ----------------------------------------------------------------------------

# Write sites allowed outside files.write_atomic, with the reason.
ALLOWED_WRITES = {
    "files.py": "the atomic helper itself",
    "lock.py": "the lock's sidecar file (its content is only the holder's pid)",
    "batch/work.py": "the scratch copy of a report in .dxassess-work, never an output (reports are written atomically)",
}


def _write_sites(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in (
            "write_text",
            "write_bytes",
            "copyfile",
            "copy",
            "copy2",
            "move",
            "rename",
            "symlink_to",
            "fdopen",
            "mkstemp",
        ):
            found.append((node.lineno, name))
        elif name == "open" and not (isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "os"):
            modes = [a for a in node.args[1:2]] + [k.value for k in node.keywords if k.arg == "mode"]
            for mode in modes:
                if isinstance(mode, ast.Constant) and any(ch in str(mode.value) for ch in "wax+"):
                    found.append((node.lineno, f"open({mode.value!r})"))
        elif name == "open":  # os.open: look for O_CREAT / O_WRONLY / O_RDWR
            text = ast.unparse(node)
            if any(flag in text for flag in ("O_CREAT", "O_WRONLY", "O_RDWR")):
                found.append((node.lineno, "os.open"))
        elif (
            name == "save"
            and node.args
            and not (isinstance(node.args[0], ast.Name) and node.args[0].id in ("buffer", "out", "saved"))
        ):
            found.append((node.lineno, "save"))
    return found


def test_every_write_goes_through_the_atomic_helper() -> None:
    t = tally("atomic-writes")
    package = Path(dxassess.__file__).parent
    for path in sorted(package.rglob("*.py")):
        rel = str(path.relative_to(package))
        for line, what in _write_sites(path):
            with t.case(f"{rel}:{line} {what}") as c:
                if rel not in ALLOWED_WRITES:
                    c.escape(f"{rel}:{line} writes with {what}, not files.write_atomic")
                c.outcome = "allowed: " + ("atomic helper" if rel == "files.py" else "not an output")
    with t.case("write_atomic replaces, never truncates") as c:
        target = WORK / "atomic.txt"
        files.write_atomic(target, "old")
        inode = target.stat().st_ino
        files.write_atomic(target, "new")
        if target.read_text() != "new" or target.stat().st_ino == inode:
            c.lose("write_atomic rewrote the file in place")
        c.outcome = "replaced"
    t.done()


# --- HTML escaping ----------------------------------------------------------------------------

PAYLOADS = [
    "<x-pwn>",
    '"><x-pwn a="',
    "'><x-pwn a='",
    '" onpwn="1',
    "' onpwn='1",
    "</title><x-pwn>",
    "</script><x-pwn>",
    "<!--<x-pwn>-->",
    "<svg><x-pwn/></svg>",
    "]]><x-pwn>",
]


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag.startswith("x-pwn"):
            self.bad.append(tag)
        for name, value in attrs:
            if name.startswith("onpwn") or name == "a" and value == "":
                self.bad.append(f"{tag} {name}")
            if name in ("href", "src") and value and value.strip().lower().startswith(("javascript:", "data:")):
                self.bad.append(f"{tag} {name}={value}")


def _salt(data: Any, draw: Any, payload: str) -> Any:
    """Put the payload into strings of the data (every one, or a drawn share)."""
    if isinstance(data, dict):
        return {
            k: _salt(v, draw, payload)
            if k
            not in (
                "id",
                "type",
                "scale",
                "catalogue",
                "manual",
                "when",
                "key",
                "code",
                "version",
                "languages",
                "value",
                "direction",
                "prefecture",
                "owner",
                "support",
                "actions",
                "national",
                "after",
            )
            else v
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [_salt(v, draw, payload) for v in data]
    if isinstance(data, str) and draw(st.booleans()):
        return data + payload if not data.startswith("https://") else data + "/" + payload
    return data


def test_html_escapes_every_input_text() -> None:
    t = tally("html-escaping")
    folder = WORK / "html"
    h.copy_mini(folder)
    originals = {p.name: h.plain_data(p) for p in (h.MINI, h.MINI_CATALOGUE, h.MINI_ANSWERS)}
    # Consent to be named, a contact and public notes (issue 22), so that what one municipality
    # shares with another goes through the same payloads: a second municipality of the same
    # band that reached the target where the first has a gap is named in the first's report.
    first = originals[h.MINI_ANSWERS.name]
    first["municipality"] = {"code": "479004", "name": first["municipality"]["name"], "population": 120_000}
    first["synthetic"] = True  # codes of no municipality (the register refuses them otherwise)
    first["sharing"] = {"named": True, "contact": "情報政策課"}
    first["answers"] = {k: dict(v, public_note="取組") for k, v in first["answers"].items()}
    first["answers"]["leadership.mayor_commitment"]["value"] = 1

    @h.fuzz(40)
    @given(st.sampled_from(PAYLOADS), st.data())
    def case(payload: str, data: st.DataObject) -> None:
        for name, original in originals.items():
            salted = _salt(original, data.draw, payload)
            (folder / name).write_bytes(h.dump_yaml(salted))
            if name == h.MINI_ANSWERS.name:
                other = copy.deepcopy(salted)
                other["municipality"] = dict(other["municipality"], code="479012", population=130_000)
                other["answers"]["leadership.mayor_commitment"]["value"] = 5
                (folder / "peer").mkdir(exist_ok=True)
                (folder / "peer" / "other-answers.yaml").write_bytes(h.dump_yaml(other))
        h.fresh_caches()
        with t.case(payload) as c:
            outputs = []
            codes = []
            for lang in ("ja", "en"):
                result = invoke(
                    c,
                    ["report", "mini-answers.yaml", "-q", "mini.yaml", "--lang", lang, "-o", "r.html"],
                    folder,
                    allowed=(0, 1),
                )
                codes.append(result.exit_code)
                if result.exit_code == 0:
                    outputs.append((folder / "r.html").read_text(encoding="utf-8"))
            shutil.rmtree(folder / "b", ignore_errors=True)
            result = invoke(
                c,
                ["batch", "mini-answers.yaml", "peer", "-q", "mini.yaml", "-o", "b", "-j", "1"],
                folder,
                allowed=(0, 1),
            )
            codes.append(result.exit_code)
            for p in [folder / "b" / "index.html", *(folder / "b" / "reports").glob("*.html")]:
                if p.exists():
                    outputs.append(p.read_text(encoding="utf-8"))
            if (folder / "b" / "peers.json").exists():  # the single report with the batch's peers
                for fmt in ("html", "md"):
                    result = invoke(
                        c,
                        ["report", "mini-answers.yaml", "-q", "mini.yaml", "--peers", "b/peers.json", "-f", fmt],
                        folder,
                        allowed=(0, 1),
                    )
                    if fmt == "html" and result.exit_code == 0:
                        outputs.append(result.stdout)
            for html in outputs:
                parser = Tags()
                parser.feed(html)
                if parser.bad:
                    c.escape(f"markup from input reached the HTML: {parser.bad[:3]}")
            c.outcome = (
                "escaped in the reports (ja, en) and the batch's report and index"
                if codes == [0, 0, 0]
                else "input refused by validation; the batch index escaped"
            )

    case()
    t.done()


# --- spreadsheet formulas ---------------------------------------------------------------------


def _xlsx_formulas(raw: bytes) -> list[str]:
    found = []
    with zipfile.ZipFile(io.BytesIO(raw)) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = book.read(name).decode("utf-8")
                if "<f>" in xml or "<f " in xml:
                    found.append(name)
    return found


def _csv_formulas(raw: bytes) -> list[str]:
    text = raw.decode("utf-8-sig")
    bad = []
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if cell.startswith(FORMULA_START):
                try:
                    float(cell)
                except ValueError:
                    bad.append(cell)
    return bad


FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "=cmd|'/C calc'!A0"]


def test_no_input_text_starts_a_spreadsheet_formula() -> None:
    t = tally("spreadsheet-formulas")
    folder = WORK / "formulas"
    h.copy_mini(folder)
    answers = h.plain_data(h.MINI_ANSWERS)
    questionnaire = h.plain_data(h.MINI)

    @h.fuzz(25)
    @given(st.sampled_from(FORMULAS), st.data())
    def case(formula: str, data: st.DataObject) -> None:
        salted = dict(answers, municipality=dict(answers["municipality"], name=formula + "市"))
        salted["answers"] = {k: dict(v, note=formula, public_note=formula) for k, v in answers["answers"].items()}
        salted["sharing"] = {"named": True, "contact": formula}  # never in a summary, checked all the same
        (folder / "mini-answers.yaml").write_bytes(h.dump_yaml(salted))
        q = _salt_formula(questionnaire, data.draw, formula)
        (folder / "mini.yaml").write_bytes(h.dump_yaml(q))
        h.fresh_caches()
        with t.case(repr(formula)) as c:
            invoke(c, ["batch", "mini-answers.yaml", "-q", "mini.yaml", "-o", "b", "-j", "1"], folder, allowed=(0, 1))
            for name in ("summary.csv", "summary.xlsx"):
                p = folder / "b" / name
                if not p.exists():
                    c.crash(f"batch wrote no {name}")
                    continue
                bad = _csv_formulas(p.read_bytes()) if name.endswith(".csv") else _xlsx_formulas(p.read_bytes())
                if bad:
                    c.escape(f"{name}: formula cells {bad[:3]}")
            for fmt in ("csv", "xlsx"):
                result = invoke(c, ["template", "-q", "mini.yaml", "-o", f"t.{fmt}"], folder, allowed=(0, 1))
                if result.exit_code == 0:
                    raw = (folder / f"t.{fmt}").read_bytes()
                    bad = _csv_formulas(raw) if fmt == "csv" else _xlsx_formulas(raw)
                    if bad:
                        c.escape(f"template.{fmt}: formula cells {bad[:3]}")
            c.outcome = "no formula cell"

    case()
    t.done()


def _salt_formula(data: Any, draw: Any, formula: str) -> Any:
    if isinstance(data, dict):
        return {
            k: _salt_formula(v, draw, formula)
            if k
            in (
                "title",
                "text",
                "help",
                "label",
                "unit",
                "ja",
                "en",
                "levels",
                "options",
                "domains",
                "questions",
                "scales",
                "maturity",
                "description",
            )
            or isinstance(k, int)
            else v
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [_salt_formula(v, draw, formula) for v in data]
    if isinstance(data, str) and draw(st.booleans()):
        return formula + data
    return data


# --- user templates ---------------------------------------------------------------------------

SENTINEL = WORK / "TEMPLATE-PWNED"
TEMPLATES = {
    "mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "globals": "{{ cycler.__init__.__globals__.os.popen('touch " + str(SENTINEL) + "').read() }}",
    "joiner": "{{ joiner.__init__.__globals__ }}",
    "namespace": "{{ namespace.__init__.__globals__ }}",
    "format": "{{ '{0.__class__.__init__.__globals__}'.format(municipality) }}",
    "format_map": "{{ '{x.__class__}'.format_map({'x': 1}) }}",
    "attr_filter": "{{ municipality|attr('__class__') }}",
    "request": "{{ request.application.__globals__ }}",
    "config": "{{ config.items() }}",
    "self": "{{ self.__init__.__globals__ }}",
    "include": "{% include '/etc/passwd' %}",
    "import": "{% from '/etc/passwd' import x %}",
    "extends": "{% extends 'report.html.j2' %}",
    "mutate": "{% set x = gaps.append(1) %}{{ gaps|length }}",
    "dict_update": "{{ municipality.update({'name': 'x'}) }}",
    "power": "{{ 10 ** 10 ** 10 }}",
    "repeat": "{{ 'x' * 1000 * 1000 * 1000 }}",
    "range": "{{ range(10**10)|list|length }}",
    "nested_loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "loop_over_data": "{% for a in range(99999) %}{% for b in gaps %}{% for c in gaps %}{{ '' }}{% endfor %}{% endfor %}{% endfor %}",
    "recursion": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "doubling": "{% set ns = namespace(s='a' * 1000000) %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "center": "{{ 'a'|center(10**10) }}",
    "format_width": "{{ '%99999999999s'|format('a') }}",
    "wordwrap": "{{ ('a ' * 500000)|wordwrap(1) }}",
    "syntax": "{% if %}",
    "undefined": "{{ nothing.here }}",
    "zero": "{{ 1 / 0 }}",
}


# Run in real processes, each capped at 1 GB and 60 s: a hang or a memory blow-up is a crash.
RESOURCE_BOMBS = {
    "power",
    "repeat",
    "range",
    "nested_loops",
    "loop_over_data",
    "recursion",
    "doubling",
    "center",
    "format_width",
    "wordwrap",
}


def test_user_templates_stay_in_the_sandbox() -> None:
    """Hostile templates in typer's runner; resource bombs in real, limited processes."""
    t = tally("template-sandbox")
    folder = WORK / "templates"
    h.copy_mini(folder)
    for name, source in TEMPLATES.items():
        (folder / f"{name}.j2").write_text(source, encoding="utf-8")
        argv = ["report", "mini-answers.yaml", "-q", "mini.yaml", "--template", f"{name}.j2"]
        with t.case(name, limit=None) as c:
            if name in RESOURCE_BOMBS:
                proc: Any = h.python_cli(*argv, cwd=folder, timeout=60)
            else:
                proc = invoke(c, argv, folder, allowed=(0, 1))
                proc.returncode = proc.exit_code
            h.check_cli(c, proc.returncode, proc.stdout, proc.stderr, allowed=(0, 1))
            if SENTINEL.exists():
                c.escape("a template ran a shell command")
            if proc.returncode == 0 and any(
                w in proc.stdout for w in ("<class", "__globals__", "root:", "os.popen", "札幌市x")
            ):
                c.escape(f"the template reached Python internals or files: {proc.stdout[:200]!r}")
            if proc.returncode == 0 and len(proc.stdout) > 50_000_000:
                c.crash("a template wrote more than 50 MB")
            if proc.returncode == 1 and (len(proc.stderr.strip().splitlines()) != 1 or "DX40" not in proc.stderr):
                c.crash(f"not one DX40x line: {proc.stderr[-300:]!r}")
            c.outcome = "refused (DX40x)" if proc.returncode == 1 else "rendered harmlessly"
    t.done()
