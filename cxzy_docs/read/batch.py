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
from cxzy_docs.model import Record, part_label, source_of

if TYPE_CHECKING:
    from cxzy_docs.read.settings import ReadSettings
    from cxzy_docs.read.worker import Worker

# What `parse`/`import` look at when walking a folder. Files given by name are always tried,
# records JSON (``.json``) included; inside folders JSON files are left alone (they are often
# something else).
INPUT_SUFFIXES = {
    ".docx",
    ".doc",
    ".wps",
    ".rtf",
    ".pdf",
    ".xlsx",
    ".xls",
    ".et",
    ".png",
    ".jpg",
    ".jpeg",
    ".tif",
    ".tiff",
}

ALREADY_IMPORTED = "内容相同的文件已导入过"
RECORD_SUFFIXES = (".json", ".jsonl")  # records JSON: one record, an array, or JSON Lines


def is_records_file(path: str | Path) -> bool:
    return str(path).lower().endswith(RECORD_SUFFIXES)


def skip_reason(path: Path, named: bool = False) -> str | None:
    """Why a file is not read at all (None: it is read). ``named``: given by name, not found in a folder
    (then everything is tried but a Word lock file)."""
    name = path.name
    if name.startswith("~$"):
        return "Word/WPS 打开文档时留下的临时锁文件（~$ 开头），不是写实簿，未读取"
    if named:
        return None
    suffix = path.suffix.lower()
    if suffix in INPUT_SUFFIXES:
        return None
    if suffix in RECORD_SUFFIXES:
        return "文件夹中的 JSON 文件不自动读取；记录文件（cxzy.record/1）请直接列出文件名"
    if suffix == ".zip":
        return None  # opened: its members are read (cxzy_docs.read.archive)
    return f"不是写实簿的文件类型（{suffix or '无扩展名'}），未读取"


def walk(paths: Iterable[str | Path], skipped: list[FileOutcome] | None = None) -> Iterator[Path]:
    """Files named, and the input files inside folders named (sorted, hidden files skipped).

    Inside folders only regular files are taken (``is_file`` follows links; a device, FIFO or
    socket is never listed); a special file named on its own is refused when it is read. What is
    not read (other types, Word lock files ``~$…``, hidden files and folders, JSON files inside a
    folder) goes to ``skipped`` with the reason, when a list is given.
    """
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                hidden = next((i for i, part in enumerate(rel) if part.startswith(".")), None)
                if hidden is not None:
                    if skipped is not None and hidden == len(rel) - 1:  # the hidden file or folder, once
                        what = "隐藏文件夹" if f.is_dir() else "隐藏文件"
                        skipped.append(FileOutcome(shown(f), skipped=f"{what}，未读取"))
                    continue
                if not f.is_file():
                    continue
                reason = skip_reason(f)
                if reason is None:
                    yield f
                elif skipped is not None:
                    skipped.append(FileOutcome(shown(f), skipped=reason))
        else:
            reason = skip_reason(p, named=True)
            if reason is None:
                yield p
            elif skipped is not None:
                skipped.append(FileOutcome(shown(p), skipped=reason))


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
    skipped: str | None = None  # why nothing was done (already imported, not a book, not read)
    notes: list[str] = field(default_factory=list)  # parts of the file that were not books, and why
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
        message = (
            f"文件 {given}：读取时内存超过 {limit} MB（设置项 max_memory_mb），已跳过"
            if limit
            else f"文件 {given}：超出内存限制，已跳过"
        )
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
        fmt = "json" if is_records_file(path) else _sniff(path)
        return "ok", (sha, size, fmt)
    except BaseException as exc:
        return "error", describe(exc, given, settings, path)


def _sniff(path: str) -> str:
    from cxzy_docs.read.sniff import sniff

    return sniff(path)


def job_parse(path: str, given: str, settings: ReadSettings) -> tuple[str, Any]:
    """``("ok", (records, notes))`` or ``("error", message)`` for one file (records JSON or a document);
    ``notes``: what was read but is not a book (a notice, a report, a blank template), and why."""
    try:
        from cxzy_docs.read.worker import open_regular

        open_regular(path, given).close()  # a special file swapped in since the parent looked
        return "ok", _records_of(path, given, settings)
    except BaseException as exc:
        return "error", describe(exc, given, settings, path)


