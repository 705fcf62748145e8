"""Books from a producer and layout of their own: re-typed as HTML, saved by LibreOffice as DOCX and PDF.

Built by ``tests/data/made-html/make_html.py``: a 6-column table, header values inside the label's
cell (``姓名:陈丽华``), label variants (出生日期, 学历, 所在支部), the 好/较好/一般/差 scale, signature
name and date in separate cells, commitment signatures in a table nested in a cell.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cxzy_docs.forms import form_for, leaves
from cxzy_docs.model import get_field
from cxzy_docs.read import parse_file
from cxzy_docs.read.docx import read_docx
from cxzy_docs.textnorm import fold_width

MADE = Path(__file__).resolve().parent / "data" / "made-html"
FILES = sorted(p for p in MADE.iterdir() if p.suffix in (".docx", ".pdf"))


def squash(value: object) -> object:
    return re.sub(r"\s+", "", fold_width(value)) if isinstance(value, str) else value


def test_there_are_files() -> None:
    assert len(FILES) == 4


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_other_producer_reads_back_its_gold(path: Path) -> None:
    gold = json.loads((MADE / (path.stem + ".gold.json")).read_text(encoding="utf-8"))
    (rec,) = parse_file(path)
    assert rec["year"] == gold["year"] and rec["kind"] == gold["kind"]
    paths = [leaf.path for leaf in leaves(form_for(gold["kind"])) if leaf.path != "annual.grade"]
    wrong = [p for p in paths if squash(get_field(rec, p)) != squash(get_field(gold, p))]
    right = len(paths) - len(wrong)
    print(f"{path.name}: {right}/{len(paths)}")
    assert right / len(paths) >= 0.99, wrong


def test_nested_table_cells_know_their_parent_cell() -> None:
    grid = read_docx(MADE / "html-m1.docx")
    nested = [c for c in grid.cells if c.parent is not None]
    assert nested, "the commitment signatures sit in a table nested in a cell"
    parent_table, parent_row, parent_col = nested[0].parent  # type: ignore[misc]
    holder = grid.cell_at(parent_table, parent_row, parent_col)
    assert holder is not None and holder.table != nested[0].table
    assert any("签字" in c.text for c in nested)
