"""Sheets in the template layout → answer data, one row at a time.

A sheet is CSV (UTF-8, UTF-8 with BOM or cp932, detected) or XLSX (first sheet, read-only, formulas
never evaluated). Row 1 holds the column ids, row 2 may hold Japanese labels (recognised because
its `code` cell is not a code), every later non-blank row is one municipality. Each row becomes
a `SheetRow` carrying either the data of an answer file or the problems of its bad cells.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dxassess import lgcode, register, typed
from dxassess.checks import value_problem
from dxassess.errors import InputError
from dxassess.model import ChoiceQuestion, NumericQuestion, Questionnaire, ScaleQuestion, YesNoQuestion
from dxassess.problems import Problem
from dxassess.text import Msg, msg, pick
from dxassess.text.problems import os_reason, xlsx_damage

FIXED = ("code", "name", "prefecture", "population", "assessed")
PART_COLUMNS = ("part", "respondent")  # optional, after the questions: which part of a team assessment
# Optional columns after the questions: consent to be named to peers, and the contact (issue 22).
SHARING = ("sharing_named", "sharing_contact")
REQUIRED = ("code", "name", "population", "assessed")
PREFILLED = frozenset({"code", "name", "prefecture", "population", "part", "respondent"})  # what `template` writes
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)$")
_PERCENT_SIGN = re.compile(r"%$")
_GROUPED = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_FORMULA_ESCAPED = re.compile(r"^'[=+\-@\t\r]")
_BOOLEAN_FORMULAS = {"=TRUE()": True, "=FALSE()": False}  # how LibreOffice saves a boolean cell

# Limits: a sheet of every municipality (1,788 rows, about 100 columns) is about 1 MB.
MAX_SHEET_BYTES = 20 * 1024 * 1024  # the file on disk
MAX_UNPACKED = 64 * 1024 * 1024  # an XLSX's parts, unpacked (checked before anything is parsed)
MAX_ROWS = 10_000  # rows read (Japan has 1,788 local governments); a sheet with more stops there
MAX_COLUMNS = 1_000  # columns read (cells further right are not read)
MAX_CELL = 32_767  # characters in a cell: the most a spreadsheet cell can hold


@dataclass
class SheetRow:
    """One row of a sheet: `data` in the answer-file shape, or the `problems` of its cells."""

    source: str  # "sheet.xlsx:5"
    line: int  # the spreadsheet row number
    data: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)  # errors: the row is not read
    code: str | None = None
    warnings: list[Problem] = field(default_factory=list)  # reported, but the row is still read
    questions: tuple[str, ...] = ()  # the sheet's question columns (what a part sheet hands out)
    columns: dict[str, int] = field(default_factory=dict)  # column id → 0-based index (the header's)
    path: str = ""  # the sheet

    def positions(self) -> dict[tuple[Any, ...], tuple[int, int]]:
        """Where each value of `data` came from, as (row, 1-based column): a problem found in the
        row's answers later (the checker's) names the sheet's cell, `sheet.xlsx:6:12`."""
        out: dict[tuple[Any, ...], tuple[int, int]] = {(): (self.line, 1)}
        out[("municipality",)] = out[("answers",)] = (self.line, 1)
        for key, index in self.columns.items():
            if key == "assessed":
                out[("assessed",)] = (self.line, index + 1)
            elif key in FIXED:
                out[("municipality", key)] = (self.line, index + 1)
            elif key not in PART_COLUMNS and key not in SHARING:
                out[("answers", key)] = (self.line, index + 1)
        return out

    @property
    def errors(self) -> list[Problem]:
        """The problems that keep the row from becoming an answer file (warnings do not)."""
        return self.problems


class CellError(ValueError):
    """A cell that cannot be read: the problem code, what is wrong, and the fix."""

    def __init__(self, code: str, what: Msg, fix: Msg) -> None:
        super().__init__(what.en)
        self.code, self.what, self.fix = code, what, fix


