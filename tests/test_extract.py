"""The extractor (Grid -> cxzy.record/1), measured on filled books it did not write, and on grids
shaped the way other readers (PDF, XLSX, OCR) hand them over."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cxzy_docs.errors import UnknownFormError
from cxzy_docs.model import check_record, field_paths, get_field
from cxzy_docs.read import label_hints
from cxzy_docs.read.docx import read_docx
from cxzy_docs.read.extract import extract, recognise
from cxzy_docs.read.grid import Cell, Grid, Line
from cxzy_docs.textnorm import fold_width, strip_spaces

DATA = Path(__file__).resolve().parent / "data"
DEV = DATA / "forms-dev"
MADE = DATA / "made"


# ------------------------------------------------------------------------------------ scoring


def _same(a: Any, b: Any) -> bool:
    """Texts compared without white space and with full-width ASCII folded (forms-dev/README.md)."""
    if isinstance(a, str) and isinstance(b, str):
        return strip_spaces(fold_width(a)) == strip_spaces(fold_width(b))
    return a == b


def score(record: dict, gold: dict) -> tuple[int, list[tuple[str, Any, Any]]]:
    """(leaves compared, wrong leaves): every field path of the form, year, and annual.grade."""
    paths = ["kind", "year", *field_paths(gold["kind"])]
    if "grade" in gold["annual"] or "grade" in record["annual"]:
        paths.append("annual.grade")
    wrong = [
        (p, get_field(record, p), get_field(gold, p))
        for p in paths
        if not _same(get_field(record, p), get_field(gold, p))
    ]
    return len(paths), wrong


def _measure(files: list[Path], capsys) -> float:
    total = right = 0
    report = []
    for f in files:
        gold = json.loads(Path(f"{f}.gold.json").read_text(encoding="utf-8"))
        record = extract(read_docx(f))
        check_record(record)
        n, wrong = score(record, gold)
        total, right = total + n, right + n - len(wrong)
        report.append(
            f"  {f.name}: {n - len(wrong)}/{n} ({(n - len(wrong)) / n:.1%})"
            + "".join(f"\n      {p}: got {a!r:.60} want {b!r:.60}" for p, a, b in wrong)
        )
    with capsys.disabled():
        print(f"\nfield accuracy {right}/{total} = {right / total:.2%}\n" + "\n".join(report))
    return right / total


def test_dev_corpus_accuracy(capsys):
    files = sorted(DEV.glob("*.docx"))
    assert len(files) == 6
    assert _measure(files, capsys) >= 0.99


def test_made_variants_accuracy(capsys):
    files = sorted(p for p in MADE.glob("made-*.docx") if Path(f"{p}.gold.json").exists())
    assert len(files) == 5
    assert _measure(files, capsys) >= 0.99


@pytest.mark.parametrize(("reader", "name"), [("xlsx", "dev-2010-m05.xlsx"), ("pdf", "dev-2010-m02.pdf")])
def test_other_readers_feed_the_same_extractor(reader, name):
    """The extractor is format-agnostic: the XLSX and PDF readers' grids give the gold too."""
    try:
        module = importlib.import_module(f"cxzy_docs.read.{reader}")
    except ImportError:
        pytest.skip(f"cxzy_docs.read.{reader} not available")
    hints = {"hints": label_hints()} if reader == "pdf" else {}
    grid = getattr(module, f"read_{reader}")(DEV / name, **hints)
    gold = json.loads((DEV / f"{name}.gold.json").read_text(encoding="utf-8"))
    record = extract(grid)
    check_record(record)
    n, wrong = score(record, gold)
    assert (n - len(wrong)) / n >= 0.98, wrong


def test_made_files_are_what_the_generator_writes(tmp_path):
    subprocess.run([sys.executable, str(MADE / "make_variants.py"), str(tmp_path)], check=True)
    made = sorted(p.name for p in MADE.iterdir() if p.name.startswith("made-"))
    assert made == sorted(p.name for p in tmp_path.iterdir())
    for name in made:
        assert (tmp_path / name).read_bytes() == (MADE / name).read_bytes(), (
            f"{name} is stale: rerun the generator"
        )


# ------------------------------------------------------------------------------- on real files


