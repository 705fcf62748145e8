"""The 星级先锋 公示: graded books with their marks, DOCX and XLSX, and a clear message when none is graded."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook
from test_report import OUTSIDE, ROOT, YEAR, in_scope, make_books

from cxzy_docs.cli.report import report_group
from cxzy_docs.model import set_field
from cxzy_docs.report.errors import ReportError
from cxzy_docs.report.gongshi import write_notice
from cxzy_docs.report.grades import grade_mark, normalize_grade
from cxzy_docs.store import Store

MARKS = {"先锋": "★", "合格": "☆", "基本合格": "○", "后进": "△"}


def expected_lines() -> list[tuple[str, str, str]]:
    out = []
    for b in in_scope(make_books()):
        grade = b["annual"].get("grade")
        if grade:
            out.append((b["subject"]["name"], grade, MARKS[grade]))
    return out


def test_marks_of_the_scale() -> None:
    assert [grade_mark(g) for g in ("先锋", "合格", "基本合格", "后进")] == ["★", "☆", "○", "△"]
    assert normalize_grade("优秀") == "先锋" and normalize_grade("不合格") == "后进"
    assert normalize_grade(" 基本 合格 ") == "基本合格" and normalize_grade("很好") is None


def test_docx_notice_lists_each_graded_book(tmp_path: Path) -> None:
    out = tmp_path / "gongshi.docx"
    books = [b for b in make_books() if b["year"] == YEAR]
    notice = write_notice(books, ROOT, YEAR, out, today=dt.date(2026, 1, 25), days=7)
    doc = Document(str(out))
    assert len(doc.tables) == 1
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows][1:]
    got = sorted((r[2], r[4], r[5]) for r in rows)
    assert got == sorted(expected_lines())
    assert rows[0][1] == "党组织"  # organizations first
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"{ROOT}{YEAR}年度“星级先锋”评定结果公示" in text.replace("\n", "") and "公示期为7个工作日" in text
    assert "2026年1月25日" in text and "钱多多" not in "".join(r[2] for r in rows)
    assert notice.ungraded == len(in_scope(make_books())) - len(expected_lines())
    for c in notice.counts:
        assert f"{c.grade}（{c.mark}）{c.count}个（名）" in text


def test_xlsx_notice_is_text_only(tmp_path: Path) -> None:
    out = tmp_path / "gongshi.xlsx"
    books = [b for b in make_books() if b["year"] == YEAR]
    first = next(b for b in books if b["kind"] == "member" and b["annual"].get("grade"))
    first["subject"]["name"] = "=1+2"
    write_notice(books, ROOT, YEAR, out)
    ws = load_workbook(out).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("评定结果公示" in str(v) for v in values)
    assert "=1+2" in values and {"★", "☆", "○"} <= set(values)
    with zipfile.ZipFile(out) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    assert ws.page_setup.fitToWidth == 1


def test_no_grades_is_a_clear_message(tmp_path: Path) -> None:
    books = [b for b in make_books() if b["year"] == YEAR]
    for b in books:
        set_field(b, "annual.grade", None)
    with pytest.raises(ReportError, match="没有记录评定等次"):
        write_notice(books, ROOT, YEAR, tmp_path / "g.docx")
    assert not (tmp_path / "g.docx").exists()
    with pytest.raises(ReportError, match=r"\.docx 或 \.xlsx"):
        write_notice(books, ROOT, YEAR, tmp_path / "g.pdf")


def test_cli_gongshi(tmp_path: Path) -> None:
    db = tmp_path / "cxzy.db"
    store = Store(db)
    store.add_records(make_books())
    store.close()
    out = tmp_path / "g.xlsx"
    res = CliRunner().invoke(
        report_group, ["gongshi", "--db", str(db), "--org", OUTSIDE, "--year", str(YEAR), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "后进△ 1" in res.output and "未记录评定等次" in res.output
