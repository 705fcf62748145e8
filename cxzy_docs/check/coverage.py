"""Rules across books: everyone on the roster has a book, every secretary reviews, 先锋 held to ~15%."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from cxzy_docs.check.book import Book
from cxzy_docs.check.findings import Finding, finding
from cxzy_docs.textnorm import normalize_name

VANGUARD_SHARE = 0.15  # 星级先锋: 先锋 held to about 15% of those graded
_NAME_KEYS = ("name", "姓名", "党员姓名")
_ORG_KEYS = ("organization", "所在党组织", "所在党组织名称", "党组织", "党组织名称", "支部")
_ORG_NAME_KEYS = ("name", "党组织名称", "组织名称", "名称")
_SECRETARY_KEYS = ("secretary", "党组织书记", "书记", "书记姓名", "党组织书记姓名")
_REVIEWER_SIGNS = ("commitment.reviewer_sign.name", "annual.reviewer_sign.name")


def _pick(row: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = row.get(key)
        if isinstance(value, str) and value.strip():
            return normalize_name(value)
    return None


def _norm(value: Any) -> str | None:
    return normalize_name(value) if isinstance(value, str) else None


def check_coverage(books: Sequence[Book], roster_members: list[dict[str, Any]] | None = None,
                   roster_orgs: list[dict[str, Any]] | None = None, year: int | None = None) -> Iterator[Finding]:
    """Roster members and organizations without a book; secretaries who reviewed nobody; 先锋 share."""
    in_year = [b for b in books if year is None or b.year in (None, year)]
    members = [b for b in in_year if b.kind == "member"]
    orgs = [b for b in in_year if b.kind == "organization"]
    yield from _missing_member_books(members, roster_members or [], year)
    yield from _missing_org_books(orgs, roster_orgs or [], year)
    yield from _idle_secretaries(members, orgs, roster_orgs or [], year)
    yield from _vanguard_share(members, year)


def _missing_member_books(members: list[Book], roster: list[dict[str, Any]], year: int | None) -> Iterator[Finding]:
    have_pairs = {(_norm(b.get("subject.name")), _norm(b.get("subject.organization"))) for b in members}
    have_names = {name for name, _ in have_pairs}
    for row in roster:
        if not isinstance(row, dict):
            continue
        name, org = _pick(row, _NAME_KEYS), _pick(row, _ORG_KEYS)
        if name is None:
            continue
        if (name, org) in have_pairs if org else name in have_names:
            continue
        subject = " ".join(str(x) for x in (year, org, name) if x)
        yield finding("coverage.no_book", source=None, kind="member", subject=subject, field="subject.name",
                      message=f"党员姓名：花名册中的党员 {name}{f'（{org}）' if org else ''}没有写实簿")


def _missing_org_books(orgs: list[Book], roster: list[dict[str, Any]], year: int | None) -> Iterator[Finding]:
    have = {_norm(b.get("subject.name")) for b in orgs}
    for row in roster:
        if not isinstance(row, dict):
            continue
        name = _pick(row, _ORG_NAME_KEYS)
        if name is None or name in have:
            continue
        subject = " ".join(str(x) for x in (year, name) if x)
        yield finding("coverage.no_book", source=None, kind="organization", subject=subject, field="subject.name",
                      message=f"党组织名称：花名册中的党组织 {name} 没有写实簿")


def _idle_secretaries(members: list[Book], orgs: list[Book], roster: list[dict[str, Any]],
                      year: int | None) -> Iterator[Finding]:
    secretaries: dict[str, tuple[str, Book | None]] = {}
    for row in roster:
        if isinstance(row, dict):
            org, sec = _pick(row, _ORG_NAME_KEYS), _pick(row, _SECRETARY_KEYS)
            if org and sec:
                secretaries[org] = (sec, None)
    for b in orgs:
        org, sec = _norm(b.get("subject.name")), _norm(b.get("subject.secretary"))
        if org and sec:
            secretaries[org] = (sec, b)
    signers: dict[str, set[str]] = defaultdict(set)
    due: set[str] = set()  # organizations with a member period ended by the as-of date
    for b in members:
        org = _norm(b.get("subject.organization"))
        if org is None:
            continue
        if any(b.due(code) for code in b.period_codes()):
            due.add(org)
        names = signers[org]
        for code in b.period_codes():
            names.add(_norm(b.get(f"periods.{code}.review.sign.name")) or "")
        for path in _REVIEWER_SIGNS:
            names.add(_norm(b.get(path)) or "")
    for org, (sec, book) in secretaries.items():
        if org not in signers or org not in due or sec in signers[org]:
            continue
        message = f"党组织书记姓名：{org}书记 {sec} 没有在本组织任何党员的写实簿上签字点评"
        if book is not None:
            yield book.finding("coverage.secretary_idle", "subject.secretary",
                               f"{org}书记 {sec} 没有在本组织任何党员的写实簿上签字点评", sec)
        else:
            subject = " ".join(str(x) for x in (year, org) if x)
            yield finding("coverage.secretary_idle", source=None, kind="organization", subject=subject,
                          field="subject.secretary", message=message, evidence=sec)


def _vanguard_share(members: list[Book], year: int | None) -> Iterator[Finding]:
    graded: dict[str, list[Book]] = defaultdict(list)
    for b in members:
        grade = b.get("annual.grade")
        if isinstance(grade, str) and grade.strip():
            graded[_norm(b.get("subject.organization")) or "（未填党组织）"].append(b)
    for org, books in graded.items():
        vanguards = [b for b in books if _is_vanguard(b.get("annual.grade"))]
        allowed = max(1, int(len(books) * VANGUARD_SHARE + 0.5))
        if len(vanguards) > allowed:
            share = len(vanguards) / len(books)
            subject = " ".join(str(x) for x in (year, org) if x)
            names = "、".join(_norm(b.get("subject.name")) or b.subject for b in vanguards)
            yield finding("grades.vanguard_share", source=None, kind="organization", subject=subject,
                          field="annual.grade",
                          message=f"评议结果：{org} 有评定结果的 {len(books)} 名党员中 {len(vanguards)} 名为“先锋”"
                                  f"（{share:.0%}），超过约 15%（至多 {allowed} 名）",
                          evidence=names)


def _is_vanguard(grade: Any) -> bool:
    return isinstance(grade, str) and ("先锋" in grade or "★" in grade)
