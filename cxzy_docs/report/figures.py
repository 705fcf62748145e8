"""Every figure of the annual summary, computed from the records by one pure function.

Rules (the summary template states them to the reader as well):

* a review is *done* when its 领导点评 box holds text; it is *complete* when the validator's
  analyser finds all three elements (成绩, 不足, 努力方向) in it;
* coverage of a period = books whose review of that period is done / books of that kind; a period
  not ended by the as-of date expects only the reviews already written;
* a signature is *expected* when the boxes it signs off hold something; it is *missing* when its
  name is blank, *undated* when the name is there and the date is blank;
* a commitment is *made* when 公开承诺事项 holds text, *fulfilled* when it is made and every
  period's 承诺兑现情况 holds text;
* an *example* review is complete, has no open finding about it or its period, and scores highest on the
  characters of its three evidence phrases (ties: the longer text); one example per book.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from cxzy_docs.forms import PERIOD_NAMES, form_for
from cxzy_docs.model import Record
from cxzy_docs.recordshape import evaluation_keys, field_labels, vote_keys
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

VOTE_KEYS = vote_keys()  # forms.py: the 评议 columns that are votes
VOTE_NAMES = {k: field_labels("member")[f"annual.evaluation.{k}"] for k in VOTE_KEYS}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
EXAMPLE_COUNT = 3
TODO_SUBJECTS = 5


def share(part: int, whole: int) -> float:
    """``part / whole``, 0.0 when ``whole`` is 0."""
    return part / whole if whole else 0.0


@dataclass(frozen=True)
class PeriodCoverage:
    """Reviews of one period: books expected to have one, reviews written, reviews complete."""

    period: str
    name: str
    kind: str
    expected: int
    done: int
    complete: int

    @property
    def share(self) -> float:
        return share(self.done, self.expected)


@dataclass(frozen=True)
class VoteTally:
    """党员群众评议 votes summed over books of one kind (``member``, ``organization`` or ``all``)."""

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


@dataclass(frozen=True)
class GradeCount:
    """How many books of each kind record one 星级先锋 grade."""

    grade: str
    mark: str
    members: int
    organizations: int


@dataclass(frozen=True)
class OrgRow:
    """One organization of the scope, with the figures of its own book and its members' books."""

    name: str
    parent: str | None
    depth: int
    has_book: bool
    member_books: int
    reviews_expected: int
    reviews_done: int
    reviews_complete: int
    commitments_made: int
    commitments_fulfilled: int


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
class Figures:
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

    @property
    def books(self) -> int:
        return self.organization_books + self.member_books

    @property
    def review_share(self) -> float:
        return share(self.reviews_done, self.reviews_expected)

    @property
    def complete_share(self) -> float:
        return share(self.reviews_complete, self.reviews_done)

    @property
    def vanguard_share(self) -> float:
        vanguard = sum(g.members + g.organizations for g in self.grades if g.grade == GRADE_ORDER[0])
        return share(vanguard, self.graded_books)


def _filled(value: object) -> bool:
    return value is not None and bool(str(value).strip())


def _tally(kind: str, records: Sequence[Record]) -> VoteTally:
    sums: Counter[str] = Counter()
    books = 0
    keys = evaluation_keys()
    for rec in records:
        ev = (rec.get("annual") or {}).get("evaluation") or {}
        if any(isinstance(ev.get(k), int) for k in VOTE_KEYS):
            books += 1
        for k in keys:
            v = ev.get(k)
            if isinstance(v, int) and not isinstance(v, bool):
                sums[k] += v
    return VoteTally(kind, books, *(sums[k] for k in keys))


Book = tuple[int, Record, dict]  # position in scope.records, the record, the record flattened


def _fulfilled(rec: Record, flat: dict) -> bool:
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
                subject=_subject_name(rec), organization=record_organization(rec) or "", kind=rec["kind"],
                period=code, period_name=PERIOD_NAMES[code],
                reviewer=str(flat.get(f"periods.{code}.review.sign.name") or ""),
                date=str(flat.get(f"periods.{code}.review.sign.date") or ""), text=str(text).strip(),
                achievements=phrase(view.achievements), shortcomings=phrase(view.shortcomings),
                direction=phrase(view.direction), score=view.evidence_chars)
            if best is None or (ex.score, len(ex.text)) > (best.score, len(best.text)):
                best = ex
        if best is not None:
            scored.append((-best.score, -len(best.text), best.organization, best.subject, best))
    scored.sort(key=lambda t: t[:4])
    return tuple(t[4] for t in scored[:limit])


def _short(subject: str) -> str:
    """"2025 红旗村第一党支部 张伟" -> "红旗村第一党支部张伟": the year is the report's own."""
    parts = subject.split()
    if len(parts) > 1 and parts[0].isdigit():
        parts = parts[1:]
    return "".join(parts)


