"""Round two of outputs (issue 21): what `-o` may name (links, devices, FIFOs, sockets, folders),
files read without being named, files dxassess did not write, linked answer files, stale batch
reports, and standard output or the disk giving out."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.reliability import helpers as h
from tests.reliability.registry import Case, tally

WORK = Path(tempfile.mkdtemp(prefix="dx-reliability-targets-"))
SHEET = "code,name,prefecture,population,assessed,leadership.policy\n011002,札幌市,北海道,1973395,2026-11-27,はい\n"


def _kind(path: Path) -> str:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return "missing"
    for test, name in (
        (stat.S_ISLNK, "link"),
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "device"),
        (stat.S_ISDIR, "folder"),
    ):
        if test(mode):
            return name
    return "file"


def _make(path: Path, kind: str, folder: Path) -> Any:
    """Put a `kind` at `path`; returns what must be kept open (a socket)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "link":
        (folder / "target.out").write_text("old", encoding="utf-8")
        path.symlink_to(os.path.relpath(folder / "target.out", path.parent))
    elif kind == "dangling link":
        (folder / "new-target.out").unlink(missing_ok=True)
        path.symlink_to(os.path.relpath(folder / "new-target.out", path.parent))
    elif kind == "link to /dev/null":
        path.symlink_to("/dev/null")
    elif kind == "device":
        os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # the null device, but ours to lose
    elif kind == "FIFO":
        os.mkfifo(path)
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        return sock
    elif kind == "folder":
        path.mkdir()
    return None


def _kinds() -> list[str]:
    kinds = ["link", "dangling link", "link to /dev/null", "FIFO", "folder"]
    if hasattr(socket, "AF_UNIX"):
        kinds.append("socket")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        kinds.append("device")
    return kinds


# --- class 2: what -o may name -----------------------------------------------------------------

TARGETS = {
    # command → (argv with {out}, the path that is the special file, relative to the folder)
    "report": (["report", "mini-answers.yaml", "-q", "mini.yaml", "-o", "{out}"], "r.html"),
    "template": (["template", "-q", "mini.yaml", "-o", "{out}"], "t.csv"),
    "batch summary.csv": (["batch", "mini-answers.yaml", "-q", "mini.yaml", "-o", "b", "-j", "1"], "b/summary.csv"),
    "batch report": (["batch", "mini-answers.yaml", "-q", "mini.yaml", "-o", "b", "-j", "1"], "b/reports/011002.html"),
    "import": (["import", "sheet.csv", "-q", "mini.yaml", "-o", "i"], "i/011002.yaml"),
}


def test_outputs_that_are_not_regular_files() -> None:
    t = tally("output-special-files")
    folder = WORK / "special-out"
    h.copy_mini(folder)
    (folder / "sheet.csv").write_text(SHEET, encoding="utf-8")
    for command, (argv, where) in TARGETS.items():
        for kind in _kinds():
            if command == "import" and kind in ("link", "dangling link"):
                continue  # a link to a file import did not write is kept (overwrite-foreign-files)
            if command.startswith("batch") and kind in ("link", "dangling link") and "reports" in where:
                continue  # links in the reports folder that lead out of it are refused (output-names)
            with t.case(f"{command} -o a {kind}", limit=15) as c:
                for stale in ("b", "i"):
                    shutil.rmtree(folder / stale, ignore_errors=True)
                target = folder / where
                if target.is_symlink() or target.exists():
                    target.unlink() if not target.is_dir() or target.is_symlink() else shutil.rmtree(target)
                keep = _make(target, kind, folder)
                try:
                    args = [a.format(out=where) for a in argv]
                    written = kind in ("link", "dangling link")
                    result = h.cli_invoke(c, args, folder, (0,) if written else (1,))
                    after = _kind(target)
                    if written:
                        if after != "link":
                            c.lose(f"the link was replaced by a {after}")
                        elif not target.exists() or target.stat().st_size < 10:
                            c.lose("nothing was written through the link")
                        c.outcome = "written through the link"
                    else:
                        if after != ("link" if kind.startswith("link") else kind):
                            c.escape(f"the {kind} was replaced by a {after}")
                        if not os.path.exists("/dev/null") or not stat.S_ISCHR(os.stat("/dev/null").st_mode):
                            c.escape("/dev/null is no longer a device")
                        h.one_line_errors(c, result.stderr)
                        c.outcome = "refused, left as it was"
                finally:
                    if keep is not None:
                        keep.close()
    t.done()


# --- class 3: files read without being named ---------------------------------------------------


