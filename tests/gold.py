"""Comparing a parsed record with its gold record, the way tests/data/forms-dev/README.md says."""

from __future__ import annotations

import json
from pathlib import Path

from cxzy_docs.model import field_paths, get_field
from cxzy_docs.textnorm import fold_width, strip_spaces


def norm(value: object) -> object:
    """Texts without white space and with full-width ASCII folded; other values as they are."""
    return strip_spaces(fold_width(value)) if isinstance(value, str) else value


def field_accuracy(record: dict, gold: dict) -> tuple[int, int, list[str]]:
    """(right, compared, wrong paths): kind, year and every leaf of the gold's form."""
    paths = ["kind", "year", *(p for p in field_paths(gold["kind"])
                               if p != "annual.grade" or get_field(gold, p) is not None)]
    wrong = [p for p in paths if norm(get_field(record, p)) != norm(get_field(gold, p))]
    return len(paths) - len(wrong), len(paths), wrong


def load_gold(path: Path) -> dict:
    """A gold record without its ``_meta``."""
    gold = json.loads(path.read_text(encoding="utf-8"))
    gold.pop("_meta", None)
    return gold
