"""Rules across books: everyone on the roster has a book, every secretary reviews, 先锋 held to ~15%."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from cxzy_docs.check.book import Book
from cxzy_docs.check.findings import Finding, finding
from cxzy_docs.identity import Identity, excluded_reason, identity_of, identity_of_row, name_key, score
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


def check_coverage(
    books: Sequence[Book],
    roster_members: list[dict[str, Any]] | None = None,
    roster_orgs: list[dict[str, Any]] | None = None,
    year: int | None = None,
) -> Iterator[Finding]:
    """Roster members and organizations without a book; secretaries who reviewed nobody; 先锋 share."""
    in_year = [b for b in books if year is None or b.year in (None, year)]
    members = [b for b in in_year if b.kind == "member"]
    orgs = [b for b in in_year if b.kind == "organization"]
    yield from check_unknown_orgs(in_year, roster_members, roster_orgs)
    yield from _missing_member_books(members, roster_members or [], year)
    yield from _missing_org_books(orgs, roster_orgs or [], year)
    yield from _idle_secretaries(members, orgs, roster_orgs or [], year)
    yield from _vanguard_share(members, year)


def _row_identity(row: dict[str, Any]) -> Identity:
    pick = {"name": _pick(row, _NAME_KEYS), "organization": _pick(row, _ORG_KEYS)}
    return identity_of_row({**row, **pick}, "member")


def _missing_member_books(
    members: list[Book], roster: list[dict[str, Any]], year: int | None
) -> Iterator[Finding]:
    """Roster members without a book, namesakes one to one: two 张伟 and one book leave one 张伟 without.

    Rows and books with the same name are paired by what tells namesakes apart (organization, birth
    and joining month, position: :func:`cxzy_docs.identity.score`); a book that fits two rows equally
    well is reported (``coverage.ambiguous``), never assigned by guess."""
    rows: dict[str, list[tuple[int, dict[str, Any], Identity]]] = defaultdict(list)
    for i, row in enumerate(roster):
        if not isinstance(row, dict) or _pick(row, _NAME_KEYS) is None:
            continue
        if year is not None and excluded_reason(row, year):
            continue  # joined after the year, or transferred out: no book expected
        ident = _row_identity(row)
        rows[str(ident.name)].append((i, row, ident))
    books: dict[str, list[tuple[Book, Identity]]] = defaultdict(list)
    for b in members:
        ident = identity_of(b.record)
        if ident.name:
            books[ident.name].append((b, ident))
    for name, group in rows.items():
        yield from _pair(group, books.get(name, []), year)


def _pair(
    rows: list[tuple[int, dict[str, Any], Identity]], books: list[tuple[Book, Identity]], year: int | None
) -> Iterator[Finding]:
    free = {i for i, _r, _id in rows}
    ident_of = {i: ident for i, _r, ident in rows}
    waiting = list(books)
    progress = True
    while waiting and progress:
        progress = False
        for entry in list(waiting):
            _b, ident = entry
            scored = [(s, i) for i in free if (s := score(ident, [ident_of[i]])) is not None]
            if not scored:
                waiting.remove(entry)  # nobody on the roster (left) it can be
                continue
            best = max(s for s, _i in scored)
            top = [i for s, i in scored if s == best]
            if len(top) == 1:
                free.discard(top[0])
                waiting.remove(entry)
                progress = True
    ambiguous = []
    for b, ident in waiting:
        candidates = [i for i in free if score(ident, [ident_of[i]]) is not None]
        if len(candidates) > 1:
            ambiguous.append((b, candidates))
    in_doubt = {i for _b, cands in ambiguous for i in cands}
    by_index = {i: row for i, row, _id in rows}
    for b, cands in ambiguous:
        who = "、".join(_who(by_index[i]) for i in sorted(cands))
        yield b.finding(
            "coverage.ambiguous",
            "subject.name",
            f"花名册中有 {len(cands)} 名党员与这本写实簿同样相符（{who}），无法确定是哪一位；请在表头补上出生年月或入党时间",
            who,
        )
    for i in sorted(free - in_doubt):
        yield _no_book(by_index[i], year)
    missing = len(in_doubt) - len(ambiguous)
    if missing > 0:
        names = sorted(in_doubt)
        row = by_index[names[0]]
        who = "、".join(_who(by_index[i]) for i in names)
        name, org = _pick(row, _NAME_KEYS), _pick(row, _ORG_KEYS)
        subject = " ".join(str(x) for x in (year, org, name) if x)
        yield finding(
            "coverage.no_book",
            source=None,
            kind="member",
            subject=subject,
            field="subject.name",
            message=f"党员姓名：花名册中同名的 {len(names)} 名党员（{who}）只有 {len(ambiguous)} 本写实簿，"
            f"缺 {missing} 本，无法确定缺哪一位",
        )


def _who(row: dict[str, Any]) -> str:
    name = _pick(row, _NAME_KEYS) or ""
    hints = "，".join(
        f"{w}{row[k]}"
        for k, w in (("birth", "出生"), ("joined", "入党"), ("position", ""))
        if isinstance(row.get(k), str) and row.get(k)
    )
    return f"{name}（{hints}）" if hints else name


def _no_book(row: dict[str, Any], year: int | None) -> Finding:
    name, org = _pick(row, _NAME_KEYS), _pick(row, _ORG_KEYS)
    subject = " ".join(str(x) for x in (year, org, name) if x)
    hint = "，".join(
        f"{w}{row[k]}" for k, w in (("birth", "出生"), ("joined", "入党")) if isinstance(row.get(k), str)
    )
    return finding(
        "coverage.no_book",
        source=None,
        kind="member",
        subject=subject,
        field="subject.name",
        message=f"党员姓名：花名册中的党员 {name}{f'（{org}' if org else '（'}"
        f"{('，' + hint) if hint and org else hint}）没有写实簿".replace("（）", ""),
    )


def check_unknown_orgs(
    books: Sequence[Book],
    roster_members: list[dict[str, Any]] | None,
    roster_orgs: list[dict[str, Any]] | None,
) -> Iterator[Finding]:
    """Books of an organization the tree does not know (a misspelt name is a finding, never a narrowing)."""
    if not roster_orgs and not roster_members:
        return
    known: set[str] = set()
    for row in roster_orgs or ():
        if isinstance(row, dict):
            known.update(k for k in (name_key(_pick(row, _ORG_NAME_KEYS)), name_key(row.get("parent"))) if k)
    for row in roster_members or ():
        if isinstance(row, dict) and (k := name_key(_pick(row, _ORG_KEYS))):
            known.add(k)
    for b in books:
        path = "subject.organization" if b.kind == "member" else "subject.name"
        value = b.get(path)
        key = name_key(value)
        if key is None or key in known:
            continue
        yield b.finding(
            "roster.unknown_org", path, f"党组织“{value}”不在花名册的组织树中，请核对名称", str(value)
        )


def _missing_org_books(orgs: list[Book], roster: list[dict[str, Any]], year: int | None) -> Iterator[Finding]:
    have = {name_key(b.get("subject.name")) for b in orgs}
    for row in roster:
        if not isinstance(row, dict):
            continue
        name = _pick(row, _ORG_NAME_KEYS)
        if name is None or name_key(name) in have:
            continue
        subject = " ".join(str(x) for x in (year, name) if x)
        yield finding(
            "coverage.no_book",
            source=None,
            kind="organization",
            subject=subject,
            field="subject.name",
            message=f"党组织名称：花名册中的党组织 {name} 没有写实簿",
        )


def _idle_secretaries(
    members: list[Book], orgs: list[Book], roster: list[dict[str, Any]], year: int | None
) -> Iterator[Finding]:
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
            yield book.finding(
                "coverage.secretary_idle",
                "subject.secretary",
                f"{org}书记 {sec} 没有在本组织任何党员的写实簿上签字点评",
                sec,
            )
        else:
            subject = " ".join(str(x) for x in (year, org) if x)
            yield finding(
                "coverage.secretary_idle",
                source=None,
                kind="organization",
                subject=subject,
                field="subject.secretary",
                message=message,
                evidence=sec,
            )


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
            yield finding(
                "grades.vanguard_share",
                source=None,
                kind="organization",
                subject=subject,
                field="annual.grade",
                message=f"评议结果：{org} 有评定结果的 {len(books)} 名党员中 {len(vanguards)} 名为“先锋”"
                f"（{share:.0%}），超过约 15%（至多 {allowed} 名）",
                evidence=names,
            )


def _is_vanguard(grade: Any) -> bool:
    return isinstance(grade, str) and ("先锋" in grade or "★" in grade)
