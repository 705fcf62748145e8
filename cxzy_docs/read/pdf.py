"""PDF with a text layer -> Grid: ruled tables cell by cell, other text as lines (one pdfplumber pass a page)."""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import islice, pairwise
from pathlib import Path
from typing import Any

from cxzy_docs.errors import ReadError
from cxzy_docs.read.grid import Cell, Grid, LabelHints, Line
from cxzy_docs.read.pdfbudget import check_page
from cxzy_docs.read.settings import MIB, ReadSettings
from cxzy_docs.textnorm import fold_radicals, is_date_text, label_key, strip_spaces

# pdfplumber's table finder, ruling lines only (a filled form is a ruled table).
TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
    "edge_min_length": 3,
}
EDGE_TOLERANCE = 3.0  # points: a char centre this far outside a table still belongs to it (overhang)
BOUNDARY_TOLERANCE = 2.0  # points: cell borders closer than this are one grid line
BAD_GLYPH_SHARE = 0.1  # share of (cid:N), U+FFFD or private-use glyphs that marks a page's text as broken
_PAGE_NUMBER = re.compile(r"^[\s\-—–第页共/|]*\d+[\s\-—–第页共/|\d]*$")
_DATE_LIKE = re.compile(r"\d{4}\s*[-./]\s*\d{1,2}")
MARGIN_SHARE = 0.08  # top and bottom share of a page where running heads and page numbers sit
MAX_PAGE_CHARS = 60_000  # a page with more glyphs than this is not a form page: refused (hostile input)
MAX_PAGE_EDGES = 6_000
MAX_HOST_CHECK = 1_500  # cells in one table fragment beyond which nested tables are not looked for  # ruling-line segments on one page beyond which no table is looked for

# pdfminer logs every oddity of a damaged file in English on stderr; what matters reaches the user
# as a Chinese warning or error instead.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


# ------------------------------------------------------------------------------------ text lines


@dataclass
class _VisualLine:
    chars: list[dict[str, Any]]
    top: float
    bottom: float

    @property
    def x0(self) -> float:
        return float(
            min((c["x0"] for c in self.chars if not c["text"].isspace()), default=self.chars[0]["x0"])
        )

    @property
    def x1(self) -> float:
        return float(
            max((c["x1"] for c in self.chars if not c["text"].isspace()), default=self.chars[-1]["x1"])
        )

    @property
    def glyphs(self) -> int:
        return sum(1 for c in self.chars if not c["text"].isspace())

    @property
    def size(self) -> float:
        return max((c.get("size") or 0.0) for c in self.chars) or (self.bottom - self.top) or 10.0

    def text(self) -> str:
        out: list[str] = []
        prev: dict[str, Any] | None = None
        for ch in self.chars:
            t = ch["text"]
            if prev is not None and not t.isspace() and not (out and out[-1].isspace()):
                gap = ch["x0"] - prev["x1"]
                if gap > 0.3 * (ch.get("size") or 10.0):
                    out.append(" ")
            if t.isspace():
                t = " "
            out.append(t)
            prev = ch
        return "".join(out).strip()


def _visual_lines(chars: list[dict[str, Any]]) -> list[_VisualLine]:
    """Chars grouped into lines (by vertical overlap), each line left to right, lines top to bottom.

    A char that would sit on top of one already in the line (their boxes overlap across) belongs
    to another line: two lines set so close that their glyph boxes overlap (a label wrapping in a
    narrow cell) stay two lines, not one line of interleaved characters (``参员加人党数``).
    """
    lines: list[_VisualLine] = []
    spans: list[list[tuple[float, float]]] = []  # each line's glyph extents across, to see a collision
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        mid = (ch["top"] + ch["bottom"]) / 2
        x0, x1 = ch["x0"], ch["x1"]
        blank = ch["text"].isspace()
        home = None
        for i in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            cur = lines[i]
            if not cur.top - 1 <= mid <= cur.bottom + 1:
                continue
            if blank or not any(a < x1 - 0.3 * (x1 - x0) and x0 + 0.3 * (x1 - x0) < b for a, b in spans[i]):
                home = i
                break
        if home is None:
            lines.append(_VisualLine([ch], ch["top"], ch["bottom"]))
            spans.append([] if blank else [(x0, x1)])
        else:
            lines[home].chars.append(ch)
            lines[home].bottom = max(lines[home].bottom, ch["bottom"])
            if not blank:
                spans[home].append((x0, x1))
    for ln in lines:
        ln.chars.sort(key=lambda c: c["x0"])
    lines.sort(key=lambda ln: ln.top)
    return [ln for ln in lines if ln.text()]