def column_letter(col: int) -> str:
    """1 → A, 27 → AA (spreadsheet column names)."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- raw rows -------------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """BOM → UTF-8 (strict) → cp932 (strict). A file that is UTF-8 except for some lines (rows
    saved from another program in cp932, say) is UTF-8 too: `_csv_rows` marks the cells it
    cannot decode, and each is reported at its row."""
    return _encoding_of(_sheet_bytes(path), path)


def _sheet_bytes(path: Path) -> bytes:
    """The bytes of a sheet: a regular file of at most MAX_SHEET_BYTES (InputError otherwise)."""
    from dxassess.files import SpecialFile, TooLarge, read_input

    try:
        return read_input(path, MAX_SHEET_BYTES)
    except TooLarge as exc:
        what = msg("read.too_large", mb=exc.size / 1e6, limit=MAX_SHEET_BYTES // (1024 * 1024))
        raise InputError(what, str(path), code="DX001") from None
    except SpecialFile:
        raise InputError(msg("read.special_file"), str(path), code="DX009") from None
    except OSError as exc:
        reason = msg("read.not_found") if isinstance(exc, FileNotFoundError) else os_reason(exc)
        raise InputError(msg("sheet.cannot_read", reason=reason), str(path), code="DX009") from None


def _utf8_with_foreign_lines(data: bytes) -> bool:
    """Whether a file that is not UTF-8 as a whole has lines with non-ASCII text that are UTF-8:
    then it is UTF-8 with some lines in another encoding, not a cp932 file."""
    return any(not line.isascii() and _is_utf8(line) for line in data.split(b"\n"))


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _encoding_of(data: bytes, path: Path) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _is_utf8(data) or _utf8_with_foreign_lines(data):
        return "utf-8"
    try:
        data.decode("cp932")
        return "cp932"
    except UnicodeDecodeError:
        pass
    hint = Msg("", "")
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None:
            hint = msg("sheet.looks_like", encoding=best.encoding)
    except Exception:  # the hint is optional; never fail on it
        pass
    what = msg("sheet.not_csv_encoding", hint=hint)
    raise InputError(what, str(path), code="DX002")


class _Undecodable(str):
    """A CSV cell whose bytes are not in the file's encoding (shown with U+FFFD in their place)."""


def _cell(text: str) -> str:
    if _UNDECODED.search(text):
        return _Undecodable(_UNDECODED.sub("\ufffd", text))
    return _Literal(text[1:]) if _FORMULA_ESCAPED.match(text) else text


_UNDECODED = re.compile("[\udc80-\udcff]")  # bytes kept by errors="surrogateescape"


def _csv_rows(path: Path) -> Iterator[list[Any]]:
    import io

    data = _sheet_bytes(path)
    encoding = _encoding_of(data, path)
    errors = "surrogateescape" if encoding.startswith("utf-8") else "strict"
    fh = io.StringIO(data.decode(encoding, errors=errors), newline="")
    del data
    first = fh.readline()
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    for cells in csv.reader(itertools.chain([first], fh), delimiter=delimiter):
        yield [_cell(c) for c in cells[:MAX_COLUMNS]]


