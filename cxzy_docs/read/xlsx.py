"""XLSX workbook -> Grid: every sheet a table, merged ranges as one cell with spans, values as text."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import warnings
from pathlib import Path
from typing import Any

from cxzy_docs.errors import ReadError
from cxzy_docs.read.grid import Cell, Grid
from cxzy_docs.read.safezip import SafeZip, has_doctype, open_zip
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


_XML_PARTS = (".xml", ".rels", ".vml")
MAX_SHEETS = 32  # sheets listed in the workbook (a book has one; a ledger a few)
_SHEET = re.compile(rb"<(?:\w+:)?sheet\s")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_SHARED = re.compile(rb"<(?:\w+:)?si[\s>/]")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Za-z]{1,3})(\d{1,7}):([A-Za-z]{1,3})(\d{1,7})"')


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def check_parts(zf: SafeZip, settings: ReadSettings) -> None:
    """Refuse a workbook openpyxl would choke on: DOCTYPEs, oversized parts, cell or merge floods.

    openpyxl makes an object for every cell of a merged range: one bordered cell merged over the
    whole sheet (a 4 KB file) would fill all memory. Cells, shared strings and merged cells of the
    workbook are each bounded by ``sheet_max_rows`` x ``sheet_max_cols``.
    """
    name = zf.file
    limit = settings.sheet_max_rows * settings.sheet_max_cols
    budget = f"{settings.sheet_max_rows}×{settings.sheet_max_cols}（设置项 sheet_max_rows、sheet_max_cols）"
    cells = merged = 0
    sheets = len(_SHEET.findall(zf.read("xl/workbook.xml")))
    if sheets > MAX_SHEETS:
        raise ReadError(f"工作簿列出 {sheets} 个工作表，超过上限 {MAX_SHEETS}，不像写实簿，拒绝读取", file=name)
    for part in zf.names():
        if not part.lower().endswith(_XML_PARTS):
            continue
        if zf.declared_size(part) > settings.max_part_size:
            raise ReadError(f"部件 {part} 超过大小上限 {settings.max_part_size // 1024 // 1024} MB"
                            "（设置项 max_part_size），拒绝读取", file=name)
        if has_doctype(zf.head(part)):
            raise ReadError(f"部件 {part} 含有 DOCTYPE/实体声明，出于安全原因拒绝读取", file=name)
        if part.startswith("xl/worksheets/") or part == "xl/sharedStrings.xml":
            data = zf.read(part)
            if part == "xl/sharedStrings.xml":
                cells += len(_SHARED.findall(data))
            else:
                cells += len(_CELL.findall(data))
                for c0, r0, c1, r1 in _MERGE.findall(data):
                    merged += (abs(int(r1) - int(r0)) + 1) * (abs(_column(c1) - _column(c0)) + 1)
            if cells > 2 * limit:
                raise ReadError(f"单元格或文字条目超过 {2 * limit} 个，不像写实簿，拒绝读取（上限由 {budget} 决定）",
                                file=name)
            if merged > limit:
                raise ReadError(f"合并单元格共覆盖 {merged} 格，超过上限 {limit}（{budget}），拒绝读取", file=name)


def load_workbook(path: str | Path, settings: ReadSettings) -> Any:
    """An openpyxl workbook (cached values, never formulas), after the zip's sizes were checked."""
    import openpyxl

    name = str(path)
    with open_zip(path, what="XLSX", settings=settings) as zf:
        if not zf.has("xl/workbook.xml"):
            raise ReadError("不是 Excel 工作簿（缺少 xl/workbook.xml）", file=name)
        check_parts(zf, settings)
    try:
        # openpyxl warns about unsupported extensions, and print()s on a bad style index: neither
        # may reach the user's terminal or corrupt `cxzy parse --json` on stdout
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
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
        warn.append(f"工作表“{sheet_title(ws)}”有 {ws.max_row} 行，只读取前 {max_rows} 行（设置项 sheet_max_rows）")
    if ws.max_column > max_cols:
        warn.append(f"工作表“{sheet_title(ws)}”有 {ws.max_column} 列，只读取前 {max_cols} 列（设置项 sheet_max_cols）")
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
                grid.warnings.append(f"已跳过隐藏的工作表“{sheet_title(ws)}”")
                continue
            rows, warn = sheet_rows(ws, s)
            grid.warnings.extend(warn)
            if rows:
                grid.cells.extend(_sheet_cells(ws, rows, table))
                table += 1
    finally:
        wb.close()
    return grid


def sheet_title(ws: Any) -> str:
    """The sheet's name as shown in messages: at most 31 characters (Excel's own limit)."""
    return str(ws.title)[:31]


def _sheet_cells(ws: Any, rows: list[list[str]], table: int) -> list[Cell]:
    title = sheet_title(ws)
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
                              where=f"工作表“{title}” {_a1(r, c)}"))
    return cells


def _a1(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)}{row + 1}"
