"""Print-ready A4 PDF of record books (blank or filled), laid out on a reportlab canvas from forms.py."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from cxzy_docs.forms import (
    GRID_COLUMNS,
    KIND_NAMES,
    Evaluation,
    Field,
    FormSpec,
    GradeRow,
    SignRow,
    TextBox,
    form_for,
)
from cxzy_docs.model import SCHEMA_ID, get_field
from cxzy_docs.render.layout import FontSet, Line, break_text, clean_text, fonts

Align = Literal["left", "center", "right"]

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = 70.0
MARGIN_TOP = 62.0
MARGIN_BOTTOM = 62.0
# The 8-column grid (points): column 0 holds the vertical section labels.
COLUMN_WIDTHS = (34.0, 54.0, 54.0, 56.0, 54.0, 54.0, 75.0, 75.0)
COLUMN_LEFTS = tuple(MARGIN_LEFT + sum(COLUMN_WIDTHS[:i]) for i in range(GRID_COLUMNS + 1))
TABLE_RIGHT = COLUMN_LEFTS[-1]

SIZE = 12.0  # 小四: table text
MIN_SIZE = 8.0  # short labels shrink to this before they wrap
LEADING = 20.0
PAD_X = 5.0
PAD_Y = 5.0
CELL_MIN_HEIGHT = 30.0
TEXT_INDENT = 2  # characters: first-line indent of each paragraph in a text box
MIN_SPLIT_LINES = 2  # fewer lines than this at a page foot: the box starts on the next page
BLANK_DATE = "年    月    日"


# ------------------------------------------------------------------------------------ values


def _text(value: Any) -> str:
    if value is None:
        return ""
    return clean_text(str(value)).strip()


def format_date(iso: Any) -> str:
    """``2010-03-28`` as ``2010年3月28日``; missing parts left as blanks to write in."""
    parts = [p for p in _text(iso).split("-") if p]
    if not parts:
        return BLANK_DATE
    y = parts[0]
    m = str(int(parts[1])) if len(parts) > 1 and parts[1].isdigit() else ""
    d = str(int(parts[2])) if len(parts) > 2 and parts[2].isdigit() else ""
    return f"{y}年{m or '    '}月{d or '    '}日"


def format_short_date(iso: Any) -> str:
    """``1975-09`` as ``1975.09``: header cells are narrow."""
    return _text(iso).replace("-", ".")


def _field_value(record: dict[str, Any], f: Field) -> str:
    value = get_field(record, f.path)
    if f.value == "date":
        return format_short_date(value)
    return _text(value)


# ------------------------------------------------------------------------------ table model


@dataclass
class Cell:
    col: int
    span: int
    lines: list[Line]
    align: Align = "left"
    valign: Literal["top", "middle"] = "top"
    size: float = SIZE
    aligns: dict[int, Align] = field(default_factory=dict)  # per-line alignment overrides

    @property
    def left(self) -> float:
        return COLUMN_LEFTS[self.col]

    @property
    def width(self) -> float:
        return COLUMN_LEFTS[self.col + self.span] - COLUMN_LEFTS[self.col]


@dataclass
class Row:
    cells: list[Cell]
    section: int | None = None  # index into form.sections; None: the row spans column 0 too
    keep_with_next: bool = False
    splittable: bool = False  # filled text boxes flow on; other rows move whole to the next page
    min_height: float = CELL_MIN_HEIGHT
    needed_lines: int | None = None  # lines after these are blank room, dropped at a page foot

    @property
    def line_count(self) -> int:
        return max((len(c.lines) for c in self.cells), default=0)

    def height(self, start: int = 0, stop: int | None = None) -> float:
        stop = self.line_count if stop is None else stop
        h = (stop - start) * LEADING + 2 * PAD_Y
        return max(h, self.min_height) if start == 0 and stop == self.line_count else h


def _cell(
    col: int,
    span: int,
    text: str,
    *,
    align: Align = "left",
    fit: bool = False,
    valign: Literal["top", "middle"] = "middle",
    fs: FontSet,
) -> Cell:
    """A cell of short text: ``fit`` shrinks a label to one line before it wraps."""
    width = COLUMN_LEFTS[col + span] - COLUMN_LEFTS[col] - 2 * PAD_X
    size = SIZE
    if fit and text:
        natural = fs.width(text, SIZE)
        if natural > width:
            size = max(MIN_SIZE, SIZE * width / natural)
    return Cell(col, span, break_text(text, width, size, font_set=fs), align, valign, size)


def _text_lines(text: str, width: float, fs: FontSet) -> list[Line]:
    return break_text(text, width, SIZE, indent_chars=TEXT_INDENT, font_set=fs) if text else []


def _spans(n: int, total: int = GRID_COLUMNS - 1) -> list[int]:
    """Split ``total`` grid columns into ``n`` near-equal spans (wider ones first)."""
    base, extra = divmod(total, n)
    return [base + (1 if i < extra else 0) for i in range(n)]


def _header_rows(form: FormSpec, record: dict[str, Any], fs: FontSet) -> Iterator[Row]:
    for fields in form.header:
        cells: list[Cell] = []
        col = 0
        for f in fields:
            cells.append(_cell(col, f.label_span, f.label, align="center", fit=True, fs=fs))
            col += f.label_span
            cells.append(_cell(col, f.value_span, _field_value(record, f), align="center", fit=True, fs=fs))
            col += f.value_span
        if cells and col < GRID_COLUMNS:  # a form row narrower than the grid: widen its last cell
            last = cells[-1]
            cells[-1] = _cell(
                last.col, GRID_COLUMNS - last.col, _field_value(record, fields[-1]), align="center", fs=fs
            )
        yield Row(cells)


def _text_box_rows(box: TextBox, record: dict[str, Any], section: int, fs: FontSet) -> Iterator[Row]:
    width = TABLE_RIGHT - COLUMN_LEFTS[1] - 2 * PAD_X
    lines = _text_lines(_text(get_field(record, box.path)), width, fs)
    if box.label_in_cell:
        label = break_text(box.label, width, SIZE, font_set=fs)
        body = lines + [Line("")] * max(0, box.min_lines - len(lines))
        yield Row(
            [Cell(1, GRID_COLUMNS - 1, label + body)],
            section,
            keep_with_next=True,
            splittable=bool(lines),
            needed_lines=len(label) + len(lines) if lines else None,
        )
        return
    yield Row([_cell(1, GRID_COLUMNS - 1, box.label, align="center", fs=fs)], section, keep_with_next=True)
    body = lines + [Line("")] * max(0, box.min_lines - len(lines))
    yield Row(
        [Cell(1, GRID_COLUMNS - 1, body)],
        section,
        keep_with_next=True,
        splittable=bool(lines),
        needed_lines=len(lines) if lines else None,
    )


def _sign_rows(row: SignRow, record: dict[str, Any], section: int, fs: FontSet) -> Iterator[Row]:
    cells: list[Cell] = []
    col = 1
    for sign, span in zip(row.signs, _spans(len(row.signs)), strict=True):
        width = COLUMN_LEFTS[col + span] - COLUMN_LEFTS[col] - 2 * PAD_X
        name = _text(get_field(record, f"{sign.path}.name"))
        lines = break_text(sign.label + name, width, SIZE, font_set=fs)
        date = format_date(get_field(record, f"{sign.path}.date"))
        lines += [Line(""), Line(date + "  ")]
        cells.append(Cell(col, span, lines, aligns={len(lines) - 1: "right"}))
        col += span
    yield Row(cells, section)


def _evaluation_rows(ev: Evaluation, record: dict[str, Any], section: int, fs: FontSet) -> Iterator[Row]:
    yield Row([_cell(1, GRID_COLUMNS - 1, ev.label, align="center", fs=fs)], section, keep_with_next=True)
    labels = [ev.first, *(c.label for c in ev.columns)]
    values = ["", *(_field_value(record, c) for c in ev.columns)]
    spans = _spans(len(labels))
    for texts, keep in ((labels, True), (values, False)):
        cells, col = [], 1
        for text, span in zip(texts, spans, strict=True):
            cells.append(_cell(col, span, text, align="center", fit=True, fs=fs))
            col += span
        yield Row(cells, section, keep_with_next=keep)


def _grade_rows(row: GradeRow, record: dict[str, Any], section: int, fs: FontSet) -> Iterator[Row]:
    grade = _text(get_field(record, row.path))
    if grade:
        yield Row(
            [
                _cell(1, 1, row.label, align="center", fit=True, fs=fs),
                _cell(2, GRID_COLUMNS - 2, grade, align="center", fs=fs),
            ],
            section,
        )


def table_rows(form: FormSpec, record: dict[str, Any], fs: FontSet) -> list[Row]:
    """Every row of the book's table, in order, driven by the form definition."""
    rows = list(_header_rows(form, record, fs))
    for i, sec in enumerate(form.sections):
        for block in sec.blocks:
            if isinstance(block, TextBox):
                rows += _text_box_rows(block, record, i, fs)
            elif isinstance(block, SignRow):
                rows += _sign_rows(block, record, i, fs)
            elif isinstance(block, Evaluation):
                rows += _evaluation_rows(block, record, i, fs)
            elif isinstance(block, GradeRow):
                rows += _grade_rows(block, record, i, fs)
    return rows


