"""The review ledger: one row per review, elements and follow-up, open findings, text never a formula."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from golden_tools import libreoffice_pdf
from openpyxl import load_workbook
from pagelayout import pdf_layout
from test_report import BRANCHES, OUTSIDE, ROOT, YEAR, make_books

from cxzy_docs.check.elements import analyse_review
from cxzy_docs.cli.report import report_group
from cxzy_docs.report.checks import open_findings
from cxzy_docs.report.ledger import COLUMNS, NO_NEXT_PERIOD, PAGE_UNITS, PRINTED, write_ledger
from cxzy_docs.store import Store

needs_libreoffice = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
HOSTILE = ("=1+1", "+SUM(A1:A3)", "-2+3", "@cmd", '=HYPERLINK("http://example.invalid","点我")', "＝1+1")


def _header(ws) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.value for c in ws[1]]


def test_one_row_per_review_with_elements_and_follow_up(tmp_path: Path) -> None:
    books = [b for b in make_books() if b["year"] == YEAR]
    out = tmp_path / "ledger.xlsx"
    rows = write_ledger(books, open_findings(books, year=YEAR), out)
    expected = 0
    for b in books:
        for p in b["periods"]:
            if p["review"]["text"] or p["review"]["sign"]["name"] or p["fulfilment"]["text"]:
                expected += 1
    assert len(rows) == expected
    ws = load_workbook(out).active
    head = _header(ws)
    assert head == [name for name, _ in COLUMNS]
    col = {name: i for i, name in enumerate(head)}
    data = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(data) == expected
    by_key = {(r[col["被点评对象"]], r[col["所在党组织"]], r[col["期次"]]): r for r in data}
    # a complete review: 是 for all three, evidence phrases taken from the text
    zhang = next(
        b
        for b in books
        if b["kind"] == "member"
        and b["subject"]["name"] == "张伟"
        and b["subject"]["organization"] == BRANCHES[0]
    )
    row = by_key[("张伟", BRANCHES[0], "第一季度")]
    text = zhang["periods"][0]["review"]["text"]
    assert row[col["点评内容"]] == text
    r = analyse_review(text)
    assert [row[col[k]] for k in ("写明成绩", "写明不足", "写明努力方向")] == ["是", "是", "是"]
    assert row[col["成绩依据"]] == r.achievements.evidence.phrase
    assert row[col["整改落实情况（下一期承诺兑现）"]] == zhang["periods"][1]["fulfilment"]["text"]
    assert by_key[("张伟", BRANCHES[0], "第四季度")][col["整改落实情况（下一期承诺兑现）"]] == NO_NEXT_PERIOD
    # the boilerplate review: 否 and its finding in the row
    bad = by_key[("张伟", BRANCHES[0], "第三季度")]
    assert bad[col["写明成绩"]] == "否" and "点评空泛" in (bad[col["未解决问题"]] or "")
    # the second 张伟 (other branch) keeps his own findings
    other = by_key[("张伟", BRANCHES[1], "第二季度")]
    assert "没有写明不足" in other[col["未解决问题"]]
    # (its Q3 may carry a review.uncertain warning of the reader; the first 张伟's Q3 findings do not leak)
    assert "点评空泛" not in (by_key[("张伟", BRANCHES[1], "第三季度")][col["未解决问题"]] or "")
    assert by_key[("张伟", BRANCHES[0], "第二季度")][col["未解决问题"]] is None


def test_sheet_is_filtered_frozen_and_prints_a4_landscape(tmp_path: Path) -> None:
    books = [b for b in make_books() if b["year"] == YEAR]
    out = tmp_path / "ledger.xlsx"
    rows = write_ledger(books, [], out)
    ws = load_workbook(out).active
    assert ws.auto_filter.ref == f"A1:Q{len(rows) + 1}"
    assert ws.freeze_panes == "C2"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_record_text_never_becomes_a_formula(tmp_path: Path) -> None:
    books = [b for b in make_books() if b["year"] == YEAR]
    member = next(b for b in books if b["kind"] == "member")
    for p, text in zip(member["periods"], HOSTILE, strict=False):
        p["review"]["text"] = text
    member["periods"][0]["fulfilment"]["text"] = "=cmd|' /C calc'!A0"
    member["subject"]["name"] = "@张三"
    out = tmp_path / "ledger.xlsx"
    write_ledger(books, open_findings(books, year=YEAR), out)
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet
    ws = load_workbook(out).active
    values = {c.value for row in ws.iter_rows() for c in row}
    for text in (*HOSTILE[:4], "@张三"):
        assert text in values
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_cli_ledger_for_one_organization(tmp_path: Path) -> None:
    db = tmp_path / "cxzy.db"
    store = Store(db)
    store.add_records(make_books())
    store.close()
    out = tmp_path / "l.xlsx"
    res = CliRunner().invoke(
        report_group, ["ledger", "--db", str(db), "--org", ROOT, "--year", str(YEAR), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    ws = load_workbook(out).active
    col = _header(ws).index("所在党组织")
    orgs = {row[col] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert orgs == {ROOT, *BRANCHES} and OUTSIDE not in orgs
    res = CliRunner().invoke(report_group, ["ledger", "--db", str(db), "--year", "2001", "--out", str(out)])
    assert res.exit_code == 2 and "没有 2001 年度的写实簿记录" in res.output


# ------------------------------------------------------------------------------ on paper


def _printed_ledger(tmp_path: Path, suffix: str) -> tuple[Path, list[Any]]:
    books = [b for b in make_books() if b["year"] == YEAR]
    out = tmp_path / f"台账{suffix}"
    rows = write_ledger(books, open_findings(books, year=YEAR), out, organization=ROOT, year=YEAR)
    return out, rows


def _compact(text: object) -> str:
    return re.sub(r"\s+", "", "" if text is None else str(text))


def test_the_sheets_print_settings_are_in_its_parts(tmp_path: Path) -> None:
    """A4 landscape fitted to the page width, the header row on every page, the organization and year in
    the page header, page numbers in the footer, only the columns meant for paper in the print area."""
    out, rows = _printed_ledger(tmp_path, ".xlsx")
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
        workbook = z.read("xl/workbook.xml").decode("utf-8")
    setup = re.search(r"<pageSetup [^>]*>", sheet)
    assert setup is not None
    for attribute in ('orientation="landscape"', 'paperSize="9"', 'fitToWidth="1"', 'fitToHeight="0"'):
        assert attribute in setup.group(0), setup.group(0)
    assert re.search(r'<pageSetUpPr [^>]*fitToPage="1"', sheet)
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    root = ElementTree.fromstring(sheet)
    header, footer = (
        root.findtext(f"m:headerFooter/m:{n}", default="", namespaces=ns) for n in ("oddHeader", "oddFooter")
    )
    assert f"{ROOT}{YEAR}年度领导点评台账" in header, header
    assert "&P" in footer and "&N" in footer, footer
    names = dict(re.findall(r'<definedName name="([^"]+)"[^>]*>([^<]+)</definedName>', workbook))
    assert names["_xlnm.Print_Titles"].endswith("$1:$1")
    assert names["_xlnm.Print_Area"].endswith(f"$A$1:${chr(ord('A') + len(PRINTED) - 1)}${len(rows) + 1}")

    ws = load_workbook(out).active
    head = _header(ws)
    assert head[: len(PRINTED)] == list(PRINTED)
    widths = {name: ws.column_dimensions[chr(ord("A") + i)].width for i, name in enumerate(PRINTED)}
    assert sum(widths.values()) <= PAGE_UNITS + 1  # 100% on the page: nothing shrunk to fit
    assert widths["点评内容"] == max(widths.values()) and widths["序号"] == min(widths.values())
    for row in ws.iter_rows(min_row=2, max_col=len(PRINTED)):
        assert all(c.alignment.wrap_text for c in row)
        height = ws.row_dimensions[row[0].row].height
        longest = max(len(str(c.value or "")) for c in row)
        assert height is not None and height >= 14, (row[0].row, height, longest)


def _pdf_pages(pdf: Path) -> list[dict[str, Any]]:
    """Each page's size, the text at its head and foot, and its table's first row."""
    import pdfplumber

    pages = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            top = "".join(ch["text"] for ch in page.chars if ch["top"] < page.height * 0.08)
            bottom = "".join(ch["text"] for ch in page.chars if ch["top"] > page.height * 0.9)
            tables = page.find_tables()
            first_row = [_compact(c) for c in tables[0].extract()[0]] if tables else []
            pages.append(
                {
                    "size": (round(page.width), round(page.height)),
                    "head": _compact(top),
                    "foot": _compact(bottom),
                    "first_row": first_row,
                }
            )
    return pages


@needs_libreoffice
@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_libreoffice_prints_every_word_of_the_ledger(tmp_path: Path, suffix: str) -> None:
    """Printed by LibreOffice, every page is A4 landscape with the organization and year at its head and
    its number at its foot and the header row on top; one table of every review; every word of every
    printed cell is on paper (a row too short for its wrapped text would cut lines off)."""
    out, rows = _printed_ledger(tmp_path, suffix)
    pdf = libreoffice_pdf(out, tmp_path)
    pages = _pdf_pages(pdf)
    assert len(pages) >= 2
    title = _compact(f"{ROOT}{YEAR}年度领导点评台账")
    for number, page in enumerate(pages, start=1):
        assert page["size"] == (842, 595), page["size"]
        assert title in page["head"], (number, page["head"])
        assert str(number) in page["foot"], (number, page["foot"])
        assert page["first_row"] == [_compact(name) for name in PRINTED], (number, page["first_row"])
    if suffix == ".xlsx":
        assert pages[0]["foot"] == f"第1页，共{len(pages)}页"
    layout = pdf_layout(
        pdf
    )  # text in the order drawn (a cell's lines together), repeated header rows left out
    assert [(t["rows"], t["cols"], t["breaks"]) for t in layout["tables"]] == [
        (len(rows) + 1, len(PRINTED), len(pages) - 1)
    ]
    cells = [
        (i, name, _compact(value))
        for i, row in enumerate(rows, start=1)
        for name, value in zip(PRINTED, row.printed(i), strict=True)
    ]
    bmp = [(i, name, "".join(ch for ch in text if ord(ch) < 0x10000)) for i, name, text in cells]
    assert [(i, name, text) for i, name, text in bmp if text not in layout["text"]] == []
    # characters outside the BMP (𠮷) are drawn by a fallback font in a pass of their own: by count
    rare = sorted(ch for _, _, text in cells for ch in text if ord(ch) >= 0x10000)
    assert rare and all(layout["rare"].count(ch) >= rare.count(ch) for ch in set(rare))