def _migrating_pair(folder: Path) -> None:
    """mini 1.0.0 as `old.yaml` and a 1.1.0 that migrates from it as `new.yaml`, with answers and
    the catalogue, in a folder of their own."""
    folder.mkdir()
    shutil.copyfile(h.MINI_CATALOGUE, folder / "mini-catalogue.yaml")
    data = h.plain_data(h.MINI)
    (folder / "old.yaml").write_bytes(h.dump_yaml(data))
    ids = [q["id"] for d in data["domains"] for q in d["questions"]]
    data["version"] = "1.1.0"
    data["migration"] = {"previous": "1.0.0", "questions": {qid: {"to": [qid]} for qid in ids}}
    (folder / "new.yaml").write_bytes(h.dump_yaml(data))
    answers = h.plain_data(h.MINI_ANSWERS)
    answers["questionnaire"]["version"] = "1.1.0"
    (folder / "new-answers.yaml").write_bytes(h.dump_yaml(answers))


def test_outputs_never_overwrite_files_read_without_being_named() -> None:
    from dxassess.inputs import load_questionnaire
    from dxassess.sample import generate

    t = tally("output-over-implicit-input")
    root = WORK / "implicit"
    base, sub, samples, migr = (root / name for name in ("base", "sub", "samples", "migr"))
    h.copy_mini(base)
    for folder in (sub, samples):
        folder.mkdir(parents=True)
        shutil.copyfile(h.MINI, folder / "mini.yaml")
    shutil.copyfile(h.MINI_CATALOGUE, sub / "011002.yaml")  # the catalogue, where import writes 011002.yaml
    (sub / "sheet.csv").write_text(SHEET, encoding="utf-8")
    questionnaire, _ = load_questionnaire(h.MINI)
    first_sample = next(iter(generate(questionnaire, 1, 1)))[0]
    shutil.copyfile(h.MINI_CATALOGUE, samples / first_sample)
    _migrating_pair(migr)
    shutil.copyfile(h.MINI_ANSWERS, sub / "mini-answers.yaml")
    cases = {
        "report -o the catalogue beside -q": (
            base,
            ["report", "mini-answers.yaml", "-q", "mini.yaml", "-o", "mini-catalogue.yaml"],
        ),
        "report -o the catalogue, no -q": (base, ["report", "mini-answers.yaml", "-o", "mini-catalogue.yaml"]),
        "report --previous, -o the catalogue": (
            base,
            ["report", "mini-answers.yaml", "--previous", "mini-answers.yaml", "-o", "mini-catalogue.yaml"],
        ),
        "template -o the catalogue": (base, ["template", "-q", "mini.yaml", "-f", "yaml", "-o", "mini-catalogue.yaml"]),
        "report -o the questionnaire found in -q FOLDER": (
            root,
            ["report", "sub/mini-answers.yaml", "-q", "sub", "-o", "sub/mini.yaml"],
        ),
        "import into the catalogue's name": (sub, ["import", "sheet.csv", "-q", "mini.yaml", "-o", ".", "--force"]),
        "sample into the catalogue's name": (samples, ["sample", "-n", "1", "-q", "mini.yaml", "-o", ".", "--force"]),
        "report -o the version migrated from": (
            migr,
            ["report", "new-answers.yaml", "-q", "new.yaml", "-o", "old.yaml"],
        ),
    }
    before = h.snapshot(root)
    for label, (cwd, argv) in cases.items():
        with t.case(label) as c:
            h.fresh_caches()
            h.cli_invoke(c, argv, cwd, (1,))
            after = h.snapshot(root)
            for name, raw in before.items():
                if after.get(name) != raw:
                    c.escape(f"{name}, read by the command, was overwritten")
                    (root / name).write_bytes(raw)
            h.fresh_caches()
            checked = ["base/mini.yaml", "sub/mini.yaml", "samples/mini.yaml", "migr/new.yaml"]
            h.cli_invoke(c, ["validate", *checked], root, (0,))
            c.outcome = "refused, every input intact"
    t.done()


# --- class 4: files dxassess did not write -----------------------------------------------------


