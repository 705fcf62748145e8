"""Pass 3, the fixed values: header fields, 评议 counts, 评议结果 and the year, read by their place.

On the grid path a label's value is the cell to its right or below it; a 评议 count is the cell
under its column label. Values written inline (``姓名：宋丽娜``, ``满意19人，比较满意4人``) are read
from the label's own text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cxzy_docs.forms import Field
from cxzy_docs.read.extract.items import Item
from cxzy_docs.read.extract.kinds import Problems
from cxzy_docs.read.extract.labels import Labels
from cxzy_docs.read.extract.values import YEAR, count_value, grade_value, header_value, year_value
from cxzy_docs.read.grid import Cell
from cxzy_docs.read.settings import ReadSettings
from cxzy_docs.textnorm import label_key, strip_spaces

COUNT_LIKE = re.compile(r"^\s*\d(?:[ \u3000]?\d){0,4}\s*[人名票个]?\s*$")  # 1 6 人: letter-spaced print


@dataclass
class Found:
    """A value with where it came from; ``rank`` 0 beats 1 (a table cell beats a cover line)."""

    value: object
    where: str
    confidence: float
    rank: int


@dataclass
class Fixed:
    """Values found by place: header fields, 评议 counts, 评议结果, the year."""

    values: dict[str, Found] = field(default_factory=dict)
    grade_present: bool = False

    def put(self, path: str, value: object, where: str, confidence: float, rank: int) -> None:
        old = self.values.get(path)
        if (
            old is None
            or (old.value is None and value is not None)
            or (value is not None and rank < old.rank)
        ):
            self.values[path] = Found(value, where, confidence, rank)


def is_label(item: Item | None) -> bool:
    return item is not None and item.kind not in ("text", "ignore")


class Places:
    """Which cell covers a grid position, indexed once (``Grid.cell_at`` scans every cell)."""

    def __init__(self, items: list[Item]) -> None:
        self.at: dict[tuple[int, int, int], Item] = {}
        for it in items:
            c = it.cell
            if c is None:
                continue
            for r in range(c.row, c.row + min(c.rowspan, 200)):
                for col in range(c.col, c.col + min(c.colspan, 200)):
                    self.at.setdefault((c.table, r, col), it)

    def right(self, cell: Cell) -> Item | None:
        return self.at.get((cell.table, cell.row, cell.last_col + 1))

    def left(self, cell: Cell) -> Item | None:
        return self.at.get((cell.table, cell.row, cell.col - 1)) if cell.col > 0 else None

    def below(self, cell: Cell) -> Item | None:
        return self.at.get((cell.table, cell.last_row + 1, cell.col))


def _free(item: Item | None, values_only: bool = False) -> Item | None:
    """``item`` when it can hold a value: not a label, not taken by another label."""
    if item is None or item.used:
        return None
    if values_only:
        return item if item.kind in ("text", "ignore") else None
    return None if is_label(item) else item


def _value_cell(item: Item | None) -> Item | None:
    """A free cell that may hold a value: form furniture (a vertical section label ``承\n诺\n写\n实``) never does."""
    item = _free(item)
    if item is not None and item.kind == "ignore" and item.text.strip():
        return None
    return item


def _neighbour_value(places: Places, cell: Cell) -> Item | None:
    """The value of a label cell: the cell to its right, else the cell below (when not a label).

    An empty cell to the right (a sheet's unused column) gives way to a written value below.
    """
    right, below = _value_cell(places.right(cell)), _value_cell(places.below(cell))
    if below is not None and below.cell is not None and is_label(places.left(below.cell)):
        below = None  # the value beside a label of its own (公开承诺事项 | 承诺全文), not this one's
    if right is not None and not right.text.strip() and below is not None and below.kind == "text":
        return below
    return right or below


def _count_cell(places: Places, cell: Cell, across: bool) -> Item | None:
    """A 评议 count: the cell below its column label when the labels run across a row, else the
    cell to its right (labels down a column, 满意 | 19 on each row)."""
    below, right = _free(places.below(cell), values_only=True), _free(places.right(cell), values_only=True)
    if across and below is not None and right is not None and _counts(right) and not _counts(below):
        return right  # 参加党员人数 | 60人 above a signature's date: the count is the one beside
    return (below or right) if across else (right or below)


def _counts(item: Item) -> bool:
    return bool(COUNT_LIKE.match(item.folded))


def _paired_rows(places: Places, evals: list[Item]) -> set[tuple[int, int]]:
    """Rows where 评议 labels and counts alternate (``满意 | 30 | 比较满意 | 12``): two or more labels,
    each with a count or a blank beside it, not another label. A count left blank there stays
    blank (never the one below)."""
    rows: dict[tuple[int, int], list[Item]] = {}
    for it in evals:
        assert it.cell is not None
        rows.setdefault((it.cell.table, it.cell.row), []).append(it)
    out = set()
    for key, labels in rows.items():
        beside = [places.right(it.cell) for it in labels if it.cell is not None]
        if len(labels) >= 2 and all(
            b is not None
            and b.kind in ("text", "ignore")
            and (not b.text.strip() or COUNT_LIKE.match(b.folded))
            for b in beside
        ):
            out.add(key)
    return out


def evaluation_cells(labels: Labels, items: list[Item]) -> list[Item]:
    """The cells that are 评议 column labels: three or more in one row or column of a table."""
    first_box = next((i for i, it in enumerate(items) if it.kind == "box"), len(items))
    # a header label before the first box (党员人数 of an organization) is no 评议 column
    cands = [
        it
        for i, it in enumerate(items)
        if it.cell is not None and eval_key(labels, it.folded) and not (it.kind == "field" and i < first_box)
    ]
    firsts = {(it.cell.table, it.cell.row) for it in items if it.cell is not None and it.kind == "eval_first"}
    rows: dict[tuple[int, int], int] = {}
    cols: dict[tuple[int, int], int] = {}
    for it in cands:
        c = it.cell
        assert c is not None
        rows[(c.table, c.row)] = rows.get((c.table, c.row), 0) + 1
        cols[(c.table, c.col)] = cols.get((c.table, c.col), 0) + 1
    out = []
    for it in cands:
        c = it.cell
        assert c is not None
        if (
            rows[(c.table, c.row)] >= 3
            or cols[(c.table, c.col)] >= 3
            or ((c.table, c.row) in firsts and rows[(c.table, c.row)] >= 2)
        ):
            out.append(it)
    return out


def eval_key(labels: Labels, folded: str) -> str | None:
    """The 评议 column label a cell holds, if any (its two lines read across, too: 参员加人党数)."""
    key = label_key(folded)
    if key in labels.eval_by_key:
        return key
    plain = labels.unscrambled(key)
    return plain if plain in labels.eval_by_key else None


def fixed_values(labels: Labels, items: list[Item], problems: Problems) -> Fixed:
    fixed = Fixed()
    places = Places(items)
    evals = evaluation_cells(labels, items)
    for it in evals:
        key = eval_key(labels, it.folded)
        assert key is not None
        it.kind, it.payload = "eval_col", labels.eval_by_key[key]
    for it in items:
        if it.kind == "eval_first":
            it.used = True
    in_row: dict[tuple[int, int], int] = {}
    for it in evals:
        assert it.cell is not None
        in_row[(it.cell.table, it.cell.row)] = in_row.get((it.cell.table, it.cell.row), 0) + 1
    paired = _paired_rows(places, evals)
    for it in evals:
        it.used = True
        assert it.cell is not None and isinstance(it.payload, Field)
        if (it.cell.table, it.cell.row) in paired:  # 满意 | 30 | 比较满意 | 12: each count beside its label
            value = _free(places.right(it.cell), values_only=True)
        else:
            value = _count_cell(places, it.cell, in_row[(it.cell.table, it.cell.row)] > 1)
        col = it.payload
        if value is not None:
            value.used = True
            fixed.put(
                col.path,
                count_value(value.text, col.path, value.where, problems),
                value.where,
                value.confidence,
                0,
            )
    for it in items:
        if it.kind == "votes":
            it.used = True
    if not evals:
        inline_evaluation(labels, items, fixed, problems)
    for it in items:
        if it.kind == "field":
            _field(it, places, fixed, problems)
        elif it.kind == "grade":
            _grade(it, places, fixed, problems)
        elif it.kind == "year_label" and it.cell is not None:
            it.used = True
            value = _neighbour_value(places, it.cell)
            if value is not None:
                value.used = True
                year = year_value(value.text, value.where, problems)
                if year is not None:
                    fixed.put("year", year, value.where, value.confidence, 1)
    return fixed


def _field(it: Item, places: Places, fixed: Fixed, problems: Problems) -> None:
    f = it.payload
    assert isinstance(f, Field)
    it.used = True
    if not f.path:  # 联系电话 and such: a box the record has no field for; its value is passed over
        if not it.rest.strip() and it.cell is not None:
            value = _neighbour_value(places, it.cell)
            if value is not None:
                value.used = True
        return
    rank = 0 if it.cell is not None else 1
    if it.rest.strip():
        got, conf = header_value(f, it.rest, it.where, problems, it.confidence)
        fixed.put(f.path, got, it.where, conf, rank)
    elif it.cell is not None:
        value = _neighbour_value(places, it.cell)
        if value is not None:
            value.used = True
            got, conf = header_value(f, value.text, value.where, problems, value.confidence)
            fixed.put(f.path, got, value.where, conf, rank)


def _grade(it: Item, places: Places, fixed: Fixed, problems: Problems) -> None:
    it.used = True
    fixed.grade_present = True
    raw, where, conf = it.rest, it.where, it.confidence
    if not raw.strip() and it.cell is not None:
        value = _neighbour_value(places, it.cell)
        if value is not None:
            value.used = True
            raw, where, conf = value.text, value.where, value.confidence
    fixed.put("annual.grade", grade_value(raw, where, problems), where, conf, 0)


def inline_evaluation(labels: Labels, items: list[Item], fixed: Fixed, problems: Problems) -> None:
    """评议 counts written as text: ``满意19人，比较满意4人，一般1人…`` in one cell or line."""
    for it in items:
        if it.kind not in ("text", "eval_label") or it.used:
            continue
        found = list(labels.eval_inline_re.finditer(it.folded))
        if len(found) < 2:
            continue
        it.used = True
        for m in found:
            col = labels.eval_by_key[label_key(m["label"])]
            fixed.put(col.path, count_value(m["n"], col.path, it.where, problems), it.where, it.confidence, 1)


def find_year(items: list[Item], s: ReadSettings, problems: Problems) -> tuple[int | None, str, float]:
    """The （ 2010 年度） of the cover or the title row; None when blank or absent."""
    for it in items:
        if it.kind not in ("text", "ignore") or "年" not in it.folded:
            continue
        if len(strip_spaces(it.folded)) > s.max_year_line:
            continue
        m = YEAR.search(it.folded)
        if m is None:
            continue
        it.used = True
        return year_value(m["y"], it.where, problems), it.where, it.confidence
    return None, "", 1.0
