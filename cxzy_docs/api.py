"""The front door: what the ``cxzy`` command does, as plain functions for programs.

Every command of the CLI calls one function here; a program can call the same ones::

    from cxzy_docs import api

    outcomes = api.parse(["收上来的写实簿/"])               # one FileOutcome per file, records inside
    records = [r for o in outcomes for r in o.records]
    findings = api.validate(records, as_of=datetime.date(2025, 6, 30))
    with api.open_store("office.db") as store:
        summary = api.import_files(["收上来的写实簿/"], store)

Errors are :class:`cxzy_docs.errors.CxzyError` with a Chinese message naming the file; functions
that read many files never raise for one bad file (its outcome carries the message instead).
``settings`` are the reading limits and tolerances (:class:`cxzy_docs.read.settings.ReadSettings`, a
dict of them, or None for the defaults and ``$CXZY_LIMITS``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from cxzy_docs.check import ELEMENT_NAMES, ELEMENTS, ElementResult, Evidence, Finding, ReviewElements
from cxzy_docs.check import analyse_review as review_elements
from cxzy_docs.check import validate as _validate
from cxzy_docs.fieldlabels import field_label
from cxzy_docs.fileio import write_atomic
from cxzy_docs.importer import ImportSummary, import_many
from cxzy_docs.model import Record
from cxzy_docs.read.batch import FileOutcome, parse_book_folders, parse_many, read_records, walk
from cxzy_docs.read.settings import ReadSettings
from cxzy_docs.render.generate import FORMATS, GenerateResult, generate_books
from cxzy_docs.roster import Roster, blank_records, read_roster
from cxzy_docs.store import DB_ENV, BookRow, ConflictError, Store, StoreError, to_url
from cxzy_docs.xlsxsafe import put_text

Settings = ReadSettings | dict[str, Any] | None

__all__ = [
    "DB_ENV",
    "ELEMENTS",
    "ELEMENT_NAMES",
    "FORMATS",
    "BookRow",
    "ConflictError",
    "ElementResult",
    "Evidence",
    "FileOutcome",
    "Finding",
    "GenerateResult",
    "ImportSummary",
    "ReviewElements",
    "Roster",
    "Store",
    "StoreError",
    "blank_books",
    "book_docx",
    "field_label",
    "find_files",
    "generate",
    "import_files",
    "load_records",
    "open_store",
    "parse",
    "put_text",
    "read_roster",
    "report_gongshi",
    "report_ledger",
    "report_summary",
    "review_elements",
    "settings",
    "stored_records",
    "to_url",
    "validate",
    "write_atomic",
]


def settings(given: Settings = None) -> ReadSettings:
    """The reading settings: ``given`` (settings, a dict of them) over the defaults and ``$CXZY_LIMITS``."""
    return ReadSettings.resolve(given)


# ----------------------------------------------------------------------------------- read

def find_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files named, and the readable files inside the folders named (sorted, hidden ones left out)."""
    return list(walk(paths))


def parse(paths: Iterable[str | Path], *, settings: Settings = None,
          on_file: Callable[[FileOutcome], None] | None = None,
          pages_of_one_book: bool = False) -> list[FileOutcome]:
    """Read every file under ``paths`` into records: one outcome per file, in order, a bad file included.

    ``pages_of_one_book``: each path is a folder of page images (photos, scans) of one book, read
    in name order; one outcome per folder.
    """
    if pages_of_one_book:
        return parse_book_folders(paths, on_file=on_file, settings=settings)
    return parse_many(paths, on_file=on_file, settings=settings)


def load_records(path: str | Path) -> list[Record]:
    """The records of a ``cxzy.record/1`` JSON file (one record, an array or JSON Lines), checked."""
    outcome = read_records(path)
    if outcome.error:
        from cxzy_docs.errors import RecordError

        raise RecordError(outcome.error)
    return outcome.records


# ---------------------------------------------------------------------------------- store

