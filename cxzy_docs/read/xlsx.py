"""XLSX workbook -> Grid: every sheet a table, merged ranges as one cell with spans, values as text."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import posixpath
import re
import warnings
from pathlib import Path
from typing import Any

from cxzy_docs.errors import ReadError
from cxzy_docs.read.grid import Cell, Grid
from cxzy_docs.read.safezip import SafeZip, as_utf8, open_zip
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


MAX_SHEETS = 32  # sheets listed in a workbook part (a book has one; a ledger a few)
_W = rb"<(?:\w{1,32}:)?"  # an element start, with an optional (bounded) namespace prefix
_SHEET = re.compile(_W + rb"sheet\s")
_CELL = re.compile(_W + rb"c[\s>/]")
_SHARED = re.compile(_W + rb"si[\s>/]")
# ref="A1:B2" among at most 1 KB of other attributes, never past the next "<" (attributes cannot hold
# one): each try stops at the next tag, so a flood of "<mergeCell " is scanned once, in linear time
_REF = (
    rb"""\s[^<>]{0,1024}?\bref\s*=\s*["']\s*([A-Za-z]{1,3})(\d{1,7})(?::([A-Za-z]{1,3})(\d{1,7}))?\s*["']"""
)
_MERGE = re.compile(_W + rb"mergeCell" + _REF)
_HYPERLINK = re.compile(_W + rb"hyperlink" + _REF)  # openpyxl makes a cell for every coordinate of its ref
_WORKBOOK_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        "application/vnd.ms-excel.template.macroEnabled.main+xml",
    }
)
_SHEET_TYPES = ("worksheet+xml", "chartsheet+xml", "dialogsheet+xml")
_STRINGS_TYPE = "sharedStrings+xml"


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _area(c0: bytes, r0: bytes, c1: bytes, r1: bytes) -> int:
    if not c1:
        return 1
    return (abs(int(r1) - int(r0)) + 1) * (abs(_column(c1) - _column(c0)) + 1)


def _rels_path(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _attr(el: Any, name: str) -> str:
    return str(el.get(name) or "")


def package_parts(zf: SafeZip) -> tuple[list[str], set[str], set[str]]:
    """The workbook, worksheet and shared-string parts of a package, found as openpyxl finds them:
    through ``[Content_Types].xml`` (every workbook type it names, not only ``xl/workbook.xml``) and
    each workbook's relationships (a sheet may live anywhere, under any name)."""
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}
    if zf.has("[Content_Types].xml"):
        for el in zf.read_xml("[Content_Types].xml"):
            if not isinstance(el.tag, str):
                continue
            if el.tag.endswith("Override"):
                overrides[_attr(el, "PartName").lstrip("/")] = _attr(el, "ContentType")
            elif el.tag.endswith("Default"):
                defaults[_attr(el, "Extension").lower()] = _attr(el, "ContentType")
    workbooks = [p for p, t in overrides.items() if t in _WORKBOOK_TYPES]
    if not workbooks or any(t in _WORKBOOK_TYPES for t in defaults.values()):
        workbooks.append("xl/workbook.xml")
    sheets = {p for p, t in overrides.items() if t.endswith(_SHEET_TYPES)}
    strings = {p for p, t in overrides.items() if t.endswith(_STRINGS_TYPE)} | {"xl/sharedStrings.xml"}
    for name in zf.names():  # parts typed by their extension only
        t = defaults.get(name.rpartition(".")[2].lower(), "")
        if t.endswith(_SHEET_TYPES):
            sheets.add(name)
        elif t.endswith(_STRINGS_TYPE):
            strings.add(name)
    for wb in workbooks:
        rels = _rels_path(wb)
        if not zf.has(rels):
            continue
        folder = wb.rpartition("/")[0]
        for rel in zf.read_xml(rels):
            if not isinstance(rel.tag, str) or _attr(rel, "TargetMode") == "External":
                continue
            target = _attr(rel, "Target")
            path = posixpath.normpath(
                target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            )
            kind = _attr(rel, "Type").rpartition("/")[2]
            if kind in ("worksheet", "chartsheet", "dialogsheet"):
                sheets.add(path)
            elif kind == "sharedStrings":
                strings.add(path)
    present = set(zf.names())
    return [w for w in workbooks if w in present], sheets & present, strings & present


