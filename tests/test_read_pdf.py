"""The text-layer PDF reader: cells from ruling lines, tables over pages, hostile PDFs, accuracy, speed."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from gold import field_accuracy, load_gold

from cxzy_docs.errors import ReadError
from cxzy_docs.read import label_hints
from cxzy_docs.read.pdf import _broken_text_layer, read_pdf
from cxzy_docs.textnorm import label_key, strip_spaces

DATA = Path(__file__).resolve().parent / "data"
DEV = DATA / "forms-dev"
MADE = DATA / "made-readers"
MANIFEST = json.loads((MADE / "manifest.json").read_text(encoding="utf-8"))
PDFS = [(DEV / "dev-2010-m02.pdf", DEV / "dev-2010-m02.pdf.gold.json")] + [
    (MADE / name, DEV / gold) for name, gold in sorted(MANIFEST.items()) if name.endswith(".pdf")
]


@pytest.mark.parametrize(("pdf", "gold"), PDFS, ids=[p.name for p, _ in PDFS])
def test_pdf_books_read_back_as_their_gold(pdf: Path, gold: Path) -> None:
    from cxzy_docs.read import parse_file

    (record,) = parse_file(pdf)
    right, total, wrong = field_accuracy(record, load_gold(gold))
    assert right / total >= 0.99, wrong


@pytest.mark.parametrize(
    ("pdf", "docx"),
    [
        (DEV / "dev-2010-m02.pdf", DEV / "dev-2010-m02.docx"),
        (MADE / "lo-m01.pdf", DEV / "dev-2010-m01.docx"),
        (MADE / "lo-o02.pdf", DEV / "dev-2010-o02.docx"),
    ],
)
def test_libreoffice_pdf_gives_the_same_cells_as_its_docx(pdf: Path, docx: Path) -> None:
    from cxzy_docs.read.docx import read_docx

    def shape(grid: object) -> list[tuple]:
        return sorted((c.table, c.row, c.col, c.rowspan, c.colspan, label_key(c.text)) for c in grid.cells)

    assert shape(read_pdf(pdf, hints=label_hints())) == shape(read_docx(docx))


def test_a_cell_broken_over_pages_is_joined_in_order() -> None:
    grid = read_pdf(DEV / "dev-2010-m02.pdf", hints=label_hints())
    assert grid.tables() == [0]  # one table over pages 3-6
    review = next(c for c in grid.cells if c.text.startswith("领导点评") and "该同志一季度" in c.text)
    # the first part is on page 3, the rest at the top of page 4
    assert review.page == 3 and "续第4页" in review.where
    flat = strip_spaces(review.text)
    assert flat.index("门诊工作量在全院排在前列") < flat.index("希望下季度义诊时带上宣传材料")
    # the vertical section label broken with it is one cell again
    label = grid.cell_at(0, review.row, 0)
    assert (
        label is not None
        and label_key(label.text) == "履诺践诺写实"
        and label.row <= review.row <= label.last_row
    )
    # the row after it starts right below: no gap, no duplicated row
    below = grid.cell_at(0, review.row + 1, 1)
    assert below is not None and below.text.startswith("党支部书记（签字）") and below.page == 4


def test_text_outside_tables_becomes_lines_in_reading_order() -> None:
    grid = read_pdf(DEV / "dev-2010-m02.pdf", hints=label_hints())
    texts = [ln.text for ln in grid.lines]
    assert "（ 2010 年度）" in texts
    year = grid.lines[texts.index("（ 2010 年度）")]
    assert year.page == 1 and year.after_table is None and year.where.startswith("第1页")
    assert any(strip_spaces(t) == "党员姓名：陶建民" for t in texts)
    assert [ln.index for ln in grid.lines] == list(range(len(grid.lines)))


def test_soft_wrapped_lines_are_joined_and_real_breaks_kept() -> None:
    grid = read_pdf(DEV / "dev-2010-m02.pdf", hints=label_hints())
    sign = next(c for c in grid.cells if c.text.startswith("党支部书记（签字）：高") and c.colspan == 3)
    # "高" ends a full line of the narrow cell and "志斌" wraps to the next: one name again
    assert sign.text.split("\n")[0] == "党支部书记（签字）：高志斌"
    assert sign.text.split("\n")[1] == "二〇一〇年一月十七日"
    own = next(c for c in grid.cells if c.text.startswith("党员本人（签字）：陶建民") and c.colspan == 4)
    assert own.text == "党员本人（签字）：陶建民\n2010.1.9"


def test_encrypted_pdf_is_refused_naming_the_file() -> None:
    path = MADE / "encrypted.pdf"
    with pytest.raises(ReadError) as err:
        read_pdf(path)
    assert "已加密" in err.value.message and str(path) in err.value.message


def _many_pages_pdf(path: Path, pages: int) -> None:
    """A valid PDF of ``pages`` empty pages, written directly (a few ms even for 10,000 pages)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (i + 3) for i in range(pages))
        + b"] /Count %d >>" % pages,
    ]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))


