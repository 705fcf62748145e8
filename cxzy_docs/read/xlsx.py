"""XLSX workbook -> Grid: every sheet a table, merged ranges as one cell with spans, values as text."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path
from typing import Any

from cxzy_docs.errors import ReadError
from cxzy_docs.read.grid import Cell, Grid
from cxzy_docs.read.safezip import open_zip
from cxzy_docs.read.settings import ReadSettings


def cell_value_text(value: Any, max_chars: int) -> str:
    """A cell value as the text a person sees: dates ISO, integral numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text[:max_chars]


def load_workbook(path: str | Path, settings: ReadSettings) -> Any:
    """An openpyxl workbook (cached values, never formulas), after the zip's sizes were checked."""
    import openpyxl

    name = str(path)
    with open_zip(path, what="XLSX", settings=settings) as zf:
        if not zf.has("xl/workbook.xml"):
            raise ReadError("不是 Excel 工作簿（缺少 xl/workbook.xml）", file=name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions, data validation
            return openpyxl.load_workbook(path, read_only=False, data_only=True, keep_links=False)
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(f"Excel 文件已损坏或无法解析（{exc.__class__.__name__}）", file=name) from None


def _used_extent(ws: Any, max_rows: int, max_cols: int) -> tuple[int, int]:
    """Last row and column holding a value or a merged range, bounded."""
    last_r = last_c = 0
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, max_rows), max_col=min(ws.max_column, max_cols)):
        for c in row:
            if c.value is not None and c.value != "":
                last_r = max(last_r, c.row)
                last_c = max(last_c, c.column)
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= max_rows and rng.min_col <= max_cols and rng.min_row <= last_r + 1:
            last_r = max(last_r, min(rng.max_row, max_rows))
            last_c = max(last_c, min(rng.max_col, max_cols))
    return last_r, last_c


def sheet_rows(ws: Any, settings: ReadSettings) -> tuple[list[list[str]], list[str]]:
    """A sheet's values as text rows (merged ranges: value in the top-left only), and warnings."""
    warn = []
    max_rows, max_cols = settings.sheet_max_rows, settings.sheet_max_cols
    if ws.max_row > max_rows:
        warn.append(f"工作表“{ws.title}”有 {ws.max_row} 行，只读取前 {max_rows} 行（设置项 sheet_max_rows）")
    if ws.max_column > max_cols:
        warn.append(f"工作表“{ws.title}”有 {ws.max_column} 列，只读取前 {max_cols} 列（设置项 sheet_max_cols）")
    last_r, last_c = _used_extent(ws, max_rows, max_cols)
    rows = []
    for row in ws.iter_rows(min_row=1, max_row=last_r, max_col=last_c):
        # an error value (#REF!, #N/A) is no data; a formula never cached reads as empty
        rows.append(["" if c.data_type == "e" else cell_value_text(c.value, settings.max_cell_chars) for c in row])
    return rows, warn


def read_xlsx(path: str | Path, *, settings: Any = None) -> Grid:
    """Read every visible sheet of a workbook as one table each (table index = sheet order)."""
    s = ReadSettings.resolve(settings)
    grid = Grid(source=str(path), format="xlsx")
    wb = load_workbook(path, s)
    try:
        table = 0
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                grid.warnings.append(f"已跳过隐藏的工作表“{ws.title}”")
                continue
            rows, warn = sheet_rows(ws, s)
            grid.warnings.extend(warn)
            if rows:
                grid.cells.extend(_sheet_cells(ws, rows, table))
                table += 1
    finally:
        wb.close()
    return grid


def _sheet_cells(ws: Any, rows: list[list[str]], table: int) -> list[Cell]:
    nrows, ncols = len(rows), len(rows[0]) if rows else 0
    covered: set[tuple[int, int]] = set()
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in ws.merged_cells.ranges:
        r0, c0 = rng.min_row - 1, rng.min_col - 1
        if r0 >= nrows or c0 >= ncols:
            continue
        r1, c1 = min(rng.max_row, nrows), min(rng.max_col, ncols)
        spans[(r0, c0)] = (r1 - r0, c1 - c0)
        for r in range(r0, r1):
            for c in range(c0, c1):
                if (r, c) != (r0, c0):
                    covered.add((r, c))
    cells = []
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            if (r, c) in covered:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            cells.append(Cell(text=text, table=table, row=r, col=c, rowspan=rowspan, colspan=colspan,
                              where=f"工作表“{ws.title}” {_a1(r, c)}"))
    return cells


def _a1(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)}{row + 1}"
