"""Round two of hostile inputs (issue 21): aliases in answer files, special files as input, mixed
encodings, spreadsheet bombs, digits `int()` refuses, extreme but accepted numbers, and the
smaller checks (dates, `when`, odd paths)."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import math
import os
import re
import shutil
import socket
import stat
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.reliability import helpers as h
from tests.reliability.registry import assert_passed, tally

WORK = Path(tempfile.mkdtemp(prefix="dx-reliability-hostile-"))
HEAD = (
    'questionnaire: {id: mini, version: "1.0.0"}\n'
    'municipality: {code: "011002", name: 札幌市, prefecture: 北海道, population: 1973395}\n'
    "assessed: 2026-11-27\n"
    "answers:\n"
)


def _data(path: Path) -> Any:
    from dxassess.load import parse_bytes

    return parse_bytes(str(path), path.read_bytes()).data


# --- class 1: aliases in answer files ----------------------------------------------------------

ALIASED = {
    "yes/no answer shared": (
        "  leadership.policy: &x {value: true}\n"
        "  infrastructure.wifi: {value: meeting_rooms}\n"
        "  infrastructure.wifi_secured: *x\n",
        "infrastructure.wifi_secured",
    ),
    "skipped answer shared": (
        "  leadership.mayor_commitment: &s {skipped: true}\n  infrastructure.pc_age: *s\n",
        "infrastructure.pc_age",
    ),
    "block mapping shared, with a note": (
        "  leadership.policy: &x\n    value: true\n    note: 方針を公表済み\n"
        "  infrastructure.wifi: {value: everywhere}\n"
        "  infrastructure.wifi_secured: *x  # the same answer\n",
        "infrastructure.wifi_secured",
    ),
    "one answer shared by three": (
        "  leadership.mayor_commitment: &s {skipped: true}\n  infrastructure.pc_age: *s\n  infrastructure.wifi: *s\n",
        "infrastructure.pc_age",
    ),
    "shared note text": (
        "  leadership.mayor_commitment: {value: 3, note: &n 庁議で報告}\n  leadership.policy: {value: false, note: *n}\n",
        "leadership.policy",
    ),
}


def _edits(qid: str) -> dict[str, tuple[Any, Any]]:
    """edit → (apply it to an AnswerFile, whether the answer after it is as asked)."""
    value = {"infrastructure.pc_age": 5, "infrastructure.wifi_secured": False, "leadership.policy": True}[qid]
    return {
        "value": (lambda f: f.set_value(qid, value), lambda a: a is not None and a.get("value") == value),
        "skip": (lambda f: f.set_skipped(qid), lambda a: a is not None and a.get("skipped") is True),
        "note": (lambda f: f.set_note(qid, "新しいメモ"), lambda a: a is not None and a.get("note") == "新しいメモ"),
        "review": (lambda f: f.set_review(qid, True), lambda a: a is not None and a.get("review") is True),
        "clear": (lambda f: f.clear(qid), lambda a: a is None),
    }


def test_an_edit_changes_only_the_answer_given() -> None:
    from dxassess.answerfile import AnswerFile
    from dxassess.inputs import check_file

    t = tally("answer-aliases")
    folder = WORK / "aliases"
    h.copy_mini(folder)
    for label, (answers, qid) in ALIASED.items():
        for edit, (apply, done) in _edits(qid).items():
            with t.case(f"{label}: {edit} {qid}") as c:
                path = folder / "aliased.yaml"
                path.write_text(HEAD + answers, encoding="utf-8")
                before = _data(path)["answers"]
                apply(AnswerFile.load(path))
                after = _data(path)["answers"]
                for other, answer in before.items():
                    if other != qid and after.get(other) != answer:
                        c.lose(f"{other} changed with {qid}: {answer!r} → {after.get(other)!r}")
                if not done(after.get(qid)):
                    c.lose(f"the edit of {qid} was not made: {after.get(qid)!r}")
                errors = [p for p in check_file(path, folder / "mini.yaml") if p.severity == "error"]
                if errors:
                    c.crash(f"the edited file no longer validates: {errors[0].format_text()}")
                c.outcome = "only the answer given changed"
    t.done()


# --- class 7: special files as input -----------------------------------------------------------


def _special_files(folder: Path) -> tuple[dict[str, dict[str, str]], socket.socket | None]:
    """kind → {slot → path}: a FIFO, a socket, a folder and oversized files (sparse)."""
    os.mkfifo(folder / "fifo.yaml")
    sock = None
    if hasattr(socket, "AF_UNIX"):
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(folder / "socket.yaml"))
    (folder / "folder.yaml").mkdir()
    for name, size in (("big.yaml", 11_000_000), ("big.csv", 25_000_000), ("big.j2", 2_000_000)):
        with open(folder / name, "wb") as fh:
            fh.truncate(size)
    kinds = {
        "FIFO": dict.fromkeys(("yaml", "sheet", "template"), "fifo.yaml"),
        "folder": dict.fromkeys(("yaml", "sheet", "template"), "folder.yaml"),
        "oversized": {"yaml": "big.yaml", "sheet": "big.csv", "template": "big.j2"},
    }
    if sock is not None:
        kinds["socket"] = dict.fromkeys(("yaml", "sheet", "template"), "socket.yaml")
    return kinds, sock


INPUT_COMMANDS = {
    "validate": (["validate", "{yaml}"], (1,)),
    "score": (["score", "{yaml}", "-q", "mini.yaml"], (1,)),
    "report": (["report", "{yaml}", "-q", "mini.yaml"], (1,)),
    "report --template": (["report", "mini-answers.yaml", "-q", "mini.yaml", "--template", "{template}"], (1,)),
    "report --previous": (["report", "mini-answers.yaml", "-q", "mini.yaml", "--previous", "{yaml}"], (1,)),
    "report -q": (["report", "mini-answers.yaml", "-q", "{yaml}"], (1, 2)),
    "compare": (["compare", "{yaml}", "mini-answers.yaml", "-q", "mini.yaml"], (1,)),
    "batch": (["batch", "{yaml}", "-q", "mini.yaml", "-o", "out", "-j", "1"], (1,)),
    "import": (["import", "{sheet}", "-q", "mini.yaml", "-o", "out"], (1,)),
    "run -a": (["run", "-q", "mini.yaml", "-a", "{yaml}"], (1,)),
    "merge": (["merge", "{yaml}", "mini-answers.yaml", "-q", "mini.yaml", "-o", "out/merged.yaml"], (1,)),
    "merge, a sheet": (["merge", "{sheet}", "-q", "mini.yaml", "-o", "out/merged.yaml"], (1,)),
    "score --progress": (["score", "--progress", "{yaml}", "-q", "mini.yaml"], (1,)),
    "migrate": (["migrate", "{yaml}", "-q", "mini.yaml", "-o", "out/migrated.yaml"], (1,)),
    "report --peers": (
        ["report", "mini-answers.yaml", "-q", "mini.yaml", "--peers", "{yaml}", "-o", "out/r.html"],
        (1,),
    ),
    "batch --previous": (
        ["batch", "mini-answers.yaml", "-q", "mini.yaml", "-o", "out/b", "-j", "1", "--previous", "{yaml}"],
        (1,),
    ),
    "municipalities --update": (["municipalities", "--update", "{sheet}"], (1,)),
}


def test_special_files_as_input_are_refused_without_waiting() -> None:
    t = tally("input-special-files")
    folder = WORK / "special-in"
    h.copy_mini(folder)
    kinds, sock = _special_files(folder)
    try:
        for kind, slots in kinds.items():
            for name, (argv, allowed) in INPUT_COMMANDS.items():
                with t.case(f"{name} on a {kind}", limit=10) as c:
                    args = [a.format(**slots) for a in argv]
                    if (name, kind) == ("validate", "folder"):  # validate searches folders: none found
                        h.cli_invoke(c, args, folder, (0,))
                        c.outcome = "searched as a folder"
                        continue
                    result = h.cli_invoke(c, args, folder, allowed)
                    h.one_line_errors(c, result.stderr + result.stdout)
                    if not stat.S_ISFIFO(os.lstat(folder / "fifo.yaml").st_mode):
                        c.lose("the FIFO was replaced")
                    c.outcome = f"refused (exit {result.exit_code})"
        # /dev/zero is endless: a real process, 1 GB and 30 s at most
        zero = "/dev/zero"
        if os.path.exists(zero):
            for name in ("validate", "report --template", "import", "batch"):
                argv, allowed = INPUT_COMMANDS[name]
                with t.case(f"{name} on /dev/zero", limit=None) as c:
                    args = [a.format(yaml=zero, sheet=zero, template=zero) for a in argv]
                    try:
                        proc = h.python_cli(*args, cwd=folder, timeout=30)
                    except subprocess.TimeoutExpired:
                        c.crash("hang: /dev/zero read without end")
                        continue
                    h.check_cli(c, proc.returncode, proc.stdout, proc.stderr, allowed)
                    h.one_line_errors(c, proc.stderr + proc.stdout, zero)
                    c.outcome = f"refused (exit {proc.returncode})"
    finally:
        if sock is not None:
            sock.close()
    t.done()


# --- class 5: mixed encodings ------------------------------------------------------------------

SHEET_HEADER = "code,name,prefecture,population,assessed,leadership.policy\n"
ROWS = [
    ("011002", "札幌市", "北海道", "1973395", "はい"),
    ("012025", "函館市", "北海道", "251084", "いいえ"),
    ("012033", "小樽市", "北海道", "111299", "yes"),
    ("012041", "旭川市", "北海道", "329306", "はい"),
]


def _row(cells: tuple[str, ...]) -> str:
    return ",".join(cells[:4]) + ",2026-11-27," + cells[4] + "\n"


def _sheet(encodings: list[str], bom: bool = False, header: str = "utf-8") -> bytes:
    """Header and the four rows, each row in its own encoding ('broken': UTF-8 with a stray byte)."""
    raw = (codecs.BOM_UTF8 if bom else b"") + SHEET_HEADER.encode(header)
    for cells, encoding in zip(ROWS, encodings, strict=True):
        line = _row(cells)
        if encoding == "broken":
            raw += line.replace("市", "市\xff", 1).encode("utf-8").replace("\xff".encode(), b"\xff")
        elif encoding == "latin-1":
            raw += line.replace("市", "市", 1).encode("utf-8").replace("市".encode(), "Zürich".encode("latin-1"), 1)
        else:
            raw += line.encode(encoding)
    return raw


MIXED = {
    "one cp932 row in UTF-8": (["utf-8", "cp932", "utf-8", "utf-8"], False),
    "two cp932 rows in UTF-8": (["cp932", "utf-8", "cp932", "utf-8"], False),
    "a cp932 row after a BOM": (["utf-8", "utf-8", "cp932", "utf-8"], True),
    "a latin-1 row in UTF-8": (["utf-8", "utf-8", "utf-8", "latin-1"], False),
    "a stray byte in UTF-8": (["utf-8", "broken", "utf-8", "utf-8"], False),
    "the last row in cp932": (["utf-8", "utf-8", "utf-8", "cp932"], False),
    "all cp932 (control)": (["cp932"] * 4, False),
    "all UTF-8 (control)": (["utf-8"] * 4, False),
    "all UTF-8 with BOM (control)": (["utf-8"] * 4, True),
}


def test_mixed_encodings_are_reported_row_by_row() -> None:
    from dxassess.inputs import load_questionnaire
    from dxassess.sheets.read import read_sheet

    t = tally("csv-mixed-encoding")
    folder = WORK / "mixed"
    h.copy_mini(folder)
    questionnaire, _ = load_questionnaire(folder / "mini.yaml")
    for label, (encodings, bom) in MIXED.items():
        with t.case(label) as c:
            header = "cp932" if set(encodings) == {"cp932"} else "utf-8"
            path = folder / "sheet.csv"
            path.write_bytes(_sheet(encodings, bom, header))
            single = len(set(encodings)) == 1
            rows = {row.line: row for row in read_sheet(path, questionnaire)}
            for number, (cells, encoding) in enumerate(zip(ROWS, encodings, strict=True), start=2):
                row = rows.get(number)
                foreign = not single and encoding != "utf-8"
                if row is None:
                    c.lose(f"row {number} vanished")
                elif foreign and not any(p.code == "DX002" and p.line == number for p in row.problems):
                    c.lose(f"row {number} ({encoding}) imported without a problem: {row.data}")
                elif not foreign and row.problems:
                    c.crash(f"row {number} is fine but reported: {row.problems[0].format_text()}")
                elif not foreign and row.data and row.data["municipality"]["name"] != cells[1]:
                    c.lose(f"row {number} garbled: {row.data['municipality']['name']!r} for {cells[1]!r}")
            for row in rows.values():
                for problem in row.problems:
                    if "\udc80" <= max(problem.message, default="a") or re.search("[\udc80-\udcff]", problem.message):
                        c.crash("an undecodable byte reached a message")
            c.outcome = "read as written" if single else "foreign rows reported, the others read"
    t.done()


# --- class 10: spreadsheet bombs ---------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{shared}</Types>"
)
_SHARED_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="answers" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>{shared}</Relationships>'
)
_SHARED_REL = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/>'
)


def _inline(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _header_row() -> str:
    cells = "".join(_inline(f"{chr(65 + i)}1", key) for i, key in enumerate(SHEET_HEADER.strip().split(",")))
    return f'<row r="1">{cells}</row>'


def _xlsx(
    path: Path, rows: list[str] | Any, shared: bytes | None = None, extra: dict[str, bytes] | None = None
) -> None:
    """A minimal workbook written by hand (so that it can hold what no spreadsheet program writes)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES.format(shared=_SHARED_TYPE if shared else ""))
        book.writestr("_rels/.rels", _RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(shared=_SHARED_REL if shared else ""))
        head = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(head.encode())
            for row in rows:
                sheet.write(row.encode())
            sheet.write(b"</sheetData></worksheet>")
        if shared is not None:
            with book.open("xl/sharedStrings.xml", "w") as strings:
                strings.write(shared)
        for name, data in (extra or {}).items():
            with book.open(name, "w") as part:
                for start in range(0, len(data), 1 << 20):
                    part.write(data[start : start + (1 << 20)])


