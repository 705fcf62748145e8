"""The one place the TUI meets the validator: findings per book and the three elements of a review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cxzy_docs.forms import PERIOD_NAMES, form_for, leaves
from cxzy_docs.model import Record

ELEMENTS = (("achievements", "成绩"), ("shortcomings", "不足"), ("direction", "努力方向"))
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class FindingView:
    """A finding as the TUI shows it: where (a field path), how bad, what."""

    field: str | None
    code: str
    severity: str
    message: str
    evidence: str | None = None
    kind: str | None = None

    @property
    def severity_label(self) -> str:
        return SEVERITY_NAMES.get(self.severity, self.severity)

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "code": self.code, "severity": self.severity, "message": self.message,
                "evidence": self.evidence, "kind": self.kind}


@dataclass(frozen=True)
class ElementView:
    """One element of a review (成绩, 不足 or 努力方向): stated or not, and the words that state it."""

    name: str
    label: str
    found: bool
    phrase: str | None = None
    span: tuple[int, int] | None = None  # [start, end) in the review text
    reason: str | None = None  # for a missing element: why the near miss found does not count
    uncertain: bool = False  # the reader could not decide: the phrase is its candidate, for a person to check


def _finding(raw: Any) -> FindingView:
    data = raw.to_dict() if hasattr(raw, "to_dict") else dict(raw)
    return FindingView(field=data.get("field"), code=str(data.get("code") or ""),
                       severity=str(data.get("severity") or "warning"), message=str(data.get("message") or ""),
                       evidence=data.get("evidence"), kind=data.get("kind"))


def source_tag(book_id: int, record: Record) -> str:
    """What the validator is told a book came from: its number (and file), read in messages as such."""
    source = record.get("source")
    name = str(source).replace("\\", "/").rsplit("/", 1)[-1] if source else ""
    return f"{name}，编号 {book_id}" if name else f"编号 {book_id}"


def validate_books(items: Sequence[tuple[int, Record]], as_of: dt.date | None = None) -> dict[int, list[FindingView]]:
    """Findings of each book, validated together (copies across books are findings too), as of
    ``as_of`` (None: the validator's default, today at most the end of the book's filing window)."""
    from cxzy_docs.check import validate

    tags = {source_tag(book_id, rec): book_id for book_id, rec in items}
    tagged = [{**rec, "source": tag} for tag, (_i, rec) in zip(tags, items, strict=True)]
    out: dict[int, list[FindingView]] = {book_id: [] for book_id, _ in items}
    for f in validate(tagged, as_of=as_of):
        book_id = tags.get(f.source or "")
        if book_id is None and len(items) == 1:
            book_id = items[0][0]
        if book_id is not None:
            out[book_id].append(_finding(f))
    return out


def review_elements(text: str | None) -> list[ElementView]:
    """成绩, 不足 and 努力方向 of a review text: found or missing, with the phrase that states each."""
    from cxzy_docs.check.elements import analyse_review

    result = analyse_review(text)
    out = []
    for name, label in ELEMENTS:
        item = result.element(name)
        ev = item.evidence if item.found else (item.rejected if item.uncertain else None)
        out.append(ElementView(name, label, item.found, ev.phrase if ev else None,
                               (ev.start, ev.end) if ev else None, None if item.found else item.reason,
                               item.uncertain))
    return out


def field_label(kind: str, path: str | None) -> str:
    """The label a person knows a field path by; a container path takes its first leaf's label."""
    if not path:
        return "整本写实簿"
    labels = {leaf.path: leaf.label for leaf in leaves(form_for(kind))}
    if path in labels:
        return labels[path]
    for leaf_path, label in labels.items():
        if leaf_path.startswith(path + "."):
            return label.removesuffix("签字") if path.endswith("sign") else label
    parts = path.split(".")
    if len(parts) >= 2 and parts[0] == "periods" and parts[1] in PERIOD_NAMES:
        return PERIOD_NAMES[parts[1]]
    return path


def leaf_for(kind: str, path: str | None) -> str | None:
    """The field path to jump to for a finding: the path itself, or the first leaf under it."""
    if not path:
        return None
    paths = [leaf.path for leaf in leaves(form_for(kind))]
    if path in paths:
        return path
    return next((p for p in paths if p.startswith(path + ".")), None)
