"""Grid -> ``cxzy.record/1``: find a record book's labels in any reader's grid and read the values.

Format-agnostic: the DOCX, XLSX, PDF and OCR readers all hand over cells and free lines. The
passes, one module each:

1. ``labels``: the form's labels (from forms.py), compiled once per form;
2. ``items``: every cell and line in reading order, recognised as a label or a value;
3. ``fixed``: header fields, 评议 counts, 评议结果 and the year, read by their place;
4. ``signatures``: names and dates after ``…（签字）：``;
5. ``boxes``: the walk in reading order where text boxes and attached pages (附页) fall into place.

Nothing is guessed: a value that cannot be normalised is kept raw in ``problems`` and the record
holds ``None``.
"""

from __future__ import annotations

from typing import Any

from cxzy_docs.forms import FormSpec
from cxzy_docs.model import empty_record, set_field
from cxzy_docs.read.extract.boxes import walk
from cxzy_docs.read.extract.fixed import Fixed, find_year, fixed_values
from cxzy_docs.read.extract.items import grid_items, prepare
from cxzy_docs.read.extract.kinds import Problem
from cxzy_docs.read.extract.labels import labels_for
from cxzy_docs.read.extract.recognise import recognise_texts
from cxzy_docs.read.extract.state import State
from cxzy_docs.read.extract.values import text_value
from cxzy_docs.read.grid import Grid
from cxzy_docs.read.settings import ReadSettings

__all__ = ["Problem", "extract", "recognise"]


def recognise(grid: Grid, *, settings: dict | ReadSettings | None = None) -> FormSpec:
    """The form a grid holds (member or organization book), told by its labels.

    Raises :class:`UnknownFormError` ("不是写实簿：…", naming the file and what was found) when
    too few of a record book's labels are present or the two books cannot be told apart.
    """
    s = ReadSettings.resolve(settings)
    lines, cells = prepare(grid)
    return recognise_texts(grid.source, lines + cells, s)


def extract(grid: Grid, *, settings: dict | ReadSettings | None = None) -> dict[str, Any]:
    """The ``cxzy.record/1`` record a grid holds, with ``source``, ``format``, ``provenance``
    ({field path: {"where", "confidence"}}), ``problems`` ([{"field", "raw", "where", "message"}]:
    values kept raw, text that fitted no box) and ``warnings`` (the reader's).

    Raises :class:`UnknownFormError` when the grid is not a record book.
    """
    s = ReadSettings.resolve(settings)
    lines, cells = prepare(grid)
    form = recognise_texts(grid.source, lines + cells, s)
    labels = labels_for(form.kind)
    items = grid_items(labels, grid, lines, cells)
    problems: list[Problem] = []
    year, year_where, year_conf = find_year(items, s, problems)
    fixed = fixed_values(labels, items, problems)
    st = State(labels, s, problems=problems)
    walk(st, items)
    record = _record(form, year, year_where, year_conf, fixed, st)
    provenance = record.pop("provenance")
    record["source"] = grid.source
    record["format"] = grid.format
    record["provenance"] = provenance
    record["problems"] = [p.as_dict() for p in problems]
    record["warnings"] = list(grid.warnings)
    return record


def _record(form: FormSpec, year: int | None, year_where: str, year_conf: float, fixed: Fixed,
            st: State) -> dict[str, Any]:
    record = empty_record(form.kind, year)
    provenance: dict[str, dict[str, Any]] = {}
    if year_where:
        provenance["year"] = {"where": year_where, "confidence": year_conf}
    for path, found in fixed.values.items():
        if path == "year" and year is not None:
            continue  # the cover's or the title's year comes first
        set_field(record, path, found.value)
        provenance[path] = {"where": found.where, "confidence": found.confidence}
    if fixed.grade_present:
        record["annual"].setdefault("grade", None)
    for path, parts in st.texts.items():
        text = text_value("\n".join(p.text for p in parts))
        set_field(record, path, text)
        if text is not None:
            provenance[path] = {"where": "、".join(dict.fromkeys(p.where for p in parts if p.text.strip())),
                                "confidence": min(p.confidence for p in parts)}
    for path, sign in st.signs.items():
        for part, value in (("name", sign.name), ("date", sign.date)):
            if value is not None:
                set_field(record, f"{path}.{part}", value.text)
                provenance[f"{path}.{part}"] = {"where": value.where, "confidence": value.confidence}
    record["provenance"] = provenance
    return record
