"""Kept for older imports: batch reading lives in :mod:`cxzy_docs.read.batch`."""

from __future__ import annotations

from cxzy_docs.read.batch import (
    ALREADY_IMPORTED,
    INPUT_SUFFIXES,
    FileOutcome,
    ImportSummary,
    describe,
    import_many,
    import_one,
    parse_many,
    parse_one,
    shown,
    time_limit,
    walk,
)

__all__ = ["ALREADY_IMPORTED", "INPUT_SUFFIXES", "FileOutcome", "ImportSummary", "describe", "import_many",
           "import_one", "parse_many", "parse_one", "shown", "time_limit", "walk"]
