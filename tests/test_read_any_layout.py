"""Reading any layout: the stream path, signatures, continuation headings, wrapped labels, many books per file.

Each test is one of the shapes issue 11 found in books made by others (examples made up, same shape).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxzy_docs.forms import FORMS, PERIOD_LABELS
from cxzy_docs.model import check_record, field_paths, get_field
from cxzy_docs.read import label_hints, parse_file, read_grid
from cxzy_docs.read.extract import choose_path, extract, extract_books
from cxzy_docs.read.grid import Cell, Grid, Line
from cxzy_docs.textnorm import fold_width, strip_spaces

DATA = Path(__file__).resolve().parent / "data"
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def lines(*texts: str, source: str = "文档.doc") -> Grid:
    return Grid(source, "doc->docx", [], [Line(t, i, where=f"正文第{i + 1}段") for i, t in enumerate(texts)])


def cells(rows: list[list[str]], source: str = "表.pdf") -> Grid:
    out = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            out.append(Cell(text, 0, r, c, where=f"第1页 第{r + 1}行第{c + 1}列"))
    return Grid(source, "pdf", out, [])


def squash(value: object) -> object:
    return strip_spaces(fold_width(value)) if isinstance(value, str) else value


# ------------------------------------------------------------------------- the stream path

# A Word 97 .doc that LibreOffice opens without its table: labels and values run on in paragraphs,
# the section labels one character a line, a signature running into the next label.
FLATTENED = [
    "党员创先争优活动写实簿",
    "（ 二〇一〇年度）",
    "姓    名李国强性    别男民    族汉出生年月1961.3入党时间1985.7文化程度高中",
    "现任职务村党支部委员",
    "承",
    "诺",
    "写",
    "实公开承诺事项",
    "1、按照公开承诺的要求，带头发展大棚蔬菜；",
    "2、帮扶困难户2户。",
    "党员本人（签字）：李国强      2010 年 1 月 8 日党支部书记（签字）：王 建 国      2010 年 1 月 9 日",
    "履",
    "诺",
    "践",
    "诺",
    "写",
    "实第一季度承诺兑现情况1、建大棚2个；2、对照领导点评指出的问题，走访帮扶户3次。",
    "党员本人（签字）：李国强      2010 年 3 月 21 日领导点评（要写清成绩、不足和努力方向）",
    "该同志带头发展大棚，成绩明显；不足是带动群众还不够；下季度要多带动。",
    "党支部书记（签字）：王 建 国      2010 年 3 月 28 日",
    "履",
    "诺",
    "践",
    "诺",
    "写",
    "实第二季度承诺兑现情况",
    "二季度完成了承诺二。",
    "党员本人（签字）：",
    "李国强",
    "2010.6.20",
    "领导点评（要写清成绩、不足和努力方向）",
    "点评二。",
    "党支部书记（签字）：王 建 国  2010.6.28",
    "年",
    "度",
    "写",
    "实年度开展创先争优活动情况简要总结",
    "全年总结，结合群众评议的意见改进。",
    "党员群众评议情况",
    "评价等次满意比较满意一般不满意参加党员人数参加群众人数",
    "票数19 4 1 0 30 25",
    "党支部书记（签字）：王 建 国      2010 年 12 月 30 日",
]


def test_flattened_doc_reads_through_the_labels_in_its_running_text() -> None:
    grid = lines(*FLATTENED)
    assert choose_path(grid) == "stream"
    rec = extract(grid)
    check_record({k: v for k, v in rec.items() if k not in ("provenance", "problems", "warnings", "format")})
    assert rec["year"] == 2010
    assert rec["subject"] | {} == {
        "name": "李国强",
        "gender": "男",
        "ethnicity": "汉",
        "birth": "1961-03",
        "joined": "1985-07",
        "education": "高中",
        "position": "村党支部委员",
        "organization": None,
    }
    assert rec["commitment"]["text"] == "1、按照公开承诺的要求，带头发展大棚蔬菜；\n2、帮扶困难户2户。"
    assert rec["commitment"]["self_sign"] == {"name": "李国强", "date": "2010-01-08"}
    assert rec["commitment"]["reviewer_sign"] == {"name": "王建国", "date": "2010-01-09"}
    q1, q2 = rec["periods"][:2]
    assert (
        q1["fulfilment"]["text"] == "1、建大棚2个；2、对照领导点评指出的问题，走访帮扶户3次。"
    )  # 领导点评 inside a sentence
    assert q1["fulfilment"]["sign"] == {"name": "李国强", "date": "2010-03-21"}
    assert q1["review"]["text"].startswith("该同志带头发展大棚") and q1["review"]["sign"]["name"] == "王建国"
    assert q2["fulfilment"] == {
        "text": "二季度完成了承诺二。",
        "sign": {"name": "李国强", "date": "2010-06-20"},
    }
    assert q2["review"] == {"text": "点评二。", "sign": {"name": "王建国", "date": "2010-06-28"}}
    assert rec["annual"]["summary"] == "全年总结，结合群众评议的意见改进。"
    assert rec["annual"]["evaluation"] == {
        "satisfied": 19,
        "fairly_satisfied": 4,
        "average": 1,
        "dissatisfied": 0,
        "members_attending": 30,
        "public_attending": 25,
    }
    assert rec["annual"]["reviewer_sign"] == {"name": "王建国", "date": "2010-12-30"}
    assert rec["problems"] == []


def test_labels_spaced_broken_over_lines_and_vertical() -> None:
    grid = lines(
        "党组织创先争优写实簿",
        "党组织名称",
        "红旗村党支部",
        "公  开  承",
        "诺  事  项",
        "承诺全文。",
        "基层党组织书记（签字）：张三  2010.1.5",
        "上",
        "半",
        "年",
        "履诺情况",
        "上半年做的事。",
        "上级党组织",
        "点评",
        "点评上半年。",
        "上级党组织书记（签字）：李四  2010.7.5",
    )
    rec = extract(grid)
    assert rec["kind"] == "organization" and rec["subject"]["name"] == "红旗村党支部"
    assert rec["commitment"]["text"] == "承诺全文。"
    assert rec["periods"][0]["fulfilment"]["text"] == "上半年做的事。"
    assert rec["periods"][0]["review"]["text"] == "点评上半年。"  # 上级党组织点评 broken over two lines
    assert rec["periods"][0]["review"]["sign"] == {"name": "李四", "date": "2010-07-05"}


def test_grid_and_stream_paths_agree_where_both_work() -> None:
    files = [
        *sorted((DATA / "forms-dev").glob("*.docx")),
        DATA / "forms-dev" / "dev-2010-m02.pdf",
        DATA / "forms-dev" / "dev-2010-m05.xlsx",
        *sorted((DATA / "made-html").glob("*.docx")),
        *sorted(p for p in (DATA / "made").glob("made-*.docx") if "not-a-book" not in p.name),
        DATA / "made-readers" / "rl-o02.pdf",
    ]
    assert len(files) >= 14
    for path in files:
        grid = read_grid(path)
        assert choose_path(grid) == "grid", path.name
        by_grid, by_stream = extract(grid, path="grid"), extract(grid, path="stream")
        paths = ["kind", "year", *field_paths(by_grid["kind"])]
        differ = [p for p in paths if squash(get_field(by_grid, p)) != squash(get_field(by_stream, p))]
        assert not differ, (path.name, [(p, get_field(by_grid, p), get_field(by_stream, p)) for p in differ])


def test_a_one_column_sheet_is_running_text() -> None:
    grid = cells([[t] for t in FLATTENED], source="贴入.xlsx")
    assert choose_path(grid) == "stream"
    assert extract(grid)["periods"][0]["review"]["sign"] == {"name": "王建国", "date": "2010-03-28"}


# --------------------------------------------------------------------------------- signatures


def test_signature_names_in_their_own_cell_spaced_on_the_next_line_or_broken() -> None:
    rec = extract(
        cells(
            [
                ["姓名", "宋丽娜"],
                ["第一季度承诺兑现情况", "一季度。"],
                [
                    "党员本人（签字）",
                    "宋 丽 娜",
                    "2010年3月24日",
                ],  # a name in its own cell between label and date
                ["领导点评", "点评一。"],
                ["党支部书记（签字）：\n王 建 国\n2010.4.2"],  # spaced, on the line after the label
                ["第二季度承诺兑现情况", "二季度。"],
                ["党员本人（签字）", "宋 丽\n娜", "2010年6月24日"],  # broken in a narrow cell
                ["领导点评", "点评二。"],
                ["党支部书记（签字）：", "买买提·艾力", "2010.7.2"],
                ["第三季度承诺兑现情况", "三季度。"],
                ["党员本人（签字）：本季度因病未能签字，由支部代为说明情况。", "2010.9.20"],
            ]
        )
    )
    q1, q2, q3 = rec["periods"][:3]
    assert q1["fulfilment"]["sign"] == {"name": "宋丽娜", "date": "2010-03-24"}
    assert q1["review"]["sign"] == {"name": "王建国", "date": "2010-04-02"}
    assert q2["fulfilment"]["sign"] == {"name": "宋丽娜", "date": "2010-06-24"}
    assert q2["review"]["sign"] == {"name": "买买提·艾力", "date": "2010-07-02"}
    assert q3["fulfilment"]["sign"]["name"] is None  # not a name: kept raw, never guessed
    kept = [p for p in rec["problems"] if p["field"] == "periods.Q3.fulfilment.sign.name"]
    assert kept and "本季度因病未能签字" in kept[0]["raw"]


# ---------------------------------------------------------------------- continuation headings


def test_continuation_headings_are_not_part_of_the_text() -> None:
    rows = [
        ["第四季度承诺兑现情况\n四季度。"],
        ["领导点评\n点评的前半，"],
        ["党支部书记（签字）：王建国 2010.12.30"],
    ]
    grid = Grid(
        "附页.pdf",
        "pdf",
        [Cell(r[0], 0, i, 0, where=f"表1 第{i + 1}行") for i, r in enumerate(rows)],
        [
            Line("附    页", 0, after_table=0),
            Line("（第四季度领导点评续）", 1, after_table=0),
            Line("点评的后半。", 2, after_table=0),
        ],
    )
    rec = extract(grid)
    assert rec["periods"][3]["review"]["text"] == "点评的前半，\n点评的后半。"
    for heading in ("附页：接上页", "接上页", "（接上页）"):
        grid.lines[1] = Line(heading, 1, after_table=0)
        assert extract(grid)["periods"][3]["review"]["text"] == "点评的前半，\n点评的后半。", heading


def test_an_attached_page_in_a_sheet_is_cells() -> None:
    rec = extract(
        cells(
            [
                ["第一季度承诺兑现情况", "一季度。"],
                ["领导点评", "点评前半，（见附页）"],
                ["党支部书记（签字）", "王建国"],
                ["第二季度承诺兑现情况", "二季度。"],
                ["附页", ""],
                ["（第一季度领导点评续）", ""],
                ["点评后半。", ""],
            ]
        )
    )
    assert rec["periods"][0]["review"]["text"] == "点评前半，\n点评后半。"


# ---------------------------------------------------------------------------- wrapped labels


def test_header_labels_wrapped_in_a_narrow_pdf_cell_are_read_in_order(tmp_path: Path) -> None:
    """Two lines set so close their glyph boxes overlap: once read as 参员加人党数."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from cxzy_docs.read.pdf import read_pdf
    from cxzy_docs.resources import cjk_font

    font_path, index = cjk_font()
    pdfmetrics.registerFont(TTFont("CJK", font_path, subfontIndex=index))
    path = tmp_path / "narrow.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    x = 72
    for label, count in [("评价等次", "票数"), ("满意", "19"), (("参加党", "员人数"), "30")]:
        w = 60 if label == "评价等次" else 44
        c.rect(x, 842 - 130, w, 30)
        c.rect(x, 842 - 150, w, 20)
        c.setFont("CJK", 10)
        if isinstance(label, tuple):
            c.drawString(x + 3, 842 - 113, label[0])
            c.drawString(x + 3, 842 - 119, label[1])  # 6 pt below: the lines' boxes overlap
        else:
            c.drawString(x + 3, 842 - 118, label)
        c.drawString(x + 3, 842 - 144, count)
        x += w
    c.showPage()
    c.save()
    texts = [cell.text for cell in read_pdf(path, hints=label_hints()).cells]
    assert "参加党员人数" in texts and "参员加人党数" not in texts


