"""Pass 4, the signatures: ``…（签字）：`` with a name and a date, in the label's cell or after it.

A name is what a person writes after the label: on the same line, on the next line, in a cell of
its own between the label and the date, spaced out (``王 建 国``). A date is any spelling
:func:`cxzy_docs.textnorm.read_date` knows; a blank ``年  月  日`` is a date slot found empty.
Text that is neither stays in ``problems`` with its raw text; nothing is guessed.
"""

from __future__ import annotations

import re
from functools import cache

from cxzy_docs.read.extract.items import Item
from cxzy_docs.read.extract.kinds import Problem, Role, Sign, Value
from cxzy_docs.read.extract.labels import labels_for
from cxzy_docs.read.extract.state import State
from cxzy_docs.read.extract.values import DATE_IN_TEXT, NAME_STRIP, TIME_SUFFIX, date_value
from cxzy_docs.textnorm import is_person_name, label_key, normalize_name, strip_spaces

_DATE_LABEL = re.compile(r"(?:签\s*[字名]\s*)?(?:日\s*期|时\s*间)\s*:?")
_STAMP = re.compile(r"\(\s*(?:盖\s*章|公\s*章|签\s*[字名])\s*\)")
_SENTENCE = re.compile(r"[，。；！？,;!?]")
_NAME_CHARS = re.compile(
    r"^[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f·•.\u00b7A-Za-z]+$"
)  # a name is written in letters, not brackets or digits
UNSURE = 0.5
"""The confidence of a name read where it does not look like one (kept with a problem to check)."""


def _is_label(st: State, text: str) -> bool:
    """Form wording where a name should be: a period's name (第四季度), a label of the form, or the
    first three or more characters of a box label a page or a cell broke (``领  导  点`` / ``评  意  见``)."""
    key = label_key(text)
    return (
        key in st.labels.period_by_key or key in st.labels.exact or key in _label_heads(st.labels.form.kind)
    )


@cache
def _label_heads(kind: str) -> frozenset[str]:
    return frozenset(k[:n] for k in labels_for(kind).box_by_key if len(k) > 3 for n in range(3, len(k)))


_NOT_A_NAME = re.compile(
    r"^[(\[]?[\d一二三四五六七八九十]{1,3}[)\]、.]?$"
)  # a section number left over: 2、 （八） 十


def split_sign(segment: str, folded: str) -> tuple[str, str | None]:
    """(name text, date text or None) of what follows a signature label.

    A blank ``年 月 日`` is a date slot that was found empty (its text is returned, it reads None).
    """
    date: str | None = None
    spans: list[tuple[int, int]] = []
    m = DATE_IN_TEXT.search(folded)
    if m is not None:
        date = segment[m.start() : m.end()]
        spans.append(m.span())
    for rx in (_DATE_LABEL, _STAMP):
        spans.extend(x.span() for x in rx.finditer(folded))
    chars = list(segment)
    for a, b in spans:
        chars[a:b] = [" "] * (b - a)
    return "".join(chars), date


def sign_path(st: State, role: Role | None) -> str | None:
    """The record path of the signature that signs off the box in context (``role`` from its label)."""
    box = st.context
    if box is None:
        return None
    if box.kind == "commitment":
        if role is None:
            return (
                "commitment.self_sign"
                if "commitment.self_sign" not in st.signs
                else "commitment.reviewer_sign"
            )
        return "commitment.self_sign" if role == "self" else "commitment.reviewer_sign"
    if box.kind in ("fulfilment", "review") and box.period:
        if role is None:
            return f"periods.{box.period}.{box.kind}.sign"
        return f"periods.{box.period}.{'fulfilment' if role == 'self' else 'review'}.sign"
    if box.kind in ("summary", "evaluation"):
        return "annual.reviewer_sign"
    return None


