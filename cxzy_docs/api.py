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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cxzy_docs.check import ELEMENT_NAMES, ELEMENTS, ElementResult, Evidence, Finding, ReviewElements
from cxzy_docs.check import analyse_review as review_elements
from cxzy_docs.check import validate as _validate
from cxzy_docs.fieldlabels import field_label
from cxzy_docs.fileio import write_atomic
from cxzy_docs.importer import ImportSummary, import_many
from cxzy_docs.model import Record, display_name
from cxzy_docs.read.batch import FileOutcome, parse_book_folders, parse_many, read_records, walk
from cxzy_docs.read.locate import Doubtful, doubtful, field_crop
from cxzy_docs.read.settings import ReadSettings
from cxzy_docs.render.generate import FORMATS, GenerateResult, generate_books
from cxzy_docs.report.grades import STAR_GRADES
from cxzy_docs.roster import Roster, blank_records, read_roster
from cxzy_docs.store import (
    ACTION_NAMES,
    DB_ENV,
    BookOutcome,
    BookRow,
    ConflictError,
    ConflictInfo,
    SourceInfo,
    Store,
    StoreError,
    to_url,
)
from cxzy_docs.textnorm import safe_filename_part
from cxzy_docs.xlsxsafe import put_text

Settings = ReadSettings | dict[str, Any] | None
GRADES = STAR_GRADES  # the 星级先锋 scale, best first: (grade, the mark a 公示 prints)

__all__ = [
    "ACTION_NAMES",
    "DB_ENV",
    "ELEMENTS",
    "ELEMENT_NAMES",
    "FORMATS",
    "GRADES",
    "BookOutcome",
    "BookRow",
    "ConflictError",
    "ConflictInfo",
    "Doubtful",
    "ElementResult",
    "Evidence",
    "FileOutcome",
    "Finding",
    "GenerateResult",
    "ImportSummary",
    "ReviewElements",
    "Roster",
    "RosterLoad",
    "SourceInfo",
    "Store",
    "StoreError",
    "blank_books",
    "book_conflicts",
    "book_docx",
    "book_sources",
    "crop_of_field",
    "doubtful_fields",
    "export_records",
    "field_label",
    "files_not_stored",
    "find_files",
    "generate",
    "import_files",
    "import_grades",
    "load_records",
    "load_roster",
    "members_for_year",
    "open_store",
    "parse",
    "put_text",
    "read_inputs",
    "read_roster",
    "report_gongshi",
    "report_ledger",
    "report_summary",
    "review_elements",
    "roster_years",
    "settings",
    "stored_records",
    "stored_roster",
    "to_url",
    "validate",
    "write_atomic",
]


def settings(given: Settings = None) -> ReadSettings:
    """The reading settings: ``given`` (settings, a dict of them) over the defaults and ``$CXZY_LIMITS``."""
    return ReadSettings.resolve(given)


# ----------------------------------------------------------------------------------- read


def find_files(paths: Iterable[str | Path], *, skipped: list[FileOutcome] | None = None) -> list[Path]:
    """The files named, and the readable files inside the folders named (sorted, hidden ones left out);
    what is not read (other types, Word lock files, hidden files) goes to ``skipped`` with the reason."""
    return list(walk(paths, skipped))


def parse(
    paths: Iterable[str | Path],
    *,
    settings: Settings = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    pages_of_one_book: bool = False,
) -> list[FileOutcome]:
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


def open_store(db: str | Path | None = None, *, upgrade: bool = True, backup: bool = True) -> Store:
    """The store at ``db`` (a file or an SQLAlchemy URL; default ``$CXZY_DB`` or ``./cxzy.db``); use it in ``with``.

    A store from an older cxzy is upgraded on opening, after a backup (``store.upgrade_note`` says
    where); ``backup=False`` skips it (PostgreSQL without pg_dump: back up first, then this).
    """
    return Store(db, upgrade=upgrade, backup=backup)


