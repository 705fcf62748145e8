"""Only books are books: a document that merely carries the form's words is named and skipped.

A notice that reprints the form, our own summary report, a blank template: the reader finds enough of
the form's labels to take them for a book, but nobody's book is there. A book has a subject (the
member's name, the organization's name) or at least a signature; without either, what was read is
not imported as a book, and the reason says what it looks like.
"""

from __future__ import annotations

from typing import Any

from cxzy_docs.model import Record, iter_values

_SUBJECT = {"member": "党员姓名", "organization": "党组织名称"}


def not_a_book(record: Record) -> str | None:
    """Why ``record`` is not a book (Chinese), or None when it is one."""
    kind = record.get("kind")
    if kind not in _SUBJECT or record.get("format") in ("ledger", "json"):
        return None
    subject = (record.get("subject") or {}).get("name")
    if isinstance(subject, str) and subject.strip():
        return None
    values = [(path, value) for path, value in iter_values(record) if _filled(value)]
    if any(path.endswith((".sign.name", "_sign.name", ".sign.date", "_sign.date")) for path, _v in values):
        return None  # signed: somebody's book, its name unreadable
    stray = sum(1 for p in record.get("problems") or () if isinstance(p, dict) and p.get("field") is None)
    if not values and not stray:
        return (
            f"空白写实簿表格（模板，或转载表格的通知）：没有{_SUBJECT[kind]}，也没有填写任何内容，"
            "不是某人的写实簿，未导入"
        )
    more = f"，另有 {stray} 段文字不属于写实簿的任何栏目" if stray else ""
    return (
        f"只含写实簿的栏目文字，没有{_SUBJECT[kind]}，也没有任何签字（只读到 {len(values)} 项内容{more}）："
        "像是转载表格的通知、汇总报告或空白表格，不是写实簿，未导入"
    )


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())