def test_record_extras_provenance_problems():
    rec = extract(read_docx(DEV / "dev-2010-m01.docx"))
    assert rec["source"].endswith("dev-2010-m01.docx") and rec["format"] == "docx"
    assert rec["provenance"]["subject.birth"] == {"where": "表1 第2行第3列", "confidence": 1.0}
    assert rec["provenance"]["periods.Q1.fulfilment.text"]["where"] == "表1 第7行第2列"
    assert rec["provenance"]["year"]["where"] == "正文第2段"
    assert rec["periods"][2]["fulfilment"]["sign"]["date"] is None  # 年 left blank: not guessed ...
    assert (
        rec["provenance"]["periods.Q3.fulfilment.sign.date"]["confidence"] <= 0.5
    )  # ... but kept raw, unsure
    assert rec["commitment"]["reviewer_sign"]["name"] == "高志斌"  # 高  志斌
    assert "grade" not in rec["annual"]  # the form has no 评议结果 row
    assert [(p["field"], p["raw"]) for p in rec["problems"]] == [
        ("periods.Q3.fulfilment.sign.date", "年 9 月 19 日")
    ]


def test_texts_drop_labels_and_signature_lines():
    rec = extract(read_docx(DEV / "dev-2010-m02.docx"))
    q1 = rec["periods"][0]
    assert not q1["fulfilment"]["text"].startswith("第一季度") and "签字" not in q1["fulfilment"]["text"]
    assert "领导点评" not in q1["review"]["text"]
    assert rec["periods"][2]["review"] == {"text": None, "sign": {"name": None, "date": None}}
    assert rec["subject"]["joined"] == "1998-07-01" and rec["subject"]["birth"] == "1971-12"


def test_unreadable_values_are_reported_not_guessed():
    rec = extract(read_docx(MADE / "made-o-odd.docx"))
    problems = {p["field"]: p for p in rec["problems"]}
    assert rec["subject"]["activist_count"] is None
    assert problems["subject.activist_count"]["raw"] == "约3名"
    assert rec["periods"][1]["fulfilment"]["sign"] == {"name": "孙立军", "date": None}
    assert problems["periods.H2.fulfilment.sign.date"]["raw"] == "2010年13月20日"
    assert "日期" in problems["periods.H2.fulfilment.sign.date"]["message"]
    assert rec["annual"]["evaluation"]["satisfied"] == 22  # 好 column, "22票"


def test_attached_page_continues_the_marked_box_and_reports_the_rest():
    path = MADE / "made-m-attached.docx"
    rec = extract(read_docx(path))
    assert rec["periods"][1]["review"]["text"].endswith("下季度要改进家校沟通。")
    assert "见附页" not in rec["periods"][1]["review"]["text"]
    assert rec["annual"]["summary"].endswith("班级语文成绩保持全镇前列。")
    unplaced = [p for p in rec["problems"] if p["field"] is None]
    assert [p["raw"] for p in unplaced] == ["注：本簿由上级党组织保管。"]
    off = extract(read_docx(path), settings={"attach_pages": False})
    assert off["periods"][1]["review"]["text"].endswith("（见附页）")


def test_not_a_record_book(tmp_path):
    with pytest.raises(UnknownFormError) as err:
        extract(read_docx(MADE / "made-not-a-book.docx"))
    assert "不是写实簿" in str(err.value) and "made-not-a-book.docx" in str(err.value)


# ----------------------------------------------------------------- grids as other readers give


def grid(
    rows: list[list[str | tuple[str, int]]],
    lines: list[str] = (),
    after: list[str] = (),
    source: str = "测试.pdf",
) -> Grid:
    """A one-table grid: each row a list of cell texts (or (text, colspan))."""
    cells = []
    for r, row in enumerate(rows):
        col = 0
        for spec in row:
            text, span = (spec, 1) if isinstance(spec, str) else spec
            cells.append(Cell(text, 0, r, col, colspan=span, where=f"第1页 第{r + 1}行第{col + 1}列"))
            col += span
    free = [Line(t, i) for i, t in enumerate(lines)]
    free += [Line(t, len(free) + i, after_table=0) for i, t in enumerate(after)]
    return Grid(source, "pdf", cells, free)


MEMBER_TAIL = [
    ["第二季度承诺兑现情况\n二季度文字。"],
    ["第三季度承诺兑现情况\n三季度文字。"],
    ["第四季度承诺兑现情况\n四季度文字。"],
]


