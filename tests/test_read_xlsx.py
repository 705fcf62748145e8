"""The XLSX reader (a re-typed form) and the review ledger (点评台账) reader."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from gold import field_accuracy, load_gold

from cxzy_docs.errors import ReadError
from cxzy_docs.model import check_record, get_field
from cxzy_docs.read import parse_file
from cxzy_docs.read.ledger import find_header, parse_period, read_ledger
from cxzy_docs.read.sniff import sniff
from cxzy_docs.read.xlsx import read_xlsx
from cxzy_docs.textnorm import fold_width, strip_spaces

DATA = Path(__file__).resolve().parent / "data"
DEV = DATA / "forms-dev"
MADE = DATA / "made-readers"
LEDGER = MADE / "ledger-2010.xlsx"
LEDGER_INFO = json.loads((MADE / "manifest.json").read_text(encoding="utf-8"))["ledger-2010.xlsx"]


# ------------------------------------------------------------------------------------ form sheets


def test_member_sheet_reads_back_as_its_gold() -> None:
    path = DEV / "dev-2010-m05.xlsx"
    (record,) = parse_file(path)
    right, total, wrong = field_accuracy(record, load_gold(DEV / "dev-2010-m05.xlsx.gold.json"))
    assert right / total >= 0.99, wrong
    assert record["annual"]["grade"] == "优秀"


def test_merged_ranges_become_one_cell_with_spans() -> None:
    grid = read_xlsx(DEV / "dev-2010-m05.xlsx")
    wb = openpyxl.load_workbook(DEV / "dev-2010-m05.xlsx")
    ws = wb.active
    for rng in ws.merged_cells.ranges:
        cell = grid.cell_at(0, rng.min_row - 1, rng.min_col - 1)
        assert (cell.row, cell.col) == (rng.min_row - 1, rng.min_col - 1)
        assert (cell.rowspan, cell.colspan) == (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
    positions = [
        (r, c)
        for cell in grid.cells
        for r in range(cell.row, cell.last_row + 1)
        for c in range(cell.col, cell.last_col + 1)
    ]
    assert len(positions) == len(set(positions)) == ws.max_row * ws.max_column  # each position once


def test_excel_dates_are_iso_and_whole_numbers_have_no_decimals() -> None:
    grid = read_xlsx(DEV / "dev-2010-m05.xlsx")
    g9 = grid.cell_at(0, 8, 6)
    assert g9.text == "2010-01-16" and g9.where == "工作表“写实簿” G9"
    assert [grid.cell_at(0, 38, c).text for c in range(2, 8)] == ["21", "2", "0", "0", "11", "12"]


def test_formulas_are_never_evaluated_and_hidden_sheets_skipped(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "=1+1"  # no cached value: reads as empty, never as 2
    ws["B1"] = 3.0
    ws["C1"] = 2.5
    ws["D1"] = dt.datetime(2010, 3, 5, 14, 30)
    hidden = wb.create_sheet("隐藏")
    hidden["A1"] = "秘密"
    hidden.sheet_state = "hidden"
    path = tmp_path / "f.xlsx"
    wb.save(path)
    grid = read_xlsx(path)
    assert [c.text for c in grid.in_order()] == ["", "3", "2.5", "2010-03-05 14:30"]
    assert grid.tables() == [0] and any("隐藏" in w for w in grid.warnings)


def test_huge_sheet_is_bounded_with_a_warning(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, 3001):
        ws.cell(r, 1, f"行{r}")
    ws.cell(1, 100, "远处")
    path = tmp_path / "big.xlsx"
    wb.save(path)
    grid = read_xlsx(path, settings={"sheet_max_rows": 500, "sheet_max_cols": 10})
    assert max(c.last_row for c in grid.cells) == 499 and max(c.last_col for c in grid.cells) <= 9
    assert any("3000 行" in w for w in grid.warnings) and any("100 列" in w for w in grid.warnings)


def test_long_cell_text_is_cut_to_the_limit(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "字" * 5000
    path = tmp_path / "long.xlsx"
    wb.save(path)
    assert len(read_xlsx(path, settings={"max_cell_chars": 100}).cells[0].text) == 100


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (50 * 1024 * 1024) + b"/>")
    with pytest.raises(ReadError, match="压缩比"):
        read_xlsx(path)


# ----------------------------------------------------------------------------------------- ledger


def test_sniff_tells_a_ledger_from_a_form_workbook() -> None:
    assert sniff(LEDGER) == "ledger"
    assert sniff(DEV / "dev-2010-m05.xlsx") == "xlsx"


def _review_paths(kind: str) -> list[str]:
    codes = ("Q1", "Q2", "Q3", "Q4") if kind == "member" else ("H1", "H2")
    return [f"periods.{p}.review.{leaf}" for p in codes for leaf in ("text", "sign.name", "sign.date")]


def test_ledger_gives_one_valid_record_per_subject_with_the_gold_reviews() -> None:
    problems: list[str] = []
    records = read_ledger(LEDGER, problems=problems)
    golds = [load_gold(DEV / g) for g in LEDGER_INFO["members"] + LEDGER_INFO["organizations"]]
    assert [r["subject"]["name"] for r in records] == [g["subject"]["name"] for g in golds]
    for rec, gold in zip(records, golds, strict=True):
        check_record(rec)
        assert rec["kind"] == gold["kind"] and rec["year"] == gold["year"]
        for path in _review_paths(gold["kind"]):
            got, want = get_field(rec, path), get_field(gold, path)
            assert (strip_spaces(fold_width(got)) if isinstance(got, str) else got) == (
                strip_spaces(fold_width(want)) if isinstance(want, str) else want
            ), path
        if gold["kind"] == "member":
            assert rec["subject"]["organization"] == gold["subject"]["organization"]
        assert rec["provenance"]["subject.name"]["where"].startswith("工作表“点评台账”第")
    bad = LEDGER_INFO["bad_rows"]
    assert len(problems) == 2
    assert f"第{bad[0]}行" in problems[0] and "第五季度" in problems[0]
    assert f"第{bad[1]}行" in problems[1] and "缺少被点评人" in problems[1]


def test_parse_file_on_a_ledger_returns_every_record_and_reports_bad_rows() -> None:
    records = parse_file(LEDGER)
    assert len(records) == len(LEDGER_INFO["members"]) + len(LEDGER_INFO["organizations"])
    messages = [p["message"] for p in records[0]["problems"]]
    assert any(f"第{LEDGER_INFO['bad_rows'][0]}行" in m for m in messages)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("一季度", "Q1"),
        ("第一季度", "Q1"),
        ("第 2 季度", "Q2"),
        ("Q3", "Q3"),
        ("q4", "Q4"),
        ("4", "Q4"),
        ("１", "Q1"),
        ("2010年第三季度", "Q3"),
        ("三", "Q3"),
        ("上半年", "H1"),
        ("2010年下半年", "H2"),
        ("第五季度", None),
        ("全年", None),
        ("", None),
    ],
)
def test_period_spellings(text: str, code: str | None) -> None:
    assert parse_period(text) == code


def test_ledger_header_is_found_among_the_first_rows_with_spaces() -> None:
    rows = [
        ["某某镇点评台账"],
        [""],
        ["序 号", "姓  名", "所在党组织", "季 度", "点评内容（成绩、不足、方向）", "点 评 人", "日期"],
    ]
    head = find_header(rows)
    assert head is not None and head.row == 2
    assert head.columns == {
        "seq": 0,
        "subject": 1,
        "organization": 2,
        "period": 3,
        "text": 4,
        "reviewer": 5,
        "date": 6,
    }


def test_ledger_with_year_column_and_bad_date(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["年度", "被点评人", "所在支部", "季度", "点评内容", "点评人", "点评日期"])
    ws.append(
        [
            2011,
            "张  三",
            "一支部",
            "第一季度",
            "成绩突出，不足是学习不够，今后加强。",
            "李四",
            "2011年3月30日",
        ]
    )
    ws.append([2011, "张三", "一支部", "二季度", "继续努力。", "李四", "三月底"])
    ws.append([2011, "张三", "一支部", "二季度", "重复的一行。", "李四", "2011-06-30"])
    path = tmp_path / "l.xlsx"
    wb.save(path)
    (rec,) = read_ledger(path)
    check_record(rec)
    assert rec["year"] == 2011 and rec["subject"]["name"] == "张三"
    assert get_field(rec, "periods.Q1.review.sign.date") == "2011-03-30"
    assert get_field(rec, "periods.Q2.review.text") == "继续努力。"
    assert get_field(rec, "periods.Q2.review.sign.date") is None
    fields = [p["field"] for p in rec["problems"]]
    assert "periods.Q2.review.sign.date" in fields  # 三月底: kept raw, not guessed
    assert any("第4行" in p["message"] and "第3行" in p["message"] for p in rec["problems"])  # duplicate


def test_workbook_without_a_ledger_header_is_refused() -> None:
    with pytest.raises(ReadError, match="表头"):
        read_ledger(DEV / "dev-2010-m05.xlsx")
