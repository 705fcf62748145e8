"""Reading generalises: books in layouts the readers were not written for, from every producer here.

A seeded sample of ``layoutgen`` books (see tests/layoutgen.py for the variations and
bench/bench_layouts.py for the full run over 500+ books): field accuracy on these text-layer
files must stay at 99% or more, and every file must be read as exactly the books it holds.
Seeds 900-999 are held out (never used here).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from layoutgen import HELD_OUT_SEEDS, choose_layout, make_file_records
from layoutprod import convert_docs, plan, produce, score, table

FAST = ("python-docx", "openpyxl", "ours-docx", "ours-xlsx", "ours-pdf", "ours-binder")
LIBREOFFICE = ("lo-docx", "lo-doc", "lo-pdf")


def _check(cases: list, res, capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print("\n" + table(res))
        for ex in res.examples:
            print(ex)
    assert not res.errors, res.errors
    assert res.overall.rate >= 0.99
    assert res.overall.split_ok == len(cases), "every file read as exactly the books it holds"


def test_generated_layouts_fast_producers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = plan(2, 80, FAST)
    produce(cases, tmp_path)
    _check(cases, score(cases, examples=5), capsys)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_generated_layouts_libreoffice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """HTML saved by LibreOffice as DOCX, as Word 97 .doc (read back through LibreOffice) and as PDF."""
    cases = plan(3, 45, LIBREOFFICE)
    produce(cases, tmp_path)
    _check(cases, score(cases, converted=convert_docs(cases, tmp_path), examples=5), capsys)


def test_the_generator_is_seeded_and_covers_every_variation() -> None:
    a, b = plan(11, 60), plan(11, 60)
    assert [c.records for c in a] == [c.records for c in b] and [c.tags for c in a] == [c.tags for c in b]
    tags = {t for c in plan(12, 400) for t in c.tags}
    from layoutgen import AXES

    for axis, values in AXES.items():
        for value in values:
            assert f"{axis}={value}" in tags, f"{axis}={value} never drawn"
    assert {"books=1", "books=2+", "table=ours"} <= tags
    assert 12 not in HELD_OUT_SEEDS and 2 not in HELD_OUT_SEEDS and 3 not in HELD_OUT_SEEDS


def test_binder_books_share_a_year_and_an_organization() -> None:
    books = make_file_records(random.Random(5), 3)
    assert len({b["year"] for b in books}) == 1
    assert choose_layout(random.Random(1)).tags()[0].startswith("table=")


def test_grid_and_stream_paths_agree_on_generated_tables(tmp_path: Path) -> None:
    """Where a table holds the form both paths work, and they must read the same record."""
    from gold import norm

    from cxzy_docs.model import field_paths, get_field
    from cxzy_docs.read import read_grid
    from cxzy_docs.read.extract import choose_path, extract

    cases = [c for c in plan(4, 70, ("python-docx", "ours-docx", "openpyxl")) if len(c.records) == 1]
    produce(cases, tmp_path)
    compared = 0
    for case in cases:
        assert case.path is not None
        grid = read_grid(case.path)
        if choose_path(grid) != "grid":
            continue
        by_grid, by_stream = extract(grid, path="grid"), extract(grid, path="stream")
        paths = ["kind", "year", *field_paths(by_grid["kind"])]
        differ = [p for p in paths if norm(get_field(by_grid, p)) != norm(get_field(by_stream, p))]
        assert not differ, (case.name, case.tags, differ[:5])
        compared += 1
    assert compared >= 20