@dataclass
class _Text:
    """A cell's text, and whether it starts flush left and ends on a full line (to join page pieces)."""

    text: str = ""
    starts_flush: bool = False
    ends_full: bool = False


def _cell_text(chars: list[dict[str, Any]], bbox: tuple[float, float, float, float]) -> _Text:
    """A cell's text: its lines kept, except that a line filling the cell's width runs on (a soft wrap).

    The cell's right text limit is its right border less the padding seen on the left; a line of
    three or more glyphs reaching it, followed by a line starting flush left, is one wrapped line.
    """
    lines = _visual_lines(chars)
    if not lines:
        return _Text()
    left = min(ln.x0 for ln in lines)
    right = bbox[2] - max(left - bbox[0], 1.0)

    def full(ln: _VisualLine) -> bool:
        return ln.glyphs >= 3 and ln.x1 >= right - 1.2 * ln.size

    def flush(ln: _VisualLine) -> bool:
        return ln.x0 <= left + 0.5 * ln.size

    out = lines[0].text()
    for a, b in pairwise(lines):
        out = _join(out, b.text(), soft=full(a) and flush(b))
    if "\n" in out and len(out) <= 30:  # a date wrapped in a narrow cell, centred: 2010/2/2 / 7
        flat = out.replace("\n", "")
        if (any(ch.isdigit() for ch in flat) or "年" in flat) and is_date_text(flat) and strip_spaces(flat):
            out = flat
    first_flush = flush(lines[0]) and (len(lines) > 1 or lines[0].x0 - bbox[0] <= 1.5 * lines[0].size)
    return _Text(out, first_flush, full(lines[-1]))


def _join(a: str, b: str, *, soft: bool) -> str:
    """``a`` and ``b`` as one text: a soft wrap joins them (with a space between Latin words)."""
    if not a or not b:
        return a or b
    if not soft:
        return a + "\n" + b
    if (a[-1].isdigit() and (b[0].isdigit() or b[0] in _DATE_SEPS)) or (
        a[-1] in _DATE_SEPS and b[0].isdigit()
    ):
        return a + b  # a number or date broken by the cell's edge: 1954.0 / 1, 2025-0 / 1-09
    latin = a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum()
    return a + (" " if latin else "") + b


_DATE_SEPS = "./-"
# Closing punctuation never starts a line: a line that is full hangs it past the cell's right edge
# (reportlab, Word), so it belongs to the cell where it begins, not to the one its centre is in.
_HANGING = "）)。，、：:；;”’」』】》"


# --------------------------------------------------------------------------------- page fragments


@dataclass
class _PieceCell:
    """A cell as seen on one page: local grid position, box, text."""

    bbox: tuple[float, float, float, float]
    row: int
    col0: float  # left and right border x: columns are numbered once the whole table is known
    col1: float
    rowspan: int
    chars: list[dict[str, Any]] = field(default_factory=list)
    content: _Text = field(default_factory=_Text)

    @property
    def text(self) -> str:
        return self.content.text


@dataclass
class _Fragment:
    """The part of one ruled table that lies on one page."""

    page: int
    bbox: tuple[float, float, float, float]
    ys: list[float]
    cells: list[_PieceCell]
    nrows: int

    @property
    def xs(self) -> list[float]:
        return sorted({c.col0 for c in self.cells} | {c.col1 for c in self.cells})


