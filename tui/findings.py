"""The one place the TUI meets the validator: findings per book, the three elements of a review, field names.

The TUI shows the validator's own types: :class:`~cxzy_docs.check.Finding` (which knows its book
and its field in words) and :class:`~cxzy_docs.check.ReviewElements` (found or not, with the phrase
and span that decided each element).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from cxzy_docs.api import ELEMENT_NAMES, ELEMENTS, Finding, ReviewElements, Roster, validate
from cxzy_docs.api import field_label as form_field_label
from cxzy_docs.api import review_elements as analyse_review
from cxzy_docs.forms import form_for, leaves
from cxzy_docs.model import Record

__all__ = [
    "ELEMENTS",
    "ELEMENT_NAMES",
    "Finding",
    "ReviewElements",
    "field_label",
    "leaf_for",
    "review_elements",
    "validate_books",
]


def validate_books(
    items: Sequence[tuple[int, Record]], as_of: dt.date | None = None, roster: Roster | None = None
) -> dict[int, list[Finding]]:
    """Findings of each book (by store id), validated together so that copies across books are found
    too, as of ``as_of`` (None: the validator's default, today at most the end of the filing window);
    with the stored organization tree (``roster``), books of organizations it does not know too."""
    out: dict[int, list[Finding]] = {book_id: [] for book_id, _ in items}
    for f in validate([rec for _, rec in items], as_of=as_of, roster=roster):
        if f.book is not None:
            out[items[f.book][0]].append(f)
    return out


def review_elements(text: str | None) -> ReviewElements:
    """成绩, 不足 and 努力方向 of a review text: found or missing, with the phrase that states each."""
    return analyse_review(text)


def field_label(kind: str, path: str | None) -> str:
    """The label a person knows a field path by (the whole book when there is no path)."""
    return form_field_label(kind, path) if path else "整本写实簿"


def leaf_for(kind: str, path: str | None) -> str | None:
    """The field path to jump to for a finding: the path itself, or the first leaf under it."""
    if not path:
        return None
    paths = [leaf.path for leaf in leaves(form_for(kind))]
    if path in paths:
        return path
    return next((p for p in paths if p.startswith(path + ".")), None)
