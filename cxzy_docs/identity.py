"""A book's identity, and how material for one book is merged into it: pure functions over records.

**Identity.** A book is one kind, one year, one organization and one subject. For a member the
subject is the name plus what tells namesakes apart: birth month, joining month and position (from
the book's header, or the roster's row). Names and organizations are compared by a key (spaces
dropped, full-width letters and brackets folded), never rewritten: ``第三党支部（老年/流动党员）`` stays as
written and still matches ``第三党支部(老年/流动党员)``.

**Matching** (:func:`choose`). Books sharing the kind and the name key are candidates. A candidate is
ruled out when something both sides know differs: the year, the organization, the birth month or the
joining month; what one side does not know never rules out. Among the rest the best-supported one
(equal birth or joining month, then equal position, organization and year) is taken when it is the
only best; two equally good candidates are *ambiguous*, reported and never guessed.

**Merging** (:func:`merge_into`). Field by field: a value the book lacks is filled in; an equal value
(spaces and width aside) confirms; a differing value is a *conflict*, both kept, unless the material
is a correction (then it replaces the book's value, as a new version) or one of the two is a
low-confidence OCR reading of nearly the same text (then the better reading is kept).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cxzy_docs.model import Record, field_paths, get_field, set_field
from cxzy_docs.textnorm import fold_width, strip_spaces

OCR_NEAR = 0.9  # an OCR reading this similar to another source's text is the same text misread
_MONTH = re.compile(r"^(\d{4})-(\d{2})")

EXPORT_MARK = "cxzy-export"  # in an exported DOCX's description: which store, book and version


def mark_text(store_id: str, book_id: int, version: int) -> str:
    """The mark a book exported from a store carries (read back by :mod:`cxzy_docs.read.marker`)."""
    return f"{EXPORT_MARK} store={store_id} book={book_id} version={version}"


# The source kinds a book's material comes from (shown in words by SOURCE_KIND_NAMES).
SOURCE_KINDS = ("file", "ledger", "records", "edit")
SOURCE_KIND_NAMES = {
    "file": "写实簿文件",
    "ledger": "点评台账",
    "records": "记录文件（JSON）",
    "edit": "手工录入",
}


def name_key(text: Any) -> str | None:
    """The comparable form of a person's or organization's name: no spaces, width folded."""
    if not isinstance(text, str):
        return None
    out = strip_spaces(fold_width(text)).casefold()
    return out or None


def month_of(value: Any) -> str | None:
    """``1978-11`` of ``1978-11-05`` or ``1978-11``; None for a year alone or anything else."""
    m = _MONTH.match(value) if isinstance(value, str) else None
    return f"{m[1]}-{m[2]}" if m else None


@dataclass(frozen=True)
class Identity:
    """What makes one book that book: kind, year, organization and subject (keys, not the text)."""

    kind: str
    year: int | None
    name: str | None  # name key of the member, or of the organization for its own book
    org: str | None  # member: the key of the organization it belongs to; organization: None
    birth: str | None = None  # YYYY-MM
    joined: str | None = None  # YYYY-MM
    position: str | None = None  # key

    @property
    def lock_key(self) -> str:
        """What two importers must not look up at once (kind and name)."""
        return f"{self.kind}|{self.name or ''}"


def identity_of(record: Record) -> Identity:
    subj: dict[str, Any] = record["subject"] if isinstance(record.get("subject"), dict) else {}
    year = (
        record.get("year")
        if isinstance(record.get("year"), int) and not isinstance(record.get("year"), bool)
        else None
    )
    if record.get("kind") == "member":
        return Identity(
            "member",
            year,
            name_key(subj.get("name")),
            name_key(subj.get("organization")),
            month_of(subj.get("birth")),
            month_of(subj.get("joined")),
            name_key(subj.get("position")),
        )
    return Identity(str(record.get("kind") or ""), year, name_key(subj.get("name")), None)


def identity_of_row(row: dict[str, Any], kind: str = "member", year: int | None = None) -> Identity:
    """The identity a roster row gives (member rows: name, organization, birth, joined, position)."""
    if kind == "member":
        return Identity(
            "member",
            year,
            name_key(row.get("name")),
            name_key(row.get("organization")),
            month_of(row.get("birth")),
            month_of(row.get("joined")),
            name_key(row.get("position")),
        )
    return Identity(kind, year, name_key(row.get("name")), None)


def score(incoming: Identity, known: Sequence[Identity]) -> int | None:
    """How well ``incoming`` fits a book known by ``known`` (its identities: as first read, and every
    source since); None when something both know differs."""
    if not known or any(k.kind != incoming.kind for k in known):
        return None
    points = 0
    for attr, weight in (("year", 1), ("org", 1), ("birth", 3), ("joined", 3), ("position", 1)):
        mine = getattr(incoming, attr)
        theirs = {getattr(k, attr) for k in known} - {None}
        if mine is None or not theirs:
            continue
        if mine in theirs:
            points += weight
        elif attr != "position":  # a position changes; a year, an organization or a birth month does not
            return None
    return points


@dataclass
class Choice:
    """The book a piece of material belongs to: ``book`` (None: a new one), or the ambiguous ones."""

    book: int | None = None
    ambiguous: list[int] = field(default_factory=list)


def choose(incoming: Identity, books: dict[int, list[Identity]]) -> Choice:
    """The one book ``incoming`` belongs to among ``books`` (id -> identities), by :func:`score`."""
    if incoming.name is None:
        return Choice()
    scored = [(s, book) for book, known in books.items() if (s := score(incoming, known)) is not None]
    if not scored:
        return Choice()
    best = max(s for s, _ in scored)
    top = sorted(book for s, book in scored if s == best)
    if len(top) == 1:
        return Choice(top[0])
    return Choice(None, top)


def by_content(incoming: Record, candidates: dict[int, Record]) -> int | None:
    """Among books that fit ``incoming`` equally well by identity (namesakes), the one its content
    tells: the only one it agrees with on some field and disagrees with on none (a ledger row that
    repeats one 张伟's review). None when the content does not tell (then the match stays ambiguous)."""
    import copy

    fits = []
    for book_id, book in candidates.items():
        merged = merge_into(copy.deepcopy(book), incoming)
        if not merged.conflicts and merged.confirmed:
            fits.append(book_id)
    return fits[0] if len(fits) == 1 else None


_LEFT = ("转出", "迁出", "调出", "转走")


def excluded_reason(member: dict[str, Any], year: int) -> str | None:
    """Why a roster member has no book for ``year``: joined after it, or transferred out (None: has one)."""
    joined = member.get("joined")
    if isinstance(joined, str) and joined[:4].isdigit() and int(joined[:4]) > year:
        return f"入党时间 {joined} 晚于 {year} 年度"
    left = member.get("left_on")
    if isinstance(left, str) and left[:4].isdigit():
        return f"已于 {left} 转出" if int(left[:4]) <= year else None
    status = member.get("status")
    if isinstance(status, str) and any(w in status for w in _LEFT):
        return f"花名册标明“{status}”"
    return None


# ------------------------------------------------------------------------------------ merging


@dataclass
class Merge:
    """What merging one piece of material into a book found, field by field."""

    filled: list[tuple[str, Any, Any]] = field(default_factory=list)  # (path, old, new): the book lacked it
    replaced: list[tuple[str, Any, Any]] = field(default_factory=list)  # (path, old, new): a correction
    conflicts: list[tuple[str, Any, Any]] = field(default_factory=list)  # (path, book's, incoming)
    confirmed: int = 0

    @property
    def changes(self) -> list[tuple[str, Any, Any]]:
        return self.filled + self.replaced


def empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text_key(value: Any) -> str:
    return strip_spaces(fold_width(str(value))).casefold()


def same(a: Any, b: Any) -> bool:
    """Equal as written, spaces and width aside (``12`` and ``"12"`` too)."""
    if a == b:
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    return _text_key(a) == _text_key(b)


def _confidence(record: Record, path: str) -> float:
    prov = (record.get("provenance") or {}).get(path)
    try:
        return float(prov.get("confidence", 1.0)) if isinstance(prov, dict) else 1.0
    except (TypeError, ValueError):
        return 1.0


def _ocr_near(a: Any, b: Any) -> bool:
    if not (isinstance(a, str) and isinstance(b, str)):
        return False
    x, y = _text_key(a), _text_key(b)
    if min(len(x), len(y)) < 4:
        return False
    return difflib.SequenceMatcher(None, x, y, autojunk=False).ratio() >= OCR_NEAR


def merge_paths(kind: str) -> list[str]:
    return field_paths(kind)


def merge_into(
    book: Record, incoming: Record, *, corrected: bool = False, protected: Iterable[str] = ()
) -> Merge:
    """Merge ``incoming`` (another reading of the same book) into ``book`` in place; what happened.

    ``corrected``: ``incoming`` is a corrected copy, its differing values replace the book's, except
    in the ``protected`` fields (changed in the store since the copy was made: those are conflicts).
    """
    out = Merge()
    guarded = set(protected)
    for path in merge_paths(book["kind"]):
        new = get_field(incoming, path)
        if empty(new):
            continue
        old = get_field(book, path)
        if empty(old):
            out.filled.append((path, old, new))
        elif same(old, new):
            out.confirmed += 1
            continue
        elif corrected and path not in guarded:
            out.replaced.append((path, old, new))
        elif _ocr_near(old, new) and min(_confidence(book, path), _confidence(incoming, path)) < 1.0:
            if _confidence(incoming, path) > _confidence(book, path):  # the better reading wins
                out.replaced.append((path, old, new))
            else:
                out.confirmed += 1
            continue
        else:
            out.conflicts.append((path, old, new))
            continue
        set_field(book, path, new)
        prov = (incoming.get("provenance") or {}).get(path)
        if isinstance(prov, dict):
            book.setdefault("provenance", {})[path] = prov
    if book.get("year") is None and isinstance(incoming.get("year"), int):
        out.filled.append(("year", None, incoming["year"]))
        book["year"] = incoming["year"]
    _merge_extras(book, incoming)
    return out


def _merge_extras(book: Record, incoming: Record) -> None:
    """Review notes (点评方式, 整改落实) of a ledger: added where the book has none for the period."""
    notes = incoming.get("review_notes")
    if isinstance(notes, dict):
        mine = book.setdefault("review_notes", {})
        if isinstance(mine, dict):
            for period, value in notes.items():
                mine.setdefault(period, value)


# --------------------------------------------------------------------------- records in memory


def source_kind(record: Record) -> str:
    """``ledger`` for a 点评台账's record, ``records`` for one from a records JSON file, else ``file``."""
    fmt = record.get("format")
    if fmt == "ledger":
        return "ledger"
    return "records" if fmt == "json" else "file"


def merge_records(records: Sequence[Record]) -> list[Record]:
    """Records read from files, merged as the store merges them: one per book, each listing its
    ``sources`` and its open ``conflicts`` (field, the values and their files). Ambiguous material
    (two books it could belong to) stays a record of its own, its ``identity_note`` saying why."""
    import copy

    out: list[Record] = []
    known: dict[int, list[Identity]] = {}
    by_name: dict[str, list[int]] = {}
    for rec in records:
        ident = identity_of(rec)
        source = str(rec.get("source") or "")
        entry = {"source": source, "kind": source_kind(rec)}
        file = source.split("#", 1)[0]
        ledger = rec.get("format") == "ledger"  # a ledger's records are different people (namesakes)
        candidates = {
            i: known[i]
            for i in by_name.get(ident.lock_key, [])
            if not (
                ledger
                and file
                and any(
                    s["source"].split("#", 1)[0] == file and s["kind"] == "ledger" for s in out[i]["sources"]
                )
            )
        }
        choice = choose(ident, candidates)
        if choice.ambiguous:
            told = by_content(rec, {i: out[i] for i in choice.ambiguous})
            if told is not None:
                choice = Choice(told)
        if choice.book is None:
            book = copy.deepcopy(rec)
            book["sources"] = [entry]
            book.setdefault("conflicts", [])
            if choice.ambiguous:
                book["identity_note"] = (
                    f"可能与另外 {len(choice.ambiguous)} 本写实簿是同一本，无法确定，未合并"
                )
            known[len(out)] = [ident]
            by_name.setdefault(ident.lock_key, []).append(len(out))
            out.append(book)
            continue
        book = out[choice.book]
        merged = merge_into(book, rec)
        first = book["sources"][0]["source"]
        for path, old, new in merged.conflicts:
            add_conflict(book, path, [(old, first), (new, source)])
        book["sources"].append(entry)
        known[choice.book].append(ident)
    return out


def add_conflict(book: Record, path: str, values: list[tuple[Any, str | None]]) -> None:
    """Record that sources disagree on ``path``: each (value, source) once, in order."""
    conflicts = book.setdefault("conflicts", [])
    entry = next((c for c in conflicts if c.get("field") == path), None)
    if entry is None:
        entry = {"field": path, "values": []}
        conflicts.append(entry)
    for value, source in values:
        if not any(same(v.get("value"), value) and v.get("source") == source for v in entry["values"]):
            entry["values"].append({"value": value, "source": source})
