"""Spreadsheets for consultants: blank templates out, filled sheets in (also for `batch`).

    from dxassess.sheets import read_sheet
    for row in read_sheet("answers.xlsx", questionnaire):
        if row.errors: ...                # each a Problem at the row and the 1-based column
        else: AnswerSheet.model_validate(row.data)   # row.problems may still hold warnings

Heavy modules (openpyxl, charset-normalizer) are imported only when a sheet is read or written.
"""

from dxassess.sheets.read import SheetRow, column_letter, read_sheet
from dxassess.sheets.write import csv_template, safe_cell, xlsx_template, yaml_template

__all__ = [
    "SheetRow",
    "column_letter",
    "csv_template",
    "read_sheet",
    "safe_cell",
    "xlsx_template",
    "yaml_template",
]
