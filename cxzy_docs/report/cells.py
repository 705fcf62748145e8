"""Spreadsheet cells from record data: numbers stay numbers, every text is a string cell, never a formula."""

from __future__ import annotations

from typing import Any

from cxzy_docs.xlsxsafe import put_text


def put(cell: Any, value: Any) -> Any:
    """Write ``value`` into an openpyxl cell (normal or write-only) through :func:`put_text`."""
    if value is None or value == "":
        return cell  # an empty cell, not an empty string
    if isinstance(value, int) and not isinstance(value, bool):
        cell.value = value
        return cell
    return put_text(cell, value)
