"""The XLSX record book: every label of forms.py, every value of a record, merges, print set-up, no formulas."""

from __future__ import annotations

import copy
import io
import itertools
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from golden_tools import compare_to_golden
from lxml import etree
from pagelayout import check_against_golden
from regen_golden import GOLDEN, XLSX_CASES, layout_golden, xlsx_case, xlsx_through_libreoffice

from cxzy_docs.forms import Evaluation, GradeRow, Signature, SignRow, TextBox, form_for
from cxzy_docs.model import empty_record, iter_values, load_records, set_field
from cxzy_docs.render.xlsx import render_xlsx
from cxzy_docs.textnorm import label_key, read_date
from cxzy_docs.xlsxsafe import MAX_CELL_CHARS, cell_text, csv_text, looks_like_formula, put_text

HERE = Path(__file__).resolve().parent
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _gold(forms_dev: Path, name: str) -> dict:
    rec = json.loads((forms_dev / f"{name}.gold.json").read_text(encoding="utf-8"))
    rec.pop("_meta", None)
    return rec


def _open(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def _strings(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def _labels(form, record) -> list[str]:
    """Every label the printed form carries, derived from forms.py."""
    out = [form.title, *(f.label for f in form.cover_fields), *(f.label for f in form.header_fields())]
    for section in form.sections:
        out.append(section.label)
        for block in section.blocks:
            if isinstance(block, TextBox):
                out.append(block.label)
            elif isinstance(block, SignRow):
                out += [s.label for s in block.signs]
            elif isinstance(block, Evaluation):
                out += [block.label, block.first, *(c.label for c in block.columns)]
            elif isinstance(block, GradeRow) and record["annual"].get("grade"):
                out.append(block.label)
    return out


@pytest.fixture
def member(forms_dev: Path) -> dict:
    return _gold(forms_dev, "dev-2010-m01.docx")


@pytest.fixture
def organization(forms_dev: Path) -> dict:
    return _gold(forms_dev, "dev-2010-o01.docx")


@pytest.mark.parametrize("which", ["member", "organization"])
def test_every_label_of_the_form_is_on_the_sheet(which: str, request) -> None:
    record = request.getfixturevalue(which)
    form = form_for(record["kind"])
    keys = {label_key(s) for s in _strings(_open(render_xlsx(record)))}
    missing = [label for label in _labels(form, record) if label_key(label) not in keys]
    assert not missing


@pytest.mark.parametrize("which", ["member", "organization"])
def test_every_filled_value_is_on_the_sheet(which: str, request) -> None:
    record = request.getfixturevalue(which)
    ws = _open(render_xlsx(record))
    strings = _strings(ws)
    numbers = [c.value for row in ws.iter_rows() for c in row if c.data_type == "n" and c.value is not None]
    dates = {read_date(s).iso for s in strings}
    assert f"（{record['year']}年度）" in strings
    checked = 0
    for path, value in iter_values(record):
        if value is None:
            continue
        checked += 1
        leaf = path.rsplit(".", 1)[-1]
        if isinstance(value, int):
            assert value in numbers, path
        elif leaf in ("date", "birth", "joined"):
            assert value in dates, path  # written as Chinese text, read back to the same ISO date
        else:
            assert value in strings, path
    assert checked >= 20


def test_counts_are_numbers_and_dates_are_text(member: dict) -> None:
    ws = _open(render_xlsx(member))
    votes = [c for row in ws.iter_rows() for c in row if c.value == 19]
    assert votes and all(c.data_type == "n" for c in votes)
    dated = [c for row in ws.iter_rows() for c in row if c.value == "2010年1月31日"]
    assert dated and all(c.data_type == "s" for c in dated)


def test_merged_cells_for_section_labels_and_every_text_box(member: dict) -> None:
    ws = _open(render_xlsx(member))
    form = form_for("member")
    merged = {str(r): r for r in ws.merged_cells.ranges}
    section_cells = [c for c in ws["A"] if isinstance(c.value, str) and "\n" in c.value]
    assert [label_key(c.value) for c in section_cells] == [label_key(s.label) for s in form.sections]
    for cell in section_cells:
        rng = next(r for r in merged.values() if r.min_row == cell.row and r.min_col == 1)
        assert rng.max_col == 1 and rng.max_row > rng.min_row + 2
    texts = [v for _, v in iter_values(member) if isinstance(v, str) and len(v) > 40]
    for text in texts:
        cell = next(c for row in ws.iter_rows() for c in row if c.value == text)
        rng = next(r for r in merged.values() if r.min_row == cell.row and r.min_col == cell.column)
        assert (rng.min_col, rng.max_col) == (2, 8)
        assert cell.alignment.wrap_text
    # Sections tile the table: every row below the header belongs to exactly one section label.
    spans = sorted((r.min_row, r.max_row) for r in merged.values() if r.min_col == r.max_col == 1)
    assert all(a[1] + 1 == b[0] for a, b in itertools.pairwise(spans))
    assert spans[-1][1] == ws.max_row


def test_fonts_borders_and_row_heights(member: dict) -> None:
    long = copy.deepcopy(member)
    set_field(long, "periods.Q2.review.text", "点评内容很长。" * 400)
    ws = _open(render_xlsx(long))
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert {c.font.name for c in cells} == {"宋体"}
    boxed = next(c for c in cells if c.value == "姓    名")
    assert boxed.border.left.style == "thin" and boxed.border.bottom.style == "thin"
    heights = {r: d.height for r, d in ws.row_dimensions.items() if d.height}
    assert all(h <= 409 for h in heights.values())  # Excel's limit
    text_cell = next(c for c in cells if c.value == long["periods"][1]["review"]["text"])
    rng = next(r for r in ws.merged_cells.ranges if r.min_row == text_cell.row and r.min_col == 2)
    total = sum(heights[r] for r in range(rng.min_row, rng.max_row + 1))
    assert rng.max_row > rng.min_row  # spread over several rows
    assert total >= 2800 / 35 * 15  # ~35 characters a line, at least 15 pt a line
    short = next(c for c in cells if c.value == member["periods"][0]["fulfilment"]["text"])
    assert 30 <= heights[short.row] < 150


def test_page_setup_a4_portrait_fit_to_one_page_wide(member: dict) -> None:
    ws = _open(render_xlsx(member))
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_area in (f"'{ws.title}'!$A$1:$H${ws.max_row}", f"{ws.title}!$A$1:$H${ws.max_row}")
    assert ws.print_title_rows is None and ws.print_title_cols is None


def test_document_properties(member: dict) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(member)))
    assert wb.properties.keywords == "cxzy.record/1 member 2010"
    assert "宋丽娜" in wb.properties.title and wb.properties.subject == "党员创先争优活动写实簿"
    assert len(wb.worksheets) == 1


