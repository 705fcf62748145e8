"""Grid -> ``cxzy.record/1``: find a record book's labels in any reader's grid and read the values.

Format-agnostic: the DOCX, XLSX, PDF and OCR readers all hand over cells and free lines. Labels
are found by their comparable key (:func:`cxzy_docs.textnorm.label_key`), wherever they sit: a
label with its value in one cell (``第一季度承诺兑现情况\\n…``), or the value in the cell to its
right or below. Three passes: classify every cell; read the fixed-place values by geometry
(header fields, 评议 counts, 评议结果); then walk cells and lines in reading order, where text
boxes, signatures and attached pages (附页) fall into place. Nothing is guessed: a value that
cannot be normalised is kept raw in ``problems`` and the record holds ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cxzy_docs.errors import UnknownFormError
from cxzy_docs.forms import (
    FORMS,
    PERIOD_NAMES,
    Evaluation,
    Field,
    FormSpec,
    GradeRow,
    TextBox,
)
from cxzy_docs.model import empty_record, set_field
from cxzy_docs.read.grid import Cell, Grid, Line
from cxzy_docs.read.settings import ReadSettings
from cxzy_docs.textnorm import (
    fold_width,
    label_key,
    normalize_name,
    normalize_text,
    parse_count,
    read_date,
    strip_spaces,
)

# Characters that label_key drops: allowed between the characters of a label (on folded text).
_SEP = r"[\s()（）:：\[\]【】·、,，.。*＊_]*"
_TAIL = r"[ \t\u3000]*\)?[ \t\u3000]*:?"  # after a label: closing bracket, colon
_BOUNDARY = r"(?=$|[\s:(\[)])"
_NUM = "0-9〇零○O一二两三四五六七八九十廿卅"
_DATE_IN_TEXT = re.compile(
    rf"(?:[{_NUM}]\s*){{0,4}}年\s*(?:[{_NUM}]\s*){{0,3}}月\s*(?:[{_NUM}]\s*){{0,3}}[日号]?"
    r"|\d{4}\s*[./\-]\s*\d{1,2}(?:\s*[./\-]\s*\d{1,2})?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|(?<!\d)\d{8}(?!\d)")
_TIME_SUFFIX = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?$")
# （ 2010 年度） on a cover line, or a title: 党员创先争优活动写实簿（2010年度） / 2010年度党员…写实簿
_YEAR = re.compile(rf"(?:^|\()\s*(?P<y>[{_NUM}\s]{{0,12}}?)\s*年\s*度\s*(?:\)|$|(?=\S*写实簿))")
_DATE_LABEL = re.compile(r"(?:签\s*[字名]\s*)?(?:日\s*期|时\s*间)\s*:?")
_STAMP = re.compile(r"\(\s*(?:盖\s*章|公\s*章|签\s*[字名])\s*\)")
_SENTENCE = re.compile(r"[，。；！？,;!?]")
_CONTINUATION = re.compile(
    r"^\s*[(\[]?\s*(?:接\s*上\s*页|续\s*上\s*页|接\s*前\s*页|续\s*前\s*页|附\s*页|续\s*页)"
    r"\s*[0-9一二三四五六七八九十]*\s*[)\]]?\s*:?")
_CONTINUED = re.compile(r"^\s*[(\[]?\s*(?:续|接\s*上\s*页|续\s*上\s*页|接\s*前\s*页)\s*[)\]]?\s*:?")
_SEE_ATTACHED = re.compile(r"[(\[]?\s*(?:详\s*)?(?:见|转|接|下\s*转)\s*附\s*页\s*[)\]]?\s*$")
_TERMINAL = "。！？!?…”」）)"
_BLANK_DATE_LINE = re.compile(r"^[\s年月日号]*$")
_NAME_STRIP = " \t\u3000.,，。、:：;；-—_…"
_TICKED = "☑✓✔√■☒●"
_BOXES = "□☐○" + _TICKED

_SECTION_KEYS = ("承诺写实", "履诺践诺写实", "年度写实")
_EVAL_FIRST = ("评价等次",)
_EVAL_LABEL_VARIANTS = ("评议情况", "群众评议情况", "党员群众评议")
_VOTES = ("票数", "得票数", "人数", "票数人", "得票")
_DATE_LABELS = ("日期", "签字日期", "时间", "签字时间", "签名日期")
_TABLE_CONTINUED = ("续表", "接上表", "续上表", "接上页", "续上页")

def _spaced(key: str) -> str:
    """A regex for ``key`` with anything label_key drops allowed between its characters."""
    return _SEP.join(re.escape(ch) for ch in key)


def _alternation(keys: list[str]) -> str:
    return "|".join(_spaced(k) for k in sorted(set(keys), key=len, reverse=True))


# --------------------------------------------------------------------------------- form labels

@dataclass(frozen=True)
class _Box:
    kind: str  # commitment / fulfilment / review / summary
    period: str | None = None

    def path(self) -> str:
        if self.kind == "commitment":
            return "commitment.text"
        if self.kind == "summary":
            return "annual.summary"
        return f"periods.{self.period}.{self.kind}.text"


@dataclass
class _Labels:
    """Everything needed to find one form's labels, compiled once per form."""

    form: FormSpec
    exact: dict[str, tuple[str, Any]]  # label key -> (kind, payload)
    box_by_key: dict[str, _Box]
    box_re: re.Pattern[str]
    field_by_key: dict[str, Field]
    field_re: re.Pattern[str]
    role_by_key: dict[str, str]  # role key -> "self" / "reviewer"
    sign_re: re.Pattern[str]
    eval_by_key: dict[str, Field]
    eval_inline_re: re.Pattern[str]
    grade_keys: frozenset[str]
    grade_re: re.Pattern[str]
    evidence: frozenset[str]  # label keys that show a file is this form
    structural: frozenset[str]  # the evidence a record book has and other documents do not (not 姓名…)


