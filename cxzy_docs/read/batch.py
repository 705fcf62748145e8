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
from cxzy_docs.model import Record, source_of

if TYPE_CHECKING:
    from cxzy_docs.read.settings import ReadSettings
    from cxzy_docs.read.worker import Worker

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

            records = parse_file(path, settings=settings, kind=_sniff(path))  # sniffed once
        return "ok", records
    except BaseException as exc:
        return "error", describe(exc, given, settings, path)


def job_parse_book(path: str, given: str, settings: ReadSettings) -> tuple[str, Any]:
    """``("ok", records)`` or ``("error", message)`` for a folder of page images of one book."""
    try:
        from cxzy_docs.read import parse_pages_of_one_book

        return "ok", parse_pages_of_one_book(path, settings=settings)
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

@dataclass
class _Read:
    """What one job gave for one file."""

    status: str
    payload: Any
    seconds: float = 0.0
    peak_mb: float = 0.0
    ocr: bool = False


def _read_all(job: Callable[..., tuple[str, Any]], files: list[tuple[Path, str]], s: ReadSettings,
              worker: Worker | None = None) -> Iterator[_Read]:
    """``job`` for each ``(path, shown name)``, in order: streamed through the shared worker (bounded),
    or here with a timer signal when isolation is off or impossible."""
    from cxzy_docs.read.worker import Limits, can_isolate, stream_parallel

    if not (s.isolate and can_isolate()):
        for path, given in files:
            start = time.monotonic()
            try:
                with time_limit(s.parse_timeout):
                    status, payload = job(str(path), given, s)
            except _TimeUp as exc:
                status, payload = "error", describe(exc, given, s)
            yield _Read(status, payload, time.monotonic() - start)
        return
    limits = Limits(s.max_memory_mb, s.max_rss_mb, s.ocr_max_rss_mb)
    items = [(str(path), given, s) for path, given in files]
    answers = (worker.stream(job, items, limits, s.parse_timeout) if worker is not None
               else stream_parallel(job, items, limits, s.parse_timeout, s.workers))
    for (path, given), answer in zip(files, answers, strict=True):
        if answer.ended:
            status, payload = "error", _ended(answer.ended, given, s)
        elif answer.error is not None:
            status, payload = "error", describe(answer.error, given, s, str(path))
        else:
            status, payload = answer.value
        yield _Read(status, payload, answer.seconds, answer.peak_mb, answer.ocr)


def _outcome(given: str, read: _Read, **kw: Any) -> FileOutcome:
    return FileOutcome(given, seconds=round(read.seconds, 3), peak_mb=read.peak_mb, ocr=read.ocr, **kw)


def _refused(files: list[tuple[Path, str]]) -> dict[int, FileOutcome]:
    """Files refused before any worker sees them: missing, or a device, FIFO or socket."""
    from cxzy_docs.read.worker import refuse_special

    out = {}
    for k, (path, given) in enumerate(files):
        try:
            refuse_special(path, given)
        except ReadError as exc:
            out[k] = FileOutcome(given, error=exc.message)
    return out


def _settings(given: Any = None) -> ReadSettings:
    """The settings a caller gave (settings, a dict of them, None) over the defaults and ``$CXZY_LIMITS``."""
    from cxzy_docs.read.settings import ReadSettings

    return ReadSettings.resolve(given)


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
    return _parse_files([(Path(path), given)], s, worker)[0]


def _parse_files(files: list[tuple[Path, str]], s: ReadSettings, worker: Worker | None = None,
                 on_file: Callable[[FileOutcome], None] | None = None,
                 job: Callable[..., tuple[str, Any]] = job_parse) -> list[FileOutcome]:
    refused = {} if job is job_parse_book else _refused(files)
    reads = _read_all(job, [f for k, f in enumerate(files) if k not in refused], s, worker)
    outcomes = []
    for k, (_path, given) in enumerate(files):
        outcome = refused.get(k)
        if outcome is None:
            read = next(reads)
            if read.status != "ok":
                outcome = _outcome(given, read, error=read.payload)
            else:
                for rec in read.payload:
                    rec["source"] = source_of(given, rec)  # the file as given, and the part of a binder
                outcome = _outcome(given, read, records=read.payload)
        outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    return outcomes