def _cluster(values: list[float], tol: float = BOUNDARY_TOLERANCE) -> list[float]:
    """Sorted values with neighbours closer than ``tol`` merged into their first."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(bounds: list[float], v: float) -> int:
    """Index of the boundary nearest to ``v``."""
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


def _fragment(page_no: int, table: Any) -> _Fragment | None:
    boxes = [tuple(map(float, c)) for c in table.cells]
    if not boxes:
        return None
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
    cells = []
    for x0, top, x1, bottom in boxes:
        r0, r1 = _index(ys, top), _index(ys, bottom)
        c0, c1 = _index(xs, x0), _index(xs, x1)
        if r1 <= r0 or c1 <= c0:
            continue
        cells.append(_PieceCell((x0, top, x1, bottom), r0, xs[c0], xs[c1], r1 - r0))
    if not cells:
        return None
    bx0, btop, bx1, bbottom = map(float, table.bbox)
    return _Fragment(page_no, (bx0, btop, bx1, bbottom), ys, cells, len(ys) - 1)


def _assign_chars(chars: list[dict[str, Any]], fragments: list[_Fragment]) -> list[dict[str, Any]]:
    """Put each char into the cell holding its centre; return the chars outside every table."""
    free = []
    slots = []
    for frag in fragments:
        xs = frag.xs
        lookup: dict[tuple[int, int], _PieceCell] = {}
        # larger cells first, so that the cells of a table nested in a cell own their part of it
        # (the nested cells' glyphs would otherwise run together line by line in the outer cell)
        by_area = sorted(frag.cells, key=lambda c: -(c.bbox[2] - c.bbox[0]) * (c.bbox[3] - c.bbox[1]))
        for cell in by_area:
            c0, c1 = xs.index(cell.col0), xs.index(cell.col1)
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(c0, c1):
                    lookup[(r, c)] = cell
        slots.append((frag, xs, lookup))
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2 if ch["text"] not in _HANGING else ch["x0"] + 0.5
        cy = (ch["top"] + ch["bottom"]) / 2
        for frag, xs, lookup in slots:
            x0, top, x1, bottom = frag.bbox
            t = EDGE_TOLERANCE
            if not (x0 - t <= cx <= x1 + t and top - t <= cy <= bottom + t):
                continue
            c = min(max(bisect_right(xs, cx) - 1, 0), len(xs) - 2)
            r = min(max(bisect_right(frag.ys, cy) - 1, 0), frag.nrows - 1)
            hit = lookup.get((r, c))
            if hit is not None:
                hit.chars.append(ch)
                break
        else:
            free.append(ch)
    return free


# ------------------------------------------------------------------------------------- the pages


def _dedupe(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop a glyph printed twice at (almost) the same place (fake bold), keep everything else."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, int, int]] = set()
    for ch in chars:
        key = (ch["text"], round(ch["x0"]), round(ch["top"]))
        if key in seen:
            continue
        seen.add(key)
        out.append(ch)
    return out


def _broken_text_layer(chars: list[dict[str, Any]], images: int) -> bool:
    visible = [c for c in chars if not c["text"].isspace()]
    if not visible:
        return images > 0
    bad = sum(
        1
        for c in visible
        if "(cid:" in c["text"] or "\ufffd" in c["text"] or any(0xE000 <= ord(x) <= 0xF8FF for x in c["text"])
    )
    return bad / len(visible) > BAD_GLYPH_SHARE


@dataclass
class _PageContent:
    number: int
    height: float
    fragments: list[_Fragment]
    lines: list[_VisualLine]  # text outside tables

    def in_margin(self, ln: _VisualLine) -> bool:
        return ln.bottom < self.height * MARGIN_SHARE or ln.top > self.height * (1 - MARGIN_SHARE)

    def number_lines(self) -> list[tuple[_VisualLine, int]]:
        """Lines that may be page numbers, with their number: a number alone in the top or bottom
        margin (``- 3 -``, ``第3页``), not a date."""
        out = []
        top = [ln for ln in self.lines if ln.bottom < self.height * MARGIN_SHARE]
        bottom = [ln for ln in self.lines if ln.top > self.height * (1 - MARGIN_SHARE)]
        for band in (top, bottom):
            if len(band) == 1:
                text = band[0].text()
                digits = re.findall(r"\d+", text)
                if _PAGE_NUMBER.match(text) and not _DATE_LIKE.search(text) and digits:
                    out.append((band[0], int(digits[0])))
        return out


def _page_numbers(pages: list[_PageContent]) -> set[int]:
    """ids of the lines that number the pages: lone margin numbers that go up with the pages (the
    same offset from the page's place on at least two pages, or the page's own number); a count
    that the body runs on into the next page's margin is not one."""
    found = [(content.number, ln, n) for content in pages for ln, n in content.number_lines()]
    offsets: dict[int, int] = {}
    for page, _, n in found:
        offsets[n - page] = offsets.get(n - page, 0) + 1
    return {id(ln) for page, ln, n in found if offsets[n - page] >= 2 or n == page}


