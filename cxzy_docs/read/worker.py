"""Reading untrusted files in reused worker processes, bounded by the operating system.

Every input file (Word, Excel, PDF, images, old Office files, records JSON) is opened, hashed, sniffed
and parsed in a worker process, never in the process that asked:

- **memory**: the worker's address space is capped with ``RLIMIT_AS`` at what it has when a file
  starts plus ``max_memory_mb``; an allocation past it fails (``MemoryError`` in Python, ``ENOMEM`` in C
  libraries) whatever code makes it. A watchdog thread also ends the worker when its resident memory
  grows by more than ``max_rss_mb`` (``ocr_max_rss_mb`` once OCR started: the OCR engine needs far
  more by design, so the address-space cap is lifted for it and the watchdog is its bound);
- **time**: the asking process waits at most ``parse_timeout`` seconds for one file (for each page
  of a scan: every page read restarts the clock, see :func:`still_working`), then kills the
  worker and the process groups of the programs it started (LibreOffice); C code that never returns
  to the interpreter is stopped all the same;
- **reuse**: one worker reads file after file (starting one costs a fork of a small server process
  that imported the readers once); it is replaced after a kill, a death, an OCR run or when its
  memory has grown.

Special files (devices, FIFOs, sockets) are refused by ``stat`` before anything opens them, and
again after opening (non-blocking) in the worker, in case the name was swapped in between.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from cxzy_docs.errors import ReadError, os_reason
from cxzy_docs.read import rss_watch
from cxzy_docs.read.rss_watch import EXIT_OVER_LIMIT, EXIT_OVER_OCR_LIMIT

PRELOAD = [
    "cxzy_docs.read",
    "cxzy_docs.read.batch",
    "cxzy_docs.read.sniff",
    "cxzy_docs.read.safezip",
    "cxzy_docs.read.docx",
    "cxzy_docs.read.extract",
    "cxzy_docs.model",
]
"""Modules a worker imports on starting (the rest, such as openpyxl or pdfplumber, when a file needs them)."""

WINDOW = 4  # jobs queued in a worker at once (it never waits between files; a kill resends the rest)
RECYCLE_FRACTION = 0.5  # a worker whose resident memory grew past this share of max_rss_mb is replaced
KILL_GRACE = 5.0  # seconds a worker asked to stop may take before it is killed

_current: Connection | None = None  # in a worker: the pipe to the asking process


def can_isolate() -> bool:
    """Whether this platform can run bounded workers (Linux: /proc, RLIMIT_AS, process groups)."""
    return os.path.exists("/proc/self/statm") and hasattr(resource, "RLIMIT_AS") and hasattr(os, "killpg")


# ------------------------------------------------------------------------------ special files


def refuse_special(path: str | Path, name: str) -> None:
    """Raise :class:`ReadError` unless ``path`` is a regular file (``stat`` never opens or blocks)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ReadError("文件不存在", file=name) from None
    except PermissionError:
        raise ReadError("没有读取权限", file=name) from None
    except (OSError, ValueError) as exc:
        raise ReadError(f"无法读取（{os_reason(exc)}）", file=name) from None
    _regular(st.st_mode, name)


def _regular(mode: int, name: str) -> None:
    if stat.S_ISDIR(mode):
        raise ReadError("这是一个文件夹，不是文件", file=name)
    if not stat.S_ISREG(mode):
        what = (
            "设备文件"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "管道（FIFO）"
            if stat.S_ISFIFO(mode)
            else "套接字"
            if stat.S_ISSOCK(mode)
            else "特殊文件"
        )
        raise ReadError(f"这是{what}，不是普通文件，拒绝读取", file=name)