def test_header_values_below_their_labels_and_signatures_in_text_cells():
    g = grid(
        [
            ["姓  名", "性别", "民族", "出生年月"],
            ["宋 丽 娜", "女", "汉族", "1975年9月"],
            ["公开承诺事项"],
            ["1、承诺一；\n2、承诺二。"],
            ["第一季度承诺兑现情况\n一季度完成了承诺一。\n党员本人（签字）：宋丽娜   2010年3月24日"],
            ["领导点评（要写清成绩、不足和努力方向）\n成绩明显，不足是……，今后要……。"],
            ["党支部书记（签字）：高志斌"],
            ["2010年4月2日"],
            *MEMBER_TAIL,
        ],
        lines=["党员创先争优活动写实簿", "（二〇一〇年度）"],
    )
    rec = extract(g)
    check_record(rec)
    assert rec["year"] == 2010
    assert rec["subject"]["name"] == "宋丽娜" and rec["subject"]["birth"] == "1975-09"
    assert rec["subject"]["ethnicity"] == "汉族"
    q1 = rec["periods"][0]
    assert q1["fulfilment"] == {
        "text": "一季度完成了承诺一。",
        "sign": {"name": "宋丽娜", "date": "2010-03-24"},
    }
    assert q1["review"]["sign"] == {"name": "高志斌", "date": "2010-04-02"}  # date in the row below
    assert rec["provenance"]["periods.Q1.review.sign.date"]["where"] == "第1页 第8行第1列"
    assert rec["periods"][3]["fulfilment"]["text"] == "四季度文字。"


def test_page_break_splits_a_box_and_a_section_label():
    g = grid(
        [
            ["履诺践", "第一季度承诺兑现情况\n前半段文字，"],
            ["诺写实", "后半段文字。"],
            ["", "党员本人（签字）：\n宋 丽 娜\n2010.3.24"],
            ["", "第一季度承诺兑现情况一季度的标签后面没有换行。"],  # OCR: label glued to the text
            *MEMBER_TAIL,
        ]
    )
    rec = extract(g)
    q1 = rec["periods"][0]["fulfilment"]
    assert q1["text"] == "前半段文字，\n后半段文字。\n一季度的标签后面没有换行。"
    assert q1["sign"] == {"name": "宋丽娜", "date": "2010-03-24"}
    assert rec["year"] is None and not any("履诺" in (p["raw"] or "") for p in rec["problems"])


def test_lines_only_grid_and_inline_evaluation():
    lines = [
        "党组织创先争优写实簿",
        "（    年度）",
        "党组织名称：靖宇镇卫生院党支部",
        "党员人数：11人",
        "公开承诺事项：承诺全文。",
        "基层党组织书记（签字）：高志斌 2010年1月20日",
        "上半年承诺兑现情况",
        "上半年文字。",
        "领导点评：点评文字。",
        "下半年承诺兑现情况：下半年文字。",
        "年度总结：全年总结。",
        "满意24人，比较满意6人，一般1人，不满意0人，参加党员人数11人，参加群众人数20人",
        "评议结果：好",
        "上级党组织书记（签字）：邱德明",
        "二〇一一年一月十八日",
    ]
    rec = extract(Grid("ocr.png", "ocr", [], [Line(t, i) for i, t in enumerate(lines)]))
    check_record(rec)
    assert rec["kind"] == "organization" and rec["year"] is None  # blank year
    assert rec["subject"]["name"] == "靖宇镇卫生院党支部" and rec["subject"]["member_count"] == 11
    assert rec["commitment"]["self_sign"] == {"name": "高志斌", "date": "2010-01-20"}
    assert rec["periods"][0]["fulfilment"]["text"] == "上半年文字。"
    assert rec["periods"][0]["review"]["text"] == "点评文字。"
    assert rec["periods"][1]["fulfilment"]["text"] == "下半年文字。"
    assert rec["annual"]["evaluation"] == {
        "satisfied": 24,
        "fairly_satisfied": 6,
        "average": 1,
        "dissatisfied": 0,
        "members_attending": 11,
        "public_attending": 20,
    }
    assert rec["annual"]["grade"] == "好"
    assert rec["annual"]["reviewer_sign"] == {"name": "邱德明", "date": "2011-01-18"}