def _read_page(page: Any, number: int) -> _PageContent | None:
    """One page read once: chars, ruling lines -> table fragments and free lines; None if no text layer."""
    if len(page.chars) > MAX_PAGE_CHARS:
        raise ReadError(f"第{number}页有 {len(page.chars)} 个字符，超过上限 {MAX_PAGE_CHARS}，不像写实簿页面")
    chars = _dedupe(page.chars)
    if _broken_text_layer(chars, len(page.images)):
        return None
    for ch in chars:  # 一 printed as the radical ⼀ (fonts that share the glyph): the ideograph
        if "\u2e80" <= ch["text"][:1] <= "\u2fd5":
            ch["text"] = fold_radicals(ch["text"])
    fragments = []
    if len(page.edges) <= MAX_PAGE_EDGES:
        edges = page.edges
        undrawn = _undrawn_rules(edges)
        settings = {**TABLE_SETTINGS, "explicit_horizontal_lines": undrawn} if undrawn else TABLE_SETTINGS
        fragments = [f for t in page.find_tables(settings) if (f := _fragment(number, t))]
        fragments = _drop_frames(fragments)
    free = _assign_chars(chars, fragments)
    for frag in fragments:
        frag.cells = _without_hosts(frag.cells)
        for cell in frag.cells:
            cell.content = _cell_text(cell.chars, cell.bbox)
            cell.chars = []
    return _PageContent(number, float(page.height), fragments, _visual_lines(free))


def _undrawn_rules(edges: list[dict[str, Any]]) -> list[float]:
    """Heights where three or more column borders start or end together with no rule drawn across
    them: a table row cut by the page whose top (or bottom) border the printer left out (Chromium
    with collapsed borders). Given to the table finder as rules, so that row is a row of the table."""
    verticals = [e for e in edges if e["orientation"] == "v"]
    horizontals = [e for e in edges if e["orientation"] == "h"]
    out: list[float] = []
    for end in ("top", "bottom"):
        for y in _cluster([float(e[end]) for e in verticals]):
            group = [e for e in verticals if abs(float(e[end]) - y) <= BOUNDARY_TOLERANCE]
            if len({round(float(e["x0"])) for e in group}) < 3:
                continue
            x0, x1 = min(float(e["x0"]) for e in group), max(float(e["x1"]) for e in group)
            drawn = sum(
                max(0.0, min(float(h["x1"]), x1) - max(float(h["x0"]), x0))
                for h in horizontals
                if abs(float(h["top"]) - y) <= BOUNDARY_TOLERANCE
            )
            if drawn < 0.5 * (x1 - x0):
                out.append(y)
    return out


def _without_hosts(cells: list[_PieceCell]) -> list[_PieceCell]:
    """Without the cells that only hold a nested table: empty, with other cells inside them (left in,
    such a cell would overlap the nested cells it spans in the grid)."""

    def inside(a: _PieceCell, b: _PieceCell) -> bool:
        t = BOUNDARY_TOLERANCE
        return (
            a is not b
            and a.bbox[0] >= b.bbox[0] - t
            and a.bbox[1] >= b.bbox[1] - t
            and a.bbox[2] <= b.bbox[2] + t
            and a.bbox[3] <= b.bbox[3] + t
        )

    if len(cells) > MAX_HOST_CHECK:  # hostile input: a grid this fine holds no nested form table
        return cells
    return [c for c in cells if c.chars or not any(inside(o, c) for o in cells)]


