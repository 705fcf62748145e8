"""Every figure of a village's summary, recounted by plain loops from the records, the roster and the
files that failed to read — and every number the wording states found in one of its tables.

The village: a 党总支 with three branches. The roster lists who should have a book: some members have
one (read from the store), some handed in a file that cannot be read (a broken DOCX, a PDF in a folder
of scans, one of two namesakes), a branch's own book is a broken file, a photo says nothing of whose
book it is, and a whole branch handed in nothing. The broken files really go through ``import``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from test_report import BRANCHES, ROOT, TODAY, YEAR, in_scope, make_books

from cxzy_docs import api
from cxzy_docs.check.elements import analyse_review
from cxzy_docs.cli.report import report_group
from cxzy_docs.report.templating import percent
from cxzy_docs.roster import Roster

THIRD = "青松村第三党支部"  # on the roster, no book at all
MEMBER_PERIODS, ORG_PERIODS = ("Q1", "Q2", "Q3", "Q4"), ("H1", "H2")

# roster members: (name, branch); the books of make_books() cover some of them
ROSTER = [
    ("张伟", BRANCHES[0]),
    ("张伟", BRANCHES[0]),
    ("陈丽华", BRANCHES[0]),
    ("孙𠮷祥", BRANCHES[0]),
    ("马建军", BRANCHES[0]),
    ("林小红", BRANCHES[0]),
    ("王大山", BRANCHES[0]),
    ("张伟", BRANCHES[1]),
    ("赵德福", BRANCHES[1]),
    ("热依拉·阿不都", BRANCHES[1]),
    ("郑大勇", BRANCHES[1]),
    ("冯晓东", THIRD),
    ("何玉兰", THIRD),
    ("高玉山", THIRD),
]
# files handed in that cannot be read: name -> whose (kind, organization, name) by construction
BROKEN = {
    "2025_青松村第一党支部_林小红.docx": ("member", BRANCHES[0], "林小红"),
    "扫描件/青松村第二党支部/2025_青松村第二党支部_郑大勇.pdf": ("member", BRANCHES[1], "郑大勇"),
    "2025_青松村第一党支部_张伟.pdf": ("member", BRANCHES[0], "张伟"),  # the second 张伟 of branch 1
    f"2025_{THIRD}.docx": ("organization", THIRD, THIRD),
    "IMG_2031.jpg": (None, None, None),
}


def village_roster() -> Roster:
    members = [{"name": n, "organization": o} for n, o in ROSTER]
    orgs = [
        {"name": ROOT, "parent": "青松镇党委"},
        *({"name": b, "parent": ROOT} for b in (*BRANCHES, THIRD)),
    ]
    return Roster(members=members, organizations=orgs)


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The store, the inbox of broken files, the import's failed outcomes and the summary written."""
    tmp = tmp_path_factory.mktemp("village")
    inbox = tmp / "收上来的写实簿"
    for name in BROKEN:
        path = inbox / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\x00\x01 not a book " * 40)
    db = tmp / "village.db"
    with api.open_store(db) as store:
        store.add_records(make_books())
        imported = api.import_files([inbox], store)
        records, problems = api.stored_records(store, year=YEAR)
    assert len(imported.failed) == len(BROKEN)
    out = tmp / "总结.docx"
    result = api.report_summary(
        records,
        ROOT,
        YEAR,
        out,
        roster=village_roster(),
        unread=imported.failed,
        store_problems=problems,
        today=TODAY,
    )
    return {
        "db": db,
        "inbox": inbox,
        "out": out,
        "figures": result.figures,
        "findings": result.findings,
        "records": records,
        "tmp": tmp,
    }


# ----------------------------------------------------------------------------- the plain recount


def _filled(v: Any) -> bool:
    return v is not None and str(v).strip() != ""


def _org_of(b: dict[str, Any]) -> str:
    return b["subject"]["organization"] if b["kind"] == "member" else b["subject"]["name"]