def _check_unpacked(path: Path) -> None:
    """Refuse an XLSX whose parts unpack to more than MAX_UNPACKED bytes (a small file holding a
    huge cell, or a zip bomb) before openpyxl reads any of them."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as book:
            unpacked = sum(max(0, info.file_size) for info in book.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(msg("sheet.bad_xlsx", error=xlsx_damage(exc)), str(path), code="DX009") from None
    if unpacked > MAX_UNPACKED:
        limit = MAX_UNPACKED // (1024 * 1024)
        raise InputError(msg("sheet.unpacked_too_large", mb=unpacked / 1e6, limit=limit), str(path), code="DX001")


def _shown_as_percent(number_format: str | None) -> bool:
    """Whether a number format shows the value times 100 with `%` (`0%`, `0.00%`), not a
    literal `%` after the value itself (`0"%"`, `0\\%`)."""
    if not number_format or "%" not in number_format:
        return False
    return "%" in re.sub(r'"[^"]*"|\\.', "", number_format)


def _xlsx_cell(cell: Any) -> Any:
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if _shown_as_percent(getattr(cell, "number_format", None)):
            return _Percent(value)
    return value


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    import openpyxl

    _sheet_bytes(path)  # type and size
    _check_unpacked(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        what = msg("sheet.bad_xlsx", error=xlsx_damage(exc))
        raise InputError(what, str(path), code="DX009") from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong size; read every cell
        width = None  # the header's: cells further right belong to no column
        for row in sheet.iter_rows(max_col=MAX_COLUMNS):
            if width is None:
                width = max((i + 1 for i, cell in enumerate(row) if cell.value is not None), default=0)
            yield [_xlsx_cell(cell) for cell in row[:width]]
    except Exception as exc:  # a damaged sheet is found while reading its rows (XML, zip, values)
        what = msg("sheet.bad_xlsx", error=xlsx_damage(exc))
        raise InputError(what, str(path), code="DX009") from None
    finally:
        book.close()


def raw_rows(path: Path) -> Iterator[list[Any]]:
    """The cells of every row of a sheet; the format is told by the file's first bytes."""
    from dxassess.files import SpecialFile, open_input

    try:
        with open_input(path) as fh:
            magic = fh.read(100)
    except SpecialFile:
        raise InputError(msg("read.special_file"), str(path), code="DX009") from None
    except IsADirectoryError:
        raise InputError(msg("read.is_folder"), str(path), code="DX009") from None
    except OSError as exc:
        reason = (
            msg("read.not_found") if isinstance(exc, FileNotFoundError) else Msg(str(exc.strerror), os_reason(exc).ja)
        )
        raise InputError(msg("sheet.cannot_read", reason=reason), str(path), code="DX009") from None
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        what = msg("sheet.old_xls")
        raise InputError(what, str(path), code="DX009")
    if magic.startswith(b"PK\x03\x04") and (b"opendocument" in magic or path.suffix.lower() in (".ods", ".ots")):
        raise InputError(msg("sheet.ods"), str(path), code="DX009")  # its first entry names its type
    if magic.startswith(b"PK\x03\x04"):
        return _xlsx_rows(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):  # not a workbook: saying "the CSV ..." would mislead
        raise InputError(msg("sheet.not_xlsx", suffix=path.suffix), str(path), code="DX009")
    return _csv_rows(path)


# --- cells ----------------------------------------------------------------------------------


class _Literal(str):
    """Text that was escaped with a leading `'` (as `safe_cell` writes): never a formula."""


class _Percent(float):
    """A number cell shown as a percentage: a spreadsheet stores 45% as 0.45 with a `%` format."""


def _is_formula(value: Any) -> bool:
    if isinstance(value, _Literal):
        return False
    if isinstance(value, str):
        return value.startswith("=") and len(value) > 1
    return type(value).__name__ in ("ArrayFormula", "DataTableFormula")


def _text(value: Any) -> str:
    """A cell as normalised text: NFKC (full-width digits, ／, Ｎ), surrounding spaces removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _tidy(number: float) -> int | float:
    return int(number) if number.is_integer() else number


def _reading(value: Any) -> tuple[int | float, bool]:
    """A number cell or number text → (the number, whether it was given as a percentage).
    A percent cell (0.45 shown as 45%) and the text `45%` / `45.00%` / `４５％` both give (45, True)."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, _Percent):
        return _tidy(round(float(value) * 100, 9)), True  # 0.145 * 100 is 14.499999999999998
    if isinstance(value, (int, float)):
        return _tidy(float(value)), False
    text = re.sub(r"\s+", "", _text(value)).replace("\u2212", "-")
    percent = bool(_PERCENT_SIGN.search(text))
    text = _PERCENT_SIGN.sub("", text)
    if _GROUPED.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        raise ValueError(text)
    return _tidy(float(text)), percent


def _number(value: Any) -> int | float:
    """A plain number (a percentage is not one here)."""
    number, percent = _reading(value)
    if percent:
        raise ValueError(value)
    return number


def parse_code(value: Any) -> str:
    if isinstance(value, float) and not value.is_integer():  # 11002.5, or not finite
        raise CellError("DX305", msg("code.digits_sheet", code=_text(value)[:20]), msg("cell.code_fix"))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        code = str(int(value)).zfill(6)  # a number cell lost the leading zero
    else:
        code = lgcode.normalise(_text(value))
    if not code:
        raise CellError("DX305", msg("cell.code_empty"), msg("cell.code_fix"))
    problem = lgcode.code_problem_msg(code, in_yaml=False)
    if problem:
        fix = msg("cell.code_fix")
        if len(code) == 5 and code.isdigit():
            fix = msg("cell.code_fix_5")
        raise CellError("DX305", problem, fix)
    return code


