"""Books other people laid out (tests/data/layouts-other): read as an office would get them.

28 files (docx, doc, pdf, xlsx, xls; 39 books) made by others without looking at the reader, with
their golds (tests/data/layouts-other/README.md). The other half of that set is held out for the
final measurement; these files are development material, so the fixes they led to are general rules
and the kinds of layout they showed are also drawn by the layout generator (tests/layoutgen.py).
bench/bench_layouts_other.py prints the same figures per format, field kind and variation.
"""

from __future__ import annotations

import shutil

import pytest
from otherlayouts import OTHER, field_kind, files, golds, report, score_other

FLOOR = 0.995  # reads 100.00% (1834/1834 fields) when this was written


@pytest.fixture(scope="module")
def result():
    if shutil.which("soffice") is None:
        pytest.skip("needs LibreOffice (.doc and .xls files)")
    return score_other()


def test_there_are_the_files() -> None:
    assert len(files()) == 28
    assert sum(len(golds(p)) for p in files()) == 39


def test_books_other_people_laid_out_read_back_as_their_golds(
    result, capsys: pytest.CaptureFixture[str]
) -> None:
    with capsys.disabled():
        print("\n" + report(result, wrong=True, variations=False))
    assert not [f.name for f in result.files if f.error], "every file is read"
    assert result.overall.rate >= FLOOR
    for fmt, tally in result.by_format.items():
        assert tally.rate >= 0.98, fmt


@pytest.mark.parametrize("name", [p.name for p in files(OTHER)])
def test_every_file_reads_as_the_books_it_holds(result, name: str) -> None:
    (f,) = [f for f in result.files if f.name == name]
    assert f.books_got == f.books_want, f"{name}: {f.books_got} books read, {f.books_want} in the file"


def test_field_kinds() -> None:
    assert [
        field_kind(p)
        for p in (
            "year",
            "subject.name",
            "annual.evaluation.satisfied",
            "periods.Q1.review.sign.name",
            "commitment.self_sign.date",
            "periods.H2.fulfilment.text",
            "annual.grade",
        )
    ] == ["year", "header", "count", "name", "date", "text", "grade"]