def test_review_periods_follow_the_fulfilments_and_bad_dates_stay_raw():
    g = grid(
        [
            ["出生年月", "七五年九月"],
            ["第一季度承诺兑现情况\n一。"],
            ["领导点评\n点评一。"],
            ["第二季度承诺兑现情况\n二。"],
            ["领导点评\n点评二。"],
            ["领导点评\n点评三。"],  # Q3's fulfilment label lost
            ["第四季度承诺兑现情况\n四。"],
            ["评议结果", ""],
        ]
    )
    rec = extract(g)
    assert [p["review"]["text"] for p in rec["periods"]] == ["点评一。", "点评二。", "点评三。", None]
    assert rec["subject"]["birth"] is None
    assert rec["problems"][0]["field"] == "subject.birth" and rec["problems"][0]["raw"] == "七五年九月"
    assert "grade" in rec["annual"] and rec["annual"]["grade"] is None  # row present, left blank


def test_periods_named_in_the_section_column_year_cell_and_ticked_grade():
    g = grid(
        [
            ["年  度", "2010"],
            ["第\n一\n季\n度", "承诺兑现情况", "一季度文字。"],
            ["", "党员本人（签字）", "宋丽娜。", "2010.3.24."],
            ["", "领导点评", "点评一。"],
            ["第二季度", "承诺兑现情况", "二季度文字。"],
            ["", "领导点评", "点评二。"],
            ["承诺兑现情况", "三季度文字，期次按顺序。"],
            ["评议结果", "□优秀 ☑合格 □基本合格 □不合格"],
        ]
    )
    rec = extract(g)
    assert rec["year"] == 2010 and rec["provenance"]["year"]["where"] == "第1页 第1行第2列"
    assert [p["fulfilment"]["text"] for p in rec["periods"]] == [
        "一季度文字。",
        "二季度文字。",
        "三季度文字，期次按顺序。",
        None,
    ]
    assert [p["review"]["text"] for p in rec["periods"]][:2] == ["点评一。", "点评二。"]
    assert rec["periods"][0]["fulfilment"]["sign"] == {"name": "宋丽娜", "date": "2010-03-24"}
    assert rec["annual"]["grade"] == "合格"
    two = extract(
        grid([["第一季度承诺兑现情况"], ["领导点评"], ["党员本人（签字）"], ["评议结果", "☑优秀 ☑合格"]])
    )
    assert two["annual"]["grade"] is None and two["problems"][0]["field"] == "annual.grade"


def test_attached_page_that_cannot_be_placed_is_reported():
    rows = [
        ["第一季度承诺兑现情况\n一季度。"],
        ["领导点评\n点评一。"],
        ["第二季度承诺兑现情况\n二季度。"],
        ["领导点评\n点评二。"],
        ["党支部书记（签字）：高志斌"],
    ]
    rec = extract(grid(rows, after=["附页", "承诺兑现情况（续）：补充的文字。"]))
    check_record(rec)
    assert [p["period"] for p in rec["periods"]] == ["Q1", "Q2", "Q3", "Q4"]
    assert rec["periods"][0]["fulfilment"]["text"] == "一季度。"
    assert any("无法确定" in p["message"] and "补充的文字" in p["raw"] for p in rec["problems"])
    rec = extract(
        grid([*rows[:3], ["领导点评\n点评二，但是"], *rows[4:]], after=["（接上页）领导点评：接着写完。"])
    )
    assert rec["periods"][1]["review"]["text"] == "点评二，但是\n接着写完。"


def test_unknown_forms_name_the_file_and_what_was_found():
    with pytest.raises(UnknownFormError, match=r"不是写实簿.*至少需要") as err:
        recognise(grid([["公开承诺事项"], ["会议纪要"]], source="纪要.docx"))
    assert "纪要.docx" in str(err.value) and "公开承诺事项" in str(err.value)
    with pytest.raises(UnknownFormError, match="分不清"):
        recognise(grid([["公开承诺事项"], ["领导点评"], ["年度总结"], ["评价等次"]]))
    with pytest.raises(UnknownFormError):
        recognise(Grid("空.docx", "docx"))
    assert recognise(grid([["第一季度承诺兑现情况"], ["党员本人（签字）："], ["领导点评"]])).kind == "member"
