"""Blank answer sheets (CSV, XLSX, YAML) for municipalities, answer files from sheet rows, and
`safe_cell`, which keeps input text from ever starting a spreadsheet formula."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from dataclasses import dataclass, field
from typing import Any

from dxassess.answerfile import flow
from dxassess.model import ChoiceQuestion, NumericQuestion, Questionnaire, ScaleQuestion, YesNoQuestion
from dxassess.text import pick, text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def words(lang: str) -> dict[str, str]:
    """The words a template offers for yes, no, N/A and skip, in `lang`."""
    return {key: text(f"sheet.word_{key}", lang) for key in ("yes", "no", "na", "skip")}


FIXED_LABELS = {  # row 2 is Japanese whatever the language (contract)
    "code": "団体コード（6桁）",
    "name": "団体名",
    "prefecture": "都道府県（空欄可）",
    "population": "人口",
    "assessed": "診断日",
}


def safe_cell(text: str) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula: a leading `'`."""
    text = str(text)
    return "'" + text if text.startswith(FORMULA_START) else text


def put_text(cell: Any, text: str) -> Any:
    """Store text in an openpyxl cell as an explicit string, never a formula."""
    cell.value = text
    if str(text).startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


@dataclass(frozen=True)
class Column:
    """One column of the template: its id, Japanese label, accepted values and help."""

    id: str
    label: str
    hint: str
    help: str = ""
    choices: tuple[str, ...] = ()  # a data-validation list
    bounds: tuple[float, float, bool] | None = None  # min, max, integer
    domain: str = ""
    extra: list[str] = field(default_factory=list)  # more lines for comments (other language)


def _flat(text: str) -> str:
    return " ".join(str(text).split())


def _accepted(question: Any, lang: str) -> tuple[str, tuple[str, ...], tuple[float, float, bool] | None]:
    word = words(lang)
    tail = (word["skip"],) + ((word["na"],) if question.na_allowed else ())
    if isinstance(question, ScaleQuestion):
        return text("sheet.accept_level", lang), tuple(str(n) for n in range(6)) + tail, None
    if isinstance(question, YesNoQuestion):
        return f"{word['yes']} / {word['no']}", (word["yes"], word["no"]) + tail, None
    if isinstance(question, ChoiceQuestion):
        keys = tuple(o.key for o in question.options)
        return text("sheet.accept_choice", lang, keys=" / ".join(keys)), keys + tail, None
    if isinstance(question, NumericQuestion):
        unit = pick(question.unit, lang)
        kind = text("sheet.accept_whole" if question.integer else "sheet.accept_number", lang)
        bounds = (question.min, question.max, question.integer)
        return f"{kind} {question.min:g}〜{question.max:g} {unit}".strip(), (), bounds
    return "", (), None


def _levels(question: Any, q: Questionnaire, lang: str) -> str:
    """What each answer means: `0 未着手 / 1 一部 …`, or `none = なし / …` for a choice."""
    if isinstance(question, ChoiceQuestion):
        return " / ".join(f"{o.key} = {_flat(pick(o.label, lang))}" for o in question.options)
    if not isinstance(question, ScaleQuestion) or question.scale not in q.scales:
        return ""
    parts = []
    for level in q.scales[question.scale].levels:
        override = question.levels.get(level.level)
        name = pick(override.label, lang) if override and override.label else pick(level.label, lang)
        parts.append(f"{level.level} {name}")
    return " / ".join(parts)


def columns(q: Questionnaire, lang: str) -> list[Column]:
    """The template's columns: the five municipality columns, then one per question."""
    other = next((x for x in q.languages if x != lang), None)
    cols = [Column(key, FIXED_LABELS[key], text(f"sheet.hint_{key}", lang)) for key in FIXED_LABELS]
    for domain in q.domains:
        for question in domain.questions:
            hint, choices, bounds = _accepted(question, lang)
            extra = [_flat(pick(question.text, other))] if other and question.text.get(other) else []
            levels = _levels(question, q, lang)
            if levels:
                extra.append(levels)
            label = _flat(pick(question.text, "ja"))
            cols.append(
                Column(question.id, label, hint, _flat(pick(question.help, lang)), choices, bounds, domain.id, extra)
            )
    return cols