def test_import_and_sample_keep_files_they_did_not_write() -> None:
    from dxassess.answerfile import AnswerFile
    from dxassess.inputs import load_questionnaire
    from dxassess.sample import generate

    t = tally("overwrite-foreign-files")
    folder = WORK / "foreign"
    h.copy_mini(folder)
    (folder / "sheet.csv").write_text(SHEET, encoding="utf-8")
    questionnaire, _ = load_questionnaire(h.MINI)
    sample_name = next(iter(generate(questionnaire, 1, 1)))[0]
    hand = "# 手書きのメモ: 来週の庁議で確認\n" + h.MINI_ANSWERS.read_text(encoding="utf-8")
    imp = ["import", "sheet.csv", "-q", "mini.yaml", "-o", "out"]
    smp = ["sample", "-n", "1", "-q", "mini.yaml", "-o", "out"]

    def by_import(path: Path) -> None:
        h.cli_invoke(Case(), imp, folder, (0,))

    def by_sample(path: Path) -> None:
        h.cli_invoke(Case(), smp, folder, (0,))

    def edited_by_run(path: Path) -> None:
        by_import(path)
        AnswerFile.load(path).set_note("leadership.policy", "担当課に確認済み")

    def appended(path: Path) -> None:
        by_import(path)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write("# 追記\n")

    def stamp_forged(path: Path) -> None:
        by_import(path)
        path.write_text(path.read_text(encoding="utf-8").replace("sha256:", "sha256:0", 1)[:-1], encoding="utf-8")

    cases: dict[str, tuple[list[str], str, Any, bool]] = {
        # label: (argv, target name, how the existing file came about, whether it may be replaced)
        "import over notes written by hand": (
            imp,
            "011002.yaml",
            lambda p: p.write_text(hand, encoding="utf-8"),
            False,
        ),
        "import over real answers": (imp, "011002.yaml", lambda p: shutil.copyfile(h.MINI_ANSWERS, p), False),
        "import over its own file, edited by run": (imp, "011002.yaml", edited_by_run, False),
        "import over its own file, appended to": (imp, "011002.yaml", appended, False),
        "import over its own file, stamp forged": (imp, "011002.yaml", stamp_forged, False),
        "import over its own file, unchanged": (imp, "011002.yaml", by_import, True),
        "import --force over notes": (
            [*imp, "--force"],
            "011002.yaml",
            lambda p: p.write_text(hand, encoding="utf-8"),
            True,
        ),
        "sample over real answers": (smp, sample_name, lambda p: shutil.copyfile(h.MINI_ANSWERS, p), False),
        "sample over notes written by hand": (smp, sample_name, lambda p: p.write_text(hand, encoding="utf-8"), False),
        "sample over its own file, unchanged": (smp, sample_name, by_sample, True),
        "sample over an imported file": (
            smp,
            sample_name,
            lambda p: (by_import(p), shutil.copyfile(folder / "out" / "011002.yaml", p)),
            True,
        ),
        "sample --force over real answers": (
            [*smp, "--force"],
            sample_name,
            lambda p: shutil.copyfile(h.MINI_ANSWERS, p),
            True,
        ),
    }
    for label, (argv, name, existing, replaceable) in cases.items():
        with t.case(label) as c:
            shutil.rmtree(folder / "out", ignore_errors=True)
            (folder / "out").mkdir()
            target = folder / "out" / name
            existing(target)
            before = target.read_bytes()
            result = h.cli_invoke(c, argv, folder, (0,) if replaceable else (1,))
            after = target.read_bytes()
            if replaceable:
                if not after.startswith(b"# dxassess-generated sha256:"):
                    c.crash("the new file carries no stamp")
                c.outcome = "replaced (dxassess's own, or --force)"
            else:
                if after != before:
                    c.lose(f"{name} was overwritten")
                if name not in result.stderr or "--force" not in result.stderr:
                    c.crash(f"the kept file is not named with the way out: {result.stderr!r}")
                c.outcome = "kept, named in an error"
    t.done()


# --- class 13: linked answer files -------------------------------------------------------------


