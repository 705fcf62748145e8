"""The layout-free path: the form's labels anchored in the running text of a book, values read between them.

Used where no table holds the form: a .doc whose table did not survive opening (``姓    名李国强性
别男…``, section labels one character per line), a form pasted into a plain document, a PDF or a
scan whose ruling lines were not found. The readers' cells and lines, in reading order, are joined
into one text; labels are found anywhere in it, even spaced out, broken over lines, written one
character per line or run together with their values.

Words of a label also occur inside the texts people write (``对照领导点评指出的问题``), so the
labels taken are the best chain in the form's own order: commitment, its two signatures, each
period's fulfilment and review with theirs, the summary, the 评议 table, the last signature. Of
two places that fit the same slot, the one that stands apart (at the start of a line, before a
colon or another label) and spells more of the label wins. Header fields are looked for before
the first box only, 评议 columns inside the 评议 block only.

The chain is turned into the items the other passes read (a label with its value as ``rest``),
so boxes, signatures and attached pages are placed exactly as on the grid path.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from cxzy_docs.forms import Evaluation, Field, SignRow, TextBox
from cxzy_docs.read.extract.fixed import Fixed, find_year
from cxzy_docs.read.extract.items import Item, Text, classify
from cxzy_docs.read.extract.kinds import Box, ItemKind, Problem, Problems, Role
from cxzy_docs.read.extract.labels import APART_AFTER, NUMBER_BEFORE, NUMBERING, Labels, apart_enough
from cxzy_docs.read.extract.values import DATE_IN_TEXT, count_value, field_value, grade_value
from cxzy_docs.read.grid import Cell, Line
from cxzy_docs.read.settings import ReadSettings
from cxzy_docs.textnorm import fold_width, label_key, read_date, strip_spaces

_HEADER_LINE = 80  # characters: a longer piece is prose (说明), where a header word is not a label
_APART_BEFORE = re.compile(r"[\s:;。；，,、.)\]]$")
_APART_AFTER = APART_AFTER
_NUMBER = re.compile(r"(?<![\d.])(\d+)\s*[人名票个]?")
_AFTER_VALUE = re.compile(r"(?:[日号。；）)]|\d|\s)$")  # a date, a sentence or a bracket ended just before
_WORDS = re.compile(r"\S+")
_SENTENCE = re.compile(r"[，。；！？,;!?]")
_DATE_LABEL = re.compile(r"(?:签\s*[字名]\s*)?(?:日\s*期|时\s*间)\s*:?")
_BLANK = " \t\u3000:：.,，。、;；-—_…"


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
        spanned = self.pieces[first:last + 1]
        where = next((p.where for p, tx in zip(spanned, self.texts[first:last + 1], strict=True)
                      if tx.text.strip()), spanned[0].where)
        return where or f"第{first + 1}段", min(p.confidence for p in spanned)

    def at_piece_start(self, pos: int) -> bool:
        i = self.piece_at(pos)
        return not self.folded[self.starts[i]:pos].strip()


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
def _slots(kind: str) -> tuple[_Slot, ...]:
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
            out += [_Slot("sign", role="self" if s.role == form.self_role else "reviewer") for s in block.signs]
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


def _patterns(labels: Labels) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(box labels, 评议 labels, header fields, section labels and other furniture) of a form, anywhere."""
    return labels.box_any_re, labels.eval_any_re, labels.field_any_re, labels.furniture_any_re


def _weight(stream: Stream, start: int, end: int, key: str) -> int:
    """How surely a found label is one: more of it spelled, standing apart from the text around it."""
    text = stream.folded
    w = 100 + 2 * len(key)
    if stream.at_piece_start(start) or _APART_BEFORE.search(text[max(0, start - 1):start]):
        w += 15
    if _APART_AFTER.match(text[end:end + 3]):
        w += 10
    return w


