"""The one shape every reader produces: cells of tables and lines of free text, in reading order.

A reader knows a file format and nothing of the forms; the extractor knows the forms and
nothing of formats. This module is the contract between them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from cxzy_docs.textnorm import label_key, without_number


@dataclass
class Cell:
    """One table cell, once, however many grid positions it spans.

    ``row``/``col`` are the top-left grid position inside table ``table``; rows of a table that
    runs over several pages are numbered on. ``text`` keeps its line breaks (``\\n``).
    ``where`` tells a person where the value came from (``表1 第3行第2列``, ``第2页 (x=…, y=…)``).
    ``confidence`` is 1.0 for a text layer and the OCR engine's score (0-1) for scans.
    """

    text: str
    table: int
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    where: str = ""
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom (PDF points / px)
    confidence: float = 1.0
    parent: tuple[int, int, int] | None = None  # (table, row, col) of the cell a nested table sits in

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1


@dataclass
class Line:
    """A paragraph or text line outside any table (cover page, 说明, an attached page 附页)."""

    text: str
    index: int  # position in reading order among all lines
    where: str = ""
    page: int | None = None
    after_table: int | None = None  # the table this line follows, None before the first table
    confidence: float = 1.0
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom on its page (PDF, scans)


@dataclass
class Grid:
    """What a reader saw in one file: tables as cells, and the free lines around them."""

    source: str  # the path as given
    format: str  # docx, pdf, xlsx, ocr, doc->docx, ...
    cells: list[Cell] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # Chinese, for the person
    ocr_pages: list[int] = field(default_factory=list)  # 1-based pages with no usable text layer
    page_turns: dict[int, int] = field(default_factory=dict)  # scans: pages read turned (degrees ccw)
    # Scans: the same pages read as whole-page text lines only (no tables), for the extractor to
    # read a second way and compare where the ruling lines were found.
    alternative: Grid | None = None

    def tables(self) -> list[int]:
        return sorted({c.table for c in self.cells})

    def in_order(self) -> Iterator[Cell]:
        """Cells in reading order: table by table, row by row, left to right."""
        yield from sorted(self.cells, key=lambda c: (c.table, c.row, c.col))

    def row_cells(self, table: int, row: int) -> list[Cell]:
        """The cells whose top row is ``row`` in ``table``, left to right."""
        return sorted((c for c in self.cells if c.table == table and c.row == row), key=lambda c: c.col)

    def cell_at(self, table: int, row: int, col: int) -> Cell | None:
        """The cell covering grid position (row, col) of ``table``, if any."""
        for c in self.cells:
            if c.table == table and c.row <= row <= c.last_row and c.col <= col <= c.last_col:
                return c
        return None

    def text(self) -> str:
        """All text, lines then cells, for recognising a form and for messages."""
        return "\n".join([ln.text for ln in self.lines] + [c.text for c in self.in_order()])

    def stream(self) -> list[Cell | Line]:
        """Every cell and line once, in reading order: the layout-free view of the file.

        Lines before the first table, then each table row by row (a nested table right after the
        cell that holds it) and the lines after it. A reader's order of ``lines`` and numbering of
        tables, rows and columns are all this needs.
        """
        keyed: list[tuple[tuple[float, int, int, int, tuple[tuple[int, int, int], ...]], Cell | Line]] = []
        parent_of = {c.table: c.parent for c in self.cells if c.parent is not None}
        for c in self.cells:
            chain = [(c.table, c.row, c.col)]
            while chain[0][0] in parent_of and len(chain) < 50:
                holder = parent_of[chain[0][0]]
                assert holder is not None
                chain.insert(0, holder)
            top = chain[0]
            keyed.append(((top[0], 0, top[1], top[2], tuple(chain[1:])), c))
        for ln in self.lines:
            after = -1 if ln.after_table is None else ln.after_table
            keyed.append(((after + 0.5, 1, ln.index, 0, ()), ln))
        keyed.sort(key=lambda kv: kv[0])
        return [piece for _, piece in keyed]


@dataclass(frozen=True)
class LabelHints:
    """What a reader may know of the forms' labels, handed in by its caller: readers never import
    the forms. Used where a table broken over a page must be put together again: whether the
    cell at the top of a page is the rest of the cell above it or a new labelled cell.

    Without hints (``LabelHints()``) no text counts as a label: every cell at the top of a page
    whose column matches goes on from the cell above it.
    """

    keys: frozenset[str] = frozenset()  # every label of the forms, as label keys
    in_cell: frozenset[str] = frozenset()  # labels that head a text in their own cell
    section_starts: frozenset[str] = frozenset()  # labels of the first box of a section

    def _starts(self, text: str, keys: frozenset[str]) -> bool:
        key = label_key(without_number(text.replace("\n", "")))  # 六、第三季度… starts with a label too
        return any(key[:n] in keys for n in range(2, min(len(key), 40) + 1))

    def starts_with_label(self, text: str) -> bool:
        """Does the text begin with a label of the forms?"""
        return self._starts(text, self.keys)

    def starts_section(self, text: str) -> bool:
        """Does the text begin with the first label of a section (公开承诺事项, 第一季度承诺兑现情况)?"""
        return self._starts(text, self.section_starts)

    def is_label(self, text: str) -> bool:
        """Is the whole text one label (``党员群众`` + ``评议情况``, a label a page broke in two)?"""
        return label_key(text.replace("\n", "")) in self.keys

    def is_only_label(self, text: str) -> bool:
        """Is the text a label and nothing else (not one that heads its text in the same cell)?"""
        key = label_key(text.replace("\n", ""))
        return key in self.keys and key not in self.in_cell


@contextmanager
def input_errors(name: str) -> Iterator[None]:
    """Turn the operating system's errors on opening an input file into a Chinese ReadError."""
    from cxzy_docs.errors import ReadError, os_reason

    try:
        yield
    except FileNotFoundError:
        raise ReadError("文件不存在", file=name) from None
    except PermissionError:
        raise ReadError("没有读取权限", file=name) from None
    except IsADirectoryError:
        raise ReadError("这是一个文件夹，不是文件", file=name) from None
    except OSError as exc:
        raise ReadError(f"无法读取（{os_reason(exc)}）", file=name) from None