# --- CSV ------------------------------------------------------------------------------------


def csv_template(q: Questionnaire, lang: str) -> bytes:
    """Row 1 ids, row 2 Japanese labels; UTF-8 with BOM so spreadsheet software shows Japanese."""
    cols = columns(q, lang)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(c.id) for c in cols])
    writer.writerow([safe_cell(f"{c.label} ［{c.hint}］" if c.domain else c.label) for c in cols])
    return out.getvalue().encode("utf-8-sig")


# --- XLSX -----------------------------------------------------------------------------------

INPUT_FILL = "FFF4CC"  # light yellow: the cells to fill in
ID_FILL = "1F4E79"
LABEL_FILLS = ("DDEBF7", "E2EFDA")  # alternate per domain
FIXED_FILL = "EDEDED"
WIDTHS = {"code": 15, "name": 16, "prefecture": 15, "population": 14, "assessed": 14}
LAST_ROW = 1048576
PRINT_ROWS = 15


def _comment_text(col: Column, lang: str) -> str:
    lines = [col.label, *col.extra, text("sheet.comment_answer", lang, hint=col.hint)]
    if col.help:
        lines.append(text("sheet.comment_help", lang, help=col.help))
    return "\n".join(lines)


def _list_formula(choices: tuple[str, ...], book: Any, letter: str) -> str:
    """An inline list; a long one (Excel allows 255 characters) goes to a hidden `lists` sheet."""
    inline = '"' + ",".join(choices) + '"'
    if len(inline) <= 255:
        return inline
    sheet = book["lists"] if "lists" in book.sheetnames else book.create_sheet("lists")
    sheet.sheet_state = "hidden"
    for row, choice in enumerate(choices, start=1):
        put_text(sheet[f"{letter}{row}"], choice)
    return f"lists!${letter}$1:${letter}${len(choices)}"


def _validation(col: Column, letter: str, lang: str, book: Any) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    if col.choices:
        dv = DataValidation(type="list", formula1=_list_formula(col.choices, book, letter), allow_blank=True)
        dv.error = text("sheet.choose_one_of", lang, choices=", ".join(col.choices))
    elif col.bounds:
        low, high, integer = col.bounds
        kind = "whole" if integer else "decimal"
        dv = DataValidation(type=kind, operator="between", formula1=f"{low:g}", formula2=f"{high:g}")
        dv.allow_blank, dv.errorStyle = True, "warning"  # still lets an officer type skip / 該当なし
        dv.error = col.hint
    elif col.id == "population":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="1", allow_blank=True)
        dv.error = col.hint
    elif col.id == "code":
        dv = DataValidation(type="textLength", operator="equal", formula1="6", allow_blank=True)
        dv.errorStyle, dv.error = "warning", col.hint
    else:
        return None
    dv.showErrorMessage = dv.showInputMessage = True
    dv.errorTitle = "dxassess"
    dv.promptTitle = col.id[:32]
    dv.prompt = (col.hint + ("\n" + col.help if col.help else ""))[:250]
    dv.error = dv.error[:250]
    dv.add(f"{letter}3:{letter}{LAST_ROW}")
    return dv