def sign_value(st: State, sign: Sign, name: str | None, date: str | None, where: str, conf: float) -> None:
    if name is not None:
        sign.name_seen = True
        compact = strip_spaces(name)
        if compact:
            lines = [ln.strip(NAME_STRIP) for ln in name.split("\n") if ln.strip(NAME_STRIP)]
            first = lines[0] if lines else name
            if len(lines) > 1 and is_person_name("".join(lines)):
                first, lines = "".join(lines), [first]  # 任 山 / 勇: a name broken in a narrow cell
            if (
                len(lines) > 1
                or len(strip_spaces(first)) > st.settings.max_name_length
                or _SENTENCE.search(first)
                or not _NAME_CHARS.match(strip_spaces(first))
                or _is_label(st, first)
            ):
                st.problems.append(
                    Problem(
                        f"{sign.path}.name",
                        name.strip(),
                        where,
                        "签字处的文字不像姓名，已保留原文，记录中留空",
                    )
                )
            elif sign.name is None or sign.name.text is None:
                sure = is_person_name(first)
                if not sure:  # 欧阳建国华, a name with a title: kept, but not stated as sure
                    st.problems.append(
                        Problem(
                            f"{sign.path}.name",
                            name.strip(),
                            where,
                            "签字处的文字不太像姓名，已按原文读取，请核对",
                        )
                    )
                sign.name = Value(normalize_name(first), where, conf if sure else min(conf, UNSURE))
    if date is not None:
        sign.date_seen = True
        if sign.date is None or sign.date.text is None:
            before = len(st.problems)
            value = date_value(date, f"{sign.path}.date", where, st.problems)
            sign.date = Value(value, where, conf if len(st.problems) == before else min(conf, UNSURE))


def signatures(st: State, item: Item, text: str, folded: str) -> str:
    """Read every signature in ``text``; returns the text before the first one (box content)."""
    matches = list(st.labels.sign_re.finditer(folded))
    if not matches:
        return text
    head = text[: matches[0].start()]
    parts: list[tuple[re.Match[str], str, str | None]] = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        name, date = split_sign(text[m.end() : end], folded[m.end() : end])
        parts.append((m, name, date))
    _share_dates(parts, folded, matches)
    for m, name, date in parts:
        role = st.labels.role_by_key.get(label_key(m["role"])) if m["role"] else None
        path = sign_path(st, role)
        if path is None:
            st.problems.append(
                Problem(
                    None,
                    text[m.start() :].strip(),
                    item.where,
                    "签字不属于任何栏目（前面没有找到对应的栏目标签），未读取",
                )
            )
            continue
        sign = st.signs.setdefault(path, Sign(path))
        sign_value(st, sign, name if strip_spaces(name) else None, date, item.where, item.confidence)
        st.pending = sign if not sign.done else None
    st.box = None  # text after a signature does not continue the box above it
    return head


def _share_dates(
    parts: list[tuple[re.Match[str], str, str | None]], folded: str, matches: list[re.Match[str]]
) -> None:
    """Two signatures side by side in one cell: their dates may both sit in the last segment."""
    if len(parts) < 2 or parts[-1][2] is None or any(p[2] is not None for p in parts[:-1]):
        return
    tail = folded[matches[-1].end() :]
    dates = [m.group() for m in DATE_IN_TEXT.finditer(tail) if strip_spaces(m.group())]
    if len(dates) != len(parts):
        return
    names = [p[1] for p in parts]
    last_name = names[-1]
    for d in dates:
        last_name = last_name.replace(strip_spaces(d), "")
    for i, (m, name, _) in enumerate(parts):
        parts[i] = (m, last_name if i == len(parts) - 1 else name, dates[i])


def fill_pending(st: State, item: Item) -> bool:
    """A signature's name or date in a cell of its own after the label."""
    sign = st.pending
    if sign is None:
        return False
    if item.kind == "date_label":
        return True
    if item.kind != "text" or ("签" in item.folded and st.labels.sign_re.search(item.folded)):
        return False  # a label, or the next signature (党支部书记（签字盖章）is no name)
    bare = item.folded.strip().strip(NAME_STRIP)
    compact = strip_spaces(bare)
    date = DATE_IN_TEXT.fullmatch(TIME_SUFFIX.sub("", bare))
    name_part, date_part = split_sign(item.text, item.folded)
    if (
        date is None
        and date_part is not None
        and not sign.name_seen
        and not sign.date_seen
        and is_person_name(name_part)
    ):  # 杜 丽 / 二〇一一年七月二十日: the rest of a cell a page broke
        sign_value(st, sign, name_part, date_part, item.where, item.confidence)
    elif date is not None and not sign.date_seen:
        sign_value(st, sign, None, item.text.strip(), item.where, item.confidence)
    elif not sign.name_seen and (
        is_person_name(bare)
        or (
            len(compact) <= st.settings.max_name_length
            and not _SENTENCE.search(compact)
            and "\n" not in item.text.strip()
            and not _NOT_A_NAME.match(compact)
        )
    ):
        sign_value(st, sign, item.text, None, item.where, item.confidence)
    else:
        st.pending = None
        return False
    if sign.done:
        st.pending = None
    return True