def test_linked_answer_files_receive_the_answers() -> None:
    from dxassess.answerfile import AnswerFile
    from dxassess.lock import AnswerLock

    t = tally("linked-answer-files")
    folder = WORK / "linked"
    h.copy_mini(folder)
    shared = folder / "shared"
    shared.mkdir()
    edits = {
        "a value": lambda f: f.set_value("leadership.policy", True),
        "a note": lambda f: f.set_note("leadership.policy", "共有フォルダの原本に記録"),
        "the municipality": lambda f: f.set_municipality(population=1973400),
        "a cleared answer": lambda f: f.clear("infrastructure.wifi_secured"),
    }
    for link in ("symbolic link", "hard link", "symbolic link to a symbolic link"):
        for label, edit in edits.items():
            with t.case(f"{label} through a {link}") as c:
                original = shared / "dx-011002.yaml"
                shutil.copyfile(h.MINI_ANSWERS, original)
                name = folder / "mine.yaml"
                name.unlink(missing_ok=True)
                (folder / "hop.yaml").unlink(missing_ok=True)
                if link == "hard link":
                    os.link(original, name)
                elif link == "symbolic link":
                    name.symlink_to(original)
                else:
                    (folder / "hop.yaml").symlink_to(original)
                    name.symlink_to(folder / "hop.yaml")
                before = original.read_bytes()
                edit(AnswerFile.load(name))
                if link != "hard link" and not name.is_symlink():
                    c.lose("the link became a copy")
                if link == "hard link" and not os.path.samefile(name, original):
                    c.lose("the hard link was broken: the shared file never receives the answers")
                if original.read_bytes() == before:
                    c.lose("the shared file did not receive the edit")
                c.outcome = "every name sees the answers"
    with t.case("a run through a link while the file is in use") as c:
        shutil.copyfile(h.MINI_ANSWERS, shared / "dx-011002.yaml")
        (folder / "mine.yaml").unlink(missing_ok=True)
        (folder / "mine.yaml").symlink_to(shared / "dx-011002.yaml")
        lock = AnswerLock(shared / "dx-011002.yaml")
        lock.acquire()
        try:
            proc = h.python_cli("run", "-q", "mini.yaml", "-a", "mine.yaml", cwd=folder, timeout=60)
        finally:
            lock.release()
        h.check_cli(c, proc.returncode, proc.stdout, proc.stderr, (1,))
        if "DX902" not in proc.stderr:
            c.crash(f"a second session through a link was not refused: {proc.stderr!r}")
        c.outcome = "refused (one lock for every name)"
    t.done()


# --- class 12: stale batch reports -------------------------------------------------------------


def _municipality(folder: Path, name: str, code: str, town: str) -> None:
    data = h.plain_data(h.MINI_ANSWERS)
    data["municipality"] = {"code": code, "name": town, "prefecture": "北海道", "population": 251084}
    (folder / name).write_bytes(h.dump_yaml(data))


def test_batch_leaves_exactly_this_runs_outputs() -> None:
    t = tally("batch-stale-outputs")
    folder = WORK / "stale"
    h.copy_mini(folder)
    _municipality(folder, "a2.yaml", "012025", "函館市")
    _municipality(folder, "a3.yaml", "012033", "小樽市")
    q = ["-q", "mini.yaml", "-j", "1"]

    def run(c: Case, inputs: list[str], out: str = "out", allowed: tuple[int, ...] = (0, 1)) -> set[str]:
        h.cli_invoke(c, ["batch", *inputs, *q, "-o", out], folder, allowed)
        return {p.name for p in (folder / out / "reports").iterdir()}

    def clean(c: Case, inputs: list[str]) -> set[str]:
        shutil.rmtree(folder / "clean", ignore_errors=True)
        return run(c, inputs, "clean")

    def reset(c: Case, inputs: list[str]) -> None:
        shutil.rmtree(folder / "out", ignore_errors=True)
        run(c, inputs)

    everyone = ["mini-answers.yaml", "a2.yaml", "a3.yaml"]
    with t.case("fewer inputs") as c:
        reset(c, everyone)
        if run(c, ["mini-answers.yaml"]) != clean(c, ["mini-answers.yaml"]):
            c.lose("reports of inputs no longer given are left")
        c.outcome = "exactly this run's reports"
    with t.case("an input now rejected") as c:
        reset(c, everyone)
        (folder / "a2.yaml").write_text(
            (folder / "a2.yaml").read_text(encoding="utf-8").replace("value: 3", "value: 9"), encoding="utf-8"
        )
        if run(c, everyone, allowed=(1,)) != clean(c, everyone):
            c.lose("the report of a now-rejected input is left")
        _municipality(folder, "a2.yaml", "012025", "函館市")
        c.outcome = "exactly this run's reports"
    with t.case("a file batch did not write") as c:
        reset(c, everyone)
        (folder / "out" / "reports" / "メモ.html").write_text("<p>notes</p>", encoding="utf-8")
        got = run(c, ["mini-answers.yaml"])
        if "メモ.html" not in got:
            c.lose("a file batch did not write was removed")
        if got - {"メモ.html"} != clean(c, ["mini-answers.yaml"]):
            c.lose("reports of inputs no longer given are left")
        c.outcome = "exactly this run's reports, the user's file kept"
    with t.case("no inputs scored") as c:
        reset(c, everyone)
        (folder / "bad.yaml").write_text("questionnaire: {}\n", encoding="utf-8")
        if run(c, ["bad.yaml"], allowed=(1,)):
            c.lose("reports left although nothing was scored")
        c.outcome = "exactly this run's reports"
    with t.case("a damaged record") as c:
        reset(c, everyone)
        (folder / "out" / ".dxassess-batch.json").write_text("{not json", encoding="utf-8")
        got = run(c, ["mini-answers.yaml"])
        if got != {"011002.html", "012025.html", "012033.html"}:
            c.lose(f"reports removed without a record that batch wrote them: {sorted(got)}")
        c.outcome = "nothing removed without a record"
    with t.case("again, the same inputs") as c:
        reset(c, everyone)
        first = h.snapshot(folder / "out")
        run(c, everyone)
        if h.snapshot(folder / "out") != first:
            c.lose("a re-run with the same inputs changed the folder")
        c.outcome = "exactly this run's reports"
    t.done()


