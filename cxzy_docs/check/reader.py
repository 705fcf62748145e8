"""The learned review reader: each clause scored for 成绩, 不足 and 努力方向 by shipped weights.

A review is read clause by clause (:mod:`cxzy_docs.check.clausefeat` names each clause's general
features); each element's score of a clause is the sum of its features' weights (a logistic
regression learned by ``bench/train_review_model.py`` from the labelled reviews, one per element).
The review states an element when its best clause does: that clause is the evidence. A score inside
the element's undecided band (set on writers the training never saw) gives no verdict: the element
is ``uncertain`` and its best clause is shown for a person to check.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from cxzy_docs.check import clausefeat
from cxzy_docs.check.elements import ELEMENT_NAMES, ELEMENTS, ElementResult, Evidence, ReviewElements

MODEL_PATH = Path(__file__).with_name("review_model.json")

# Why a candidate clause does not state an element: the reason of the feature family that weighs
# most against it (first family of the list wins a tie).
_REASONS: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "achievements": (
        (("denial", "zero"), "“没有问题”不等于成绩"),
        (
            ("g:bare_verdict", "g:catchall", "x:catchall*verdict", "left:A:0", "left:A:1"),
            "只有笼统评价，未写明具体成绩",
        ),
        (("g:political",), "只有套话，未写明具体成绩"),
        (("g:promise", "promise_undone"), "只是承诺或打算，没有说做成了什么"),
        (
            ("g:time_fut", "x:fut_only", "g:wish", "g:imper", "g:suggest", "r:D:hit"),
            "讲的是今后的打算，不是已做成的事",
        ),
        (("who:upper", "g:upper"), "讲的是上级的工作，不是本人的成绩"),
        (("g:others", "x:others_credit", "who:others"), "讲的是别人的功劳，不是本人的成绩"),
        (
            (
                "g:shortfall",
                "x:num*fault",
                "x:num*bad_event",
                "g:fault_word",
                "g:fault_val",
                "g:bad_event",
                "r:S:hit",
            ),
            "讲的是问题或差距，不是成绩",
        ),
        (("g:circum", "sent:circumstance"), "讲的是个人情况，不是成绩"),
    ),
    "shortcomings": (
        (("denial", "zero"), "只有否定表述（如“无明显不足”），未指出不足"),
        (("g:circum", "x:circum*neg", "sent:circumstance"), "讲的是个人情况（年龄、身体等），不是不足"),
        (("g:solved", "x:solved*problem", "g:found_act"), "讲的是已解决或查找的问题，不是现存的不足"),
        (("g:formula",), "只有套话，未指出具体问题"),
        (("left:S:0", "left:S:1"), "只笼统提到不足，未写明具体问题"),
        (("g:others", "who:others"), "讲的是别人的问题，不是本人的不足"),
        (("g:praise", "g:quality", "r:A:hit"), "讲的是优点或成绩，不是不足"),
        (("g:time_fut", "r:D:hit"), "讲的是今后的要求，没有指出现存的问题"),
    ),
    "direction": (
        (("g:slogan", "x:wish*slogan", "left:D:0", "left:D:1"), "只有口号或笼统要求，未写明具体努力方向"),
        (("g:formula",), "只有套话，未写明具体努力方向"),
        (("who:upper", "g:upper"), "讲的是上级的安排，不是对本人的要求"),
        (("ch:past", "g:past", "x:fut*past", "g:time_past"), "讲的是已做的事，不是今后的方向"),
        (("rhetorical", "x:q*rhetorical", "x:q*past"), "是反问或责备，没有提出要做什么"),
    ),
}
_DEFAULT_REASON = {
    "achievements": "没有哪一句写明做了什么、做成了什么",
    "shortcomings": "没有哪一句指出具体的不足或问题",
    "direction": "没有哪一句提出今后具体要做什么",
}
_UNCERTAIN_REASON = "无法确定点评是否写明了{name}，请人工核对"
_REVIEW_EXTRAS = ("bias", "pos:review_first_sent", "pos:review_last_sent", "pos:one_sentence")


class _Model:
    """Feature weights per element and each element's undecided band."""

    __slots__ = ("bands", "weights")

    def __init__(self, data: dict[str, Any]) -> None:
        if tuple(data["elements"]) != ELEMENTS:
            raise ValueError("review model: unexpected elements")
        self.weights: dict[str, tuple[float, float, float]] = {
            f: (w[0], w[1], w[2]) for f, w in data["features"].items()
        }
        self.bands: dict[str, tuple[float, float]] = {e: (lo, hi) for e, (lo, hi) in data["bands"].items()}

    def score(self, feats: Iterable[str]) -> tuple[float, float, float]:
        a = s = d = 0.0
        get = self.weights.get
        for f in feats:
            w = get(f)
            if w is not None:
                a += w[0]
                s += w[1]
                d += w[2]
        return a, s, d


