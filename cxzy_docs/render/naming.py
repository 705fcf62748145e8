"""Readable, safe and unique file names for generated books."""

from __future__ import annotations

from cxzy_docs.model import Record
from cxzy_docs.textnorm import safe_filename_part


def book_stem(record: Record) -> str:
    """'2025_红旗村第一党支部_张伟' for a member, '2025_红旗村第一党支部' for an organization."""
    subj = record.get("subject") or {}
    year = str(record.get("year") or "未知年度")
    if record.get("kind") == "member":
        return "_".join(
            (
                year,
                safe_filename_part(subj.get("organization"), "未知党组织"),
                safe_filename_part(subj.get("name"), "未命名"),
            )
        )
    return "_".join((year, safe_filename_part(subj.get("name"), "未命名党组织")))


class UniqueNames:
    """Hands out stems once each: a second 张伟 in one branch becomes '…_张伟_2'."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def take(self, stem: str) -> str:
        candidate, n = stem, 1
        while candidate.casefold() in self._used:
            n += 1
            candidate = f"{stem}_{n}"
        self._used.add(candidate.casefold())
        return candidate
