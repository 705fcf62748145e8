"""Pass 2, the items: every cell and line of a grid, in reading order, recognised as a label or a value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cxzy_docs.read.extract.kinds import ItemKind
from cxzy_docs.read.extract.labels import Labels
from cxzy_docs.read.extract.values import BLANK_DATE_LINE
from cxzy_docs.read.grid import Cell, Grid, Line
from cxzy_docs.textnorm import NUMBERING, fold_width, label_key

LABEL_MAX = 80  # characters: a longer text is never a label on its own
_SENTENCE_END = re.compile(r"[。；！？;!?]\s*$")


@dataclass(frozen=True)
class Text:
    """A cell's or line's text, folded once, with the label keys of it and of its first line."""

    text: str
    folded: str
    key: str  # "" when too long to be a label
    first_key: str

    @classmethod
    def of(cls, text: str) -> Text:
        return _text_of(text)


@lru_cache(maxsize=8192)
def _text_of(text: str) -> Text:
    """Text.of, once per distinct text (a file's pieces are prepared by several passes)."""
    folded = fold_width(text)
    key = label_key(folded) if len(folded) <= LABEL_MAX else ""
    first = folded.split("\n", 1)[0] if "\n" in folded else ""
    first_key = label_key(first) if first and len(first) <= LABEL_MAX else ""
    return Text(text, folded, key, first_key)


@dataclass
class Item:
    """One cell or line in reading order, with what it was recognised as."""

    text: str
    folded: str
    where: str
    confidence: float
    kind: ItemKind
    payload: object = None
    rest: str = ""  # text after a label in the same cell
    cell: Cell | None = None
    line: Line | None = None
    used: bool = False
    attached: bool = False  # after the form: only a marked attached page (附页) continues a box
    cover: bool = False  # before the form (cover page, 说明): read for header fields and the year only


def prepare(grid: Grid) -> tuple[list[Text], list[Text]]:
    """(lines, cells) of a grid as prepared texts, in the grid's own order."""
    return [Text.of(ln.text) for ln in grid.lines], [Text.of(c.text) for c in grid.cells]


def classify(labels: Labels, tx: Text, where: str, confidence: float) -> Item:
    """What one text is: a label (with any value after it in the same cell) or a value."""
    text, folded, key = tx.text, tx.folded, tx.key
    if not key and len(folded) <= LABEL_MAX:
        return Item(text, folded, where, confidence, "ignore")
    item = Item(text, folded, where, confidence, "text")
    hit = labels.exact.get(key) if key else None
    if hit is None and key:
        n = NUMBERING.match(folded)
        if n is not None:  # 一、公开承诺事项 / （二）第一季度承诺兑现情况
            hit = labels.exact.get(label_key(folded[n.end() :]))
    if hit is None and key and key not in labels.eval_by_key:
        plain = labels.unscrambled(key)  # a label wrapped in a narrow cell, its two lines read across
        if plain is not None:
            hit = labels.exact.get(plain)
            item.folded = plain
    if hit is None and key and "写实" in key:
        code = labels.section_period(folded)  # 二、履诺践诺写实（第一季度）: a section heading row
        if code is not None:
            hit = ("period", code)
    if hit is not None and not (hit[0] in ("period", "box", "field") and _SENTENCE_END.search(folded)):
        item.kind, item.payload = hit  # (一季度。 is a sentence, not the label 一季度)
        return item
    m = labels.box_match(folded)
    if m:
        item.kind, item.payload, item.rest = "box", labels.box_by_key[label_key(m["label"])], text[m.end() :]
        return item
    m = labels.field_re.match(folded)
    if m and _inline_value_ok(folded, m):
        item.kind, item.payload, item.rest = (
            "field",
            labels.field_by_key[label_key(m["label"])],
            text[m.end() :],
        )
        return item
    m = labels.grade_re.match(folded)
    if m:
        item.kind, item.rest = "grade", text[m.end() :]
        return item
    if (
        key
        and len(key) <= 6
        and any(key in s for s in labels.section_keys)
        and not _SENTENCE_END.search(folded)
    ):
        item.kind = "ignore"  # a vertical section label broken over two pages
    elif key and "写实簿" in key and len(key) <= 30:
        item.kind = "ignore"
    elif key and any(n in key for n in labels.notes):
        item.kind = "ignore"  # a sentence of the 说明 page, numbered or not
    elif key and BLANK_DATE_LINE.match(folded) and "年" in folded:
        item.kind = "ignore"  # 年 月 日 left blank, without a signature label
    return item


def _inline_value_ok(folded: str, m: re.Match[str]) -> bool:
    """``姓名：宋丽娜`` or ``姓名 宋丽娜``; without a colon only a short one-line value counts."""
    rest = folded[m.end() :].strip()
    if not rest:
        return False
    return ":" in folded[m.end("label") : m.end()] or (len(rest) <= 30 and "\n" not in rest)


def grid_items(labels: Labels, grid: Grid, lines: list[Text], cells: list[Text]) -> list[Item]:
    """Cells and lines in reading order (:meth:`Grid.stream`), each classified."""
    by_id = {id(c): tx for c, tx in zip(grid.cells, cells, strict=True)}
    by_id.update({id(ln): tx for ln, tx in zip(grid.lines, lines, strict=True)})
    out = []
    has_cells = bool(grid.cells)
    for piece in grid.stream():
        tx = by_id[id(piece)]
        if isinstance(piece, Cell):
            item = classify(labels, tx, piece.where, piece.confidence)
            item.cell = piece
        else:
            item = classify(labels, tx, piece.where or f"第{piece.index + 1}行", piece.confidence)
            item.line = piece
            if has_cells:
                item.attached = piece.after_table is not None
                item.cover = piece.after_table is None
        out.append(item)
    return out