def import_files(
    paths: Iterable[str | Path],
    store: Store,
    *,
    settings: Settings = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    as_new: bool = False,
    corrected: bool = False,
) -> ImportSummary:
    """Read every file under ``paths`` into ``store``, each file in its own transaction; each book read
    is added to the book already stored for that person (or organization) and year, or is a new one.

    ``as_new``: a book of its own even where one is stored (a person who really has two).
    ``corrected``: the files are corrected copies: where they differ, their values are a new version.
    """
    return import_many(paths, store, on_file=on_file, settings=settings, as_new=as_new, corrected=corrected)


def stored_records(store: Store, *, year: int | None = None) -> tuple[list[Record], list[str]]:
    """The records in ``store`` (of ``year``), one per book, each with its ``source`` (the first), its
    ``sources`` and its open ``conflicts``; and one line per row that is unreadable."""
    records = [row.record | {"source": row.source or _first_source(row)} for row in store.books(year=year)]
    return records, list(store.problems)


def _first_source(row: BookRow) -> str:
    sources = row.sources
    return str(sources[0].get("source")) if sources and sources[0].get("source") else f"数据库#{row.id}"


def read_inputs(
    paths: Iterable[str | Path],
    *,
    settings: Settings = None,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> tuple[list[Record], list[FileOutcome]]:
    """Records from files (forms, ledgers, ``cxzy.record/1`` JSON), merged as the store merges them:
    one record per book, listing its ``sources`` and open ``conflicts``; and every file's outcome."""
    from cxzy_docs.identity import merge_records

    skipped: list[FileOutcome] = []
    files = list(walk(paths, skipped))
    outcomes = parse_many(files, on_file=on_file, settings=settings)
    records = merge_records([rec for o in outcomes for rec in o.records])
    return records, skipped + outcomes


def book_sources(store: Store, book_id: int) -> list[SourceInfo]:
    """Every file (or ledger, records file) a stored book was read from, in order, and what it did."""
    return store.sources(book_id)


def book_conflicts(store: Store, book_id: int) -> list[ConflictInfo]:
    """The fields a stored book's sources disagree on: each source's value, settled or not."""
    return store.conflicts(book_id)


# ---------------------------------------------------------------------------------- roster


@dataclass
class RosterLoad:
    """A roster stored for a year: what was read (problems included), the year, the file."""

    roster: Roster
    year: int
    source: str


def load_roster(
    store: Store, path: str | Path, orgs_path: str | Path | None = None, *, year: int
) -> RosterLoad:
    """Read a roster (花名册: members, organizations with 上级党组织) and store it as the tree of ``year``,
    replacing what was stored for that year."""
    from cxzy_docs.store import sha256_file

    roster = read_roster(path, orgs_path)
    store.save_roster(year, roster.members, roster.organizations, source=str(path), sha=sha256_file(path))
    roster.year, roster.source = year, str(path)
    return RosterLoad(roster, year, str(path))


def stored_roster(store: Store, year: int | None = None, *, exact: bool = False) -> Roster | None:
    """The organization tree stored for ``year`` as a :class:`Roster` (its ``year`` says which one: that
    year's, else the latest before it unless ``exact``); None when no roster is stored."""
    from cxzy_docs.roster import roster_from_rows

    found = store.roster_rows(year, exact=exact)
    if found is None:
        return None
    got_year, members, orgs, source = found
    return roster_from_rows(members, orgs, year=got_year, source=source)


def roster_years(store: Store) -> list[dict[str, Any]]:
    """Each stored roster: year, source, when loaded, how many members and organizations."""
    return store.roster_years()


def members_for_year(
    roster: Roster, year: int
) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], str]]]:
    """(members who have a book for ``year``, [(member, why not)]: joined after the year, transferred out)."""
    from cxzy_docs.roster import members_for_year as _members

    return _members(roster, year)


# ---------------------------------------------------------------------------------- export


