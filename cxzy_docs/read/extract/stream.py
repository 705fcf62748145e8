"""The layout-free path: values read between the labels anchored in a book's running text.

Used where no table holds the form: a .doc whose table did not survive opening (``姓    名李国强性
别男…``, section labels one character per line), a form pasted into a plain document, a PDF or a
scan whose ruling lines were not found. :mod:`.anchors` finds the chain of labels; here the text
between them becomes their values. Header fields are looked for before the first box only, 评议
columns inside the 评议 block only, section labels and headings of a text going on cut a value
without being part of it.

The chain is turned into the items the other passes read (a label with its value as ``rest``),
so boxes, signatures and attached pages are placed exactly as on the grid path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from cxzy_docs.forms import Field
from cxzy_docs.read.extract.anchors import (
    APART_BEFORE,
    Anchor,
    Stream,
    candidates,
    chain,
    patterns,
    slots,
    without_overlaps,
)
from cxzy_docs.read.extract.fixed import Fixed, find_year
from cxzy_docs.read.extract.items import Item, Text, classify
from cxzy_docs.read.extract.kinds import ItemKind, Problem, Problems
from cxzy_docs.read.extract.labels import Labels
from cxzy_docs.read.extract.values import DATE_IN_TEXT, count_value, grade_value, header_value
from cxzy_docs.read.grid import Cell, Line
from cxzy_docs.read.settings import ReadSettings
from cxzy_docs.textnorm import fold_width, label_key, strip_spaces

_HEADER_LINE = 80  # characters: a longer piece is prose (说明), where a header word is not a label
_HEADER_DENSE = 5  # distinct header labels in one piece: a header table run together, however long
_NUMBER = re.compile(r"(?<![\d.])(\d+)\s*[人名票个]?")
# a count typed letter-spaced (1 6 for 16): read so only where one count stands alone (beside its label)
_SPACED_NUMBER = re.compile(r"(?<![\d.])(\d(?: \d)+(?!\d)|\d+)\s*[人名票个]?")
_WORDS = re.compile(r"\S+")
_SENTENCE = re.compile(r"[，。；！？,;!?]")
_DATE_LABEL = re.compile(r"(?:签\s*[字名]\s*)?(?:日\s*期|时\s*间)\s*:?")
_BLANK = " \t\u3000:：.,，。、;；-—_…"


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


def read_stream(
    labels: Labels, pieces: list[Cell | Line], texts: list[Text], s: ReadSettings, problems: Problems
) -> StreamRead:
    stream = Stream(pieces, texts)
    marks = _continuation_pieces(labels, stream)
    anchors = [a for a, _ in chain(candidates(labels, stream, marks), len(slots(labels.form.kind)))]
    form_start = anchors[0].start if anchors else len(stream.folded)
    last_end = anchors[-1].end if anchors else 0
    attach_at = next((stream.starts[i] for i in sorted(marks) if stream.starts[i] >= last_end), None)
    form_end = attach_at if attach_at is not None else len(stream.folded)
    fixed = Fixed()
    cover = _cover_items(labels, stream, form_start)
    year = find_year(cover, s, problems)
    _header(labels, stream, form_start, fixed, problems)
    items = [
        *cover,
        *_form_items(labels, stream, anchors, marks, form_end, fixed, problems, s.max_name_length),
    ]
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
    _, _, fields, furniture = patterns(labels)
    zone = stream.folded[:end]
    found = [
        Anchor(m.start(), m.end(), "field", labels.field_by_key[label_key(m["label"])], label_key(m["label"]))
        for m in fields.finditer(zone)
    ]
    found += [
        Anchor(m.start(), m.end(), "ignore", None, label_key(m["label"])) for m in furniture.finditer(zone)
    ]
    found = without_overlaps(found)
    per_piece: dict[int, set[str]] = {}
    for a in found:
        if a.kind == "field":
            per_piece.setdefault(stream.piece_at(a.start), set()).add(a.key)
    dense = {i for i, keys in per_piece.items() if len(keys) >= _HEADER_DENSE}
    found = [a for a in found if a.kind == "field" and _stands_apart(stream, a, dense)] + [
        a for a in found if a.kind == "ignore"
    ]
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


def _stands_apart(stream: Stream, a: Anchor, dense: set[int]) -> bool:
    """A header label is one unless it sits inside a sentence: in a short piece (a cell, a header
    line run together, ``姓    名李国强性    别男``), or starting a piece, or after a space or colon,
    or followed by a colon (``向霞红性别：男``), or in a piece that holds header labels and little else
    (a whole header table run together into one paragraph, ``dense``)."""
    text = stream.folded
    if stream.at_piece_start(a.start) or APART_BEFORE.search(text[max(0, a.start - 1) : a.start]):
        return True
    if text[a.end : a.end + 1] in (":", "："):
        return True
    piece = stream.piece_at(a.start)
    return len(stream.texts[piece].folded) <= _HEADER_LINE or piece in dense


def _field_run(stream: Stream, run: list[tuple[Anchor, int, int]], fixed: Fixed, problems: Problems) -> None:
    """Labels in a row with nothing after them, then their values in the same order."""
    _, start, stop = run[-1]
    raw = stream.raw[start:stop]
    parts = [p.strip(" \t\u3000:：") for p in raw.split("\n") if p.strip(" \t\u3000:：")]
    label_line, _, body = raw.partition("\n")
    lines = body.rstrip("\n").split("\n")
    if len(run) > 1 and len(parts) < len(run) == len(lines) and not label_line.strip():
        parts = [p.strip(" \t\u3000:：") for p in lines]  # one value a line, a blank one an empty line
    if len(run) > 1 and len(parts) < len(run):
        words = _WORDS.findall(" ".join(parts))
        parts = words if len(words) == len(run) else parts
    first_line, _, below = raw.partition("\n")
    one_row = len({stream.piece_at(a.start) for a, _, _ in run}) == 1  # the labels typed as one row
    if (
        len(run) > 1
        and len(parts) < len(run)
        and one_row
        and not first_line.strip(" \t\u3000:：")
        and below.strip()
    ):
        # a row of labels over a row of values with one left blank (`` 13696072619 永安镇党支部``):
        # the values line up by their separators, or they cannot be told apart and none is taken
        line = next(ln for ln in below.split("\n") if ln.strip())
        cells = next(
            (
                c
                for c in (line.split("\t"), line.split(" "), re.split(r"\t| {2,}|\u3000", line))
                if len(c) == len(run)
            ),
            None,
        )
        if cells is None:
            where, _ = stream.where(start, stop)
            problems.append(
                Problem(
                    None,
                    line.strip(),
                    where,
                    f"表头一行有 {len(run)} 个栏目，下一行的值对不上（有的留空），已保留原文，记录中留空",
                )
            )
            return
        parts = [c.strip(" \t\u3000") for c in cells]
    if len(run) > 1 and len(parts) < len(run):  # 姓名性别民族 then 付德女朝鲜族: told apart by shape
        fields = [a.payload for a, _, _ in run]
        typed = typed_split([f for f in fields if isinstance(f, Field)], raw)
        parts = typed if typed is not None else parts
    run_together = len(run) > 1 and len(parts) < len(run)
    if len(run) == 1 or run_together:
        parts = [raw.strip(" \t\u3000:：\n")]
        run = run[-1:]
    for (a, _, _), part in zip(run, parts, strict=False):
        f = a.payload
        assert isinstance(f, Field)
        if not f.path:
            continue  # 联系电话 and such: no field of the record
        pos = stream.raw.find(part, start) if part else start
        where, conf = stream.where(max(pos, start), max(pos, start) + max(len(part), 1))
        got, sure = header_value(f, part, where, problems, conf)
        if run_together and got is not None:
            # several boxes' values with nothing between them that could not be told apart: all of it
            # is read as the last box's, said to be unsure (党员人数 入党积极分子数 58: one count or two?)
            sure = min(sure, UNSURE_RUN)
            problems.append(
                Problem(
                    f.path,
                    part,
                    where,
                    "表头几个栏目的值连在一起，分不开，整段读作最后一栏的值，请人工核对",
                )
            )
        fixed.put(f.path, got, where, sure, 0)


_CN_NUM = "〇零一二三四五六七八九十"
_DATE_SHAPE = (  # a whole date, its day closed by 日 (a date running into a number must not take it)
    rf"\d{{4}}年\d{{1,2}}月(?:\d{{1,2}}[日号])?|\d{{4}}[./\-]\d{{1,2}}(?:[./\-]\d{{1,2}})?"
    rf"|[{_CN_NUM}]{{4}}年[{_CN_NUM}]{{1,2}}月(?:[{_CN_NUM}]{{1,3}}[日号])?"
)
_HAN_NAME = r"(?:[\u4e00-\u9fff]{2,4}?|[\u4e00-\u9fff]{1,10}·[\u4e00-\u9fff]{1,10})"
_COUNT_SHAPE = r"\d+[人名个]?"
UNSURE_RUN = 0.5  # the confidence of a value read from a header row whose values ran together, unsplit
_TYPED_SPLIT_MAX = 160  # characters: the most a row of header values run together holds


def _shape(f: Field) -> tuple[str, bool]:
    """The regex a field's value fits where values run together, and whether it is loose (free text or
    a name: where two loose values meet, where one ends cannot be told)."""
    if f.shape:
        return f"(?:{f.shape})", False
    if f.value == "date":
        return f"(?:{_DATE_SHAPE})", False
    if f.value == "count":
        return _COUNT_SHAPE, False
    if f.value == "name":
        return _HAN_NAME, True
    return ".*?", True


def typed_split(fields: list[Field], raw: str) -> list[str] | None:
    """Values that a row ran together with nothing between them (``付德女朝鲜族`` for 姓名 性别 民族,
    ``1970年11月1974年4月本科``), told apart by what each field's value looks like (``Field.shape``);
    None where that cannot decide: two loose values (free text, names) side by side, no fit, or a fit
    that leaves more than one of them blank."""
    shapes = [_shape(f) for f in fields]
    if any(a[1] and b[1] for a, b in pairwise(shapes)):
        return None
    if any(a.value == "count" and b.value == "count" for a, b in pairwise(fields)):
        return None  # 党员人数 入党积极分子数 then 58: one count or two (5 and 8) cannot be told
    text = strip_spaces(raw).strip(":：")
    if len(text) > _TYPED_SPLIT_MAX:  # a header row's values, not prose (and a bounded regex search)
        return None
    m = re.fullmatch("".join(f"({pattern})" for pattern, _ in shapes), text)
    if m is None:  # one of them left blank (入党积极分子数 成立时间: 2005年6月)
        m = re.fullmatch("".join(f"({pattern})?" for pattern, _ in shapes), text)
    if m is None:
        return None
    values = [m.group(i + 1) or "" for i in range(len(fields))]
    return values if sum(not v for v in values) <= 1 else None  # more than one blank: not told apart


def _form_items(
    labels: Labels,
    stream: Stream,
    anchors: list[Anchor],
    marks: set[int],
    end: int,
    fixed: Fixed,
    problems: Problems,
    max_name: int,
) -> list[Item]:
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
            stop = _evaluation(labels, stream, a, stop, every[i + 1 :], fixed, problems)
        elif a.kind == "grade":
            raw = stream.raw[a.end : stop]
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


def _furniture(
    labels: Labels, stream: Stream, anchors: list[Anchor], marks: set[int], end: int
) -> list[Anchor]:
    """Labels that end a value without being part of the chain: section labels, 评议结果, the
    headings of a text going on over a page, a period's own name standing alone."""
    _, _, _, furniture = patterns(labels)
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
        if i in marks or (
            free(pos, pos + len(tx.folded))
            and (labels.exact.get(tx.key, ("text",))[0] == "ignore" or _section_piece(labels, tx))
        ):
            out.append(Anchor(pos, pos + len(tx.folded), "ignore", None, tx.key))
        elif tx.key in labels.period_by_key and free(pos, pos + len(tx.folded)):
            out.append(Anchor(pos, pos + len(tx.folded), "period", labels.period_by_key[tx.key], tx.key))
        elif len(labels.eval_inline_re.findall(tx.folded)) >= 2 and free(pos, pos + len(tx.folded)):
            out.append(Anchor(pos, pos + len(tx.folded), "votes", None, tx.key))
        else:
            g = labels.grade_line_re.match(tx.folded)
            if g and free(pos, pos + g.end()):
                after = stream.folded[pos + g.end() : pos + g.end() + 40]
                # 评议等次 over the 评议 columns (好 / 较好 / …) heads the table: it is no 评议结果
                heads = len(labels.eval_col_re.findall(after)) >= 3
                kind: ItemKind = "ignore" if heads else "grade"
                out.append(Anchor(pos + g.start(), pos + g.end(), kind, None, label_key(g["label"])))
    return out


