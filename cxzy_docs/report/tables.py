"""The tables of the annual summary, built from the figures (templates place them with ``::table 名称``).

Every figure the wording states is a cell of one of these tables (most often its 合计 row): an office
can point at where each number comes from. Captions carry no number; the document numbers the tables
in the order they are placed (表1, 表2, ...), and the wording refers to them by ``tab("名称")``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cxzy_docs.report.figures import KINDS, VOTE_KEYS, VOTE_NAMES, Figures, OrgRow, share
from cxzy_docs.report.gbdoc import TableData
from cxzy_docs.report.templating import percent

TOTAL = "合计"
KIND_WORDS = {"member": "党员", "organization": "党组织"}


def _org_name(r: OrgRow) -> str:
    return "　" * min(r.depth, 3) + r.name


def books_table(f: Figures) -> TableData:
    """Who should have a book, by organization: read, could not be read, not handed in."""
    rows: list[tuple[object, ...]] = [
        (
            _org_name(r),
            r.members_expected,
            r.books_expected,
            r.books_read,
            r.books_unread,
            r.books_missing,
            percent(r.books_share),
        )
        for r in f.org_rows
    ]
    rows.append(
        (
            TOTAL,
            f.members_expected,
            f.books_expected,
            f.books,
            f.books_unread,
            f.books_missing,
            percent(f.books_share),
        )
    )
    return TableData(
        "各党组织写实簿收集情况",
        ("党组织", "党员人数", "应建写实簿", "已收回", "未能读取", "未交", "收齐率"),
        rows,
        left_columns=frozenset({0}),
    )


def coverage_table(f: Figures) -> TableData:
    """Reviews expected, written, in books that could not be read, not written, by organization."""
    rows: list[tuple[object, ...]] = [
        (
            _org_name(r),
            r.reviews_expected,
            r.reviews_done,
            r.reviews_unverified,
            r.reviews_not_done,
            percent(r.review_share),
        )
        for r in f.org_rows
    ]
    rows.append(
        (
            TOTAL,
            f.reviews_expected,
            f.reviews_done,
            f.reviews_unverified,
            f.reviews_not_done,
            percent(f.review_share),
        )
    )
    return TableData(
        "各党组织领导点评覆盖情况",
        ("党组织", "应点评", "已点评", "写实簿未能读取", "未点评", "覆盖率"),
        rows,
        left_columns=frozenset({0}),
    )


def periods_table(f: Figures) -> TableData:
    """Reviews by period: expected, written, signed in time."""
    rows: list[tuple[object, ...]] = [
        (c.name, KIND_WORDS.get(c.kind, c.kind), c.expected, c.done, c.in_time, percent(c.share))
        for c in f.coverage
        if c.expected or c.done
    ]
    rows.append((TOTAL, "", f.reviews_expected, f.reviews_done, f.reviews_in_time, percent(f.review_share)))
    return TableData("各期领导点评情况", ("期次", "点评对象", "应点评", "已点评", "按期签署", "覆盖率"), rows)


def elements_table(f: Figures) -> TableData:
    """The three elements (成绩, 不足, 努力方向) in the reviews written, by organization."""
    rows: list[tuple[object, ...]] = [
        (
            _org_name(r),
            r.reviews_done,
            r.element_found["achievements"],
            r.element_found["shortcomings"],
            r.element_found["direction"],
            r.reviews_complete,
            percent(r.complete_share),
        )
        for r in f.org_rows
    ]
    rows.append(
        (
            TOTAL,
            f.reviews_done,
            f.element_found["achievements"],
            f.element_found["shortcomings"],
            f.element_found["direction"],
            f.reviews_complete,
            percent(f.complete_share),
        )
    )
    return TableData(
        "各党组织点评内容情况",
        ("党组织", "已点评", "写明成绩", "指出不足", "提出努力方向", "三项齐全", "齐全率"),
        rows,
        left_columns=frozenset({0}),
    )


def commitments_table(f: Figures) -> TableData:
    """Commitments made and fulfilled in the books read, by kind."""
    rows: list[tuple[object, ...]] = []
    for kind in KINDS:
        n, made, done = (
            f.commitments_expected.get(kind, 0),
            f.commitments_made[kind],
            f.commitments_fulfilled[kind],
        )
        rows.append((KIND_WORDS[kind], n, made, done, percent(share(done, made))))
    n = sum(f.commitments_expected.get(k, 0) for k in KINDS)
    made, done = sum(f.commitments_made.values()), sum(f.commitments_fulfilled.values())
    rows.append((TOTAL, n, made, done, percent(share(done, made))))
    return TableData(
        "公开承诺和践诺情况", ("对象", "已收回写实簿", "作出承诺", "各期均有兑现记载", "兑现率"), rows
    )


def org_votes_table(f: Figures) -> TableData:
    """党员群众评议 votes by organization (its members' books and its own)."""
    rows: list[tuple[object, ...]] = [
        (
            _org_name(r),
            r.votes.books,
            r.votes.satisfied,
            r.votes.fairly_satisfied,
            r.votes.average,
            r.votes.dissatisfied,
            r.votes.total,
            percent(r.votes.good_share),
        )
        for r in f.org_rows
    ]
    t = f.votes_all
    rows.append(
        (
            TOTAL,
            t.books,
            t.satisfied,
            t.fairly_satisfied,
            t.average,
            t.dissatisfied,
            t.total,
            percent(t.good_share),
        )
    )
    return TableData(
        "各党组织党员群众评议情况",
        ("党组织", "记录评议的写实簿", "满意", "比较满意", "一般", "不满意", "合计", "满意和比较满意"),
        rows,
        left_columns=frozenset({0}),
    )


def votes_table(f: Figures) -> TableData:
    """Votes by grade, for members and for organizations."""
    tallies = (f.votes_members, f.votes_organizations, f.votes_all)
    rows: list[tuple[object, ...]] = [
        (VOTE_NAMES[k], *(x for t in tallies for x in (t.count(k), percent(t.share(k))))) for k in VOTE_KEYS
    ]
    rows.append((TOTAL, *(x for t in tallies for x in (t.total, percent(1.0 if t.total else 0.0)))))
    rows.append(("参加党员（人次）", *(x for t in tallies for x in (t.members_attending, ""))))
    rows.append(("参加群众（人次）", *(x for t in tallies for x in (t.public_attending, ""))))
    return TableData(
        "党员群众评议票数", ("评价等次", "对党员", "占比", "对党组织", "占比", "合计", "占比"), rows
    )


def grades_table(f: Figures) -> TableData:
    rows: list[tuple[object, ...]] = [
        (
            g.grade,
            g.mark,
            g.members,
            g.organizations,
            g.members + g.organizations,
            percent(share(g.members + g.organizations, f.graded_books)),
        )
        for g in f.grades
    ]
    rows.append(
        (
            TOTAL,
            "",
            sum(g.members for g in f.grades),
            sum(g.organizations for g in f.grades),
            f.graded_books,
            percent(1.0 if f.graded_books else 0.0),
        )
    )
    return TableData("星级先锋评定等次", ("等次", "标识", "党员", "党组织", "合计", "占比"), rows)


def problems_table(f: Figures) -> TableData:
    """Problems counted by kind (in the words of a 总结), with the books and organizations concerned."""
    rows: list[tuple[object, ...]] = [
        (p.words, p.count, p.books, len(p.organizations) or "—") for p in f.problems
    ]
    return TableData(
        "存在问题分类统计", ("问题", "处数", "涉及写实簿", "涉及党组织"), rows, left_columns=frozenset({0})
    )


# ------------------------------------------------------------------------------------ annexes


def unread_table(f: Figures) -> TableData:
    """The books that exist but could not be read, with their files' names (no folders)."""
    rows: list[tuple[object, ...]] = []
    for i, u in enumerate(f.unread, start=1):
        if u.kind == "member":
            whose = f"党员 {u.name}"
        elif u.kind == "organization":
            whose = "本组织写实簿"
        elif u.kind == "copy":
            whose = f"{u.name}（已有一份读取）"
        else:
            whose = "无法确定"
        rows.append((i, u.organization or "无法确定", whose, u.file.name))
    return TableData("", ("序号", "党组织", "写实簿", "文件名"), rows, left_columns=frozenset({1, 2, 3}))


def missing_table(f: Figures) -> TableData:
    """Who has not handed in a book, organization by organization."""
    rows: list[tuple[object, ...]] = []
    for r in f.org_rows:
        counted = f.census.of(r.name) if f.census else None
        names = list(counted.missing_members) if counted else []
        whose = ([] if r.own_book != "missing" else ["本组织写实簿"]) + names
        if whose:
            rows.append((len(rows) + 1, r.name, r.books_missing, "、".join(whose)))
    return TableData("", ("序号", "党组织", "未交本数", "未交写实簿"), rows, left_columns=frozenset({1, 3}))


def findings_table(f: Figures) -> TableData:
    """Every open problem, book by book: the book, the box on the form, the problem in words."""
    from cxzy_docs.report.figures import PROBLEM_WORDS

    rows: list[tuple[object, ...]] = [
        (i, _short(x.subject), x.label or "整本写实簿", PROBLEM_WORDS.get(x.code, x.title))
        for i, x in enumerate(f.open_items, start=1)
    ]
    return TableData("", ("序号", "写实簿", "栏目", "问题"), rows, left_columns=frozenset({1, 2, 3}))


def _short(subject: str) -> str:
    parts = subject.split()
    return " ".join(parts[1:] if len(parts) > 1 and parts[0].isdigit() else parts)


TABLES: dict[str, Callable[[Figures], TableData]] = {
    "books": books_table,
    "coverage": coverage_table,
    "periods": periods_table,
    "elements": elements_table,
    "commitments": commitments_table,
    "org_votes": org_votes_table,
    "votes": votes_table,
    "grades": grades_table,
    "problems": problems_table,
    "unread": unread_table,
    "missing": missing_table,
    "findings": findings_table,
    # names the first templates used
    "organizations": books_table,
    "todo": findings_table,
}
UNNUMBERED = frozenset({"unread", "missing", "findings", "todo"})  # annex lists: the annex's title names them


class TableNumbers:
    """Numbers tables in the order the wording first names or places them: ``tab("coverage")`` -> 表2."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def __call__(self, name: str) -> str:
        return f"表{self.number(name)}"

    def number(self, name: str) -> int:
        if name not in self.numbers:
            self.numbers[name] = len(self.numbers) + 1
        return self.numbers[name]

    def known(self) -> Sequence[str]:
        return list(self.numbers)
