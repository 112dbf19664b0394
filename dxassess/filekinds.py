"""Which inputs are spreadsheets, by the name of the file: one rule for every command."""

from __future__ import annotations

# .ods is not read, but it is taken as a sheet so the reader says to save it as .xlsx
SHEET_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".ods")


def is_sheet(path: object) -> bool:
    return str(path).lower().endswith(SHEET_SUFFIXES)