def _bombs(folder: Path) -> dict[str, str]:
    huge = "A" * 70_000_000
    ok_row = (
        '<row r="2">'
        + "".join(_inline(f"{chr(65 + i)}2", v) for i, v in enumerate(_row(ROWS[0]).strip().split(",")))
        + "</row>"
    )
    shared = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="1" uniqueCount="1"><si><t>{huge}</t></si></sst>'
    ).encode()
    row_with_shared = '<row r="3"><c r="A3"><v>012025</v></c><c r="B3" t="s"><v>0</v></c></row>'
    _xlsx(folder / "shared-string.xlsx", [_header_row(), ok_row, row_with_shared], shared=shared)
    _xlsx(folder / "inline-string.xlsx", [_header_row(), ok_row, f'<row r="3">{_inline("B3", huge)}</row>'])
    _xlsx(folder / "zip-bomb.xlsx", [_header_row(), ok_row], extra={"xl/media/zeros.bin": bytes(70_000_000)})
    far = (f'<row r="{n}"><c r="XFD{n}"><v>1</v></c></row>' for n in range(3, 100_003))
    _xlsx(folder / "far-cells.xlsx", (r for part in ([_header_row(), ok_row], far) for r in part))
    bad = "".join(f"99999{n % 10},x,北海道,1,2026-11-27,はい\n" for n in range(100_000))
    (folder / "bad-rows.csv").write_text(SHEET_HEADER + _row(ROWS[0]) + bad, encoding="utf-8")
    (folder / "long-cell.csv").write_text(
        SHEET_HEADER + _row(ROWS[0]) + "012025," + "函" * 100_000 + ",北海道,1,2026-11-27,はい\n", encoding="utf-8"
    )
    columns = ",".join(f"x{i}" for i in range(5000))
    (folder / "wide.csv").write_text(
        SHEET_HEADER.strip() + "," + columns + "\n" + _row(ROWS[0]).strip() + "," * 5000 + "\n", encoding="utf-8"
    )
    with open(folder / "oversized.csv", "wb") as fh:
        fh.write(SHEET_HEADER.encode())
        fh.truncate(25_000_000)
    return {p.name: p.name for p in folder.iterdir() if p.suffix in (".csv", ".xlsx")}