def _candidates(labels: Labels, stream: Stream, skip: set[int]) -> list[Anchor]:
    """Every place a box, signature or 评议 label is written, with the slots each may fill."""
    boxes, evals, _, _ = _patterns(labels)
    slots = _slots(labels.form.kind)
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
    for a in _without_overlaps(found):
        if stream.piece_at(a.start) in skip:
            continue
        line_start = text.rfind("\n", 0, a.start) + 1
        numbered = NUMBERING.match(text, line_start)
        if numbered is not None and numbered.end() == a.start and line_start < a.start:
            a.start = line_start  # 十一、党员群众评议情况: the number is the label's, not the text's before it
        else:
            start = _number_before(text, max(line_start, a.start - 8), a.start, labels)
            if start is not None:
                a.start = start  # …2010年3月21日（四）点评意见: a signature run on into a numbered label
        if a.kind != "eval_first" and not apart_enough(a.key, text, a.label_end if a.label_end >= 0 else a.end,
                                                        a.start):
            continue  # 点评二，… / 承诺兑现情况良好: a short label's words starting a sentence
        a.slots = tuple(i for i, s in enumerate(slots) if _fits(s, a.kind, a.payload))
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
            if sub is None or not (_AFTER_VALUE.search(text, max(lo - 3, start - 3), start)
                                   or text[:start].endswith(ends)):
                continue
            if text[start].isdigit() and start > 0 and text[start - 1].isdigit() and not _date_ends(text, start):
                continue  # 2010-06-1|66、: the digits before would not end a date
            best = start
        break
    return best


def _date_ends(text: str, pos: int) -> bool:
    """Does a readable date end at ``pos``?"""
    head = text[max(0, pos - 24):pos]
    last = next(reversed(list(DATE_IN_TEXT.finditer(head))), None)
    if last is None or last.end() != len(head):
        return False
    parsed = read_date(last.group())
    return parsed.readable and bool(parsed.iso)


def _without_overlaps(found: list[Anchor]) -> list[Anchor]:
    """Of labels found over the same characters, the longest (then the first)."""
    keep: list[Anchor] = []
    for a in sorted(found, key=lambda a: (-(a.end - a.start), a.start)):
        if all(a.end <= b.start or a.start >= b.end for b in keep):
            keep.append(a)
    return sorted(keep, key=lambda a: a.start)


def _chain(cands: list[Anchor], nslots: int) -> list[tuple[Anchor, int]]:
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


# ------------------------------------------------------------------------------- continuations

def _continuation_pieces(labels: Labels, stream: Stream) -> set[int]:
    """Pieces that are the heading of an attached page or of a text going on (附页, 接上页, （…续）)."""
    out = set()
    for i, tx in enumerate(stream.texts):
        if labels.goes_on(tx.folded):
            out.add(i)
    return out


# ------------------------------------------------------------------------------------ the book

@dataclass
class StreamRead:
    """What the stream path hands the walk: the items in order, and the values read by place."""

    items: list[Item]
    fixed: Fixed
    year: tuple[int | None, str, float]


def read_stream(labels: Labels, pieces: list[Cell | Line], texts: list[Text], s: ReadSettings,
                problems: Problems) -> StreamRead:
    stream = Stream(pieces, texts)
    marks = _continuation_pieces(labels, stream)
    chain = _chain(_candidates(labels, stream, marks), len(_slots(labels.form.kind)))
    anchors = [a for a, _ in chain]
    form_start = anchors[0].start if anchors else len(stream.folded)
    last_end = anchors[-1].end if anchors else 0
    attach_at = next((stream.starts[i] for i in sorted(marks) if stream.starts[i] >= last_end), None)
    form_end = attach_at if attach_at is not None else len(stream.folded)
    fixed = Fixed()
    cover = _cover_items(labels, stream, form_start)
    year = find_year(cover, s, problems)
    _header(labels, stream, form_start, fixed, problems)
    items = [*cover, *_form_items(labels, stream, anchors, marks, form_end, fixed, problems, s.max_name_length)]
    if attach_at is not None:
        items += _attached_items(labels, stream, stream.piece_at(attach_at))
    return StreamRead(items, fixed, year)