def _records_of(
    path: str, given: str, settings: ReadSettings, kind: str | None = None
) -> tuple[list[Record], list[str]]:
    if is_records_file(path):
        from cxzy_docs.model import load_records

        records = load_records(path, name=given)
        for rec in records:
            rec["format"] = "json"
        return records, []
    from cxzy_docs.errors import UnknownFormError
    from cxzy_docs.read import parse_file
    from cxzy_docs.read.bookness import not_a_book

    books, notes = [], []
    try:
        records = parse_file(path, settings=settings, kind=kind or _sniff(path))  # sniffed once
    except UnknownFormError as exc:  # too few of the form's labels: not a book, skipped with the reason
        return [], [f"{exc.detail}，未导入"]
    for rec in records:
        why = not_a_book(rec)
        if why is None:
            books.append(rec)
        else:
            part = rec.get("part")
            notes.append(f"{part_label(part)}：{why}" if isinstance(part, dict) and len(records) > 1 else why)
    if len(books) == 1:
        from cxzy_docs.read.marker import export_mark

        mark = export_mark(path, settings)
        if mark:
            books[0]["exported_from"] = mark
    return books, notes


_KNOWN: dict[str, frozenset[str]] = {}  # the stored files' hashes an import sent, per worker


def _known(known_path: str | None) -> frozenset[str]:
    if not known_path:
        return frozenset()
    if known_path not in _KNOWN:
        _KNOWN.clear()
        with open(known_path, encoding="ascii") as fh:
            _KNOWN[known_path] = frozenset(line.strip() for line in fh if line.strip())
    return _KNOWN[known_path]


def job_read(path: str, given: str, settings: ReadSettings, known_path: str | None = None) -> tuple[str, Any]:
    """What an import asks of one file, in one go: ``("ok", (sha256, size, format, parsed))``, ``parsed``
    None when the file's hash is among those in ``known_path`` (stored already), else (records, notes);
    or ``("error", message)``."""
    from cxzy_docs.read.worker import sha256_regular

    try:
        sha, size = sha256_regular(path, given)
        if sha in _known(known_path):
            return "ok", (sha, size, "", None)
        fmt = "json" if is_records_file(path) else _sniff(path)
        return "ok", (sha, size, fmt, _records_of(path, given, settings, fmt))
    except BaseException as exc:
        return "error", describe(exc, given, settings, path)


def job_unpack(path: str, given: str, settings: ReadSettings, dest: str) -> tuple[str, Any]:
    """``("ok", (files, skipped))`` for a .zip: its members written under ``dest`` (a folder of their
    own per archive), see :func:`cxzy_docs.read.archive.unpack`; or ``("error", message)``."""
    import hashlib

    from cxzy_docs.read.archive import unpack
    from cxzy_docs.read.worker import open_regular

    try:
        open_regular(path, given).close()
        own = os.path.join(dest, hashlib.sha256(given.encode("utf-8", "surrogateescape")).hexdigest()[:16])
        return "ok", unpack(path, given, settings, own)
    except BaseException as exc:
        return "error", describe(exc, given, settings, path)


def job_parse_book(path: str, given: str, settings: ReadSettings) -> tuple[str, Any]:
    """``("ok", (records, notes))`` or ``("error", message)`` for a folder of page images of one book
    (the same answer as :func:`job_parse`; a folder has no notes)."""
    try:
        from cxzy_docs.read import parse_pages_of_one_book

        return "ok", (parse_pages_of_one_book(path, settings=settings), [])
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


def job_debug_pages(path: str, given: str, settings: ReadSettings, outdir: str) -> tuple[str, Any]:
    """``("ok", [PNG paths])`` or ``("error", message)``: a file's pages drawn with what was matched."""
    try:
        from cxzy_docs.read.debugpages import debug_pages
        from cxzy_docs.read.worker import open_regular

        open_regular(path, given).close()
        return "ok", [str(p) for p in debug_pages(path, outdir, settings=settings, name=given)]
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