def _section_piece(labels: Labels, tx: Text) -> bool:
    """A piece of a vertical section label a page broke off (``实``, ``度写实``), standing alone."""
    return (
        bool(tx.key)
        and len(tx.key) <= 6
        and tx.key == tx.folded.strip()
        and any(tx.key in k for k in labels.section_keys)
    )


def _anchor_items(labels: Labels, stream: Stream, a: Anchor, stop: int, max_name: int) -> list[Item]:
    """One label and its value as the items the walk reads."""
    raw = stream.raw[a.end : stop]
    where, conf = stream.where(a.end if raw.strip() else a.start, stop if raw.strip() else a.end)
    label_text = stream.raw[a.start : a.end]
    if a.kind == "box":
        raw = raw.rstrip()
        return [
            Item(
                label_text + raw,
                stream.folded[a.start : a.end + len(raw)],
                where,
                conf,
                "box",
                a.payload,
                rest=raw,
            )
        ]
    if a.kind == "sign":
        return _sign_items(stream, a, stop, max_name, 1)
    if a.kind == "grade":
        return [Item(label_text + raw, stream.folded[a.start : stop], where, conf, "grade", rest=raw)]
    head = Item(label_text, stream.folded[a.start : a.end], where, conf, a.kind, a.payload)
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
    while (
        i + n < len(every)
        and every[i + n].kind == "sign"
        and stream.piece_at(every[i + n].start) == piece
        and "\n" not in stream.folded[every[i + n - 1].end : every[i + n].start].strip(_BLANK)
    ):
        n += 1
    return n


