"""The DOCX renderer: the government layout from forms.py, values in place, fonts, golden parts."""

from __future__ import annotations

import copy
import io
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from golden_tools import compare_to_golden, libreoffice_pdf, zip_parts
from lxml import etree
from pagelayout import check_against_golden
from regen_golden import DOCX_CASES, FIXED_TIME, GOLDEN, docx_case, gold_record, layout_golden

from cxzy_docs.errors import RenderError
from cxzy_docs.forms import (
    GRID_COLUMNS,
    Evaluation,
    FormSpec,
    GradeRow,
    SignRow,
    TextBox,
    form_for,
)
from cxzy_docs.model import empty_record, get_field, iter_values
from cxzy_docs.ooxml.ns import qn
from cxzy_docs.render.docx import (
    BLANK_SIGN_DATE,
    PAGE,
    DocxRenderer,
    header_date_text,
    render_docx,
    sign_date_text,
)
from cxzy_docs.textnorm import label_key

W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


# ------------------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def renderer() -> DocxRenderer:
    return DocxRenderer(created=FIXED_TIME)


def member_gold() -> dict[str, Any]:
    return gold_record("dev-2010-m01.docx")


def org_gold() -> dict[str, Any]:
    return gold_record("dev-2010-o01.docx")


def document_root(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return etree.fromstring(zf.read("word/document.xml"))


def para_text(p: etree._Element) -> str:
    return "".join(
        "\t" if el.tag == qn("w:tab") else (el.text or "") for el in p.iter(qn("w:t"), qn("w:tab"))
    )


def paragraphs(el: etree._Element) -> list[str]:
    return [para_text(p) for p in el.iter(qn("w:p"))]


def the_table(root: etree._Element) -> etree._Element:
    tables = root.findall(".//w:tbl", W)
    assert len(tables) == 1
    return tables[0]


def grid_rows(tbl: etree._Element) -> list[list[dict[str, Any]]]:
    """Each row as cells: grid column, span, vMerge ('restart', 'continue' or None), paragraphs."""
    rows = []
    for tr in tbl.findall("w:tr", W):
        col, cells = 0, []
        for tc in tr.findall("w:tc", W):
            span_el = tc.find("w:tcPr/w:gridSpan", W)
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            vm = tc.find("w:tcPr/w:vMerge", W)
            vmerge = None if vm is None else (vm.get(qn("w:val")) or "continue")
            width = tc.find("w:tcPr/w:tcW", W)
            cells.append(
                {
                    "col": col,
                    "span": span,
                    "vmerge": vmerge,
                    "paras": paragraphs(tc),
                    "width": None if width is None else int(width.get(qn("w:w"))),
                }
            )
            col += span
        rows.append(cells)
    return rows


def expected_section_rows(form: FormSpec, graded: bool) -> list[int]:
    """How many table rows each section takes, from the form definition."""
    counts = []
    for sec in form.sections:
        n = 0
        for block in sec.blocks:
            if isinstance(block, TextBox):
                n += 1 if block.label_in_cell else 2
            elif isinstance(block, SignRow):
                n += 1
            elif isinstance(block, Evaluation):
                n += 3
            elif isinstance(block, GradeRow):
                n += 1 if graded else 0
        counts.append(n)
    return counts


def form_labels(form: FormSpec, graded: bool) -> list[str]:
    """Every printed label of a form (section labels are checked separately, they are vertical)."""
    labels = [form.title, form.issuer, form.notes_title, *form.notes]
    labels += [f.label for f in form.cover_fields] + [f.label for f in form.header_fields()]
    for _sec, block in form.blocks():
        if isinstance(block, TextBox):
            labels.append(block.label)
        elif isinstance(block, SignRow):
            labels += [s.label for s in block.signs]
        elif isinstance(block, Evaluation):
            labels += [block.label, block.first, *(c.label for c in block.columns)]
        elif isinstance(block, GradeRow) and graded:
            labels.append(block.label)
    return labels


# ------------------------------------------------------------------------------ the structure


@pytest.mark.parametrize("kind", ["member", "organization"])
def test_blank_book_is_one_table_on_an_8_column_grid(renderer: DocxRenderer, kind: str) -> None:
    data = renderer.render(empty_record(kind, 2025))
    document = docx.Document(io.BytesIO(data))
    assert len(document.tables) == 1
    assert len(document.tables[0].columns) == GRID_COLUMNS

    tbl = the_table(document_root(data))
    grid = [int(c.get(qn("w:w"))) for c in tbl.findall("w:tblGrid/w:gridCol", W)]
    assert len(grid) == GRID_COLUMNS
    assert sum(grid) == PAGE.text_width  # the table fills the text width of the page
    assert tbl.find("w:tblPr/w:tblLayout", W).get(qn("w:type")) == "fixed"
    for row in grid_rows(tbl):
        assert sum(c["span"] for c in row) == GRID_COLUMNS
        for cell in row:  # tcW on every cell, equal to the grid columns it spans
            assert cell["width"] == sum(grid[cell["col"] : cell["col"] + cell["span"]])
    for tr in tbl.findall("w:tr", W):
        for h in tr.findall("w:trPr/w:trHeight", W):
            assert h.get(qn("w:hRule")) == "atLeast"


@pytest.mark.parametrize(("kind", "graded"), [("member", False), ("organization", False), ("member", True)])
def test_sections_are_vertical_labels_merged_down_column_0(
    renderer: DocxRenderer, kind: str, graded: bool
) -> None:
    form = form_for(kind)
    record = empty_record(kind, 2025)
    if graded:
        record["annual"]["grade"] = "优秀"
    rows = grid_rows(the_table(document_root(renderer.render(record))))
    header, body = rows[: len(form.header)], rows[len(form.header) :]
    for row, fields in zip(header, form.header, strict=True):
        assert [c["span"] for c in row] == [s for f in fields for s in (f.label_span, f.value_span)]
        assert row[0]["vmerge"] is None

    starts = [i for i, row in enumerate(body) if row[0]["vmerge"] == "restart"]
    lengths = [b - a for a, b in zip(starts, [*starts[1:], len(body)], strict=True)]
    assert starts[0] == 0
    assert lengths == expected_section_rows(form, graded)
    for start, sec in zip(starts, form.sections, strict=True):
        # one character per paragraph, as on the government form
        assert body[start][0]["paras"] == list(sec.label.replace(" ", ""))
        assert body[start][0]["span"] == 1
    for row in body:
        assert row[0]["col"] == 0 and row[0]["span"] == 1
        assert row[0]["vmerge"] in ("restart", "continue")
        assert sum(c["span"] for c in row[1:]) == GRID_COLUMNS - 1


@pytest.mark.parametrize("kind", ["member", "organization"])
def test_every_label_of_the_form_is_printed(renderer: DocxRenderer, kind: str) -> None:
    form = form_for(kind)
    record = empty_record(kind)
    record["annual"]["grade"] = None
    root = document_root(renderer.render(record))
    texts = paragraphs(root)
    joined = "\n".join(texts)
    for label in form_labels(form, graded=False):
        assert label in joined, label
    assert "评议结果" not in joined  # no grade in the record: no 评议结果 row
    # header labels fill their own cells exactly
    cell_texts = {"\n".join(c["paras"]) for row in grid_rows(the_table(root)) for c in row}
    for field in form.header_fields():
        assert field.label in cell_texts


def test_blank_boxes_leave_room_to_write_by_hand(renderer: DocxRenderer) -> None:
    form = form_for("member")
    rows = grid_rows(the_table(document_root(renderer.render(empty_record("member")))))
    by_first_para = {c["paras"][0]: c for row in rows for c in row[1:]}
    for _sec, block in form.blocks():
        if isinstance(block, TextBox) and block.label_in_cell:
            cell = by_first_para[block.label]
            assert cell["paras"][1:] == [""] * block.min_lines
    commitment = form.sections[0].blocks[0]
    assert isinstance(commitment, TextBox) and not commitment.label_in_cell
    label_row = next(i for i, row in enumerate(rows) if row[1]["paras"] == [commitment.label])
    assert rows[label_row + 1][1]["paras"] == [""] * commitment.min_lines
    # a blank signature: label, a blank line, the 年 月 日 blanks
    sign_cells = [c for row in rows for c in row[1:] if c["paras"][0].endswith("（签字）：")]
    assert sign_cells and all(c["paras"] == [c["paras"][0], "", BLANK_SIGN_DATE] for c in sign_cells)


def test_cover_of_a_blank_book_without_year() -> None:
    texts = paragraphs(document_root(render_docx(empty_record("organization"))))
    assert "（        年度）" in texts
    assert texts[0] == "党组织创先争优写实簿"
    assert "黑龙江省创先争优活动领导小组办公室 制" in texts


def test_cover_of_a_book_prefilled_from_a_roster(renderer: DocxRenderer) -> None:
    record = empty_record("member", 2025)
    record["subject"].update(name="宋丽娜", organization="靖宇镇卫生院党支部")
    texts = paragraphs(document_root(renderer.render(record)))
    assert "（2025年度）" in texts
    assert "党  员  姓  名：宋丽娜" in texts
    assert "所在党组织名称：靖宇镇卫生院党支部" in texts


# --------------------------------------------------------------------------- fonts and page


def test_east_asian_font_on_styles_and_every_run(renderer: DocxRenderer) -> None:
    data = renderer.render(member_gold())
    parts = zip_parts(data)
    styles = etree.fromstring(parts["word/styles.xml"])
    default = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", W)
    east_asia = default.get(qn("w:eastAsia"))
    assert east_asia == "宋体"
    normal = styles.find("w:style[@w:styleId='Normal']/w:rPr/w:rFonts", W)
    assert normal.get(qn("w:eastAsia")) == east_asia
    runs = document_root(data).findall(".//w:r", W)
    assert len(runs) > 100
    for r in runs:
        fonts = r.find("w:rPr/w:rFonts", W)
        assert fonts is not None
        assert fonts.get(qn("w:eastAsia")) == east_asia
        assert fonts.get(qn("w:ascii")) and fonts.get(qn("w:hAnsi"))
    font_table = etree.fromstring(parts["word/fontTable.xml"])
    declared = {f.get(qn("w:name")): f for f in font_table.findall("w:font", W)}
    assert east_asia in declared and "仿宋" in declared
    assert declared[east_asia].find("w:altName", W).get(qn("w:val")) == "SimSun"
    assert len(parts["word/styles.xml"]) < 20_000  # slim, not python-docx's 800 KB default


def test_pages_are_a4_portrait(renderer: DocxRenderer) -> None:
    data = renderer.render(member_gold())
    sections = document_root(data).findall(".//w:sectPr", W)
    assert len(sections) == 2  # cover + 说明, then the table on a page of its own
    for sect in sections:
        size = sect.find("w:pgSz", W)
        assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")
    section = docx.Document(io.BytesIO(data)).sections[-1]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


# ------------------------------------------------------------------------------ filled values


def _check_values_present(record: dict[str, Any], data: bytes) -> None:
    form = form_for(record["kind"])
    root = document_root(data)
    texts = paragraphs(root)
    joined = "\n".join(texts)
    cells = [c for row in grid_rows(the_table(root)) for c in row]
    for path, value in iter_values(record):
        if value is None:
            continue
        if isinstance(value, int):
            assert any(c["paras"] == [str(value)] for c in cells), path
        elif path.endswith(".date"):
            assert sign_date_text(value) in texts, path
        elif path.startswith("subject.") and path.split(".")[1] in ("birth", "joined"):
            assert any(c["paras"] == [header_date_text(value)] for c in cells), path
        else:
            for line in value.split("\n"):
                assert line in texts or line in joined, path
    for _sec, block in form.blocks():
        if isinstance(block, SignRow):
            for sign in block.signs:
                name = get_field(record, f"{sign.path}.name")
                date = get_field(record, f"{sign.path}.date")
                cell = next(
                    c
                    for c in cells
                    if c["paras"][0] == sign.label + (name or "") and c["paras"][2] == sign_date_text(date)
                )
                assert cell["paras"][1] == ""


def test_filled_member_book_holds_every_value(renderer: DocxRenderer) -> None:
    record = member_gold()
    data = renderer.render(record)
    _check_values_present(record, data)
    texts = paragraphs(document_root(data))
    assert "2010年3月24日" in texts and "2011年1月9日" in texts
    assert texts.count(BLANK_SIGN_DATE) == 1  # the Q3 fulfilment date was left blank
    cells = {"\n".join(c["paras"]) for row in grid_rows(the_table(document_root(data))) for c in row}
    assert {"1975.09", "2003.07", "宋丽娜", "护士长", "19", "0"} <= cells
    # a period's label opens its cell, the text follows in the same cell
    assert ("第一季度承诺兑现情况\n" + record["periods"][0]["fulfilment"]["text"]) in cells


def test_filled_organization_book_holds_every_value(renderer: DocxRenderer) -> None:
    record = org_gold()
    _check_values_present(record, renderer.render(record))


def test_grade_row_only_when_the_record_has_a_grade(renderer: DocxRenderer) -> None:
    record = member_gold()
    record["annual"]["grade"] = "优秀"
    rows = grid_rows(the_table(document_root(renderer.render(record))))
    grade_rows = [r for r in rows if len(r) > 1 and r[1]["paras"] == ["评议结果"]]
    assert len(grade_rows) == 1 and grade_rows[0][2]["paras"] == ["优秀"]
    del record["annual"]["grade"]
    assert "评议结果" not in "".join(paragraphs(document_root(renderer.render(record))))


def test_multi_line_text_becomes_paragraphs(renderer: DocxRenderer) -> None:
    record = empty_record("member", 2025)
    record["commitment"]["text"] = "第一条\r\n第二条\n\n第四条\t制表"
    texts = paragraphs(document_root(renderer.render(record)))
    i = texts.index("第一条")
    assert texts[i : i + 4] == ["第一条", "第二条", "", "第四条\t制表"]


def test_long_text_is_kept_whole_and_the_row_grows(renderer: DocxRenderer) -> None:
    record = member_gold()
    long_text = "".join(f"第{i}句写实内容，" for i in range(600))[:5000]
    assert len(long_text) == 5000
    record["periods"][1]["review"]["text"] = long_text
    root = document_root(renderer.render(record))
    assert long_text in paragraphs(root)
    tr = next(tr for tr in root.iter(qn("w:tr")) if long_text in paragraphs(tr))
    assert tr.find("w:trPr/w:cantSplit", W) is None  # may run over the page
    assert tr.find("w:trPr/w:trHeight", W).get(qn("w:hRule")) == "atLeast"


def test_control_characters_dropped_and_astral_characters_kept(renderer: DocxRenderer) -> None:
    record = member_gold()
    record["subject"]["name"] = "吉\x00𠮷\x1b祥"
    record["commitment"]["text"] = "甲\x01乙\x0b丙\ufffe丁\ud800戊 𠮷"
    data = renderer.render(record)
    texts = paragraphs(document_root(data))
    assert "甲乙丙丁戊 𠮷" in texts
    assert "党  员  姓  名：吉𠮷祥" in texts
    core = etree.fromstring(zip_parts(data)["docProps/core.xml"])
    assert core.findtext("{http://purl.org/dc/elements/1.1/}subject") == "党员 2010年度 吉𠮷祥"
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", "".join(texts))


def test_hostile_records_raise_render_errors(renderer: DocxRenderer) -> None:
    with pytest.raises(RenderError, match="未知的写实簿类型"):
        renderer.render({"kind": "../etc"})
    with pytest.raises(RenderError, match="JSON 对象"):
        renderer.render(["not", "a", "record"])  # type: ignore[arg-type]
    odd = empty_record("member", 2025)
    odd["subject"]["name"] = {"nested": 1}
    odd["periods"] = []  # missing periods render as blanks
    odd["annual"]["evaluation"]["satisfied"] = 3.0
    rows = grid_rows(the_table(document_root(renderer.render(odd))))
    assert any(c["paras"] == ["3"] for row in rows for c in row)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("2010-03-28", "2010年3月28日"),
        ("2010-03", "2010年3月"),
        ("2010", "2010年"),
        ("2010-12-05", "2010年12月5日"),
        ("二〇一〇年三月二十八日", "2010年3月28日"),
        (None, BLANK_SIGN_DATE),
        ("", BLANK_SIGN_DATE),
        ("春节前", "春节前"),
    ],
)
def test_sign_dates_are_written_in_chinese_style(value: object, text: str) -> None:
    assert sign_date_text(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("1975-09", "1975.09"),
        ("1998-07-01", "1998.07.01"),
        ("1975", "1975"),
        (None, ""),
    ],
)
def test_header_dates_keep_their_precision(value: object, text: str) -> None:
    assert header_date_text(value) == text


