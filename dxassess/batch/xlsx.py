"""summary.xlsx, written directly as SpreadsheetML: a few sheets of values with a header row
for people (bold, shaded, wrapped), number formats per column, dates as dates, widths, filters,
frozen panes and an A4 landscape print setup with the header on every page, which is all the
summary needs, at a fraction of openpyxl's cost (a re-run after one change rewrites it in well
under the second it has).

Text is always an inline string, never a formula; text that a spreadsheet would take for the
start of a formula (`FORMULA_START`) also gets the quote-prefix style, as `sheets.cells.put_text`
gives it. The bytes are deterministic: fixed zip dates, fixed order.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from dxassess.sheets.cells import FORMULA_START

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    return "_x005F_" if char == "_" else f"_x{ord(char):04X}_"


def _text(value: str) -> str:
    """Text for an XML element: escaped, characters XML cannot hold written as _xHHHH_ (and a
    literal `_xHHHH_` kept literal)."""
    value = _XML_ILLEGAL.sub(_escape_char, value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _column(n: int) -> str:
    name = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        name = chr(65 + r) + name
    return name


# Number formats a column may have, and the cell style of each (built-in ids, and one custom
# date format, 164). Styles: 0 plain, 1 header (bold, shaded, wrapped), 2 quote prefix (text that
# looks like a formula), then one per number format.
FORMATS = {"General": 0, "@": 49, "#,##0": 3, "0.00": 2, "0": 1, "0%": 9, "yyyy-mm-dd": 164}
_FORMAT_STYLE = {code: 3 + i for i, code in enumerate(list(FORMATS)[1:])}
_FORMAT_STYLE["General"] = 0
_XFS = "".join(
    f'<xf numFmtId="{FORMATS[code]}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    for code in list(FORMATS)[1:]
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    f'<cellXfs count="{3 + len(FORMATS) - 1}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>' + _XFS + "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_EPOCH = dt.date(1899, 12, 30)  # day 0 of a spreadsheet's date serial numbers


@dataclass(frozen=True)
class Layout:
    """How a sheet is laid out for people: column widths (characters) and number formats (keys
    of FORMATS), the header row's height (points)."""

    widths: Sequence[float]
    formats: Sequence[str]
    header_height: float = 46  # three lines of a wrapped domain title


def _cell(ref: str, value: Any, style: int = 0) -> str:
    kind = type(value)
    if kind is float or kind is int:  # most cells of a summary: as the general case below writes them
        return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>' if style else f'<c r="{ref}"><v>{value!r}</v></c>'
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{style}"><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        s = f' s="{style}"' if style else ""
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    text = str(value)
    if style != 1 and text.startswith(FORMULA_START):
        style = 2
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{s}><is><t{space}>{_text(text)}</t></is></c>'


def sheet_xml(
    header: Sequence[str], rows: Iterable[Sequence[Any]], freeze: str | None = None, layout: Layout | None = None
) -> str:
    """One worksheet: the header row, then the rows; `freeze` ("C2") freezes the panes above and
    left of that cell; `layout` gives widths and number formats, a filter on the header and an A4
    landscape page one page wide (the header row repeats on every page: `workbook` names it)."""
    columns = [_column(i) for i in range(len(header))]
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    ]
    if layout is not None:
        out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
    if freeze:
        match = re.fullmatch(r"([A-Z]+)(\d+)", freeze)
        assert match is not None
        x = sum((ord(c) - 64) * 26**i for i, c in enumerate(reversed(match.group(1)))) - 1
        y = int(match.group(2)) - 1
        split = (f' xSplit="{x}"' if x else "") + (f' ySplit="{y}"' if y else "")
        pane = "bottomRight" if x and y else ("bottomLeft" if y else "topRight")
        out.append(
            f'<sheetViews><sheetView workbookViewId="0"><pane{split} topLeftCell="{freeze}" activePane="{pane}" '
            f'state="frozen"/><selection pane="{pane}"/></sheetView></sheetViews>'
        )
    styles = [0] * len(columns)
    first = '<row r="1">'
    if layout is not None:
        out.append(
            "<cols>"
            + "".join(
                f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
                for i, w in enumerate(layout.widths, start=1)
            )
            + "</cols>"
        )
        styles = [_FORMAT_STYLE[f] for f in layout.formats]
        first = f'<row r="1" ht="{layout.header_height:g}" customHeight="1">'
    out.append("<sheetData>")
    out.append(first + "".join(_cell(f"{c}1", h, 1) for c, h in zip(columns, header)) + "</row>")
    last = 1
    for r, row in enumerate(rows, start=2):
        out.append(
            f'<row r="{r}">' + "".join(_cell(f"{c}{r}", v, s) for c, v, s in zip(columns, row, styles)) + "</row>"
        )
        last = r
    out.append("</sheetData>")
    if layout is not None:
        out.append(f'<autoFilter ref="A1:{columns[-1]}{max(last, 2)}"/>')
        out.append('<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
        out.append('<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>')
    out.append("</worksheet>")
    return "".join(out)


def workbook(sheets: Sequence[tuple[str, str]], print_titles: bool = False) -> bytes:
    """An .xlsx of the given (name, worksheet XML) pairs; `print_titles`: every sheet's first row
    is printed at the top of each page."""
    names = "".join(
        f'<sheet name="{_text(name)}" sheetId="{i}" r:id="rId{i}"/>' for i, (name, _) in enumerate(sheets, start=1)
    )
    defined = ""
    if print_titles:
        quoted = ["'" + _text(name).replace("'", "''") + "'" for name, _ in sheets]
        defined = (
            "<definedNames>"
            + "".join(
                f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{q}!$1:$1</definedName>'
                for i, q in enumerate(quoted)
            )
            + "</definedNames>"
        )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        f'Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    files = [
        (
            "[Content_Types].xml",
            head + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + overrides
            + "</Types>",
        ),
        (
            "_rels/.rels",
            head + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        ),
        (
            "xl/workbook.xml",
            head + '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{names}</sheets>{defined}</workbook>",
        ),
        (
            "xl/_rels/workbook.xml.rels",
            head
            + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + rels
            + f'<Relationship Id="rId{len(sheets) + 1}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            "</Relationships>",
        ),
        ("xl/styles.xml", _STYLES),
    ] + [(f"xl/worksheets/sheet{i}.xml", xml) for i, (_, xml) in enumerate(sheets, start=1)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            archive.writestr(entry, content.encode("utf-8"), compresslevel=1)
    return out.getvalue()
