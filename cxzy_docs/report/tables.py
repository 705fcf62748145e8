"""The tables of the annual summary, built from the figures (templates place them with ``::table 名称``)."""

from __future__ import annotations

from collections.abc import Callable

from cxzy_docs.report.figures import SEVERITY_NAMES, VOTE_KEYS, VOTE_NAMES, Figures, share
from cxzy_docs.report.gbdoc import TableData
from cxzy_docs.report.templating import percent


def organizations_table(f: Figures) -> TableData:
    rows = []
    for i, r in enumerate(f.org_rows, start=1):
        rows.append((i, "　" * min(r.depth, 3) + r.name, "有" if r.has_book else "无", r.member_books,
                     r.reviews_expected, r.reviews_done, percent(share(r.reviews_done, r.reviews_expected)),
                     r.reviews_complete, f"{r.commitments_fulfilled}/{r.commitments_made}"))
    return TableData("表1　各党组织写实簿和领导点评情况",
                     ("序号", "党组织", "本组织写实簿", "党员写实簿", "应点评", "已点评", "覆盖率", "三要素齐全",
                      "承诺兑现/承诺"),
                     rows, (0.6, 3.4, 1.0, 1.0, 0.9, 0.9, 1.2, 1.0, 1.2), frozenset({1}))


def coverage_table(f: Figures) -> TableData:
    rows = [(c.name, "党员" if c.kind == "member" else "党组织", c.expected, c.done, percent(c.share),
             c.complete, percent(share(c.complete, c.done))) for c in f.coverage]
    rows.append(("全年合计", "", f.reviews_expected, f.reviews_done, percent(f.review_share),
                 f.reviews_complete, percent(f.complete_share)))
    return TableData("表2　各期领导点评覆盖和质量情况",
                     ("期次", "点评对象", "应点评", "已点评", "覆盖率", "三要素齐全", "齐全率"),
                     rows, (1.3, 1.1, 1.0, 1.0, 1.0, 1.2, 1.0))


def votes_table(f: Figures) -> TableData:
    tallies = (f.votes_members, f.votes_organizations, f.votes_all)
    rows = [(VOTE_NAMES[k], *(x for t in tallies for x in (t.count(k), percent(t.share(k))))) for k in VOTE_KEYS]
    rows.append(("合计", *(x for t in tallies for x in (t.total, percent(1.0 if t.total else 0.0)))))
    rows.append(("参加党员/群众", *(x for t in tallies for x in (f"{t.members_attending}/{t.public_attending}", ""))))
    return TableData("表3　党员群众评议票数",
                     ("评价等次", "党员写实簿", "占比", "党组织写实簿", "占比", "合计", "占比"),
                     rows, (1.6, 1.2, 1.0, 1.3, 1.0, 1.0, 1.0))


def grades_table(f: Figures) -> TableData:
    rows = [(g.grade, g.mark, g.members, g.organizations, g.members + g.organizations,
             percent(share(g.members + g.organizations, f.graded_books))) for g in f.grades]
    rows.append(("合计", "", sum(g.members for g in f.grades), sum(g.organizations for g in f.grades),
                 f.graded_books, percent(1.0 if f.graded_books else 0.0)))
    return TableData("表4　星级先锋评定等次", ("等次", "标识", "党员", "党组织", "合计", "占比"),
                     rows, (1.2, 0.8, 1.0, 1.0, 1.0, 1.0))


TODO_ROWS = 40  # the summary lists this many findings; the ledger has them all


def todo_table(f: Figures) -> TableData:
    rows: list[tuple[object, ...]] = [(i, _short(x.subject), x.message, SEVERITY_NAMES.get(x.severity, x.severity))
            for i, x in enumerate(f.open_items[:TODO_ROWS], start=1)]
    if len(f.open_items) > TODO_ROWS:
        rows.append(("", f"另有 {len(f.open_items) - TODO_ROWS} 处", "完整清单见点评台账（cxzy report ledger）", ""))
    return TableData("表5　待整改问题清单", ("序号", "写实簿", "问题", "程度"), rows,
                     (0.6, 2.6, 5.6, 0.8), frozenset({1, 2}))


def _short(subject: str) -> str:
    parts = subject.split()
    return " ".join(parts[1:] if len(parts) > 1 and parts[0].isdigit() else parts)


TABLES: dict[str, Callable[[Figures], TableData]] = {
    "organizations": organizations_table, "coverage": coverage_table, "votes": votes_table,
    "grades": grades_table, "todo": todo_table,
}
