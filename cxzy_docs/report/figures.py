"""Every figure of the annual summary, computed from the records and the census by one pure function.

Rules (the summary template states them to the reader as well):

* the books expected are people and organizations (:mod:`cxzy_docs.report.census`): every member
  on the roster (and every member whose book came in without being on it) and every organization
  of the scope; a book is *read*, *unread* (it exists, its file could not be read) or *missing*;
* a review is *due* when its period has ended by the as-of date; a book expects one review per due
  period (and a review already written in a period not yet due counts as expected too);
* a review is *done* when its 领导点评 box holds text; it is *complete* when the validator's
  analyser finds all three elements (成绩, 不足, 努力方向) in it; the reviews of a book that could
  not be read are *unverified*, those of a missing book not done;
* coverage = reviews done / reviews expected, over people, not over the books that happened to be read;
* a review is *signed in time* when its date is readable and falls between half a month before its
  period ends and one month after (the last period of the year: until the end of February);
* a commitment is *made* when 公开承诺事项 holds text, *fulfilled* when it is made and every
  period's 承诺兑现情况 holds text (books read);
* an *example* review is complete, has no open finding about it or its period, and scores highest on the
  characters of its three evidence phrases (ties: the longer text); one example per book.

Each organization's figures are computed once (:class:`OrgRow`); every total is the sum of the rows,
so a figure in the text and the total row of its table cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cxzy_docs.forms import PERIOD_NAMES, form_for
from cxzy_docs.model import Record
from cxzy_docs.recordshape import evaluation_keys, field_labels, vote_keys
from cxzy_docs.report.census import Census, UnreadBook, take_census
from cxzy_docs.report.checks import (
    ELEMENTS,
    Finding,
    findings_by_book,
    is_due,
    phrase,
    review_elements,
    signatures_with_content,
)
from cxzy_docs.report.flat import flatten
from cxzy_docs.report.grades import GRADE_ORDER, STAR_GRADES, normalize_grade
from cxzy_docs.report.scope import Scope, record_organization
from cxzy_docs.textnorm import UnreadableDate, parse_date

VOTE_KEYS = vote_keys()  # forms.py: the 评议 columns that are votes
VOTE_NAMES = {k: field_labels("member")[f"annual.evaluation.{k}"] for k in VOTE_KEYS}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
KINDS = ("member", "organization")
EXAMPLE_COUNT = 3
TODO_SUBJECTS = 5
EARLY_DAYS = 15  # a review signed this many days before its period ends is still in time
LATE_DAYS = 31  # ... and this many after (the year's last periods: until the end of February)

# How a 总结 names each kind of problem (the validator's titles are for the person fixing a book).
PROBLEM_WORDS: dict[str, str] = {
    "review.empty": "有签字但未写点评内容",
    "review.no_achievements": "点评未写明成绩",
    "review.no_shortcomings": "点评未指出具体不足",
    "review.no_direction": "点评未提出努力方向",
    "review.boilerplate": "点评内容空泛、只有笼统评价",
    "review.wrong_subject": "点评对象与写实簿不符",
    "review.duplicate": "点评内容雷同",
    "review.uncertain": "点评要素表述不够明确、需人工核对",
    "sign.no_name": "缺少签字",
    "sign.no_date": "签字未注明日期",
    "date.unreadable": "签字日期书写不规范",
    "date.out_of_period": "签字日期超出期限",
    "date.after_as_of": "签字日期晚于统计截止日",
    "date.before_fulfilment": "点评日期早于承诺兑现",
    "date.before_period_end": "期次未结束就提前点评",
    "date.commitment_late": "承诺签字晚于首次点评",
    "header.missing": "表头项目填写不全",
    "header.year_mismatch": "写实簿年度填写有误",
    "votes.not_integer": "评议人数填写不规范",
    "votes.inconsistent": "评议票数多于参加人数",
    "record.unreadable": "部分内容书写不清、无法辨认",
    "coverage.no_book": "缺少写实簿",
    "coverage.no_review": "缺少当期领导点评",
    "coverage.secretary_idle": "书记未对本支部党员作点评",
    "grades.vanguard_share": "“先锋”等次比例偏高",
    "coverage.ambiguous": "同名党员无法对应到花名册",
    "roster.unknown_org": "党组织名称不在组织树中",
    "source.conflict": "同一本写实簿的几份材料写法不一致",
    "source.ledger_only": "只有点评台账、未交写实簿本身",
}
CENSUS_MISSING, CENSUS_UNREAD, CENSUS_LOOSE = "census.missing", "census.unread", "census.unattributed"
CENSUS_WORDS = {
    CENSUS_MISSING: "写实簿未交",
    CENSUS_UNREAD: "写实簿已交回但无法读取",
    CENSUS_LOOSE: "文件无法读取且无法确定是谁的写实簿",
}


def share(part: int, whole: int) -> float:
    """``part / whole``, 0.0 when ``whole`` is 0."""
    return part / whole if whole else 0.0


@dataclass(frozen=True)
class PeriodCoverage:
    """Reviews of one period: reviews expected, written, complete, signed in time, in unread books."""

    period: str
    name: str
    kind: str
    expected: int
    done: int
    complete: int
    in_time: int = 0
    unverified: int = 0

    @property
    def share(self) -> float:
        return share(self.done, self.expected)

    @property
    def not_done(self) -> int:
        return self.expected - self.done - self.unverified


@dataclass(frozen=True)
class VoteTally:
    """党员群众评议 votes summed over books (of one kind: ``member``, ``organization``, ``all``)."""

    kind: str
    books: int  # books with at least one vote count recorded
    satisfied: int
    fairly_satisfied: int
    average: int
    dissatisfied: int
    members_attending: int
    public_attending: int

    @property
    def total(self) -> int:
        return self.satisfied + self.fairly_satisfied + self.average + self.dissatisfied

    def count(self, key: str) -> int:
        return int(getattr(self, key))

    def share(self, key: str) -> float:
        return share(self.count(key), self.total)

    @property
    def good_share(self) -> float:
        """满意 and 比较满意 together, of all votes."""
        return share(self.satisfied + self.fairly_satisfied, self.total)


@dataclass(frozen=True)
class GradeCount:
    """How many books of each kind record one 星级先锋 grade."""

    grade: str
    mark: str
    members: int
    organizations: int


class ReviewShares:
    """What an organization's row and the whole scope derive alike from their review counts."""

    reviews_expected: int
    reviews_done: int
    reviews_complete: int
    reviews_unverified: int

    @property
    def reviews_not_done(self) -> int:
        return self.reviews_expected - self.reviews_done - self.reviews_unverified

    @property
    def review_share(self) -> float:
        return share(self.reviews_done, self.reviews_expected)

    @property
    def complete_share(self) -> float:
        return share(self.reviews_complete, self.reviews_done)


