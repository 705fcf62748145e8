"""Pass 1, the labels: everything needed to find one form's labels, compiled once per form from forms.py.

Labels are compared by their key (:func:`cxzy_docs.textnorm.label_key`: no spaces, brackets,
colons), so ``公  开  承  诺  事  项``, ``公开承诺事项：`` and ``(公开承诺事项)`` are one label. The
regexes allow anything ``label_key`` drops between a label's characters, line breaks included: a
label spaced out for width, broken over two lines or written one character per line is found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from cxzy_docs.forms import (
    CONTINUATION_WORDS,
    DATE_LABELS,
    FORMS,
    FULFILMENT_WORDS,
    OTHER_HEADER_LABELS,
    OTHER_HEADER_SHAPES,
    OTHER_HEADER_VALUES,
    PERIOD_LABELS,
    SIGN_WORDS,
    TABLE_CONTINUED,
    Evaluation,
    Field,
    FormSpec,
    GradeRow,
    SignRow,
    TextBox,
)
from cxzy_docs.read.extract.kinds import Box, ItemKind, Role
from cxzy_docs.textnorm import NUMBERING, SECTION_DIGITS, SECTION_NUMERALS, label_key

# Characters that label_key drops: allowed between the characters of a label (on folded text).
SEP = r"[\s()（）:：\[\]【】·、,，.*＊_]*"  # not 。: a sentence ends between two labels, never inside one
TAIL = r"[ \t\u3000]*\)?[ \t\u3000]*:?"  # after a label: closing bracket, colon
BOUNDARY = r"(?=$|[\s:(\[)])"


NUMBER_BEFORE = re.compile(
    rf"(?:[(\[]\s*(?:{SECTION_NUMERALS}|{SECTION_DIGITS})\s*[)\]]|(?:{SECTION_NUMERALS}|{SECTION_DIGITS})\s*[、.])\s*$"
)
"""The same number just before a label, run on from what stood before it (``…17日（四）点评意见``)."""
WEAK = 4  # characters: a label this short (点评, 领导点评, 承诺事项) must stand apart from what follows it
APART_AFTER = re.compile(r"^(?:[ \t\u3000]*(?:[:(\[]|\n|$)|[ \t\u3000]{2})")


_AFTER_DATE = re.compile(r"(?:[日号月]|\d)[ \t\u3000]*$")


def apart_enough(key: str, text: str, end: int, start: int | None = None) -> bool:
    """Is a label found in running text one, by what stands around it? A short label's words also
    start sentences (``点评二…``, ``承诺事项逐项推进``): it counts only before a colon, a bracket or a
    line end, or right after a signature's date it was run on from (``…3月21日上级点评该同志…``)."""
    if len(key) > WEAK or APART_AFTER.match(text[end : end + 3]):
        return True
    return start is not None and bool(_AFTER_DATE.search(text[max(0, start - 4) : start]))


def spaced(key: str) -> str:
    """A regex for ``key`` with anything label_key drops allowed between its characters."""
    return SEP.join(re.escape(ch) for ch in key)


def alternation(keys: list[str] | set[str] | tuple[str, ...]) -> str:
    """A regex matching any of ``keys`` spaced (:func:`spaced`), the longest that fits first.

    Compact, because Python compiles a pattern per process and a flat alternation of the ~400 box
    labels of a form (period names times box names) was 95,000 characters and 2 s to compile: keys
    that share a beginning share it (a trie), and where several beginnings go on with the same set of
    endings (``第一季度`` / ``一季度`` / ``1-3月`` + the box names) they are written once as
    ``(?:beginnings)(?:endings)``. The compact form is checked to prefer the longest key as the flat
    one does; if it would not, the plain trie is used."""
    wanted = sorted({k for k in keys if k})
    if not wanted:
        return ""
    groups, rest = _factor(wanted)
    # the keys hold no separator (label_key drops them): the order is checked without SEP, which is cheap
    if groups and not _longest_first(_compact(groups, rest, ""), wanted):
        return _trie(wanted, SEP)
    return _compact(groups, rest, SEP)