def recount() -> dict[str, Any]:
    """Every figure, from the books, the roster and the broken files, loop by loop."""
    books = in_scope(make_books())
    orgs = [ROOT, *BRANCHES, THIRD]
    out: dict[str, Any] = {"orgs": {}}
    for org in orgs:
        roster = [n for n, o in ROSTER if o == org]
        member_books = [b for b in books if b["kind"] == "member" and _org_of(b) == org]
        own = [b for b in books if b["kind"] == "organization" and _org_of(b) == org]
        extra = 0
        left = list(roster)
        for b in member_books:
            if b["subject"]["name"] in left:
                left.remove(b["subject"]["name"])
            else:
                extra += 1
        unread_members = [w for w in BROKEN.values() if w[0] == "member" and w[1] == org]
        own_state = (
            "read"
            if own
            else ("unread" if any(w == ("organization", org, org) for w in BROKEN.values()) else "missing")
        )
        members_expected = len(roster) + extra
        missing_members = members_expected - len(member_books) - len(unread_members)
        expected = done = complete = unverified = 0
        found = Counter()
        for b in member_books + own:
            for p in b["periods"]:
                expected += 1
                text = p["review"]["text"]
                if _filled(text):
                    done += 1
                    r = analyse_review(text)
                    complete += r.complete
                    for k in ("achievements", "shortcomings", "direction"):
                        found[k] += r.element(k).found
        expected += (len(unread_members) + missing_members) * len(MEMBER_PERIODS)
        unverified += len(unread_members) * len(MEMBER_PERIODS)
        if own_state != "read":
            expected += len(ORG_PERIODS)
            unverified += len(ORG_PERIODS) if own_state == "unread" else 0
        votes = Counter()
        recorded = 0
        for b in member_books + own:
            ev = b["annual"]["evaluation"]
            if any(ev[k] is not None for k in ("satisfied", "fairly_satisfied", "average", "dissatisfied")):
                recorded += 1
            for k, v in ev.items():
                votes[k] += v or 0
        out["orgs"][org] = {
            "members": members_expected,
            "books_expected": members_expected + 1,
            "read": len(member_books) + len(own),
            "unread": len(unread_members) + (own_state == "unread"),
            "missing": missing_members + (own_state == "missing"),
            "reviews": (expected, done, unverified, expected - done - unverified),
            "elements": (done, found["achievements"], found["shortcomings"], found["direction"], complete),
            "votes": (
                recorded,
                votes["satisfied"],
                votes["fairly_satisfied"],
                votes["average"],
                votes["dissatisfied"],
            ),
            "absent_members": len(unread_members) + missing_members,
            "own": own_state,
        }
    per_period: dict[str, list[int]] = {}
    absent = {
        "member": sum(r["absent_members"] for r in out["orgs"].values()),
        "organization": sum(r["own"] != "read" for r in out["orgs"].values()),
    }
    for kind, codes in (("member", MEMBER_PERIODS), ("organization", ORG_PERIODS)):
        of_kind = [b for b in books if b["kind"] == kind]
        for code in codes:
            texts = [next(p for p in b["periods"] if p["period"] == code)["review"]["text"] for b in of_kind]
            per_period[code] = [len(of_kind) + absent[kind], sum(_filled(t) for t in texts)]
    out["periods"] = per_period
    made, fulfilled, kinds = Counter(), Counter(), Counter()
    for b in books:
        kinds[b["kind"]] += 1
        if _filled(b["commitment"]["text"]):
            made[b["kind"]] += 1
            fulfilled[b["kind"]] += all(_filled(p["fulfilment"]["text"]) for p in b["periods"])
    out["commitments"] = (kinds, made, fulfilled)
    return out


def _sum(rows: dict[str, dict[str, Any]], key: str, i: int | None = None) -> int:
    return sum(r[key] if i is None else r[key][i] for r in rows.values())


# ----------------------------------------------------------------------------- reading the DOCX


def docx_tables(path: Path) -> dict[str, list[list[str]]]:
    """Each table of the document by its caption (the paragraph before it), cells as text."""
    doc = Document(str(path))
    body = doc.element.body
    out: dict[str, list[list[str]]] = {}
    caption = ""
    tables = iter(doc.tables)
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            if text.strip():
                caption = text.strip()
        elif tag == "tbl":
            table = next(tables)
            out[caption] = [[c.text.strip().replace("\u3000", "") for c in row.cells] for row in table.rows]
    return out


