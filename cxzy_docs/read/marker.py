"""The mark a book exported from a store carries (``docProps/core.xml``): which store, book and version.

A corrected copy exported from the TUI comes back as a new version of the same book, even when its
name was corrected; the mark is metadata only, never a value of the book.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from cxzy_docs.identity import EXPORT_MARK

_MARK = re.compile(EXPORT_MARK + r" store=([0-9a-f]{32}) book=(\d{1,12}) version=(\d{1,12})")


def export_mark(path: str | Path, settings: Any = None) -> dict[str, Any] | None:
    """``{"store", "book", "version"}`` of a DOCX exported from a store, else None (never raises)."""
    try:
        with open(path, "rb") as fh:
            if fh.read(4) != b"PK\x03\x04":
                return None
        from cxzy_docs.read.safezip import open_zip
        from cxzy_docs.read.settings import ReadSettings

        with open_zip(path, what="DOCX", settings=ReadSettings.resolve(settings)) as zf:
            if not zf.has("docProps/core.xml") or zf.declared_size("docProps/core.xml") > 64 * 1024:
                return None
            text = zf.read("docProps/core.xml").decode("utf-8", "replace")
    except Exception:
        return None
    m = _MARK.search(text)
    return {"store": m[1], "book": int(m[2]), "version": int(m[3])} if m else None