def _todo(findings: Sequence[Finding]) -> tuple[TodoItem, ...]:
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        groups[f.code or f.message].append(f)
    rank = {"error": 0, "warning": 1}
    items = [TodoItem(code=code, severity=fs[0].severity, message=fs[0].title or fs[0].message, count=len(fs),
                      subjects=tuple(dict.fromkeys(_short(f.subject) for f in fs if f.subject))[:TODO_SUBJECTS])
             for code, fs in groups.items()]
    items.sort(key=lambda t: (rank.get(t.severity, 2), -t.count, t.code))
    return tuple(items)


def compute_figures(scope: Scope, year: int, findings: Sequence[Finding],
                    examples: int = EXAMPLE_COUNT, as_of: dt.date | None = None) -> Figures:
    """The figures of ``scope``'s books of ``year``; ``findings`` are the open findings on them.
    ``as_of``: periods not ended by then expect no review yet (None: every period is due).

    A finding's ``book`` is the position of its book in ``scope.records``.
    """
    books: list[Book] = [(i, r, flatten(r)) for i, r in enumerate(scope.records) if r.get("year") == year]
    records = [r for _, r, _ in books]
    by_kind = {k: [b for b in books if b[1]["kind"] == k] for k in ("member", "organization")}
    coverage, element_found = [], dict.fromkeys(ELEMENTS, 0)
    for kind in ("member", "organization"):
        for code in form_for(kind).period_codes:
            done = complete = 0
            for _, _, flat in by_kind[kind]:
                text = flat.get(f"periods.{code}.review.text")
                if not _filled(text):
                    continue
                done += 1
                view = review_elements(text)
                complete += view.complete
                for name in ELEMENTS:
                    element_found[name] += view.element(name).found
            expected = len(by_kind[kind]) if is_due(year, code, as_of) else done
            coverage.append(PeriodCoverage(code, PERIOD_NAMES[code], kind, expected, done, complete))
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
    grades = tuple(GradeCount(g, m, grade_counts[(g, "member")], grade_counts[(g, "organization")])
                   for g, m in STAR_GRADES)
    graded = sum(grade_counts.values())
    severity: Counter[str] = Counter(f.severity for f in findings)
    return Figures(
        organization=scope.root, year=year, organizations=scope.organizations,
        organization_books=len(by_kind["organization"]), member_books=len(by_kind["member"]),
        coverage=tuple(coverage),
        reviews_expected=sum(c.expected for c in coverage), reviews_done=sum(c.done for c in coverage),
        reviews_complete=sum(c.complete for c in coverage), element_found=element_found,
        signatures_expected=sig_expected, signatures_missing=sig_missing, signatures_undated=sig_undated,
        votes_members=_tally("member", [b[1] for b in by_kind["member"]]),
        votes_organizations=_tally("organization", [b[1] for b in by_kind["organization"]]),
        votes_all=_tally("all", records),
        grades=grades, graded_books=graded, ungraded_books=len(records) - graded,
        commitments_made={k: sum(_filled(b[2].get("commitment.text")) for b in v) for k, v in by_kind.items()},
        commitments_fulfilled={k: sum(_fulfilled(b[1], b[2]) for b in v) for k, v in by_kind.items()},
        findings_open=len(findings), findings_by_severity=dict(severity), todo=_todo(findings), open_items=tuple(findings),
        examples=_examples(books, findings, examples), org_rows=_org_rows(scope, books, year, as_of),
    )


def _org_rows(scope: Scope, books: Sequence[Book], year: int, as_of: dt.date | None) -> tuple[OrgRow, ...]:
    by_org: dict[str | None, list[Book]] = defaultdict(list)
    for book in books:
        by_org[record_organization(book[1])].append(book)
    rows = []
    for name in scope.organizations:
        own = by_org.get(name, [])
        members = [b for b in own if b[1]["kind"] == "member"]
        expected = done = complete = 0
        for _, rec, flat in own:
            for code in form_for(rec["kind"]).period_codes:
                text = flat.get(f"periods.{code}.review.text")
                expected += is_due(year, code, as_of) or _filled(text)
                if _filled(text):
                    done += 1
                    complete += review_elements(text).complete
        rows.append(OrgRow(
            name=name, parent=scope.parents.get(name), depth=scope.depth(name),
            has_book=any(b[1]["kind"] == "organization" for b in own), member_books=len(members),
            reviews_expected=expected, reviews_done=done, reviews_complete=complete,
            commitments_made=sum(_filled(b[2].get("commitment.text")) for b in own),
            commitments_fulfilled=sum(_fulfilled(b[1], b[2]) for b in own)))
    return tuple(rows)