def test_formula_like_texts_stay_text(member: dict) -> None:
    hostile = copy.deepcopy(member)
    set_field(hostile, "periods.Q1.review.text", "=1+1")
    set_field(hostile, "periods.Q2.review.text", "@SUM(A1)")
    set_field(hostile, "subject.position", "+cmd|' /C calc'!A0")
    set_field(hostile, "subject.name", "-2+3")
    set_field(hostile, "annual.summary", "#N/A")
    data = render_xlsx(hostile)
    ws = _open(data)
    for text in ("=1+1", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3", "#N/A"):
        cells = [c for row in ws.iter_rows() for c in row if c.value == text]
        assert cells, text
        assert all(c.data_type == "s" for c in cells), text
    assert any(c.quotePrefix for row in ws.iter_rows() for c in row if c.value == "=1+1")
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    root = etree.fromstring(sheet_xml)
    assert not root.findall(f".//{{{_MAIN_NS}}}f")
    assert {c.get("t") for c in root.iter(f"{{{_MAIN_NS}}}c") if c.find(f"{{{_MAIN_NS}}}is") is not None} == {
        "inlineStr"
    }


def test_xlsxsafe_helpers() -> None:
    assert cell_text("a\x00b\x1fc\r\nd") == "abc\nd"
    assert len(cell_text("字" * (MAX_CELL_CHARS + 10))) == MAX_CELL_CHARS
    assert looks_like_formula("=A1") and looks_like_formula("\tx") and looks_like_formula("＝A1")
    assert not looks_like_formula("2010年3月28日")
    assert csv_text("=HYPERLINK(1)") == "'=HYPERLINK(1)" and csv_text("张伟") == "张伟"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    from openpyxl.cell import WriteOnlyCell

    ws.append([put_text(WriteOnlyCell(ws), "=1+1"), put_text(WriteOnlyCell(ws), None)])
    buf = io.BytesIO()
    wb.save(buf)
    xml = zipfile.ZipFile(buf).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml and b"=1+1" in xml


def test_blank_book_has_room_and_blank_dates() -> None:
    record = empty_record("member", 2025)
    ws = _open(render_xlsx(record))
    strings = _strings(ws)
    assert "（2025年度）" in strings
    signatures = [s for _, b in form_for("member").blocks() if isinstance(b, SignRow) for s in b.signs]
    assert all(isinstance(s, Signature) for s in signatures)
    blanks = [s for s in strings if s.replace(" ", "") == "年月日"]
    assert len(blanks) == len(signatures)
    assert all(read_date(s).iso is None for s in blanks)
    assert "评议结果" not in strings  # only when the record has a grade
    graded = empty_record("organization", None)
    set_field(graded, "annual.grade", "优秀")
    strings = _strings(_open(render_xlsx(graded)))
    assert "评议结果" in strings and "优秀" in strings and "（        年度）" in strings


def test_samples_render(samples: Path) -> None:
    for record in load_records(samples / "records.json"):
        ws = _open(render_xlsx(record))
        assert record["subject"]["name"] in _strings(ws)


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(_soffice() is None, reason="需要 LibreOffice")
def test_printed_pages_lay_out_like_the_golden(tmp_path: Path) -> None:
    """The filled book as LibreOffice prints it: the form's words, then text, pages and tables as reviewed."""
    pdf = xlsx_through_libreoffice(tmp_path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for word in ("党员创先争优活动写实簿", "宋丽娜", "2010年1月31日", "第一季度承诺兑现情况"):
        assert word in text
    check_against_golden(pdf, layout_golden("member-xlsx"))


@pytest.mark.parametrize("case", sorted(XLSX_CASES))
def test_golden_parts(case: str) -> None:
    """Every part of the workbook, normalised, as last reviewed (``make golden`` after an intended change)."""
    problems = compare_to_golden(xlsx_case(case), GOLDEN / "xlsx" / case)
    assert not problems, "\n".join(problems) + "\n(intended? run: make golden)"
