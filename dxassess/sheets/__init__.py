"""Spreadsheets for consultants: blank templates out, filled sheets in (also for `batch`).

    from dxassess.sheets import read_sheet
    for row in read_sheet("answers.xlsx", questionnaire):
        if row.errors: ...                # each a Problem at the row and the 1-based column
        else: AnswerSheet.model_validate(row.data)   # row.problems may still hold warnings

Heavy modules (openpyxl, charset-normalizer) are imported only when a sheet is read or written,
and the reader (with the checks it uses) only when a name of it is first used.
"""

from typing import TYPE_CHECKING

from dxassess.lazy import names

if TYPE_CHECKING:
    from dxassess.sheets.cells import safe_cell
    from dxassess.sheets.read import SheetRow, column_letter, read_sheet
    from dxassess.sheets.write import csv_template, xlsx_template, yaml_template

__getattr__ = names(
    __name__,
    {
        "SheetRow": "read",
        "column_letter": "read",
        "read_sheet": "read",
        "csv_template": "write",
        "safe_cell": "cells",
        "xlsx_template": "write",
        "yaml_template": "write",
    },
)

__all__ = [
    "SheetRow",
    "column_letter",
    "csv_template",
    "read_sheet",
    "safe_cell",
    "xlsx_template",
    "yaml_template",
]