@cache
def _labels(kind: str) -> _Labels:
    form = FORMS[kind]
    exact: dict[str, tuple[str, Any]] = {}
    box_by_key: dict[str, _Box] = {}
    field_by_key: dict[str, Field] = {}
    eval_by_key: dict[str, Field] = {}
    grade_keys: set[str] = set()
    evidence: set[str] = {label_key(form.title)}
    for f in (*form.cover_fields, *form.header_fields()):
        for k in f.keys:
            field_by_key.setdefault(k, f)
            exact.setdefault(k, ("field", f))
            evidence.add(k)
    for sec, block in form.blocks():
        if isinstance(block, TextBox):
            if block.path.startswith("periods."):
                box = _Box(block.path.split(".")[2], sec.period)
                if box.kind == "review":
                    box = _Box("review")
            else:
                box = _Box("commitment" if block.path.startswith("commitment") else "summary")
            for k in block.keys:
                box_by_key.setdefault(k, box)
                exact.setdefault(k, ("box", box))
                evidence.add(k)
        elif isinstance(block, Evaluation):
            for k in (label_key(block.label), *map(label_key, _EVAL_LABEL_VARIANTS)):
                exact.setdefault(k, ("eval_label", None))
            evidence.add(label_key(block.label))
            for k in map(label_key, (block.first, *_EVAL_FIRST)):
                exact.setdefault(k, ("eval_first", None))
                evidence.add(k)
            for col in block.columns:
                for k in col.keys:
                    eval_by_key[k] = col
        elif isinstance(block, GradeRow):
            grade_keys.update(label_key(x) for x in (block.label, *block.variants))
    for k in grade_keys:
        exact.setdefault(k, ("grade", None))
    for code, generic in _period_names(form).items():
        for k in generic:
            exact.setdefault(k, ("period", code))
            evidence.add(k)
    for suffix in _generic_fulfilment(form):
        box_by_key.setdefault(suffix, _Box("fulfilment"))
        exact.setdefault(suffix, ("box", _Box("fulfilment")))
        evidence.add(suffix)
    exact.setdefault("年度", ("year_label", None))
    role_by_key: dict[str, str] = {}
    for _sec, block in form.blocks():
        if hasattr(block, "signs"):
            for sign in block.signs:
                who = "self" if sign.role == form.self_role else "reviewer"
                for role in (sign.role, *sign.variants):
                    role_by_key.setdefault(label_key(role), who)
                for k in sign.keys:
                    exact.setdefault(k, ("sign", who))
                    evidence.add(k)
    for k in _SECTION_KEYS:
        exact.setdefault(k, ("ignore", None))
    exact.setdefault(label_key(form.title), ("ignore", None))
    for k in _VOTES:
        exact.setdefault(k, ("votes", None))
    for k in _DATE_LABELS:
        exact.setdefault(k, ("date_label", None))
    for note in (form.notes_title, form.issuer, *form.notes, *_TABLE_CONTINUED):
        exact.setdefault(label_key(note), ("ignore", None))

    sign_re = re.compile(
        rf"(?:(?P<role>{_alternation(list(role_by_key))}){_SEP}签\s*[字名](?=[\s:)\]]|$)\s*\)?"
        r"|\(\s*签\s*[字名]\s*\)|(?:^|(?<=\n))\s*签\s*[字名](?=\s*:))"
        r"(?:\s*\(\s*盖\s*章\s*\))?[ \t\u3000]*:?")
    eval_inline_re = re.compile(rf"(?P<label>{_alternation(list(eval_by_key))})\s*:?\s*(?P<n>\d+)\s*[人名票个]?")
    return _Labels(
        form=form,
        exact=exact,
        box_by_key=box_by_key,
        box_re=re.compile(rf"^\s*(?P<label>{_alternation(list(box_by_key))}){_TAIL}"),
        field_by_key=field_by_key,
        field_re=re.compile(rf"^\s*(?P<label>{_alternation(list(field_by_key))})(?:[ \t\u3000]*:|[ \t\u3000]+)\s*"),
        role_by_key=role_by_key,
        sign_re=sign_re,
        eval_by_key=eval_by_key,
        eval_inline_re=eval_inline_re,
        grade_keys=frozenset(grade_keys),
        grade_re=re.compile(rf"^\s*(?P<label>{_alternation(list(grade_keys))})[ \t\u3000]*:\s*"),
        evidence=frozenset(evidence),
        structural=frozenset(k for k in evidence if k not in field_by_key and not k.endswith("写实簿")),
    )