def _cover_items(labels: Labels, stream: Stream, end: int) -> list[Item]:
    """The pieces before the first box: cover, 说明, header; read for the year (fields by :func:`_header`)."""
    out = []
    for i, tx in enumerate(stream.texts):
        if stream.starts[i] >= end:
            break
        piece = stream.pieces[i]
        item = classify(labels, tx, piece.where, piece.confidence)
        item.cover = True
        out.append(item)
    return out


def _header(labels: Labels, stream: Stream, end: int, fixed: Fixed, problems: Problems) -> None:
    """Header and cover fields before the first box: value beside its label, or a row of labels over
    a row of values (``姓名 性别 民族`` then ``李国强 男 汉族``)."""
    _, _, fields, furniture = _patterns(labels)
    zone = stream.folded[:end]
    found = [Anchor(m.start(), m.end(), "field", labels.field_by_key[label_key(m["label"])], label_key(m["label"]))
             for m in fields.finditer(zone)]
    found += [Anchor(m.start(), m.end(), "ignore", None, label_key(m["label"])) for m in furniture.finditer(zone)]
    found = _without_overlaps(found)
    found = [a for a in found if a.kind == "field" and _stands_apart(stream, a)] + \
        [a for a in found if a.kind == "ignore"]
    found.sort(key=lambda a: a.start)
    values = []
    for i, a in enumerate(found):
        stop = found[i + 1].start if i + 1 < len(found) else end
        values.append((a, a.end, stop))
    run: list[tuple[Anchor, int, int]] = []
    for a, start, stop in values:
        if a.kind != "field":
            run = []
            continue
        raw = stream.raw[start:stop]
        run.append((a, start, stop))
        if raw.strip(" \t\u3000:：\n"):
            _field_run(stream, run, fixed, problems)
            run = []


def _stands_apart(stream: Stream, a: Anchor) -> bool:
    """A header label is one unless it sits inside a sentence: in a short piece (a cell, a header
    line run together, ``姓    名李国强性    别男``), or starting a piece, or after a space or colon."""
    text = stream.folded
    if stream.at_piece_start(a.start) or _APART_BEFORE.search(text[max(0, a.start - 1):a.start]):
        return True
    return len(stream.texts[stream.piece_at(a.start)].folded) <= _HEADER_LINE


def _field_run(stream: Stream, run: list[tuple[Anchor, int, int]], fixed: Fixed, problems: Problems) -> None:
    """Labels in a row with nothing after them, then their values in the same order."""
    _, start, stop = run[-1]
    raw = stream.raw[start:stop]
    parts = [p.strip(" \t\u3000:：") for p in raw.split("\n") if p.strip(" \t\u3000:：")]
    if len(run) > 1 and len(parts) < len(run):
        words = _WORDS.findall(" ".join(parts))
        parts = words if len(words) == len(run) else parts
    if len(run) == 1 or len(parts) < len(run):
        parts = [raw.strip(" \t\u3000:：\n")]
        run = run[-1:]
    for (a, _, _), part in zip(run, parts, strict=False):
        f = a.payload
        assert isinstance(f, Field)
        if not f.path:
            continue  # 联系电话 and such: no field of the record
        pos = stream.raw.find(part, start) if part else start
        where, conf = stream.where(max(pos, start), max(pos, start) + max(len(part), 1))
        fixed.put(f.path, field_value(f, part, where, problems), where, conf, 0)