SLOW_BOMBS = ("far-cells.xlsx", "bad-rows.csv")  # in real processes (1 GB, 60 s): unbounded, they take minutes


def test_spreadsheet_bombs_are_bounded() -> None:
    t = tally("spreadsheet-bombs")
    folder = WORK / "bombs"
    h.copy_mini(folder)
    sheets = _bombs(folder)
    runs = [("import", name) for name in sorted(sheets)] + [("batch", "shared-string.xlsx"), ("batch", "zip-bomb.xlsx")]
    for command, name in runs:
        with t.case(f"{command} {name}", limit=None) as c:
            out = folder / f"out-{command}-{name}"
            argv = [command, name, "-q", "mini.yaml", "-o", out.name, *(["-j", "1"] if command == "batch" else [])]
            if name in SLOW_BOMBS or command == "batch":
                try:
                    proc: Any = h.python_cli(*argv, cwd=folder, timeout=60)
                except subprocess.TimeoutExpired:
                    c.crash("no result within 60 s")
                    continue
                code, stderr = proc.returncode, proc.stderr
                h.check_cli(c, code, proc.stdout, stderr, (0, 1))
            else:
                with h.time_limited(30):
                    result = h.cli_invoke(c, argv, folder, (0, 1))
                code, stderr = result.exit_code, result.stderr
            if len(stderr.splitlines()) > 110:
                c.crash(f"{len(stderr.splitlines())} lines printed: problems not summarised")
            written = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
            big = [p.name for p in written if p.stat().st_size > 10_000_000]
            if big:
                c.crash(f"outputs grown from a bomb: {big}")
            c.outcome = "bounded, exit 1" if code else "bounded, exit 0"
    t.done()


