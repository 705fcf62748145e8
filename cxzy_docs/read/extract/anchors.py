"""Finding the form's labels in running text: every place a label is written, and the best chain of them.

The readers' cells and lines, in reading order, are joined into one folded text (:class:`Stream`);
box, signature and 评议 labels are found anywhere in it, even spaced out, broken over lines,
written one character per line or run together with their values (:func:`candidates`).

Words of a label also occur inside the texts people write (``对照领导点评指出的问题``), so the
labels taken are the best chain in the form's own order (:func:`chain`): commitment, its two
signatures, each period's fulfilment and review with theirs, the summary, the 评议 table, the last
signature. Of two places that fit the same slot, the one that stands apart (at the start of a
line, before a colon or another label) and spells more of the label wins; a short label (点评,
承诺事项) counts only where it stands apart from what follows it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from cxzy_docs.forms import Evaluation, SignRow, TextBox
from cxzy_docs.read.extract.items import Text
from cxzy_docs.read.extract.kinds import Box, ItemKind, Role
from cxzy_docs.read.extract.labels import APART_AFTER, NUMBER_BEFORE, Labels, apart_enough
from cxzy_docs.read.extract.values import DATE_IN_TEXT
from cxzy_docs.read.grid import Cell, Line
from cxzy_docs.textnorm import NUMBERING, label_key, read_date

APART_BEFORE = re.compile(r"[\s:;。；，,、.)\]]$")
_AFTER_VALUE = re.compile(r"(?:[日号月。；）)]|\d|\s)$")  # a date, a sentence or a bracket ended just before


# ----------------------------------------------------------------------------------- the text


class Stream:
    """The pieces of a book joined into one folded text, with the way back from a position to a piece."""

    def __init__(self, pieces: list[Cell | Line], texts: list[Text]) -> None:
        self.pieces = pieces
        self.texts = texts
        self.starts: list[int] = []
        parts: list[str] = []
        pos = 0
        for tx in texts:
            self.starts.append(pos)
            parts.append(tx.folded)
            pos += len(tx.folded) + 1
        self.folded = "\n".join(parts)
        self.raw = "\n".join(tx.text for tx in texts)

    def piece_at(self, pos: int) -> int:
        return max(0, bisect_right(self.starts, pos) - 1)

    def where(self, start: int, end: int) -> tuple[str, float]:
        """Where a span of the text came from (its first piece with text) and its lowest confidence."""
        first, last = self.piece_at(start), self.piece_at(max(start, end - 1))
        spanned = self.pieces[first : last + 1]
        where = next(
            (p.where for p, tx in zip(spanned, self.texts[first : last + 1], strict=True) if tx.text.strip()),
            spanned[0].where,
        )
        return where or f"第{first + 1}段", min(p.confidence for p in spanned)

    def at_piece_start(self, pos: int) -> bool:
        i = self.piece_at(pos)
        return not self.folded[self.starts[i] : pos].strip()


# -------------------------------------------------------------------------------- the anchors


@dataclass
class Anchor:
    """A label found in the text: its span, what it is, the slots of the form's order it may fill."""

    start: int
    end: int
    kind: ItemKind
    payload: object
    key: str
    slots: tuple[int, ...] = ()
    weight: int = 0
    label_end: int = -1  # where the label's own words end (before a closing bracket or colon)


@dataclass(frozen=True)
class _Slot:
    kind: ItemKind
    box: Box | None = None
    role: Role | None = None


@cache
def slots(kind: str) -> tuple[_Slot, ...]:
    """The form's order: each box, each signature, the 评议 block's two labels."""
    from cxzy_docs.read.extract.labels import labels_for

    form = labels_for(kind).form
    out: list[_Slot] = []
    for sec, block in form.blocks():
        if isinstance(block, TextBox):
            if block.path.startswith("commitment"):
                out.append(_Slot("box", Box("commitment")))
            elif block.path.startswith("annual"):
                out.append(_Slot("box", Box("summary")))
            else:
                out.append(_Slot("box", Box(block.path.split(".")[2], sec.period)))  # type: ignore[arg-type]
        elif isinstance(block, SignRow):
            out += [
                _Slot("sign", role="self" if s.role == form.self_role else "reviewer") for s in block.signs
            ]
        elif isinstance(block, Evaluation):
            out += [_Slot("eval_label"), _Slot("eval_first")]
    return tuple(out)


def _fits(slot: _Slot, kind: ItemKind, payload: object) -> bool:
    if slot.kind != kind:
        return False
    if kind == "box":
        assert isinstance(payload, Box) and slot.box is not None
        if payload.kind != slot.box.kind:
            return False
        return payload.period is None or payload.period == slot.box.period
    if kind == "sign":
        return payload is None or payload == slot.role
    return True


