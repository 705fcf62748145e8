"""Kept for older imports: bounded reading lives in :mod:`cxzy_docs.read.worker` (every format now)."""

from __future__ import annotations

from cxzy_docs.read.worker import can_isolate

__all__ = ["can_isolate"]