# --- class 9: digits that int() refuses --------------------------------------------------------

KHAROSHTHI = "\U00010a40"  # isdigit() is true, int() refuses it
LONG = "1" * 5000


def test_odd_digits_at_every_prompt() -> None:
    from rich.console import Console

    from dxassess.answerfile import AnswerFile
    from dxassess.inputs import load_questionnaire
    from dxassess.interview import Interview, Terminal, ask_code, ask_population

    t = tally("odd-digits")
    folder = WORK / "digits"
    h.copy_mini(folder)
    questionnaire, catalogue = load_questionnaire(folder / "mini.yaml")

    def terminal(lines: list[str]) -> Terminal:
        feed = list(lines)

        def read(prompt: str) -> str:
            if not feed:
                raise EOFError
            return feed.pop(0)

        return Terminal(Console(file=io.StringIO(), width=80, no_color=True), read)

    odd = [KHAROSHTHI, KHAROSHTHI * 6, LONG, "١٢", "-" + LONG, LONG + ".5", "1e" + LONG]
    prompts = {
        "leadership.mayor_commitment": "3",
        "leadership.policy": "1",
        "infrastructure.pc_age": "6",
        "infrastructure.wifi": "2",
    }
    for qid, good in prompts.items():
        with t.case(f"question {qid}") as c:
            path = folder / f"{qid}.yaml"
            path.unlink(missing_ok=True)
            answers = AnswerFile.create(
                path, "mini", "1.0.0", "011002", "札幌市", "北海道", 1973395, dt.date(2026, 11, 27)
            )
            interview = Interview(questionnaire, answers, "ja", terminal([*odd, good]), catalogue)
            if interview.ask(qid) != "next" or not AnswerFile.load(path).is_answered(qid):
                c.crash(f"{qid}: the valid answer after the odd ones was not taken")
            c.outcome = "asked again, then answered"
    with t.case("code prompt") as c:
        if ask_code(terminal([*odd, "011002"]), "ja") != "011002":
            c.crash("the code prompt did not end with the valid code")
        c.outcome = "asked again, then answered"
    with t.case("population prompt") as c:
        if ask_population(terminal([*odd, "1973395"]), "en") != 1973395:
            c.crash("the population prompt did not end with the valid number")
        c.outcome = "asked again, then answered"
    for option, value in (
        ("--code", KHAROSHTHI * 6),
        ("--code", LONG),
        ("--population", LONG),
        ("--population", KHAROSHTHI),
    ):
        with t.case(f"run {option} {value[:3]}…") as c:
            result = h.cli_invoke(c, ["run", "-q", "mini.yaml", "-a", "new.yaml", option, value], folder, (2,))
            if len(result.stderr.strip().splitlines()) > 5 or LONG in result.stderr:  # typer: usage, hint, error
                c.crash(f"not a short usage error: {result.stderr[:300]!r}")
            c.outcome = "exit 2 (usage)"
    cells = {"code": KHAROSHTHI * 6, "long code": LONG, "population": "1" + "0" * 4400, "number cell": KHAROSHTHI}
    for label, value in cells.items():
        for command in ("import", "batch"):
            with t.case(f"{command} with an odd {label}") as c:
                row = list(_row(ROWS[1]).strip().split(","))
                if label in ("code", "long code"):
                    row[0] = value
                elif label == "population":
                    row[3] = value
                else:
                    row[5] = value
                (folder / "odd.csv").write_text(SHEET_HEADER + _row(ROWS[0]) + ",".join(row) + "\n", encoding="utf-8")
                out = folder / f"out-{command}"
                shutil.rmtree(out, ignore_errors=True)
                argv = [
                    command,
                    "odd.csv",
                    "-q",
                    "mini.yaml",
                    "-o",
                    out.name,
                    *(["-j", "1"] if command == "batch" else []),
                ]
                result = h.cli_invoke(c, argv, folder, (1,))
                good = (out / "011002.yaml") if command == "import" else (out / "reports" / "011002.html")
                if not good.exists():
                    c.crash("the odd cell stopped the other rows")
                if "odd.csv:3" not in result.stderr:
                    c.crash(f"the odd row is not reported: {result.stderr[-300:]!r}")
                c.outcome = "row rejected, others read"
    t.done()