def xlsx_template(q: Questionnaire, lang: str) -> bytes:
    """The answer sheet: ids, Japanese labels with help as comments, lists, frozen headers."""
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    cols = columns(q, lang)
    book = Workbook()
    ws = book.active
    ws.title = text("sheet.answers_title", lang)
    guide = book.create_sheet(text("sheet.guide_title", lang))
    thin = Side(style="thin", color="A6A6A6")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    domains = list(dict.fromkeys(c.domain for c in cols))
    for index, col in enumerate(cols, start=1):
        letter = get_column_letter(index)
        head = put_text(ws.cell(1, index), col.id)
        head.font = Font(bold=True, color="FFFFFF", size=9)
        head.fill = PatternFill("solid", fgColor=ID_FILL)
        head.alignment = Alignment(horizontal="center", vertical="center", shrink_to_fit=True)
        head.border = grid
        label = ws.cell(2, index)
        label.value = CellRichText(  # a rich string is never a formula
            TextBlock(InlineFont(b=True, sz=10), col.label),
            TextBlock(InlineFont(sz=9, color="595959"), f"\n［{col.hint}］"),
        )
        shade = FIXED_FILL if not col.domain else LABEL_FILLS[domains.index(col.domain) % 2]
        label.fill = PatternFill("solid", fgColor=shade)
        label.alignment = Alignment(wrap_text=True, vertical="top")
        label.border = grid
        comment = Comment(_comment_text(col, lang), "dxassess")
        comment.width, comment.height = 320, 200
        label.comment = comment
        dim = ws.column_dimensions[letter]
        dim.width = WIDTHS.get(col.id, 24)
        dim.fill = PatternFill("solid", fgColor=INPUT_FILL)
        dim.border = grid
        dim.number_format = "@" if col.id == "code" else ("yyyy-mm-dd" if col.id == "assessed" else "General")
        dv = _validation(col, letter, lang, book)
        if dv is not None:
            ws.add_data_validation(dv)
    ws.row_dimensions[1].height = 18
    ws.row_dimensions[2].height = 96
    ws.freeze_panes = "C3"
    ws.print_title_rows = "1:2"
    ws.print_area = f"A1:{get_column_letter(len(cols))}{2 + PRINT_ROWS}"  # a printed blank form
    ws.page_setup.orientation = "landscape"
    _guide(guide, q, cols, lang)
    return stable_xlsx(book)