def test_core_properties_are_metadata(renderer: DocxRenderer) -> None:
    core = etree.fromstring(zip_parts(renderer.render(org_gold()))["docProps/core.xml"])
    ns = {
        "dc": "http://purl.org/dc/elements/1.1/",
        "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        "dcterms": "http://purl.org/dc/terms/",
    }
    assert core.findtext("dc:title", namespaces=ns) == "党组织创先争优写实簿"
    assert core.findtext("dc:subject", namespaces=ns) == "党组织 2010年度 靖宇镇卫生院党支部"
    assert core.findtext("cp:keywords", namespaces=ns) == "cxzy.record/1 organization 2010"
    assert core.findtext("dcterms:created", namespaces=ns) == "2025-01-01T00:00:00Z"


# ----------------------------------------------------------------- package, golden, speed


def test_same_record_same_bytes_and_a_valid_zip(renderer: DocxRenderer) -> None:
    a, b = renderer.render(member_gold()), renderer.render(member_gold())
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as zf:
        assert zf.testzip() is None
        names = zf.namelist()
    assert names[0] == "[Content_Types].xml"
    assert sorted(names) == sorted(set(names))
    assert {"word/document.xml", "docProps/core.xml", "word/styles.xml"} <= set(names)


@pytest.mark.parametrize("case", sorted(DOCX_CASES))
def test_golden_parts(case: str) -> None:
    problems = compare_to_golden(docx_case(case), GOLDEN / "docx" / case)
    assert not problems, "\n".join(problems) + "\n(intended? run: python tests/regen_golden.py)"


