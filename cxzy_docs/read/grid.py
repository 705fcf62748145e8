"""The one shape every reader produces: cells of tables and lines of free text, in reading order.

A reader knows a file format and nothing of the forms; the extractor knows the forms and
nothing of formats. This module is the contract between them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


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


@dataclass
class Grid:
    """What a reader saw in one file: tables as cells, and the free lines around them."""

    source: str  # the path as given
    format: str  # docx, pdf, xlsx, ocr, doc->docx, ...
    cells: list[Cell] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # Chinese, for the person
    ocr_pages: list[int] = field(default_factory=list)  # 1-based pages with no usable text layer

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


@contextmanager
def input_errors(name: str) -> Iterator[None]:
    """Turn the operating system's errors on opening an input file into a Chinese ReadError."""
    from cxzy_docs.errors import ReadError

    try:
        yield
    except FileNotFoundError:
        raise ReadError("文件不存在", file=name) from None
    except PermissionError:
        raise ReadError("没有读取权限", file=name) from None
    except IsADirectoryError:
        raise ReadError("这是一个文件夹，不是文件", file=name) from None
    except OSError as exc:
        raise ReadError(f"无法读取（{exc.strerror or exc}）", file=name) from None