def table(tables: dict[str, list[list[str]]], words: str) -> list[list[str]]:
    return next(rows for caption, rows in tables.items() if words in caption)


def body_paragraphs(path: Path) -> list[str]:
    """The body's running text: no title, headings, quotations (examples), sign-off, annexes."""
    doc = Document(str(path))
    out = []
    for p in doc.paragraphs:
        if p.style.name == "Report Annex":
            break
        if p.style.name in ("Normal",) and p.text.strip():
            out.append(p.text)
    return out


# ------------------------------------------------------------------------------------ the tests


def test_the_census_counts_people_and_unread_books(village: dict[str, Any]) -> None:
    f = village["figures"]
    want = recount()["orgs"]
    for row in f.org_rows:
        r = want[row.name]
        assert (
            row.members_expected,
            row.books_expected,
            row.books_read,
            row.books_unread,
            row.books_missing,
        ) == (r["members"], r["books_expected"], r["read"], r["unread"], r["missing"]), row.name
    assert f.books_unread == 4 and f.unattributed == 1  # the photo says nothing of whose book it is
    assert (f.books_expected, f.books, f.books_missing) == (
        _sum(want, "books_expected"),
        _sum(want, "read"),
        _sum(want, "missing"),
    )
    assert {u.file.name for u in f.unread} == {Path(n).name for n in BROKEN}


def test_every_table_cell_equals_the_recount(village: dict[str, Any]) -> None:
    want = recount()
    orgs = want["orgs"]
    tables = docx_tables(village["out"])
    books = table(tables, "写实簿收集情况")
    assert books[0] == ["党组织", "党员人数", "应建写实簿", "已收回", "未能读取", "未交", "收齐率"]
    for row in books[1:-1]:
        r = orgs[row[0]]
        assert row[1:] == [
            str(r["members"]),
            str(r["books_expected"]),
            str(r["read"]),
            str(r["unread"]),
            str(r["missing"]),
            percent(r["read"] / r["books_expected"]),
        ], row
    total = [str(_sum(orgs, k)) for k in ("members", "books_expected", "read", "unread", "missing")]
    assert books[-1] == ["合计", *total, percent(_sum(orgs, "read") / _sum(orgs, "books_expected"))]

    coverage = table(tables, "领导点评覆盖情况")
    for row in coverage[1:-1]:
        expected, done, unverified, not_done = orgs[row[0]]["reviews"]
        assert row[1:] == [
            str(expected),
            str(done),
            str(unverified),
            str(not_done),
            percent(done / expected if expected else 0),
        ], row
    sums = [_sum(orgs, "reviews", i) for i in range(4)]
    assert coverage[-1] == ["合计", *map(str, sums), percent(sums[1] / sums[0])]

    elements = table(tables, "点评内容情况")
    for row in elements[1:-1]:
        done, a, s, d, c = orgs[row[0]]["elements"]
        assert row[1:] == [str(done), str(a), str(s), str(d), str(c), percent(c / done if done else 0)], row
    sums = [_sum(orgs, "elements", i) for i in range(5)]
    assert elements[-1] == ["合计", *map(str, sums), percent(sums[4] / sums[0])]

    votes = table(tables, "各党组织党员群众评议情况")
    for row in [*votes[1:-1]]:
        recorded, *counts = orgs[row[0]]["votes"]
        total = sum(counts)
        assert row[1:] == [
            str(recorded),
            *map(str, counts),
            str(total),
            percent((counts[0] + counts[1]) / total if total else 0),
        ], row
    sums = [_sum(orgs, "votes", i) for i in range(5)]
    assert votes[-1][:7] == ["合计", *map(str, sums), str(sum(sums[1:]))]

    periods = table(tables, "各期领导点评情况")
    for row in periods[1:-1]:
        code = {
            "第一季度": "Q1",
            "第二季度": "Q2",
            "第三季度": "Q3",
            "第四季度": "Q4",
            "上半年": "H1",
            "下半年": "H2",
        }[row[0]]
        assert [row[2], row[3]] == [str(x) for x in want["periods"][code]], row
    assert periods[-1][2:4] == [
        str(sum(v[0] for v in want["periods"].values())),
        str(sum(v[1] for v in want["periods"].values())),
    ]

    kinds, made, fulfilled = want["commitments"]
    commitments = table(tables, "公开承诺和践诺情况")
    for row, kind in zip(commitments[1:3], ("member", "organization"), strict=True):
        assert row[1:4] == [str(kinds[kind]), str(made[kind]), str(fulfilled[kind])]

    problems = {row[0]: row[1] for row in table(tables, "存在问题分类统计")[1:]}
    assert problems["写实簿未交"] == str(_sum(orgs, "missing"))
    assert problems["写实簿已交回但无法读取"] == str(_sum(orgs, "unread"))
    assert problems["文件无法读取且无法确定是谁的写实簿"] == "1"
    counted = Counter(f.code for f in village["findings"])
    from cxzy_docs.report.figures import PROBLEM_WORDS

    for code, n in counted.items():
        assert problems[PROBLEM_WORDS[code]] == str(n), code


