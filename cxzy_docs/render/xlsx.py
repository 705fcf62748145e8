"""A record book (member or organization) as one XLSX sheet, laid out entirely from ``forms.py``.

The sheet re-types the government form on the 8-column grid of :mod:`cxzy_docs.forms`:

- title rows: the book title, ``（2025年度）``, the cover facts (党员姓名 / 所在党组织名称 or
  党组织名称) and the issuer, without borders;
- the table, bordered: the header rows (label and value cells spanning ``label_span`` /
  ``value_span`` columns), then each section with its label written vertically in column A
  (merged over the section's rows) and its blocks in columns B-H:

  * a text box: a label row, then the text in one merged cell (over several rows when long);
  * a signature: one row per signer, ``党员本人（签字）：`` (B:C) | name (D:E) | ``日期`` (F) |
    ``2025年3月28日`` or ``年  月  日`` (G:H), the layout of the re-typed sheets offices use;
  * 党员群众评议情况: a label row, the ``评价等次`` row of column labels, a ``票数`` row of counts;
  * 评议结果: only when the record has a grade.

Dates are written as Chinese text, counts as numbers, every string through :mod:`xlsxsafe`.
Excel does not grow merged rows to fit, so every row height is set from an estimate of the
text's wrapped lines; page breaks fall between sections (or blocks, for a section taller than a
page), so no box is cut by a page edge when printed on A4.
"""

from __future__ import annotations

import io
import math
import unicodedata
from copy import copy
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from cxzy_docs.forms import (
    GRID_COLUMNS,
    Evaluation,
    FormSpec,
    GradeRow,
    Section,
    Signature,
    SignRow,
    TextBox,
    form_for,
)
from cxzy_docs.model import SCHEMA_ID, Record, get_field
from cxzy_docs.xlsxsafe import cell_text, put_text

SHEET_TITLE = "写实簿"
FONT_NAME = "宋体"
# Column widths in Excel character units (A: the vertical section labels).
COLUMN_WIDTHS = (6.0, 12.0, 10.0, 10.0, 10.0, 10.0, 13.5, 13.5)
BLANK_DATE = "年  月  日"
SIGN_DATE_LABEL = "日期"
VOTES_LABEL = "票数"

# Print geometry (points). The table is 476 pt wide, so A4 portrait holds it at 100 %.
_MARGIN_IN = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.7, "header": 0.3, "footer": 0.3}
_PAGE_HEIGHT_PT = 842.0
_PAGE_BUDGET_PT = _PAGE_HEIGHT_PT - (_MARGIN_IN["top"] + _MARGIN_IN["bottom"]) * 72 - 24
_FILL_SLACK_PT = 12.0  # kept free at the foot of a page when blank boxes grow to fill it
_MAX_ROW_PT = 300.0  # Excel's limit is 409 pt; a longer box spreads over several merged rows
_CELL_PADDING_PX = 8
_INDENT_PX = 18  # one indent step on each side, roughly
_LINE_FACTOR = 1.42  # line height / font size, CJK fonts (SimSun 1.15, Noto CJK 1.45)

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNDERLINE = Border(bottom=_THIN)
_NO_BORDER = Border()


@dataclass(frozen=True)
class _Style:
    size: float
    horizontal: str = "center"
    vertical: str = "center"
    bold: bool = False
    border: Border = _BOX
    indent: int = 0

    def font(self) -> Font:
        return Font(name=FONT_NAME, size=self.size, bold=self.bold)

    def alignment(self) -> Alignment:
        return Alignment(
            horizontal=self.horizontal, vertical=self.vertical, wrap_text=True, indent=self.indent
        )


TITLE = _Style(20, bold=True, border=_NO_BORDER)
YEAR = _Style(14, border=_NO_BORDER)
COVER_LABEL = _Style(12, horizontal="right", border=_NO_BORDER)
COVER_VALUE = _Style(12, horizontal="left", border=_UNDERLINE)
ISSUER = _Style(10, horizontal="right", border=_NO_BORDER)
SECTION = _Style(12)
LABEL = _Style(11)
VALUE = _Style(11)
TEXT = _Style(11, horizontal="left", vertical="top", indent=1)
SIGN_LABEL = _Style(11, horizontal="left", indent=1)


# ------------------------------------------------------------------------------------ formatting


def chinese_date(iso: str | None) -> str:
    """``2010-03-28`` -> ``2010年3月28日``, ``1975-09`` -> ``1975年9月``; blank -> ``年  月  日``."""
    if not iso:
        return BLANK_DATE
    parts = str(iso).split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return str(iso)  # not ISO: shown as given rather than lost
    out = f"{numbers[0]}年"
    if len(numbers) > 1:
        out += f"{numbers[1]}月"
    if len(numbers) > 2:
        out += f"{numbers[2]}日"
    return out