def export_records(
    store: Store,
    out: str | Path,
    fmt: str = "json",
    *,
    year: int | None = None,
    organization: str | None = None,
) -> int:
    """Write the stored books out (``json``: ``cxzy.record/1`` records with their sources and conflicts;
    ``xlsx``: a sheet of books with their header fields, one of reviews with their three elements, one
    of sources, one of conflicts); the number of books written."""
    from cxzy_docs.export import write_export

    records, _problems = stored_records(store, year=year)
    if organization:
        from cxzy_docs.identity import name_key

        tree = stored_roster(store, year)
        wanted = _subtree(organization, tree, records)
        records = [r for r in records if name_key(_org_of(r)) in wanted]
    return write_export(records, out, fmt)


def _org_of(record: Record) -> Any:
    subj = record.get("subject") or {}
    return subj.get("organization") if record.get("kind") == "member" else subj.get("name")


def _subtree(organization: str, tree: Roster | None, records: Sequence[Record]) -> set[str]:
    """The keys of ``organization`` and every organization under it (by the stored tree and the books' 上级党组织)."""
    from cxzy_docs.identity import name_key

    children: dict[str, set[str]] = {}
    pairs = [(o.get("name"), o.get("parent")) for o in (tree.organizations if tree else [])]
    pairs += [
        ((r.get("subject") or {}).get("name"), (r.get("subject") or {}).get("parent"))
        for r in records
        if r.get("kind") == "organization"
    ]
    for name, parent in pairs:
        if name_key(name) and name_key(parent):
            children.setdefault(str(name_key(parent)), set()).add(str(name_key(name)))
    out, todo = set(), [name_key(organization)]
    while todo:
        key = todo.pop()
        if key and key not in out:
            out.add(key)
            todo.extend(children.get(key, ()))
    return out


# -------------------------------------------------------------------------------- checking


def doubtful_fields(record: Record) -> list[Doubtful]:
    """The fields a reader was not sure of (scans, odd names and dates), least sure first."""
    return doubtful(record)


def crop_of_field(record: Record, path: str, outdir: str | Path, *, settings: Settings = None) -> Path:
    """The part of the original page a field was read from, written as a PNG into ``outdir``.

    Raises :class:`~cxzy_docs.errors.ReadError` (Chinese, naming the file) when the field has no place
    on a page (DOCX, XLSX and typed-in values have none) or the original is gone.
    """
    prov = (record.get("provenance") or {}).get(path) or {}
    image = field_crop(str(record.get("source") or ""), prov, settings=settings)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{safe_filename_part(display_name(record))}-{path.replace('.', '-')}.png"
    image.save(target)
    return target


def validate(
    records: Sequence[Record],
    *,
    roster: Roster | None = None,
    year: int | None = None,
    as_of: dt.date | None = None,
) -> list[Finding]:
    """Every finding on ``records``, grouped by book; with a ``roster`` (from a file or the store), who
    has no book too (namesakes one to one), and books of organizations the tree does not know."""
    return _validate(
        records,
        roster_members=roster.members if roster else None,
        roster_orgs=roster.organizations if roster else None,
        year=year,
        as_of=as_of,
    )


# ------------------------------------------------------------------------------ generating


def blank_books(roster: Roster, year: int) -> list[Record]:
    """One empty record per member and organization of ``roster``, cover and header filled in."""
    return blank_records(roster, year)


def book_docx(record: Record) -> bytes:
    """One record as a filled DOCX book, in memory."""
    from cxzy_docs.render.docx import render_docx

    return render_docx(record)


def generate(
    records: Sequence[Record],
    out: str | Path,
    formats: Sequence[str] = ("docx",),
    *,
    combined: bool = False,
    on_book: Callable[[Record], None] | None = None,
) -> GenerateResult:
    """Write each record as a book in each of ``formats`` (docx, xlsx, pdf) into the folder ``out``."""
    return generate_books(records, out, tuple(formats), combined=combined, on_book=on_book)