def _fulfilment_keys(form: FormSpec, code: str) -> tuple[str, ...]:
    return next(b.keys for b in form.period_section(code).blocks if isinstance(b, TextBox))


def _generic_fulfilment(form: FormSpec) -> set[str]:
    """承诺兑现情况, 兑现情况: the fulfilment labels without their period (``第一季度承诺兑现情况``)."""
    out: set[str] = set()
    for code in form.period_codes:
        name = label_key(PERIOD_NAMES[code])
        out.update(k[len(name):] for k in _fulfilment_keys(form, code) if k.startswith(name) and k != name)
    return out


def _period_names(form: FormSpec) -> dict[str, set[str]]:
    """Each period's own name as a label (第一季度, 一季度, 第1季度, 上半年), from the form's labels."""
    generic = _generic_fulfilment(form)
    out: dict[str, set[str]] = {}
    for code in form.period_codes:
        names = {label_key(PERIOD_NAMES[code])}
        for k in _fulfilment_keys(form, code):
            names.update(k[: -len(g)] for g in generic if k.endswith(g) and len(k) > len(g))
        out[code] = names
    return out


def _box_match(labels: _Labels, folded: str) -> re.Match[str] | None:
    """A text box label at the start of a text; short labels must stand apart from what follows."""
    m = labels.box_re.match(folded)
    if m is None:
        return None
    key = label_key(m["label"])
    if len(key) < 6 and not re.match(_BOUNDARY, folded[m.end("label"):]) and m.end() == m.end("label"):
        return None
    return m


# ---------------------------------------------------------------------------------- recognising

_LABEL_MAX = 80  # characters: a longer text is never a label on its own


@dataclass(frozen=True)
class _Text:
    """A cell's or line's text, folded once, with the label keys of it and of its first line."""

    text: str
    folded: str
    key: str  # "" when too long to be a label
    first_key: str

    @classmethod
    def of(cls, text: str) -> _Text:
        folded = fold_width(text)
        key = label_key(folded) if len(folded) <= _LABEL_MAX else ""
        first = folded.split("\n", 1)[0] if "\n" in folded else ""
        first_key = label_key(first) if first and len(first) <= _LABEL_MAX else ""
        return cls(text, folded, key, first_key)


def _prepare(grid: Grid) -> tuple[list[_Text], list[_Text]]:
    """(lines, cells) of a grid as prepared texts, in the grid's own order."""
    return [_Text.of(ln.text) for ln in grid.lines], [_Text.of(c.text) for c in grid.cells]


def _evidence(labels: _Labels, texts: list[_Text]) -> set[str]:
    """The label keys of ``labels``'s form present in the texts."""
    found: set[str] = set()
    evidence = labels.evidence
    for tx in texts:
        key = tx.key
        if key in evidence:
            found.add(key)
            continue
        if tx.first_key in evidence:
            found.add(tx.first_key)
        folded = tx.folded
        m = _box_match(labels, folded)
        if m:
            found.add(label_key(m["label"]))
        m = labels.field_re.match(folded)
        if m:
            found.add(label_key(m["label"]))
        if "签" in folded:
            for m in labels.sign_re.finditer(folded):
                if m["role"]:
                    found.add(label_key(m["role"]) + "签字")
        if key and "写实簿" in key and len(key) <= 30:
            found.update(k for k in evidence if k.endswith("写实簿") and k in key)
    return found & evidence


def recognise(grid: Grid, *, settings: dict | ReadSettings | None = None) -> FormSpec:
    """The form a grid holds (member or organization book), told by its labels.

    Raises :class:`UnknownFormError` ("不是写实簿：…", naming the file and what was found) when
    too few of a record book's labels are present or the two books cannot be told apart.
    """
    s = ReadSettings.resolve(settings)
    lines, cells = _prepare(grid)
    return _recognise(grid, lines + cells, s)


def _recognise(grid: Grid, texts: list[_Text], s: ReadSettings) -> FormSpec:
    found = {kind: _evidence(_labels(kind), texts) for kind in FORMS}
    member, org = found["member"], found["organization"]
    own = {"member": member - _labels("organization").evidence,
           "organization": org - _labels("member").evidence}
    best = max(FORMS, key=lambda k: (len(own[k]), len(found[k])))
    other = "organization" if best == "member" else "member"
    structural = found[best] & _labels(best).structural
    if len(structural) < s.min_form_labels:
        seen = "、".join(sorted(structural)) or "无"
        raise UnknownFormError(
            f"不是写实簿：只找到 {len(structural)} 个写实簿栏目标签（{seen}），"
            f"至少需要 {s.min_form_labels} 个，如“公开承诺事项”“承诺兑现情况”“领导点评”", file=grid.source)
    if len(own[best]) == len(own[other]):
        raise UnknownFormError(
            "不是写实簿：找到了写实簿的栏目，但分不清是党员写实簿还是党组织写实簿"
            f"（找到：{'、'.join(sorted(found[best]))}）", file=grid.source)
    return FORMS[best]


# ----------------------------------------------------------------------------------- the items

@dataclass
class _Item:
    """One cell or line in reading order, with what it was recognised as."""

    text: str
    folded: str
    where: str
    confidence: float
    kind: str  # box / field / eval_label / eval_first / grade / sign / votes / date_label / ignore / text / year
    payload: Any = None
    rest: str = ""  # text after a label in the same cell
    cell: Cell | None = None
    line: Line | None = None
    used: bool = False