def _form_items(labels: Labels, stream: Stream, anchors: list[Anchor], marks: set[int], end: int,
                fixed: Fixed, problems: Problems, max_name: int) -> list[Item]:
    """The chain's labels as items, each with the text up to the next label as its value."""
    cuts = _furniture(labels, stream, anchors, marks, end)
    every = sorted([*anchors, *cuts], key=lambda a: a.start)
    out: list[Item] = []
    skip = 0
    for i, a in enumerate(every):
        if skip:
            skip -= 1
            continue
        stop = every[i + 1].start if i + 1 < len(every) else end
        if a.kind == "sign":
            pair = _side_by_side(stream, every, i)
            if pair > 1:  # two signatures in one line or cell: their dates may share the line below
                stop = every[i + pair].start if i + pair < len(every) else end
                out += _sign_items(stream, a, stop, max_name, pair)
                skip = pair - 1
                continue
        if a.kind == "eval_label" or a.kind == "eval_first":
            stop = _evaluation(labels, stream, a, stop, every[i + 1:], fixed, problems)
        elif a.kind == "grade":
            raw = stream.raw[a.end:stop]
            where, conf = stream.where(a.end, stop) if raw.strip() else stream.where(a.start, a.end)
            fixed.grade_present = True
            fixed.put("annual.grade", grade_value(raw, where, problems), where, conf, 0)
            continue
        elif a.kind == "votes":
            _inline_counts(labels, stream, a, fixed, problems)
            continue
        out += _anchor_items(labels, stream, a, stop, max_name)
    return out


def _inline_counts(labels: Labels, stream: Stream, a: Anchor, fixed: Fixed, problems: Problems) -> None:
    """``满意19人，比较满意4人，一般1人…`` written as one line."""
    where, conf = stream.where(a.start, a.end)
    for m in labels.eval_inline_re.finditer(stream.folded, a.start, a.end):
        col = labels.eval_by_key[label_key(m["label"])]
        fixed.put(col.path, count_value(m["n"], col.path, where, problems), where, conf, 1)


def _furniture(labels: Labels, stream: Stream, anchors: list[Anchor], marks: set[int], end: int) -> list[Anchor]:
    """Labels that end a value without being part of the chain: section labels, 评议结果, the
    headings of a text going on over a page, a period's own name standing alone."""
    _, _, _, furniture = _patterns(labels)
    start = anchors[0].start if anchors else 0
    taken = [(a.start, a.end) for a in anchors]

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    out = []
    for m in furniture.finditer(stream.folded, start, end):
        if free(m.start(), m.end()):
            out.append(Anchor(m.start(), m.end(), "ignore", None, label_key(m["label"])))
            taken.append((m.start(), m.end()))
    for i, tx in enumerate(stream.texts):
        pos = stream.starts[i]
        if pos < start or pos >= end:
            continue
        if i in marks or (free(pos, pos + len(tx.folded)) and (
                labels.exact.get(tx.key, ("text",))[0] == "ignore" or _section_piece(labels, tx))):
            out.append(Anchor(pos, pos + len(tx.folded), "ignore", None, tx.key))
        elif tx.key in labels.period_by_key and free(pos, pos + len(tx.folded)):
            out.append(Anchor(pos, pos + len(tx.folded), "period", labels.period_by_key[tx.key], tx.key))
        elif len(labels.eval_inline_re.findall(tx.folded)) >= 2 and free(pos, pos + len(tx.folded)):
            out.append(Anchor(pos, pos + len(tx.folded), "votes", None, tx.key))
        else:
            g = labels.grade_line_re.match(tx.folded)
            if g and free(pos, pos + g.end()):
                out.append(Anchor(pos + g.start(), pos + g.end(), "grade", None, label_key(g["label"])))
    return out


def _section_piece(labels: Labels, tx: Text) -> bool:
    """A piece of a vertical section label a page broke off (``实``, ``度写实``), standing alone."""
    return bool(tx.key) and len(tx.key) <= 6 and tx.key == tx.folded.strip() and any(
        tx.key in k for k in labels.section_keys)


