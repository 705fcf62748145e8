"""Reading many files: walk folders, read each file in a bounded worker, never let one stop the rest.

Each file is hashed, sniffed and parsed in the reused worker of :mod:`cxzy_docs.read.worker` (an
address-space cap and a wall-clock kill), unless the setting ``isolate`` is false or the platform
cannot (then in this process, with a timer signal as the only bound).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxzy_docs.errors import CxzyError, ReadError
from cxzy_docs.model import Record

if TYPE_CHECKING:
    from cxzy_docs.read.settings import ReadSettings
    from cxzy_docs.read.worker import Worker
    from cxzy_docs.store import Store

# What `parse`/`import` look at when walking a folder. Files given by name are always tried,
# records JSON (``.json``) included; inside folders JSON files are left alone (they are often
# something else).
INPUT_SUFFIXES = {".docx", ".doc", ".wps", ".rtf", ".pdf", ".xlsx", ".xls", ".et", ".png", ".jpg", ".jpeg",
                  ".tif", ".tiff"}

ALREADY_IMPORTED = "内容相同的文件已导入过"


def walk(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and the input files inside folders named (sorted, hidden files skipped).

    Inside folders only regular files are taken (``is_file`` follows links; a device, FIFO or
    socket is never listed); a special file named on its own is refused when it is read.
    """
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES and not any(
                        part.startswith(".") for part in f.relative_to(p).parts):
                    yield f
        else:
            yield p


def shown(path: str | Path) -> str:
    """A path as it may be printed and stored: a name that is not valid UTF-8 (a GBK name from a
    Windows zip) is decoded as GB18030 when it can be, else its odd bytes are shown as ``\\xNN``."""
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = os.fsencode(text)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


@dataclass
class FileOutcome:
    """What became of one input file."""

    path: str
    records: list[Record] = field(default_factory=list)
    error: str | None = None
    skipped: str | None = None  # why nothing was done (already imported)
    seconds: float = 0.0  # wall time the file took to read
    peak_mb: float = 0.0  # the reading worker's peak resident memory (0 when read in this process)
    ocr: bool = False  # read by OCR (whose own memory bound, ocr_max_rss_mb, applied)


class _TimeUp(BaseException):
    """Raised in the reading thread when a file took too long (a BaseException: readers catching
    Exception around a page or a sheet must not swallow it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
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


def describe(exc: BaseException, given: str, settings: Any, path: str | None = None) -> str:
    """The Chinese message for what stopped reading ``given`` (a CxzyError keeps its own message)."""
    if isinstance(exc, _TimeUp):
        message = f"文件 {given}：读取超过 {settings.parse_timeout} 秒（设置项 parse_timeout），已跳过"
    elif isinstance(exc, CxzyError):
        message = exc.message
    elif isinstance(exc, MemoryError):
        limit = getattr(settings, "max_memory_mb", None)
        message = (f"文件 {given}：读取时内存超过 {limit} MB（设置项 max_memory_mb），已跳过" if limit
                   else f"文件 {given}：超出内存限制，已跳过")
    elif isinstance(exc, RecursionError):
        message = f"文件 {given}：结构嵌套过深，已跳过"
    else:  # a parser bug must not stop the batch; say what happened
        message = f"文件 {given}：读取时出现内部错误（{exc.__class__.__name__}: {exc}）"
    if path and path != given:
        message = message.replace(path, given)
    return shown_text(message)


def shown_text(text: str) -> str:
    """Text that can be printed and stored: lone surrogates (from odd file names) as ``\\udcNN``."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _ended(ended: str, given: str, s: ReadSettings) -> str:
    if ended == "timeout":
        return f"文件 {given}：读取超过 {s.parse_timeout} 秒（设置项 parse_timeout），已跳过"
    if ended == "memory":
        return f"文件 {given}：读取时内存超过 {s.max_rss_mb} MB（设置项 max_rss_mb），已跳过"
    if ended == "ocr-memory":
        return f"文件 {given}：OCR 识别时内存超过 {s.ocr_max_rss_mb} MB（设置项 ocr_max_rss_mb），已跳过"
    code = ended.partition(":")[2]
    if code.lstrip("-").isdigit() and int(code) < 0:
        return f"文件 {given}：读取进程被信号 {-int(code)} 终止（可能内存不足），已跳过"
    return f"文件 {given}：读取进程意外退出（退出码 {code}），已跳过"


