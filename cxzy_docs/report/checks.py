"""What reports take from the validator: the three elements of a review, and the findings still open.

Everything the report package uses of :mod:`cxzy_docs.check` comes through this module, as the
validator's own types (:class:`Finding` knows its book, :class:`ReviewElements` its evidence).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from cxzy_docs.check import ELEMENT_NAMES, ELEMENTS, ElementResult, Finding, ReviewElements, validate
from cxzy_docs.check import analyse_review as review_elements
from cxzy_docs.check.asof import default_as_of, is_due
from cxzy_docs.forms import Evaluation, GradeRow, Signature, SignRow, TextBox, form_for
from cxzy_docs.model import Record, get_field

__all__ = [
    "ELEMENTS",
    "ELEMENT_NAMES",
    "ElementResult",
    "Finding",
    "ReviewElements",
    "default_as_of",
    "findings_by_book",
    "is_due",
    "open_findings",
    "phrase",
    "review_elements",
    "signatures_with_content",
]


def phrase(element: ElementResult) -> str:
    """The words of the review that state an element ("" when it is not stated)."""
    return element.evidence.phrase if element.found and element.evidence else ""


def open_findings(
    records: Sequence[Record],
    *,
    year: int | None = None,
    roster_members: Any = None,
    roster_orgs: Any = None,
    as_of: Any = None,
) -> list[Finding]:
    """Every finding of the validator over ``records`` (as of ``as_of``, default: today); each
    finding's ``book`` is the position of its book in ``records``."""
    return validate(records, roster_members=roster_members, roster_orgs=roster_orgs, year=year, as_of=as_of)


def findings_by_book(findings: Iterable[Finding]) -> dict[int, list[Finding]]:
    """The findings of each book, by its position in the records validated."""
    out: dict[int, list[Finding]] = {}
    for f in findings:
        if f.book is not None:
            out.setdefault(f.book, []).append(f)
    return out


# ------------------------------------------------------------------------------ signatures


def signatures_with_content(
    record: Record, flat: dict[str, Any] | None = None
) -> list[tuple[Signature, bool]]:
    """Each signature of the record's form, and whether the boxes it signs off hold anything.

    A signature signs off the blocks of its section written since the previous signature row
    (the form's own order): a text box, the vote counts, the grade. ``flat`` is the record
    already flattened (:func:`cxzy_docs.report.flat.flatten`), when the caller has it.
    """
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
