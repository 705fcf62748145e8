"""The one adapter between reports and the validator: review elements and open findings as plain data.

Reports need two things from :mod:`cxzy_docs.check`: whether a review states each element
(achievements, shortcomings, direction) with its evidence phrase, and the findings still open for
a set of records. Everything the report package knows about the validator's API is in this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cxzy_docs.check.asof import default_as_of, is_due
from cxzy_docs.forms import Signature, SignRow, form_for
from cxzy_docs.model import Record, get_field

__all__ = ["ELEMENTS", "ELEMENT_NAMES", "ElementView", "FindingView", "ReviewView", "default_as_of",
           "findings_by_book", "is_due", "open_findings", "review_elements", "signatures_with_content"]

ELEMENTS = ("achievements", "shortcomings", "direction")
ELEMENT_NAMES = {"achievements": "成绩", "shortcomings": "不足", "direction": "努力方向"}


@dataclass(frozen=True)
class ElementView:
    """One element of a review: found or not, and the phrase of the review that shows it."""

    found: bool
    evidence: str | None = None


@dataclass(frozen=True)
class ReviewView:
    """The three elements of one review text; ``empty`` when nothing is written."""

    achievements: ElementView
    shortcomings: ElementView
    direction: ElementView
    empty: bool = False

    def element(self, name: str) -> ElementView:
        view: ElementView = getattr(self, name)
        return view

    @property
    def complete(self) -> bool:
        return not self.empty and all(self.element(n).found for n in ELEMENTS)

    @property
    def evidence_chars(self) -> int:
        """Characters of evidence over the three elements (the specificity score of a review)."""
        return sum(len(self.element(n).evidence or "") for n in ELEMENTS if self.element(n).found)


@dataclass(frozen=True)
class FindingView:
    """A finding as reports use it: the validator's ``Finding.to_dict()`` keys, the rule's title,
    and ``index``, the position of its book in the records validated (None: about no single book)."""

    source: str
    kind: str
    subject: str
    field: str
    code: str
    severity: str
    message: str
    evidence: str = ""
    title: str = ""
    index: int | None = None


@lru_cache(maxsize=65536)
def review_elements(text: str | None) -> ReviewView:
    """The three elements of ``text`` as the validator's analyser reads them."""
    from cxzy_docs.check.elements import analyse_review

    result = analyse_review(text)
    views = []
    for name in ELEMENTS:
        el = result.element(name)
        views.append(ElementView(bool(el.found), el.evidence.phrase if el.found and el.evidence else None))
    return ReviewView(views[0], views[1], views[2], empty=bool(result.empty))


_TOKEN = "cxzy-report-book:"


def open_findings(records: Sequence[Record], *, year: int | None = None,
                  roster_members: Any = None, roster_orgs: Any = None, as_of: Any = None) -> list[FindingView]:
    """Every finding of the validator over ``records`` (as of the date ``as_of``, default: today).

    Each book is validated under a private ``source`` token so that a finding leads back to its
    own book even when two members share a name and a branch; the real source is put back.
    """
    from cxzy_docs.check import RULES, validate

    tagged = [{**rec, "source": f"{_TOKEN}{i}"} for i, rec in enumerate(records)]
    out = []
    for f in validate(tagged, roster_members=roster_members, roster_orgs=roster_orgs, year=year,
                      as_of=as_of):
        d = {k: _untag(v, records) for k, v in f.to_dict().items()}
        index = _index_of(f.source)
        d["source"] = records[index].get("source") if index is not None else None
        rule = RULES.get(d.get("code") or "")
        out.append(_view(d, rule.title if rule else "", index))
    return out


_TOKEN_RE = re.compile(r"([，,、]\s*)?" + re.escape(_TOKEN) + r"(\d+)")


def _untag(text: Any, records: Sequence[Record]) -> Any:
    """``text`` with every source token replaced by the book's real source (or dropped)."""
    if not isinstance(text, str) or _TOKEN not in text:
        return text

    def real(m: re.Match[str]) -> str:
        i = int(m[2])
        src = records[i].get("source") if i < len(records) else None
        return f"{m[1] or ''}{src}" if src else ""

    return _TOKEN_RE.sub(real, text)


def _index_of(source: Any) -> int | None:
    text = str(source or "")
    if text.startswith(_TOKEN) and text[len(_TOKEN):].isdigit():
        return int(text[len(_TOKEN):])
    return None


def _view(d: dict[str, Any], title: str, index: int | None) -> FindingView:
    evidence = d.get("evidence")
    return FindingView(source=str(d.get("source") or ""), kind=str(d.get("kind") or ""),
                       subject=str(d.get("subject") or ""), field=str(d.get("field") or ""),
                       code=str(d.get("code") or ""), severity=str(d.get("severity") or "warning"),
                       message=str(d.get("message") or ""), evidence=str(evidence or ""),
                       title=title or str(d.get("code") or ""), index=index)


def findings_by_book(findings: Iterable[FindingView]) -> dict[int, list[FindingView]]:
    """The findings of each book, by its position in the records validated."""
    out: dict[int, list[FindingView]] = {}
    for f in findings:
        if f.index is not None:
            out.setdefault(f.index, []).append(f)
    return out


# ------------------------------------------------------------------------------ signatures

def signatures_with_content(record: Record, flat: dict[str, Any] | None = None) -> list[tuple[Signature, bool]]:
    """Each signature of the record's form, and whether the boxes it signs off hold anything.

    A signature signs off the blocks of its section written since the previous signature row
    (the form's own order): a text box, the vote counts, the grade. ``flat`` is the record
    already flattened (:func:`cxzy_docs.report.flat.flatten`), when the caller has it.
    """
    from cxzy_docs.forms import Evaluation, GradeRow, TextBox

    get = flat.get if flat is not None else (lambda path: get_field(record, path))
    out: list[tuple[Signature, bool]] = []
    for sec in form_for(record["kind"]).sections:
        filled = False
        for block in sec.blocks:
            if isinstance(block, TextBox | GradeRow):
                filled = filled or bool(_text(get(block.path)))
            elif isinstance(block, Evaluation):
                filled = filled or any(get(c.path) is not None for c in block.columns)
            elif isinstance(block, SignRow):
                out.extend((s, filled) for s in block.signs)
                filled = False  # the next box is signed off by the next signature row
    return out


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""