def _anchor_items(labels: Labels, stream: Stream, a: Anchor, stop: int, max_name: int) -> list[Item]:
    """One label and its value as the items the walk reads."""
    raw = stream.raw[a.end:stop]
    where, conf = stream.where(a.end if raw.strip() else a.start, stop if raw.strip() else a.end)
    label_text = stream.raw[a.start:a.end]
    if a.kind == "box":
        raw = raw.rstrip()
        return [Item(label_text + raw, stream.folded[a.start:a.end + len(raw)], where, conf, "box", a.payload,
                     rest=raw)]
    if a.kind == "sign":
        return _sign_items(stream, a, stop, max_name, 1)
    if a.kind == "grade":
        return [Item(label_text + raw, stream.folded[a.start:stop], where, conf, "grade", rest=raw)]
    head = Item(label_text, stream.folded[a.start:a.end], where, conf, a.kind, a.payload)
    if a.kind in ("eval_label", "eval_first", "period"):
        out = [head]
    else:
        head.kind = "ignore"
        out = [head]
    if raw.strip():
        out.append(Item(raw, _fold(raw), where, conf, "text"))
    return out


def _side_by_side(stream: Stream, every: list[Anchor], i: int) -> int:
    """How many signature labels, from ``every[i]`` on, share one piece with nothing but names between."""
    piece = stream.piece_at(every[i].start)
    n = 1
    while (i + n < len(every) and every[i + n].kind == "sign" and stream.piece_at(every[i + n].start) == piece
           and "\n" not in stream.folded[every[i + n - 1].end:every[i + n].start].strip(_BLANK)):
        n += 1
    return n


def _sign_items(stream: Stream, a: Anchor, stop: int, max_name: int, signs: int) -> list[Item]:
    """A signature label (or several side by side) with its names and dates; what follows is text."""
    raw = stream.raw[a.end:stop]
    tail_from = raw.rfind("签") if signs > 1 else -1
    head, last = (raw[:tail_from], raw[tail_from:]) if tail_from >= 0 else ("", raw)
    first_line, _, below = last.partition("\n")
    sign_part, rest = _sign_split(below, max_name, signs) if signs > 1 else _sign_split(last, max_name)
    if signs > 1:
        sign_part = head + first_line + "\n" + sign_part
    text = stream.raw[a.start:a.end] + sign_part
    where, conf = stream.where(a.start, a.end + len(sign_part))
    items = [Item(text, _fold(text), where, conf, "sign", a.payload)]
    if rest.strip():
        pos = stream.raw.find(rest.strip(), a.end)
        rw, rc = stream.where(pos, pos + len(rest.strip()))
        items.append(Item(rest, _fold(rest), rw, rc, "text"))
    return items


def _fold(text: str) -> str:
    return fold_width(text)


def _sign_split(raw: str, max_name: int, signs: int = 1) -> tuple[str, str]:
    """(what belongs to ``signs`` signatures: names and dates, on the label's line or the next ones; the rest).

    A line belongs to the signatures when it holds dates, a short name, or both; the first line
    that holds anything else ends them (that text is reported as unplaced, not taken as a name).
    """
    lines = raw.split("\n")
    names = dates = 0
    for i, line in enumerate(lines):
        folded = _DATE_LABEL.sub(" ", _fold(line))
        if not folded.strip(_BLANK):
            continue  # a blank line, or 日期 in a cell of its own between the name and the date
        found = [m for m in DATE_IN_TEXT.finditer(folded) if m.group().strip()]
        name = folded[:found[0].start()] if found else folded
        tail = folded[found[-1].end():] if found else ""
        between = "".join(folded[a.end():b.start()] for a, b in pairwise(found))
        name, tail = name.strip(_BLANK), (tail + between).strip(_BLANK)
        name_ok = not name or (names < signs and len(strip_spaces(name)) <= max_name and not _SENTENCE.search(name))
        if tail or not name_ok or dates + len(found) > signs:
            return "\n".join(lines[:i]), "\n".join(lines[i:])
        names += bool(name)
        dates += len(found)
        if names >= signs and dates >= signs:
            return "\n".join(lines[:i + 1]), "\n".join(lines[i + 1:])
    return raw, ""