def test_ten_thousand_pages_are_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    _many_pages_pdf(path, 10_000)
    start = time.perf_counter()
    with pytest.raises(ReadError) as err:
        read_pdf(path)
    assert time.perf_counter() - start < 10
    assert "10000 页" in err.value.message and "pdf_max_pages" in err.value.message


def test_page_limit_comes_from_the_settings(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="超过上限 2 页"):
        read_pdf(DEV / "dev-2010-m02.pdf", settings={"pdf_max_pages": 2})
    path = tmp_path / "three.pdf"
    _many_pages_pdf(path, 3)
    grid = read_pdf(path, settings={"pdf_max_pages": 3})
    assert grid.cells == [] and grid.lines == [] and grid.ocr_pages == []  # blank pages: nothing, no OCR


def test_image_only_page_is_listed_for_ocr() -> None:
    grid = read_pdf(MADE / "scanned.pdf")
    assert grid.ocr_pages == [1]
    assert grid.cells == [] and any("OCR" in w and "第1页" in w for w in grid.warnings)


def test_broken_glyphs_mark_a_page_for_ocr() -> None:
    def ch(text: str) -> dict:
        return {"text": text}

    assert _broken_text_layer([ch("(cid:1234)")] * 8 + [ch("党")] * 2, images=0)
    assert _broken_text_layer([ch("\ufffd")] * 5, images=0)
    assert _broken_text_layer([ch(" ")], images=1)  # no text, an image: a scan
    assert not _broken_text_layer([ch("党")] * 50 + [ch("(cid:3)")], images=0)
    assert not _broken_text_layer([], images=0)  # a blank page


def test_truncated_pdf_is_a_read_error(tmp_path: Path) -> None:
    data = (DEV / "dev-2010-m02.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReadError, match="损坏或不完整"):
        read_pdf(path)


def _two_page_table(path: Path) -> None:
    """A ruled table broken over two pages, with a running head and page numbers in the margins."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from cxzy_docs.resources import cjk_font

    font_path, index = cjk_font()
    pdfmetrics.registerFont(TTFont("CJK", font_path, subfontIndex=index))
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    h = 842

    def rule(x0: float, top: float, x1: float, bottom: float) -> None:
        c.rect(x0, h - bottom, x1 - x0, bottom - top)

    def text(x: float, top: float, s: str) -> None:
        c.setFont("CJK", 12)
        c.drawString(x, h - top - 10, s)

    text(72, 60, "测试用表格")  # a title in the body, above the table
    rule(72, 100, 200, 130)
    rule(200, 100, 522, 130)
    text(78, 108, "姓名")
    text(206, 108, "张三")
    rule(72, 130, 522, 770)  # a box broken by the page end
    text(78, 140, "这是一段很长的文字，在第一页写到")
    text(78, 740, "页面底部为止")
    text(290, 800, "- 1 -")
    c.showPage()
    text(250, 30, "写实簿（续）")  # running head in the top margin
    rule(72, 72, 522, 120)
    text(78, 80, "然后在第二页接着写完。")
    rule(72, 120, 522, 160)
    text(78, 130, "党员本人（签字）：张三")
    text(290, 800, "- 2 -")
    c.showPage()
    c.save()


def test_generic_table_goes_on_over_pages_past_running_heads_and_page_numbers(tmp_path: Path) -> None:
    path = tmp_path / "two.pdf"
    _two_page_table(path)
    grid = read_pdf(path, hints=label_hints())
    assert grid.tables() == [0]
    box = grid.cell_at(0, 1, 0)
    assert box.text == "这是一段很长的文字，在第一页写到\n页面底部为止\n然后在第二页接着写完。"
    assert (box.row, box.rowspan, box.colspan, box.page) == (1, 1, 2, 1)
    sign = grid.cell_at(0, 2, 0)
    assert sign.text == "党员本人（签字）：张三" and sign.page == 2
    assert [ln.text for ln in grid.lines] == ["测试用表格", "写实簿（续）"]
    assert [ln.after_table for ln in grid.lines] == [None, 0]