def open_regular(path: str | Path, name: str) -> Any:
    """A binary file object for a regular file; a device, FIFO or socket is refused without blocking."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise ReadError("文件不存在", file=name) from None
    except PermissionError:
        raise ReadError("没有读取权限", file=name) from None
    except IsADirectoryError:
        raise ReadError("这是一个文件夹，不是文件", file=name) from None
    except OSError as exc:
        raise ReadError(f"无法读取（{os_reason(exc)}）", file=name) from None
    try:
        _regular(os.fstat(fd).st_mode, name)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def sha256_regular(path: str | Path, name: str) -> tuple[str, int]:
    """SHA-256 and size of a regular file (special files refused)."""
    h = hashlib.sha256()
    size = 0
    with open_regular(path, name) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


# ---------------------------------------------------------------------------- in the worker


def child_started(pid: int) -> None:
    """Called in a worker when it started a program in a new process group (LibreOffice):
    the asking process kills that group too if the worker runs out of time."""
    if _current is not None:
        try:
            _current.send(("child", pid))
        except OSError:
            pass


def still_working() -> None:
    """Called in a worker when a long file made progress (a scanned page read): the asking process
    gives the file ``parse_timeout`` seconds more from now, so a 30-page scan is bounded per page."""
    if _current is not None:
        try:
            _current.send(("alive",))
        except OSError:
            pass


def _status_kb(key: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key):
                return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # resets VmHWM (Linux >= 4.0)
    except OSError:
        pass


def _cap_address_space(extra_mb: int) -> None:
    """Soft RLIMIT_AS at the current address space plus ``extra_mb``; the hard limit stays, for OCR."""
    size = _status_kb("VmSize:") * 1024 + extra_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        size = min(size, hard)
    resource.setrlimit(resource.RLIMIT_AS, (size, hard))


LIBREOFFICE_ADDRESS_MB = 4096  # LibreOffice maps ~1-2 GB of address space to convert one file


@contextmanager
def for_libreoffice() -> Iterator[None]:
    """Around starting LibreOffice from a worker: the child gets an address-space cap of its own
    (:data:`LIBREOFFICE_ADDRESS_MB`; the worker's 300 MB would keep it from starting), the worker
    keeps its cap. LibreOffice is bounded in time with the worker (its process group is killed)."""
    if _current is None:
        yield
        return
    previous = resource.getrlimit(resource.RLIMIT_AS)
    soft, hard = LIBREOFFICE_ADDRESS_MB * 1024 * 1024, previous[1]
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, previous)


def lift_address_cap() -> None:
    """OCR is about to run in this worker: its engine maps far more than any reader (the watchdog's
    ``ocr_max_rss_mb`` bounds it instead). No-op outside a worker."""
    if _current is None:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


@dataclass(frozen=True)
class Limits:
    """What a worker is started with (a change restarts the worker)."""

    max_memory_mb: int
    max_rss_mb: int
    ocr_max_rss_mb: int


def _serve(jobs: Connection, conn: Connection, limits: Limits, profile: str) -> None:
    """The worker's loop: one job at a time, each answered with (status, payload, peak MB, recycle)."""
    global _current
    _current = conn
    os.environ["CXZY_LO_PROFILE"] = profile
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the asking process's to handle
    _quiet()
    # the watchdog's thread exists before the cap is measured
    rss_watch.start(limits.max_rss_mb, limits.ocr_max_rss_mb, on_ocr=lift_address_cap)
    baseline = rss_watch.rss_mb()
    first_vm = _status_kb("VmSize:")
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        func, args = job
        # each file may grow the address space by max_memory_mb over what the worker has now (a
        # library imported for the previous file, such as openpyxl with numpy, is not charged to it)
        _cap_address_space(limits.max_memory_mb)
        _reset_peak()
        try:
            answer: tuple[str, Any] = ("ok", func(*args))
        except BaseException as exc:  # every failure goes back as a message
            answer = ("error", exc)
        memory_error = answer[0] == "error" and isinstance(answer[1], MemoryError)
        recycle = (
            memory_error
            or rss_watch.ocr_was_started()
            or rss_watch.rss_mb() - baseline > RECYCLE_FRACTION * limits.max_rss_mb
            or (_status_kb("VmSize:") - first_vm) / 1024 > limits.max_memory_mb
        )
        peak = _status_kb("VmHWM:") / 1024
        ocr = rss_watch.ocr_was_started()
        try:
            conn.send((*answer, peak, recycle, ocr))
        except Exception as exc:  # an exception that cannot be pickled: send its text
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}"), peak, True, ocr))
        if recycle:
            return


def _quiet() -> None:
    """Library warnings (English) never reach the user's terminal from a worker."""
    import warnings

    warnings.simplefilter("ignore")


# ----------------------------------------------------------------------- in the asking process


@dataclass
class Answer:
    """What one job in a worker gave: its value or exception, or why the worker ended."""

    value: Any = None
    error: BaseException | None = None
    ended: str | None = None  # "timeout" | "memory" | "ocr-memory" | "died:CODE" when the worker ended
    peak_mb: float = 0.0
    seconds: float = 0.0
    ocr: bool = False  # the OCR engine ran (its own memory bound applied)