@dataclass(frozen=True)
class _Column:
    """A 评议 column label found in running text: its key and its span."""

    key: str
    start: int
    end: int


def _columns(labels: Labels, text: str, start: int, end: int) -> list[_Column]:
    """The 评议 column labels between ``start`` and ``end``; a label whose two wrapped lines were read
    across (``参人加数党员``) is found by its characters."""
    found = [_Column(label_key(m["label"]), m.start(), m.end()) for m in labels.eval_col_re.finditer(text, start, end)]
    rest_start = found[-1].end if found else start
    digits = _NUMBER.search(text, rest_start, end)
    rest_end = digits.start() if digits else end
    pos = rest_start
    lengths = sorted({len(k) for k in labels.eval_by_key if len(k) >= 4}, reverse=True)
    while pos < rest_end:
        while pos < rest_end and not text[pos].strip():
            pos += 1
        for n in lengths:
            plain = labels.unscrambled(label_key(text[pos:pos + n]))
            if plain in labels.eval_by_key:
                found.append(_Column(plain, pos, pos + n))
                pos += n
                break
        else:
            break
    return found


def _evaluation(labels: Labels, stream: Stream, a: Anchor, stop: int, after: list[Anchor], fixed: Fixed,
                problems: Problems) -> int:
    """The 评议 counts after 党员群众评议情况 / 评价等次: each column label with its count beside it, or
    the labels in a row and the counts in the next. Returns where the label's own value ends."""
    if any(b.kind in ("eval_label", "eval_first") for b in after[:1]):
        return stop  # the next label is the 评议 block's other one: it reads the counts
    zone_end = next((b.start for b in after if b.kind not in ("ignore",)), stop)
    text = stream.folded
    cols = _columns(labels, text, a.end, zone_end)
    if not cols:
        return stop
    between = text[cols[0].end:cols[-1].start]
    if _NUMBER.search(between):  # 满意 19 比较满意 4 …: each count beside its label
        for i, col in enumerate(cols):
            end = cols[i + 1].start if i + 1 < len(cols) else zone_end
            _put_count(labels, stream, col, _NUMBER.search(text, col.end, end), fixed, problems)
    else:  # 满意 比较满意 … then 19 4 …
        counts = list(_NUMBER.finditer(text, cols[-1].end, zone_end))
        if len(counts) == len(cols):
            for col, n in zip(cols, counts, strict=True):
                _put_count(labels, stream, col, n, fixed, problems)
        elif counts:
            raw = stream.raw[cols[-1].end:zone_end].strip()
            where, _ = stream.where(cols[-1].end, zone_end)
            problems.append(Problem("annual.evaluation", raw, where,
                                    f"评议票数有 {len(counts)} 个，栏目有 {len(cols)} 个，无法对应，已保留原文，记录中留空"))
    return cols[0].start if cols[0].start > a.end else a.end


def _put_count(labels: Labels, stream: Stream, col: _Column, n: re.Match[str] | None, fixed: Fixed,
               problems: Problems) -> None:
    field = labels.eval_by_key[col.key]
    if n is None:
        return
    where, conf = stream.where(n.start(), n.end())
    fixed.put(field.path, count_value(n.group(), field.path, where, problems), where, conf, 0)


def _attached_items(labels: Labels, stream: Stream, first: int) -> list[Item]:
    """The pieces after the form, from its first attached-page heading on: read as attached pages."""
    out = []
    for piece, tx in zip(stream.pieces[first:], stream.texts[first:], strict=True):
        item = classify(labels, tx, piece.where, piece.confidence)
        item.attached = True
        out.append(item)
    return out

