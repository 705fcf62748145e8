"""Grid -> ``cxzy.record/1``: find a record book's labels in any reader's grid and read the values.

Format-agnostic: the DOCX, XLSX, PDF and OCR readers all hand over cells and free lines. The
passes, one module each:

0. ``books``: where a file holding several books is cut into one grid per book;
1. ``labels``: the form's labels (from forms.py), compiled once per form;
2. ``items``: every cell and line in reading order, recognised as a label or a value (the grid
   path, where tables hold the form), or ``anchors`` and ``stream``: the labels found in the
   running text and the values between them (the layout-free path, where none does);
3. ``fixed``: header fields, 评议 counts, 评议结果 and the year, read by their place;
4. ``signatures``: names and dates after ``…（签字）：``;
5. ``boxes``: the walk in reading order where text boxes and attached pages (附页) fall into place.

``recognise`` tells the form by its labels; ``values`` normalises what is read; ``kinds`` names
the categories (Literals) and the :class:`Problem` kept for what could not be read.

Nothing is guessed: a value that cannot be normalised is kept raw in ``problems`` and the record
holds ``None``.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from cxzy_docs.errors import UnknownFormError
from cxzy_docs.forms import FormSpec
from cxzy_docs.model import empty_record, set_field, source_of
from cxzy_docs.read.extract.books import book_starts, pages_of, sub_grid
from cxzy_docs.read.extract.boxes import walk
from cxzy_docs.read.extract.fixed import Fixed, find_year, fixed_values
from cxzy_docs.read.extract.items import Text, grid_items, prepare
from cxzy_docs.read.extract.kinds import Problem, ReadPath
from cxzy_docs.read.extract.labels import Labels, labels_for
from cxzy_docs.read.extract.recognise import evidence, recognise_texts
from cxzy_docs.read.extract.state import State
from cxzy_docs.read.extract.stream import read_stream
from cxzy_docs.read.extract.values import text_value
from cxzy_docs.read.grid import Cell, Grid, Line
from cxzy_docs.read.settings import ReadSettings

__all__ = ["Problem", "ReadPath", "choose_path", "extract", "extract_books", "recognise"]


def recognise(grid: Grid, *, settings: dict[str, Any] | ReadSettings | None = None) -> FormSpec:
    """The form a grid holds (member or organization book), told by its labels.

    Raises :class:`UnknownFormError` ("不是写实簿：…", naming the file and what was found) when
    too few of a record book's labels are present or the two books cannot be told apart.
    """
    s = ReadSettings.resolve(settings)
    lines, cells = prepare(grid)
    return recognise_texts(grid.source, lines + cells, s)


def choose_path(grid: Grid, *, settings: dict[str, Any] | ReadSettings | None = None) -> ReadPath:
    """``grid`` where the grid's tables hold the form (its labels are in cells), else ``stream``."""
    s = ReadSettings.resolve(settings)
    lines, cells = prepare(grid)
    form = recognise_texts(grid.source, lines + cells, s)
    return _choose(labels_for(form.kind), grid, cells, s, lines)


def _choose(labels: Labels, grid: Grid, cells: list[Text], s: ReadSettings, lines: list[Text]) -> ReadPath:
    """The grid path where tables of more than one column hold the form's labels: a sheet with
    every line in its first column is running text, not a table. The stream path where a box's
    label stands in the running text and in no cell: part of the form is tables, part running text
    (a .doc whose last table LibreOffice opened as paragraphs), which only the stream reads in order."""
    columns: dict[int, set[int]] = {}
    for c in grid.cells:
        columns.setdefault(c.table, set()).add(c.col)
    tabular = [tx for c, tx in zip(grid.cells, cells, strict=True) if len(columns[c.table]) > 1]
    if not tabular:
        return "stream"
    in_cells = evidence(labels, tabular)
    found = in_cells & labels.structural
    if len(found) < s.min_form_labels:
        return "stream"
    running = [  # not the headings of attached pages: （第一季度领导点评续） names a box as going on
        tx
        for tx in lines
        if not labels.heading_re.search(tx.folded) and not labels.continuation_re.search(tx.folded)
    ]
    if running and {k for k in evidence(labels, running, loose=True) if k in labels.box_by_key} - in_cells:
        return "stream"
    return "grid"