@dataclass(frozen=True)
class OrgRow(ReviewShares):
    """One organization of the scope: its books (its members' and its own) and their figures."""

    name: str
    parent: str | None
    depth: int
    has_book: bool  # its own book was read
    own_book: str  # read / unread / missing
    roster_members: int
    members_expected: int
    member_books: int  # members' books read
    members_unread: int
    members_missing: int
    reviews_expected: int
    reviews_done: int
    reviews_complete: int
    reviews_unverified: int
    element_found: dict[str, int]
    votes: VoteTally
    commitments_made: int
    commitments_fulfilled: int

    @property
    def books_expected(self) -> int:
        return self.members_expected + 1

    @property
    def books_read(self) -> int:
        return self.member_books + (self.own_book == "read")

    @property
    def books_unread(self) -> int:
        return self.members_unread + (self.own_book == "unread")

    @property
    def books_missing(self) -> int:
        return self.members_missing + (self.own_book == "missing")

    @property
    def books_share(self) -> float:
        return share(self.books_read, self.books_expected)


@dataclass(frozen=True)
class Example:
    """A well-written review quoted in the report, with the phrases that show its three elements."""

    subject: str
    organization: str
    kind: str
    period: str
    period_name: str
    reviewer: str
    date: str
    text: str
    achievements: str
    shortcomings: str
    direction: str
    score: int


@dataclass(frozen=True)
class TodoItem:
    """One kind of open finding: how often, how severe, a message and the first subjects concerned."""

    code: str
    severity: str
    message: str
    count: int
    subjects: tuple[str, ...]


@dataclass(frozen=True)
class ProblemKind:
    """One kind of problem as a 总结 counts it: how many times, in how many books, in which organizations."""

    code: str
    words: str
    severity: str
    count: int
    books: int
    organizations: tuple[str, ...]