# --- class 11: numbers that validate accepts, every command finishes --------------------------


def _questionnaire_variant(folder: Path, change: dict[str, Any]) -> None:
    data = _data(h.MINI)
    pc_age = data["domains"][1]["questions"][0]
    for key, value in change.items():
        where, _, field = key.partition(":")
        target = {"pc_age": pc_age, "domain": data["domains"][0], "policy": data["domains"][0]["questions"][1]}[where]
        target[field] = value
    (folder / "mini.yaml").write_bytes(h.dump_yaml(data))


def _answers_variant(folder: Path, change: dict[str, Any]) -> None:
    data = _data(h.MINI_ANSWERS)
    for key, value in change.items():
        if key.startswith("answer:"):
            data["answers"]["infrastructure.pc_age"] = value
        elif key.startswith("municipality:"):
            data["municipality"][key.split(":")[1]] = value
        else:
            data[key] = value
    (folder / "mini-answers.yaml").write_bytes(h.dump_yaml(data))


EXTREMES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "population 1": ({}, {"municipality:population": 1}),
    "population 10,000,000": ({}, {"municipality:population": 10_000_000}),
    "population 10**400": ({}, {"municipality:population": 10**400}),
    "population 1e400": ({}, {"municipality:population": float("inf")}),
    "value at max": ({}, {"answer:": {"value": 20}}),
    "value 1e400": ({}, {"answer:": {"value": float("inf")}}),
    "value 10**400": ({}, {"answer:": {"value": 10**400}}),
    "bounds ±1e12": (
        {"pc_age:min": -1e12, "pc_age:max": 1e12, "pc_age:thresholds": [1e12, 1, 0, -1, -1e12]},
        {"answer:": {"value": -1e12}},
    ),
    "bounds 1e13": ({"pc_age:max": 1e13}, {}),
    "threshold nan": ({"pc_age:thresholds": [8, 7, float("nan"), 5, 4]}, {}),
    "weights 1000": ({"domain:weight": 1000, "policy:weight": 1000}, {}),
    "weights 5e-324": ({"domain:weight": 5e-324, "policy:weight": 5e-324}, {}),
    "weight inf": ({"policy:weight": float("inf")}, {}),
    "deadline 0001-01-01": (
        {"policy:deadline": {"date": dt.date(1, 1, 1), "basis": {"ja": "法", "en": "law"}}},
        {},
    ),
    "deadline 9999-12-31": (
        {"policy:deadline": {"date": dt.date(9999, 12, 31), "basis": {"ja": "法", "en": "law"}}},
        {},
    ),
    "assessed 0001-01-01": ({}, {"assessed": dt.date(1, 1, 1)}),
    "assessed 9999-12-31": ({}, {"assessed": dt.date(9999, 12, 31)}),
    "answered and expiring 9999-12-31": (
        {},
        {
            "answer:": {
                "value": 6.5,
                "answered_on": dt.date(9999, 12, 31),
                "evidence": {"document": "台帳", "expires": dt.date(9999, 12, 31)},
            }
        },
    ),
}


