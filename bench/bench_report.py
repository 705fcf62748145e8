"""Time of an annual summary over 10,000 books: ``python bench/bench_report.py [--books N] [--pdf]``.

The books (a township 党委 with 党总支s, branches and members, reviews worded from random pieces)
are built with ``model.empty_record`` + ``set_field`` and put in a temporary SQLite store; the
timed part is what ``cxzy report summary`` does: load the year, validate, compute, write the DOCX.
Target: within 10 s for 10,000 books.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cxzy_docs.model import Record, empty_record, set_field
from cxzy_docs.store import Store

YEAR = 2025
ROOT = "青山镇党委"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红文海波鹏辉斌宇浩凯秀云峰"
DEEDS = (
    "组织党员清理排水沟{n}公里",
    "帮助{n}户监测户办理种植保险",
    "在电商服务站帮村民销售大米{n}千斤",
    "走访独居老人{n}户并登记用药需求",
    "为困难户代收玉米{n}亩",
    "调解邻里纠纷{n}起",
    "义务修补村道{n}米",
    "带领{n}名青年参加技能培训",
    "协助完成医保缴费{n}人",
    "组织防汛巡查{n}次",
    "推广秸秆还田{n}亩",
    "帮助{n}名留守儿童辅导功课",
)
FAULTS = (
    "不足是理论学习不够系统，笔记只有{n}篇",
    "存在的问题是走访记录不规范，{n}次只是口头报告",
    "不足是带动农户只有{n}户",
    "问题是组织生活会发言准备不充分，{n}次没有书面材料",
    "差距是群众反映的{n}件小事办理不够及时",
    "不足是对新政策宣传不够，{n}户群众还不了解",
)
AIMS = (
    "下一步要每月精读{n}篇文章",
    "今后要把走访情况逐户登记",
    "下季度要争取再带动{n}户",
    "今后要提前准备发言提纲，认领{n}项任务",
    "下一步要建立台账，{n}天内办结群众诉求",
    "今后要入户讲解政策，覆盖{n}户",
)


PLACES = (
    "东屯",
    "西岗",
    "南洼",
    "北沟",
    "河湾",
    "前营",
    "后营",
    "柳树屯",
    "杨家店",
    "石桥",
    "三道沟",
    "榆树林",
)


def _review(rng: random.Random, name: str) -> str:
    """A review of three parts, each drawn from its own pieces: real reviews are rarely near-identical."""
    deeds = rng.sample(DEEDS, 3)
    n = [rng.randint(2, 99) for _ in range(5)]
    places = rng.sample(PLACES, 2)
    return (
        f"{name}同志在{places[0]}{deeds[0].format(n=n[0])}，{deeds[1].format(n=n[1])}，"
        f"还{deeds[2].format(n=n[4])}，群众评价较好。{rng.choice(FAULTS).format(n=n[2])}，"
        f"{places[1]}的工作还要加强。{rng.choice(AIMS).format(n=n[3])}。"
    )


_END_MONTH = {"Q1": "03", "Q2": "06", "Q3": "09", "Q4": "12", "H1": "06", "H2": "12"}


def _fill(rec: Record, rng: random.Random, self_name: str, reviewer: str, name: str) -> None:
    set_field(rec, "commitment.text", f"带头参加义务劳动，联系{rng.randint(2, 9)}户群众。")
    set_field(rec, "commitment.self_sign", {"name": self_name, "date": f"{YEAR}-01-10"})
    set_field(rec, "commitment.reviewer_sign", {"name": reviewer, "date": f"{YEAR}-01-12"})
    for p in rec["periods"]:
        code, month = p["period"], _END_MONTH[p["period"]]
        set_field(
            rec, f"periods.{code}.fulfilment.text", f"本期走访群众{rng.randint(3, 40)}户，完成承诺事项。"
        )
        set_field(rec, f"periods.{code}.fulfilment.sign", {"name": self_name, "date": f"{YEAR}-{month}-20"})
        if rng.random() < 0.97:
            set_field(rec, f"periods.{code}.review.text", _review(rng, name))
            set_field(rec, f"periods.{code}.review.sign", {"name": reviewer, "date": f"{YEAR}-{month}-28"})
    for key, hi in (("satisfied", 20), ("fairly_satisfied", 8), ("average", 3), ("dissatisfied", 1)):
        set_field(rec, f"annual.evaluation.{key}", rng.randint(0, hi))
    set_field(rec, "annual.evaluation.members_attending", 15)
    set_field(rec, "annual.evaluation.public_attending", 20)
    set_field(rec, "annual.summary", f"{YEAR}年{name}完成了年初承诺的各项任务。")
    set_field(rec, "annual.reviewer_sign", {"name": reviewer, "date": f"{YEAR + 1}-01-10"})
    if rng.random() < 0.5:
        set_field(rec, "annual.grade", rng.choice(("先锋", "合格", "合格", "合格", "基本合格")))


def make_books(total: int, seed: int = 7) -> list[Record]:
    """``total`` books: 1 党委, 40 党总支, 4 branches each, the rest members spread over the branches."""
    rng = random.Random(seed)
    books: list[Record] = []
    branches: list[tuple[str, str]] = []

    def org(name: str, parent: str | None, secretary: str, upper: str) -> None:
        rec = empty_record("organization", YEAR)
        rec["subject"].update(name=name, secretary=secretary, member_count=60, activist_count=3)
        if parent:
            set_field(rec, "subject.parent", parent)
        _fill(rec, rng, secretary, upper, name)
        books.append(rec)

    def person() -> str:
        return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))

    org(ROOT, "青山县委", "周振华", "县委书记")
    for v in range(40):
        village = f"第{v + 1}村党总支"
        chief = person()
        org(village, ROOT, chief, "周振华")
        for b in range(4):
            name, secretary = f"第{v + 1}村第{b + 1}党支部", person()
            org(name, village, secretary, chief)
            branches.append((name, secretary))
    while len(books) < total:
        branch, secretary = branches[len(books) % len(branches)]
        name = person()
        rec = empty_record("member", YEAR)
        rec["subject"].update(name=name, gender="男", ethnicity="汉族", organization=branch)
        _fill(rec, rng, name, secretary, name)
        books.append(rec)
    return books


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--books", type=int, default=10_000)
    parser.add_argument("--pdf", action="store_true", help="also convert to PDF (LibreOffice)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        books = make_books(args.books)
        store = Store(Path(tmp) / "bench.db")
        store.add_records(books)
        print(f"setup: {len(books)} books built and stored in {time.perf_counter() - t0:.1f} s")

        from cxzy_docs.report import checks
        from cxzy_docs.report.figures import compute_figures
        from cxzy_docs.report.summary import summary_document, summary_text, year_scope

        t0 = time.perf_counter()
        records = store.records(year=YEAR)
        t1 = time.perf_counter()
        scope = year_scope(records, ROOT, YEAR)
        findings = checks.open_findings(scope.records, year=YEAR)
        t2 = time.perf_counter()
        figures = compute_figures(scope, YEAR, findings)
        t3 = time.perf_counter()
        doc = summary_document(figures, summary_text(figures))
        out = Path(tmp) / "summary.docx"
        doc.save(out)
        t4 = time.perf_counter()
        print(
            f"load {t1 - t0:.2f} s | validate {t2 - t1:.2f} s ({len(findings)} findings) | "
            f"figures {t3 - t2:.2f} s | wording+DOCX {t4 - t3:.2f} s"
        )
        print(
            f"summary over {len(records)} books: {t4 - t0:.2f} s (target 10 s); "
            f"{len(figures.organizations)} organizations, {figures.reviews_done} reviews, "
            f"{out.stat().st_size // 1024} KB"
        )
        if args.pdf:
            from cxzy_docs.report.topdf import docx_to_pdf

            t5 = time.perf_counter()
            docx_to_pdf(out, out.with_suffix(".pdf"))
            print(f"PDF (LibreOffice): {time.perf_counter() - t5:.2f} s")
        store.close()


if __name__ == "__main__":
    main()