def test_golden_comparison_reports_changes(tmp_path: Path) -> None:
    record = member_gold()
    record["periods"][2]["review"]["sign"]["name"] = "王五"
    changed = DocxRenderer(created=FIXED_TIME).render(record)
    problems = compare_to_golden(changed, GOLDEN / "docx" / "member-filled")
    assert len(problems) == 1 and problems[0].startswith("part word/document.xml differs")
    assert "王五" in problems[0]
    # a part more and a part less are both reported
    parts = zip_parts(docx_case("member-filled"))
    parts["word/extra.xml"] = parts.pop("docProps/app.xml")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    problems = compare_to_golden(buf.getvalue(), GOLDEN / "docx" / "member-filled")
    assert any("missing" in p and "docProps/app.xml" in p for p in problems)
    assert any("word/extra.xml" in p for p in problems)
    # only the volatile dates are ignored
    later = DocxRenderer(created=FIXED_TIME.replace(year=2030)).render(member_gold())
    assert compare_to_golden(later, GOLDEN / "docx" / "member-filled") == []


def test_core_dates_follow_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1262304000")  # 2010-01-01
    core = zip_parts(DocxRenderer().render(member_gold()))["docProps/core.xml"]
    assert b"2010-01-01T00:00:00Z" in core


def test_a_broken_template_part_is_named(tmp_path: Path) -> None:
    from cxzy_docs.resources import templates_dir

    folder = tmp_path / "docx"
    for src in (templates_dir() / "docx").rglob("*"):
        if src.is_file():
            target = folder / src.relative_to(templates_dir() / "docx")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(src.read_bytes())
    (folder / "word" / "styles.xml").write_text("<w:styles", encoding="utf-8")
    with pytest.raises(RenderError, match=r"styles\.xml"):
        DocxRenderer(folder)


