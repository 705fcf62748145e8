"""Reading many files: walk folders, parse each file on its own, never let one stop the rest."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxzy_docs.errors import CxzyError
from cxzy_docs.model import Record

if TYPE_CHECKING:
    from cxzy_docs.store import Store

# What `parse`/`import` look at when walking a folder. Files given by name are always tried,
# records JSON (``.json``) included; inside folders JSON files are left alone (they are often
# something else).
INPUT_SUFFIXES = {".docx", ".doc", ".wps", ".rtf", ".pdf", ".xlsx", ".xls", ".et", ".png", ".jpg", ".jpeg",
                  ".tif", ".tiff"}


def walk(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and the input files inside folders named (sorted, hidden files skipped)."""
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES and not any(
                        part.startswith(".") for part in f.relative_to(p).parts):
                    yield f
        else:
            yield p


@dataclass
class FileOutcome:
    """What became of one input file."""

    path: str
    records: list[Record] = field(default_factory=list)
    error: str | None = None
    skipped: str | None = None  # why nothing was done (already imported)
    kind: str | None = None  # what the file is by its content (sniffed once), "json" for records JSON


class _TimeUp(BaseException):
    """Raised in the reading thread when a file took too long (a BaseException: readers catching
    Exception around a page or a sheet must not swallow it)."""


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise :class:`_TimeUp` after ``seconds`` (main thread on POSIX only; elsewhere no limit)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _up(_sig: int, _frame: object) -> None:
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, _up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def parse_one(path: Path, given: str) -> FileOutcome:
    """Parse one file into records; any failure becomes a Chinese message, never an exception.

    Reading stops after ``parse_timeout`` seconds (a setting, see ``CXZY_LIMITS``). PDFs and images
    are read in a worker process that is also bounded in memory (``max_rss_mb``, ``ocr_max_rss_mb``)
    unless the setting ``isolate`` is false or the platform cannot fork.
    """
    from cxzy_docs.read.settings import ReadSettings

    settings: Any = None
    kind: str | None = None
    try:
        settings = ReadSettings.resolve(None)
        if path.suffix.lower() == ".json":
            kind = "json"
        else:
            from cxzy_docs.read.sniff import sniff

            kind = sniff(path)  # once: the readers are told what the file is
        if kind != "json" and settings.isolate and _isolated(kind):
            from cxzy_docs.isolated import parse_isolated

            records, error = parse_isolated(path, given, settings, lambda exc: _describe(exc, given, settings),
                                            kind=kind)
            if records is None:
                return FileOutcome(given, error=error, kind=kind)
        else:
            with time_limit(settings.parse_timeout):
                if kind == "json":
                    from cxzy_docs.model import load_records

                    records = load_records(path)
                else:
                    from cxzy_docs.read import parse_file

                    records = parse_file(path, settings=settings, kind=kind)
    except (_TimeUp, Exception) as exc:
        return FileOutcome(given, error=_describe(exc, given, settings), kind=kind)
    from cxzy_docs.model import source_of

    for rec in records:
        rec["source"] = source_of(given, rec)  # the file as given, and the part of a binder
    return FileOutcome(given, records=records, kind=kind)


def _isolated(kind: str) -> bool:
    from cxzy_docs.isolated import ISOLATED_KINDS, can_isolate

    return kind in ISOLATED_KINDS and can_isolate()


def _describe(exc: BaseException, given: str, settings: Any) -> str:
    """The Chinese message for what stopped reading ``given`` (a CxzyError keeps its own message)."""
    if isinstance(exc, _TimeUp):
        return f"文件 {given}：读取超过 {settings.parse_timeout} 秒（设置项 parse_timeout），已跳过"
    if isinstance(exc, CxzyError):
        return exc.message
    if isinstance(exc, MemoryError):
        return f"文件 {given}：超出内存限制，已跳过"
    if isinstance(exc, RecursionError):
        return f"文件 {given}：结构嵌套过深，已跳过"
    # a parser bug must not stop the batch; say what happened
    return f"文件 {given}：读取时出现内部错误（{exc.__class__.__name__}: {exc}）"


def parse_many(paths: Iterable[str | Path], on_file: Callable[[FileOutcome], None] | None = None
               ) -> list[FileOutcome]:
    """Parse every file under ``paths``, one outcome per file."""
    outcomes = []
    for f in walk(paths):
        outcome = parse_one(f, str(f))
        outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    return outcomes


@dataclass
class ImportSummary:
    """What an import did: files read, books stored, files skipped or failed (with reasons)."""

    files: int = 0
    books: int = 0
    skipped: list[FileOutcome] = field(default_factory=list)
    failed: list[FileOutcome] = field(default_factory=list)


def import_many(paths: Iterable[str | Path], store: Store,
                on_file: Callable[[FileOutcome], None] | None = None) -> ImportSummary:
    """Import every file under ``paths`` into ``store``, each file in its own transaction.

    A file whose content is already in the store is skipped (content hash); a file that fails
    is reported and leaves the store untouched; the batch always goes on.
    """
    from cxzy_docs.store import sha256_file

    summary = ImportSummary()
    for f in walk(paths):
        summary.files += 1
        given = str(f)
        try:
            sha = sha256_file(f)
        except OSError as exc:
            outcome = FileOutcome(given, error=f"文件 {given}：无法读取（{exc.strerror}）")
        else:
            if store.has_file(sha):
                outcome = FileOutcome(given, skipped="内容相同的文件已导入过")
            else:
                outcome = parse_one(f, given)
                if outcome.error is None:
                    try:
                        added = store.add_file(given, sha, outcome.kind or "unknown", f.stat().st_size,
                                               outcome.records)
                    except CxzyError as exc:
                        outcome.error = exc.message
                    else:
                        if added == 0:
                            outcome.skipped = "内容相同的文件已导入过"
                        summary.books += added
        if outcome.error:
            summary.failed.append(outcome)
        elif outcome.skipped:
            summary.skipped.append(outcome)
        if on_file:
            on_file(outcome)
    return summary