def _sign_items(stream: Stream, a: Anchor, stop: int, max_name: int, signs: int) -> list[Item]:
    """A signature label (or several side by side) with its names and dates; what follows is text."""
    raw = stream.raw[a.end : stop]
    tail_from = raw.rfind("签") if signs > 1 else -1
    head, last = (raw[:tail_from], raw[tail_from:]) if tail_from >= 0 else ("", raw)
    first_line, _, below = last.partition("\n")
    sign_part, rest = _sign_split(below, max_name, signs) if signs > 1 else _sign_split(last, max_name)
    if signs > 1:
        sign_part = head + first_line + "\n" + sign_part
    text = stream.raw[a.start : a.end] + sign_part
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
        name = folded[: found[0].start()] if found else folded
        tail = folded[found[-1].end() :] if found else ""
        between = "".join(folded[a.end() : b.start()] for a, b in pairwise(found))
        name, tail = name.strip(_BLANK), (tail + between).strip(_BLANK)
        name_ok = not name or (
            names < signs and len(strip_spaces(name)) <= max_name and not _SENTENCE.search(name)
        )
        if tail or not name_ok or dates + len(found) > signs:
            return "\n".join(lines[:i]), "\n".join(lines[i:])
        names += bool(name)
        dates += len(found)
        if names >= signs and dates >= signs:
            return "\n".join(lines[: i + 1]), "\n".join(lines[i + 1 :])
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
    found = [
        _Column(label_key(m["label"]), m.start(), m.end())
        for m in labels.eval_col_re.finditer(text, start, end)
    ]
    rest_start = found[-1].end if found else start
    digits = _NUMBER.search(text, rest_start, end)
    rest_end = digits.start() if digits else end
    pos = rest_start
    lengths = sorted({len(k) for k in labels.eval_by_key if len(k) >= 4}, reverse=True)
    while pos < rest_end:
        while pos < rest_end and not text[pos].strip():
            pos += 1
        for n in lengths:
            plain = labels.unscrambled(label_key(text[pos : pos + n]))
            if plain in labels.eval_by_key:
                found.append(_Column(plain, pos, pos + n))
                pos += n
                break
        else:
            break
    return found


