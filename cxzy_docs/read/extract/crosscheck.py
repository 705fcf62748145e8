"""Two readings of one scan compared: the grid path's (cells between ruling lines) and the stream
path's (whole-page text lines). Where the ruling lines were found, both can run; a field they
disagree on is kept with a low confidence and the other reading beside it, so that a person looks
at it, and a field only the second reading found is taken from it, marked the same way.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from cxzy_docs.forms import form_for, leaves
from cxzy_docs.model import get_field, set_field
from cxzy_docs.textnorm import fold_width, strip_spaces

DISAGREE_CONFIDENCE = 0.5  # under the low-confidence threshold: a person is asked to look
EXTRA_CHARACTERS = 2


def _norm(value: object) -> object:
    if isinstance(value, str):
        v = strip_spaces(fold_width(value))
        return v or None
    return value


def _same(mine: object, theirs: object) -> bool:
    """The same reading: equal once white space is dropped, or the second reading has only a
    character or two more (a section label's character standing beside the text, read into it
    when the lines are not known)."""
    a, b = _norm(mine), _norm(theirs)
    if a == b:
        return True
    if not (isinstance(a, str) and isinstance(b, str)) or len(b) - len(a) > EXTRA_CHARACTERS:
        return False
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return all(tag in ("equal", "insert") for tag, *_ in ops)


def _pages(rec: dict[str, Any]) -> tuple[int, int] | None:
    part = rec.get("part")
    if isinstance(part, dict) and part.get("pages"):
        a, b = part["pages"]
        return int(a), int(b)
    return None


def _partner(rec: dict[str, Any], others: list[dict[str, Any]], alone: bool) -> dict[str, Any] | None:
    same = [o for o in others if o.get("kind") == rec.get("kind")]
    if not same:
        return None
    if alone and len(others) == 1:
        return same[0]
    mine = _pages(rec)
    if mine is None:
        return same[0] if len(same) == 1 else None

    def overlap(o: dict[str, Any]) -> int:
        theirs = _pages(o)
        if theirs is None:
            return 0
        return max(0, min(mine[1], theirs[1]) - max(mine[0], theirs[0]) + 1)

    best = max(same, key=overlap)
    return best if overlap(best) > 0 else None


def cross_check(records: list[dict[str, Any]], others: list[dict[str, Any]]) -> int:
    """Mark in ``records`` (the grid path's) every field the stream path's ``others`` read
    differently; returns how many fields were marked. Fields the first reading left empty and the
    second read are filled from it, low-confidence."""
    marked = 0
    for rec in records:
        other = _partner(rec, others, alone=len(records) == 1)
        if other is None:
            continue
        prov = rec.setdefault("provenance", {})
        other_prov = other.get("provenance") or {}
        paths = ["year", *(leaf.path for leaf in leaves(form_for(rec["kind"])))]
        for path in paths:
            mine, theirs = get_field(rec, path), get_field(other, path)
            if _same(mine, theirs):
                continue
            if mine is None and theirs is None:
                continue
            entry = prov.get(path)
            if mine is None:
                set_field(rec, path, theirs)
                source = other_prov.get(path) or {}
                entry = {"where": source.get("where", ""), "confidence": DISAGREE_CONFIDENCE}
            else:
                entry = dict(entry or {"where": ""})
                entry["confidence"] = min(float(entry.get("confidence", 1.0)), DISAGREE_CONFIDENCE)
            entry["other_reading"] = theirs
            prov[path] = entry
            marked += 1
    return marked