def test_a_label_whose_two_lines_were_read_across_is_recognised() -> None:
    rec = extract(
        cells(
            [
                ["第一季度承诺兑现情况", "一季度。"],
                ["领导点评", "点评。"],
                ["评价等次", "满意", "比较满意", "一般", "不满意", "参员加人党数", "参众加人群数"],
                ["票数", "19", "4", "1", "0", "30", "25"],
            ]
        )
    )
    ev = rec["annual"]["evaluation"]
    assert (ev["satisfied"], ev["members_attending"], ev["public_attending"]) == (19, 30, 25)


# ---------------------------------------------------------------------------- label wording


def test_label_wording_of_other_provinces_is_data_in_forms() -> None:
    assert {"一季度", "第1季度", "1-3月"} <= set(PERIOD_LABELS["Q1"]) and "1-6月" in PERIOD_LABELS["H1"]
    rec = extract(
        cells(
            [
                ["党组织创先争优写实簿（二〇一〇年度）"],
                ["党组织名称", "红旗村党支部"],
                ["承诺事项", "承诺。"],
                ["基层党组织书记（签字）", "张三", "2010.1.2"],
                ["1-6月践诺情况", "上半年。"],
                ["点评意见", "上半年点评。"],
                ["7-12月履诺情况", "下半年。"],
                ["上级点评", "下半年点评。"],
                ["群众评议"],
                ["满意", "20"],
                ["比较满意", "3"],
                ["一般", "1"],
                ["不满意", "0"],
                ["评议结果", "合格"],
            ]
        )
    )
    assert rec["year"] == 2010 and rec["commitment"]["text"] == "承诺。"
    assert [p["fulfilment"]["text"] for p in rec["periods"]] == ["上半年。", "下半年。"]
    assert [p["review"]["text"] for p in rec["periods"]] == ["上半年点评。", "下半年点评。"]
    assert rec["annual"]["evaluation"]["satisfied"] == 20 and rec["annual"]["grade"] == "合格"
    assert FORMS["member"].period_section("Q1").blocks[0].keys[0] == "第一季度承诺兑现情况"