def _whole(value: Any) -> int | None:
    try:
        number = _number(value)
    except ValueError:
        return None
    return number if isinstance(number, int) else None


def parse_population(value: Any) -> int:
    number = _whole(value)
    if number is None or number < 1:
        raise CellError("DX100", msg("cell.population", value=_text(value)), msg("cell.population_fix"))
    return number


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.match(re.sub(r"\s+", "", _text(value)))
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CellError("DX100", msg("cell.date", value=_text(value)), msg("cell.date_fix"))


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = _text(value).casefold()
    answer = {"1": True, "0": False}.get(word, typed.yes_no(word))  # spreadsheets write booleans as 1/0
    if answer is not None:
        return answer
    raise CellError("DX303", msg("cell.yes_no", value=_text(value)), msg("cell.yes_no_fix"))


def _choice(question: ChoiceQuestion, value: Any) -> str:
    word = _text(value).casefold()
    for option in question.options:
        names = {option.key.casefold()} | {unicodedata.normalize("NFKC", t).casefold() for t in option.label.values()}
        if word in names:
            return option.key
    keys = ", ".join(o.key for o in question.options)
    raise CellError("DX303", msg("cell.option", value=_text(value)), msg("cell.option_fix", keys=keys))


def _scale(value: Any) -> int:
    number = _whole(value)
    if number is None or not 0 <= number <= 5:
        raise CellError("DX303", msg("cell.level", value=_text(value)), msg("cell.level_fix"))
    return number


def _numeric(question: NumericQuestion, value: Any) -> int | float:
    bounds = msg("cell.bounds", min=question.min, max=question.max)
    try:
        number, percent = _reading(value)
    except ValueError:
        raise CellError(
            "DX303", msg("cell.number", value=_text(value)), msg("cell.number_fix", bounds=bounds)
        ) from None
    if percent and not question.percentage:
        unit = Msg(pick(question.unit, "en"), pick(question.unit, "ja"))
        what = msg("cell.percent_not_here", value=_shown(value))
        raise CellError("DX303", what, msg("cell.percent_not_here_fix", unit=unit, bounds=bounds))
    problem = value_problem(question, number)
    if problem:
        fix = msg("cell.range_fix_whole" if question.integer else "cell.range_fix", bounds=bounds)
        raise CellError("DX303", msg("cell.out_of_range", value=number), fix)
    return number


def _shown(value: Any) -> str:
    """A cell as the officer saw it: a percent cell as `45%`."""
    if isinstance(value, _Percent):
        return f"{_reading(value)[0]:g}%"
    return _text(value)


def fraction_warning(question: Any, value: Any, answer: dict[str, Any] | None) -> tuple[Msg, Msg] | None:
    """(what, fix) when a 0–100 percentage column holds a fraction such as 0.45: the officer
    probably meant 45% (a spreadsheet that stores 45% as 0.45 lost the format, or a share was
    typed as 0–1). The value is kept as given; None when nothing looks wrong. Columns of a
    narrower or signed range (IT staff 0–20%, a change of -100–1000%) are left alone: small
    values are real there."""
    if not isinstance(question, NumericQuestion) or not answer or "value" not in answer or _reading(value)[1]:
        return None
    number = answer["value"]
    if not question.looks_like_share(number):
        return None
    meant = _tidy(round(number * 100, 9))
    return msg("cell.percent_fraction", value=number, meant=meant), msg("cell.percent_fraction_fix", meant=meant)


def parse_fixed(key: str, value: Any) -> Any:
    """A municipality cell (code, name, prefecture, population, assessed) → its value."""
    parsers = {"code": parse_code, "population": parse_population, "assessed": parse_date}
    if key in parsers:
        return parsers[key](value)
    text = re.sub(r"\s+", " ", _text(value))
    if key == "name" and not text:
        raise CellError("DX102", msg("cell.name_empty"), msg("cell.name_fix"))
    if key == "prefecture" and text and text not in lgcode.PREFECTURES:
        full = [p for p in lgcode.PREFECTURES if p[:-1] == text]  # 大阪 → 大阪府
        return full[0] if full else text
    return text or None


