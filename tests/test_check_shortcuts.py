"""The validator's speed shortcuts give exactly what the plain computations give."""

from __future__ import annotations

import gc
import random
from collections import Counter
from difflib import SequenceMatcher

from cxzy_docs.check import validate
from cxzy_docs.check.duplicates import _quick_ratio
from cxzy_docs.check.hanzi import _TABLE, _TYPO_MAP, _TYPO_RE, fold

_ALPHABET = (
    [chr(c) for c in _TABLE]
    + [chr(c) for c in _TABLE.values()]
    + list("，：；！？（）,.:;!?()佳强存再不租该同志党员学习 \n")
)


def _plain_fold(text: str) -> str:
    out = text.translate(_TABLE)
    return _TYPO_RE.sub(lambda m: _TYPO_MAP[m.group(0)], out)


def test_fold_equals_one_translate_of_the_whole_table() -> None:
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 40)))
        assert fold.__wrapped__(text) == _plain_fold(text), text


def test_quick_ratio_equals_sequence_matcher() -> None:
    rng = random.Random(9)
    for _ in range(2000):
        a = "".join(rng.choice("党员学习群众工作加强不足今后") for _ in range(rng.randint(0, 30)))
        b = "".join(rng.choice("党员学习群众工作加强不足今后要") for _ in range(rng.randint(0, 30)))
        expected = SequenceMatcher(None, a, b, autojunk=False).quick_ratio()
        assert _quick_ratio(Counter(a), Counter(b), len(a) + len(b)) == expected, (a, b)


def test_validate_restores_the_collector() -> None:
    assert gc.isenabled()
    validate([{"kind": "member", "year": 2024}])
    assert gc.isenabled()
    gc.disable()
    try:
        validate([{"kind": "member", "year": 2024}])
        assert not gc.isenabled()
    finally:
        gc.enable()