@dataclass(frozen=True)
class Figures(ReviewShares):
    """The figures of one organization's annual summary."""

    organization: str
    year: int
    organizations: tuple[str, ...]
    organization_books: int
    member_books: int
    coverage: tuple[PeriodCoverage, ...]
    reviews_expected: int
    reviews_done: int
    reviews_complete: int
    element_found: dict[str, int]
    signatures_expected: int
    signatures_missing: int
    signatures_undated: int
    votes_members: VoteTally
    votes_organizations: VoteTally
    votes_all: VoteTally
    grades: tuple[GradeCount, ...]
    graded_books: int
    ungraded_books: int
    commitments_made: dict[str, int]
    commitments_fulfilled: dict[str, int]
    findings_open: int
    findings_by_severity: dict[str, int]
    todo: tuple[TodoItem, ...]
    open_items: tuple[Finding, ...]
    examples: tuple[Example, ...]
    org_rows: tuple[OrgRow, ...]
    census: Census | None = None
    reviews_unverified: int = 0
    reviews_in_time: int = 0
    reviewers: int = 0  # people who signed at least one review
    problems: tuple[ProblemKind, ...] = ()
    commitments_expected: dict[str, int] = field(default_factory=dict)  # books read, by kind

    @property
    def books(self) -> int:
        """Books read."""
        return self.organization_books + self.member_books

    @property
    def books_expected(self) -> int:
        return sum(r.books_expected for r in self.org_rows)

    @property
    def books_unread(self) -> int:
        return sum(r.books_unread for r in self.org_rows)

    @property
    def books_missing(self) -> int:
        return sum(r.books_missing for r in self.org_rows)

    @property
    def books_share(self) -> float:
        return share(self.books, self.books_expected)

    @property
    def members_expected(self) -> int:
        return sum(r.members_expected for r in self.org_rows)

    @property
    def roster_members(self) -> int:
        return sum(r.roster_members for r in self.org_rows)

    @property
    def members_unread(self) -> int:
        return sum(r.members_unread for r in self.org_rows)

    @property
    def members_missing(self) -> int:
        return sum(r.members_missing for r in self.org_rows)

    @property
    def organizations_unread(self) -> int:
        return sum(r.own_book == "unread" for r in self.org_rows)

    @property
    def organizations_missing(self) -> int:
        return sum(r.own_book == "missing" for r in self.org_rows)

    @property
    def unread(self) -> tuple[UnreadBook, ...]:
        """The files that could not be read (attributed or not; copies of books read elsewhere too)."""
        return self.census.unread if self.census else ()

    @property
    def unattributed(self) -> int:
        """Unread files whose names say nothing certain of whose book they are."""
        return sum(u.kind is None for u in self.unread)

    @property
    def with_roster(self) -> bool:
        return bool(self.census and self.census.with_roster)

    @property
    def in_time_share(self) -> float:
        return share(self.reviews_in_time, self.reviews_done)

    @property
    def vanguard_share(self) -> float:
        vanguard = sum(g.members + g.organizations for g in self.grades if g.grade == GRADE_ORDER[0])
        return share(vanguard, self.graded_books)

    @property
    def branches(self) -> tuple[OrgRow, ...]:
        """The organizations under the root."""
        return self.org_rows[1:]

    def problem(self, code: str) -> ProblemKind | None:
        return next((p for p in self.problems if p.code == code), None)


def _filled(value: object) -> bool:
    return value is not None and bool(str(value).strip())


def _tally(kind: str, records: Iterable[Record]) -> VoteTally:
    sums: Counter[str] = Counter()
    books = 0
    keys = evaluation_keys()
    for rec in records:
        ev = (rec.get("annual") or {}).get("evaluation") or {}
        if any(isinstance(ev.get(k), int) and not isinstance(ev.get(k), bool) for k in VOTE_KEYS):
            books += 1
        for k in keys:
            v = ev.get(k)
            if isinstance(v, int) and not isinstance(v, bool):
                sums[k] += v
    return VoteTally(kind, books, *(sums[k] for k in keys))