def parse_sharing(key: str, value: Any) -> dict[str, Any]:
    """An optional sharing cell → {"named": bool} or {"contact": text}; {} when empty."""
    if _text(value) == "" and not isinstance(value, bool):
        return {}
    if key == "sharing_named":
        return {"named": _yes_no(value)}
    contact = re.sub(r"\s+", " ", _text(value))
    if len(contact) > 200:
        raise CellError("DX100", msg("cell.contact_long", n=len(contact)), msg("cell.contact_long_fix"))
    return {"contact": contact}


def parse_answer(question: Any, value: Any) -> dict[str, Any] | None:
    """One answer cell → `{value: ...}`, `{na: true}`, `{skipped: true}`, or None when empty."""
    word = _text(value).casefold()
    if word == "" and not isinstance(value, bool):
        return None
    if word in typed.NA:
        if not question.na_allowed:
            raise CellError("DX304", msg("cell.na"), msg("cell.na_fix"))
        return {"na": True}
    if word in typed.SKIP:
        return {"skipped": True}
    if isinstance(question, YesNoQuestion):
        return {"value": _yes_no(value)}
    if isinstance(question, ChoiceQuestion):
        return {"value": _choice(question, value)}
    if isinstance(question, ScaleQuestion):
        return {"value": _scale(value)}
    if isinstance(question, NumericQuestion):
        return {"value": _numeric(question, value)}
    raise CellError("DX303", msg("cell.unknown_type", type=type(question).__name__), msg("cell.unknown_type_fix"))


# --- rows -----------------------------------------------------------------------------------


