"""Fuzzing the sheet readers (CSV, XLSX): every sheet ends in rows with data or with problems.

A row read as valid must also make an answer file that loads, scores and round-trips through
the YAML that `import` writes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from dxassess.answerfile import answer_text
from dxassess.errors import DxassessError
from dxassess.inputs import assessment_from_document, load_questionnaire
from dxassess.load import parse_bytes
from dxassess.model import AnswerSheet
from dxassess.sheets import read_sheet
from dxassess.sheets.write import stable_xlsx, xlsx_template
from tests.reliability import helpers as h
from tests.reliability.registry import Case, assert_passed, tally

WORK = Path(tempfile.mkdtemp(prefix="dx-reliability-sheets-"))
QUESTIONNAIRE, _ = load_questionnaire(h.MINI)
QIDS = [q.id for q in QUESTIONNAIRE.questions()]
HEADER = ["code", "name", "prefecture", "population", "assessed", *QIDS]
GOOD = ["011002", "札幌市", "北海道", "1973395", "2026-11-27", "3", "はい", "6.5", "meeting_rooms", "yes"]


def read_all(case: Case, path: Path) -> None:
    """Read every row; a valid row must become a loadable, scorable, round-tripping answer file."""
    from dxassess.load import Document

    rows = list(read_sheet(path, QUESTIONNAIRE))
    valid = 0
    for row in rows:
        for p in row.problems:
            text = p.format_text()
            if "\n" in text or "\r" in text:
                case.crash(f"a problem spans lines: {text[:200]!r}")
        if row.problems:
            continue
        valid += 1
        AnswerSheet.model_validate(row.data)
        try:
            assessment = assessment_from_document(Document(row.source, row.data), h.MINI)
        except DxassessError as exc:  # a row read as valid must be a valid answer file
            case.crash(f"a valid row makes an invalid answer file: {exc.one_line()}")
            continue
        from dxassess.scoring import score

        score(assessment.questionnaire, assessment.sheet)
        written = answer_text(row.data, [f"Imported by `dxassess import` from {path.name}:{row.line}."])
        again = parse_bytes("imported.yaml", written.encode("utf-8")).data
        if AnswerSheet.model_validate(again) != AnswerSheet.model_validate(row.data):
            case.lose(f"row {row.line} changes when written as YAML by import")
    case.outcome = "rows read" if valid else "problems reported"


def test_random_csv() -> None:
    t = tally("csv-random")
    path = WORK / "random.csv"
    head = ",".join(HEADER).encode() + b"\n"

    @h.fuzz(300)
    @given(
        st.sampled_from([b"", head, b"\xef\xbb\xbf" + head, head.replace(b",", b"\t")]),
        st.one_of(st.binary(max_size=300), st.text(max_size=200).map(lambda s: s.encode("utf-8"))),
    )
    def case(prefix: bytes, body: bytes) -> None:
        path.write_bytes(prefix + body)
        with t.case(repr((prefix + body)[:100])) as c:
            read_all(c, path)

    case()
    t.done()


CELL_TEXT = [
    "=1+1",
    "'=1+1",
    "=TRUE()",
    "=FALSE()",
    "+1",
    "-1",
    "@x",
    "１２３",
    "1,234",
    "1,23,4",
    "１，２３４",
    "−5",
    "1e400",
    "nan",
    "inf",
    "-0",
    "0x10",
    "2026/11/27",
    "2026年11月27日",
    "2026-02-30",
    "0000-01-01",
    "na",
    "N/A",
    "該当なし",
    "skip",
    "スキップ",
    "はい",
    "いいえ",
    "TRUE",
    "Ｎ／Ａ",
    "会議室のみ",
    "\u3000",
    '"',
    "a,b",
    "line\nbreak",
    "\x00",
    "99999999999999999999999999",
    "0.1234567890123456789",
    "11002",
    "011002",
    "０１１００２",
    "13101",
    "999999",
]


def cell() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(CELL_TEXT), st.sampled_from(GOOD), h.hostile_text())


def test_csv_rows_with_hostile_cells() -> None:
    t = tally("csv-mutations")
    path = WORK / "cells.csv"

    @h.fuzz(250)
    @given(
        st.lists(st.lists(st.one_of(st.none(), cell()), min_size=0, max_size=len(HEADER) + 2), min_size=1, max_size=4),
        st.sampled_from(["utf-8", "utf-8-sig", "cp932"]),
        st.sampled_from([",", "\t"]),
        st.booleans(),
    )
    def case(rows: list[list[Any]], encoding: str, delimiter: str, labels: bool) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter)
        writer.writerow(HEADER)
        if labels:
            writer.writerow(["団体コード", "団体名", "都道府県", "人口", "診断日", *QIDS])
        for row in rows:
            merged = [GOOD[i] if i < len(GOOD) else "" for i in range(len(HEADER))]
            for i, value in enumerate(row):
                if value is not None and i < len(merged):
                    merged[i] = value
            writer.writerow(merged)
        path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
        with t.case(repr(rows)[:200]) as c:
            read_all(c, path)

    case()
    t.done()


XLSX_VALUES = st.one_of(
    cell(),
    st.integers(-(2**60), 2**60),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1)),
    st.sampled_from(["=SUM(A1:A2)", "=1/0", "#DIV/0!", "#N/A", "=TRUE()", '=HYPERLINK("http://x")']),
    st.none(),
)


def test_xlsx_sheets_with_hostile_cells() -> None:
    import openpyxl

    t = tally("xlsx-cells")
    path = WORK / "cells.xlsx"

    @h.fuzz(120)
    @given(st.lists(st.lists(XLSX_VALUES, max_size=len(HEADER)), min_size=1, max_size=3), st.booleans())
    def case(rows: list[list[Any]], typed_code: bool) -> None:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(HEADER)
        for row in rows:
            merged: list[Any] = list(GOOD)
            if typed_code:
                merged[0], merged[3] = 11002, 1973395  # number cells, as spreadsheets make them
            for i, value in enumerate(row):
                merged[i] = value
            try:
                sheet.append(merged)
            except Exception:  # openpyxl refuses control characters: a spreadsheet cannot hold them
                from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

                sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in merged])
        book.save(path)
        with t.case(repr(rows)[:200]) as c:
            read_all(c, path)

    case()
    t.done()


def valid_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(xlsx_template(QUESTIONNAIRE, "ja")))
    book.worksheets[0].append(GOOD)
    return stable_xlsx(book)  # the same bytes on every run, so the same damage


def damage_zip(draw: Any, raw: bytes) -> tuple[bytes, str]:
    """Rewrite one member of the workbook with its XML cut, salted or replaced."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    names = src.namelist()
    target = draw(st.sampled_from(names))
    op = draw(st.sampled_from(["cut", "salt", "replace", "drop", "huge-dimension", "bad-ref"]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            data = src.read(name)
            if name == target:
                if op == "drop":
                    continue
                if op == "cut":
                    data = data[: draw(st.integers(0, len(data)))]
                elif op == "salt":
                    at = draw(st.integers(0, len(data)))
                    data = data[:at] + draw(st.sampled_from([b"<", b"&", b"\x00", b"<x>", b"]]>", b'"'])) + data[at:]
                elif op == "replace":
                    data = draw(st.binary(max_size=64))
                elif op == "huge-dimension":
                    data = data.replace(b'<dimension ref="', b'<dimension ref="A1:XFD1048576" x="')
                else:
                    data = data.replace(b' r="A', b' r="ZZZZZ99999999')
            dst.writestr(name, data)
    return out.getvalue(), f"{op} {target}"


def test_damaged_xlsx() -> None:
    t = tally("xlsx-damaged")
    raw = valid_xlsx()
    path = WORK / "damaged.xlsx"

    @h.fuzz(150)
    @given(st.data())
    def case(data: st.DataObject) -> None:
        if data.draw(st.booleans()):
            damaged, what = damage_zip(data.draw, raw)
        else:
            damaged, what = h.mutate_bytes(data.draw, raw)
        path.write_bytes(damaged)
        with t.case(what) as c:
            read_all(c, path)

    case()
    t.done()


def test_zz_every_case_of_this_module_passed() -> None:
    """Each case asserts as it runs; this states the module's result: cases tried, none failed."""
    assert_passed(["csv-random", "csv-mutations", "xlsx-cells", "xlsx-damaged"])
