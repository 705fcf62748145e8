"""The layout comparison behind the rendering goldens: it passes reflow, and it catches real changes."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from pagelayout import Tolerance, compare_layout, load_layout, pdf_layout
from regen_golden import DOCX_CASES, layout_golden

from cxzy_docs.model import set_field
from cxzy_docs.render.pdf import render_pdf_one


def _table_pdf(path: Path, rows: int, *, font_size: float, repeat_header: bool) -> Path:
    """A PDF with a paragraph and one table long enough to run over a page break."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    style = getSampleStyleSheet()["Normal"]
    style.fontSize = font_size
    data = [["Period", "Due", "Done", "Share"]] + [
        [f"P{i}", str(i), str(i - 1), f"{i}%"] for i in range(rows)
    ]
    table = Table(data, colWidths=[120, 80, 80, 80], repeatRows=1 if repeat_header else 0)
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("FONTSIZE", (0, 0), (-1, -1), font_size)])
    )
    SimpleDocTemplate(str(path), pagesize=A4).build([Paragraph("Coverage of reviews " * 20, style), table])
    return path


def test_a_table_over_a_page_break_counts_once_without_its_repeated_header(tmp_path: Path) -> None:
    layout = pdf_layout(_table_pdf(tmp_path / "t.pdf", 70, font_size=10, repeat_header=True))
    assert layout["pages"] == 2
    [table] = layout["tables"]
    assert (table["rows"], table["cols"], table["breaks"]) == (71, 4, 1)
    assert layout["text"].count("PeriodDueDoneShare") == 1  # the repeated header row is left out


def test_reflow_onto_another_page_passes_and_lost_rows_fail(tmp_path: Path) -> None:
    golden = pdf_layout(_table_pdf(tmp_path / "a.pdf", 60, font_size=10, repeat_header=True))
    reflowed = pdf_layout(_table_pdf(tmp_path / "b.pdf", 60, font_size=10.4, repeat_header=True))
    assert [t["first_page"] for t in golden["tables"]] == [1]
    assert compare_layout(golden, reflowed) == []
    one_less = pdf_layout(_table_pdf(tmp_path / "c.pdf", 59, font_size=10, repeat_header=True))
    assert any("text differs" in p for p in compare_layout(golden, one_less))
    three_less = pdf_layout(_table_pdf(tmp_path / "d.pdf", 57, font_size=10, repeat_header=True))
    assert any("58 rows instead of 61" in p for p in compare_layout(golden, three_less))


def test_a_changed_value_moved_words_and_missing_pieces_are_reported(tmp_path: Path) -> None:
    record = DOCX_CASES["member-filled"]()
    golden = load_layout(layout_golden("member-pdf"))
    changed = copy.deepcopy(record)
    set_field(changed, "periods.Q2.review.sign.name", "王建国")
    (tmp_path / "changed.pdf").write_bytes(render_pdf_one(changed))
    problems = compare_layout(golden, pdf_layout(tmp_path / "changed.pdf", words=True))
    assert any(p.startswith("text differs") and "王建国" in p for p in problems)

    moved = copy.deepcopy(golden)
    moved["words"][10][2] += 3.0
    assert any("words moved" in p for p in compare_layout(golden, moved))
    assert compare_layout(golden, moved, Tolerance(word_pt=5.0)) == []

    fewer = copy.deepcopy(golden)
    fewer["tables"].pop()
    fewer["pages"] += 2
    problems = compare_layout(golden, fewer)
    assert "0 tables instead of 1" in problems and any("pages instead of" in p for p in problems)


@pytest.mark.parametrize("footer", ["- 3 -", "3 / 8", "3"])
def test_page_number_footers_are_not_text(tmp_path: Path, footer: str) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "f.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(595, 842))
    pdf.drawString(72, 100, "Body text")
    pdf.drawString(280, 30, footer)
    pdf.showPage()
    pdf.save()
    assert pdf_layout(path)["text"] == "Bodytext"