def _year_line(year: Any) -> str:
    return f"（{year}年度）" if year else "（        年度）"


def _value_text(value: Any, kind: str) -> Any:
    """What goes into a value cell: counts stay numbers, dates become Chinese text."""
    if value is None:
        return None
    if kind == "count" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "date":
        return chinese_date(value) if value else None
    return str(value)


# ---------------------------------------------------------------------------- height estimates


def _column_px(width: float) -> int:
    return int(width * 7 + 5)  # Excel: maximum digit width 7 px (Calibri 11) plus padding


def _char_px(ch: str, size_pt: float) -> float:
    em = size_pt * 96 / 72
    if ord(ch) > 0xFFFF or unicodedata.east_asian_width(ch) in "WF":
        return em
    return em * 0.55


def estimate_lines(text: str, width_px: float, size_pt: float) -> int:
    """Wrapped lines ``text`` takes in a cell ``width_px`` wide (a little pessimistic)."""
    usable = max(width_px - _CELL_PADDING_PX, 10)
    total = 0
    for para in text.split("\n"):
        w = sum(_char_px(ch, size_pt) for ch in para) * 1.06
        total += max(1, math.ceil(w / usable))
    return total


def _height_pt(lines: int, size_pt: float) -> float:
    return round(lines * size_pt * _LINE_FACTOR + 7, 1)


# --------------------------------------------------------------------------------- the sheet


@dataclass
class _Group:
    """Rows that should print on one page (a block), inside a page-break unit (a section)."""

    first: int
    last: int = 0