@dataclass
class _Value:
    """A signature's name or date; ``text`` is None when it was there but could not be read."""

    text: str | None
    where: str
    confidence: float


@dataclass
class _Part:
    """A piece of a box's text, from one cell or line."""

    text: str
    where: str
    confidence: float


@dataclass
class _Sign:
    path: str
    name: _Value | None = None
    date: _Value | None = None
    name_seen: bool = False
    date_seen: bool = False


@dataclass
class _State:
    """What the reading-order walk has collected so far."""

    labels: _Labels
    settings: ReadSettings
    texts: dict[str, list[_Part]] = field(default_factory=dict)
    signs: dict[str, _Sign] = field(default_factory=dict)
    box: _Box | None = None  # where text goes now
    context: _Box | None = None  # which box the next signature signs off
    period: str | None = None
    pending: _Sign | None = None
    started: set[str] = field(default_factory=set)  # box paths whose label was seen
    problems: list[dict[str, Any]] = field(default_factory=list)
    continuing: bool = False  # inside a marked attached page (附页)


def _classify(labels: _Labels, tx: _Text, where: str, confidence: float) -> _Item:
    text, folded, key = tx.text, tx.folded, tx.key
    if not key and len(folded) <= _LABEL_MAX:
        item = _Item(text, folded, where, confidence, "ignore")
        return item
    item = _Item(text, folded, where, confidence, "text")
    hit = labels.exact.get(key) if key else None
    if hit is not None:
        item.kind, item.payload = hit
        return item
    m = _box_match(labels, folded)
    if m:
        item.kind, item.payload, item.rest = "box", labels.box_by_key[label_key(m["label"])], text[m.end():]
        return item
    m = labels.field_re.match(folded)
    if m and _inline_value_ok(folded, m):
        item.kind, item.payload, item.rest = "field", labels.field_by_key[label_key(m["label"])], text[m.end():]
        return item
    m = labels.grade_re.match(folded)
    if m:
        item.kind, item.rest = "grade", text[m.end():]
        return item
    if key and len(key) <= 6 and any(key in s for s in _SECTION_KEYS):
        item.kind = "ignore"  # a vertical section label broken over two pages
    elif key and "写实簿" in key and len(key) <= 30:
        item.kind = "ignore"
    elif key and _BLANK_DATE_LINE.match(folded) and "年" in folded:
        item.kind = "ignore"  # 年 月 日 left blank, without a signature label
    return item


def _inline_value_ok(folded: str, m: re.Match[str]) -> bool:
    """``姓名：宋丽娜`` or ``姓名 宋丽娜``; without a colon only a short one-line value counts."""
    rest = folded[m.end():].strip()
    if not rest:
        return False
    return ":" in folded[m.end("label"):m.end()] or (len(rest) <= 30 and "\n" not in rest)


def _items(labels: _Labels, grid: Grid, lines: list[_Text], cells: list[_Text]) -> list[_Item]:
    """Cells and lines in reading order: lines before the first table, then each table and the
    lines after it."""
    keyed: list[tuple[tuple[Any, ...], _Item]] = []
    parent_of = {c.table: c.parent for c in grid.cells if c.parent is not None}
    for c, tx in zip(grid.cells, cells, strict=True):
        item = _classify(labels, tx, c.where, c.confidence)
        item.cell = c
        # a nested table is read where it sits: right after the text of the cell that holds it
        chain = [(c.table, c.row, c.col)]
        while chain[0][0] in parent_of and len(chain) < 50:
            chain.insert(0, parent_of[chain[0][0]])
        top = chain[0]
        keyed.append(((top[0], 0, top[1], top[2], tuple(chain[1:])), item))
    for ln, tx in zip(grid.lines, lines, strict=True):
        item = _classify(labels, tx, ln.where or f"第{ln.index + 1}行", ln.confidence)
        item.line = ln
        after = -1 if ln.after_table is None else ln.after_table
        keyed.append(((after + 0.5, 1, ln.index, 0, ()), item))
    keyed.sort(key=lambda kv: kv[0])
    return [item for _, item in keyed]


# ------------------------------------------------------------------------------- values, dates

def _text_value(raw: str) -> str | None:
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and _BLANK_DATE_LINE.match(lines[-1]) and lines[-1].strip():
        lines.pop()  # a 年 月 日 line whose signature label was deleted
    return normalize_text("\n".join(lines))


def _date_value(raw: str, path: str, where: str, problems: list[dict[str, Any]]) -> str | None:
    text = _TIME_SUFFIX.sub("", fold_width(raw).strip())
    parsed = read_date(text)
    if not parsed.readable:
        problems.append({"field": path, "raw": raw.strip(), "where": where,
                         "message": f"无法识别的日期“{raw.strip()}”，已保留原文，记录中留空"})
        return None
    return parsed.iso


def _count_value(raw: str, path: str, where: str, problems: list[dict[str, Any]]) -> int | None:
    try:
        return parse_count(raw)
    except ValueError:
        problems.append({"field": path, "raw": raw.strip(), "where": where,
                         "message": f"无法识别的人数“{raw.strip()}”，已保留原文，记录中留空"})
        return None