# ------------------------------------------------------------------- jobs (run in the worker)

def job_identify(path: str, given: str, settings: ReadSettings) -> tuple[str, Any]:
    """``("ok", (sha256, size, format))`` or ``("error", message)``: hashing and sniffing, bounded."""
    from cxzy_docs.read.worker import sha256_regular

    try:
        sha, size = sha256_regular(path, given)
        fmt = "json" if path.lower().endswith(".json") else _sniff(path)
        return "ok", (sha, size, fmt)
    except BaseException as exc:
        return "error", describe(exc, given, settings, path)


def _sniff(path: str) -> str:
    from cxzy_docs.read.sniff import sniff

    return sniff(path)


def job_parse(path: str, given: str, settings: ReadSettings) -> tuple[str, Any]:
    """``("ok", records)`` or ``("error", message)`` for one file (records JSON or a document)."""
    try:
        from cxzy_docs.read.worker import open_regular

        open_regular(path, given).close()  # a special file swapped in since the parent looked
        if path.lower().endswith(".json"):
            from cxzy_docs.model import load_records

            records = load_records(path, name=given)
        else:
            from cxzy_docs.read import parse_file

            records = parse_file(path, settings=settings)
        return "ok", records
    except BaseException as exc:
        return "error", describe(exc, given, settings, path)


def job_records(path: str, given: str, settings: ReadSettings) -> tuple[str, Any]:
    """``("ok", records)`` or ``("error", message)`` for a records JSON file, whatever its name."""
    try:
        from cxzy_docs.model import load_records
        from cxzy_docs.read.worker import open_regular

        open_regular(path, given).close()
        return "ok", load_records(path, name=given)
    except BaseException as exc:
        return "error", describe(exc, given, settings, path)


# ---------------------------------------------------------------------------- the asking side

class _Reader:
    """Runs jobs for one file: in the shared worker (bounded) or here (timer signal only)."""

    def __init__(self, path: Path, given: str, settings: ReadSettings, worker: Worker | None = None) -> None:
        from cxzy_docs.read.worker import Limits, can_isolate

        self.worker = worker
        self.path, self.given, self.s = str(path), given, settings
        self.isolated = settings.isolate and can_isolate()
        self.limits = Limits(settings.max_memory_mb, settings.max_rss_mb, settings.ocr_max_rss_mb)
        self.start = time.monotonic()
        self.deadline = self.start + settings.parse_timeout
        self.peak_mb = 0.0
        self.ocr = False

    def run(self, job: Callable[..., tuple[str, Any]]) -> tuple[str, Any]:
        args = (self.path, self.given, self.s)
        if not self.isolated:
            left = self.deadline - time.monotonic()
            if left <= 0:
                return "error", _ended("timeout", self.given, self.s)
            try:
                with time_limit(left):
                    return job(*args)
            except _TimeUp as exc:
                return "error", describe(exc, self.given, self.s)
        from cxzy_docs.read.worker import shared

        answer = (self.worker or shared()).call(job, args, self.limits, self.deadline)
        self.peak_mb = max(self.peak_mb, answer.peak_mb)
        self.ocr = self.ocr or answer.ocr
        if answer.ended:
            return "error", _ended(answer.ended, self.given, self.s)
        if answer.error is not None:
            return "error", describe(answer.error, self.given, self.s, self.path)
        status, payload = answer.value
        return status, payload

    def outcome(self, **kw: Any) -> FileOutcome:
        return FileOutcome(self.given, seconds=round(time.monotonic() - self.start, 3), peak_mb=self.peak_mb,
                           ocr=self.ocr, **kw)


def _settings() -> ReadSettings:
    from cxzy_docs.read.settings import ReadSettings

    return ReadSettings.resolve(None)