def _sum_tallies(kind: str, tallies: Iterable[VoteTally]) -> VoteTally:
    tallies = list(tallies)
    keys = ("books", *VOTE_KEYS, "members_attending", "public_attending")
    return VoteTally(kind, *(sum(int(getattr(t, k)) for t in tallies) for k in keys))


Book = tuple[int, Record, dict[str, Any]]  # position in scope.records, the record, the record flattened


def _fulfilled(rec: Record, flat: dict[str, Any]) -> bool:
    if not _filled(flat.get("commitment.text")):
        return False
    return all(_filled(flat.get(f"periods.{c}.fulfilment.text")) for c in form_for(rec["kind"]).period_codes)


def _subject_name(rec: Record) -> str:
    return str((rec.get("subject") or {}).get("name") or "（无名）")


def _examples(books: Sequence[Book], findings: Sequence[Finding], limit: int) -> tuple[Example, ...]:
    scored: list[tuple[int, int, str, str, Example]] = []
    by_book = findings_by_book(findings)
    for index, rec, flat in books:
        best: Example | None = None
        own = by_book.get(index, [])
        for code in form_for(rec["kind"]).period_codes:
            text = flat.get(f"periods.{code}.review.text")
            view = review_elements(text)
            if not view.complete or any(f.field.startswith(f"periods.{code}.") for f in own):
                continue
            ex = Example(
                subject=_subject_name(rec),
                organization=record_organization(rec) or "",
                kind=rec["kind"],
                period=code,
                period_name=PERIOD_NAMES[code],
                reviewer=str(flat.get(f"periods.{code}.review.sign.name") or ""),
                date=str(flat.get(f"periods.{code}.review.sign.date") or ""),
                text=str(text).strip(),
                achievements=phrase(view.achievements),
                shortcomings=phrase(view.shortcomings),
                direction=phrase(view.direction),
                score=view.evidence_chars,
            )
            if best is None or (ex.score, len(ex.text)) > (best.score, len(best.text)):
                best = ex
        if best is not None:
            scored.append((-best.score, -len(best.text), best.organization, best.subject, best))
    scored.sort(key=lambda t: t[:4])
    return tuple(t[4] for t in scored[:limit])


def _short(subject: str) -> str:
    """ "2025 红旗村第一党支部 张伟" -> "红旗村第一党支部张伟": the year is the report's own."""
    parts = subject.split()
    if len(parts) > 1 and parts[0].isdigit():
        parts = parts[1:]
    return "".join(parts)


def _todo(findings: Sequence[Finding]) -> tuple[TodoItem, ...]:
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        groups[f.code or f.message].append(f)
    rank = {"error": 0, "warning": 1}
    items = [
        TodoItem(
            code=code,
            severity=fs[0].severity,
            message=fs[0].title or fs[0].message,
            count=len(fs),
            subjects=tuple(dict.fromkeys(_short(f.subject) for f in fs if f.subject))[:TODO_SUBJECTS],
        )
        for code, fs in groups.items()
    ]
    items.sort(key=lambda t: (rank.get(t.severity, 2), -t.count, t.code))
    return tuple(items)


def in_time(year: int, code: str, date: object) -> bool:
    """A review's date is readable and between half a month before its period ends and a month after
    (the year's last periods: until the end of February of the next year)."""
    from cxzy_docs.check.asof import grace_end, period_bounds

    if not _filled(date):
        return False
    try:
        iso = parse_date(str(date))
    except UnreadableDate:
        return False
    if iso is None or len(iso) != 10:
        return False
    try:
        signed = dt.date.fromisoformat(iso)
        end = period_bounds(year, code)[1]
    except ValueError:
        return False
    last = max(end + dt.timedelta(days=LATE_DAYS), grace_end(year) if end.month == 12 else end)
    return end - dt.timedelta(days=EARLY_DAYS) <= signed <= last


