"""The annual summary: figures recomputed here from the records, wording, DOCX content, templates, CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document

from cxzy_docs.check.elements import analyse_review
from cxzy_docs.cli.report import report_group
from cxzy_docs.model import Record, empty_record, get_field, set_field
from cxzy_docs.report.errors import ReportError, TemplateError
from cxzy_docs.report.summary import summary_figures, summary_text, write_summary
from cxzy_docs.report.templating import percent
from cxzy_docs.store import Store

YEAR = 2025
ROOT = "青松村党总支"
BRANCHES = ("青松村第一党支部", "青松村第二党支部")
OUTSIDE = "白桦村党支部"  # a sibling under the same township: never in the 党总支's report
TODAY = dt.date(2026, 1, 20)

_DEEDS = (
    "组织党员义务清理村内排水沟{n}公里",
    "帮助{n}户脱贫监测户办理种植保险",
    "在电商服务站帮村民销售大米{n}千斤",
    "走访独居老人{n}户并登记他们的用药需求",
    "带领志愿者为秋收困难户代收玉米{n}亩",
    "调解邻里宅基地纠纷{n}起",
)
_FAULTS = (
    "不足是理论学习抓得不够紧，学习笔记只有{n}篇",
    "存在的问题是走访记录不够规范，有{n}次只是口头报告",
    "不足是带动的农户只有{n}户，离承诺还有差距",
    "问题是组织生活会发言准备不充分，{n}次会议没有书面材料",
)
_AIMS = (
    "下一步要制定学习计划，每月至少精读{n}篇文章",
    "今后要把走访情况逐户登记，做到有据可查",
    "下季度要到田间地头现场示范，争取再带动{n}户",
    "今后要提前准备发言提纲，主动认领{n}项支部任务",
)


def review_text(name: str, seed: int) -> str:
    """A complete review (成绩、不足、努力方向); ``seed`` < 96 picks a combination no other seed has."""
    n = 3 + seed % 7
    deed, fault, aim = seed % 6, (seed // 6) % 4, (seed // 24) % 4
    return (
        f"{name}同志{_DEEDS[deed].format(n=n)}，群众反映较好。"
        f"{_FAULTS[fault].format(n=n)}。{_AIMS[aim].format(n=n + 1)}。"
    )


def _sign(rec: Record, path: str, name: str | None, date: str | None) -> None:
    set_field(rec, f"{path}.name", name)
    set_field(rec, f"{path}.date", date)


_Q_END = {"Q1": "03-28", "Q2": "06-27", "Q3": "09-26", "Q4": "12-26", "H1": "06-29", "H2": "12-28"}


def _fill(rec: Record, self_name: str, reviewer: str, name: str, seed: int) -> None:
    set_field(
        rec, "commitment.text", f"1、带头参加村里的义务劳动；2、联系{3 + seed % 4}户群众，帮助解决实际困难。"
    )
    _sign(rec, "commitment.self_sign", self_name, f"{YEAR}-01-10")
    _sign(rec, "commitment.reviewer_sign", reviewer, f"{YEAR}-01-15")
    for i, p in enumerate(rec["periods"]):
        code = p["period"]
        set_field(
            rec,
            f"periods.{code}.fulfilment.text",
            f"本期按承诺完成了第{i + 1}项工作，走访群众{seed + i + 4}户。",
        )
        _sign(rec, f"periods.{code}.fulfilment.sign", self_name, f"{YEAR}-{_Q_END[code][:2]}-20")
        set_field(rec, f"periods.{code}.review.text", review_text(name, seed * 4 + i))
        _sign(rec, f"periods.{code}.review.sign", reviewer, f"{YEAR}-{_Q_END[code]}")
    set_field(rec, "annual.summary", f"{YEAR}年{name}认真履行承诺，完成了年初确定的各项任务。")
    votes = (12 + seed % 5, 5 + seed % 3, 1 + seed % 2, seed % 2)
    for key, value in zip(("satisfied", "fairly_satisfied", "average", "dissatisfied"), votes, strict=True):
        set_field(rec, f"annual.evaluation.{key}", value)
    set_field(rec, "annual.evaluation.members_attending", 8 + seed % 3)
    set_field(rec, "annual.evaluation.public_attending", 16 + seed % 4)
    _sign(rec, "annual.reviewer_sign", reviewer, f"{YEAR + 1}-01-08")


def org_book(
    name: str, secretary: str, parent: str | None, upper: str, seed: int, year: int = YEAR
) -> Record:
    rec = empty_record("organization", year)
    rec["subject"].update(name=name, secretary=secretary, member_count=12, activist_count=2)
    if parent:
        set_field(rec, "subject.parent", parent)
    _fill(rec, secretary, upper, name, seed)
    return rec


def member_book(name: str, org: str, secretary: str, seed: int, year: int = YEAR) -> Record:
    rec = empty_record("member", year)
    rec["subject"].update(
        name=name,
        gender="男" if seed % 2 else "女",
        ethnicity="汉族",
        birth="1975-03",
        joined="2001-07",
        education="高中",
        position="村民",
        organization=org,
    )
    _fill(rec, name, secretary, name, seed)
    return rec


def make_books() -> list[Record]:
    """A 党总支 with two branches and their members, a sibling branch outside it, and uneven books."""
    books = [
        org_book(ROOT, "李建国", "青松镇党委", "周振华", 0),
        org_book(BRANCHES[0], "王秀英", ROOT, "李建国", 1),
        org_book(BRANCHES[1], "刘志强", ROOT, "李建国", 2),
        org_book(OUTSIDE, "孙海涛", "青松镇党委", "周振华", 3),
    ]
    names = [
        ("张伟", 0),
        ("张伟", 1),
        ("陈丽华", 0),
        ("赵德福", 1),
        ("孙𠮷祥", 0),
        ("热依拉·阿不都", 1),
        ("马建军", 1),
    ]
    for i, (name, branch) in enumerate(names):
        books.append(member_book(name, BRANCHES[branch], ("王秀英", "刘志强")[branch], 4 + i))
    books.append(member_book("钱多多", OUTSIDE, "孙海涛", 11))
    m = {i: books[4 + i] for i in range(len(names))}
    set_field(m[0], "periods.Q3.review.text", "表现良好。")  # boilerplate: done but not complete
    set_field(m[1], "periods.Q2.review.text", "王二同志本季度带头清理排水沟2公里，无明显不足，希望继续保持。")
    set_field(m[2], "periods.Q4.review.text", None)  # not reviewed
    set_field(m[2], "periods.Q4.review.sign.name", None)
    set_field(m[2], "periods.Q4.review.sign.date", None)
    set_field(m[3], "periods.Q1.review.sign.name", None)  # reviewed, not signed
    set_field(m[4], "periods.Q2.fulfilment.sign.date", None)  # signed, not dated
    set_field(m[5], "periods.Q4.fulfilment.text", None)  # commitment made, not fulfilled
    set_field(m[5], "periods.Q4.fulfilment.sign.name", None)
    set_field(m[5], "periods.Q4.fulfilment.sign.date", None)
    set_field(m[6], "commitment.text", None)  # no commitment at all
    for key in ("satisfied", "fairly_satisfied", "average", "dissatisfied"):  # votes not recorded
        set_field(m[6], f"annual.evaluation.{key}", None)
    for rec, grade in (
        (m[0], "先锋"),
        (m[1], "合格"),
        (m[2], "基本合格"),
        (m[3], "合格"),
        (books[1], "先锋"),
        (books[4 + len(names)], "后进"),
    ):
        set_field(rec, "annual.grade", grade)
    books.append(member_book("吴明", BRANCHES[0], "王秀英", 12, year=YEAR - 1))  # another year
    return books


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    db = tmp_path / "cxzy.db"
    store = Store(db)
    store.add_records(make_books())
    store.close()
    return db


def in_scope(books: list[Record]) -> list[Record]:
    orgs = {ROOT, *BRANCHES}
    return [
        b
        for b in books
        if b["year"] == YEAR
        and (b["subject"].get("organization") if b["kind"] == "member" else b["subject"]["name"]) in orgs
    ]


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def _filled(v: Any) -> bool:
    return v is not None and str(v).strip() != ""


# ------------------------------------------------------------------------- figures, recomputed


def test_figures_match_a_recount_of_the_records(store_path: Path) -> None:
    records = Store(store_path).records(year=YEAR)
    f, findings = summary_figures(records, ROOT, YEAR)
    books = in_scope(make_books())
    members = [b for b in books if b["kind"] == "member"]
    orgs = [b for b in books if b["kind"] == "organization"]
    assert (f.member_books, f.organization_books) == (len(members), len(orgs)) == (7, 3)
    assert set(f.organizations) == {ROOT, *BRANCHES} and f.organizations[0] == ROOT

    expected = done = complete = 0
    found = {"achievements": 0, "shortcomings": 0, "direction": 0}
    per_period: dict[str, list[int]] = {}
    for b in books:
        for p in b["periods"]:
            expected += 1
            slot = per_period.setdefault(p["period"], [0, 0, 0])
            slot[0] += 1
            text = p["review"]["text"]
            if _filled(text):
                done += 1
                slot[1] += 1
                r = analyse_review(text)
                complete += r.complete
                slot[2] += r.complete
                for k in found:
                    found[k] += r.element(k).found
    assert (f.reviews_expected, f.reviews_done, f.reviews_complete) == (expected, done, complete)
    assert f.element_found == found
    assert {c.period: [c.expected, c.done, c.complete] for c in f.coverage} == per_period
    assert done == expected - 1 and complete <= done - 2  # the blank Q4, the boilerplate and 无明显不足

    votes = dict.fromkeys(
        ("satisfied", "fairly_satisfied", "average", "dissatisfied", "members_attending", "public_attending"),
        0,
    )
    for b in books:
        for k in votes:
            votes[k] += b["annual"]["evaluation"][k] or 0
    tally = f.votes_all
    assert {k: getattr(tally, k) for k in votes} == votes
    assert tally.total == sum(votes[k] for k in ("satisfied", "fairly_satisfied", "average", "dissatisfied"))
    assert f.votes_members.books == sum(
        1 for b in members if b["annual"]["evaluation"]["satisfied"] is not None
    )

    made = {"member": 0, "organization": 0}
    fulfilled = {"member": 0, "organization": 0}
    for b in books:
        if _filled(b["commitment"]["text"]):
            made[b["kind"]] += 1
            fulfilled[b["kind"]] += all(_filled(p["fulfilment"]["text"]) for p in b["periods"])
    assert (f.commitments_made, f.commitments_fulfilled) == (made, fulfilled)
    assert made["member"] == 6 and fulfilled["member"] == 5

    grades: dict[str, int] = {}
    for b in books:
        g = b["annual"].get("grade")
        if g:
            grades[g] = grades.get(g, 0) + 1
    assert {g.grade: g.members + g.organizations for g in f.grades if g.members + g.organizations} == grades
    assert "后进" not in grades  # the 后进 book is outside the 党总支

    # signatures: every sign whose text is filled; missing = no name; undated = name without date
    expected_signs = missing = undated = 0
    for b in books:
        pairs = [("commitment.text", "commitment.self_sign"), ("commitment.text", "commitment.reviewer_sign")]
        for p in b["periods"]:
            c = p["period"]
            pairs += [
                (f"periods.{c}.fulfilment.text", f"periods.{c}.fulfilment.sign"),
                (f"periods.{c}.review.text", f"periods.{c}.review.sign"),
            ]
        for text_path, sign_path in pairs:
            if _filled(get_field(b, text_path)):
                expected_signs += 1
                if not _filled(get_field(b, f"{sign_path}.name")):
                    missing += 1
                elif not _filled(get_field(b, f"{sign_path}.date")):
                    undated += 1
        expected_signs += 1  # the annual part: summary and votes are filled in every book
    assert (f.signatures_expected, f.signatures_missing, f.signatures_undated) == (
        expected_signs,
        missing,
        undated,
    )
    assert (missing, undated) == (1, 1)

    assert f.findings_open == len(findings) > 0
    assert all(f2.book is not None and 0 <= f2.book < len(books) for f2 in findings)


def test_examples_are_complete_and_free_of_findings(store_path: Path) -> None:
    f, findings = summary_figures(Store(store_path).records(year=YEAR), ROOT, YEAR)
    assert f.examples and len({(e.organization, e.subject) for e in f.examples}) == len(f.examples)
    scores = [e.score for e in f.examples]
    assert scores == sorted(scores, reverse=True)
    for e in f.examples:
        r = analyse_review(e.text)
        assert r.complete
        assert e.score == sum(
            len(r.element(k).evidence.phrase) for k in ("achievements", "shortcomings", "direction")
        )
        assert e.achievements in e.text and e.shortcomings in e.text and e.direction in e.text
        assert not [
            x
            for x in findings
            if x.subject.endswith(e.subject) and x.field.startswith(f"periods.{e.period}.")
        ]


def test_the_docx_states_the_figures(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "summary.docx"
    result = write_summary(Store(store_path).records(year=YEAR), ROOT, YEAR, out, today=TODAY)
    f = result.figures
    text = docx_text(out)
    assert f"{ROOT}{YEAR}年度\n创先争优领导点评工作总结" in text  # balanced over two lines, not mid-word
    for phrase in (
        f"全年应建写实簿{f.books_expected}本，已收回并读取{f.books}本",
        f"全年应点评{f.reviews_expected}次",
        f"已点评{f.reviews_done}次",
        f"覆盖率{percent(f.review_share)}",
        f"三项齐全的{f.reviews_complete}条",
        f"共投票{f.votes_all.total}票",
        f"满意{f.votes_all.satisfied}票",
        "一、基本情况",
        "二、主要做法",
        "三、点评内容和效果",
        "四、存在的问题",
        "五、下一步打算",
        "2026年1月20日",
    ):
        assert phrase in text, phrase
    assert OUTSIDE not in text and "钱多多" not in text
    for e in f.examples:
        assert e.text in text
    doc = Document(str(out))
    assert len(doc.inline_shapes) == 2  # the two charts
    captions = [p.text for p in doc.paragraphs if p.style.name == "Report Caption"]
    assert [c.split("　")[0] for c in captions] == [f"表{i}" for i in range(1, len(captions) + 1)]
    assert len(doc.tables) == len(captions) + 1  # the numbered tables and the annex's list of problems


def test_docx_layout_follows_gbt_9704(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.docx"
    write_summary(Store(store_path).records(year=YEAR), ROOT, YEAR, out, today=TODAY)
    doc = Document(str(out))
    sec = doc.sections[0]
    mm = [
        round(x.mm)
        for x in (
            sec.page_width,
            sec.page_height,
            sec.top_margin,
            sec.bottom_margin,
            sec.left_margin,
            sec.right_margin,
        )
    ]
    assert mm == [210, 297, 37, 35, 28, 26]
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def east_asian(style_name: str) -> tuple[str | None, float | None]:
        style = doc.styles[style_name]
        fonts = style.element.rPr.find(f"{ns}rFonts")
        return fonts.get(f"{ns}eastAsia"), style.font.size.pt if style.font.size else None

    assert east_asian("Normal") == ("仿宋_GB2312", 16.0)
    assert east_asian("Report Title") == ("方正小标宋简体", 22.0)
    assert east_asian("Report Heading 1")[0] == "黑体"
    assert east_asian("Report Heading 2")[0] == "楷体_GB2312"
    assert abs(doc.styles["Normal"].paragraph_format.line_spacing.pt - 28.95) < 0.1
    by_style: dict[str, Any] = {}
    for p in doc.paragraphs:
        if p.runs:
            by_style.setdefault(p.style.name, p)
    assert by_style["Report Heading 1"].text.startswith("一、")
    assert by_style["Report Heading 2"].text.startswith("（一）")
    for p in doc.paragraphs:  # every run names its east Asian font itself
        for run in p.runs:
            assert run._r.rPr.find(f"{ns}rFonts").get(f"{ns}eastAsia"), p.text


# ------------------------------------------------------------------------------- no records


def test_a_year_without_records_is_a_clear_message(store_path: Path, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="没有 2019 年度的写实簿记录"):
        write_summary(Store(store_path).records(year=2019), ROOT, 2019, tmp_path / "s.docx")
    assert not (tmp_path / "s.docx").exists()
    with pytest.raises(ReportError, match="没有“不存在党支部”及其所属党组织的写实簿"):
        write_summary(Store(store_path).records(year=YEAR), "不存在党支部", YEAR, tmp_path / "s.docx")


# --------------------------------------------------------------------------------- templates


def test_an_office_template_overrides_one_file(store_path: Path, tmp_path: Path) -> None:
    office = tmp_path / "office"
    (office / "summary").mkdir(parents=True)
    (office / "summary" / "signoff.md.j2").write_text(
        "::right 中共{{ org }}委员会（盖章）\n", encoding="utf-8"
    )
    out = tmp_path / "s.docx"
    write_summary(Store(store_path).records(year=YEAR), ROOT, YEAR, out, template_dir=office, today=TODAY)
    text = docx_text(out)
    assert f"中共{ROOT}委员会（盖章）" in text and "一、基本情况" in text


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("# 标题\n\n{{ f.no_such_figure }}\n", 3, "未定义"),
        ("# 标题\n{% if %}\n", 2, "语法错误"),
        ("# 标题\n\n\n{{ f.__class__.__mro__ }}\n", 4, "不允许"),
        ("# t\n{{ f.element_found.update(x=1) }}\n", 2, "不允许"),
    ],
)
def test_a_template_error_names_the_template_and_line(
    store_path: Path, tmp_path: Path, body: str, line: int, words: str
) -> None:
    office = tmp_path / "office"
    office.mkdir()
    (office / "summary.md.j2").write_text(body, encoding="utf-8")
    f, _ = summary_figures(Store(store_path).records(year=YEAR), ROOT, YEAR)
    with pytest.raises(TemplateError) as info:
        summary_text(f, template_dir=office)
    message = info.value.message
    assert "summary.md.j2" in message and f"第 {line} 行" in message and words in message, message


def test_a_missing_table_name_is_reported(store_path: Path, tmp_path: Path) -> None:
    office = tmp_path / "office"
    office.mkdir()
    (office / "summary.md.j2").write_text("# 标题\n\n::table nosuch\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="不存在的表格“nosuch”"):
        write_summary(
            Store(store_path).records(year=YEAR), ROOT, YEAR, tmp_path / "s.docx", template_dir=office
        )


def test_record_text_never_becomes_markup(store_path: Path, tmp_path: Path) -> None:
    books = make_books()
    hostile = "## 伪造标题\n::table votes\n# 假标题"
    for b in books:
        if b["kind"] == "member" and b["subject"]["organization"] in BRANCHES:
            for p in b["periods"]:
                if p["review"]["text"] and analyse_review(p["review"]["text"]).complete:
                    p["review"]["text"] += "\n" + hostile
    out = tmp_path / "s.docx"
    write_summary([b for b in books if b["year"] == YEAR], ROOT, YEAR, out, today=TODAY)
    doc = Document(str(out))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Report Heading 1")]
    plain = tmp_path / "plain.docx"
    write_summary([b for b in make_books() if b["year"] == YEAR], ROOT, YEAR, plain, today=TODAY)
    assert "伪造标题" not in " ".join(headings) and len(doc.tables) == len(Document(str(plain)).tables)
    assert any("## 伪造标题" in p.text for p in doc.paragraphs)  # quoted as written, inside the quotation


# ------------------------------------------------------------------------------------- CLI


def test_cli_summary_and_empty_year(store_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "r.docx"
    res = runner.invoke(
        report_group,
        ["summary", "--org", ROOT, "--year", str(YEAR), "--db", str(store_path), "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    assert out.is_file() and "已生成" in res.output
    res = runner.invoke(
        report_group,
        [
            "summary",
            "--org",
            ROOT,
            "--year",
            "2030",
            "--db",
            str(store_path),
            "--out",
            str(tmp_path / "none.docx"),
        ],
    )
    assert res.exit_code == 2 and "没有 2030 年度的写实簿记录" in res.output
    assert not (tmp_path / "none.docx").exists()


def test_every_filter_is_documented_and_works() -> None:
    from cxzy_docs.report.templating import FILTERS, cn_date, cn_number, default_dir, join_cn

    readme = (default_dir() / "README.md").read_text(encoding="utf-8")
    for f in FILTERS:
        assert f"`{f.name}`" in readme, f.name
    assert percent(0.875) == "87.5%" and percent(1.0) == "100%" and percent(0.5, 0) == "50%"
    assert [cn_number(n) for n in (1, 10, 12, 25)] == ["一", "十", "十二", "二十五"]
    assert cn_date("2025-03-31") == "2025年3月31日" and cn_date("2025-03") == "2025年3月"
    assert join_cn(["甲", "乙", "丙"]) == "甲、乙和丙"