def test_every_figure_in_the_text_is_in_a_table(village: dict[str, Any]) -> None:
    tables = docx_tables(village["out"])
    cells = {c for rows in tables.values() for row in rows for c in row}
    numbers = re.compile(r"(?<![\d.])\d+(?:\.\d+)?%?")
    for para in body_paragraphs(village["out"]):
        text = re.sub(rf"\d{{4}}年\d{{1,2}}月\d{{1,2}}日|表\d+|{YEAR}年度?", "", para)
        for number in numbers.findall(text):
            assert number in cells, (number, para)


def test_the_wording_states_the_census(village: dict[str, Any]) -> None:
    f = village["figures"]
    text = "\n".join(body_paragraphs(village["out"]))
    assert f"全年应建写实簿{f.books_expected}本，已收回并读取{f.books}本" in text
    assert f"已交回但文件无法读取的{f.books_unread}本" in text and f"尚未交回{f.books_missing}本" in text
    for words in ("基本情况", "主要做法", "点评内容和效果", "存在的问题", "下一步打算"):
        assert any(words in p.text for p in Document(str(village["out"])).paragraphs), words
    all_text = "\n".join(p.text for p in Document(str(village["out"])).paragraphs)
    for internal in ("periods.", "review.", ".docx", "/", "cxzy", "None", "签字处的文字"):
        assert internal not in "\n".join(body_paragraphs(village["out"])), internal
    assert "2026年1月20日" in all_text  # the as-of date (today given): not the real today


def test_the_cli_counts_the_inbox_and_dates_the_report(village: dict[str, Any]) -> None:
    tmp = village["tmp"]
    (tmp / "花名册.csv").write_text(
        "姓名,所在党组织\n" + "".join(f"{n},{o}\n" for n, o in ROSTER), encoding="utf-8"
    )
    orgs = village_roster().organizations
    (tmp / "党组织.csv").write_text(
        "党组织名称,上级党组织\n" + "".join(f"{o['name']},{o['parent']}\n" for o in orgs), encoding="utf-8"
    )
    out = tmp / "cli.docx"
    res = CliRunner().invoke(
        report_group,
        [
            "summary",
            "--org",
            ROOT,
            "--year",
            str(YEAR),
            "--db",
            str(village["db"]),
            "--out",
            str(out),
            "--roster",
            str(tmp / "花名册.csv"),
            "--orgs",
            str(tmp / "党组织.csv"),
            "--inbox",
            str(village["inbox"]),
            "--date",
            "2026-01-15",
            "--issuer",
            "中共青松村总支部委员会",
            "--as-of",
            "2026-01-10",
        ],
    )
    assert res.exit_code == 0, res.output
    f = village["figures"]
    assert f"未能读取 {f.books_unread + f.unattributed} 个文件、未交 {f.books_missing} 本" in res.output, (
        res.output
    )
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "2026年1月15日" in text and "中共青松村总支部委员会" in text


def test_every_kind_of_problem_has_words_for_a_summary() -> None:
    """A new validator rule must come with the words a 总结 uses for it (not the fixer's title)."""
    from cxzy_docs.check.findings import RULES
    from cxzy_docs.report.figures import PROBLEM_WORDS

    assert "coverage.no_book" in RULES
    assert sorted(set(RULES) - set(PROBLEM_WORDS)) == []
