"""Comparing a parsed record with its gold record, the way tests/data/forms-dev/README.md says."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from cxzy_docs.model import field_paths, get_field
from cxzy_docs.textnorm import fold_width, strip_spaces


def norm(value: object) -> object:
    """Texts without white space and with full-width ASCII folded; other values as they are."""
    return strip_spaces(fold_width(value)) if isinstance(value, str) else value


def field_accuracy(record: dict, gold: dict) -> tuple[int, int, list[str]]:
    """(right, compared, wrong paths): kind, year and every leaf of the gold's form."""
    paths = [
        "kind",
        "year",
        *(p for p in field_paths(gold["kind"]) if p != "annual.grade" or get_field(gold, p) is not None),
    ]
    wrong = [p for p in paths if norm(get_field(record, p)) != norm(get_field(gold, p))]
    return len(paths) - len(wrong), len(paths), wrong


def load_gold(path: Path) -> dict:
    """A gold record without its ``_meta``."""
    gold = json.loads(path.read_text(encoding="utf-8"))
    gold.pop("_meta", None)
    return gold


def fit_distance(needle: str, hay: str) -> int:
    """Fewest edits turning ``needle`` into some substring of ``hay`` (semi-global Levenshtein)."""
    if not needle:
        return 0
    h = np.frombuffer(hay.encode("utf-32-le"), dtype=np.uint32)
    ramp = np.arange(len(h) + 1)
    row = np.zeros(len(h) + 1, dtype=np.int64)
    for i, ch in enumerate(needle, start=1):
        best = np.empty_like(row)
        best[0] = i
        best[1:] = np.minimum(row[:-1] + (h != ord(ch)), row[1:] + 1)
        row = np.minimum.accumulate(best - ramp) + ramp
    return int(row.min())


def leaves(node: object, path: str = "") -> list[tuple[str, object]]:
    """(path, value) of every leaf of a gold record, ``_meta`` left out; periods by their code."""
    if isinstance(node, dict):
        return [kv for k, v in node.items() if k != "_meta" for kv in leaves(v, f"{path}.{k}" if path else k)]
    if isinstance(node, list):
        return [
            kv
            for i, v in enumerate(node)
            for kv in leaves(v, f"{path}.{v.get('period', i) if isinstance(v, dict) else i}")
        ]
    return [(path, node)]
