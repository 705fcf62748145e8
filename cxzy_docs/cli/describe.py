"""Readable Chinese summaries of parsed files, and the debug view of what the parser matched."""

from __future__ import annotations

from typing import Any

from cxzy_docs.fieldlabels import field_label
from cxzy_docs.forms import KIND_NAMES, form_for, leaves
from cxzy_docs.model import display_name, get_field, part_label
from cxzy_docs.read.batch import FileOutcome
from cxzy_docs.read.locate import unsure


def filled_count(record: dict[str, Any]) -> tuple[int, int]:
    """(boxes filled, boxes on the form) of a record."""
    paths = [leaf.path for leaf in leaves(form_for(record["kind"])) if leaf.path != "annual.grade"]
    return sum(1 for p in paths if get_field(record, p) not in (None, "")), len(paths)


def low_confidence(record: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(field path, provenance) of the fields read with a confidence under the threshold."""
    return [(path, prov) for path, prov in (record.get("provenance") or {}).items() if unsure(prov)]


def needs_look(record: dict[str, Any]) -> set[str]:
    """The fields a person should look at: low confidence, or kept raw in ``problems``."""
    out = {path for path, _ in low_confidence(record)}
    out.update(str(p.get("field")) for p in record.get("problems") or [] if p.get("field"))
    return out


def describe_record(record: dict[str, Any], *, debug: bool = False) -> str:
    filled, total = filled_count(record)
    part = record.get("part")
    where = f"（{part_label(part)}）" if isinstance(part, dict) else ""
    lines = [
        f"  {KIND_NAMES.get(record['kind'], record['kind'])}写实簿 {display_name(record)}{where}：已填 {filled}/{total} 项"
    ]
    problems = record.get("problems") or []
    for p in problems:
        field = field_label(record.get("kind"), str(p["field"])) if p.get("field") else "某一栏"
        lines.append(f"    需核对 {field}：{p.get('message')}（原文：“{p.get('raw')}”）")
    for path, prov in low_confidence(record):
        also = f"；另一种读法：{prov['other_reading']!r}" if "other_reading" in prov else ""
        lines.append(
            f"    识别置信度低 {field_label(record.get('kind'), path)}：{prov.get('confidence'):.2f}（{prov.get('where', '')}{also}），请人工核对"
        )
    if debug:
        prov_all = record.get("provenance") or {}
        for leaf in leaves(form_for(record["kind"])):
            value = get_field(record, leaf.path)
            where = (prov_all.get(leaf.path) or {}).get("where", "—")
            shown = "（空）" if value is None else str(value).replace("\n", "⏎")
            if len(shown) > 40:
                shown = shown[:39] + "…"
            lines.append(f"    {leaf.path:<36} {shown:<42} ← {where}")
    return "\n".join(lines)


def describe_outcome(outcome: FileOutcome, *, debug: bool = False) -> str:
    if outcome.error:
        return f"[red]✗[/] {outcome.error}"
    if outcome.skipped:
        return f"[yellow]–[/] {outcome.path}：{outcome.skipped}"
    head = f"[green]✓[/] {outcome.path}：{len(outcome.records)} 本写实簿"
    return "\n".join([head, *(describe_record(r, debug=debug) for r in outcome.records)])
