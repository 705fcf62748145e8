"""Importing: files read into records, records stored, each file on its own; the batch always goes on.

Reading (:mod:`cxzy_docs.read.batch`) knows nothing of stores and the store knows nothing of files on
disk; this module joins them: a file whose content is stored already is not read again, a file that
fails leaves the store as it was, and a file another import stored a moment ago counts as imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxzy_docs.errors import CxzyError
from cxzy_docs.read.batch import ALREADY_IMPORTED, FileOutcome, for_file, read_new_files, walk
from cxzy_docs.store import Store


@dataclass
class ImportSummary:
    """What an import did: files read, books stored, files skipped or failed (with reasons)."""

    files: int = 0
    books: int = 0
    skipped: list[FileOutcome] = field(default_factory=list)
    failed: list[FileOutcome] = field(default_factory=list)


def import_many(paths: Iterable[str | Path], store: Store, on_file: Callable[[FileOutcome], None] | None = None,
                settings: Any = None) -> ImportSummary:
    """Import every file under ``paths`` into ``store``, each file in its own transaction."""
    files = list(walk(paths))
    summary = ImportSummary(files=len(files))
    for outcome, key in read_new_files(files, store.has_file, settings):
        added = 0
        if key is not None:
            try:
                added = store.add_file(outcome.path, key.sha256, key.format, key.size, outcome.records)
            except CxzyError as exc:
                outcome.error = for_file(exc, outcome.path)
            else:
                if added == 0:  # stored by another import meanwhile
                    outcome.skipped = ALREADY_IMPORTED
        summary.books += added
        if outcome.error:
            summary.failed.append(outcome)
        elif outcome.skipped:
            summary.skipped.append(outcome)
        if on_file:
            on_file(outcome)
    return summary