# ---------------------------------------------------------------------- many books per file


def test_our_own_binder_reads_back_as_each_of_its_books(tmp_path: Path) -> None:
    from cxzy_docs.model import load_records
    from cxzy_docs.render.pdf import render_pdf

    books = [r for r in load_records(SAMPLES / "records.json")][:4]
    path = tmp_path / "合订本.pdf"
    path.write_bytes(render_pdf(books, odd_page_start=True))
    records = parse_file(path)
    assert [r["subject"]["name"] for r in records] == [b["subject"]["name"] for b in books]
    assert [r["part"]["book"] for r in records] == [1, 2, 3, 4] and records[0]["part"]["of"] == 4
    assert (
        records[1]["source"]
        == f"{path}#第{records[1]['part']['pages'][0]}-{records[1]['part']['pages'][1]}页"
    )
    for rec in records:
        check_record(rec)


def test_two_books_typed_one_after_another_in_a_docx(tmp_path: Path) -> None:
    import docx

    gold = [
        json.loads((DATA / "forms-dev" / f"dev-2010-{n}.docx.gold.json").read_text(encoding="utf-8"))
        for n in ("m01", "m03")
    ]
    d = docx.Document()
    for g in gold:
        d.add_paragraph("党员创先争优活动写实簿")
        t = d.add_table(rows=0, cols=2)
        rows = [
            ("姓名", g["subject"]["name"]),
            ("公开承诺事项", g["commitment"]["text"]),
            ("党员本人（签字）", g["commitment"]["self_sign"]["name"]),
            *(
                (f"{p}承诺兑现情况", q["fulfilment"]["text"])
                for p, q in zip(("第一季度", "第二季度"), g["periods"], strict=False)
            ),
            ("领导点评", g["periods"][1]["review"]["text"]),
        ]
        for label, value in rows:
            cells_ = t.add_row().cells
            cells_[0].text, cells_[1].text = label, value
    path = tmp_path / "两本.docx"
    d.save(str(path))
    records = parse_file(path)
    assert [r["subject"]["name"] for r in records] == ["宋丽娜", "蔡玉洁"]
    assert [r["source"] for r in records] == [f"{path}#第1本", f"{path}#第2本"]
    assert records[1]["periods"][1]["review"]["text"] == gold[1]["periods"][1]["review"]["text"]