def _problems(
    findings: Sequence[Finding], records: Sequence[Record], rows: Sequence[OrgRow], unattributed: int
) -> tuple[ProblemKind, ...]:
    """Problems counted by kind: books missing and unread first (from the census), then the findings."""
    out: list[ProblemKind] = []
    missing = [r for r in rows if r.books_missing]
    if missing:
        n = sum(r.books_missing for r in missing)
        out.append(
            ProblemKind(
                CENSUS_MISSING, CENSUS_WORDS[CENSUS_MISSING], "error", n, n, tuple(r.name for r in missing)
            )
        )
    unread = [r for r in rows if r.books_unread]
    n_unread = sum(r.books_unread for r in unread)
    if n_unread:
        out.append(
            ProblemKind(
                CENSUS_UNREAD,
                CENSUS_WORDS[CENSUS_UNREAD],
                "error",
                n_unread,
                n_unread,
                tuple(r.name for r in unread),
            )
        )
    if unattributed:
        out.append(
            ProblemKind(CENSUS_LOOSE, CENSUS_WORDS[CENSUS_LOOSE], "error", unattributed, unattributed, ())
        )
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.code != "coverage.no_book":  # the census counts who has no book (unread files are not missing)
            groups[f.code].append(f)
    rank = {"error": 0, "warning": 1}
    kinds = []
    for code, fs in groups.items():
        books = {f.book if f.book is not None else f.subject for f in fs}
        orgs: dict[str, None] = {}
        for f in fs:
            org = (
                record_organization(records[f.book]) if f.book is not None and f.book < len(records) else None
            )
            if org:
                orgs[org] = None
        kinds.append(
            ProblemKind(
                code, PROBLEM_WORDS.get(code, fs[0].title), fs[0].severity, len(fs), len(books), tuple(orgs)
            )
        )
    kinds.sort(key=lambda k: (rank.get(k.severity, 2), -k.count, k.code))
    return (*out, *kinds)


@dataclass
class _Acc:
    """Running sums of one organization's read books."""

    expected: int = 0
    done: int = 0
    complete: int = 0
    elements: Counter[str] = field(default_factory=Counter)
    made: int = 0
    fulfilled: int = 0
    books: list[Record] = field(default_factory=list)