# --- class 9: standard output and the disk giving out ------------------------------------------

PRINTERS = {
    "report": ["report", "mini-answers.yaml", "-q", "mini.yaml"],
    "score": ["score", "mini-answers.yaml", "-q", "mini.yaml"],
    "score --json": ["score", "mini-answers.yaml", "-q", "mini.yaml", "--json"],
    "validate --format json": ["validate", "mini.yaml", "--format", "json"],
    "schema": ["schema", "answers"],
    "questionnaires --json": ["questionnaires", "--json"],
    "compare --json": ["compare", "mini-answers.yaml", "mini-answers.yaml", "-q", "mini.yaml", "--json"],
    "--help": ["--help"],
}
WRITERS = {
    "template": ["template", "-q", "mini.yaml", "-o", "t.xlsx"],
    "report -o": ["report", "mini-answers.yaml", "-q", "mini.yaml", "-o", "r.html"],
    "batch": ["batch", "mini-answers.yaml", "-q", "mini.yaml", "-o", "b", "-j", "1"],
}


def _closed_stdout() -> None:
    os.close(1)


def test_standard_output_and_disk_giving_out() -> None:
    t = tally("stdout-faults")
    folder = WORK / "stdout"
    h.copy_mini(folder)
    full = "/dev/full" if os.path.exists("/dev/full") else None
    for label, argv in PRINTERS.items():
        for fault in ("full", "closed"):
            closed = ("schema", "validate --format json", "compare --json")  # the same watch serves all
            if fault == "full" and full is None or fault == "closed" and label not in closed:
                continue
            with t.case(f"{label}, stdout {fault}", limit=None) as c:
                env = {**os.environ, "PYTHONIOENCODING": "utf-8", "LANG": "C.UTF-8", "NO_COLOR": "1"}
                with open(full or os.devnull, "w") as sink:
                    proc = subprocess.run(
                        [sys.executable, "-m", "dxassess", *argv],
                        cwd=folder,
                        stdout=sink,
                        stderr=subprocess.PIPE,
                        stdin=subprocess.DEVNULL,
                        text=True,
                        env=env,
                        timeout=60,
                        preexec_fn=_closed_stdout if fault == "closed" else None,
                    )
                h.check_cli(c, proc.returncode, "", proc.stderr, (1,))
                if len(proc.stderr.strip().splitlines()) != 1 or "DX901" not in proc.stderr:
                    c.crash(f"not one DX901 line: {proc.stderr[-400:]!r}")
                c.outcome = "exit 1, one line"
    if hasattr(os, "geteuid"):  # ulimit -f: a file-size limit, as `ulimit -f 4` sets
        import resource

        def small_files() -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

        for label, argv in WRITERS.items():
            with t.case(f"{label} under ulimit -f", limit=None) as c:
                private = folder / f"tmp-{label.split()[0]}"
                private.mkdir(exist_ok=True)
                proc = subprocess.run(
                    [sys.executable, "-m", "dxassess", *argv],
                    cwd=folder,
                    capture_output=True,
                    text=True,
                    env={**os.environ, "TMPDIR": str(private), "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"},
                    timeout=60,
                    preexec_fn=small_files,
                )
                h.check_cli(c, proc.returncode, proc.stdout, proc.stderr, (1,))
                if proc.returncode < 0:
                    c.crash(f"killed by signal {-proc.returncode}")
                # the compiled templates and checked questionnaires kept for the next run (README
                # "Files read and written") may hold whole entries; any other file in the temporary
                # folder, or a part-written entry, is left over
                kept = {p for p in private.glob("_jinja2-cache-*/dxassess-*.cache")}
                kept |= {p for p in private.glob("_jinja2-cache-*/dxassess-questionnaire-*.json")}
                leftovers = [p.name for p in folder.rglob("*.tmp")] + [
                    p.name for p in private.rglob("*") if not p.is_dir() and p not in kept
                ]
                if leftovers:
                    c.lose(f"temporary files left: {leftovers}")
                h.one_line_errors(c, proc.stderr)
                c.outcome = "exit 1, one line, nothing left behind"
    t.done()