class Worker:
    """One reused worker process; :meth:`call` runs a function in it with a deadline."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None  # answers from the worker
        self._send: Connection | None = None  # jobs to the worker
        self._limits: Limits | None = None
        self._profile: str | None = None
        self.started = 0  # how many worker processes were started (tests, benches)

    def _start(self, limits: Limits) -> None:
        if self._profile is None:
            self._profile = tempfile.mkdtemp(prefix="cxzy-lo-profile-")
            atexit.register(shutil.rmtree, self._profile, True)
        # A fresh interpreter (not fork: the asking process may hold threads and a large heap; not
        # multiprocessing's spawn: it would re-run the caller's main script). Two private pipes carry
        # pickled jobs and answers; the worker's stdout and stderr go nowhere, so a library's print()
        # or warning never reaches the user's terminal. Its own session: Ctrl+C is not sent to it, and
        # killing its process group also ends what it started there.
        job_r, job_w = os.pipe()
        ans_r, ans_w = os.pipe()
        env = {
            **os.environ,
            "PYTHONPATH": _package_root()
            + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else ""),
        }
        env.pop("PYTHONSTARTUP", None)
        try:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "cxzy_docs.read.worker",
                    str(job_r),
                    str(ans_w),
                    repr((limits.max_memory_mb, limits.max_rss_mb, limits.ocr_max_rss_mb)),
                    self._profile,
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(job_r, ans_w),
                env=env,
                start_new_session=True,
                close_fds=True,
            )
        finally:
            os.close(job_r)
            os.close(ans_w)
        self._proc = proc
        self._send = Connection(job_w, readable=False)
        self._conn = Connection(ans_r, writable=False)
        self._limits = limits
        self.started += 1

    def _alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def _stop(self, children: set[int]) -> None:
        if self._proc is not None:
            try:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self._proc.wait()
        for pid in children:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for conn in (self._send, self._conn):
            if conn is not None:
                conn.close()
        self._proc = self._conn = self._send = None

    def call(
        self, func: Callable[..., Any], args: tuple[Any, ...], limits: Limits, deadline: float
    ) -> Answer:
        """``func(*args)`` in the worker, answered before ``deadline`` (``time.monotonic()``) or killed."""
        return next(self.stream(func, [args], limits, deadline - time.monotonic()))

    def stream(
        self, func: Callable[..., Any], items: Sequence[tuple[Any, ...]], limits: Limits, timeout: float
    ) -> Generator[Answer, None, None]:
        """``func(*args)`` for each of ``items`` in the worker, answers in order, each within ``timeout``
        seconds of the one before (when the worker started it) or the worker is killed.

        A few jobs are kept queued in the worker (:data:`WINDOW`), so it never waits for this process
        between two files; jobs a killed or replaced worker had not answered are sent to the next one.
        """
        with self._lock:
            queued: deque[int] = deque()  # items sent to the worker, not answered yet
            try:
                yield from self._answers(func, items, limits, timeout, queued)
            finally:
                if queued:  # left before the end (an error, Ctrl+C): its answers must not reach a later call
                    self._stop(set())

    def _answers(
        self,
        func: Callable[..., Any],
        items: Sequence[tuple[Any, ...]],
        limits: Limits,
        timeout: float,
        queued: deque[int],
    ) -> Iterator[Answer]:
        i = 0
        children: set[int] = set()
        received = time.monotonic()
        while i < len(items) or queued:
            if not self._alive() or self._limits != limits:
                self._stop(children)
                children = set()
                self._start(limits)
                if queued:  # jobs the old worker had not answered (it ended between two answers): sent again
                    i = queued[0]
                    queued.clear()
            assert self._conn is not None and self._send is not None and self._proc is not None
            try:
                # the first queued job started when the worker sent its previous answer (it went on
                # at once), or starts now when nothing was queued: the time this process spends on an
                # answer (storing it) is not given to the next file
                began = received if queued else time.monotonic()
                while i < len(items) and len(queued) < WINDOW:
                    self._send.send((func, items[i]))
                    queued.append(i)
                    i += 1
                clock = began  # when the file last made progress
                while True:
                    left = clock + timeout - time.monotonic()
                    if left <= 0 or not self._conn.poll(left):
                        message = None
                        break
                    message = self._conn.recv()
                    if message[0] == "child":
                        children.add(message[1])
                    elif message[0] == "alive":
                        clock = time.monotonic()
                    else:
                        received = time.monotonic()
                        break
            except BaseException as exc:
                if not isinstance(exc, EOFError | OSError):  # Ctrl+C in the asking process: end the job too
                    self._stop(children)
                    raise
                try:
                    code: int | None = self._proc.wait(KILL_GRACE)
                except subprocess.TimeoutExpired:
                    code = None
                self._stop(children)
                children = set()
                i = (
                    queued.popleft() if queued else i
                ) + 1  # the job it died on is answered; the rest go again
                queued.clear()
                yield Answer(ended=_death(code), seconds=time.monotonic() - began)
                continue
            if message is None:  # out of time: kill it (and LibreOffice), go on with a new one
                self._stop(children)
                children = set()
                i = queued.popleft() + 1
                queued.clear()
                yield Answer(ended="timeout", seconds=time.monotonic() - began)
                continue
            status, payload, peak, recycle, ocr = message
            queued.popleft()
            children = set()
            if recycle:  # it exits after this answer: what it had queued goes to the next worker
                try:
                    self._proc.wait(KILL_GRACE)
                except subprocess.TimeoutExpired:
                    pass
                self._stop(set())
                if queued:
                    i = queued[0]
                    queued.clear()
            answer = Answer(peak_mb=peak, seconds=time.monotonic() - began, ocr=ocr)
            if status == "ok":
                answer.value = payload
            else:
                answer.error = payload
            yield answer

    def close(self) -> None:
        with self._lock:
            if self._send is not None and self._proc is not None and self._alive():
                try:
                    self._send.send(None)
                    self._proc.wait(KILL_GRACE)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            self._stop(set())


def _package_root() -> str:
    """The folder holding the ``cxzy_docs`` package (the worker must import this very copy)."""
    return str(Path(__file__).resolve().parent.parent.parent)


def _death(code: int | None) -> str:

    if code == EXIT_OVER_LIMIT:
        return "memory"
    if code == EXIT_OVER_OCR_LIMIT:
        return "ocr-memory"
    return f"died:{code}"


_workers: list[Worker] = []
_worker_lock = threading.Lock()


def started() -> int:
    """How many worker processes this process has started (tests, benches)."""
    return sum(w.started for w in _workers)


def shared(index: int = 0) -> Worker:
    """Worker ``index`` of this process (started on first use, reused by every batch)."""
    with _worker_lock:
        while len(_workers) <= index:
            worker = Worker()
            _workers.append(worker)
            atexit.register(worker.close)
        return _workers[index]


def stream_parallel(
    func: Callable[..., Any],
    items: Sequence[tuple[Any, ...]],
    limits: Limits,
    timeout: float,
    workers: int = 1,
) -> Iterator[Answer]:
    """:meth:`Worker.stream` over ``workers`` shared workers at once (items dealt out in turn), answers in
    the order of ``items``: on a machine with two cores, two files are read at a time."""
    n = max(1, min(workers, len(items) // WINDOW or 1))
    if n == 1:
        yield from shared().stream(func, items, limits, timeout)
        return
    streams = [shared(k).stream(func, items[k::n], limits, timeout) for k in range(n)]
    try:
        for i in range(len(items)):
            yield next(streams[i % n])
    finally:
        for st in streams:
            st.close()


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when the process that started it dies (even by SIGKILL), so a
    worker stuck in C code is never left behind."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before the line above
            os._exit(0)
    except (OSError, AttributeError):
        pass


def main(argv: list[str]) -> None:
    """``python -m cxzy_docs.read.worker JOB_FD ANSWER_FD LIMITS PROFILE``: what :class:`Worker` starts."""
    import ast
    import importlib

    job_fd, answer_fd, limits, profile = int(argv[0]), int(argv[1]), ast.literal_eval(argv[2]), argv[3]
    _die_with_parent()
    for name in PRELOAD:
        importlib.import_module(name)
    _serve(
        Connection(job_fd, writable=False), Connection(answer_fd, readable=False), Limits(*limits), profile
    )


if __name__ == "__main__":  # run the imported module's main, so that its globals are the ones readers see
    from cxzy_docs.read.worker import main as _main

    _main(sys.argv[1:])