def check_parts(zf: SafeZip, settings: ReadSettings) -> None:
    """Refuse a workbook openpyxl would choke on: DOCTYPEs, oversized parts, cell or merge floods.

    openpyxl makes an object for every cell of a merged range and of a hyperlink's range: one
    bordered cell merged over the whole sheet (a 4 KB file) would fill all memory. Cells, shared
    strings and merged or linked cells of the workbook are each bounded by ``sheet_max_rows`` x
    ``sheet_max_cols``. The parts checked are those the package uses (content types and
    relationships), whatever their names; every entry is checked for a DOCTYPE. These are fast first
    refusals: the reading worker's memory and time bounds hold whatever gets past them.
    """
    name = zf.file
    limit = settings.sheet_max_rows * settings.sheet_max_cols
    budget = f"{settings.sheet_max_rows}×{settings.sheet_max_cols}（设置项 sheet_max_rows、sheet_max_cols）"
    for part in zf.names():
        if zf.declared_size(part) > settings.max_part_size:
            raise ReadError(
                f"部件 {part} 超过大小上限 {settings.max_part_size // 1024 // 1024} MB"
                "（设置项 max_part_size），拒绝读取",
                file=name,
            )
    zf.check_doctypes()
    workbooks, sheets, strings = package_parts(zf)
    listed = 0
    for wb in workbooks:
        count = len(_SHEET.findall(as_utf8(zf.read(wb))))
        listed += count
        if count > MAX_SHEETS or listed > MAX_SHEETS * 2:
            raise ReadError(
                f"工作簿部件 {wb} 列出 {count} 个工作表，超过上限 {MAX_SHEETS}，不像写实簿，拒绝读取",
                file=name,
            )
    if len(sheets) > MAX_SHEETS * 2:
        raise ReadError(f"工作簿有 {len(sheets)} 个工作表部件，超过上限，不像写实簿，拒绝读取", file=name)
    cells = merged = 0
    for part in sorted(strings) + sorted(sheets):
        data = as_utf8(zf.read(part))
        if part in strings:
            cells += len(_SHARED.findall(data))
        else:
            cells += len(_CELL.findall(data))
            for found in (*_MERGE.findall(data), *_HYPERLINK.findall(data)):
                merged += _area(*found)
        if cells > 2 * limit:
            raise ReadError(
                f"单元格或文字条目超过 {2 * limit} 个，不像写实簿，拒绝读取（上限由 {budget} 决定）",
                file=name,
            )
        if merged > limit:
            raise ReadError(
                f"合并单元格或超链接共覆盖 {merged} 格，超过上限 {limit}（{budget}），拒绝读取", file=name
            )


def load_workbook(path: str | Path, settings: ReadSettings) -> Any:
    """An openpyxl workbook (cached values, never formulas), after the zip's sizes were checked.

    The file is handed to openpyxl open, not by name: openpyxl refuses names not ending .xlsx, and
    the type was decided by content (an XLSX named .docx is read as the workbook it is).
    """
    import openpyxl

    name = str(path)
    with open_zip(path, what="XLSX", settings=settings) as zf:
        if not zf.has("xl/workbook.xml") and not package_parts(zf)[0]:
            raise ReadError("不是 Excel 工作簿（缺少 xl/workbook.xml）", file=name)
        check_parts(zf, settings)
    try:
        # openpyxl warns about unsupported extensions, and print()s on a bad style index: neither
        # may reach the user's terminal or corrupt `cxzy parse --json` on stdout
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), open(path, "rb") as fh:
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(fh, read_only=False, data_only=True, keep_links=False)
    except (ReadError, MemoryError, RecursionError):
        raise
    except Exception:
        raise ReadError("Excel 文件已损坏或无法解析", file=name) from None


def _used_extent(ws: Any, max_rows: int, max_cols: int) -> tuple[int, int]:
    """Last row and column holding a value or a merged range, bounded."""
    last_r = last_c = 0
    for row in ws.iter_rows(
        min_row=1, max_row=min(ws.max_row, max_rows), max_col=min(ws.max_column, max_cols)
    ):
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
        warn.append(
            f"工作表“{sheet_title(ws)}”有 {ws.max_row} 行，只读取前 {max_rows} 行（设置项 sheet_max_rows）"
        )
    if ws.max_column > max_cols:
        warn.append(
            f"工作表“{sheet_title(ws)}”有 {ws.max_column} 列，只读取前 {max_cols} 列（设置项 sheet_max_cols）"
        )
    last_r, last_c = _used_extent(ws, max_rows, max_cols)
    rows = []
    for row in ws.iter_rows(min_row=1, max_row=last_r, max_col=last_c):
        # an error value (#REF!, #N/A) is no data; a formula never cached reads as empty
        rows.append(
            ["" if c.data_type == "e" else cell_value_text(c.value, settings.max_cell_chars) for c in row]
        )
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
            cells.append(
                Cell(
                    text=text,
                    table=table,
                    row=r,
                    col=c,
                    rowspan=rowspan,
                    colspan=colspan,
                    where=f"工作表“{title}” {_a1(r, c)}",
                )
            )
    return cells


def _a1(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)}{row + 1}"