def compute_figures(
    scope: Scope,
    year: int,
    findings: Sequence[Finding],
    examples: int = EXAMPLE_COUNT,
    as_of: dt.date | None = None,
    census: Census | None = None,
) -> Figures:
    """The figures of ``scope``'s books of ``year``; ``findings`` are the open findings on them.
    ``as_of``: periods not ended by then expect no review yet (None: every period is due).
    ``census``: who should have a book (:func:`cxzy_docs.report.census.take_census`); without one,
    the books read are the denominators.

    A finding's ``book`` is the position of its book in ``scope.records``.
    """
    books: list[Book] = [(i, r, flatten(r)) for i, r in enumerate(scope.records) if r.get("year") == year]
    records = [r for _, r, _ in books]
    if census is None:
        census = take_census(scope, records)
    by_kind = {k: [b for b in books if b[1]["kind"] == k] for k in KINDS}
    codes = {k: form_for(k).period_codes for k in KINDS}
    due = {code: is_due(year, code, as_of) for k in KINDS for code in codes[k]}

    # every read book once: its reviews, elements, timing, commitments, by organization and period
    acc: dict[str, _Acc] = defaultdict(_Acc)
    period_done: Counter[str] = Counter()
    period_complete: Counter[str] = Counter()
    period_in_time: Counter[str] = Counter()
    period_filled_early: Counter[str] = Counter()  # written before the period is due
    reviewers: set[str] = set()
    for _, rec, flat in books:
        a = acc[record_organization(rec) or ""]
        a.books.append(rec)
        a.made += _filled(flat.get("commitment.text"))
        a.fulfilled += _fulfilled(rec, flat)
        for code in codes[rec["kind"]]:
            text = flat.get(f"periods.{code}.review.text")
            filled = _filled(text)
            a.expected += due[code] or filled
            if not filled:
                continue
            if not due[code]:
                period_filled_early[code] += 1
            a.done += 1
            period_done[code] += 1
            view = review_elements(text)
            a.complete += view.complete
            period_complete[code] += view.complete
            for name in ELEMENTS:
                a.elements[name] += view.element(name).found
            signer = flat.get(f"periods.{code}.review.sign.name")
            if _filled(signer):
                reviewers.add(str(signer).strip())
            period_in_time[code] += in_time(year, code, flat.get(f"periods.{code}.review.sign.date"))

    rows: list[OrgRow] = []
    for c in census.organizations:
        a = acc.get(c.name, _Acc())
        absent_members = c.members_unread + c.members_missing
        absent_org = c.own_book != "read"
        due_member = sum(due[p] for p in codes["member"])
        due_org = sum(due[p] for p in codes["organization"])
        unverified = c.members_unread * due_member + (c.own_book == "unread") * due_org
        rows.append(
            OrgRow(
                name=c.name,
                parent=c.parent,
                depth=c.depth,
                has_book=c.own_book == "read",
                own_book=c.own_book,
                roster_members=c.roster_members,
                members_expected=c.members_expected,
                member_books=c.members_read,
                members_unread=c.members_unread,
                members_missing=c.members_missing,
                reviews_expected=a.expected + absent_members * due_member + absent_org * due_org,
                reviews_done=a.done,
                reviews_complete=a.complete,
                reviews_unverified=unverified,
                element_found={k: a.elements[k] for k in ELEMENTS},
                votes=_tally("all", a.books),
                commitments_made=a.made,
                commitments_fulfilled=a.fulfilled,
            )
        )

    coverage = []
    absent = {
        "member": sum(r.members_unread + r.members_missing for r in rows),
        "organization": sum(r.own_book != "read" for r in rows),
    }
    unread = {
        "member": sum(r.members_unread for r in rows),
        "organization": sum(r.own_book == "unread" for r in rows),
    }
    for kind in KINDS:
        for code in codes[kind]:
            if due[code]:
                expected, unverified = len(by_kind[kind]) + absent[kind], unread[kind]
            else:
                expected, unverified = period_filled_early[code], 0
            coverage.append(
                PeriodCoverage(
                    code,
                    PERIOD_NAMES[code],
                    kind,
                    expected,
                    period_done[code],
                    period_complete[code],
                    period_in_time[code],
                    unverified,
                )
            )

    sig_expected = sig_missing = sig_undated = 0
    for _, rec, flat in books:
        for sign, content in signatures_with_content(rec, flat):
            if not content:
                continue
            sig_expected += 1
            if not _filled(flat.get(f"{sign.path}.name")):
                sig_missing += 1
            elif not _filled(flat.get(f"{sign.path}.date")):
                sig_undated += 1
    grade_counts: Counter[tuple[str, str]] = Counter()
    for _, rec, flat in books:
        step = normalize_grade(flat.get("annual.grade"))
        if step:
            grade_counts[(step, rec["kind"])] += 1
    grades = tuple(
        GradeCount(g, m, grade_counts[(g, "member")], grade_counts[(g, "organization")])
        for g, m in STAR_GRADES
    )
    graded = sum(grade_counts.values())
    severity: Counter[str] = Counter(f.severity for f in findings)
    element_found = {k: sum(r.element_found[k] for r in rows) for k in ELEMENTS}
    return Figures(
        organization=scope.root,
        year=year,
        organizations=scope.organizations,
        organization_books=len(by_kind["organization"]),
        member_books=len(by_kind["member"]),
        coverage=tuple(coverage),
        reviews_expected=sum(r.reviews_expected for r in rows),
        reviews_done=sum(r.reviews_done for r in rows),
        reviews_complete=sum(r.reviews_complete for r in rows),
        element_found=element_found,
        signatures_expected=sig_expected,
        signatures_missing=sig_missing,
        signatures_undated=sig_undated,
        votes_members=_tally("member", [b[1] for b in by_kind["member"]]),
        votes_organizations=_tally("organization", [b[1] for b in by_kind["organization"]]),
        votes_all=_sum_tallies("all", (r.votes for r in rows)),
        grades=grades,
        graded_books=graded,
        ungraded_books=len(records) - graded,
        commitments_made={
            k: sum(_filled(b[2].get("commitment.text")) for b in v) for k, v in by_kind.items()
        },
        commitments_fulfilled={k: sum(_fulfilled(b[1], b[2]) for b in v) for k, v in by_kind.items()},
        commitments_expected={k: len(v) for k, v in by_kind.items()},
        findings_open=len(findings),
        findings_by_severity=dict(severity),
        todo=_todo(findings),
        open_items=tuple(findings),
        examples=_examples(books, findings, examples),
        org_rows=tuple(rows),
        census=census,
        reviews_unverified=sum(r.reviews_unverified for r in rows),
        reviews_in_time=sum(period_in_time.values()),
        reviewers=len(reviewers),
        problems=_problems(findings, scope.records, rows, sum(u.kind is None for u in census.unread)),
    )
