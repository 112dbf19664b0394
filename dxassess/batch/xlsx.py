"""summary.xlsx, written directly as SpreadsheetML: a few sheets of plain values with a bold
header row (and frozen panes), which is all the summary needs, at a fraction of openpyxl's cost
(a re-run after one change rewrites it in well under the second it has).

Text is always an inline string, never a formula; text that a spreadsheet would take for the
start of a formula (`FORMULA_START`) also gets the quote-prefix style, as `sheets.write.put_text`
gives it. The bytes are deterministic: fixed zip dates, fixed order.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from dxassess.sheets.write import FORMULA_START

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


# Styles: 0 plain, 1 bold (header), 2 quote prefix (text that looks like a formula).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _cell(ref: str, value: Any, style: int = 0) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        s = f' s="{style}"' if style else ""
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    text = str(value)
    if not style and text.startswith(FORMULA_START):
        style = 2
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{s}><is><t{space}>{_text(text)}</t></is></c>'


def sheet_xml(header: Sequence[str], rows: Iterable[Sequence[Any]], freeze: str | None = None) -> str:
    """One worksheet: the header row in bold, then the rows; `freeze` ("C2") freezes the panes
    above and left of that cell."""
    columns = [_column(i) for i in range(len(header))]
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    ]
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
    out.append("<sheetData>")
    out.append('<row r="1">' + "".join(_cell(f"{c}1", h, 1) for c, h in zip(columns, header)) + "</row>")
    for r, row in enumerate(rows, start=2):
        out.append(f'<row r="{r}">' + "".join(_cell(f"{c}{r}", v) for c, v in zip(columns, row)) + "</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


def workbook(sheets: Sequence[tuple[str, str]]) -> bytes:
    """An .xlsx of the given (name, worksheet XML) pairs."""
    names = "".join(
        f'<sheet name="{_text(name)}" sheetId="{i}" r:id="rId{i}"/>' for i, (name, _) in enumerate(sheets, start=1)
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
            f"<sheets>{names}</sheets></workbook>",
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
