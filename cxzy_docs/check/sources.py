"""Rules on where a book's material came from: sources that disagree, a book known from a ledger only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cxzy_docs.check.book import Book
from cxzy_docs.check.findings import Finding


def _shown(value: Any) -> str:
    text = "（空）" if value is None else str(value).replace("\n", " ")
    return f"“{text[:60]}{'…' if len(text) > 60 else ''}”"


def check_sources(book: Book) -> Iterator[Finding]:
    """One ``source.conflict`` per field the sources disagree on (each value with its file), and
    ``source.ledger_only`` for a book no form has come in for yet."""
    for conflict in book.record.get("conflicts") or ():
        if not isinstance(conflict, dict) or not isinstance(conflict.get("field"), str):
            continue
        values = [v for v in conflict.get("values") or () if isinstance(v, dict)]
        if len(values) < 2:
            continue
        said = "；".join(f"{_shown(v.get('value'))}（{v.get('source') or '库中原值'}）" for v in values)
        yield book.finding(
            "source.conflict",
            conflict["field"],
            f"来源不一致：{said}",
            " | ".join(str(v.get("value")) for v in values),
        )
    sources = [s for s in book.record.get("sources") or () if isinstance(s, dict)]
    if sources and all(s.get("kind") == "ledger" for s in sources):
        where = "、".join(sorted({str(s.get("source")) for s in sources}))
        yield book.finding(
            "source.ledger_only", "subject.name", f"只来自点评台账（{where}），还没有收到写实簿本身", where
        )