def _compact(groups: list[tuple[list[str], list[str]]], rest: list[str], sep: str) -> str:
    parts = [_trie(prefixes, sep) + sep + _trie(endings, sep) for prefixes, endings in groups]
    if rest:
        parts.append(_trie(rest, sep))
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _trie(keys: list[str], sep: str) -> str:
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _branches(trie, sep)


def _factor(keys: list[str]) -> tuple[list[tuple[list[str], list[str]]], list[str]]:
    """Groups of (beginnings, endings) whose every pairing is a key and which go on with nothing
    else, largest saving first, each key in one group at most; and the keys left over."""
    endings: dict[str, set[str]] = {}  # what each beginning of a key goes on with
    for key in keys:
        for i in range(1, len(key)):
            endings.setdefault(key[:i], set()).add(key[i:])
    by_endings: dict[frozenset[str], list[str]] = {}
    for prefix, following in endings.items():
        if len(following) >= 2:
            by_endings.setdefault(frozenset(following), []).append(prefix)
    candidates = sorted(
        ((prefixes, ends) for ends, prefixes in by_endings.items() if len(prefixes) >= 2),
        key=lambda pe: -(len(pe[0]) - 1) * sum(map(len, pe[1])),
    )
    left = set(keys)
    groups: list[tuple[list[str], list[str]]] = []
    for prefixes, ends in candidates:
        covered = {p + e for p in prefixes for e in ends}
        if covered <= left:
            groups.append((sorted(prefixes), sorted(ends)))
            left -= covered
    return groups, sorted(left)


def _longest_first(pattern: str, keys: list[str]) -> bool:
    """Does ``pattern`` match each key whole (not a shorter key it begins with), and nothing else begins
    a key's match where the key does not?"""
    compiled = re.compile(pattern)
    return all((m := compiled.match(k)) is not None and m.end() == len(k) for k in keys)


def _branches(node: dict[str, Any], sep: str) -> str:
    """The pattern for what may follow ``node``'s character: each child, spaced from it."""
    alts = [re.escape(ch) + _after(child, sep) for ch, child in sorted(node.items()) if ch]
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")" if alts else ""


def _after(child: dict[str, Any], sep: str) -> str:
    if not any(child):  # only the end of a key
        return ""
    more = sep + _branches(child, sep)
    return f"(?:{more})?" if "" in child else more  # greedy: a longer key is tried before a shorter


Exact = tuple[ItemKind, object]


