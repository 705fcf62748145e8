"""Groups of the same or nearly the same text, found by hashing, never by comparing every pair."""

# A text is normalised (folded, punctuation and spaces dropped, the subject's own name replaced,
# digits masked) and hashed: equal keys are one group at once. Distinct texts are then put into
# buckets by a few anchors (their first and last characters and each long sentence); only texts
# sharing a small bucket are compared, with :class:`difflib.SequenceMatcher`, and joined by a
# union-find. A bucket holding many distinct texts is an everyday phrase, not a copy, and is skipped.

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from difflib import SequenceMatcher
from operator import add

from cxzy_docs.check.hanzi import fold

DEFAULT_SIMILARITY = 0.9  # SequenceMatcher ratio at which two texts count as nearly the same
DEFAULT_MIN_CHARS = 6  # shorter normalised texts are not compared ("同意")
DEFAULT_BUCKET_CAP = 40  # anchors shared by more distinct texts than this are common phrases
_ANCHOR = 12  # characters of the head and tail anchors
_SENTENCE_MIN = 10  # a sentence at least this long is an anchor
_BIGRAM_FLOOR = 0.8  # Dice overlap of character pairs below which two texts are not compared further
# (a SequenceMatcher ratio >= 0.9 leaves at least ~0.85 of the character pairs shared)

_DROP = re.compile(r"[^0-9A-Za-z#|\u4e00-\u9fff\u3400-\u4dbf]+")
_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_SENTENCES = re.compile(r"[。!?;；！？\n]+")


def _marked(text: str, name: str | None) -> str:
    """The comparable form with ``|`` where sentences end (for the sentence anchors)."""
    out = fold(text)
    if name and len(name) >= 2 and name in out:
        out = out.replace(name, "某")
    out = _DIGITS.sub("#", out)
    out = _SENTENCES.sub("|", out)
    return _DROP.sub("", out)


def _anchors(marked: str, key: str) -> set[str]:
    keys = {"h:" + key[:_ANCHOR], "t:" + key[-_ANCHOR:]}
    for sent in marked.split("|"):
        if len(sent) >= _SENTENCE_MIN:
            keys.add("s:" + sent)
    return keys


def duplicate_groups(
    items: Sequence[tuple[str, str | None]],
    *,
    similarity: float = DEFAULT_SIMILARITY,
    min_chars: int = DEFAULT_MIN_CHARS,
    bucket_cap: int = DEFAULT_BUCKET_CAP,
) -> list[list[int]]:
    """Indexes of ``items`` ((text, subject name)) that share a text, in groups of two or more."""
    exact: dict[str, list[int]] = defaultdict(list)
    marked_of: dict[str, str] = {}
    for i, (text, name) in enumerate(items):
        marked = _marked(text, name)
        key = marked.replace("|", "")
        if len(key) >= min_chars:
            exact[key].append(i)
            marked_of.setdefault(key, marked)
    keys = list(exact)
    parent = list(range(len(keys)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    grams: dict[int, set[str]] = {}
    counts: dict[int, Counter[str]] = {}

    def bigrams(k: int) -> set[str]:
        g = grams.get(k)
        if g is None:
            key = keys[k]
            g = grams[k] = set(map(add, key, key[1:]))
        return g

    def char_counts(k: int) -> Counter[str]:
        c = counts.get(k)
        if c is None:
            c = counts[k] = Counter(keys[k])
        return c

    def similar(a: int, b: int) -> bool:
        ka, kb = keys[a], keys[b]
        if min(len(ka), len(kb)) / max(len(ka), len(kb)) < similarity:
            return False
        ga, gb = bigrams(a), bigrams(b)
        if 2 * len(ga & gb) < _BIGRAM_FLOOR * (len(ga) + len(gb)):
            return False  # far apart in characters: SequenceMatcher would say so, slower
        if _quick_ratio(char_counts(a), char_counts(b), len(ka) + len(kb)) < similarity:
            return False
        return _similar(ka, kb, similarity)

    buckets: dict[str, list[int]] = defaultdict(list)
    for k, key in enumerate(keys):
        for anchor in _anchors(marked_of[key], key):
            buckets[anchor].append(k)
    for members in buckets.values():
        if len(members) < 2 or len(members) > bucket_cap:
            continue
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1 :]:
                ra, rb = find(a), find(b)
                if ra != rb and similar(a, b):
                    parent[rb] = ra
    groups: dict[int, list[int]] = defaultdict(list)
    for k, key in enumerate(keys):
        groups[find(k)].extend(exact[key])
    return [sorted(g) for g in groups.values() if len(g) >= 2]


def _quick_ratio(ca: Counter[str], cb: Counter[str], length: int) -> float:
    """:meth:`SequenceMatcher.quick_ratio` from the two texts' character counts (kept per text)."""
    if len(ca) > len(cb):
        ca, cb = cb, ca
    matches = 0
    for ch, n in ca.items():
        m = cb.get(ch)
        if m is not None:
            matches += n if n < m else m
    return 2.0 * matches / length if length else 1.0


def _similar(a: str, b: str, threshold: float) -> bool:
    """SequenceMatcher's ratio reaches ``threshold`` (its quick bound is already known to)."""
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= threshold
