"""Importing: files read into records, records added to the books they belong to; the batch always goes on.

Reading (:mod:`cxzy_docs.read.batch`) knows nothing of stores and the store knows nothing of files on
disk; this module joins them: a file whose content is stored already is not read again, a file that
fails leaves the store as it was, and a file another import stored a moment ago counts as imported.
Each record goes to its book (:mod:`cxzy_docs.identity`): a new book, merged into one (合并), a new
version of one (新版本: a corrected copy), or merged with values that disagree (冲突).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxzy_docs.errors import CxzyError
from cxzy_docs.read.batch import ALREADY_IMPORTED, FileOutcome, for_file, read_new_files, walk
from cxzy_docs.store import BookOutcome, Store


@dataclass
class ImportSummary:
    """What an import did: files read, books stored (by what happened to each), files skipped or
    failed (with reasons), and each book's outcome."""

    files: int = 0
    books: int = 0  # records stored (each a new book or added to one)
    skipped: list[FileOutcome] = field(default_factory=list)
    failed: list[FileOutcome] = field(default_factory=list)
    outcomes: list[BookOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # parts of files that were not books, and why

    @property
    def actions(self) -> Counter[str]:
        """How many records became new books (new), were merged (merged), made a new version (version),
        were merged with disagreeing values (conflict), were stored as a second book (as_new)."""
        return Counter(o.action for o in self.outcomes)

    @property
    def new_books(self) -> int:
        return sum(1 for o in self.outcomes if o.action in ("new", "as_new"))


def import_many(
    paths: Iterable[str | Path],
    store: Store,
    on_file: Callable[[FileOutcome], None] | None = None,
    settings: Any = None,
    *,
    as_new: bool = False,
    corrected: bool = False,
) -> ImportSummary:
    """Import every file under ``paths`` into ``store``, each file in its own savepoint.

    ``as_new``: every book read becomes a book of its own, even where the store has one for the same
    person and year. ``corrected``: the files are corrected copies, their values replace the books'.
    """
    not_read: list[FileOutcome] = []
    files = list(walk(paths, not_read))
    summary = ImportSummary()
    for outcome in not_read:
        summary.skipped.append(outcome)
        if on_file:
            on_file(outcome)
    for outcome, key in read_new_files(files, store.file_hashes(), settings):
        summary.files += 1  # a .zip counts as the files in it
        if key is not None and outcome.records:
            try:
                done = store.store_file(
                    outcome.path,
                    key.sha256,
                    key.format,
                    key.size,
                    outcome.records,
                    as_new=as_new,
                    corrected=corrected,
                    checked=True,
                )
            except CxzyError as exc:
                outcome.error = for_file(exc, outcome.path)
            else:
                if done is None:  # stored by another import meanwhile
                    outcome.skipped = ALREADY_IMPORTED
                else:
                    summary.books += len(done)
                    summary.outcomes.extend(done)
        summary.notes.extend(f"{outcome.path}：{n}" for n in outcome.notes if outcome.records)
        if outcome.error:
            summary.failed.append(outcome)
        elif outcome.skipped:
            summary.skipped.append(outcome)
        if on_file:
            on_file(outcome)
    return summary
