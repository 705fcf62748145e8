"""Pass 5, the text boxes and attached pages: the walk in reading order that puts text where it belongs.

A box label opens its box (领导点评, in every period, goes to the period whose fulfilment came
last); text after it, in the same cell or in the cells and lines that follow, is its content until
a signature or the next label. After the form, only a marked attached page (``附页``, ``接上页``,
``（第四季度领导点评续）``) continues a box; other text there is reported, not placed.
"""

from __future__ import annotations

import re

from cxzy_docs.forms import FormSpec
from cxzy_docs.read.extract.items import Item
from cxzy_docs.read.extract.kinds import Box, Part, Problem
from cxzy_docs.read.extract.signatures import fill_pending, signatures
from cxzy_docs.read.extract.state import State
from cxzy_docs.textnorm import fold_width, label_key

_SEE_ATTACHED = re.compile(
    r"(?:[(\[]?\s*(?:未\s*完\s*[,、;]?\s*)?(?:详\s*)?(?:见|转|接|下\s*转|续\s*见)\s*(?:附\s*页|下\s*页|后\s*页|次\s*页|背\s*面)"
    r"\s*[)\]]?|[(\[]\s*未\s*完(?:\s*待\s*续)?\s*[)\]])\s*$"
)
"""The in-cell marker that a text goes on elsewhere: （见附页）, （转下页）, （未完，接附页）, （未完待续）."""
_TERMINAL = "。！？!?…”」）)"


def open_box(st: State, box: Box) -> Box:
    """Start a box; 领导点评 (in every period) goes to the period whose fulfilment came last."""
    periods = st.labels.form.period_codes
    if box.kind == "fulfilment":
        code = box.period
        if code is None:  # 承诺兑现情况 without its period: the period named beside it, else the next one
            done = {p for p in periods if f"periods.{p}.fulfilment.text" in st.started}
            if st.period is None or st.period in done:
                later = periods[periods.index(st.period) + 1 :] if st.period in periods else periods
                code = next((p for p in later if p not in done), st.period or periods[0])
            else:
                code = st.period
            box = Box("fulfilment", code)
        st.period = code
    elif box.kind == "review" and box.period is not None:
        st.period = box.period  # the review named with its period (第1季度上级点评)
    elif box.kind == "review":
        code = st.period
        if code is None or f"periods.{code}.review.text" in st.started:
            later = periods[periods.index(code) + 1 :] if code in periods else periods
            code = next(
                (p for p in later if f"periods.{p}.review.text" not in st.started), code or periods[0]
            )
        box = Box("review", code)
        st.period = code
    st.started.add(box.path())
    st.box = st.context = box
    st.pending = None
    return box


def add_text(st: State, box: Box | None, text: str, item: Item) -> None:
    if not text.strip():
        return
    if box is None:
        st.problems.append(
            Problem(None, text.strip(), item.where, "这段文字不属于任何栏目（前面没有找到栏目标签），未读取")
        )
        return
    st.texts.setdefault(box.path(), []).append(Part(text, item.where, item.confidence))


def content(st: State, item: Item, text: str, folded: str) -> None:
    """Text of a cell or line: box content, possibly ending in signatures."""
    box = st.box
    head = signatures(st, item, text, folded)
    add_text(st, box, head, item)


# ------------------------------------------------------------------------------ attached pages


def all_boxes(form: FormSpec) -> list[Box]:
    return [
        Box("commitment"),
        *(b for p in form.period_codes for b in (Box("fulfilment", p), Box("review", p))),
        Box("summary"),
    ]


def continuation_target(st: State, box: Box | None) -> Box | None:
    """Which box an attached page continues: the one named, else (领导点评 is in every period) the
    one that says 见附页, else the last whose text stops mid-sentence; None when it cannot be told."""
    if box is not None and (box.period or box.kind in ("commitment", "summary")):
        return box
    candidates = [b for b in all_boxes(st.labels.form) if box is None or b.kind == box.kind]
    filled = [b for b in candidates if st.texts.get(b.path())]
    for b in filled:
        if _SEE_ATTACHED.search(fold_width(st.texts[b.path()][-1].text).rstrip()):
            return b
    open_ended = [
        b for b in filled if not fold_width(st.texts[b.path()][-1].text).rstrip().endswith(tuple(_TERMINAL))
    ]
    if open_ended:
        return open_ended[-1]
    return None