class _Reader:
    """Reads one sheet against one questionnaire; `seen` spans sheets to catch repeated codes."""

    def __init__(self, path: Path, questionnaire: Questionnaire, seen: dict[str, str], unique: bool = True) -> None:
        self.path, self.name = path, str(path)
        self.q = questionnaire
        self.questions = questionnaire.question_map()
        self.seen = seen
        self.unique = unique  # False: rows of one municipality may repeat (parts to merge)
        self.columns: dict[int, str] = {}  # 0-based index → column id
        self.index: dict[str, int] = {}  # column id → 0-based index

    def problem(
        self, line: int, index: int, key: str, code: str, what: Msg, fix: Msg, severity: str = "error"
    ) -> Problem:
        col = index + 1
        message = msg("sheet.cell", col=column_letter(col), key=key, what=what, fix=fix)
        return Problem(self.name, line, col, severity, code, message)

    def register_problems(self, line: int, fixed: dict[str, Any], result: SheetRow) -> None:
        """The row against the register: a code of no municipality or of a ward is an error at the
        code's cell; a name that does not name the code's municipality, a warning at the name's."""
        code = fixed["code"]
        entry = register.lookup(code)
        at_code = self.index.get("code", 0)
        if entry is None:
            what, fix = msg("cell.unknown_code", code=code), msg("cell.unknown_code_fix")
            result.problems.append(self.problem(line, at_code, "code", "DX311", what, fix))
        elif entry.kind == "ward":
            city = register.lookup(entry.parent or "")
            what = msg("cell.ward_code", code=code, city=city.name if city else "", city_code=entry.parent or "")
            result.problems.append(self.problem(line, at_code, "code", "DX311", what, msg("cell.ward_code_fix")))
        elif fixed.get("name") and not register.name_matches(code, fixed["name"]):
            what = msg("cell.name_mismatch", name=fixed["name"], code=code, expected=entry.name)
            fix = msg("cell.name_mismatch_fix", prefecture=entry.prefecture, expected=entry.name)
            at_name = self.index.get("name", 0)
            result.warnings.append(self.problem(line, at_name, "name", "DX310", what, fix, "warning"))

    def header(self, cells: list[Any]) -> tuple[list[Problem], bool]:
        """Map columns to ids; returns the problems and whether rows can be read at all."""
        problems: list[Problem] = []
        where = self.index
        for index, cell in enumerate(cells):
            try:
                _readable(cell)
            except CellError as exc:
                problems.append(self.problem(1, index, "?", exc.code, exc.what, exc.fix))
                continue
            key = _text(cell)
            if not key:
                continue
            key = key.lower() if key.lower() in FIXED + PART_COLUMNS + SHARING else key
            if key in where:
                first = column_letter(where[key] + 1)
                problems.append(
                    self.problem(1, index, key, "DX201", msg("cell.column_twice", first=first), msg("cell.delete_one"))
                )
                continue
            if key not in FIXED and key not in PART_COLUMNS and key not in SHARING and key not in self.questions:
                import difflib

                near = difflib.get_close_matches(key[:100], list(self.questions) + list(FIXED), n=1)
                fix = msg("cell.did_you_mean", near=near[0]) if near else msg("cell.fix_column")
                shown = key if len(key) <= 60 else key[:60] + "…"
                what = msg("cell.not_a_column", key=shown, questionnaire=self.q.id, version=self.q.version)
                problems.append(self.problem(1, index, shown, "DX302", what, fix))
                continue
            where[key] = index
            self.columns[index] = key
        missing = [k for k in REQUIRED if k not in where]
        if missing:
            what = msg("sheet.header_missing", missing=", ".join(missing))
            problems.append(Problem(self.name, 1, 1, "error", "DX102", what))
        return problems, not missing

    def unfilled(self, cells: list[Any]) -> bool:
        """Whether only the cells `template` fills are filled (a municipality's code and name with
        `--prefecture`, a part's name and respondent): nobody has answered in this row (each
        municipality returns the whole pre-filled sheet with its own row filled in)."""
        filled = {key for index, key in self.columns.items() if index < len(cells) and not _blank([cells[index]])}
        return bool(filled & {"code", "part", "respondent"}) and filled <= PREFILLED

    def row(self, line: int, cells: list[Any]) -> SheetRow:
        result = SheetRow(f"{self.name}:{line}", line, columns=self.index, path=self.name)
        fixed: dict[str, Any] = {}
        answers: dict[str, Any] = {}
        warnings: list[Problem] = []
        sharing: dict[str, Any] = {}
        for index, key in self.columns.items():
            value = cells[index] if index < len(cells) else None
            if isinstance(value, str) and not isinstance(value, _Literal):
                value = _BOOLEAN_FORMULAS.get(value.upper(), value)
            try:
                _readable(value)
                if _is_formula(value):
                    raise CellError("DX100", msg("cell.formula", formula=str(value)[:30]), msg("cell.formula_fix"))
                if key in PART_COLUMNS:
                    fixed[key] = re.sub(r"\s+", " ", _text(value)) or None
                elif key in FIXED:
                    fixed[key] = parse_fixed(key, value)
                elif key in SHARING:
                    sharing.update(parse_sharing(key, value))
                else:
                    answer = parse_answer(self.questions[key], value)
                    if answer is not None:
                        answers[key] = answer
                    doubt = fraction_warning(self.questions[key], value, answer)
                    if doubt:
                        warnings.append(self.problem(line, index, key, "DX313", *doubt, severity="warning"))
            except CellError as exc:
                result.problems.append(self.problem(line, index, key, exc.code, exc.what, exc.fix))
        code = fixed.get("code")
        index = self.index.get("code", 0)
        if code:
            self.register_problems(line, fixed, result)
        if code and fixed.get("prefecture") and fixed["prefecture"] != lgcode.prefecture_of(code):
            what = msg(
                "cell.prefecture", prefecture=fixed["prefecture"], code=code, expected=lgcode.prefecture_of(code)
            )
            fix = msg("cell.prefecture_fix")
            result.problems.append(
                self.problem(line, self.index.get("prefecture", 0), "prefecture", "DX306", what, fix)
            )
        result.questions = tuple(k for k in self.columns.values() if k in self.questions)
        if code:
            result.code = code
            if self.unique and code in self.seen:
                what, fix = msg("cell.code_twice", code=code, other=self.seen[code]), msg("cell.code_twice_fix")
                result.problems.append(self.problem(line, index, "code", "DX201", what, fix))
            else:
                self.seen[code] = result.source
        result.problems.sort(key=lambda p: p.col)
        failed = bool(result.problems)
        result.warnings += warnings
        if not failed:
            fixed["prefecture"] = fixed.get("prefecture") or lgcode.prefecture_of(str(code))
            municipality = {k: fixed[k] for k in ("code", "name", "prefecture", "population")}
            questionnaire = {"id": self.q.id, "version": self.q.version}
            result.data = dict(questionnaire=questionnaire, municipality=municipality, assessed=fixed["assessed"])
            result.data["answers"] = answers
            part = self.part(fixed, result.questions)
            if part:
                result.data["part"] = part
            if "named" in sharing:  # a contact alone is no consent
                result.data["sharing"] = sharing
        return result

    def part(self, fixed: dict[str, Any], questions: tuple[str, ...]) -> dict[str, Any] | None:
        """The row's part of a team assessment, for a sheet with the `part` or `respondent` column:
        its `part` cell, else the selection its question columns make (else the sheet's file
        name), and the `respondent` cell. None for a sheet without those columns."""
        from dxassess import parts

        if not any(k in self.index for k in PART_COLUMNS):
            return None
        selection = parts.selection_of(self.q, questions)
        domains, owners = selection or ([], [])
        name = fixed.get("part") or (parts.default_name(domains, owners) if selection else self.path.stem)
        found = {"name": name[:100], "domains": domains, "owners": owners, "respondent": fixed.get("respondent")}
        return {k: v for k, v in found.items() if v}