def _evaluation(
    labels: Labels,
    stream: Stream,
    a: Anchor,
    stop: int,
    after: list[Anchor],
    fixed: Fixed,
    problems: Problems,
) -> int:
    """The 评议 counts after 党员群众评议情况 / 评价等次: each column label with its count beside it, or
    the labels in a row and the counts in the next. Returns where the label's own value ends."""
    if any(b.kind in ("eval_label", "eval_first") for b in after[:1]):
        return stop  # the next label is the 评议 block's other one: it reads the counts
    zone_end = next((b.start for b in after if b.kind not in ("ignore",)), stop)
    text = stream.folded
    cols = _columns(labels, text, a.end, zone_end)
    if not cols:
        return stop
    between = text[cols[0].end : cols[-1].start]
    if _NUMBER.search(between):  # 满意 19 比较满意 4 …: each count beside its label
        for i, col in enumerate(cols):
            end = cols[i + 1].start if i + 1 < len(cols) else zone_end
            _put_count(labels, stream, col, _SPACED_NUMBER.search(text, col.end, end), fixed, problems)
    else:  # 满意 比较满意 … then 19 4 …
        counts = list(_NUMBER.finditer(text, cols[-1].end, zone_end))
        if len(counts) != len(cols):  # 1 6  2 2  3 0 …: counts typed letter-spaced
            spaced = list(_SPACED_NUMBER.finditer(text, cols[-1].end, zone_end))
            counts = spaced if len(spaced) == len(cols) else counts
        if len(counts) == len(cols):
            for col, n in zip(cols, counts, strict=True):
                _put_count(labels, stream, col, n, fixed, problems)
        elif counts:
            raw = stream.raw[cols[-1].end : zone_end].strip()
            where, _ = stream.where(cols[-1].end, zone_end)
            problems.append(
                Problem(
                    "annual.evaluation",
                    raw,
                    where,
                    f"评议票数有 {len(counts)} 个，栏目有 {len(cols)} 个，无法对应，已保留原文，记录中留空",
                )
            )
    return cols[0].start if cols[0].start > a.end else a.end


def _put_count(
    labels: Labels, stream: Stream, col: _Column, n: re.Match[str] | None, fixed: Fixed, problems: Problems
) -> None:
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