@dataclass
class Labels:
    """Everything needed to find one form's labels, compiled once per form."""

    form: FormSpec
    exact: dict[str, Exact]  # label key -> (kind, payload)
    box_by_key: dict[str, Box]
    box_re: re.Pattern[str]
    field_by_key: dict[str, Field]
    field_re: re.Pattern[str]
    role_by_key: dict[str, Role]  # role key -> "self" / "reviewer"
    sign_re: re.Pattern[str]
    eval_by_key: dict[str, Field]
    eval_inline_re: re.Pattern[str]
    grade_keys: frozenset[str]
    grade_re: re.Pattern[str]
    period_by_key: dict[str, str]  # 第一季度 / 一季度 / 1-3月 -> Q1
    generic_fulfilment: frozenset[str]  # 承诺兑现情况, 践诺情况: a fulfilment label without its period
    section_keys: tuple[str, ...]  # 承诺写实, 履诺践诺写实, 年度写实
    continuation_re: re.Pattern[str]  # 接上页, 附页: the heading of an attached page
    continued_re: re.Pattern[str]  # （续）, 接上页 after a box label
    heading_re: re.Pattern[str]  # （第四季度领导点评续）: a box named as going on, with its period
    grade_line_re: re.Pattern[str]  # 评议结果 at the start of a line, its value after it
    eval_col_re: re.Pattern[str]  # a 评议 column label anywhere
    notes: tuple[str, ...]  # keys of the 说明 page's sentences: form furniture wherever they are
    by_letters: dict[str, tuple[str, ...]]  # label keys by their sorted characters (see unscrambled)
    tails: tuple[
        frozenset[str], ...
    ]  # [0]: first characters of section-label endings; [n]: endings of n chars
    box_any_re: re.Pattern[str]  # a text box label anywhere in running text
    eval_any_re: re.Pattern[str]  # 党员群众评议情况, 评价等次 anywhere
    field_any_re: re.Pattern[str]  # a header or cover field label anywhere
    furniture_any_re: re.Pattern[str]  # section labels, the title, the issuer, 说明 sentences anywhere
    evidence: frozenset[str]  # label keys that show a file is this form
    structural: frozenset[str]  # the evidence a record book has and other documents do not (not 姓名…)

    def box_match(self, folded: str) -> re.Match[str] | None:
        """A text box label at the start of a text (after a number: 一、 （二） 3.); short labels must
        stand apart from what follows."""
        n = NUMBERING.match(folded)
        m = self.box_re.match(folded, n.end() if n else 0)
        if m is None:
            return None
        key = label_key(m["label"])
        if len(key) < 6 and not re.match(BOUNDARY, folded[m.end("label") :]) and m.end() == m.end("label"):
            return None
        return m

    def box_at_start(self, folded: str) -> tuple[Box, re.Match[str], int] | None:
        """A text box label at the start of a text, or right after the end of a section label run
        into it (``实第一季度承诺兑现情况…``, the last character of a vertical ``履诺践诺写实``):
        (the box, the match, where the label starts)."""
        m = self.box_match(folded)
        if m is not None:
            return self.box_by_key[label_key(m["label"])], m, 0
        head = folded.lstrip()
        skip = len(folded) - len(head)
        n = self.section_tail(head)
        if n:
            m = self.box_match(head[n:])  # box_match itself passes a number: 实（一）公开承诺事项
            if m is not None:
                return self.box_by_key[label_key(m["label"])], m, skip + n
        return None

    def only_prefix(self, head: str) -> bool:
        """Is ``head`` nothing a label cannot have before it: the end of a section label run into it
        and a number (``实（一）``, ``二、``), or nothing at all?"""
        head = head.strip()
        head = head[self.section_tail(head) :]
        n = NUMBERING.match(head)
        return not head or (n is not None and n.end() == len(head))

    def section_tail(self, text: str) -> int:
        """How many characters at the start of ``text`` end a section label run into what follows
        (``实`` of ``…写\n实第一季度…``); 0 when none."""
        if not text or text[0] not in self.tails[0]:
            return 0
        for n in range(len(self.tails) - 1, 0, -1):
            if text[:n] in self.tails[n]:
                return n
        return 0

    def goes_on(self, folded: str) -> bool:
        """Is this the heading of an attached page or of a text going on (附页, 接上页, （…续）)?"""
        if "页" not in folded and "续" not in folded:
            return False
        return bool(self.continuation_re.match(folded) or self.heading_re.match(folded))

    def unscrambled(self, key: str) -> str | None:
        """The label whose two lines a reader interleaved into ``key`` (``参员加人党数`` is 参加党 /
        员人数 read across: 参加党员人数), or None. Only labels of four to twelve characters."""
        if not 4 <= len(key) <= 12:
            return None
        for label in self.by_letters.get("".join(sorted(key)), ()):
            if label != key and _interleaves(key, label):
                return label
        return None

    def section_period(self, folded: str) -> str | None:
        """The period of a section heading that names it (``二、履诺践诺写实（第一季度）``,
        ``第一季度履诺践诺写实``), or None."""
        n = NUMBERING.match(folded)
        key = label_key(folded[n.end() :] if n else folded)
        if not 4 < len(key) <= 24:
            return None
        for sec in self.section_keys:
            if key.startswith(sec) and key[len(sec) :] in self.period_by_key:
                return self.period_by_key[key[len(sec) :]]
            if key.endswith(sec) and key[: -len(sec)] in self.period_by_key:
                return self.period_by_key[key[: -len(sec)]]
        return None

    def box_of(self, label: str) -> Box:
        return self.box_by_key[label_key(label)]


def _interleaves(mixed: str, label: str) -> bool:
    """Is ``mixed`` the characters of ``label[:k]`` and ``label[k:]`` merged, each in its order?"""
    for k in range(1, len(label)):
        a, b = label[:k], label[k:]
        i = j = 0
        for ch in mixed:
            if i < len(a) and ch == a[i]:
                i += 1
            elif j < len(b) and ch == b[j]:
                j += 1
            else:
                break
        else:
            if i == len(a) and j == len(b):
                return True
    return False