def _finite_json(text: str) -> bool:
    def check(value: Any) -> bool:
        if isinstance(value, float):
            return math.isfinite(value)
        if isinstance(value, dict):
            return all(check(v) for v in value.values())
        if isinstance(value, list):
            return all(check(v) for v in value)
        return True

    return check(json.loads(text))


def test_what_validate_accepts_every_command_finishes(monkeypatch: pytest.MonkeyPatch) -> None:
    from dxassess.api import check

    t = tally("number-ranges")
    folder = WORK / "ranges"
    for label, (q_change, a_change) in EXTREMES.items():
        with t.case(label, limit=60) as c:
            h.copy_mini(folder)
            _questionnaire_variant(folder, q_change)
            _answers_variant(folder, a_change)
            h.fresh_caches()
            problems = check([folder / "mini.yaml", folder / "mini-answers.yaml"])
            if any(p.severity == "error" for p in problems):
                result = h.cli_invoke(c, ["validate", "mini.yaml", "mini-answers.yaml"], folder, (1,))
                c.outcome = "refused by validate"
                continue
            q = ["-q", "mini.yaml"]
            result = h.cli_invoke(c, ["score", "mini-answers.yaml", *q, "--json"], folder, (0,))
            if result.exit_code == 0 and not _finite_json(result.stdout):
                c.crash("score --json holds a number that is not finite")
            for fmt in ("html", "json"):
                h.cli_invoke(c, ["report", "mini-answers.yaml", *q, "-f", fmt, "-o", f"r.{fmt}"], folder, (0,))
            h.cli_invoke(c, ["compare", "mini-answers.yaml", "mini-answers.yaml", *q, "--json"], folder, (0,))
            if label.startswith(("population", "value", "bounds", "weights", "assessed")):  # in the summaries
                shutil.rmtree(folder / "out", ignore_errors=True)
                h.cli_invoke(c, ["batch", "mini-answers.yaml", *q, "-o", "out", "-j", "1"], folder, (0,))
                for name in (
                    "summary.csv",
                    "summary.xlsx",
                    "summary.json",
                    "index.html",
                    "peers.json",
                    "reports/011002.html",
                ):
                    if not (folder / "out" / name).exists():
                        c.crash(f"batch wrote no {name}")
            c.outcome = "accepted, every command finished"
    # Workbooks need no temporary files: none can leak, and a broken temporary folder is harmless.
    for label, argv in (
        ("template without a temporary folder", ["template", "-q", "mini.yaml", "-o", "t.xlsx"]),
        ("batch without a temporary folder", ["batch", "mini-answers.yaml", "-q", "mini.yaml", "-o", "out", "-j", "1"]),
    ):
        with t.case(label) as c:
            h.copy_mini(folder)
            h.fresh_caches()
            shutil.rmtree(folder / "out", ignore_errors=True)
            with monkeypatch.context() as m:
                m.setattr(tempfile, "tempdir", str(folder / "no-such-folder"))
                h.cli_invoke(c, argv, folder, (0,))
            c.outcome = "accepted, every command finished"
    t.done()


