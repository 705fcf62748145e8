"""The books table: draws only the rows on screen, so 10,000 books filter and sort at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.index import SORT_KEYS, BookSummary


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # 0: shares the room left over
    align: str = "left"


COLUMNS: tuple[Column, ...] = (
    Column("year", "年度", 4, "right"),
    Column("organization", "党组织", 0),
    Column("name", "姓名/名称", 0),
    Column("kind", "类型", 6),
    Column("completeness", "完整度", 7, "right"),
    Column("findings", "问题", 4, "right"),
    Column("checked", "核对", 4),
)
NAME_SHARE = 0.4  # of the flexible room, for the name column


def fit(text: str, width: int, align: str = "left") -> str:
    """``text`` in exactly ``width`` cells (Chinese characters are two): cut with … or padded."""
    if width <= 0:
        return ""
    text = text.replace("\n", " ")
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…"
    pad = " " * (width - cell_len(text))
    return pad + text if align == "right" else text + pad


def cell_value(book: BookSummary, key: str) -> str:
    if key == "year":
        return str(book.year or "")
    if key == "kind":
        return book.kind_label
    if key == "completeness":
        return book.completeness
    if key == "findings":
        return "…" if book.findings is None else str(book.findings)
    if key == "checked":
        return "✓" if book.checked else ""
    return str(getattr(book, key) or "")


class BookTable(ScrollView, can_focus=True):
    """A table of book summaries with a fixed header, a row cursor and sorting by any column."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "book-table--header",
        "book-table--cursor",
        "book-table--findings",
        "book-table--checked",
        "book-table--pending",
        "book-table--sorted",
    }
    DEFAULT_CSS = """
    BookTable {
        background: $surface;
        overflow-x: hidden;
        & > .book-table--header { text-style: bold; background: $panel; }
        & > .book-table--sorted { text-style: bold underline; background: $panel; }
        & > .book-table--cursor {
            background: $block-cursor-blurred-background; color: $block-cursor-blurred-foreground;
        }
        &:focus > .book-table--cursor {
            background: $block-cursor-background; color: $block-cursor-foreground;
        }
        & > .book-table--findings { color: $error; text-style: bold; }
        & > .book-table--checked { color: $success; }
        & > .book-table--pending { color: $text-muted; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "上移", show=False),
        Binding("down", "cursor(1)", "下移", show=False),
        Binding("pageup", "page(-1)", "上页", show=False),
        Binding("pagedown", "page(1)", "下页", show=False),
        Binding("home", "first", "首行", show=False),
        Binding("end", "last", "末行", show=False),
        Binding("enter", "open", "打开", show=True),
        Binding("s", "next_sort", "排序", show=True),
        Binding("S", "reverse_sort", "倒序", show=False),
    ]

    cursor = reactive(0, always_update=True)

    @dataclass
    class Opened(Message):
        """The person opened a book (Enter or double click)."""

        table: BookTable
        book_id: int

    @dataclass
    class SortChanged(Message):
        table: BookTable
        key: str
        reverse: bool

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[BookSummary] = []
        self.sort_key: str | None = None
        self.sort_reverse = False

    # ------------------------------------------------------------------------------ data

    def set_rows(self, rows: list[BookSummary]) -> None:
        """Show ``rows`` in the current sort order; the cursor stays on the same book if it is there."""
        current = self.current_book
        self.rows = rows
        if self.sort_key:
            self.rows.sort(key=SORT_KEYS[self.sort_key], reverse=self.sort_reverse)
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)
        index = next((i for i, b in enumerate(self.rows) if current and b.id == current.id), 0)
        self.cursor = index
        self.refresh()

    def sort_by(self, key: str, reverse: bool = False) -> None:
        self.sort_key, self.sort_reverse = key, reverse
        self.set_rows(self.rows)
        self.post_message(self.SortChanged(self, key, reverse))

    @property
    def current_book(self) -> BookSummary | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def move_to(self, book_id: int) -> bool:
        for i, b in enumerate(self.rows):
            if b.id == book_id:
                self.cursor = i
                return True
        return False

    # --------------------------------------------------------------------------- drawing

    def _widths(self, width: int) -> list[int]:
        fixed = sum(c.width for c in COLUMNS) + len(COLUMNS) - 1
        room = max(width - fixed, 8)
        name = max(int(room * NAME_SHARE), 4)
        return [c.width or (name if c.key == "name" else room - name) for c in COLUMNS]

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.rows) + 1)

    def watch_cursor(self, old: int, new: int) -> None:
        if self.rows:
            clamped = max(0, min(new, len(self.rows) - 1))
            if clamped != new:
                self.cursor = clamped
                return
            body = max(self.size.height - 1, 1)
            top = int(self.scroll_y)
            if new < top:
                self.scroll_to(y=new, animate=False)
            elif new >= top + body:
                self.scroll_to(y=new - body + 1, animate=False)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        widths = self._widths(width)
        base = self.rich_style
        if y == 0:
            return self._header(widths, width, base)
        index = int(self.scroll_y) + y - 1
        if index >= len(self.rows):
            return Strip.blank(width, base)
        book = self.rows[index]
        row_style = (
            base + self.get_component_rich_style("book-table--cursor") if index == self.cursor else base
        )
        segments = []
        for col, w in zip(COLUMNS, widths, strict=True):
            style = row_style
            if col.key == "findings":
                if book.findings is None:
                    style = row_style + self.get_component_rich_style("book-table--pending", partial=True)
                elif book.findings:
                    style = row_style + self.get_component_rich_style("book-table--findings", partial=True)
            elif col.key == "checked" and book.checked:
                style = row_style + self.get_component_rich_style("book-table--checked", partial=True)
            segments.append(Segment(fit(cell_value(book, col.key), w, col.align), style))
            segments.append(Segment(" ", row_style))
        return Strip(segments[:-1]).adjust_cell_length(width, row_style)

    def _header(self, widths: list[int], width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("book-table--header")
        sorted_style = base + self.get_component_rich_style("book-table--sorted")
        segments = []
        for col, w in zip(COLUMNS, widths, strict=True):
            label = col.label
            if col.key == self.sort_key:
                label += "▼" if self.sort_reverse else "▲"
            segments.append(
                Segment(fit(label, w, col.align), sorted_style if col.key == self.sort_key else style)
            )
            segments.append(Segment(" ", style))
        return Strip(segments[:-1]).adjust_cell_length(width, style)

    # ---------------------------------------------------------------------------- actions

    def action_cursor(self, delta: int) -> None:
        self.cursor = self.cursor + delta

    def action_page(self, direction: int) -> None:
        self.cursor = self.cursor + direction * max(self.size.height - 2, 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.rows) - 1

    def action_open(self) -> None:
        book = self.current_book
        if book is not None:
            self.post_message(self.Opened(self, book.id))

    def action_next_sort(self) -> None:
        keys = [c.key for c in COLUMNS]
        nxt = keys[(keys.index(self.sort_key) + 1) % len(keys)] if self.sort_key in keys else keys[0]
        self.sort_by(nxt)

    def action_reverse_sort(self) -> None:
        self.sort_by(self.sort_key or COLUMNS[0].key, not self.sort_reverse)

    def column_at(self, x: int) -> Column | None:
        pos = 0
        for col, w in zip(COLUMNS, self._widths(self.size.width), strict=True):
            if pos <= x < pos + w + 1:
                return col
            pos += w + 1
        return None

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            col = self.column_at(offset.x)
            if col is not None:
                self.sort_by(col.key, not self.sort_reverse if col.key == self.sort_key else False)
            return
        index = int(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self.rows):
            self.cursor = index
            if event.chain >= 2:
                self.action_open()