def _read_all(
    job: Callable[..., tuple[str, Any]],
    files: list[tuple[Path, str]],
    s: ReadSettings,
    worker: Worker | None = None,
    extra: tuple[Any, ...] = (),
) -> Iterator[_Read]:
    """``job`` for each ``(path, shown name)``, in order: streamed through the shared worker (bounded),
    or here with a timer signal when isolation is off or impossible."""
    from cxzy_docs.read.worker import Limits, can_isolate, stream_parallel

    if not (s.isolate and can_isolate()):
        for path, given in files:
            start = time.monotonic()
            try:
                with time_limit(s.parse_timeout):
                    status, payload = job(str(path), given, s, *extra)
            except _TimeUp as exc:
                status, payload = "error", describe(exc, given, s)
            yield _Read(status, payload, time.monotonic() - start)
        return
    limits = Limits(s.max_memory_mb, s.max_rss_mb, s.ocr_max_rss_mb)
    items = [(str(path), given, s, *extra) for path, given in files]
    answers = (
        worker.stream(job, items, limits, s.parse_timeout)
        if worker is not None
        else stream_parallel(job, items, limits, s.parse_timeout, s.workers)
    )
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


def parse_one(
    path: Path,
    given: str | None = None,
    *,
    settings: ReadSettings | None = None,
    worker: Worker | None = None,
) -> FileOutcome:
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


def _parse_files(
    items: list[tuple[Path, str] | FileOutcome],
    s: ReadSettings,
    worker: Worker | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    job: Callable[..., tuple[str, Any]] = job_parse,
) -> list[FileOutcome]:
    """Each file (or folder of one book's pages, with ``job_parse_book``) parsed, in order; an item that is
    an outcome already (a .zip's member not read) as is."""
    files = [f for f in items if not isinstance(f, FileOutcome)]
    refused = {} if job is job_parse_book else _refused(files)
    reads = _read_all(job, [f for k, f in enumerate(files) if k not in refused], s, worker)
    outcomes = []
    k = 0
    for item in items:
        if isinstance(item, FileOutcome):
            outcome = item
        else:
            outcome = refused.get(k) or _parsed(item[1], next(reads))
            k += 1
        outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    return outcomes


def _open_archives(
    files: list[tuple[Path, str]], s: ReadSettings, dest: str
) -> list[tuple[Path, str] | FileOutcome]:
    """``files`` with each .zip in place of its members (written under ``dest``), its members not read
    as outcomes saying why, or its own outcome when it could not be opened."""
    from cxzy_docs.read.archive import is_archive

    zips = [f for f in files if is_archive(f[0])]
    if not zips:
        return list(files)
    refused = _refused(zips)
    opened = _read_all(job_unpack, [z for k, z in enumerate(zips) if k not in refused], s, extra=(dest,))
    inside: dict[int, list[tuple[Path, str] | FileOutcome]] = {}
    for k, (_path, given) in enumerate(zips):
        if k in refused:
            inside[k] = [refused[k]]
            continue
        read = next(opened)
        if read.status != "ok":
            inside[k] = [_outcome(given, read, error=read.payload)]
            continue
        members, skipped = read.payload
        items: list[tuple[Path, str] | FileOutcome] = [(Path(p), g) for p, g in members]
        items += [FileOutcome(g, skipped=why) for g, why in skipped]
        inside[k] = items or [FileOutcome(given, skipped="压缩包中没有文件，未导入")]
    out: list[tuple[Path, str] | FileOutcome] = []
    k = 0
    for f in files:
        if is_archive(f[0]):
            out.extend(inside[k])
            k += 1
        else:
            out.append(f)
    return out


def _parsed(given: str, read: _Read) -> FileOutcome:
    """The outcome of a parse job: its records (each naming its file), or its error; a file in which
    nothing was a book is skipped with the reason."""
    if read.status != "ok":
        return _outcome(given, read, error=read.payload)
    records, notes = read.payload
    for rec in records:
        rec["source"] = source_of(given, rec)  # the file as given, and the part of a binder: file#第3-8页
    if not records and notes:
        return _outcome(given, read, skipped="；".join(notes), notes=notes)
    return _outcome(given, read, records=records, notes=notes)


def draw_debug_pages(
    paths: Iterable[str | Path], outdir: str | Path, settings: Any = None
) -> Iterator[tuple[str, list[Path] | None, str | None]]:
    """``parse --debug-pages``: each file's pages drawn with what was matched, in the bounded worker
    like any reading (its time and memory limits apply): ``(name, PNG files, None)`` or
    ``(name, None, Chinese message)`` per file, in order."""
    s = _settings(settings)
    files = [(Path(p), shown(p)) for p in paths]
    refused = _refused(files)
    reads = _read_all(
        job_debug_pages, [f for k, f in enumerate(files) if k not in refused], s, extra=(str(outdir),)
    )
    for k, (_path, given) in enumerate(files):
        if k in refused:
            yield given, None, refused[k].error
            continue
        read = next(reads)
        if read.status == "ok":
            yield given, [Path(p) for p in read.payload], None
        else:
            yield given, None, str(read.payload)


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
    return (
        _outcome(given, read, records=read.payload)
        if read.status == "ok"
        else _outcome(given, read, error=read.payload)
    )


