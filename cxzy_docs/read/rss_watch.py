"""A watchdog thread that ends this (worker) process when its resident memory grows past a limit."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

EXIT_OVER_LIMIT = 86  # the process grew past the reading limit (max_rss_mb)
EXIT_OVER_OCR_LIMIT = 87  # ... past the OCR limit (ocr_max_rss_mb), once OCR had started
INTERVAL = 0.02  # seconds between two looks at /proc/self/statm

_PAGE_MB = os.sysconf("SC_PAGE_SIZE") / (1024 * 1024) if hasattr(os, "sysconf") else 4 / 1024
_state: dict[str, float] = {}  # limit_mb, ocr_limit_mb, baseline_mb, ocr (0/1); empty when no watchdog runs
_on_ocr: list[Callable[[], None]] = []  # what else must happen when OCR starts (the worker lifts its cap)


def rss_mb() -> float:
    """Resident memory of this process in MB (pages shared with the parent after a fork included)."""
    with open("/proc/self/statm", "rb") as fh:
        return int(fh.read().split()[1]) * _PAGE_MB


def start(limit_mb: float, ocr_limit_mb: float, on_ocr: Callable[[], None] | None = None) -> None:
    """Watch this process: past ``limit_mb`` MB of growth over its resident memory now, exit at once.

    Only for a worker process made to read one file: it ends with :data:`EXIT_OVER_LIMIT` (or
    :data:`EXIT_OVER_OCR_LIMIT` once :func:`ocr_started` switched to ``ocr_limit_mb``, calling
    ``on_ocr`` then).
    """
    _state.update(limit_mb=limit_mb, ocr_limit_mb=ocr_limit_mb, baseline_mb=rss_mb(), ocr=0)
    _on_ocr[:] = [on_ocr] if on_ocr else []
    threading.Thread(target=_watch, name="rss-watch", daemon=True).start()


def ocr_started() -> None:
    """OCR is about to run: its engine needs far more memory by design, so the larger limit applies
    (and what the watchdog was started with for it runs: a worker lifts its address-space cap)."""
    if _state:
        _state["ocr"] = 1
        for hook in _on_ocr:
            hook()


def ocr_was_started() -> bool:
    """Whether OCR ran in this process since the watchdog started (the worker is then replaced)."""
    return bool(_state.get("ocr"))


def _watch() -> None:
    baseline = _state["baseline_mb"]
    while True:
        ocr = bool(_state["ocr"])
        limit = _state["ocr_limit_mb" if ocr else "limit_mb"]
        if rss_mb() - baseline > limit:
            os._exit(EXIT_OVER_OCR_LIMIT if ocr else EXIT_OVER_LIMIT)
        time.sleep(INTERVAL)
