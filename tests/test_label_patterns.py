"""The compiled label patterns: compact (compiled in a fraction of a second per process) and matching
exactly what a flat, longest-first alternation of the same labels matches."""

from __future__ import annotations

import re

import pytest

from cxzy_docs.read.extract.labels import TAIL, alternation, labels_for, spaced


def _flat(keys: list[str]) -> str:
    return "|".join(spaced(k) for k in sorted(set(keys), key=len, reverse=True) if k)


def _label_sets() -> list[tuple[str, list[str]]]:
    out = []
    for kind in ("member", "organization"):
        labels = labels_for(kind)
        out += [
            (f"{kind} boxes", list(labels.box_by_key)),
            (f"{kind} fields", list(labels.field_by_key)),
            (f"{kind} periods", list(labels.period_by_key)),
            (f"{kind} roles", list(labels.role_by_key)),
            (f"{kind} everything", [*labels.exact, *labels.box_by_key]),
        ]
    return out


@pytest.mark.parametrize(("name", "keys"), _label_sets(), ids=[n for n, _ in _label_sets()])
def test_the_compact_pattern_matches_what_the_flat_one_matches(name: str, keys: list[str]) -> None:
    """Every label, written plainly, spaced out, with brackets and a colon, followed by more text or cut
    short: the same match (same label, same end) from both patterns."""
    compact = re.compile(rf"(?P<label>{alternation(keys)}){TAIL}")
    flat = re.compile(rf"(?P<label>{_flat(keys)}){TAIL}")
    assert len(compact.pattern) < len(flat.pattern) or len(keys) < 20
    texts = []
    for k in keys:
        texts += [
            k,
            " ".join(k),
            f"{k}：",
            f"（{k}）",
            f"{k}续",
            f"{k}要写清",
            k[:-1],
            k[1:],
            "【" + "·".join(k) + "】",
        ]
    for text in texts:
        a, b = compact.match(text), flat.match(text)
        assert (a and (a.group("label"), a.end())) == (b and (b.group("label"), b.end())), (name, text)


def test_the_label_patterns_stay_small() -> None:
    """Each reading worker compiles them again, and Python's compile time grows with the pattern: the
    flat alternations of the member form's labels came to ~300,000 characters (2 s per form, per process; ~34,000 now). The
    speed itself is measured by bench/bench_parse.py (a new process's first book)."""
    for kind in ("member", "organization"):
        labels = labels_for(kind)
        total = sum(len(v.pattern) for v in vars(labels).values() if isinstance(v, re.Pattern))
        assert total < 40_000, (kind, total)
