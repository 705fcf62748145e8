"""Parsing files in a bounded worker process: a time limit per file, an address-space cap, peak RSS measured."""

from __future__ import annotations

import multiprocessing as mp
import re
import resource
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

FAILURES = ("crash", "invalid", "hang", "memory", "died", "english")
"""Outcomes that are bugs: anything but a record (``ok``) or a Chinese :class:`CxzyError` (``error``)."""

_CJK = re.compile("[\u4e00-\u9fff]")


@dataclass
class Outcome:
    """What parsing one file did."""

    status: str  # ok | error | crash | invalid | hang | memory | died | english
    detail: str = ""
    signature: str = ""  # where a crash happened (exception type and innermost frames), for grouping
    seconds: float = 0.0
    peak_rss_mb: float = 0.0

    @property
    def failed(self) -> bool:
        return self.status in FAILURES


def _peak_rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # resets VmHWM (Linux >= 4.0)
    except OSError:
        pass


def _signature(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "cxzy_docs" in f.filename]
    last = frames[-1] if frames else None
    parts = [type(exc).__name__]
    if ours:
        parts.append(f"{Path(ours[-1].filename).name}:{ours[-1].name}")
    if last is not None and (not ours or last is not ours[-1]):
        parts.append(f"{Path(last.filename).name}:{last.name}")
    return " @ ".join(parts)


def parse_and_judge(path: str, settings: Any = None) -> Outcome:
    """Parse one file in this process and say whether what happened is acceptable."""
    from cxzy_docs.errors import CxzyError
    from cxzy_docs.model import check_record
    from cxzy_docs.read import parse_file

    try:
        records = parse_file(path, settings=settings)
    except CxzyError as exc:
        if not _CJK.search(exc.message):
            return Outcome("english", exc.message[:300], _signature(exc))
        return Outcome("error", exc.message[:300])
    except MemoryError as exc:
        return Outcome("memory", "MemoryError", _signature(exc))
    except Exception as exc:
        return Outcome("crash", f"{type(exc).__name__}: {str(exc)[:300]}", _signature(exc))
    try:  # a record the reader produced but the model refuses is a reader bug, not a bad file
        for rec in records:
            check_record(rec)
    except CxzyError as exc:
        return Outcome("invalid", exc.message[:300], "invalid record")
    return Outcome("ok", f"{len(records)} 条记录")


def _no_ocr(path: Any, *, settings: Any = None, hints: Any = None) -> Any:
    from cxzy_docs.errors import ReadError

    raise ReadError("没有文字层，需要 OCR（模糊测试中 OCR 已关闭）", file=str(path))


def _worker(conn: Connection, mem_limit_mb: int, settings: Any, ocr: bool) -> None:
    if not ocr:  # the OCR engine's model alone is larger than the bound: fuzzed on its own with --ocr
        import cxzy_docs.read.ocr as ocr_module

        ocr_module.read_scan = _no_ocr
    if mem_limit_mb:
        limit = mem_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        _reset_peak()
        start = time.perf_counter()
        outcome = parse_and_judge(path, settings)
        outcome.seconds = time.perf_counter() - start
        outcome.peak_rss_mb = _peak_rss_mb()
        conn.send(outcome)


