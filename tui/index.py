"""The list the books screen shows: one light summary per book, filtered and sorted in memory."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from cxzy_docs.api import BookRow, Store
from cxzy_docs.forms import KIND_NAMES, Leaf, form_for, leaves
from cxzy_docs.model import Record
from cxzy_docs.textnorm import fold_width

# Longest piece of any one text kept for searching: enough for any phrase a person types.
SEARCH_TEXT_CHARS = 2000


@dataclass(slots=True)
class BookSummary:
    """What the books list needs of one book; the record itself stays in the store."""

    id: int
    kind: str
    year: int | None
    name: str
    organization: str
    filled: int
    boxes: int
    checked: bool
    check_note: str | None
    version: int
    search: str  # name, organization and texts, width-folded and case-folded
    findings: int | None = None  # None: not checked yet

    @property
    def kind_label(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)

    @property
    def completeness(self) -> str:
        return f"{self.filled}/{self.boxes}"


def _fold(text: str) -> str:
    return fold_width(text).casefold()


@cache
def _leaves(kind: str) -> tuple[tuple[Leaf, tuple[str, ...]], ...]:
    return tuple((leaf, tuple(leaf.path.split("."))) for leaf in leaves(form_for(kind)))


def _values(record: Record) -> Iterator[tuple[Leaf, Any]]:
    """(leaf, value) for every value of the record's form; a fast path for thousands of books."""
    periods = {p.get("period"): p for p in record.get("periods") or () if isinstance(p, dict)}
    for leaf, keys in _leaves(record["kind"]):
        node: Any = periods if keys[0] == "periods" else record.get(keys[0])
        for key in keys[1:]:
            node = node.get(key) if isinstance(node, dict) else None
            if node is None:
                break
        yield leaf, node


def completeness(record: Record) -> tuple[int, int]:
    """(boxes filled, boxes) over the form's values; 评议结果 counts only where the book has it."""
    filled = boxes = 0
    for leaf, value in _values(record):
        if leaf.value == "grade" and value is None:
            continue
        boxes += 1
        if value not in (None, ""):
            filled += 1
    return filled, boxes


def summarize(row: BookRow) -> BookSummary:
    rec = row.record
    subj = rec.get("subject") or {}
    name = subj.get("name") or ""
    org = (subj.get("organization") if rec["kind"] == "member" else subj.get("name")) or ""
    filled = boxes = 0
    texts = [str(rec.get("year") or ""), name, org]
    for leaf, value in _values(rec):
        if leaf.value == "grade" and value is None:
            continue
        boxes += 1
        if value not in (None, ""):
            filled += 1
            if leaf.value in ("text", "name") and isinstance(value, str):
                texts.append(value[:SEARCH_TEXT_CHARS])
    return BookSummary(
        id=row.id,
        kind=rec["kind"],
        year=rec.get("year"),
        name=name,
        organization=org,
        filled=filled,
        boxes=boxes,
        checked=row.checked,
        check_note=row.check_note,
        version=row.version,
        search=_fold("\n".join(texts)),
    )


def load_summaries(store: Store, batch: int = 2500, first: int = 200) -> Iterator[list[BookSummary]]:
    """Summaries of every stored book, in batches: a small first one (the screen fills at once), then larger."""
    out: list[BookSummary] = []
    size = first
    for row in store.books():
        out.append(summarize(row))
        if len(out) >= size:
            yield out
            out, size = [], batch
    if out:
        yield out


@dataclass
class BookFilter:
    """What the person narrowed the list to."""

    text: str = ""
    has_findings: bool = False
    unchecked: bool = False
    year: int | None = None
    organization: str | None = None

    def terms(self) -> list[str]:
        return _fold(self.text).split()

    def matches(self, book: BookSummary, terms: list[str] | None = None) -> bool:
        if self.year is not None and book.year != self.year:
            return False
        if self.organization is not None and book.organization != self.organization:
            return False
        if self.has_findings and not book.findings:
            return False
        if self.unchecked and book.checked:
            return False
        return all(t in book.search for t in (self.terms() if terms is None else terms))


SORT_KEYS: dict[str, Any] = {
    "year": lambda b: (b.year is None, b.year or 0),
    "organization": lambda b: b.organization,
    "name": lambda b: b.name,
    "kind": lambda b: b.kind,
    "completeness": lambda b: b.filled / b.boxes if b.boxes else 0.0,
    "findings": lambda b: -1 if b.findings is None else b.findings,
    "checked": lambda b: b.checked,
}


@dataclass(frozen=True)
class Counts:
    total: int
    shown: int
    with_findings: int
    unchecked: int
    pending: int  # books whose findings are not computed yet


class BookIndex:
    """Every book's summary, by id, in load order."""

    def __init__(self, summaries: Iterable[BookSummary] = ()) -> None:
        self._books: dict[int, BookSummary] = {}
        self.add(summaries)

    def __len__(self) -> int:
        return len(self._books)

    def __iter__(self) -> Iterator[BookSummary]:
        return iter(self._books.values())

    def add(self, summaries: Iterable[BookSummary]) -> None:
        for s in summaries:
            self._books[s.id] = s

    def get(self, book_id: int) -> BookSummary | None:
        return self._books.get(book_id)

    def select(self, flt: BookFilter, sort: str | None = None, reverse: bool = False) -> list[BookSummary]:
        terms = flt.terms()
        rows = [b for b in self._books.values() if flt.matches(b, terms)]
        if sort:
            rows.sort(key=SORT_KEYS[sort], reverse=reverse)
        return rows

    def counts(self, shown: list[BookSummary]) -> Counts:
        books = self._books.values()
        return Counts(
            total=len(self._books),
            shown=len(shown),
            with_findings=sum(1 for b in books if b.findings),
            unchecked=sum(1 for b in books if not b.checked),
            pending=sum(1 for b in books if b.findings is None),
        )

    def groups(self) -> dict[int | None, Counter[str]]:
        """Books per organization, per year: what the organization tree shows."""
        out: dict[int | None, Counter[str]] = {}
        for b in self._books.values():
            out.setdefault(b.year, Counter())[b.organization] += 1
        return out
