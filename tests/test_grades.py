"""Grades for the 公示 on books made from the official forms: a grades sheet stored through the front door.

The official forms have no grade row, so books filled on them never carry one: the 公示 says how to add
grades; a sheet an office keeps (or its roster with a 评定等次 column) puts them into the store as edits
(history kept, undo works); then the 公示 is made.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import Workbook

from cxzy_docs import api
from cxzy_docs.cli import cli
from cxzy_docs.report.gradesheet import GradesError, read_grades

ROOT = Path(__file__).resolve().parent.parent
VILLAGE = "红旗村党总支"
BRANCH = "红旗村第一党支部"


@pytest.fixture(scope="module")
def official_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples' books written on the official forms (DOCX), read back and imported: no grades."""
    tmp = tmp_path_factory.mktemp("official")
    records = api.load_records(ROOT / "samples" / "records.json")
    api.generate(records, tmp / "books", ["docx"])
    db = tmp / "office.db"
    with api.open_store(db) as store:
        summary = api.import_files([tmp / "books"], store)
        assert not summary.failed and summary.books == len(records)
        assert all((r.get("annual") or {}).get("grade") is None for r in store.records())
    return db


def _sheet(path: Path, rows: list[tuple[Any, ...]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append([f"{VILLAGE}2025年度“星级先锋”评定结果"])  # a title row above the header
    ws.append(["序号", "姓名", "所在党组织", "评定等次"])
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    wb.save(path)
    return path


def _run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def test_gongshi_without_grades_says_how_to_add_them(official_store: Path, tmp_path: Path) -> None:
    res = _run(
        "report",
        "gongshi",
        "--db",
        str(official_store),
        "--org",
        VILLAGE,
        "--year",
        "2025",
        "--out",
        str(tmp_path / "公示.docx"),
        "--roster",
        str(ROOT / "samples" / "roster.xlsx"),
    )
    assert res.exit_code == 2
    assert "cxzy grades import" in res.output and "按 g" in res.output, res.output
    assert "annual.grade" not in res.output and "None" not in res.output
    assert not (tmp_path / "公示.docx").exists()


def test_a_grades_sheet_goes_into_the_books_and_makes_the_gongshi(
    official_store: Path, tmp_path: Path
) -> None:
    sheet = _sheet(
        tmp_path / "评定等次.xlsx",
        [
            ("陈丽华", BRANCH, "先锋"),
            ("孙𠮷祥", BRANCH, "☆"),
            (BRANCH, "", "合格"),
            ("张伟", BRANCH, "合格"),  # two 张伟 in the branch: which book cannot be told
            ("王小五", BRANCH, "合格"),  # no such book
            ("陈丽华", BRANCH, "优良"),  # not a grade
        ],
    )
    res = _run("grades", "import", str(sheet), "--db", str(official_store), "--year", "2025")
    assert res.exit_code == 1, res.output
    assert "写入 3 本写实簿" in res.output and "3 行未导入" in res.output, res.output
    assert "第 6 行" in res.output and "2 本同名的写实簿" in res.output  # the sheet's own row numbers
    assert "王小五" in res.output and "优良" in res.output

    with api.open_store(official_store) as store:
        grades = {
            (r.record["kind"], r.record["subject"]["name"]): r.record["annual"].get("grade")
            for r in store.books(year=2025)
        }
        assert grades[("member", "陈丽华")] == "先锋" and grades[("member", "孙𠮷祥")] == "合格"
        assert grades[("organization", BRANCH)] == "合格"
        edits = [h for h in store.history() if h["field"] == "annual.grade"]
        assert len(edits) == 3  # through the store's edit: in the history

    again = _run("grades", "import", str(sheet), "--db", str(official_store), "--year", "2025")
    assert "写入 0 本写实簿，3 本原已是此等次" in again.output, again.output

    out = tmp_path / "公示.docx"
    res = _run(
        "report",
        "gongshi",
        "--db",
        str(official_store),
        "--org",
        VILLAGE,
        "--year",
        "2025",
        "--out",
        str(out),
        "--roster",
        str(ROOT / "samples" / "roster.xlsx"),
    )  # the tree: the forms have none
    assert res.exit_code == 0, res.output
    table = Document(str(out)).tables[0]
    listed = {(row.cells[2].text, row.cells[4].text, row.cells[5].text) for row in table.rows[1:]}
    assert listed == {("陈丽华", "先锋", "★"), ("孙𠮷祥", "合格", "☆"), (BRANCH, "合格", "☆")}
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "2026年2月28日" in text  # a past year's notice: the end of its filing window, not today


def test_an_edit_from_a_sheet_can_be_undone(official_store: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "改.xlsx", [("孙𠮷祥", BRANCH, "先锋")])
    with api.open_store(official_store) as store:
        result = api.import_grades(store, sheet, year=2025)
        assert (result.changed, result.problems) == (1, [])
        book = next(b for b in store.books(year=2025) if b.record["subject"]["name"] == "孙𠮷祥")
        assert book.record["annual"]["grade"] == "先锋"
        assert store.undo(book.id) == "annual.grade"
        assert store.book(book.id).record["annual"]["grade"] == "合格"


def test_a_roster_with_a_grade_column_is_a_grades_sheet(tmp_path: Path) -> None:
    roster = tmp_path / "花名册.csv"
    roster.write_text(
        "姓名,性别,所在党组织,入党时间,评定等次\n陈丽华,女,红旗村第一党支部,2001-07,先锋\n"
        "张三,男,红旗村第二党支部,1999-01,基本合格\n",
        encoding="utf-8",
    )
    rows = read_grades(roster)
    assert [(r.row, r.name, r.organization, r.grade) for r in rows] == [
        (2, "陈丽华", BRANCH, "先锋"),
        (3, "张三", "红旗村第二党支部", "基本合格"),
    ]


def test_a_sheet_without_a_grade_column_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_text("姓名,所在党组织\n陈丽华,红旗村第一党支部\n", encoding="utf-8")
    with pytest.raises(GradesError, match="没有找到“姓名”和“评定等次”两列"):
        read_grades(path)
    res = _run("grades", "import", str(path), "--year", "2025", "--db", str(tmp_path / "x.db"))
    assert res.exit_code == 2 and "评定等次" in res.output