def read_records(path: str | Path, given: str | None = None) -> FileOutcome:
    """The records of a records JSON file (``cxzy fill``), read in the bounded worker like any input."""
    given = shown(path) if given is None else shown_text(given)
    try:
        s = _settings()
    except CxzyError as exc:
        return FileOutcome(given, error=exc.message)
    files = [(Path(path), given)]
    refused = _refused(files)
    if refused:
        return refused[0]
    read = next(_read_all(job_records, files, s))
    return _outcome(given, read, records=read.payload) if read.status == "ok" else _outcome(given, read, error=read.payload)


def parse_many(paths: Iterable[str | Path], on_file: Callable[[FileOutcome], None] | None = None,
               settings: Any = None) -> list[FileOutcome]:
    """Parse every file under ``paths``, one outcome per file, in order (streamed through the worker).

    ``settings``: reading limits and tolerances (ReadSettings, a dict of them, or None: the defaults and
    ``$CXZY_LIMITS``)."""
    files = [(f, shown(f)) for f in walk(paths)]
    try:
        s = _settings(settings)
    except CxzyError as exc:
        outcomes = [FileOutcome(given, error=exc.message) for _f, given in files]
        for o in outcomes:
            if on_file:
                on_file(o)
        return outcomes
    return _parse_files(files, s, None, on_file)


@dataclass(frozen=True)
class FileKey:
    """What identifies a file's content in a store: its SHA-256, size and format."""

    sha256: str
    size: int
    format: str


def read_new_files(paths: Iterable[str | Path], known: Callable[[str], bool], settings: Any = None
                   ) -> Iterator[tuple[FileOutcome, FileKey | None]]:
    """Each file under ``paths`` as (outcome, key): read into records with its key, or not read.

    Files are hashed and sniffed first (one stream through the worker); a file whose SHA-256
    ``known`` says is stored already is not parsed (its outcome is ``skipped``); the rest are parsed
    (a second stream). A file that fails has an outcome with its error and no key. Each file takes
    at most 2 x ``parse_timeout``: one for hashing and sniffing, one for parsing. ``known`` may
    raise CxzyError (a store that cannot be read): that file fails with a line naming it.
    """
    files = [(f, shown(f)) for f in walk(paths)]
    try:
        s = _settings(settings)
    except CxzyError as exc:
        for _f, given in files:
            yield FileOutcome(given, error=exc.message), None
        return
    refused = _refused(files)
    for outcome in refused.values():
        yield outcome, None
    candidates = [f for k, f in enumerate(files) if k not in refused]
    to_parse: list[tuple[Path, str]] = []
    keys: list[tuple[FileKey, _Read]] = []  # each file's key and its first read, as to_parse
    for (path, given), read in zip(candidates, _read_all(job_identify, candidates, s), strict=True):
        if read.status != "ok":
            yield _outcome(given, read, error=read.payload), None
            continue
        key = FileKey(*read.payload)
        try:
            stored = known(key.sha256)
        except CxzyError as exc:
            yield _outcome(given, read, error=for_file(exc, given)), None
            continue
        if stored:
            yield _outcome(given, read, skipped=ALREADY_IMPORTED), None
            continue
        to_parse.append((path, given))
        keys.append((key, read))
    parsed = _read_all(job_parse, to_parse, s)
    for (_path, given), (key, first), read in zip(to_parse, keys, parsed, strict=True):
        read.seconds += first.seconds
        read.peak_mb = max(read.peak_mb, first.peak_mb)
        if read.status != "ok":
            yield _outcome(given, read, error=read.payload), None
            continue
        for rec in read.payload:
            rec["source"] = source_of(given, rec)
        yield _outcome(given, read, records=read.payload), key


def for_file(exc: CxzyError, given: str) -> str:
    """A store error while importing ``given``: the line names the input file, never the database."""
    if exc.file == given:
        return exc.message
    where = f"，{exc.where}" if exc.where else ""
    return f"文件 {given}{where}：{exc.detail}"


def parse_book_folders(folders: Iterable[str | Path], on_file: Callable[[FileOutcome], None] | None = None,
                       settings: Any = None) -> list[FileOutcome]:
    """Each folder named holds the page images of one book (``cxzy parse --pages-of-one-book``): one
    outcome per folder, read in the bounded worker like a file."""
    items = [(Path(f), shown(f)) for f in folders]
    try:
        s = _settings(settings)
    except CxzyError as exc:
        return [FileOutcome(given, error=exc.message) for _f, given in items]
    return _parse_files(items, s, None, on_file, job=job_parse_book)