def extract(
    grid: Grid, *, settings: dict[str, Any] | ReadSettings | None = None, path: ReadPath | None = None
) -> dict[str, Any]:
    """The ``cxzy.record/1`` record a grid holds, with ``source``, ``format``, ``provenance``
    ({field path: {"where", "confidence"}}), ``problems`` ([{"field", "raw", "where", "message"}]:
    values kept raw, text that fitted no box) and ``warnings`` (the reader's).

    ``path``: read by the table's geometry (``grid``) or by the labels in the running text
    (``stream``); by default the grid path where the tables hold the form, else the stream path.
    Raises :class:`UnknownFormError` when the grid is not a record book.
    """
    s = ReadSettings.resolve(settings)
    lines, cells = prepare(grid)
    form = recognise_texts(grid.source, lines + cells, s)
    labels = labels_for(form.kind)
    path = path or _choose(labels, grid, cells, s, lines)
    problems: list[Problem] = []
    if path == "grid":
        items = grid_items(labels, grid, lines, cells)
        year, year_where, year_conf = find_year(items, s, problems)
        fixed = fixed_values(labels, items, problems)
    else:
        by_id = {id(c): tx for c, tx in zip(grid.cells, cells, strict=True)}
        by_id.update({id(ln): tx for ln, tx in zip(grid.lines, lines, strict=True)})
        pieces = grid.stream()
        read = read_stream(labels, pieces, [by_id[id(p)] for p in pieces], s, problems)
        items, fixed = read.items, read.fixed
        year, year_where, year_conf = read.year
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


def extract_books(
    grid: Grid, *, settings: dict[str, Any] | ReadSettings | None = None
) -> list[dict[str, Any]]:
    """Every book a grid holds, in file order: one record each (see :mod:`.books` for where a book
    starts). A file with several books gives each record a ``part`` ({"book", "of", "pages"}) and
    a ``source`` that names the part: ``合订本.pdf#第7-12页``, or ``两本.docx#第2本`` where the
    file has no pages. Raises :class:`UnknownFormError` when no part is a record book.
    """
    s = ReadSettings.resolve(settings)
    pieces = grid.stream()
    texts = [Text.of(p.text) for p in pieces]
    cuts = book_starts(texts, s)
    if not cuts:
        return [extract(grid, settings=s)]
    bounds = [0, *cuts, len(pieces)]
    parts = [pieces[a:b] for a, b in pairwise(bounds)]
    parts = _books_only(grid, parts, s)
    if len(parts) == 1:
        return [extract(grid, settings=s)]
    records = []
    for n, part in enumerate(parts, 1):
        rec = extract(sub_grid(grid, part), settings=s)
        pages = pages_of(part)
        rec["part"] = {"book": n, "of": len(parts), "pages": list(pages) if pages else None}
        rec["source"] = source_of(grid.source, rec)
        records.append(rec)
    return records


def _books_only(grid: Grid, parts: list[list[Cell | Line]], s: ReadSettings) -> list[list[Cell | Line]]:
    """The parts that are books; a part that is not one (too few labels) goes back to the book before it."""
    out: list[list[Cell | Line]] = []
    for part in parts:
        try:
            recognise(sub_grid(grid, part), settings=s)
        except UnknownFormError:
            if out:
                out[-1] = out[-1] + part
                continue
        out.append(part)
    if len(out) > 1:
        try:
            recognise(sub_grid(grid, out[0]), settings=s)
        except UnknownFormError:  # the first part alone was no book: it is the cover of the second
            out[1] = out[0] + out[1]
            out = out[1:]
    return out


def _record(
    form: FormSpec, year: int | None, year_where: str, year_conf: float, fixed: Fixed, st: State
) -> dict[str, Any]:
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
            provenance[path] = {
                "where": "、".join(dict.fromkeys(p.where for p in parts if p.text.strip())),
                "confidence": min(p.confidence for p in parts),
            }
    for path, sign in st.signs.items():
        for part, value in (("name", sign.name), ("date", sign.date)):
            if value is not None:
                set_field(record, f"{path}.{part}", value.text)
                provenance[f"{path}.{part}"] = {"where": value.where, "confidence": value.confidence}
    record["provenance"] = provenance
    return record
