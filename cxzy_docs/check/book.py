"""One record as the rules see it: where it came from, what it is called, what its fields are called."""

from __future__ import annotations

from typing import Any

from cxzy_docs.check.findings import Finding, finding
from cxzy_docs.forms import FORMS, KIND_NAMES, PERIOD_NAMES
from cxzy_docs.model import display_name
from cxzy_docs.recordshape import field_labels


class Book:
    """A record with its place in the input (``index``), its file and its name in words."""

    __slots__ = ("index", "kind", "periods", "record", "source", "subject", "year")

    def __init__(self, record: dict[str, Any], index: int, source: str | None, kind: str | None, subject: str,
                 year: int | None) -> None:
        self.record, self.index, self.source, self.kind, self.subject, self.year = (
            record, index, source, kind, subject, year)
        self.periods: dict[str, Any] = {}
        periods = record.get("periods")
        if isinstance(periods, list):
            for item in periods:
                if isinstance(item, dict) and isinstance(item.get("period"), str):
                    self.periods.setdefault(item["period"], item)

    @classmethod
    def of(cls, record: Any, index: int, default_year: int | None = None) -> Book:
        rec = record if isinstance(record, dict) else {}
        kind = rec.get("kind") if rec.get("kind") in FORMS else None
        year = rec.get("year") if isinstance(rec.get("year"), int) and not isinstance(rec.get("year"), bool) \
            else default_year
        try:
            subject = display_name(rec) if kind else f"第 {index + 1} 条记录"
        except (AttributeError, TypeError):
            subject = f"第 {index + 1} 条记录"
        source = rec.get("source")
        return cls(rec, index, str(source) if source else None, kind, subject, year)

    def get(self, path: str) -> Any:
        """The value at a field path, or None; periods are found by their code."""
        parts = _PARTS.get(path) or _split(path)
        if parts[0] == "periods" and len(parts) > 1:
            node: Any = self.periods.get(parts[1])
            parts = parts[2:]
        else:
            node = self.record
        for key in parts:
            if not isinstance(node, dict):
                return None
            node = node.get(key)
        return node

    def period_codes(self) -> tuple[str, ...]:
        return FORMS[self.kind].period_codes if self.kind else ()

    def finding(self, code: str, field: str, detail: str, evidence: str | None = None) -> Finding:
        """A finding on this book whose message names the field in words: "第三季度领导点评：…"."""
        label = field_label(self.kind, field)
        return finding(code, source=self.source, kind=self.kind, subject=self.subject, field=field,
                       message=f"{label}：{detail}", evidence=evidence)


def field_label(kind: str | None, path: str) -> str:
    """The field in the words of the form: ``periods.Q3.review.sign.date`` -> 第三季度领导点评 党支部书记签字日期."""
    form = FORMS.get(kind or "")
    self_role = form.self_role if form else "本人"
    reviewer = form.reviewer_role if form else "书记"
    parts = path.split(".")
    labels = field_labels(kind) if kind in FORMS else field_labels("member")  # forms.py's words
    if path == "year":
        return "年度"
    if parts[0] == "subject":
        return labels.get(path, f"表头“{parts[-1]}”")
    if parts[0] == "commitment":
        if parts[1] == "text":
            return "公开承诺事项"
        role = self_role if parts[1] == "self_sign" else reviewer
        return f"承诺写实 {role}签字{'日期' if parts[-1] == 'date' else ''}"
    if parts[0] == "periods" and len(parts) >= 3:
        period = PERIOD_NAMES.get(parts[1], parts[1])
        if parts[2] == "fulfilment":
            base, role = f"{period}承诺兑现情况", self_role
        else:
            base, role = f"{period}领导点评", reviewer
        if len(parts) == 3 or parts[3] == "text":
            return base
        return f"{base} {role}签字{'日期' if parts[-1] == 'date' else ''}"
    if parts[0] == "annual":
        if len(parts) == 1:
            return "年度写实"
        if parts[1] == "summary":
            return "年度总结"
        if parts[1] == "evaluation":
            return f"党员群众评议情况“{labels.get(path, parts[-1])}”" if len(parts) > 2 \
                else "党员群众评议情况"
        if parts[1] == "grade":
            return "评议结果"
        return f"年度写实 {reviewer}签字{'日期' if parts[-1] == 'date' else ''}"
    return path


def kind_name(kind: str | None) -> str:
    return KIND_NAMES.get(kind or "", "写实簿")


_PARTS: dict[str, tuple[str, ...]] = {}  # field paths come from the code: a few hundred at most


def _split(path: str) -> tuple[str, ...]:
    parts = tuple(path.split("."))
    if len(_PARTS) < 4096:
        _PARTS[path] = parts
    return parts