def attached_line(st: State, item: Item) -> None:
    """A line after the form: only a marked attached page (附页/接上页) or a box label continues a box."""
    folded, text = item.folded, item.text
    m = st.labels.continuation_re.match(folded)
    if m:
        st.continuing, st.box = True, None
        folded, text = folded[m.end() :], text[m.end() :]
        if not text.strip():
            return
    b = st.labels.heading_re.match(folded) or st.labels.box_match(folded)
    if b is not None:
        named = st.labels.box_by_key[label_key(b["label"])]
        period = b.groupdict().get("period")
        if period and named.kind in ("fulfilment", "review"):  # （第四季度领导点评续）
            named = Box(named.kind, st.labels.period_by_key.get(label_key(period)))
        st.continuing = True
        st.box = continuation_target(st, named)
        if st.box is None:
            st.problems.append(
                Problem(
                    None,
                    text.strip(),
                    item.where,
                    f"附页标明接续“{item.text.strip()[:12]}”，但无法确定是哪一期，未并入",
                )
            )
            return
        st.context = st.box
        folded, text = folded[b.end() :], text[b.end() :]
        c = st.labels.continued_re.match(folded)
        if c:
            folded, text = folded[c.end() :], text[c.end() :]
    elif st.continuing and st.box is None:
        st.box = continuation_target(st, None)
        st.context = st.box
    if not st.continuing:
        if item.kind == "text" and text.strip():
            st.problems.append(
                Problem(
                    None,
                    text.strip(),
                    item.where,
                    "表格后的文字未标明接续哪一栏（如“附页：”“接上页”），未并入",
                )
            )
        return
    if not st.settings.attach_pages:
        return
    target = st.box
    head = signatures(st, item, text, folded)
    if target is not None and head.strip():
        parts = st.texts.setdefault(target.path(), [])
        if parts:
            last = parts[-1]
            trimmed = _SEE_ATTACHED.sub("", fold_width(last.text).rstrip()).rstrip()
            if len(trimmed) < len(fold_width(last.text).rstrip()):
                last.text = last.text.rstrip()[: len(trimmed)]
        parts.append(Part(head, item.where, item.confidence))
    st.box = target


def _goes_on(st: State, item: Item) -> bool:
    """A heading that says a text goes on here (``附页``, ``接上页``, ``（第四季度领导点评续）``), or text
    after one: in a sheet or a table the attached page is cells, not lines after the table."""
    if item.kind == "text" and st.continuing:
        return True
    return st.labels.goes_on(item.folded)


# ------------------------------------------------------------------------------------ the walk


def walk(st: State, items: list[Item]) -> None:
    """Place every unused item: box labels open boxes, signatures sign them, text fills them."""
    for item in items:
        if item.used or not item.text.strip():
            continue  # an empty cell says nothing (a sheet is full of them)
        if item.attached or _goes_on(st, item):
            attached_line(st, item)
            continue
        if item.cover:
            continue  # cover lines: read as fields and year only
        if item.cell is not None:
            st.continuing = False
        if fill_pending(st, item):
            continue
        kind = item.kind
        if kind == "box":
            assert isinstance(item.payload, Box)
            open_box(st, item.payload)
            content(st, item, item.rest, fold_width(item.rest))
        elif kind == "sign":
            st.box = None
            content(st, item, item.text, item.folded)
        elif kind == "period":
            assert isinstance(item.payload, str)
            st.period, st.box, st.context, st.pending = item.payload, None, None, None
        elif kind == "eval_label":
            st.box, st.context, st.pending = None, Box("evaluation"), None
        elif kind == "text":
            content(st, item, item.text, item.folded)
        elif kind in ("field", "grade", "eval_col", "eval_first", "votes"):
            st.pending = None