def test_input_record_is_not_modified(renderer: DocxRenderer) -> None:
    record = member_gold()
    before = copy.deepcopy(record)
    renderer.render(record)
    assert record == before


# ------------------------------------------------------------------------- LibreOffice (slow)


def _pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("case", "pages"), [("member-filled", (5, 7)), ("organization-filled", (4, 6)), ("member-blank", (5, 7))]
)
def test_libreoffice_opens_and_lays_out_the_book(tmp_path: Path, case: str, pages: tuple[int, int]) -> None:
    record = DOCX_CASES[case]()
    src = tmp_path / f"{case}.docx"
    src.write_bytes(docx_case(case))
    pdf = libreoffice_pdf(src, tmp_path)
    info = _pdf_info(pdf)
    assert pages[0] <= int(info["Pages"]) <= pages[1]
    width, height = (float(x) for x in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = label_key(text)
    form = form_for(record["kind"])
    for label in form_labels(form, graded=False):
        assert label_key(label) in flat, label
    for path in ("subject.name", "annual.reviewer_sign.name"):
        value = get_field(record, path)
        if value:
            assert label_key(value) in flat, path
    if case.endswith("-filled"):  # text, pages and tables as a person last reviewed them
        check_against_golden(pdf, layout_golden(case.replace("-filled", "-docx")))
