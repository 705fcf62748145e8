"""Messages the screens post up to the app: what the person asked for, or what changed.

Screens never call the app; the app handles these (``on_open_book`` …) and calls down into its
screens and the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

from cxzy_docs.model import Record
from tui.index import BookSummary


@dataclass
class OpenBook(Message):
    """Show this book."""

    book_id: int


@dataclass
class BookClosed(Message):
    """The person left this book: the list shows it as the current row."""

    book_id: int


@dataclass
class BookChanged(Message):
    """A book was edited, undone or marked; ``recheck``: its values changed, validate it again."""

    book_id: int
    recheck: bool = True


@dataclass
class CheckRequested(Message):
    """This book's findings are not known yet: have it validated."""

    book_id: int


@dataclass
class ExportRequested(Message):
    """Write the list (``rows``) as XLSX, or one corrected book (``record``) as DOCX, to ``path``."""

    path: Path
    rows: list[BookSummary] | None = None
    record: Record | None = None


@dataclass
class ImportDone(Message):
    """The files given at start-up are in the store: go on to the books."""
