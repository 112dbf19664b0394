"""Blank answer sheets (CSV, XLSX, YAML) for municipalities, answer files from sheet rows, and
`safe_cell` (from `sheets.cells`), which keeps input text from ever starting a spreadsheet formula."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from dataclasses import dataclass, field
from typing import Any

from dxassess.answerfile import flow
from dxassess.model import ChoiceQuestion, NumericQuestion, Part, Questionnaire, ScaleQuestion, YesNoQuestion
from dxassess.sheets.cells import put_text, safe_cell
from dxassess.text import pick, text


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


SHARING_LABELS = {  # optional columns after the questions (issue 22)
    "sharing_named": "同規模団体への団体名の公表（任意）",
    "sharing_contact": "問い合わせ先（課名。任意）",
}


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
    asks: str = ""  # the question in the sheet's language (the title of the input help)


def _flat(text: str) -> str:
    return " ".join(str(text).split())


def option_labels(question: ChoiceQuestion, lang: str) -> tuple[str, ...] | None:
    """The options as a drop-down offers them in `lang` (import reads a label or a key back to
    its key); None where labels cannot stand for the options (two alike, or one that reads as
    a key of another option or as a skip / N/A word)."""
    import unicodedata

    labels = tuple(_flat(pick(o.label, lang)) for o in question.options)
    folded = [unicodedata.normalize("NFKC", label).casefold() for label in labels]
    taken = {o.key.casefold() for o in question.options} | set(words(lang).values()) | {"na", "skip"}
    if len(set(folded)) != len(folded) or any(f in taken for f in folded) or not all(folded):
        return None
    return labels


def _accepted(
    question: Any, lang: str, drop_down: bool = False
) -> tuple[str, tuple[str, ...], tuple[float, float, bool] | None]:
    word = words(lang)
    tail = (word["skip"],) + ((word["na"],) if question.na_allowed else ())
    if isinstance(question, ScaleQuestion):
        return text("sheet.accept_level", lang), tuple(str(n) for n in range(6)) + tail, None
    if isinstance(question, YesNoQuestion):
        return f"{word['yes']} / {word['no']}", (word["yes"], word["no"]) + tail, None
    if isinstance(question, ChoiceQuestion):
        labels = option_labels(question, lang) if drop_down and lang == "ja" else None
        if labels:  # a Japanese workbook offers the Japanese labels in its drop-down
            return text("sheet.accept_choice_list", lang), labels + tail, None
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


def columns(q: Questionnaire, lang: str, part: Part | None = None, drop_down: bool = False) -> list[Column]:
    """The template's columns: the five municipality columns, then one per question; for a part
    of a team assessment, its questions only, then `part` and `respondent`; for the whole
    assessment, the two optional sharing columns (consent to be named to peers, and the
    contact). With `drop_down` (a workbook), a Japanese sheet lists choice options by their labels."""
    from dxassess.parts import part_questions

    other = next((x for x in q.languages if x != lang), None)
    cols = [Column(key, FIXED_LABELS[key], text(f"sheet.hint_{key}", lang)) for key in FIXED_LABELS]
    mine = set(part_questions(q, part))
    for domain in q.domains:
        for question in domain.questions:
            if question.id not in mine:
                continue
            hint, choices, bounds = _accepted(question, lang, drop_down)
            extra = [_flat(pick(question.text, other))] if other and question.text.get(other) else []
            levels = _levels(question, q, lang)
            if levels:
                extra.append(levels)
            label = _flat(pick(question.text, "ja"))
            help_text = _flat(pick(question.help, lang))
            asks = _flat(pick(question.text, lang))
            cols.append(Column(question.id, label, hint, help_text, choices, bounds, domain.id, extra, asks))
    if part is not None:
        cols.append(
            Column(
                "part", text("sheet.label_part", "ja", name=part.name), text("sheet.hint_part", lang, name=part.name)
            )
        )
        cols.append(Column("respondent", text("sheet.label_respondent", "ja"), text("sheet.hint_respondent", lang)))
    else:  # consent is the municipality's, not a part's
        word = words(lang)
        cols.append(
            Column(
                "sharing_named",
                SHARING_LABELS["sharing_named"],
                text("sheet.hint_sharing_named", lang),
                choices=(word["yes"], word["no"]),
            )
        )
        cols.append(
            Column("sharing_contact", SHARING_LABELS["sharing_contact"], text("sheet.hint_sharing_contact", lang))
        )
    return cols


# --- CSV ------------------------------------------------------------------------------------


Prefilled = dict[str, Any]  # a row of a pre-filled template: {code, name, prefecture, population?}


def prefilled_rows(entries: Any) -> list[Prefilled]:
    """The rows of a template pre-filled with municipalities of the register: code, name,
    prefecture, and the population where the register has one."""
    return [{"code": e.code, "name": e.name, "prefecture": e.prefecture, "population": e.population} for e in entries]


def _with_part(rows: list[Prefilled] | None, part: Part | None) -> list[Prefilled]:
    """The pre-filled rows, each carrying a part's name and respondent; a part's blank template
    gets one row holding only those, for the first municipality to fill in (the reader skips a
    row that holds nothing else, as it skips pre-filled rows nobody answered)."""
    if part is None:
        return list(rows or [])
    own = {"part": part.name, "respondent": part.respondent}
    return [{**row, **own} for row in rows] if rows else [own]


def csv_template(q: Questionnaire, lang: str, part: Part | None = None, rows: list[Prefilled] | None = None) -> bytes:
    """Row 1 ids, row 2 Japanese labels, then the pre-filled `rows` (one per municipality);
    UTF-8 with BOM so spreadsheet software shows Japanese."""
    cols = columns(q, lang, part)
    rows = _with_part(rows, part)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(c.id) for c in cols])
    writer.writerow([safe_cell(f"{c.label} ［{c.hint}］" if c.domain else c.label) for c in cols])
    for row in rows or []:
        writer.writerow([safe_cell(str(row.get(c.id) if row.get(c.id) is not None else "")) for c in cols])
    return out.getvalue().encode("utf-8-sig")


# --- XLSX -----------------------------------------------------------------------------------

INPUT_FILL = "FFF4CC"  # light yellow: the cells to fill in
ID_FILL = "1F4E79"
LABEL_FILLS = ("DDEBF7", "E2EFDA")  # alternate per domain
FIXED_FILL = "EDEDED"
WIDTHS = {"code": 15, "name": 16, "prefecture": 15, "population": 14, "assessed": 14}
LAST_ROW = 1048576
PRINT_ROWS = 5  # blank rows of the printed form
QUESTIONS_PER_PAGE = 8


def _comment_text(col: Column, lang: str) -> str:
    lines = [col.label, *col.extra, text("sheet.comment_answer", lang, hint=col.hint)]
    if col.help:
        lines.append(text("sheet.comment_help", lang, help=col.help))
    return "\n".join(lines)


def _list_formula(choices: tuple[str, ...], book: Any, letter: str) -> str:
    """An inline list; a long one (Excel allows 255 characters), or one whose entries hold a
    comma or a quote (the separators of an inline list), goes to a hidden `lists` sheet."""
    inline = '"' + ",".join(choices) + '"'
    if len(inline) <= 255 and not any("," in c or '"' in c for c in choices):
        return inline
    sheet = book["lists"] if "lists" in book.sheetnames else book.create_sheet("lists")
    sheet.sheet_state = "hidden"
    for row, choice in enumerate(choices, start=1):
        put_text(sheet[f"{letter}{row}"], choice)
    return f"lists!${letter}$1:${letter}${len(choices)}"


def _validation(col: Column, letter: str, lang: str, book: Any, part_name: str | None = None) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    if col.choices:
        dv = DataValidation(type="list", formula1=_list_formula(col.choices, book, letter), allow_blank=True)
        if sum(len(c) for c in col.choices) > 120:  # long labels: the list itself says it
            dv.error = text("sheet.choose_from_list", lang)
        else:
            dv.error = text("sheet.choose_one_of", lang, choices=", ".join(col.choices))
        dv.errorStyle = "warning"  # an option key typed or pasted in is still read
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
    elif col.id == "part" and part_name:  # one choice: the part's own name
        dv = DataValidation(type="list", formula1=_list_formula((part_name,), book, letter), allow_blank=True)
        dv.errorStyle, dv.error = "warning", col.hint
    else:
        return None
    dv.showErrorMessage = dv.showInputMessage = True
    dv.errorTitle = "dxassess"
    title = col.asks or col.label
    dv.promptTitle = _cut(title, 32)  # Excel's limit for the title of an input message
    lines = ([title] if len(title) > 32 else []) + [col.hint] + ([col.help] if col.help else [])
    dv.prompt = _cut("\n".join(lines), 255)
    dv.error = _cut(dv.error, 255)
    dv.add(f"{letter}3:{letter}{LAST_ROW}")
    return dv


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, ending in … when cut (between words in Latin text)."""
    from unicodedata import east_asian_width

    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    latin = not any(east_asian_width(c) in "WF" for c in cut)
    if latin and " " in cut and text[limit - 1] != " ":
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