def open_store(db: str | Path | None = None) -> Store:
    """The store at ``db`` (a file or an SQLAlchemy URL; default ``$CXZY_DB`` or ``./cxzy.db``); use it in ``with``."""
    return Store(db)


def import_files(paths: Iterable[str | Path], store: Store, *, settings: Settings = None,
                 on_file: Callable[[FileOutcome], None] | None = None) -> ImportSummary:
    """Read every file under ``paths`` into ``store``, each file in its own transaction."""
    return import_many(paths, store, on_file=on_file, settings=settings)


def stored_records(store: Store, *, year: int | None = None) -> tuple[list[Record], list[str]]:
    """The records in ``store`` (of ``year``), each with its ``source``; and one line per row that is unreadable."""
    records = [row.record | {"source": row.source or f"数据库#{row.id}"} for row in store.books(year=year)]
    return records, list(store.problems)


# -------------------------------------------------------------------------------- checking

def validate(records: Sequence[Record], *, roster: Roster | None = None, year: int | None = None,
             as_of: dt.date | None = None) -> list[Finding]:
    """Every finding on ``records``, grouped by book; with a ``roster``, who has no book too."""
    return _validate(records, roster_members=roster.members if roster else None,
                     roster_orgs=roster.organizations if roster else None, year=year, as_of=as_of)


# ------------------------------------------------------------------------------ generating

def blank_books(roster: Roster, year: int) -> list[Record]:
    """One empty record per member and organization of ``roster``, cover and header filled in."""
    return blank_records(roster, year)


def book_docx(record: Record) -> bytes:
    """One record as a filled DOCX book, in memory."""
    from cxzy_docs.render.docx import render_docx

    return render_docx(record)


def generate(records: Sequence[Record], out: str | Path, formats: Sequence[str] = ("docx",), *,
             combined: bool = False, on_book: Callable[[Record], None] | None = None) -> GenerateResult:
    """Write each record as a book in each of ``formats`` (docx, xlsx, pdf) into the folder ``out``."""
    return generate_books(records, out, tuple(formats), combined=combined, on_book=on_book)


# -------------------------------------------------------------------------------- reports

def report_summary(records: Sequence[Record], organization: str, year: int, out: str | Path, **options: Any) -> Any:
    """The annual summary of ``organization`` and the organizations under it (DOCX, optionally PDF).

    ``options``: ``pdf``, ``template_dir``, ``today``, ``roster`` (a :class:`Roster`), ``as_of``.
    """
    from cxzy_docs.report.summary import write_summary

    roster: Roster | None = options.pop("roster", None)
    return write_summary(records, organization, year, out, roster_members=roster.members if roster else None,
                         roster_orgs=roster.organizations if roster else None, **options)


def report_ledger(records: Sequence[Record], out: str | Path, *, organization: str | None = None,
                  year: int | None = None, as_of: dt.date | None = None) -> list[Any]:
    """The review ledger (点评台账, XLSX): one row per review with its elements and open findings."""
    from cxzy_docs.report.checks import open_findings
    from cxzy_docs.report.errors import ReportError
    from cxzy_docs.report.ledger import write_ledger
    from cxzy_docs.report.scope import select_scope

    if not records:
        raise ReportError(f"没有{f' {year} 年度的' if year else ''}写实簿记录，无法生成点评台账。请先导入写实簿（cxzy import）。")
    if organization:
        records = list(select_scope(records, organization).records)
        if not records:
            raise ReportError(f"没有“{organization}”及其所属党组织的写实簿，无法生成点评台账。请核对党组织名称。")
    return write_ledger(records, open_findings(records, year=year, as_of=as_of), out)


def report_gongshi(records: Sequence[Record], organization: str, year: int, out: str | Path, **options: Any) -> Any:
    """The 星级先锋 公示 of ``organization`` for ``year`` (DOCX or XLSX by the suffix of ``out``)."""
    from cxzy_docs.report.gongshi import write_notice

    return write_notice(records, organization, year, out, **options)