def _drop_frames(fragments: list[_Fragment]) -> list[_Fragment]:
    """A one-cell 'table' drawn around other tables is a page frame, not a table."""

    def inside(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
        return a[0] >= b[0] - 1 and a[1] >= b[1] - 1 and a[2] <= b[2] + 1 and a[3] <= b[3] + 1

    return [
        f
        for f in fragments
        if not (len(f.cells) == 1 and any(g is not f and inside(g.bbox, f.bbox) for g in fragments))
    ]


# ------------------------------------------------------------------------------ tables over pages


def _piece_relation(prev_text: str, top_text: str, hints: LabelHints) -> str:
    """How a cell on the first row of a page relates to the cell above it on the page before.

    ``continue``: the rest of it (no label of its own, or one of the two is empty); ``repeat``: the
    same label printed again (a renderer repeating a section label); ``new``: a cell of its own.
    """
    if not prev_text or not top_text:
        return "continue"
    if hints.is_label(prev_text + top_text) and not hints.is_label(prev_text):
        return "continue"  # 党员群众 / 评议情况: one label broken by the page
    if hints.starts_with_label(top_text):
        return "repeat" if label_key(top_text) == label_key(prev_text) else "new"
    return "new" if hints.is_only_label(prev_text) else "continue"


@dataclass
class _Table:
    fragments: list[_Fragment]


def _same_frame(a: _Fragment, b: _Fragment) -> bool:
    t = EDGE_TOLERANCE
    return abs(a.bbox[0] - b.bbox[0]) <= t and abs(a.bbox[2] - b.bbox[2]) <= t


def _table_cells(table: _Table, index: int, hints: LabelHints) -> list[Cell]:
    """One logical table's cells: columns shared by all its pages, rows numbered on, broken cells joined.

    A row that LibreOffice or Word broke over a page leaves a piece of each of its cells at the top
    of the next page, with the same columns and no label of its own: those pieces are joined to the
    cells they continue (and a vertical section label running on is joined even when the row is not).
    """
    xs = _cluster([x for f in table.fragments for x in f.xs])
    out: list[Cell] = []
    bottom: dict[tuple[int, int], tuple[Cell, _Text]] = {}  # (col, colspan) -> cell ending the page before
    offset = 0
    for n, frag in enumerate(table.fragments):
        placed = []
        for pc in frag.cells:
            c0, c1 = _index(xs, pc.col0), _index(xs, pc.col1)
            placed.append((pc, c0, max(c1 - c0, 1)))
        joins: dict[int, tuple[Cell, _Text, str]] = {}
        if n:
            tops = [(pc, bottom.get((c0, span))) for pc, c0, span in placed if pc.row == 0]
            related = {
                id(pc): (*partner, _piece_relation(partner[0].text, pc.text, hints))
                for pc, partner in tops
                if partner is not None
            }
            broken = bool(tops) and len(related) == len(tops) and all(r[2] != "new" for r in related.values())
            if broken:
                offset -= 1  # the row itself was broken: its two pieces are one row
                joins = related
            else:  # a vertically merged cell (a section label) running on past a row that ended
                new_section = any(hints.starts_section(pc.text) for pc, _ in tops)
                joins = {
                    id(pc): r
                    for pc, _ in tops
                    if (r := related.get(id(pc)))
                    and (r[2] == "continue" or (r[2] == "repeat" and not new_section))
                    and (pc.rowspan > 1 or r[0].rowspan > 1)
                }
        last_row = offset + frag.nrows - 1
        new_bottom: dict[tuple[int, int], tuple[Cell, _Text]] = {}
        for pc, c0, span in placed:
            row = offset + pc.row
            partner = joins.get(id(pc))
            if partner is not None:
                cell, before, relation = partner
                if relation == "continue":
                    cell.text = _join(cell.text, pc.text, soft=before.ends_full and pc.content.starts_flush)
                cell.rowspan = row + pc.rowspan - cell.row
                cell.where += f"（续第{frag.page}页）"
                content = _Text(
                    cell.text, before.starts_flush, pc.content.ends_full if pc.text else before.ends_full
                )
            else:
                cell = Cell(
                    text=pc.text,
                    table=index,
                    row=row,
                    col=c0,
                    rowspan=pc.rowspan,
                    colspan=span,
                    where=f"第{frag.page}页 表{index + 1} 第{row + 1}行第{c0 + 1}列",
                    page=frag.page,
                    bbox=pc.bbox,
                )
                content = pc.content
                out.append(cell)
            if cell.last_row == last_row:
                new_bottom[(c0, span)] = (cell, content)
        bottom = new_bottom
        offset = last_row + 1
    return out


# ---------------------------------------------------------------------------------------- reader


def read_pdf(path: str | Path, *, settings: Any = None, hints: LabelHints | None = None) -> Grid:
    """Read a text-layer PDF into a Grid; pages without usable text are listed in ``grid.ocr_pages``.

    ``hints`` (the forms' labels, see :class:`LabelHints`) tell a table cell broken over a page
    from a new cell at the top of the next page.
    """
    import pdfplumber
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    name = str(path)
    s = ReadSettings.resolve(settings)
    max_pages = s.pdf_max_pages
    grid = Grid(source=name, format="pdf")
    pages: list[_PageContent] = []
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 0  # missing or unreadable: pdfplumber.open says which
    if size > s.pdf_max_file_size:
        raise ReadError(
            f"PDF 文件大小 {size / MIB:.1f} MB 超过上限 {s.pdf_max_file_size / MIB:.0f} MB"
            "（设置项 pdf_max_file_size），未读取",
            file=name,
        )
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:
        raise _open_error(exc, name) from None
    try:
        total = _page_count(pdf)
        if total is not None and total > max_pages:
            raise ReadError(
                f"PDF 共 {total} 页，超过上限 {max_pages} 页（设置项 pdf_max_pages），未读取", file=name
            )
        doctop = 0.0
        try:
            page_objs = list(islice(PDFPage.create_pages(pdf.doc), max_pages + 1))
        except Exception:
            raise ReadError("PDF 文件已损坏或不完整，无法读取页面", file=name) from None
        if len(page_objs) > max_pages:
            raise ReadError(f"PDF 超过 {max_pages} 页（设置项 pdf_max_pages），未读取", file=name)
        if not page_objs:
            raise ReadError("PDF 中没有页面", file=name)
        for i, obj in enumerate(page_objs, start=1):
            page = None
            try:
                check_page(obj, i, max_ops=s.max_pdf_page_ops, max_glyph_bytes=MAX_PAGE_CHARS)
                page = Page(pdf, obj, page_number=i, initial_doctop=doctop)
                doctop += float(page.height)
                content = _read_page(page, i)
            except ReadError as exc:
                grid.warnings.append(f"{exc.detail}，已跳过")
                content = None
            except Exception:
                grid.warnings.append(f"第{i}页无法解析，已跳过，需人工核对")
                content = None
                grid.ocr_pages.append(i)
            else:
                if content is None:
                    grid.ocr_pages.append(i)
                    grid.warnings.append(f"第{i}页没有可用的文字层（扫描图像或字体编码缺失），需要 OCR 识别")
            finally:
                if page is not None:
                    page.close()
            if content is not None:
                pages.append(content)
    finally:
        _close(pdf)
    _assemble(grid, pages, hints or LabelHints())
    return grid


def _close(pdf: Any) -> None:
    """Close the file only: pdfplumber's own close() first reads every page of the document."""
    try:
        pdf.flush_cache()
        if not pdf.stream_is_external:
            pdf.stream.close()
    except Exception:
        pass


def _page_count(pdf: Any) -> int | None:
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
        return int(count)
    except Exception:
        return None


def _open_error(exc: Exception, name: str) -> ReadError:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    if isinstance(inner, FileNotFoundError):
        return ReadError("文件不存在", file=name)
    if isinstance(inner, PermissionError | IsADirectoryError):
        return ReadError("没有读取权限或不是文件", file=name)
    if isinstance(inner, PDFPasswordIncorrect | PDFEncryptionError):
        return ReadError("PDF 已加密（需要密码才能打开），请先在 PDF 阅读器中去除密码后再读取", file=name)
    return ReadError("PDF 文件已损坏或不完整，无法打开", file=name)


def _assemble(grid: Grid, pages: list[_PageContent], hints: LabelHints) -> None:
    """Tables joined over pages and numbered; free lines in reading order with the table they follow.

    A table goes on over a page break when nothing but running heads or page numbers (in the
    page margins) lies between its last piece and the next page's first table of the same width.
    Page numbers in the margins are dropped.
    """
    tables: list[_Table] = []
    order: list[tuple[str, Any, int]] = []  # ("line", _VisualLine, page) | ("table", table index, page)
    open_table: _Table | None = None
    numbers = _page_numbers(pages)
    for content in pages:
        items: list[tuple[float, str, Any]] = [(f.bbox[1], "frag", f) for f in content.fragments]
        items += [(ln.top, "line", ln) for ln in content.lines if id(ln) not in numbers]
        items.sort(key=lambda t: (t[0], t[1]))
        for _, kind, obj in items:
            if kind == "line":
                order.append(("line", obj, content.number))
                if not content.in_margin(obj):
                    open_table = None
                continue
            last = open_table.fragments[-1] if open_table is not None else None
            if (
                open_table is not None
                and last is not None
                and last.page == content.number - 1
                and _same_frame(last, obj)
            ):
                open_table.fragments.append(obj)
                open_table = None if obj is not content.fragments[-1] else open_table
                continue
            open_table = _Table([obj])
            tables.append(open_table)
            order.append(("table", len(tables) - 1, content.number))
        page_last = content.fragments[-1] if content.fragments else None
        if open_table is not None and open_table.fragments[-1] is not page_last:
            open_table = None
    for i, table in enumerate(tables):
        grid.cells.extend(_table_cells(table, i, hints))
    last_table: int | None = None
    for kind, obj, page in order:
        if kind == "table":
            last_table = obj
            continue
        grid.lines.append(
            Line(
                text=obj.text(),
                index=len(grid.lines),
                where=f"第{page}页 (x={obj.x0:.0f}, y={obj.top:.0f})",
                page=page,
                after_table=last_table,
                bbox=(obj.x0, obj.top, obj.x1, obj.bottom),
            )
        )