# --------------------------------------------------------------------------- fixed-place values

def _is_label(item: _Item | None) -> bool:
    return item is not None and item.kind not in ("text", "ignore")


class _Places:
    """Which cell covers a grid position, indexed once (``Grid.cell_at`` scans every cell)."""

    def __init__(self, items: list[_Item]) -> None:
        self.at: dict[tuple[int, int, int], _Item] = {}
        for it in items:
            c = it.cell
            if c is None:
                continue
            for r in range(c.row, c.row + min(c.rowspan, 200)):
                for col in range(c.col, c.col + min(c.colspan, 200)):
                    self.at.setdefault((c.table, r, col), it)

    def right(self, cell: Cell) -> _Item | None:
        return self.at.get((cell.table, cell.row, cell.last_col + 1))

    def below(self, cell: Cell) -> _Item | None:
        return self.at.get((cell.table, cell.last_row + 1, cell.col))


def _free(item: _Item | None, values_only: bool = False) -> _Item | None:
    """``item`` when it can hold a value: not a label, not taken by another label."""
    if item is None or item.used:
        return None
    if values_only:
        return item if item.kind in ("text", "ignore") else None
    return None if _is_label(item) else item


def _neighbour_value(places: _Places, cell: Cell) -> _Item | None:
    """The value of a label cell: the cell to its right, else the cell below (when not a label)."""
    return _free(places.right(cell)) or _free(places.below(cell))


def _evaluation_cells(labels: _Labels, items: list[_Item]) -> list[_Item]:
    """The cells that are 评议 column labels: three or more in one row or column of a table."""
    cands = [it for it in items if it.cell is not None and label_key(it.folded) in labels.eval_by_key]
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
        if rows[(c.table, c.row)] >= 3 or cols[(c.table, c.col)] >= 3 or (
                (c.table, c.row) in firsts and rows[(c.table, c.row)] >= 2):
            out.append(it)
    return out


@dataclass
class _Fixed:
    """Values found by place: header fields, 评议 counts, 评议结果."""

    values: dict[str, tuple[Any, str, float, int]] = field(default_factory=dict)  # path -> (v, where, conf, rank)
    grade_present: bool = False

    def put(self, path: str, value: Any, where: str, confidence: float, rank: int) -> None:
        old = self.values.get(path)
        if old is None or (old[0] is None and value is not None) or (value is not None and rank < old[3]):
            self.values[path] = (value, where, confidence, rank)


def _field_value(f: Field, raw: str, where: str, problems: list[dict[str, Any]]) -> Any:
    if f.value == "name":
        return normalize_name(raw)
    if f.value == "date":
        return _date_value(raw, f.path, where, problems)
    if f.value == "count":
        return _count_value(raw, f.path, where, problems)
    value = normalize_text(raw)
    return " ".join(value.split()) if value and "\n" not in value else value


def _fixed_values(labels: _Labels, items: list[_Item], problems: list[dict[str, Any]]) -> _Fixed:
    fixed = _Fixed()
    places = _Places(items)
    evals = _evaluation_cells(labels, items)
    for it in evals:
        it.kind, it.payload = "eval_col", labels.eval_by_key[label_key(it.folded)]
    for it in items:
        if it.kind == "eval_first":
            it.used = True
    for it in evals:
        it.used = True
        assert it.cell is not None
        value = _count_cell(places, it.cell)
        col: Field = it.payload
        if value is not None:
            value.used = True
            fixed.put(col.path, _count_value(value.text, col.path, value.where, problems),
                      value.where, value.confidence, 0)
    for it in items:
        if it.kind == "votes":
            it.used = True
    if not evals:
        _inline_evaluation(labels, items, fixed, problems)
    for it in items:
        if it.kind == "field":
            f: Field = it.payload
            it.used = True
            rank = 0 if it.cell is not None else 1
            if it.rest.strip():
                fixed.put(f.path, _field_value(f, it.rest, it.where, problems), it.where, it.confidence, rank)
            elif it.cell is not None:
                value = _neighbour_value(places, it.cell)
                if value is not None:
                    value.used = True
                    fixed.put(f.path, _field_value(f, value.text, value.where, problems),
                              value.where, value.confidence, rank)
        elif it.kind == "grade":
            it.used = True
            fixed.grade_present = True
            raw = it.rest
            where, conf = it.where, it.confidence
            if not raw.strip() and it.cell is not None:
                value = _neighbour_value(places, it.cell)
                if value is not None:
                    value.used = True
                    raw, where, conf = value.text, value.where, value.confidence
            fixed.put("annual.grade", _grade_value(raw, where, problems), where, conf, 0)
        elif it.kind == "year_label" and it.cell is not None:
            it.used = True
            value = _neighbour_value(places, it.cell)
            if value is not None:
                value.used = True
                year = _year_value(value.text, value.where, problems)
                if year is not None:
                    fixed.put("year", year, value.where, value.confidence, 1)
    return fixed


def _count_cell(places: _Places, cell: Cell) -> _Item | None:
    """A 评议 count: the cell below its column label, else the cell to its right."""
    return _free(places.below(cell), values_only=True) or _free(places.right(cell), values_only=True)