def xlsx_template(q: Questionnaire, lang: str, part: Part | None = None, rows: list[Prefilled] | None = None) -> bytes:
    """The answer sheet: ids, Japanese labels with help as comments, lists, frozen headers; the
    pre-filled `rows` (one per municipality) from row 3."""
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    cols = columns(q, lang, part, drop_down=True)
    rows = _with_part(rows, part)
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
        dv = _validation(col, letter, lang, book, part.name if part else None)
        if dv is not None:
            ws.add_data_validation(dv)
    for r, row in enumerate(rows or [], start=3):
        for index, col in enumerate(cols, start=1):
            value = row.get(col.id)
            if isinstance(value, str):
                put_text(ws.cell(r, index), value)  # codes stay text, with their leading zero
            elif value is not None:
                ws.cell(r, index, value)
    ws.row_dimensions[1].height = 18
    # Calc does not fit rows to wrapped text when it opens a workbook: heights are set here, from
    # the longest label (checked against Calc's own layout in the tests).
    label_lines = max(
        (_lines(c.label, WIDTHS.get(c.id, 24), 10) + _lines(c.hint, WIDTHS.get(c.id, 24), 9)) for c in cols
    )
    ws.row_dimensions[2].height = LINE_HEIGHT * label_lines + 4
    ws.freeze_panes = "C3"
    ws.print_title_rows = "1:2"
    printed = max(PRINT_ROWS, len(rows or []))
    ws.print_area = f"A1:{get_column_letter(len(cols))}{2 + printed}"  # a printed form
    _a4_landscape(ws)
    # about eight questions to a page across; a blank form one page tall, pre-filled rows as many
    # pages as they need
    ws.page_setup.fitToWidth = -(-len(cols) // QUESTIONS_PER_PAGE)
    ws.page_setup.fitToHeight = 0 if len(rows or []) > PRINT_ROWS else 1
    _guide(guide, q, cols, lang, part)
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
LINE_HEIGHT = 16  # points per line of wrapped 10–11 pt Japanese text in Calc (Noto Sans CJK)


def _lines(text: str, width: float, size: float = 11) -> int:
    """Lines a cell `width` characters wide needs for `text` wrapped, generously: a Japanese
    character takes about 2 width units at 11 pt, a Latin one 1 (clipped text is worse than
    white space; Calc and Excel do not fit the row when they open the file)."""
    from unicodedata import east_asian_width

    scale = size / 11
    total = 0
    for part in str(text).split("\n"):
        units = sum(1.9 if east_asian_width(c) in "WF" else 1.0 for c in part) * scale
        total += 1 + int(units / max(width - 1.5, 1))
    return total


def _guide(ws: Any, q: Questionnaire, cols: list[Column], lang: str, part: Part | None = None) -> None:
    """A second sheet explaining every column; import reads only the first sheet."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    put_text(ws.cell(1, 1), f"{pick(q.title, lang)} ({q.id} {q.version})").font = Font(bold=True, size=13)
    steps = [text(f"sheet.guide_{i}", lang) for i in (1, 2, 3)]
    ws.row_dimensions[1].height = 24
    if part is not None:
        count = sum(1 for c in cols if c.domain)
        steps.append(text("sheet.guide_part", lang, name=part.name, count=count))
    for i, step in enumerate(steps, start=2):
        ws.cell(i, 1, step)
        ws.row_dimensions[i].height = LINE_HEIGHT + 2
    heads = [text(f"sheet.head_{key}", lang) for key in ("column", "id", "question", "answer", "help")]
    top = len(steps) + 3
    for j, head in enumerate(heads, start=1):
        cell = ws.cell(top, j, head)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=ID_FILL)
    for i, col in enumerate(cols, start=1):
        values = [get_column_letter(i), col.id, "\n".join([col.label, *col.extra]), col.hint, col.help]
        for j, value in enumerate(values, start=1):
            put_text(ws.cell(top + i, j), value).alignment = Alignment(wrap_text=True, vertical="top")
        lines = max(_lines(str(v), width) for v, width in zip(values, GUIDE_WIDTHS))
        ws.row_dimensions[top + i].height = LINE_HEIGHT * lines + 2
    for letter, width in zip("ABCDE", GUIDE_WIDTHS):
        ws.column_dimensions[letter].width = width
    _a4_landscape(ws)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # all five columns, as many pages as needed
    ws.print_title_rows = f"{top}:{top}"


def _a4_landscape(ws: Any) -> None:
    """Print setup of a template sheet: A4 landscape, scaled to fit (openpyxl's default is the
    printer's paper, Letter on many)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


# --- YAML -----------------------------------------------------------------------------------


def yaml_template(q: Questionnaire, lang: str, part: Part | None = None) -> str:
    """A blank answer file: every question as comments, its answer line commented out; for a
    part of a team assessment, its questions only and a `part` line to fill in."""
    word = words(lang)
    cols = [c for c in columns(q, lang, part) if c.domain]
    head = [
        f"# {pick(q.title, lang)} ({q.id} {q.version}) — {text('sheet.yaml_kind', lang)}",
        "#",
        *[f"# {text(f'sheet.yaml_{i}', lang)}" for i in (1, 2, 3, 4)],
    ]
    if part is not None:
        head.append(f"# {text('sheet.yaml_part', lang, name=part.name, count=len(cols))}")
    head.append(f"questionnaire: {flow({'id': q.id, 'version': q.version})}")
    if part is not None:
        selection = {"name": part.name, "domains": part.domains or None, "owners": [o.value for o in part.owners]}
        head.append(
            f"part: {flow({**selection, 'owners': selection['owners'] or None, 'respondent': part.respondent or ''})}"
        )
    head.append("municipality:")
    for key, blank in (("code", '""'), ("name", '""'), ("prefecture", ""), ("population", "")):
        pad = " " * (18 - len(key) - len(blank))
        hint = text(f"sheet.hint_{key}", lang)
        head.append(f"  {key}: {blank}{pad}# {FIXED_LABELS[key]}: {hint}")
    # quoted, so YAML 1.1 tools (js-yaml, PyYAML) read the date as text, as dxassess writes it
    head.append(f'assessed: ""          # {FIXED_LABELS["assessed"]}: {text("sheet.yaml_hint_assessed", lang)}')
    if part is None:
        head.append(
            f'# sharing: {{named: true, contact: ""}}  # {SHARING_LABELS["sharing_named"]}: '
            f"{text('sheet.hint_sharing_named', lang)}"
        )
    head.append("answers:")
    body: list[str] = []
    current = None
    for col in cols:
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