def parse_many(
    paths: Iterable[str | Path], on_file: Callable[[FileOutcome], None] | None = None, settings: Any = None
) -> list[FileOutcome]:
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
    import tempfile

    with tempfile.TemporaryDirectory(prefix="cxzy-zip-") as tmp:
        return _parse_files(_open_archives(files, s, tmp), s, None, on_file)


@dataclass(frozen=True)
class FileKey:
    """What identifies a file's content in a store: its SHA-256, size and format."""

    sha256: str
    size: int
    format: str


def read_new_files(
    paths: Iterable[str | Path], known: set[str] | frozenset[str], settings: Any = None
) -> Iterator[tuple[FileOutcome, FileKey | None]]:
    """Each file under ``paths`` as (outcome, key): read into records with its key, or not read.

    One stream through the worker: each file is hashed there, and parsed unless its SHA-256 is in
    ``known`` (stored already: its outcome is ``skipped``). A file that fails has an outcome with its
    error and no key; a file in which nothing is a book is skipped with the reason, with its key (so
    that it is remembered as seen). Each file takes at most ``parse_timeout``.
    """
    import tempfile

    files = [(f, shown(f)) for f in walk(paths)]
    try:
        s = _settings(settings)
    except CxzyError as exc:
        for _f, given in files:
            yield FileOutcome(given, error=exc.message), None
        return
    with tempfile.TemporaryDirectory(prefix="cxzy-zip-") as tmp:
        items = _open_archives(files, s, tmp)
        for item in items:
            if isinstance(item, FileOutcome):
                yield item, None
        yield from _read_new(_files_of(items), known, s)


def _files_of(items: list[tuple[Path, str] | FileOutcome]) -> list[tuple[Path, str]]:
    return [f for f in items if not isinstance(f, FileOutcome)]


def _read_new(
    files: list[tuple[Path, str]], known: set[str] | frozenset[str], s: ReadSettings
) -> Iterator[tuple[FileOutcome, FileKey | None]]:
    import tempfile

    refused = _refused(files)
    for outcome in refused.values():
        yield outcome, None
    candidates = [f for k, f in enumerate(files) if k not in refused]
    with tempfile.NamedTemporaryFile("w", encoding="ascii", prefix="cxzy-known-", suffix=".txt") as fh:
        fh.write("\n".join(sorted(known)))
        fh.flush()
        for (_path, given), read in zip(
            candidates, _read_all(job_read, candidates, s, extra=(fh.name,)), strict=True
        ):
            if read.status != "ok":
                yield _outcome(given, read, error=read.payload), None
                continue
            sha, size, fmt, parsed = read.payload
            if parsed is None:
                yield _outcome(given, read, skipped=ALREADY_IMPORTED), None
                continue
            outcome = _parsed(given, _Read("ok", parsed, read.seconds, read.peak_mb, read.ocr))
            yield outcome, FileKey(sha, size, fmt)


def for_file(exc: CxzyError, given: str) -> str:
    """A store error while importing ``given``: the line names the input file, never the database."""
    if exc.file == given:
        return exc.message
    where = f"，{exc.where}" if exc.where else ""
    return f"文件 {given}{where}：{exc.detail}"


def parse_book_folders(
    folders: Iterable[str | Path], on_file: Callable[[FileOutcome], None] | None = None, settings: Any = None
) -> list[FileOutcome]:
    """Each folder named holds the page images of one book (``cxzy parse --pages-of-one-book``): one
    outcome per folder, read in the bounded worker like a file."""
    items = [(Path(f), shown(f)) for f in folders]
    try:
        s = _settings(settings)
    except CxzyError as exc:
        return [FileOutcome(given, error=exc.message) for _f, given in items]
    queue: list[tuple[Path, str] | FileOutcome] = list(items)
    return _parse_files(queue, s, None, on_file, job=job_parse_book)