class BoundedParser:
    """One worker process that parses files one at a time; a hang or a crash of the worker is an outcome.

    ``timeout`` seconds per file (the worker is killed and replaced past it); ``mem_limit_mb`` caps the
    worker's address space (RLIMIT_AS), so runaway memory ends in MemoryError instead of the machine's
    OOM killer; ``max_rss_mb`` flags a parse whose peak resident memory went over it.
    """

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        mem_limit_mb: int = 1536,
        max_rss_mb: float = 200.0,
        settings: Any = None,
        ocr: bool = False,
    ) -> None:
        self.ocr = ocr
        self.timeout = timeout
        self.mem_limit_mb = mem_limit_mb
        self.max_rss_mb = max_rss_mb
        self.settings = settings
        # forkserver, not fork: a worker forked from a big parent would count the parent's resident
        # pages as its own; the server imports the readers once, small, and forks workers from there
        self._ctx = mp.get_context("forkserver")
        self._ctx.set_forkserver_preload(
            [
                "cxzy_docs.read",
                "cxzy_docs.read.pdf",
                "cxzy_docs.read.xlsx",
                "cxzy_docs.read.docx",
                "cxzy_docs.read.extract",
                "fuzz.runner",
            ]
        )
        self._proc: Any = None
        self._conn: Connection | None = None

    def _start(self) -> None:
        parent, child = self._ctx.Pipe()
        self._proc = self._ctx.Process(
            target=_worker, args=(child, self.mem_limit_mb, self.settings, self.ocr), daemon=True
        )
        self._proc.start()
        child.close()
        self._conn = parent

    def _kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join()
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None

    def parse(self, path: str | Path) -> Outcome:
        if self._proc is None or not self._proc.is_alive():
            self._kill()
            self._start()
        assert self._conn is not None
        start = time.perf_counter()
        self._conn.send(str(path))
        try:
            ready = self._conn.poll(self.timeout)
            outcome = self._conn.recv() if ready else None
        except (EOFError, OSError):
            code = self._proc.exitcode if self._proc is not None else None
            self._kill()
            return Outcome("died", f"worker exit code {code}", "died", time.perf_counter() - start)
        if outcome is None:
            self._kill()
            return Outcome(
                "hang", f"no answer within {self.timeout:g} s", "hang", time.perf_counter() - start
            )
        if outcome.peak_rss_mb > 0.6 * self.max_rss_mb or outcome.status == "memory":
            self._kill()  # start afresh: the next file is measured from a clean baseline
        if outcome.peak_rss_mb > self.max_rss_mb and not outcome.failed:
            outcome.detail = (
                f"peak RSS {outcome.peak_rss_mb:.0f} MB > {self.max_rss_mb:g} MB; {outcome.detail}"
            )
            outcome.status, outcome.signature = "memory", "peak RSS"
        return outcome

    def close(self) -> None:
        if self._conn is not None and self._proc is not None and self._proc.is_alive():
            try:
                self._conn.send(None)
                self._proc.join(2)
            except OSError:
                pass
        self._kill()

    def __enter__(self) -> BoundedParser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ProductionParser:
    """Mutants read as ``cxzy parse`` reads files: :func:`cxzy_docs.read.batch.parse_one` in a bounded,
    reused worker with the real limits. Each must end as a sound record or one Chinese per-file error,
    within 2 x ``parse_timeout`` and with the worker's peak resident memory under ``max_memory_mb``
    (``ocr_exempt``: a file read by OCR has OCR's own, larger bound). A stop by the time or memory bound is a clear
    error too: it is counted apart (``timeout``, ``bounded-memory``) to show the bounds at work.
    """

    def __init__(
        self, *, timeout: float = 10.0, settings: dict[str, Any] | None = None, ocr_exempt: bool = False
    ) -> None:
        from cxzy_docs.read.settings import ReadSettings
        from cxzy_docs.read.worker import Worker

        self.settings = ReadSettings.resolve({"parse_timeout": max(1, int(timeout)), **(settings or {})})
        self.worker = Worker()
        self.ocr_exempt = ocr_exempt

    def parse(self, path: str | Path) -> Outcome:
        from cxzy_docs.errors import CxzyError
        from cxzy_docs.model import check_record
        from cxzy_docs.read.batch import parse_one

        o = parse_one(Path(path), "mutant", settings=self.settings, worker=self.worker)
        s = self.settings
        out = Outcome("ok", f"{len(o.records)} 条记录", seconds=o.seconds, peak_rss_mb=o.peak_mb)
        if o.error is not None:
            out.detail = o.error[:300]
            if not _CJK.search(o.error):
                out.status, out.signature = "english", o.error[:80]
            elif "内部错误" in o.error:
                out.status, out.signature = "crash", o.error.split("（", 1)[-1][:80]
            elif "读取超过" in o.error:
                out.status = "timeout"
            elif "内存超过" in o.error:
                out.status = "bounded-memory"
            elif "读取进程" in o.error:
                out.status, out.signature = "died", o.error[:80]
            else:
                out.status = "error"
        else:
            try:
                for rec in o.records:
                    check_record(rec)
            except CxzyError as exc:
                out.status, out.detail, out.signature = "invalid", exc.message[:300], "invalid record"
        if o.seconds > 2 * s.parse_timeout:
            out.status, out.signature = "hang", f"{o.seconds:.1f} s > 2 x parse_timeout"
        elif o.peak_mb > s.max_memory_mb and not (self.ocr_exempt and o.ocr) and not out.failed:
            out.status, out.signature = "memory", f"peak {o.peak_mb:.0f} MB > max_memory_mb"
        return out

    def close(self) -> None:
        self.worker.close()

    def __enter__(self) -> ProductionParser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