@dataclass
class _SheetWriter:
    ws: Worksheet
    row: int = 1
    heights: dict[int, float] = field(default_factory=dict)
    units: list[list[_Group]] = field(default_factory=list)  # page-break units, each of blocks
    blank_boxes: list[range] = field(default_factory=list)  # rows of the text boxes left blank
    _arrays: dict[_Style, StyleArray] = field(default_factory=dict)

    def put(
        self,
        row: int,
        col1: int,
        col2: int,
        value: Any,
        style: _Style,
        *,
        rows: int = 1,
        lines: int | None = None,
    ) -> None:
        """Write ``value`` into columns col1..col2 (1-based) of ``rows`` rows, merged, styled."""
        ws = self.ws
        last_row = row + rows - 1
        cell = ws.cell(row=row, column=col1)
        # Style arrays are copied, not re-assigned: openpyxl hashes a style on every assignment.
        arr = self._style_array(style)
        cell._style = copy(arr)
        if col2 > col1 or rows > 1:
            # What ws.merge_cells() does, less its re-styling of the edges (a third of the time).
            ws.merged_cells.add(
                MergedCellRange(ws, f"{get_column_letter(col1)}{row}:{get_column_letter(col2)}{last_row}")
            )
            for r in range(row, last_row + 1):
                for c in range(col1, col2 + 1):
                    if (r, c) != (row, col1):
                        merged = ws._cells[(r, c)] = MergedCell(ws, row=r, column=c)
                        merged._style = copy(arr)
        if isinstance(value, int) and not isinstance(value, bool):
            cell.value = value
        elif value is not None:
            put_text(cell, value)
        if rows == 1:
            if lines is None:
                lines = estimate_lines(str(value or ""), self.width_px(col1, col2), style.size)
            self.need(row, _height_pt(lines, style.size))

    def _style_array(self, style: _Style) -> StyleArray:
        arr = self._arrays.get(style)
        if arr is None:
            probe = self.ws.cell(row=1, column=1)
            saved = copy(probe._style)
            probe.font, probe.alignment, probe.border = style.font(), style.alignment(), style.border
            arr = self._arrays[style] = copy(probe._style)
            probe._style = saved
        return arr

    def need(self, row: int, height: float) -> None:
        self.heights[row] = max(self.heights.get(row, 0.0), height)

    @staticmethod
    def width_px(col1: int, col2: int) -> int:
        return sum(_column_px(COLUMN_WIDTHS[c - 1]) for c in range(col1, col2 + 1))

    def text_box(self, row: int, col1: int, col2: int, text: str | None, min_lines: int) -> int:
        """A long text in one merged cell, as many rows tall as it needs; returns rows used.

        A blank box keeps the form's ``min_lines`` of room for handwriting; a filled one gets its
        text's lines plus one spare, and at least half that room.
        """
        if text:
            lines = estimate_lines(text, self.width_px(col1, col2) - _INDENT_PX, TEXT.size) + 1
            lines = max(lines, (min_lines + 1) // 2)
        else:
            lines = min_lines
        total = _height_pt(lines, TEXT.size)
        rows = max(1, math.ceil(total / _MAX_ROW_PT))
        if not text:
            self.blank_boxes.append(range(row, row + rows))
        self.put(row, col1, col2, text, TEXT, rows=rows)
        for r in range(row, row + rows):
            self.need(r, round(total / rows, 1))
        return rows

    def start_unit(self) -> None:
        self.units.append([])

    def start_block(self) -> _Group:
        group = _Group(self.row)
        self.units[-1].append(group)
        return group

    def end_block(self, group: _Group) -> None:
        group.last = self.row - 1


# ------------------------------------------------------------------------------ form pieces

_SECTION_COL = 1
_FIRST, _LAST = 2, GRID_COLUMNS  # block columns B..H


def _write_titles(sw: _SheetWriter, form: FormSpec, record: Record) -> None:
    sw.start_unit()
    block = sw.start_block()
    sw.put(sw.row, 1, GRID_COLUMNS, form.title, TITLE, lines=1)
    sw.row += 1
    sw.put(sw.row, 1, GRID_COLUMNS, _year_line(record.get("year")), YEAR, lines=1)
    sw.row += 1
    for f in form.cover_fields:
        sw.put(sw.row, 1, 3, f.label, COVER_LABEL, lines=1)
        sw.put(sw.row, 4, GRID_COLUMNS, _value_text(get_field(record, f.path), f.value), COVER_VALUE)
        sw.heights[sw.row] = max(sw.heights[sw.row], 24.0)
        sw.row += 1
    sw.put(sw.row, 1, GRID_COLUMNS, form.issuer, ISSUER, lines=1)
    sw.heights[sw.row] += 6  # a little air between the cover lines and the table
    sw.row += 1
    for fields in form.header:
        col = 1
        for f in fields:
            sw.put(sw.row, col, col + f.label_span - 1, f.label, LABEL)
            col += f.label_span
            sw.put(
                sw.row, col, col + f.value_span - 1, _value_text(get_field(record, f.path), f.value), VALUE
            )
            col += f.value_span
        sw.need(sw.row, 30.0)
        sw.row += 1
    sw.end_block(block)


def _vertical(label: str) -> str:
    return "\n".join(label.replace(" ", ""))


def _write_signature(sw: _SheetWriter, sign: Signature, record: Record) -> None:
    r = sw.row
    sw.put(r, _FIRST, 3, sign.label, SIGN_LABEL)
    sw.put(r, 4, 5, get_field(record, f"{sign.path}.name"), VALUE)
    sw.put(r, 6, 6, SIGN_DATE_LABEL, LABEL)
    sw.put(r, 7, _LAST, chinese_date(get_field(record, f"{sign.path}.date")), VALUE)
    sw.need(r, 26.0)
    sw.row += 1


def _write_evaluation(sw: _SheetWriter, ev: Evaluation, record: Record) -> None:
    sw.put(sw.row, _FIRST, _LAST, ev.label, LABEL)
    sw.row += 1
    sw.put(sw.row, _FIRST, _FIRST, ev.first, LABEL)
    for i, col in enumerate(ev.columns):
        sw.put(sw.row, _FIRST + 1 + i, _FIRST + 1 + i, col.label, LABEL)
    sw.need(sw.row, 24.0)
    sw.row += 1
    sw.put(sw.row, _FIRST, _FIRST, VOTES_LABEL, LABEL)
    for i, col in enumerate(ev.columns):
        sw.put(
            sw.row, _FIRST + 1 + i, _FIRST + 1 + i, _value_text(get_field(record, col.path), col.value), VALUE
        )
    sw.need(sw.row, 24.0)
    sw.row += 1


def _write_section(sw: _SheetWriter, section: Section, record: Record) -> None:
    sw.start_unit()
    first = sw.row
    group: _Group | None = None
    for block in section.blocks:
        if isinstance(block, GradeRow) and get_field(record, block.path) is None:
            continue
        if not (isinstance(block, SignRow) and group is not None):
            group = sw.start_block()  # a signature keeps to the box it signs
        if isinstance(block, TextBox):
            sw.put(sw.row, _FIRST, _LAST, block.label, LABEL)
            sw.row += 1
            sw.row += sw.text_box(sw.row, _FIRST, _LAST, get_field(record, block.path), block.min_lines)
        elif isinstance(block, SignRow):
            for sign in block.signs:
                _write_signature(sw, sign, record)
        elif isinstance(block, Evaluation):
            _write_evaluation(sw, block, record)
        elif isinstance(block, GradeRow):
            sw.put(sw.row, _FIRST, _FIRST, block.label, LABEL)
            sw.put(sw.row, _FIRST + 1, _LAST, get_field(record, block.path), VALUE)
            sw.row += 1
        sw.end_block(group)
    sw.put(first, _SECTION_COL, _SECTION_COL, _vertical(section.label), SECTION, rows=sw.row - first)


# ------------------------------------------------------------------------------- page set-up


def _page_breaks(sw: _SheetWriter) -> list[int]:
    """Rows after which a page ends: between sections; inside a section taller than a page,
    between its blocks (a block taller than a page starts at once and runs over)."""

    def height(first: int, last: int) -> float:
        return sum(sw.heights.get(r, 15.0) for r in range(first, last + 1))

    budget = _PAGE_BUDGET_PT
    breaks: list[int] = []
    used = 0.0
    for unit in sw.units:
        if not unit:
            continue
        h = height(unit[0].first, unit[-1].last)
        if used + h <= budget:
            used += h
            continue
        if h <= budget:
            breaks.append(unit[0].first - 1)
            used = h
            continue
        for block in unit:
            bh = height(block.first, block.last)
            if used + bh <= budget:
                used += bh
            elif bh <= budget or budget - used < budget / 4:
                if used > 0:
                    breaks.append(block.first - 1)
                used = bh % budget if bh > budget else bh
            else:
                used = (used + bh) % budget
    return [b for b in breaks if b > 0]


def _fill_pages(sw: _SheetWriter, breaks: list[int]) -> None:
    """Give the room left at the foot of each page to the blank boxes on it (room to write by hand)."""
    if not sw.blank_boxes:
        return
    last = sw.row - 1
    starts = [1, *(b + 1 for b in breaks)]
    ends = [*breaks, last]
    for start, end in zip(starts, ends, strict=True):
        boxes = [box for box in sw.blank_boxes if box.start >= start and box.stop - 1 <= end]
        if not boxes:
            continue
        used = sum(sw.heights.get(r, 15.0) for r in range(start, end + 1))
        room = _PAGE_BUDGET_PT - used - _FILL_SLACK_PT
        if room <= 0:
            continue
        for box in boxes:
            extra = room / len(boxes) / len(box)
            for r in box:
                sw.heights[r] = min(round(sw.heights[r] + extra, 1), _MAX_ROW_PT)


def _print_setup(sw: _SheetWriter) -> None:
    ws = sw.ws
    last_row = sw.row - 1
    for i, width in enumerate(COLUMN_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    page_breaks = _page_breaks(sw)
    _fill_pages(sw, page_breaks)
    for r, h in sw.heights.items():
        ws.row_dimensions[r].height = h
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as it needs
    for name, inches in _MARGIN_IN.items():
        setattr(ws.page_margins, name, inches)
    ws.print_options.horizontalCentered = True
    ws.print_area = f"A1:{get_column_letter(GRID_COLUMNS)}{last_row}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.sheet_view.showGridLines = False
    breaks = RowBreak()
    for row in page_breaks:
        breaks.append(Break(id=row))
    ws.row_breaks = breaks


def _properties(wb: Workbook, form: FormSpec, record: Record) -> None:
    year = record.get("year")
    subject_name = get_field(record, "subject.name") or ""
    props = wb.properties
    props.title = cell_text(f"{form.title}（{year or ''}年度）{subject_name}".strip())  # no NUL from data
    props.subject = form.title
    props.keywords = f"{SCHEMA_ID} {form.kind} {year or ''}".strip()
    props.creator = "cxzy-docs"


# ---------------------------------------------------------------------------------- the API


def build_workbook(record: Record) -> Workbook:
    """The openpyxl workbook of ``record``'s book (one sheet); ``render_xlsx`` saves it."""
    form = form_for(record.get("kind", ""))
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_TITLE
    sw = _SheetWriter(ws)
    _write_titles(sw, form, record)
    for section in form.sections:
        _write_section(sw, section, record)
    _print_setup(sw)
    _properties(wb, form, record)
    return wb


def render_xlsx(record: Record) -> bytes:
    """The XLSX file of one record book (filled, or blank from ``model.empty_record``)."""
    buf = io.BytesIO()
    build_workbook(record).save(buf)
    return buf.getvalue()