def _grade_value(raw: str, where: str, problems: list[dict[str, Any]]) -> str | None:
    """评议结果: the written grade, or the one option ticked in ``优秀□ 合格☑ 基本合格□``."""
    compact = strip_spaces(raw)
    if not any(ch in compact for ch in _TICKED):
        return normalize_name(raw)
    tokens = re.findall(f"[{_BOXES}]|[^{_BOXES}]+", compact)
    before = tokens[0] in _BOXES  # □优秀 ☑合格 (marks first) or 优秀□ 合格☑
    chosen = [tokens[i + 1 if before else i - 1] for i, tok in enumerate(tokens)
              if tok in _TICKED and 0 <= (i + 1 if before else i - 1) < len(tokens)
              and tokens[i + 1 if before else i - 1] not in _BOXES]
    if len(chosen) == 1:
        return chosen[0].strip(_NAME_STRIP) or None
    problems.append({"field": "annual.grade", "raw": raw.strip(), "where": where,
                     "message": "评议结果勾选了不止一项或无法判断，已保留原文，记录中留空"})
    return None


def _year_value(raw: str, where: str, problems: list[dict[str, Any]]) -> int | None:
    text = strip_spaces(fold_width(raw)).removesuffix("年度").removesuffix("年")
    if not text:
        return None
    parsed = read_date(text + "年")
    if parsed.readable and parsed.iso and len(parsed.iso) == 4:
        return int(parsed.iso)
    problems.append({"field": "year", "raw": raw.strip(), "where": where,
                     "message": f"无法识别年度“{raw.strip()}”，记录中留空"})
    return None


def _inline_evaluation(labels: _Labels, items: list[_Item], fixed: _Fixed,
                       problems: list[dict[str, Any]]) -> None:
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
            fixed.put(col.path, _count_value(m["n"], col.path, it.where, problems), it.where, it.confidence, 1)


def _year(items: list[_Item], s: ReadSettings,
          problems: list[dict[str, Any]]) -> tuple[int | None, str, float]:
    """The （ 2010 年度） of the cover or the title row; None when blank or absent."""
    for it in items:
        if it.kind not in ("text", "ignore") or "年" not in it.folded:
            continue
        if len(strip_spaces(it.folded)) > s.max_year_line:
            continue
        m = _YEAR.search(it.folded)
        if m is None:
            continue
        it.used = True
        return _year_value(m["y"], it.where, problems), it.where, it.confidence
    return None, "", 1.0


# --------------------------------------------------------------------------------- signatures

def _split_sign(segment: str, folded: str) -> tuple[str, str | None]:
    """(name text, date text or None) of what follows a signature label.

    A blank ``年 月 日`` is a date slot that was found empty (its text is returned, it reads None).
    """
    date: str | None = None
    spans: list[tuple[int, int]] = []
    m = _DATE_IN_TEXT.search(folded)
    if m is not None:
        date = segment[m.start():m.end()]
        spans.append(m.span())
    for rx in (_DATE_LABEL, _STAMP):
        spans.extend(x.span() for x in rx.finditer(folded))
    chars = list(segment)
    for a, b in spans:
        chars[a:b] = [" "] * (b - a)
    return "".join(chars), date


def _sign_path(st: _State, role: str | None) -> str | None:
    box = st.context
    if box is None:
        return None
    if box.kind == "commitment":
        if role is None:
            return ("commitment.self_sign" if "commitment.self_sign" not in st.signs
                    else "commitment.reviewer_sign")
        return "commitment.self_sign" if role == "self" else "commitment.reviewer_sign"
    if box.kind in ("fulfilment", "review") and box.period:
        if role is None:
            return f"periods.{box.period}.{box.kind}.sign"
        return f"periods.{box.period}.{'fulfilment' if role == 'self' else 'review'}.sign"
    if box.kind in ("summary", "evaluation"):
        return "annual.reviewer_sign"
    return None


def _sign_value(st: _State, sign: _Sign, name: str | None, date: str | None, where: str,
                conf: float) -> None:
    if name is not None:
        sign.name_seen = True
        compact = strip_spaces(name)
        if compact:
            lines = [ln.strip(_NAME_STRIP) for ln in name.split("\n") if ln.strip(_NAME_STRIP)]
            first = lines[0] if lines else name
            if len(lines) > 1 or len(strip_spaces(first)) > st.settings.max_name_length or _SENTENCE.search(first):
                st.problems.append({"field": f"{sign.path}.name", "raw": name.strip(), "where": where,
                                    "message": "签字处的文字不像姓名，已保留原文，记录中留空"})
            elif sign.name is None or sign.name.text is None:
                sign.name = _Value(normalize_name(first), where, conf)
    if date is not None:
        sign.date_seen = True
        if sign.date is None or sign.date.text is None:
            sign.date = _Value(_date_value(date, f"{sign.path}.date", where, st.problems), where, conf)


