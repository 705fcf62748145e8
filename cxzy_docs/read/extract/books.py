"""Pass 0, the books: where a file holding several books (a binder 合订本, a scanned stack, two books
typed one after another) is cut into one grid per book.

A book starts at a cover (the title ``党员创先争优活动写实簿``, ``（ 2010 年度）``, ``党员姓名：``), at a
header row (``姓名``, ``党组织名称``) or where the form starts over (``公开承诺事项`` after periods
were read), once the book before has had content (a box or a signature). A start only counts when
what follows it starts the form (the commitment, or the first period's fulfilment), so a title
repeated as a running head, or a header row repeated at the top of every page, starts nothing.
Each part that is not a book on its own is given back to the book before it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import cache

from cxzy_docs.forms import FORMS
from cxzy_docs.read.extract.items import Text
from cxzy_docs.read.extract.kinds import Box
from cxzy_docs.read.extract.labels import Labels, apart_enough, labels_for
from cxzy_docs.read.extract.values import YEAR
from cxzy_docs.read.grid import Cell, Grid, Line
from cxzy_docs.read.settings import ReadSettings
from cxzy_docs.textnorm import label_key, strip_spaces

Piece = Cell | Line


@dataclass(frozen=True)
class _Marks:
    """What one piece tells about where books start."""

    start: bool = False  # a cover or header line: a book may start here
    place: int | None = None  # a box label's place in the form's order (commitment 0 ... summary 99)
    content: bool = False  # a box or signature label: the book has begun


@cache
def _title_keys() -> frozenset[str]:
    return frozenset(label_key(f.title) for f in FORMS.values())


@cache
def _subject_keys() -> frozenset[str]:
    """Labels of the fields that name a book's subject, on the cover and in the header (姓名, 党组织名称)."""
    out: set[str] = set()
    for form in FORMS.values():
        for f in (*form.cover_fields, *form.header_fields()):
            if f.path == "subject.name":
                out.update(f.keys)
    return frozenset(out)


def _marks(texts: list[Text], all_labels: list[Labels], s: ReadSettings) -> list[_Marks]:
    """What each piece tells about where books start, labels broken over pieces included."""
    starts = [_starts_book(tx, all_labels, s) for tx in texts]
    places: list[int | None] = [None] * len(texts)
    content = [False] * len(texts)
    offsets, pos = [], 0
    for tx in texts:
        offsets.append(pos)
        pos += len(tx.folded) + 1
    joined = "\n".join(tx.folded for tx in texts)
    going_on = {i for i, tx in enumerate(texts) if any(lab.goes_on(tx.folded) for lab in all_labels)}
    for lab in all_labels:
        for m in lab.box_any_re.finditer(joined):
            i = bisect_right(offsets, m.start()) - 1
            key = label_key(m["label"])
            if i in going_on or not apart_enough(key, joined, m.end("label"), m.start()):
                continue
            content[i] = True
            if not lab.only_prefix(joined[offsets[i] : m.start()]):
                continue  # inside a sentence: only a label starting its line says where the form is
            place = _place(lab, lab.box_by_key[key])
            if place is not None and (places[i] is None or place < places[i]):  # type: ignore[operator]
                places[i] = place
        for i, tx in enumerate(texts):
            if "签" in tx.folded and lab.sign_re.search(tx.folded):
                content[i] = True
    return [_Marks(st and i not in going_on, places[i], content[i]) for i, st in enumerate(starts)]


def _starts_book(tx: Text, all_labels: list[Labels], s: ReadSettings) -> bool:
    """A cover or header line: the title, ``（ 2010 年度）``, ``党员姓名：``, ``姓名``."""
    key, folded = tx.key, tx.folded
    head = tx.first_key or key
    return bool(
        (any(t in key for t in _title_keys()) and len(key) <= 30)
        or (YEAR.search(folded) is not None and len(strip_spaces(folded)) <= s.max_year_line)
        or head in _subject_keys()
        or any(_subject_field(lab, folded) for lab in all_labels)
    )


def _place(lab: Labels, box: Box) -> int | None:
    """Where a box comes in the form: commitment 0, a period's fulfilment 1, 3, 5..., the summary 99;
    None where the label does not say (领导点评 is in every period, 承诺兑现情况 without its period)."""
    if box.kind == "commitment":
        return 0
    if box.kind == "summary":
        return 99
    if box.kind == "fulfilment" and box.period is not None:
        return 1 + 2 * lab.form.period_codes.index(box.period)
    return None


def _subject_field(lab: Labels, folded: str) -> bool:
    """``党员姓名：…``, or ``姓    名李国强性    别男…`` run together: a line that starts with a subject label."""
    m = lab.field_re.match(folded) or lab.field_any_re.match(folded.lstrip())
    return m is not None and label_key(m["label"]) in _subject_keys()


def book_starts(texts: list[Text], s: ReadSettings) -> list[int]:
    """Indices of the pieces (in reading order) where a second, third... book starts."""
    all_labels = [labels_for(kind) for kind in FORMS]
    marks = _marks(texts, all_labels, s)
    next_place: list[int | None] = [None] * (len(marks) + 1)
    for i in range(len(marks) - 1, -1, -1):
        here = marks[i].place
        next_place[i] = here if here is not None else next_place[i + 1]
    starts = []
    last: int | None = None  # the furthest place in the form the current book has reached
    had_content = False
    for i, m in enumerate(marks):
        ahead = next_place[i]
        if (
            had_content
            and last is not None
            and ahead is not None
            and ahead <= last
            and (m.start or m.place is not None)
        ):
            starts.append(i)  # the form starts over: a new book
            had_content, last = False, None
        if m.content:
            had_content = True
        if m.place is not None:
            last = m.place if last is None else max(last, m.place)
    return starts


def sub_grid(grid: Grid, pieces: list[Piece]) -> Grid:
    """The grid of one book: its pieces, lines before its first table counted as its cover."""
    cells = [p for p in pieces if isinstance(p, Cell)]
    first = min((c.table for c in cells), default=None)
    lines = []
    for p in pieces:
        if isinstance(p, Line):
            before = first is None or p.after_table is None or p.after_table < first
            lines.append(replace(p, after_table=None) if before else p)
    return Grid(grid.source, grid.format, cells, lines, list(grid.warnings), list(grid.ocr_pages))


def pages_of(pieces: list[Piece]) -> tuple[int, int] | None:
    pages = [p.page for p in pieces if p.page is not None]
    return (min(pages), max(pages)) if pages else None