# -------------------------------------------------------------------------------- reports


def report_summary(
    records: Sequence[Record],
    organization: str,
    year: int,
    out: str | Path,
    *,
    roster: Roster | None = None,
    unread: Iterable[Any] = (),
    store_problems: Iterable[str] = (),
    **options: Any,
) -> Any:
    """The annual summary of ``organization`` and the organizations under it (DOCX, optionally PDF).

    ``roster``: who should have a book (the organization tree and members, a :class:`Roster`);
    ``unread``: the books that exist but could not be read — failed :class:`FileOutcome` objects,
    ``(path, reason)`` pairs or paths (:func:`files_not_stored` finds them in a folder) — and
    ``store_problems``: the stored books that are not sound records (:func:`stored_records`' second
    list): each counts as 未能读取 with its file, never as missing.
    ``options``: ``pdf``, ``template_dir``, ``today``, ``as_of``, ``date`` (落款日期, default the as-of
    date), ``issuer`` (落款, default the organization).
    """
    from cxzy_docs.report.census import unread_from_store
    from cxzy_docs.report.summary import write_summary

    items = [*unread, *(unread_from_store(p) for p in store_problems)]
    return write_summary(
        records,
        organization,
        year,
        out,
        roster_members=roster.members if roster else None,
        roster_orgs=roster.organizations if roster else None,
        unread=items,
        **options,
    )


def files_not_stored(store: Store, paths: Iterable[str | Path]) -> list[Path]:
    """The files under ``paths`` (as :func:`find_files` lists them) whose content is not in ``store``:
    books handed in that could not be read when imported (or were never imported)."""
    from cxzy_docs.store import sha256_file

    out = []
    for path in walk(paths):
        try:
            known = store.has_file(sha256_file(path))
        except OSError:
            known = False
        if not known:
            out.append(path)
    return out


def report_ledger(
    records: Sequence[Record],
    out: str | Path,
    *,
    organization: str | None = None,
    year: int | None = None,
    as_of: dt.date | None = None,
    roster: Roster | None = None,
) -> list[Any]:
    """The review ledger (点评台账): one row per review with its elements and open findings; ``out`` .xlsx
    (to work with and print on A4 landscape) or .docx (to file)."""
    from cxzy_docs.report.checks import open_findings
    from cxzy_docs.report.errors import ReportError
    from cxzy_docs.report.ledger import write_ledger
    from cxzy_docs.report.scope import select_scope

    if not records:
        raise ReportError(
            f"没有{f' {year} 年度的' if year else ''}写实簿记录，无法生成点评台账。请先导入写实簿（cxzy import）。"
        )
    if organization:
        records = list(select_scope(records, organization, roster.organizations if roster else None).records)
        if not records:
            raise ReportError(
                f"没有“{organization}”及其所属党组织的写实簿，无法生成点评台账。请核对党组织名称。"
            )
    return write_ledger(
        records, open_findings(records, year=year, as_of=as_of), out, organization=organization, year=year
    )


def import_grades(store: Store, path: str | Path, *, year: int | None = None) -> Any:
    """Store the 评议结果 of a grades sheet (姓名 / 所在党组织 / 评定等次; a roster with a 评定等次 column
    will do) into the books of ``store``, each through :meth:`Store.edit` (history kept, undo works).

    Returns a :class:`cxzy_docs.report.gradesheet.GradesImport`: rows, changed, unchanged, problems.
    """
    from cxzy_docs.report.gradesheet import import_grades as _import

    return _import(store, path, year=year)


def report_gongshi(
    records: Sequence[Record], organization: str, year: int, out: str | Path, **options: Any
) -> Any:
    """The 星级先锋 公示 of ``organization`` for ``year`` (DOCX or XLSX by the suffix of ``out``)."""
    from cxzy_docs.report.gongshi import write_notice

    return write_notice(records, organization, year, out, **options)
