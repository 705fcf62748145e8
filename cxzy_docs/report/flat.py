"""A record as one flat mapping ``field path -> value`` (``periods.Q3.review.text``), built in one pass.

Reports read tens of values from each of thousands of books; walking the record once beats
resolving every path on its own (:func:`cxzy_docs.model.get_field`) by an order of magnitude.
"""

from __future__ import annotations

from typing import Any

from cxzy_docs.model import Record


def flatten(record: Record) -> dict[str, Any]:
    """Every leaf of ``record`` by its field path; periods are addressed by their code."""
    out: dict[str, Any] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{prefix}{key}" if not prefix else f"{prefix}.{key}")
        elif isinstance(node, list) and prefix == "periods":
            for item in node:
                if isinstance(item, dict) and isinstance(item.get("period"), str):
                    walk({k: v for k, v in item.items() if k != "period"}, f"periods.{item['period']}")
        else:
            out[prefix] = node

    walk(record, "")
    return out