def test_a_running_head_or_a_repeated_header_row_starts_no_book() -> None:
    rows = [
        ["党员创先争优活动写实簿"],
        ["姓名", "宋丽娜"],
        ["公开承诺事项", "承诺。"],
        ["第一季度承诺兑现情况", "一季度。"],
        ["领导点评", "点评一。"],
        ["党员创先争优活动写实簿"],
        ["姓名", "宋丽娜"],  # repeated at the top of the next page
        ["第二季度承诺兑现情况", "二季度。"],
        ["领导点评", "点评二。"],
    ]
    records = extract_books(cells(rows))
    assert len(records) == 1 and "part" not in records[0]
    assert records[0]["periods"][1]["fulfilment"]["text"] == "二季度。"


def test_a_scanned_stack_is_split_like_any_other_file() -> None:
    """The scan path hands over lines (OCR) with their pages: the same split applies."""
    one = [
        "党组织创先争优写实簿",
        "党组织名称：甲支部",
        "公开承诺事项",
        "承诺甲。",
        "上半年承诺兑现情况",
        "甲上半年。",
        "领导点评",
        "点评甲。",
    ]
    two = [
        "党组织创先争优写实簿",
        "党组织名称：乙支部",
        "公开承诺事项",
        "承诺乙。",
        "上半年承诺兑现情况",
        "乙上半年。",
        "领导点评",
        "点评乙。",
    ]
    grid = Grid(
        "扫描.pdf", "ocr", [], [Line(t, i, page=1 + i // 8, confidence=0.95) for i, t in enumerate(one + two)]
    )
    records = extract_books(grid)
    assert [r["subject"]["name"] for r in records] == ["甲支部", "乙支部"]
    assert [r["part"]["pages"] for r in records] == [[1, 1], [2, 2]]
    assert records[1]["source"] == "扫描.pdf#第2页"


# ------------------------------------------------------------------------------ debug pages


@pytest.mark.parametrize("name", ["dev-2010-m02.pdf", "dev-2010-o01.docx"])
def test_debug_pages_draw_the_boxes_found(tmp_path: Path, name: str) -> None:
    from PIL import Image

    from cxzy_docs.read.debugpages import LABEL, VALUE, debug_pages

    path = DATA / "forms-dev" / name
    if path.suffix == ".docx":
        pytest.importorskip("shutil").which("soffice") or pytest.skip("needs LibreOffice")
    written = debug_pages(path, tmp_path)
    assert written and all(p.suffix == ".png" and p.exists() for p in written)
    colours = set()
    for page in written:
        colours.update(c for _, c in Image.open(page).convert("RGB").getcolors(1 << 24) or [])
    assert LABEL in colours and VALUE in colours


def test_debug_pages_of_a_spreadsheet_is_a_clear_error(tmp_path: Path) -> None:
    from cxzy_docs.errors import ReadError
    from cxzy_docs.read.debugpages import debug_pages

    with pytest.raises(ReadError, match="没有页面") as err:
        debug_pages(DATA / "forms-dev" / "dev-2010-m05.xlsx", tmp_path)
    assert "dev-2010-m05.xlsx" in str(err.value)


# ----------------------------------------------------------------------------- the commands


def test_parse_and_import_handle_every_book_of_a_binder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cxzy_docs.cli import main
    from cxzy_docs.model import load_records
    from cxzy_docs.render.pdf import render_pdf
    from cxzy_docs.store import Store

    books = load_records(SAMPLES / "records.json")[:3]
    binder = tmp_path / "合订本.pdf"
    binder.write_bytes(render_pdf(books, odd_page_start=True))
    assert main(["parse", str(binder)]) == 0
    out = capsys.readouterr().out
    assert "3 本写实簿" in out and "页）" in out
    assert main(["parse", "--json", str(binder)]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["source"].rsplit("#", 1)[-1] for r in records] == [
        f"第{r['part']['pages'][0]}-{r['part']['pages'][1]}页" for r in records
    ]
    db = tmp_path / "office.db"
    assert main(["import", str(binder), "--db", str(db)]) == 0
    assert "新建 3 本" in capsys.readouterr().out
    sources = sorted(row.record["source"] for row in Store(str(db)).books())
    assert len(sources) == 3 and all("#第" in s for s in sources)


def test_parse_debug_pages_writes_pngs_and_names_a_file_it_cannot_draw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cxzy_docs.cli import main

    pdf, sheet = DATA / "forms-dev" / "dev-2010-m02.pdf", DATA / "forms-dev" / "dev-2010-m05.xlsx"
    assert main(["parse", "--debug-pages", str(tmp_path / "pages"), str(pdf), str(sheet)]) == 1
    captured = capsys.readouterr()
    assert len(list((tmp_path / "pages").glob("dev-2010-m02-第*页.png"))) == 6
    assert "dev-2010-m05.xlsx" in captured.err and "没有页面" in captured.err


def test_parse_debug_pages_runs_in_the_bounded_worker(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drawing reads the file like parsing does, in the bounded worker: a file past the time limit is
    stopped and named (a hostile file cannot hang or exhaust the asking process)."""
    from cxzy_docs.cli import main
    from cxzy_docs.read.worker import can_isolate

    if not can_isolate():
        pytest.skip("no bounded worker on this platform")
    scan = DATA / "scans" / "m01-scan.pdf"  # five pages of OCR: far more than a second
    monkeypatch.setenv("CXZY_LIMITS", "parse_timeout=1")
    assert main(["parse", "--debug-pages", str(tmp_path / "pages"), str(scan)]) == 1
    captured = capsys.readouterr()
    assert "m01-scan.pdf" in captured.err and "读取超过 1 秒" in captured.err
    assert not list((tmp_path / "pages").glob("m01-scan-*.png"))


def test_a_file_is_sniffed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker's parse job sniffs a file once and tells the readers what it is."""
    import cxzy_docs.read.sniff as sniff_module
    from cxzy_docs.read.batch import job_parse, job_read
    from cxzy_docs.read.settings import ReadSettings

    calls: list[str] = []
    real = sniff_module.sniff

    def counting(path: object) -> str:
        calls.append(str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(sniff_module, "sniff", counting)
    for name in ("dev-2010-m01.docx", "dev-2010-m02.pdf", "dev-2010-m05.xlsx"):
        calls.clear()
        status, (records, _notes) = job_parse(
            str(DATA / "forms-dev" / name), name, ReadSettings.resolve(None)
        )
        assert status == "ok" and records and records[0]["kind"] == "member"
        assert len(calls) == 1, (name, calls)
        calls.clear()  # the import's job: hashed, sniffed and parsed in one go
        status, (_sha, _size, fmt, (records, _notes)) = job_read(
            str(DATA / "forms-dev" / name), name, ReadSettings.resolve(None)
        )
        assert status == "ok" and records and fmt == real(DATA / "forms-dev" / name)
        assert len(calls) == 1, (name, calls)


def test_a_scan_without_ruling_lines_keeps_its_vertical_labels_out_of_the_text() -> None:
    """OCR pieces of a page whose table was not found: 履/诺/践/… down the left margin."""
    from cxzy_docs.read.ocr import _vertical_labels
    from cxzy_docs.read.ocr_engines import TextPiece

    body = [
        TextPiece(t, 0.99, (350 + 40 * i, y, 390 + 40 * i, y + 40))
        for y, line in ((80, "第一季度承诺兑现情况"), (160, "党员本人签字宋丽娜"), (240, "领导点评"))
        for i, t in enumerate(line)
    ]
    gutter = [
        TextPiece(ch, 0.99, (235, 40 + 75 * k, 273, 80 + 75 * k)) for k, ch in enumerate("履诺践诺写实")
    ]
    rest, runs = _vertical_labels(body + gutter)
    assert ["".join(p.text for p in run) for run in runs] == ["履诺践诺写实"]
    assert len(rest) == len(body)


# ----------------------------------------------------- layouts of books other people made (round 2)


def test_reviews_named_with_their_period_go_to_that_period() -> None:
    """``第2季度上级点评`` in a label cell: the review of Q2, even where Q2's fulfilment was left out."""
    rec = extract(
        cells(
            [
                ["党员创先争优活动写实簿（2010年度）"],
                ["姓名：周德", "性别：男"],
                ["公开承诺内容", "承诺。"],
                ["党员本人（签名）", "周德", "2010 年 2 月 1 日"],
                ["第1季度履诺情况", "一季度。"],
                ["第1季度上级点评", "一季度点评。"],
                ["支部书记（签名）", "胡宏军", "2010.4.5"],
                ["第2季度上级点评", "二季度点评。"],
                ["支部书记（签名）", "胡 宏 军", "2010.6.25"],
                ["全年开展创先争优活动情况", "全年。"],
                ["民主评议情况"],
                ["满意", "51", "比较满意", "6"],
                ["一般", "", "不满意", "2"],
                ["参加党员人数", "30", "参加群众人数", "33"],
            ]
        )
    )
    q1, q2 = rec["periods"][:2]
    assert q1["review"] == {"text": "一季度点评。", "sign": {"name": "胡宏军", "date": "2010-04-05"}}
    assert q2["fulfilment"]["text"] is None and q2["review"]["text"] == "二季度点评。"
    assert q2["review"]["sign"] == {"name": "胡宏军", "date": "2010-06-25"}
    assert rec["annual"]["summary"] == "全年。"
    assert rec["annual"]["evaluation"] == {
        "satisfied": 51,
        "fairly_satisfied": 6,
        "average": None,
        "dissatisfied": 2,
        "members_attending": 30,
        "public_attending": 33,
    }  # a blank count stays blank


def test_a_flattened_evaluation_table_under_its_grade_heading() -> None:
    """``评议等次`` over the column labels heads the 评议 table (it is no 评议结果), one cell a line."""
    grid = lines(
        *FLATTENED[:-4],
        "民主评议情况",
        "评议等次",
        "好",
        "较好",
        "一般",
        "差",
        "参加党员人数",
        "参加群众人数",
        "45",
        "4",
        "2",
        "0",
        "35",
        "16",
        "评议结果：优秀",
        "党支部书记（签字）：温波",
        "2011年12月23日",
    )
    rec = extract(grid)
    assert rec["annual"]["evaluation"] == {
        "satisfied": 45,
        "fairly_satisfied": 4,
        "average": 2,
        "dissatisfied": 0,
        "members_attending": 35,
        "public_attending": 16,
    }
    assert rec["annual"]["grade"] == "优秀" and rec["annual"]["reviewer_sign"]["name"] == "温波"


def test_a_section_heading_naming_its_period_is_never_a_signature_name() -> None:
    rec = extract(
        cells(
            [
                ["党员创先争优活动写实簿（2010年度）"],
                ["姓名", "孙平成"],
                ["公开承诺事项", "承诺。"],
                ["党员本人（签字）", "孙平成", "2010.2.6"],
                ["履诺践诺写实（第一季度）"],
                ["第一季度承诺兑现情况", "一季度。"],
                ["党员本人（签字）", "孙平成", "2010.3.30"],
                ["领导点评", "点评一。"],
                ["党支部书记（签字）", "", ""],
                ["履诺践诺写实（第二季度）"],
                ["第二季度承诺兑现情况", "二季度。"],
                ["党员本人（签字）", "孙平成(代)", "2010.6.30"],
            ]
        )
    )
    q1, q2 = rec["periods"][:2]
    assert q1["review"]["sign"] == {"name": None, "date": None}  # not the heading below it
    assert q2["fulfilment"]["text"] == "二季度。"
    assert q2["fulfilment"]["sign"]["name"] is None  # brackets: no name, kept in problems
    assert any(
        p["field"] == "periods.Q2.fulfilment.sign.name" and p["raw"] == "孙平成(代)" for p in rec["problems"]
    )


@pytest.mark.parametrize(
    ("written", "sure"),
    [("永安镇党支部林建芳", False), ("林建芳同志", False), ("林 建 芳", True), ("买买提·艾力", True)],
)
def test_a_person_name_box_holding_more_than_a_name_is_not_stated_as_sure(written: str, sure: bool) -> None:
    """书记姓名 run together with the organization's name (a .doc whose header runs on): the text is kept,
    never stated as a sure name; the organization's own name box is no person's name and is not judged so."""
    rec = extract(
        cells(
            [
                ["党组织创先争优写实簿（2010年度）"],
                ["党组织名称", "永安镇党支部", "党组织书记姓名", written],
                ["党员人数", "30", "入党积极分子数", "2"],
                ["公开承诺事项", "承诺。"],
                ["上半年承诺兑现情况", "兑现。"],
                ["上级党组织点评", "点评。"],
            ]
        )
    )
    assert rec["subject"]["secretary"] == written.replace(" ", "")
    assert (rec["provenance"]["subject.secretary"]["confidence"] >= 0.8) is sure
    assert rec["provenance"]["subject.name"]["confidence"] == 1.0  # 永安镇党支部: an organization's name


def test_a_name_that_does_not_look_like_one_is_kept_with_low_confidence() -> None:
    rec = extract(
        cells(
            [
                ["党员创先争优活动写实簿（2010年度）"],
                ["姓名", "孙平成"],
                ["公开承诺事项", "承诺。"],
                ["党员本人（签字）", "孙平成同志本人", "2010.2.6"],
                ["第一季度承诺兑现情况", "一季度。"],
                ["领导点评", "点评。"],
            ]
        )
    )
    assert rec["commitment"]["self_sign"]["name"] == "孙平成同志本人"
    assert rec["provenance"]["commitment.self_sign.name"]["confidence"] <= 0.5
    assert any(p["field"] == "commitment.self_sign.name" for p in rec["problems"])


def test_header_values_under_their_labels_with_one_left_blank() -> None:
    """A row of labels over a row of values typed with tabs: the blank keeps its place, or nothing is taken."""
    body = FLATTENED[4:]
    rec = extract(
        lines(
            "党员创先争优活动写实簿",
            "姓    名\t性    别\t民    族",
            "李国强\t男\t汉族",
            "现任职务\t所在党组织",
            "\t红旗村党支部",
            *body,
        )
    )
    assert rec["subject"]["name"] == "李国强" and rec["subject"]["ethnicity"] == "汉族"
    assert rec["subject"]["position"] is None and rec["subject"]["organization"] == "红旗村党支部"
    rec = extract(
        lines("党员创先争优活动写实簿", "现任职务 联系电话 所在党组织", "13696072619 红旗村党支部", *body)
    )
    assert (
        rec["subject"]["position"] is None and rec["subject"]["organization"] is None
    )  # cannot be told: kept raw
    assert any(p["raw"] == "13696072619 红旗村党支部" for p in rec["problems"])
    rec = extract(
        lines(
            "党员创先争优活动写实簿",
            "姓    名",
            "性    别",
            "民    族",
            "李国强",
            "男",
            "汉族",
            "现任职务",
            "所在党组织",
            "",
            "红旗村党支部",
            *body,
        )
    )  # one value a line, the blank one empty
    assert rec["subject"]["ethnicity"] == "汉族" and rec["subject"]["position"] is None
    assert rec["subject"]["organization"] == "红旗村党支部"


def test_markers_that_a_text_goes_on_elsewhere_are_not_part_of_it() -> None:
    at = FLATTENED.index("点评二。")
    for marker in ("（未完，接附页）", "（转下页）"):
        grid = lines(
            *FLATTENED[:at],
            "点评二，一是；",
            marker,
            *FLATTENED[at + 1 :],
            "（第二季度领导点评续）",
            "二是。",
        )
        assert extract(grid)["periods"][1]["review"]["text"] == "点评二，一是；\n二是。", marker


def test_a_date_whose_year_was_left_blank_is_not_guessed() -> None:
    at = FLATTENED.index("2010.6.20")
    rec = extract(lines(*FLATTENED[:at], "    年 6 月 20 日", *FLATTENED[at + 1 :]))
    sign = rec["periods"][1]["fulfilment"]["sign"]
    assert sign == {"name": "李国强", "date": None}
    assert rec["provenance"]["periods.Q2.fulfilment.sign.date"]["confidence"] <= 0.5
    assert any(
        p["field"] == "periods.Q2.fulfilment.sign.date" and "6 月 20" in p["raw"] for p in rec["problems"]
    )