def _signatures(st: _State, item: _Item, text: str, folded: str) -> str:
    """Read every signature in ``text``; returns the text before the first one (box content)."""
    matches = list(st.labels.sign_re.finditer(folded))
    if not matches:
        return text
    head = text[: matches[0].start()]
    parts: list[tuple[re.Match[str], str, str | None]] = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        name, date = _split_sign(text[m.end():end], folded[m.end():end])
        parts.append((m, name, date))
    _share_dates(parts, folded, matches)
    for m, name, date in parts:
        role = st.labels.role_by_key.get(label_key(m["role"])) if m["role"] else None
        path = _sign_path(st, role)
        if path is None:
            st.problems.append({"field": None, "raw": text[m.start():].strip(), "where": item.where,
                                "message": "签字不属于任何栏目（前面没有找到对应的栏目标签），未读取"})
            continue
        sign = st.signs.setdefault(path, _Sign(path))
        _sign_value(st, sign, name if strip_spaces(name) else None, date, item.where, item.confidence)
        st.pending = sign if not (sign.name_seen and sign.date_seen) else None
    st.box = None  # text after a signature does not continue the box above it
    return head


def _share_dates(parts: list[tuple[re.Match[str], str, str | None]], folded: str,
                 matches: list[re.Match[str]]) -> None:
    """Two signatures side by side in one cell: their dates may both sit in the last segment."""
    if len(parts) < 2 or parts[-1][2] is None or any(p[2] is not None for p in parts[:-1]):
        return
    tail = folded[matches[-1].end():]
    dates = [m.group() for m in _DATE_IN_TEXT.finditer(tail) if strip_spaces(m.group())]
    if len(dates) != len(parts):
        return
    names = [p[1] for p in parts]
    last_name = names[-1]
    for d in dates:
        last_name = last_name.replace(strip_spaces(d), "")
    for i, (m, name, _) in enumerate(parts):
        parts[i] = (m, last_name if i == len(parts) - 1 else name, dates[i])


def _fill_pending(st: _State, item: _Item) -> bool:
    """A signature's name or date in a cell of its own after the label."""
    sign = st.pending
    if sign is None:
        return False
    if item.kind == "date_label":
        return True
    if item.kind != "text":
        return False
    bare = item.folded.strip().strip(_NAME_STRIP)
    compact = strip_spaces(bare)
    date = _DATE_IN_TEXT.fullmatch(_TIME_SUFFIX.sub("", bare))
    if date is not None and not sign.date_seen:
        _sign_value(st, sign, None, item.text.strip(), item.where, item.confidence)
    elif (not sign.name_seen and len(compact) <= st.settings.max_name_length
          and not _SENTENCE.search(compact) and "\n" not in item.text.strip()):
        _sign_value(st, sign, item.text, None, item.where, item.confidence)
    else:
        st.pending = None
        return False
    if sign.name_seen and sign.date_seen:
        st.pending = None
    return True


# ---------------------------------------------------------------------------------- text boxes

def _open_box(st: _State, box: _Box) -> _Box:
    """Start a box; 领导点评 (in every period) goes to the period whose fulfilment came last."""
    periods = st.labels.form.period_codes
    if box.kind == "fulfilment":
        code = box.period
        if code is None:  # 承诺兑现情况 without its period: the period named beside it, else the next one
            done = {p for p in periods if f"periods.{p}.fulfilment.text" in st.started}
            if st.period is None or st.period in done:
                later = periods[periods.index(st.period) + 1:] if st.period in periods else periods
                code = next((p for p in later if p not in done), st.period or periods[0])
            else:
                code = st.period
            box = _Box("fulfilment", code)
        st.period = code
    elif box.kind == "review":
        code = st.period
        if code is None or f"periods.{code}.review.text" in st.started:
            later = periods[periods.index(code) + 1:] if code in periods else periods
            code = next((p for p in later if f"periods.{p}.review.text" not in st.started), code or periods[0])
        box = _Box("review", code)
        st.period = code
    st.started.add(box.path())
    st.box = st.context = box
    st.pending = None
    return box


def _add_text(st: _State, box: _Box | None, text: str, item: _Item) -> None:
    if not text.strip():
        return
    if box is None:
        st.problems.append({"field": None, "raw": text.strip(), "where": item.where,
                            "message": "这段文字不属于任何栏目（前面没有找到栏目标签），未读取"})
        return
    st.texts.setdefault(box.path(), []).append(_Part(text, item.where, item.confidence))


def _content(st: _State, item: _Item, text: str, folded: str) -> None:
    """Text of a cell or line: box content, possibly ending in signatures."""
    box = st.box
    head = _signatures(st, item, text, folded)
    _add_text(st, box, head, item)


# ------------------------------------------------------------------------------ attached pages

def _continuation_target(st: _State, box: _Box | None) -> _Box | None:
    """Which box an attached page continues: the one named, else (领导点评 is in every period) the
    one that says 见附页, else the last whose text stops mid-sentence; None when it cannot be told."""
    if box is not None and (box.period or box.kind in ("commitment", "summary")):
        return box
    candidates = [b for b in _all_boxes(st.labels.form) if box is None or b.kind == box.kind]
    filled = [b for b in candidates if st.texts.get(b.path())]
    for b in filled:
        if _SEE_ATTACHED.search(fold_width(st.texts[b.path()][-1].text).rstrip()):
            return b
    open_ended = [b for b in filled if not fold_width(st.texts[b.path()][-1].text).rstrip().endswith(
        tuple(_TERMINAL))]
    if open_ended:
        return open_ended[-1]
    return None