def stable_xlsx(book: Any) -> bytes:
    """A workbook saved so the same content gives the same bytes: fixed document dates, and
    every zip entry dated 1980-01-01 (openpyxl stamps `modified` and the entries with the clock)."""
    import zipfile

    book.properties.creator = "dxassess"
    fixed_time = dt.datetime(2000, 1, 1)
    book.properties.created = book.properties.modified = fixed_time
    saved = io.BytesIO()
    _save_in_memory(book, saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl sets `modified` to now on saving
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
            dst.writestr(entry, data)
    return out.getvalue()


@functools.lru_cache(maxsize=1)
def _memory_writer() -> Any:
    """openpyxl's worksheet writer, building the sheet's XML in memory instead of a temporary
    file (which a file-size limit, a full temporary folder or a killed process would break or
    leave behind)."""
    from openpyxl.worksheet._writer import WorksheetWriter

    class InMemory(WorksheetWriter):
        def __init__(self, ws: Any, out: Any = None) -> None:
            super().__init__(ws, io.BytesIO() if out is None else out)

        def cleanup(self) -> None:  # nothing on disk to remove
            pass

    return InMemory


def in_memory(ws: Any) -> Any:
    """Give a write-only worksheet an in-memory writer. Call after setting its views (frozen
    panes), before the first row is appended."""
    ws._writer = _memory_writer()(ws)
    ws._writer.write_top()
    return ws


def _save_in_memory(book: Any, stream: Any) -> None:
    """`book.save(stream)` without temporary files: every worksheet is written in memory."""
    import zipfile

    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
    from openpyxl.writer.excel import ExcelWriter

    class Writer(ExcelWriter):
        def write_worksheet(self, ws: Any) -> None:  # as openpyxl's, with an in-memory writer
            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            if self.workbook.write_only:
                if not ws.closed:
                    ws.close()
                writer = ws._writer
            else:
                writer = _memory_writer()(ws)
                writer.write()
            ws._rels = writer._rels
            entry = zipfile.ZipInfo(ws.path[1:], date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o100600 << 16  # as when openpyxl added its temporary file: same bytes
            self._archive.writestr(entry, writer.read())
            self.manifest.append(ws)

    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        Writer(book, archive).save()


GUIDE_WIDTHS = (7, 30, 60, 30, 50)


def _lines(text: str, width: int) -> int:
    """Lines a wrapped cell needs, generously (in LibreOffice a Japanese character takes about 1.5
    width units, a Latin one 0.8; clipped text is worse than white space)."""
    from unicodedata import east_asian_width

    units = [sum(1.7 if east_asian_width(c) in "WF" else 0.9 for c in part) for part in text.split("\n")]
    return sum(1 + int(u / width) for u in units)


def _guide(ws: Any, q: Questionnaire, cols: list[Column], lang: str) -> None:
    """A second sheet explaining every column; import reads only the first sheet."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    put_text(ws.cell(1, 1), f"{pick(q.title, lang)} ({q.id} {q.version})").font = Font(bold=True, size=13)
    steps = [text(f"sheet.guide_{i}", lang) for i in (1, 2, 3)]
    for i, step in enumerate(steps, start=2):
        ws.cell(i, 1, step)
    heads = [text(f"sheet.head_{key}", lang) for key in ("column", "id", "question", "answer", "help")]
    top = len(steps) + 3
    for j, head in enumerate(heads, start=1):
        cell = ws.cell(top, j, head)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=ID_FILL)
    for i, col in enumerate(cols, start=1):
        values = [get_column_letter(i), col.id, "\n".join([col.label, *col.extra]), col.hint, col.help]
        for j, value in enumerate(values, start=1):
            put_text(ws.cell(top + i, j), value).alignment = Alignment(wrap_text=True, vertical="top")
        lines = max(_lines(str(v), width) for v, width in zip(values[2:], GUIDE_WIDTHS[2:]))
        ws.row_dimensions[top + i].height = 15 * lines + 2
    for letter, width in zip("ABCDE", GUIDE_WIDTHS):
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation, ws.page_setup.fitToHeight = "landscape", 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


# --- YAML -----------------------------------------------------------------------------------


def yaml_template(q: Questionnaire, lang: str) -> str:
    """A blank answer file: every question as comments, its answer line commented out."""
    word = words(lang)
    head = [
        f"# {pick(q.title, lang)} ({q.id} {q.version}) — {text('sheet.yaml_kind', lang)}",
        "#",
        *[f"# {text(f'sheet.yaml_{i}', lang)}" for i in (1, 2, 3, 4)],
        f"questionnaire: {flow({'id': q.id, 'version': q.version})}",
        "municipality:",
    ]
    for key, blank in (("code", '""'), ("name", '""'), ("prefecture", ""), ("population", "")):
        pad = " " * (18 - len(key) - len(blank))
        hint = text(f"sheet.hint_{key}", lang)
        head.append(f"  {key}: {blank}{pad}# {FIXED_LABELS[key]}: {hint}")
    head.append(f"assessed:             # {FIXED_LABELS['assessed']}: {text('sheet.hint_assessed', lang)}")
    head.append("answers:")
    body: list[str] = []
    current = None
    for col in columns(q, lang)[5:]:
        if col.domain != current:
            current = col.domain
            domain = next(d for d in q.domains if d.id == current)
            body += ["", f"  # ── {domain.id}: {_flat(pick(domain.title, lang))} ──"]
        question = q.question_map()[col.id]
        hint = text("sheet.accept_yes_no_yaml", lang) if col.choices[:1] == (word["yes"],) else col.hint
        body += ["  #", f"  # {col.id}  [{hint}]", f"  #   {_flat(pick(question.text, lang))}"]
        body += [f"  #   {_flat(line)}" for line in col.extra if _flat(line) != _flat(pick(question.text, lang))]
        if col.help:
            body.append(f"  #   {text('sheet.yaml_help', lang)}: {col.help}")
        if question.na_allowed:
            body.append(f"  #   {word['na']}: {{na: true}}")
        body.append(f"  # {col.id}: {{value: }}")
    return "\n".join(head + body) + "\n"
