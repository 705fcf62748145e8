"""Reading one PDF or image in a forked worker process, bounded in wall time and resident memory."""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from cxzy_docs.read.rss_watch import EXIT_OVER_LIMIT, EXIT_OVER_OCR_LIMIT

ISOLATED_KINDS = frozenset({"pdf", "png", "jpeg", "tiff"})
"""Formats read in a worker: their readers' memory is not bounded by the file's size (xref recovery,
decoded images, the OCR engine). DOCX/XLSX stay in-process: safezip bounds them and they are fast."""

Describe = Callable[[BaseException], str]


def can_isolate() -> bool:
    """Whether this platform and process can fork a bounded worker (Linux, not itself a daemon worker)."""
    return ("fork" in mp.get_all_start_methods() and os.path.exists("/proc/self/statm")
            and not mp.current_process().daemon)


def parse_isolated(path: Path, given: str, settings: Any, describe: Describe, *,
                   kind: str | None = None) -> tuple[list[Any] | None, str | None]:
    """``(records, None)`` or ``(None, Chinese message)`` for ``path`` read by ``parse_file`` in a forked child.

    The child is killed after ``settings.parse_timeout`` seconds; its own watchdog ends it when its
    resident memory grows by more than ``max_rss_mb`` (``ocr_max_rss_mb`` once OCR started). Any
    exception in the child becomes the message ``describe(exc)`` gives, as it would in-process.
    """
    ctx = mp.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(sender, path, settings, describe, kind), daemon=True,
                       name=f"cxzy-read {given}")
    proc.start()
    sender.close()
    answer: tuple[str, Any] | None = None
    ended = False  # the child answered or closed its end: it is exiting on its own
    try:
        if receiver.poll(settings.parse_timeout):
            ended = True
            answer = receiver.recv()
    except (EOFError, OSError):  # the child ended without answering: its exit code says why
        pass
    finally:
        receiver.close()
        proc.join(5 if ended else 0)
        if proc.exitcode is None:
            proc.kill()
            proc.join()
    if answer is not None:
        status, payload = answer
        return (payload, None) if status == "ok" else (None, payload)
    return None, _death(proc.exitcode, given, settings, timed_out=not ended)


def _death(code: int | None, given: str, settings: Any, *, timed_out: bool) -> str:
    if code == EXIT_OVER_LIMIT:
        return f"文件 {given}：读取时内存超过 {settings.max_rss_mb} MB（设置项 max_rss_mb），已跳过"
    if code == EXIT_OVER_OCR_LIMIT:
        return f"文件 {given}：OCR 识别时内存超过 {settings.ocr_max_rss_mb} MB（设置项 ocr_max_rss_mb），已跳过"
    if timed_out:
        return f"文件 {given}：读取超过 {settings.parse_timeout} 秒（设置项 parse_timeout），已跳过"
    if code is not None and code < 0:
        return f"文件 {given}：读取进程被信号 {-code} 终止（可能内存不足），已跳过"
    return f"文件 {given}：读取进程意外退出（退出码 {code}），已跳过"


def _child(conn: Connection, path: Path, settings: Any, describe: Describe, kind: str | None) -> None:
    from cxzy_docs.read import parse_file, rss_watch

    rss_watch.start(settings.max_rss_mb, settings.ocr_max_rss_mb)
    answer: tuple[str, Any]
    try:
        answer = ("ok", parse_file(path, settings=settings, kind=kind))
    except BaseException as exc:  # every failure goes back to the parent as a message
        answer = ("error", describe(exc))
    try:
        conn.send(answer)
    except Exception as exc:  # a record that cannot be pickled is a reader bug; say so
        conn.send(("error", describe(exc)))
    conn.close()
