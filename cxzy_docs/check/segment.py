"""Cutting a folded review into sentences and clauses, and scanning a clause for every cue family."""

# Cue words are found in one pass of a trie-shaped pattern (the longest word wins at each place);
# the regex families (denials, headings, quantities, ...) run once each. Positions are those of
# the scanned text; folding keeps them equal to the original's.

from __future__ import annotations

import re
from dataclasses import dataclass

from cxzy_docs.check import cues
from cxzy_docs.check.faultforms import form_faults

_TOKEN = re.compile(r"[^,;:…—。!?\n]+|[,;:…—]+|[。!?\n]")
_LONE_DOT = re.compile(r"(?<![0-9])\.(?![0-9])")
_SENTENCE_END = frozenset("。!?\n")

Match = tuple[int, int, str]  # absolute start, end, matched text


@dataclass(slots=True)
class Clause:
    """A clause: its folded text, its span in the review, the separator after it."""

    text: str
    start: int
    end: int
    delim: str


def clauses(folded: str) -> list[list[Clause]]:
    """Sentences (split at 。!? and line breaks) of clauses (split at , ; : … —)."""
    folded = _LONE_DOT.sub("。", folded) if "." in folded else folded
    sentences: list[list[Clause]] = []
    current: list[Clause] = []
    for m in _TOKEN.finditer(folded):
        tok = m.group(0)
        first = tok[0]
        if first in _SENTENCE_END:
            if current:
                if first in "!?":
                    last = current[-1]
                    last.delim = first
                sentences.append(current)
                current = []
        elif first in ",;:…—":
            if current and not current[-1].delim:
                current[-1].delim = tok
        else:
            stripped = tok.strip(" ")
            if stripped:
                s = m.start() + (len(tok) - len(tok.lstrip(" ")))
                current.append(Clause(stripped, s, s + len(stripped), ""))
    if current:
        sentences.append(current)
    return sentences


def _word_families() -> dict[str, frozenset[str]]:
    """Every cue word with the families it belongs to (a word may serve several)."""
    table: dict[str, set[str]] = {}
    lists = {
        "fault": cues.SHORT_ADJ + cues.SHORT_NOUN,
        "dir": [*cues.DIR_ANYWHERE, "以后", "往后"],
        "positive_sense": cues.POSITIVE_SENSE,
        "quality": cues.ACH_QUALITY,
        "action": cues.ACH_ACTION,
        "excluded": [*cues.NOT_A_FAULT, *cues.CIRCUMSTANCE_WORDS],
        "action_noun": cues.ACTION_NOUNS,
        "subject": cues.SUBJECT,
        "concessive": cues.CONCESSIVE_WORDS,
    }
    for family, words in lists.items():
        for word in words:
            table.setdefault(word, set()).add(family)
    return {word: frozenset(fams) for word, fams in table.items()}


# One pass over the text finds every cue word; at each place the longest word wins, so a word
# inside a longer one is not read on its own ("不怕苦" is praise, not "怕苦"; "身体不好" is no "不好").
_WORD_FAMILIES = _word_families()
_WORDS = cues.compile_words(_WORD_FAMILIES)
_ADJ_SET = frozenset(cues.SHORT_ADJ)
_NEG_ACTION = re.compile(f"{cues.NEG_ACTION.pattern}|{cues.TOO_FEW.pattern}")
# Regex families with the characters one of their matches must contain (a cheap skip).
_FAMILY_NEEDS: dict[str, tuple[re.Pattern[str], str]] = {
    "neg_action": (_NEG_ACTION, "没未无仅只才从"),
    "corrected": (cues.CORRECTED, "已得改整均"),
    "denial": (cues.SHORT_DENIAL, "无没未暂并尚看找挑说"),
    "head": (cues.SHORT_HEAD, "足题点距病板项陷缺弱方"),
    "quantity": (cues.QUANTITY, ""),
    "quote": (cues.QUOTE_SPANS, '“"《‘'),
}
# The same, the needed characters as one character class (None: always run).
_FAMILIES: dict[str, tuple[re.Pattern[str], re.Pattern[str] | None]] = {
    name: (pattern, re.compile(f"[{re.escape(needs)}]") if needs else None)
    for name, (pattern, needs) in _FAMILY_NEEDS.items()
}
_WORD_FAMILY_NAMES = (
    "dir",
    "positive_sense",
    "quality",
    "action",
    "excluded",
    "concessive",
    "action_noun",
    "subject",
)


class Scan:
    """The matches of every cue family over one folded text."""

    __slots__ = ("dir", "families", "fault", "form_faults", "praise", "verb_le")

    def __init__(self, folded: str) -> None:
        families: dict[str, list[Match]] = {name: [] for name in (*_FAMILIES, *_WORD_FAMILY_NAMES)}
        fault: list[tuple[int, int, str, str]] = []
        for m in _WORDS.finditer(folded):
            word = m.group(0)
            span = (m.start(), m.end(), word)
            for family in _WORD_FAMILIES[word]:
                if family == "fault":
                    fault.append((*span, "adj" if word in _ADJ_SET else "noun"))
                else:
                    families[family].append(span)
        for name, (pattern, needs) in _FAMILIES.items():
            if needs is None or needs.search(folded):
                families[name] = [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(folded)]
        self.fault = fault
        self.dir = families["dir"]
        self.families = families
        self.form_faults, self.praise = form_faults(folded)
        self.verb_le: list[Match] = [
            (m.start(), m.end(), m.group(0))
            for m in cues.VERB_LE.finditer(folded)
            if m.group(1) not in cues.VERB_LE_SKIP
        ]

    def within(self, family: str, lo: int, hi: int) -> list[Match]:
        """Matches of ``family`` starting in ``[lo, hi)``."""
        return [m for m in self.families[family] if lo <= m[0] < hi]

    def first(self, family: str, lo: int, hi: int) -> Match | None:
        for m in self.families[family]:
            if lo <= m[0] < hi:
                return m
        return None

    def faults(self, lo: int, hi: int) -> list[tuple[int, int, str, str]]:
        return [m for m in self.fault if lo <= m[0] < hi]

    def directions(self, lo: int, hi: int) -> list[Match]:
        return [m for m in self.dir if lo <= m[0] < hi]

    def verbs(self, lo: int, hi: int) -> list[Match]:
        return [m for m in self.verb_le if lo <= m[0] < hi]