def parse_one(path: Path, given: str | None = None, *, settings: ReadSettings | None = None,
              worker: Worker | None = None) -> FileOutcome:
    """Parse one file into records; any failure becomes a Chinese message, never an exception.

    The file is read in the bounded worker (see the module's docstring); ``parse_timeout`` seconds
    and ``max_memory_mb`` MB at most (``CXZY_LIMITS``). ``worker``: another than this process's
    shared one (the fuzzer runs several).
    """
    given = shown(path) if given is None else shown_text(given)
    try:
        s = settings or _settings()
    except CxzyError as exc:
        return FileOutcome(given, error=exc.message)
    try:
        from cxzy_docs.read.worker import refuse_special

        refuse_special(path, given)
    except ReadError as exc:
        return FileOutcome(given, error=exc.message)
    reader = _Reader(path, given, s, worker)
    status, payload = reader.run(job_parse)
    if status != "ok":
        return reader.outcome(error=payload)
    for rec in payload:
        rec["source"] = given
    return reader.outcome(records=payload)


def read_records(path: str | Path, given: str | None = None) -> FileOutcome:
    """The records of a records JSON file (``cxzy fill``), read in the bounded worker like any input."""
    given = shown(path) if given is None else shown_text(given)
    try:
        s = _settings()
        from cxzy_docs.read.worker import refuse_special

        refuse_special(path, given)
    except CxzyError as exc:
        return FileOutcome(given, error=exc.message)
    reader = _Reader(Path(path), given, s)
    status, payload = reader.run(job_records)
    return reader.outcome(records=payload) if status == "ok" else reader.outcome(error=payload)


def parse_many(paths: Iterable[str | Path], on_file: Callable[[FileOutcome], None] | None = None
               ) -> list[FileOutcome]:
    """Parse every file under ``paths``, one outcome per file."""
    outcomes = []
    for f in walk(paths):
        outcome = parse_one(f)
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


def import_one(f: Path, store: Store, settings: ReadSettings | None = None) -> tuple[FileOutcome, int]:
    """Import one file: (what became of it, books added). Never raises for a bad file."""
    given = shown(f)
    try:
        s = settings or _settings()
        from cxzy_docs.read.worker import refuse_special

        refuse_special(f, given)
    except CxzyError as exc:
        return FileOutcome(given, error=exc.message), 0
    reader = _Reader(f, given, s)
    status, payload = reader.run(job_identify)
    if status != "ok":
        return reader.outcome(error=payload), 0
    sha, size, fmt = payload
    try:
        if store.has_file(sha):
            return reader.outcome(skipped=ALREADY_IMPORTED), 0
    except CxzyError as exc:
        return reader.outcome(error=_for_file(exc, given)), 0
    status, payload = reader.run(job_parse)
    if status != "ok":
        return reader.outcome(error=payload), 0
    records = payload
    for rec in records:
        rec["source"] = given
    try:
        added = store.add_file(given, sha, fmt, size, records)
    except CxzyError as exc:
        return reader.outcome(records=records, error=_for_file(exc, given)), 0
    if added == 0:
        return reader.outcome(records=records, skipped=ALREADY_IMPORTED), 0
    return reader.outcome(records=records), added


def _for_file(exc: CxzyError, given: str) -> str:
    """A store error while importing ``given``: the line names the input file, never the database."""
    if exc.file == given:
        return exc.message
    where = f"，{exc.where}" if exc.where else ""
    return f"文件 {given}{where}：{exc.detail}"


def import_many(paths: Iterable[str | Path], store: Store,
                on_file: Callable[[FileOutcome], None] | None = None) -> ImportSummary:
    """Import every file under ``paths`` into ``store``, each file in its own transaction.

    A file whose content is already in the store is skipped (content hash), also when another
    import stored it a moment ago; a file that fails is reported and leaves the store untouched;
    the batch always goes on.
    """
    summary = ImportSummary()
    for f in walk(paths):
        summary.files += 1
        outcome, added = import_one(f, store)
        summary.books += added
        if outcome.error:
            summary.failed.append(outcome)
        elif outcome.skipped:
            summary.skipped.append(outcome)
        if on_file:
            on_file(outcome)
    return summary