# ------------------------------------------------------------------------------- pagination


@dataclass(frozen=True)
class Placed:
    """A row (or the lines ``start:stop`` of it) placed on a page with its top at ``top``."""

    row: Row
    start: int
    stop: int
    top: float
    height: float


def _tail(rows: list[Row], i: int) -> float:
    """Room the row after ``rows[i]`` needs on the same page when ``rows[i]`` keeps with it."""
    if not rows[i].keep_with_next or i + 1 >= len(rows):
        return 0.0
    nxt = rows[i + 1]
    if nxt.splittable:
        return min(nxt.height(), nxt.height(0, MIN_SPLIT_LINES + 1))
    return nxt.height() + _tail(rows, i + 1)


def paginate(rows: list[Row]) -> list[list[Placed]]:
    """Rows placed on pages top-down; tall rows are split between lines, never cut.

    A row that does not fit moves to the next page, except filled text, which flows on (leaving
    at least ``MIN_SPLIT_LINES`` lines on each side). A row keeps with the next one where it says
    so (a label with its box, a box with its signature), and the blank room under a filled text
    is dropped at a page foot rather than carried over.
    """
    usable_top, usable_bottom = PAGE_HEIGHT - MARGIN_TOP, MARGIN_BOTTOM
    page_room = usable_top - usable_bottom
    pages: list[list[Placed]] = [[]]
    y = usable_top

    def place(row: Row, start: int, stop: int) -> None:
        nonlocal y
        h = row.height(start, stop)
        pages[-1].append(Placed(row, start, stop, y, h))
        y -= h

    def new_page() -> None:
        nonlocal y
        pages.append([])
        y = usable_top

    for i, row in enumerate(rows):
        tail = _tail(rows, i)
        start, total = 0, row.line_count
        while True:
            room = y - usable_bottom + 1e-6
            if row.height(start) + tail <= room:
                place(row, start, total)
                break
            lines_room = int((room - tail - 2 * PAD_Y) // LEADING)
            needed = row.needed_lines
            if needed is not None and start < needed <= start + lines_room < total:
                place(row, start, start + lines_room)  # the text fits: drop the blank room left over
                break
            fresh = not pages[-1]
            if not row.splittable and not fresh:
                if row.height(start) + tail <= page_room or row.height(start) > room:
                    new_page()
                    continue
                tail = 0.0  # the rows it keeps with fit on no page together: let them part
            if not row.splittable and row.height(start) <= room and (fresh or tail == 0.0):
                place(row, start, total)
                break
            text_end = total if needed is None else max(needed, start)
            k = min(int((room - 2 * PAD_Y) // LEADING), text_end - start - MIN_SPLIT_LINES)
            if row.splittable and k >= MIN_SPLIT_LINES:
                place(row, start, start + k)
                start += k
                new_page()
            elif not fresh:
                new_page()
            else:  # taller than a whole page (a hostile value): cut between lines
                k = max(1, int((room - 2 * PAD_Y) // LEADING))
                if start + k >= total:
                    place(row, start, total)
                    break
                place(row, start, start + k)
                start += k
                new_page()
    return pages


# ---------------------------------------------------------------------------------- drawing


class _Painter:
    """Text of one page gathered in one text object; lines drawn directly on the canvas."""

    def __init__(self, canvas: Canvas, fs: FontSet) -> None:
        self.canvas, self.fs = canvas, fs
        self.text = canvas.beginText()
        self._font: tuple[str, float] | None = None

    def draw(self, x: float, baseline: float, text: str, size: float) -> None:
        self.text.setTextOrigin(x, baseline)
        for face, run in self.fs.runs(text):
            if self._font != (face.name, size):
                self.text.setFont(face.name, size)
                self._font = (face.name, size)
            self.text.textOut(run)

    def aligned(
        self,
        left: float,
        width: float,
        baseline: float,
        text: str,
        size: float,
        align: Align = "left",
        indent: float = 0.0,
    ) -> None:
        if not text:
            return
        if align == "left":
            x = left + indent
        else:
            w = self.fs.width(text, size)
            x = left + (width - w) / 2 if align == "center" else left + width - w
        self.draw(x, baseline, text, size)

    def finish(self) -> None:
        self.canvas.drawText(self.text)
        self.text = self.canvas.beginText()
        self._font = None


def _baseline(line_top: float, size: float) -> float:
    return line_top - LEADING / 2 - 0.36 * size


def _draw_table_page(p: _Painter, placed: list[Placed], form: FormSpec) -> None:
    c = p.canvas
    for item in placed:
        bottom = item.top - item.height
        for cell in item.row.cells:
            c.rect(cell.left, bottom, cell.width, item.height)
            lines = cell.lines[item.start : item.stop]
            top = item.top - PAD_Y
            if cell.valign == "middle":
                top = item.top - (item.height - len(lines) * LEADING) / 2
            for k, line in enumerate(lines):
                align = cell.aligns.get(item.start + k, cell.align)
                p.aligned(
                    cell.left + PAD_X,
                    cell.width - 2 * PAD_X,
                    _baseline(top - k * LEADING, cell.size),
                    line.text,
                    cell.size,
                    align,
                    line.indent,
                )
    # column 0: one cell per section per page, its label repeated on continuation pages
    k = 0
    while k < len(placed):
        sec = placed[k].row.section
        j = k
        while j + 1 < len(placed) and placed[j + 1].row.section == sec:
            j += 1
        if sec is not None:
            top, bottom = placed[k].top, placed[j].top - placed[j].height
            c.rect(COLUMN_LEFTS[0], bottom, COLUMN_WIDTHS[0], top - bottom)
            _vertical_label(p, form.sections[sec].label, top, bottom)
        k = j + 1


def _vertical_label(p: _Painter, label: str, top: float, bottom: float) -> None:
    chars = [ch for ch in label if not ch.isspace()]
    if not chars:
        return
    height = top - bottom
    size = min(SIZE, COLUMN_WIDTHS[0] - 2 * 3, height / len(chars) * 0.9)
    step = min(height / len(chars), 3 * SIZE)
    first = (top + bottom) / 2 + step * (len(chars) - 1) / 2
    for i, ch in enumerate(chars):
        center = first - i * step
        p.aligned(COLUMN_LEFTS[0], COLUMN_WIDTHS[0], center - 0.36 * size, ch, size, "center")


def _draw_cover(p: _Painter, form: FormSpec, record: dict[str, Any]) -> None:
    c, fs = p.canvas, p.fs
    title_size = 22.0
    # the title in a fake bold (fill + thin stroke): the Song face has no bold weight
    c.saveState()
    title = c.beginText()
    title.setTextRenderMode(2)
    c.setLineWidth(0.6)
    x = (PAGE_WIDTH - fs.width(form.title, title_size)) / 2
    title.setTextOrigin(x, PAGE_HEIGHT * 0.70)
    for face, run in fs.runs(form.title):
        title.setFont(face.name, title_size)
        title.textOut(run)
    c.drawText(title)
    c.restoreState()
    year = record.get("year")
    year_text = f"（{year}年度）" if isinstance(year, int) else "（        年度）"
    p.aligned(0, PAGE_WIDTH, PAGE_HEIGHT * 0.70 - 48, year_text, 16, "center")
    label_x = MARGIN_LEFT + 30
    value_x = label_x + max(fs.width(f.label, 16) for f in form.cover_fields) + 6
    c.setLineWidth(0.5)
    for i, f in enumerate(form.cover_fields):
        y = PAGE_HEIGHT * 0.50 - i * 46
        p.aligned(label_x, 0, y, f.label, 16)
        p.aligned(value_x, 0, y, _field_value(record, f), 16)
        c.line(value_x, y - 5, TABLE_RIGHT - 30, y - 5)
    p.aligned(0, PAGE_WIDTH, PAGE_HEIGHT * 0.22, form.issuer, 16, "center")
    c.setLineWidth(0.75)
    p.finish()


def _draw_notes(p: _Painter, form: FormSpec) -> None:
    fs = p.fs
    p.aligned(0, PAGE_WIDTH, PAGE_HEIGHT - MARGIN_TOP - 60, form.notes_title, 18, "center")
    size, leading = 14.0, 30.0
    y = PAGE_HEIGHT - MARGIN_TOP - 120
    width = TABLE_RIGHT - MARGIN_LEFT
    for i, note in enumerate(form.notes, 1):
        lines = break_text(f"{i}. {note}", width, size, indent_chars=2, font_set=fs)
        for line in lines:
            p.draw(MARGIN_LEFT + line.indent, y, line.text, size)
            y -= leading
        y -= leading / 3
    p.finish()


def _draw_book(canvas: Canvas, record: dict[str, Any], fs: FontSet) -> int:
    """Draw one book; returns its page count."""
    form = form_for(record.get("kind", ""))
    p = _Painter(canvas, fs)
    canvas.setLineWidth(0.75)
    _draw_cover(p, form, record)
    canvas.showPage()
    _draw_notes(p, form)
    canvas.showPage()
    pages = paginate(table_rows(form, record, fs))
    for placed in pages:
        canvas.setLineWidth(0.75)
        _draw_table_page(p, placed, form)
        p.finish()
        canvas.showPage()
    return 2 + len(pages)


# ------------------------------------------------------------------------------------ API


def _describe(record: dict[str, Any]) -> str:
    form = form_for(record.get("kind", ""))
    name = _text(get_field(record, "subject.name")) or "（空白）"
    year = record.get("year")
    return " ".join(str(x) for x in (KIND_NAMES[form.kind], year, name) if x is not None)


def _set_metadata(canvas: Canvas, records: Sequence[dict[str, Any]]) -> None:
    first = records[0]
    form = form_for(first.get("kind", ""))
    if len(records) == 1:
        name = _text(get_field(first, "subject.name"))
        year = first.get("year")
        title = form.title + (f"（{year}年度）" if year is not None else "") + (f" {name}" if name else "")
    else:
        title = f"写实簿 {len(records)} 册"
    canvas.setTitle(title)
    canvas.setSubject("；".join(_describe(r) for r in records))
    keys = [SCHEMA_ID]
    for r in records:
        for k in (str(r.get("kind", "")), str(r.get("year") or "")):
            if k and k not in keys:
                keys.append(k)
    canvas.setKeywords(" ".join(keys))
    canvas.setCreator("cxzy-docs")
    canvas.setAuthor("cxzy-docs")


def render_pdf(records: Sequence[dict[str, Any]], *, odd_page_start: bool = False) -> bytes:
    """One A4 PDF holding the books of ``records`` in order (blank books are records with empty boxes).

    ``odd_page_start``: every book starts on an odd page (a blank page is put in where needed),
    so that a double-sided print can be cut into books.
    """
    if not records:
        raise ValueError("没有要生成的写实簿")
    fs = fonts()
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, invariant=1, pageCompression=1, initialFontName=fs.main.name)
    _set_metadata(canvas, records)
    pages = 0
    for record in records:
        if odd_page_start and pages % 2 == 1:
            canvas.showPage()  # a blank back side
            pages += 1
        pages += _draw_book(canvas, record, fs)
    with _fast_deflate():
        canvas.save()
    return buf.getvalue()


_DEFLATE_LEVEL = 1  # measured: 13 -> 9.4 ms per book, files ~10% larger (font subsets dominate)


@contextmanager
def _fast_deflate() -> Iterator[None]:
    """Deflate the PDF's streams at a fast level while this renderer saves.

    reportlab compresses every stream (mostly the embedded font subsets) at zlib's default level 6
    with no setting to change it; its one filter object is swapped for the save and put back after,
    so nothing else using reportlab in the process is affected.
    """
    from reportlab.pdfbase import pdfdoc

    original = pdfdoc.PDFStreamFilterZCompress.encode

    def encode(self: object, text: str | bytes) -> bytes:
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, _DEFLATE_LEVEL)

    pdfdoc.PDFStreamFilterZCompress.encode = encode
    try:
        yield
    finally:
        pdfdoc.PDFStreamFilterZCompress.encode = original


def render_pdf_one(record: dict[str, Any]) -> bytes:
    """The PDF of one book."""
    return render_pdf([record])
