"""What the screens may ask of the data: books, edits, findings, exports — one object over store and cache.

Screens call down into a :class:`BookService` and post messages up to the app (``tui/messages.py``);
they never call the app. A test can hand a screen any object with these methods.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from cxzy_docs.api import (
    BookRow,
    ConflictInfo,
    Doubtful,
    FileOutcome,
    ImportSummary,
    SourceInfo,
    Store,
    book_conflicts,
    book_sources,
    crop_of_field,
    doubtful_fields,
    find_files,
    import_files,
)
from cxzy_docs.model import Record
from tui import findings as adapter
from tui.cache import FindingsCache, GroupKey
from tui.export import write_docx, write_xlsx
from tui.findings import Finding, ReviewElements
from tui.index import BookSummary, load_summaries, summarize


class BookService:
    """The store and the findings cache behind the TUI; the methods workers call are thread-safe."""

    def __init__(self, store: Store, *, check: bool = True, as_of: dt.date | None = None) -> None:
        self.store = store
        self.cache = FindingsCache(as_of, store)
        self.check_enabled = check
        self._crops: Path | None = None

    # ------------------------------------------------------------------------------ reading

    def summaries(self) -> Iterator[list[BookSummary]]:
        """Every book's summary, batch by batch, with its findings count where known."""
        for batch in load_summaries(self.store):
            for summary in batch:
                summary.findings = self.count(summary)
            yield batch

    def book(self, book_id: int) -> BookRow:
        return self.store.book(book_id)

    def summary(self, book_id: int) -> BookSummary:
        summary = summarize(self.store.book(book_id))
        summary.findings = self.count(summary)
        return summary

    def sources(self, book_id: int) -> list[SourceInfo]:
        """The files (ledgers, records files) the book was read from, in order, and what each did."""
        return book_sources(self.store, book_id)

    def conflicts(self, book_id: int) -> list[ConflictInfo]:
        """The fields the book's sources disagree on, each source's value (settled ones too)."""
        return book_conflicts(self.store, book_id)

    def exportable(self, row: BookRow) -> Record:
        """The record as a DOCX export carries it: marked with this store, book and version, so that
        the corrected copy comes back as a new version of this very book."""
        return {
            **row.record,
            "exported_from": {"store": self.store.store_id(), "book": row.id, "version": row.version},
        }

    def findings(self, book_id: int, version: int) -> list[Finding] | None:
        """The findings of this version of a book; None when it has not been checked yet."""
        return self.cache.get(book_id, version)

    def count(self, summary: BookSummary) -> int | None:
        found = self.cache.get(summary.id, summary.version)
        return None if found is None else len(found)

    # ------------------------------------------------------------------------------ writing

    def edit(self, book_id: int, path: str, value: Any, *, expected_version: int) -> int:
        """Store one edit made on ``expected_version``; the new version (ConflictError if it moved on)."""
        return self.store.edit(book_id, path, value, expected_version=expected_version)

    def undo(self, book_id: int, *, expected_version: int | None = None) -> str | None:
        return self.store.undo(book_id, expected_version=expected_version)

    def mark_checked(self, book_id: int, checked: bool, note: str | None, *, expected_version: int) -> int:
        """Mark a book (a new version); its findings carry over, since no value changed."""
        known = self.cache.get(book_id, expected_version)
        version = self.store.mark_checked(book_id, checked, note, expected_version=expected_version)
        if known is not None:
            self.cache.put(book_id, version, known)
        return version

    # ----------------------------------------------------------------------------- checking

    def check_groups(
        self,
        groups: dict[GroupKey, list[int]],
        on_group: Callable[[dict[int, list[Finding]]], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        self.cache.check_store(self.store, groups, on_group=on_group, cancelled=cancelled)

    def check_book(self, book_id: int) -> tuple[int, list[Finding]]:
        return self.cache.check_book(self.store, book_id)

    def doubtful(self, record: Record) -> list[Doubtful]:
        """The fields the reader was not sure of, least sure first."""
        return doubtful_fields(record)

    def crop(self, book_id: int, path: str) -> Path:
        """The crop of the page a field was read from, as a PNG file (ReadError if there is none)."""
        if self._crops is None:
            self._crops = Path(tempfile.mkdtemp(prefix="cxzy-crops-"))
        return crop_of_field(self.store.book(book_id).record, path, self._crops)

    def review_elements(self, text: Any) -> ReviewElements:
        """成绩, 不足 and 努力方向 of a review, with the phrases that state them."""
        return adapter.review_elements(text if isinstance(text, str) else None)

    # ------------------------------------------------------------------------- files in/out

    def import_files(
        self,
        paths: Iterable[str | Path],
        on_start: Callable[[int], None],
        on_file: Callable[[FileOutcome], None],
    ) -> ImportSummary:
        files = find_files(paths)
        on_start(len(files))
        return import_files(files, self.store, on_file=on_file)

    def export_list(self, path: Path, rows: list[BookSummary], missing: dict[GroupKey, list[int]]) -> None:
        """The list as shown, with every book's findings (validating first those not checked yet)."""
        if missing and self.check_enabled:
            self.check_groups(missing)
        found = {b.id: got for b in rows if (got := self.cache.get(b.id, b.version)) is not None}
        write_xlsx(path, rows, found)

    def export_docx(self, path: Path, record: Record) -> None:
        write_docx(path, record)
