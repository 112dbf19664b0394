"""Spreadsheet cells that never run as formulas: the one rule for text from an input that goes
into a CSV cell (`safe_cell`) or an XLSX cell (`put_text`, and `batch.xlsx`'s own writer)."""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