# --- class 14: the smaller checks --------------------------------------------------------------

WHEN_NEVER = [
    'infrastructure.pc_age == "abc"',
    "infrastructure.pc_age > 100",
    "infrastructure.pc_age < -1",
    '"abc" == infrastructure.pc_age',
    "100 < infrastructure.pc_age",
    'infrastructure.pc_age in ["a", "b"]',
    'infrastructure.pc_age != "x"',
    "leadership.mayor_commitment == 7",
    "leadership.policy == 1",
    "leadership.policy > 0",
    "infrastructure.pc_age",
    "true == false",
]
WHEN_POSSIBLE = ["infrastructure.pc_age != 25", "not (infrastructure.pc_age < 100)", 'infrastructure.wifi != "none"']


def test_the_smaller_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    t = tally("small-checks")
    folder = WORK / "small"
    h.copy_mini(folder)
    q = ["-q", "mini.yaml"]
    today = dt.date.today()
    cases = {
        "population true": ({"municipality:population": True}, "DX100", 1),
        "population 1.0": ({"municipality:population": 1.0}, "DX100", 1),
        "assessed 0001-01-01": ({"assessed": dt.date(1, 1, 1)}, "DX314", 0),
        "assessed 9999-12-31": ({"assessed": dt.date(9999, 12, 31)}, "DX314", 0),
        "assessed tomorrow": ({"assessed": today + dt.timedelta(days=1)}, "DX314", 0),
        "answered in the future": (
            {"answer:": {"value": 6.5, "answered_on": today + dt.timedelta(days=30)}},
            "DX314",
            0,
        ),
        "assessed today (control)": ({"assessed": today}, None, 0),
    }
    for label, (change, code, exit_code) in cases.items():
        with t.case(label) as c:
            h.copy_mini(folder)
            _answers_variant(folder, change)
            result = h.cli_invoke(c, ["validate", "mini-answers.yaml", *q], folder, (exit_code,))
            found = re.findall(r"DX\d{3}", result.stdout)
            if code is not None and code not in found:
                c.crash(f"{label}: no {code}: {result.stdout!r}")
            if code is None and found:
                c.crash(f"{label}: unexpected {found}")
            c.outcome = "flagged" if code else "passed"
    with t.case("compare with the newer file first") as c:
        h.copy_mini(folder)
        older = _data(h.MINI_ANSWERS) | {"assessed": dt.date(2025, 11, 20)}
        (folder / "older.yaml").write_bytes(h.dump_yaml(older))
        result = h.cli_invoke(c, ["compare", "mini-answers.yaml", "older.yaml", *q], folder, (0,))
        if "warning" not in result.stderr or "older.yaml" not in result.stderr:
            c.crash(f"no warning: {result.stderr!r}")
        result = h.cli_invoke(c, ["compare", "older.yaml", "mini-answers.yaml", *q], folder, (0,))
        if "warning" in result.stderr:
            c.crash(f"a warning in the right order: {result.stderr!r}")
        c.outcome = "flagged"
    questionnaire = (folder / "mini.yaml").read_text(encoding="utf-8")
    for condition in WHEN_NEVER + WHEN_POSSIBLE:
        with t.case(f"when: {condition}") as c:
            quoted = "'" + condition.replace("'", "''") + "'"
            (folder / "w.yaml").write_text(
                questionnaire.replace('when: infrastructure.wifi != "none"', f"when: {quoted}"), encoding="utf-8"
            )
            h.fresh_caches()
            result = h.cli_invoke(c, ["validate", "w.yaml"], folder, (0,))
            flagged = "DX213" in result.stdout
            if flagged != (condition in WHEN_NEVER):
                c.crash(f"{'not ' if not flagged else ''}flagged: {result.stdout!r}")
            c.outcome = "flagged" if flagged else "passed"
    (folder / "afile").write_text("x", encoding="utf-8")
    paths = {
        "report -o ''": (["report", "mini-answers.yaml", *q, "-o", ""], 2, "--output"),
        "template -o ''": (["template", *q, "-o", ""], 2, "--output"),
        "batch -o ''": (["batch", "mini-answers.yaml", *q, "-o", ""], 2, "--output"),
        "run -a ''": (["run", *q, "-a", ""], 2, "--answers"),
        "report -o afile/x.html": (["report", "mini-answers.yaml", *q, "-o", "afile/x.html"], 1, "afile is a file"),
        "template -o afile/x.xlsx": (["template", *q, "-o", "afile/x.xlsx"], 1, "afile is a file"),
        "import -o afile/sub": (["import", "sheet.csv", *q, "-o", "afile/sub"], 1, "afile is a file"),
    }
    (folder / "sheet.csv").write_text(SHEET_HEADER + _row(ROWS[0]), encoding="utf-8")
    for label, (argv, code, said) in paths.items():
        with t.case(label) as c:
            result = h.cli_invoke(c, argv, folder, (code,))
            if said not in result.stderr or len(result.stderr.strip().splitlines()) != 1:
                c.crash(f"not one line saying {said!r}: {result.stderr!r}")
            c.outcome = f"exit {code}, one line"
    # Permission denied on a questionnaire path or a folder: exit 1 with one line (simulated, so
    # that it holds when the suite runs as root, who may read anything).
    (folder / "locked").mkdir(exist_ok=True)
    shutil.copyfile(h.MINI, folder / "locked" / "mini.yaml")
    real_stat = os.stat
    real_access = os.access

    def denied(path: Any, *args: Any, **kwargs: Any) -> Any:
        if "locked" in str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    for label, argv in {
        "report -q a path in a folder without permission": ["report", "mini-answers.yaml", "-q", "locked/mini.yaml"],
        "template -q a path in a folder without permission": ["template", "-q", "locked/mini.yaml", "-o", "t.csv"],
        "validate a folder without permission": ["validate", "locked"],
    }.items():
        with t.case(label) as c:
            with monkeypatch.context() as m:
                m.setattr(os, "stat", denied)
                m.setattr(os, "access", lambda p, mode, **k: "locked" not in str(p) and real_access(p, mode, **k))
                if "validate" in label:
                    m.setattr(os, "stat", real_stat)
                result = h.cli_invoke(c, argv, folder, (1,))
            h.one_line_errors(c, result.stderr + result.stdout, "locked")
            c.outcome = "exit 1, one line"
    t.done()


def test_zz_every_case_of_this_module_passed() -> None:
    """Each case asserts as it runs; this states the module's result: cases tried, none failed."""
    assert_passed(
        [
            "answer-aliases",
            "input-special-files",
            "csv-mixed-encoding",
            "spreadsheet-bombs",
            "odd-digits",
            "number-ranges",
            "small-checks",
        ]
    )