def _readable(value: Any) -> None:
    """Refuse a cell that is too long or that could not be decoded, before anything reads it."""
    if isinstance(value, str) and len(value) > MAX_CELL:
        raise CellError("DX100", msg("cell.too_long", length=len(value), limit=MAX_CELL), msg("cell.too_long_fix"))
    if isinstance(value, _Undecodable):
        raise CellError("DX002", msg("cell.not_utf8"), msg("cell.not_utf8_fix"))


def _blank(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def read_sheet(
    path: Path | str,
    questionnaire: Questionnaire,
    seen: dict[str, str] | None = None,
    unfilled: list[str] | None = None,
    unique_codes: bool = True,
) -> Iterator[SheetRow]:
    """Every municipality row of a sheet, one at a time. Never raises for a bad sheet: a sheet
    that cannot be read, or a bad header, comes as a SheetRow with problems (line 0 or 1). Pass
    the same `seen` dict to several calls to reject a code repeated across sheets;
    `unique_codes=False` lets a code repeat (rows of one municipality are parts to merge). Rows
    that hold only what `template --prefecture` pre-fills (nobody answered) are skipped;
    `unfilled` collects where they are ("sheet.xlsx:5")."""
    path = Path(path)
    try:
        reader = _Reader(path, questionnaire, {} if seen is None else seen, unique_codes)
        yield from _rows(path, reader, [] if unfilled is None else unfilled)
    except InputError as exc:
        yield SheetRow(
            str(path), 0, problems=[Problem(str(path), 0, 0, "error", exc.code, Msg(exc.message, exc.text("ja")))]
        )
    except UnicodeDecodeError:  # a byte-order mark, then bytes that are not UTF-8
        what = msg("sheet.bad_utf8_after_bom")
        yield SheetRow(str(path), 0, problems=[Problem(str(path), 0, 0, "error", "DX002", what)])
    except csv.Error as exc:
        what = msg("sheet.bad_csv", error=exc)
        yield SheetRow(str(path), 0, problems=[Problem(str(path), 0, 0, "error", "DX009", what)])


def _rows(path: Path, reader: _Reader, unfilled: list[str]) -> Iterator[SheetRow]:
    rows = enumerate(raw_rows(path), start=1)
    first = next(rows, None)
    if first is None:
        yield SheetRow(f"{path}:1", 1, problems=[Problem(str(path), 1, 1, "error", "DX010", msg("sheet.empty"))])
        return
    problems, readable = reader.header(first[1])
    if problems:
        yield SheetRow(f"{path}:1", 1, problems=problems)
    if not readable:
        return
    code_index = reader.index.get("code", 0)
    for line, cells in rows:
        if line > MAX_ROWS:
            what = msg("sheet.too_many_rows", limit=MAX_ROWS)
            yield SheetRow(f"{path}:{line}", line, problems=[Problem(str(path), line, 1, "error", "DX001", what)])
            return
        if _blank(cells):
            continue
        if line == 2 and code_index < len(cells) and not _looks_like_code(cells[code_index]):
            continue  # the row of Japanese labels
        if reader.unfilled(cells):
            unfilled.append(f"{path}:{line}")
            continue
        yield reader.row(line, cells)


def _looks_like_code(value: Any) -> bool:
    """False for the label `団体コード` of row 2; True for a code, even a wrong one, or nothing."""
    text = lgcode.normalise(_text(value))
    return isinstance(value, (int, float)) or not text or text.isdigit()