def _box(block: TextBox, period: str | None) -> Box:
    if block.path.startswith("periods."):
        kind = block.path.split(".")[2]
        return Box("fulfilment", period) if kind == "fulfilment" else Box("review")
    return Box("commitment" if block.path.startswith("commitment") else "summary")


def _tails(sections: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    longest = max((len(k) for k in sections), default=0)
    ends = [frozenset(k[-n:][0] for k in sections for n in range(1, len(k) + 1))]
    ends += [frozenset(k[-n:] for k in sections if len(k) >= n) for n in range(1, longest + 1)]
    return tuple(ends)


def _by_letters(keys: list[str]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for k in dict.fromkeys(keys):
        if 4 <= len(k) <= 12:
            out.setdefault("".join(sorted(k)), []).append(k)
    return {letters: tuple(ks) for letters, ks in out.items()}


@cache
def labels_for(kind: str) -> Labels:
    """The compiled labels of the form of ``kind`` (``member`` or ``organization``)."""
    form = FORMS[kind]
    exact: dict[str, Exact] = {}
    box_by_key: dict[str, Box] = {}
    field_by_key: dict[str, Field] = {}
    eval_by_key: dict[str, Field] = {}
    grade_keys: set[str] = set()
    evidence: set[str] = {label_key(form.title)}
    for f in (*form.cover_fields, *form.header_fields()):
        for k in f.keys:
            field_by_key.setdefault(k, f)
            exact.setdefault(k, ("field", f))
            evidence.add(k)
    for other in OTHER_HEADER_LABELS:  # a header box the record has no field for: its value is skipped
        k = label_key(other)
        kind = OTHER_HEADER_VALUES.get(other, "text")
        field_by_key.setdefault(k, Field(other, "", kind, shape=OTHER_HEADER_SHAPES.get(other, "")))
        exact.setdefault(k, ("field", field_by_key[k]))
    for sec, block in form.blocks():
        if isinstance(block, TextBox):
            box = _box(block, sec.period)
            named = Box(box.kind, sec.period)  # 第1季度上级点评: the review named with its period
            for k in block.keys:
                box_by_key.setdefault(k, named if k in block.period_keys else box)
                exact.setdefault(k, ("box", box))
                evidence.add(k)
        elif isinstance(block, Evaluation):
            for k in block.keys:
                exact.setdefault(k, ("eval_label", None))
            evidence.add(label_key(block.label))
            for k in block.first_keys:
                exact.setdefault(k, ("eval_first", None))
                evidence.add(k)
            for col in block.columns:
                for k in col.keys:
                    eval_by_key[k] = col
            for k in block.count_row_keys:
                exact.setdefault(k, ("votes", None))
        elif isinstance(block, GradeRow):
            grade_keys.update(block.keys)
    for k in grade_keys:
        exact.setdefault(k, ("grade", None))
    period_by_key = {label_key(name): code for code in form.period_codes for name in PERIOD_LABELS[code]}
    for k, code in period_by_key.items():
        exact.setdefault(k, ("period", code))
        evidence.add(k)
    generic = frozenset(label_key(w) for w in FULFILMENT_WORDS)
    for k in generic:
        box_by_key.setdefault(k, Box("fulfilment"))
        exact.setdefault(k, ("box", Box("fulfilment")))
        evidence.add(k)
    exact.setdefault("年度", ("year_label", None))
    role_by_key: dict[str, Role] = {}
    for _sec, block in form.blocks():
        if isinstance(block, SignRow):
            for sign in block.signs:
                who: Role = "self" if sign.role == form.self_role else "reviewer"
                for role in (sign.role, *sign.variants):
                    role_by_key.setdefault(label_key(role), who)
                for k in sign.keys:
                    exact.setdefault(k, ("sign", who))
                    evidence.add(k)
    section_keys = tuple(dict.fromkeys(label_key(sec.label) for sec in form.sections))
    for k in section_keys:
        exact.setdefault(k, ("ignore", None))
    exact.setdefault(label_key(form.title), ("ignore", None))
    for k in map(label_key, DATE_LABELS):
        exact.setdefault(k, ("date_label", None))
    for note in (form.notes_title, form.issuer, *form.notes, *TABLE_CONTINUED):
        exact.setdefault(label_key(note), ("ignore", None))

    sign_words = "|".join(SEP.join(w) for w in SIGN_WORDS)
    sign_re = re.compile(
        rf"(?:(?P<role>{alternation(list(role_by_key))}){SEP}(?:{sign_words})(?=[\s:)\]]|$)\s*\)?"
        rf"|\(\s*(?:{sign_words})\s*\)|(?:^|(?<=\n))\s*(?:{sign_words})(?=\s*:))"
        r"(?:\s*\(\s*盖\s*章\s*\))?[ \t\u3000]*:?"
    )
    eval_inline_re = re.compile(
        rf"(?P<label>{alternation(list(eval_by_key))})\s*:?\s*(?P<n>\d+)\s*[人名票个]?"
    )
    words = "|".join(
        r"\s*".join(map(re.escape, w)) for w in sorted(CONTINUATION_WORDS, key=len, reverse=True)
    )
    ev = [k for k, (what, _) in exact.items() if what in ("eval_label", "eval_first")]
    furniture = [k for k, (what, _) in exact.items() if what == "ignore" and len(k) >= 4]
    return Labels(
        form=form,
        exact=exact,
        box_by_key=box_by_key,
        box_re=re.compile(
            rf"\s*(?P<label>{alternation(list(box_by_key))}){TAIL}"
        ),  # used with match(): anchored
        field_by_key=field_by_key,
        field_re=re.compile(
            rf"^\s*(?P<label>{alternation(list(field_by_key))})(?:[ \t\u3000]*:|[ \t\u3000]+)\s*"
        ),
        role_by_key=role_by_key,
        sign_re=sign_re,
        eval_by_key=eval_by_key,
        eval_inline_re=eval_inline_re,
        grade_keys=frozenset(grade_keys),
        grade_re=re.compile(rf"^\s*(?P<label>{alternation(list(grade_keys))})[ \t\u3000]*:\s*"),
        period_by_key=period_by_key,
        generic_fulfilment=generic,
        section_keys=section_keys,
        continuation_re=re.compile(
            rf"^(?:\s*[(\[]?\s*(?:{words})\s*[0-9一二三四五六七八九十]*\s*[)\]]?\s*:?)+"
        ),
        continued_re=re.compile(r"^\s*[(\[]?\s*(?:续|接\s*上\s*页|续\s*上\s*页|接\s*前\s*页)\s*[)\]]?\s*:?"),
        heading_re=re.compile(
            rf"^\s*[(\[]?\s*(?:(?P<period>{alternation(list(period_by_key))}){SEP})?"
            rf"(?P<label>{alternation(list(box_by_key))}){SEP}(?:续|{words})\s*[)\]]?\s*:?"
        ),
        grade_line_re=re.compile(rf"^\s*(?P<label>{alternation(list(grade_keys))})[ \t\u3000]*:?"),
        eval_col_re=re.compile(rf"(?P<label>{alternation(list(eval_by_key))})"),
        notes=tuple(label_key(n) for n in form.notes),
        by_letters=_by_letters([*exact, *eval_by_key]),
        tails=_tails(section_keys),
        box_any_re=re.compile(f"(?P<label>{alternation(list(box_by_key))}){TAIL}"),
        eval_any_re=re.compile(f"(?P<label>{alternation(ev)}){TAIL}"),
        field_any_re=re.compile(f"(?P<label>{alternation(list(field_by_key))}){TAIL}"),
        furniture_any_re=re.compile(  # 履诺践诺写实（第四季度）: a section heading naming its period
            rf"(?P<label>{alternation(furniture)})(?:\s*\(\s*(?:{alternation(list(period_by_key))})\s*\))?{TAIL}"
        ),
        evidence=frozenset(evidence),
        structural=frozenset(k for k in evidence if k not in field_by_key and not k.endswith("写实簿")),
    )