def _all_boxes(form: FormSpec) -> list[_Box]:
    return [_Box("commitment"), *(b for p in form.period_codes for b in (_Box("fulfilment", p), _Box("review", p))),
            _Box("summary")]


def _line_item(st: _State, item: _Item) -> None:
    """A line after a table: only a marked attached page (附页/接上页) or a box label continues a box."""
    folded, text = item.folded, item.text
    m = _CONTINUATION.match(folded)
    if m:
        st.continuing, st.box = True, None
        folded, text = folded[m.end():], text[m.end():]
        if not text.strip():
            return
    b = _box_match(st.labels, folded)
    if b is not None:
        named = st.labels.box_by_key[label_key(b["label"])]
        st.continuing = True
        st.box = _continuation_target(st, named)
        if st.box is None:
            st.problems.append({"field": None, "raw": text.strip(), "where": item.where,
                                "message": f"附页标明接续“{item.text.strip()[:12]}”，但无法确定是哪一期，未并入"})
            return
        st.context = st.box
        folded, text = folded[b.end():], text[b.end():]
        c = _CONTINUED.match(folded)
        if c:
            folded, text = folded[c.end():], text[c.end():]
    elif st.continuing and st.box is None:
        st.box = _continuation_target(st, None)
        st.context = st.box
    if not st.continuing:
        if item.kind == "text" and text.strip():
            st.problems.append({"field": None, "raw": text.strip(), "where": item.where,
                                "message": "表格后的文字未标明接续哪一栏（如“附页：”“接上页”），未并入"})
        return
    if not st.settings.attach_pages:
        return
    target = st.box
    head = _signatures(st, item, text, folded)
    if target is not None and head.strip():
        parts = st.texts.setdefault(target.path(), [])
        if parts:
            last = parts[-1]
            trimmed = _SEE_ATTACHED.sub("", fold_width(last.text).rstrip())
            if len(trimmed) < len(fold_width(last.text).rstrip()):
                last.text = last.text.rstrip()[: len(trimmed)]
        parts.append(_Part(head, item.where, item.confidence))
    st.box = target


# ------------------------------------------------------------------------------------ the walk

def _walk(st: _State, items: list[_Item], has_cells: bool) -> None:
    for item in items:
        if item.used:
            continue
        if item.line is not None and has_cells:
            if item.line.after_table is not None:
                _line_item(st, item)
            continue  # cover lines: read as fields and year only
        if item.cell is not None:
            st.continuing = False
        if _fill_pending(st, item):
            continue
        kind = item.kind
        if kind == "box":
            _open_box(st, item.payload)
            _content(st, item, item.rest, fold_width(item.rest))
        elif kind == "sign":
            st.box = None
            _content(st, item, item.text, item.folded)
        elif kind == "period":
            st.period, st.box, st.context, st.pending = item.payload, None, None, None
        elif kind == "eval_label":
            st.box, st.context, st.pending = None, _Box("evaluation"), None
        elif kind == "text":
            _content(st, item, item.text, item.folded)
        elif kind in ("field", "grade", "eval_col", "eval_first", "votes"):
            st.pending = None


# ----------------------------------------------------------------------------------- the record

def extract(grid: Grid, *, settings: dict | ReadSettings | None = None) -> dict[str, Any]:
    """The ``cxzy.record/1`` record a grid holds, with ``source``, ``format``, ``provenance``
    ({field path: {"where", "confidence"}}), ``problems`` ([{"field", "raw", "message"}]: values
    kept raw, text that fitted no box) and ``warnings`` (the reader's).

    Raises :class:`UnknownFormError` when the grid is not a record book.
    """
    s = ReadSettings.resolve(settings)
    lines, cells = _prepare(grid)
    form = _recognise(grid, lines + cells, s)
    labels = _labels(form.kind)
    items = _items(labels, grid, lines, cells)
    problems: list[dict[str, Any]] = []
    year, year_where, year_conf = _year(items, s, problems)
    fixed = _fixed_values(labels, items, problems)
    st = _State(labels, s, problems=problems)
    _walk(st, items, has_cells=bool(grid.cells))

    record = empty_record(form.kind, year)
    provenance: dict[str, dict[str, Any]] = {}
    if year_where:
        provenance["year"] = {"where": year_where, "confidence": year_conf}
    for path, (value, where, conf, _rank) in fixed.values.items():
        if path == "year" and year is not None:
            continue  # the cover's or the title's year comes first
        set_field(record, path, value)
        provenance[path] = {"where": where, "confidence": conf}
    if fixed.grade_present:
        record["annual"].setdefault("grade", None)
    for path, parts in st.texts.items():
        text = _text_value("\n".join(p.text for p in parts))
        set_field(record, path, text)
        if text is not None:
            provenance[path] = {"where": "、".join(dict.fromkeys(p.where for p in parts if p.text.strip())),
                                "confidence": min(p.confidence for p in parts)}
    for path, sign in st.signs.items():
        for part, value in (("name", sign.name), ("date", sign.date)):
            if value is not None:
                set_field(record, f"{path}.{part}", value.text)
                provenance[f"{path}.{part}"] = {"where": value.where, "confidence": value.confidence}
    record["source"] = grid.source
    record["format"] = grid.format
    record["provenance"] = provenance
    record["problems"] = problems
    record["warnings"] = list(grid.warnings)
    return record
