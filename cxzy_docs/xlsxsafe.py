"""Strings from data written into spreadsheet cells as plain text, never as formulas.

openpyxl turns any string that starts with ``=`` into a formula and ``#N/A`` into an error
value; Excel and LibreOffice treat ``+ - @`` (and a leading tab or CR) as the start of a formula
when a person edits the cell or opens a CSV export. Every writer of sheets (record books,
ledgers, reports) puts data through :func:`put_text` (openpyxl) or :func:`cell_text` (any
writer, e.g. XlsxWriter's ``write_string``) and, for CSV, :func:`csv_text`.
"""

from __future__ import annotations

import re
from typing import Any

# Characters XML 1.0 cannot hold (openpyxl raises IllegalCharacterError on them).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Starts that a spreadsheet may read as a formula or a command (the "CSV injection" set).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Excel keeps at most this many characters in a cell; the rest is lost on opening.
MAX_CELL_CHARS = 32767
_CUT_MARK = "……（超出单元格容量，已截断）"


def cell_text(value: Any) -> str:
    """``value`` as a string a cell can hold: illegal control characters dropped, length capped."""
    text = "" if value is None else str(value)
    text = _ILLEGAL.sub("", text.replace("\r\n", "\n"))
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - len(_CUT_MARK)] + _CUT_MARK
    return text


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet could take ``text`` for a formula (``=1+1``, ``@SUM(A1)``, ``-2+3``)."""
    return text.startswith(FORMULA_STARTS)


def put_text(cell: Any, value: Any) -> Any:
    """Write ``value`` into an openpyxl cell as a string cell (``t="inlineStr"``), never a formula.

    A formula-like text also gets Excel's quote prefix (the hidden leading ``'``), so that
    editing the cell in Excel keeps it text. Works on normal and write-only cells; returns the cell.
    """
    text = cell_text(value)
    cell.value = text
    cell.data_type = "s"  # after the assignment: openpyxl infers 'f' for '=…' and 'e' for '#N/A'
    if looks_like_formula(text):
        cell.quotePrefix = True
    return cell


def csv_text(value: Any) -> str:
    """A CSV field that Excel opens as text: a formula-like start gets a leading ``'``."""
    text = cell_text(value)
    return "'" + text if looks_like_formula(text) else text