@lru_cache(maxsize=1)
def model() -> _Model:
    """The shipped weights (loaded once)."""
    return _Model(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


@lru_cache(maxsize=131072)
def _base_score(key: str, delim: str) -> tuple[float, float, float]:
    """The three scores of a clause's own features (a clause recurs far more often than its sentence)."""
    return model().score(clausefeat.base(key, delim).feats)


# A scored clause: span in the sentence, scores (without the review-level terms), its base features,
# the features of its own reading, the features of its place, the rules' events.
_Scored = tuple[
    int,
    int,
    tuple[float, float, float],
    clausefeat.Base,
    tuple[str, ...],
    tuple[str, ...],
    tuple[tuple[str, str, str, str | None], ...],
]


@lru_cache(maxsize=16384)
def _own_score(own: tuple[str, ...]) -> tuple[float, float, float]:
    return model().score(own)


@lru_cache(maxsize=131072)
def _score_sentence(text: str, after_praise: bool) -> tuple[_Scored, ...]:
    """Each clause of a sentence with its three scores (without the review-level terms)."""
    score = model().score
    read = clausefeat.read_sentence(text, after_praise)
    out = []
    for (s, e, b, own, rule), ctx in zip(read, clausefeat.context_features(read), strict=True):
        a0, s0, d0 = _base_score(b.key, b.delim)
        a1, s1, d1 = _own_score(own)
        a2, s2, d2 = score(ctx)
        out.append((s, e, (a0 + a1 + a2, s0 + s1 + s2, d0 + d1 + d2), b, own, tuple(ctx), rule))
    return tuple(out)


_SENTENCE = clausefeat._SENTENCE
_PROB_DIGITS = 3


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _reason(element: str, k: int, feats: frozenset[str]) -> str:
    weights = model().weights
    best: tuple[float, str] | None = None
    for keys, reason in _REASONS[element]:
        against = min((weights[f][k] for f in keys if f in feats and f in weights), default=0.0)
        if against < 0 and (best is None or against < best[0]):
            best = (against, reason)
    return best[1] if best else _DEFAULT_REASON[element]


def _cue(original: str, folded: str, start: int, end: int, cue: str | None) -> str | None:
    """The rules' cue as written in the original (the reader reads a masked copy of the same length)."""
    if not cue or cue.startswith("（"):
        return cue
    at = folded.find(cue, start, end)
    return original[at : at + len(cue)] if at >= 0 else cue


def _evidence(original: str, start: int, end: int, cue: str) -> Evidence:
    phrase = original[start:end]
    lead = len(phrase) - len(phrase.lstrip())
    trail = len(phrase) - len(phrase.rstrip())
    return Evidence(phrase.strip(), start + lead, end - trail, cue)


_Rules = tuple[tuple[str, str, str, str | None], ...]


_SHOWN_WITHIN = 1.0  # the clause shown: the first one scoring within this of the best (the first statement)


@lru_cache(maxsize=131072)
def read_review(original: str) -> ReviewElements:
    """The three elements of a (non-blank) review text as the learned reader sees them."""
    mdl = model()
    folded = clausefeat._prepare(original)
    sentences = list(_SENTENCE.finditer(folded))
    ns = len(sentences)
    after_praise = False
    read: list[
        tuple[
            int,
            int,
            tuple[float, float, float],
            clausefeat.Base,
            tuple[tuple[str, ...], tuple[str, ...]],
            _Rules,
        ]
    ] = []
    for si, m in enumerate(sentences):
        xa, xs, xd = _extras_score(si == 0, si == ns - 1, ns == 1)
        at = m.start()
        for s, e, (a, sh, d), b, own, ctx, rule in _score_sentence(m.group(0), after_praise):
            read.append((at + s, at + e, (a + xa, sh + xs, d + xd), b, (own, ctx), rule))
            if rule and not after_praise:
                after_praise = any(r[0] == "achievements" for r in rule)
    if not read:
        return ReviewElements(ElementResult(False), ElementResult(False), ElementResult(False))
    ach, short, dirn = (
        _element(original, folded, read, k, name, mdl.bands[name]) for k, name in enumerate(ELEMENTS)
    )
    return ReviewElements(ach, short, dirn)


def _element(
    original: str, folded: str, read: list[Any], k: int, name: str, band: tuple[float, float]
) -> ElementResult:
    """One element's verdict from its clause scores: found, not found, or undecided (inside the band)."""
    top = -1e9
    for r in read:
        if r[2][k] > top:
            top = r[2][k]
    # the clause shown: the first one about as strong as the best (a review states a thing first, then adds)
    floor = max(0.0, top - _SHOWN_WITHIN) if top >= 0 else top
    pick = read[0]
    for r in read:
        if r[2][k] >= floor:
            pick = r
            break
    s, e, _scores, b, place, rule = pick
    lo, hi = band
    prob = round(_sigmoid(top), _PROB_DIGITS)
    found = top >= 0.0
    cue = None
    for el, kind, c, _why in rule:
        if el == name and kind == "hit":
            cue = c
            break
    shown = _evidence(original, s, e, _cue(original, folded, s, e, cue) or "（逐句判断）")
    if lo <= top < hi:  # no verdict either way: the candidate, for a person to check
        reason = _UNCERTAIN_REASON.format(name=ELEMENT_NAMES[name])
        return ElementResult(
            found, shown if found else None, None if found else shown, reason, uncertain=True, score=prob
        )
    if found:
        return ElementResult(True, shown, score=prob)
    # a near miss the rules recorded ("无明显不足", "继续努力"), the best scoring one, is shown with its reason
    near: tuple[float, int, int, str] | None = None
    for r in read:
        for el, kind, _c, why in r[5]:
            if el == name and kind == "miss" and why:
                if near is None or r[2][k] > near[0]:
                    near = (r[2][k], r[0], r[1], why)
                break
    if near is not None:
        return ElementResult(
            False, None, _evidence(original, near[1], near[2], "（近似）"), near[3], score=prob
        )
    return ElementResult(False, None, shown, _reason(name, k, b.feats.union(*place)), score=prob)


@lru_cache(maxsize=8)
def _extras_score(first: bool, last: bool, only: bool) -> tuple[float, float, float]:
    """The review-level terms: the bias and the sentence's place in the review (first, last, the only one)."""
    index, count = (0, 1) if only else (0 if first else 2 if last else 1, 3)
    return model().score(clausefeat.review_extras(index, count))
