"""Replaying the edit history of one store onto another copy of it, book by book, field by field."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from cxzy_docs.model import Record, display_name, get_field
from cxzy_docs.store import ConflictError, Store

BookKey = tuple[str, int | None, str | None, str | None]


@dataclass
class ReplayReport:
    """What a replay did: edits applied, already present, and those it refused (with reasons)."""

    applied: int = 0
    already: int = 0
    checked: int = 0
    conflicts: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.conflicts and not self.unmatched


def book_key(record: Record) -> BookKey:
    """(kind, year, name, organization): how the same book is recognised in two stores."""
    subj = record.get("subject") or {}
    org = subj.get("organization") if record.get("kind") == "member" else subj.get("name")
    return record.get("kind", ""), record.get("year"), subj.get("name"), org


def _original_record(record: Record, entries: list[dict[str, Any]]) -> Record:
    """The record's subject as it was before the first edit of each header field."""
    subject = dict(record.get("subject") or {})
    for entry in reversed(entries):  # the earliest edit wins: walk back to it
        path = entry["field"]
        if path.startswith("subject.") and path.count(".") == 1:
            subject[path.split(".", 1)[1]] = json.loads(entry["old"])
    return {**record, "subject": subject}


def replay_history(src: Store, dst: Store, *, checked: bool = True) -> ReplayReport:
    """Apply every edit kept in ``src`` (undone ones left out) to the matching books of ``dst``.

    Books are matched by (kind, year, name, organization) as they were before the edits (or, for a
    copy the history was already replayed onto, as they are after them). An edit
    whose field in ``dst`` holds neither the old nor the new value is a conflict: it is reported,
    never applied. With ``checked``, 已核对 marks (and their notes) are copied too.
    """
    report = ReplayReport()
    by_book: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for entry in src.history():
        if not entry["undone"]:
            by_book[entry["book_id"]].append(entry)

    dst_index: dict[BookKey, list[int]] = defaultdict(list)
    for row in dst.books():
        dst_index[book_key(row.record)].append(row.id)

    src_ids = set(by_book)
    if checked:
        src_ids |= {row.id for row in src.books() if row.checked}
    for src_id in sorted(src_ids):
        src_row = src.book(src_id)
        entries = by_book.get(src_id, [])
        original = _original_record(src_row.record, entries)
        # as it was before the edits; or, replayed before, as it is now
        matches = dst_index.get(book_key(original)) or dst_index.get(book_key(src_row.record), [])
        label = display_name(original)
        if len(matches) != 1:
            why = "目标库中没有" if not matches else f"目标库中有 {len(matches)} 本"
            report.unmatched.append(f"{label}：{why}同一写实簿（类型、年度、姓名、组织相同），未重放")
            continue
        dst_id = matches[0]
        for entry in entries:
            _apply(dst, dst_id, entry, label, report)
        if checked and src_row.checked:
            dst.mark_checked(dst_id, True, src_row.check_note)
            report.checked += 1
    return report


def _apply(dst: Store, dst_id: int, entry: dict[str, Any], label: str, report: ReplayReport) -> None:
    path, old, new = entry["field"], json.loads(entry["old"]), json.loads(entry["new"])
    row = dst.book(dst_id)
    current = get_field(row.record, path)
    if current == new:
        report.already += 1
        return
    if current != old:
        report.conflicts.append(
            f"{label}：字段 {path} 在目标库中已是 {current!r}（原为 {old!r}），未改为 {new!r}"
        )
        return
    try:
        dst.edit(dst_id, path, new, expected_version=row.version)
    except ConflictError as exc:
        report.conflicts.append(f"{label}：{exc.message}")
        return
    report.applied += 1