def patterns(labels: Labels) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(box labels, 评议 labels, header fields, section labels and other furniture) of a form, anywhere."""
    return labels.box_any_re, labels.eval_any_re, labels.field_any_re, labels.furniture_any_re


def _weight(stream: Stream, start: int, end: int, key: str) -> int:
    """How surely a found label is one: more of it spelled, standing apart from the text around it."""
    text = stream.folded
    w = 100 + 2 * len(key)
    if stream.at_piece_start(start) or APART_BEFORE.search(text[max(0, start - 1) : start]):
        w += 15
    if APART_AFTER.match(text[end : end + 3]):
        w += 10
    return w


def candidates(labels: Labels, stream: Stream, skip: set[int]) -> list[Anchor]:
    """Every place a box, signature or 评议 label is written, with the slots each may fill."""
    boxes, evals, _, _ = patterns(labels)
    order = slots(labels.form.kind)
    found: list[Anchor] = []
    text = stream.folded
    for m in boxes.finditer(text):
        key = label_key(m["label"])
        box = labels.box_by_key.get(key)
        if box is not None:
            found.append(Anchor(m.start(), m.end(), "box", box, key, label_end=m.end("label")))
    for m in labels.sign_re.finditer(text):
        role = labels.role_by_key.get(label_key(m["role"])) if m["role"] else None
        found.append(Anchor(m.start(), m.end(), "sign", role, label_key(m.group()) or "签字"))
    for m in evals.finditer(text):
        key = label_key(m["label"])
        kind, _ = labels.exact[key]
        found.append(Anchor(m.start(), m.end(), kind, None, key, label_end=m.end("label")))
    out = []
    for a in without_overlaps(found):
        if stream.piece_at(a.start) in skip:
            continue
        line_start = text.rfind("\n", 0, a.start) + 1
        numbered = NUMBERING.match(text, line_start)
        spaced_after = False
        if numbered is not None and numbered.end() == a.start and line_start < a.start:
            a.start = (
                line_start  # 十一、党员群众评议情况: the number is the label's, not the text's before it
            )
            end = a.label_end if a.label_end >= 0 else a.end
            spaced_after = text[end : end + 1] in (" ", "\t", "\u3000")  # 10.年度总结 认真学习…
        else:
            start = _number_before(text, max(line_start, a.start - 8), a.start, labels)
            if start is not None:
                a.start = start  # …2010年3月21日（四）点评意见: a signature run on into a numbered label
        head = text[line_start : a.start]
        after_section = bool(head) and labels.section_tail(head) == len(
            head
        )  # 实承诺事项…: a vertical label's end
        if (
            a.kind != "eval_first"
            and not after_section
            and not spaced_after
            and not apart_enough(a.key, text, a.label_end if a.label_end >= 0 else a.end, a.start)
        ):
            continue  # 点评二，… / 承诺兑现情况良好: a short label's words starting a sentence
        a.slots = tuple(i for i, s in enumerate(order) if _fits(s, a.kind, a.payload))
        if a.slots:
            a.weight = _weight(stream, a.start, a.end, a.key)
            out.append(a)
    return out


def _number_before(text: str, lo: int, end: int, labels: Labels) -> int | None:
    """Where the section number just before a label starts, when it was run on from a value or a
    section label (``…21日（四）点评意见``, ``实2、第一季度…``, ``2010-06-166、点评意见``: a day has at
    most two digits, so 6、 is the number)."""
    best = None
    ends = tuple(k[-1] for k in labels.section_keys)
    for m in NUMBER_BEFORE.finditer(text, lo, end):
        for start in range(m.start(), end):
            sub = NUMBER_BEFORE.fullmatch(text, start, end)
            if sub is None or not (
                _AFTER_VALUE.search(text, max(lo - 3, start - 3), start) or text[:start].endswith(ends)
            ):
                continue
            if (
                text[start].isdigit()
                and start > 0
                and text[start - 1].isdigit()
                and not _date_ends(text, start)
            ):
                continue  # 2010-06-1|66、: the digits before would not end a date
            best = start
        break
    return best


def _date_ends(text: str, pos: int) -> bool:
    """Does a readable date end at ``pos``?"""
    head = text[max(0, pos - 24) : pos]
    last = next(reversed(list(DATE_IN_TEXT.finditer(head))), None)
    if last is None or last.end() != len(head):
        return False
    parsed = read_date(last.group())
    return parsed.readable and bool(parsed.iso)


def without_overlaps(found: list[Anchor]) -> list[Anchor]:
    """Of labels found over the same characters, the longest (then the first)."""
    keep: list[Anchor] = []
    for a in sorted(found, key=lambda a: (-(a.end - a.start), a.start)):
        if all(a.end <= b.start or a.start >= b.end for b in keep):
            keep.append(a)
    return sorted(keep, key=lambda a: a.start)


def chain(cands: list[Anchor], nslots: int) -> list[tuple[Anchor, int]]:
    """The heaviest chain of labels in text order that fills the form's slots in their order."""
    m = len(cands)
    best = [[0] * (nslots + 1) for _ in range(m + 1)]
    for i in range(1, m + 1):
        a = cands[i - 1]
        row, prev = best[i], best[i - 1]
        for j in range(1, nslots + 1):
            v = max(prev[j], row[j - 1])
            if (j - 1) in a.slots:
                v = max(v, prev[j - 1] + a.weight)
            row[j] = v
    out: list[tuple[Anchor, int]] = []
    i, j = m, nslots
    while i > 0 and j > 0:
        a = cands[i - 1]
        if best[i][j] == best[i - 1][j]:
            i -= 1
        elif best[i][j] == best[i][j - 1]:
            j -= 1
        else:
            out.append((a, j - 1))
            i, j = i - 1, j - 1
    return out[::-1]
