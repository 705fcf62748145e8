"""One record as the rules see it: where it came from, what it is called, what its fields are called."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cxzy_docs.check.asof import default_as_of, is_due
from cxzy_docs.check.findings import Finding, finding
from cxzy_docs.fieldlabels import field_label
from cxzy_docs.forms import FORMS
from cxzy_docs.model import display_name


class Book:
    """A record with its place in the input (``index``), its file and its name in words."""

    __slots__ = ("as_of", "index", "kind", "periods", "record", "source", "subject", "year")

    def __init__(
        self,
        record: dict[str, Any],
        index: int,
        source: str | None,
        kind: str | None,
        subject: str,
        year: int | None,
        as_of: dt.date | None = None,
    ) -> None:
        self.record, self.index, self.source, self.kind, self.subject, self.year = (
            record,
            index,
            source,
            kind,
            subject,
            year,
        )
        self.as_of = as_of  # the date the book is checked as of (None: every period is due)
        self.periods: dict[str, Any] = {}
        periods = record.get("periods")
        if isinstance(periods, list):
            for item in periods:
                if isinstance(item, dict) and isinstance(item.get("period"), str):
                    self.periods.setdefault(item["period"], item)

    @classmethod
    def of(
        cls,
        record: Any,
        index: int,
        default_year: int | None = None,
        as_of: dt.date | None = None,
        today: dt.date | None = None,
    ) -> Book:
        """The book of ``record``, checked as of ``as_of`` (default: today, at most the end of the
        book's filing window; ``today`` stands for the real date in tests)."""
        rec = record if isinstance(record, dict) else {}
        kind = rec.get("kind") if rec.get("kind") in FORMS else None
        year = (
            rec.get("year")
            if isinstance(rec.get("year"), int) and not isinstance(rec.get("year"), bool)
            else default_year
        )
        try:
            subject = display_name(rec) if kind else f"第 {index + 1} 条记录"
        except (AttributeError, TypeError):
            subject = f"第 {index + 1} 条记录"
        source = rec.get("source")
        when = as_of if as_of is not None else default_as_of(year, today)
        return cls(rec, index, str(source) if source else None, kind, subject, year, when)

    def due(self, code: str | None) -> bool:
        """True when the block of ``code`` (a period, ``"annual"``, ``None``: the commitment) has
        ended by the as-of date, so that what is blank in it is missing."""
        return is_due(self.year, code, self.as_of)

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
        return finding(
            code,
            source=self.source,
            kind=self.kind,
            subject=self.subject,
            field=field,
            message=f"{label}：{detail}",
            evidence=evidence,
            book=self.index,
            label=label,
        )


_PARTS: dict[str, tuple[str, ...]] = {}  # field paths come from the code: a few hundred at most


def _split(path: str) -> tuple[str, ...]:
    parts = tuple(path.split("."))
    if len(_PARTS) < 4096:
        _PARTS[path] = parts
    return parts
