"""Rules on the header and the vote counts: required fields present, counts whole and consistent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cxzy_docs.check.book import Book
from cxzy_docs.check.findings import Finding
from cxzy_docs.recordshape import attending_keys, vote_keys

REQUIRED_HEADER = {
    "member": ("subject.name", "subject.organization", "year"),
    "organization": ("subject.name", "subject.secretary", "year"),
}
VOTES = vote_keys()  # satisfied, fairly_satisfied, average, dissatisfied (forms.py)
ATTENDING = attending_keys()  # members_attending, public_attending
_EVAL = "annual.evaluation"


def check_header(book: Book, year: int | None = None) -> Iterator[Finding]:
    """Required header fields present; the book's year the one asked for, when one was."""
    problem_fields = _problem_fields(book)
    for path in REQUIRED_HEADER.get(book.kind or "", ()):
        value = book.record.get("year") if path == "year" else book.get(path)
        if value is None or (isinstance(value, str) and not value.strip()):
            if path in problem_fields:
                continue  # reported as unreadable
            yield book.finding("header.missing", path, "未填写")
    rec_year = book.record.get("year")
    if year is not None and isinstance(rec_year, int) and rec_year != year:
        yield book.finding(
            "header.year_mismatch", "year", f"写实簿年度为 {rec_year}，校验指定的年度为 {year}", str(rec_year)
        )


def check_votes(book: Book) -> Iterator[Finding]:
    """Vote counts are whole numbers, and the votes cast do not exceed those attending."""
    problem_fields = _problem_fields(book)
    counts: dict[str, int] = {}
    for key in (*VOTES, *ATTENDING):
        path = f"{_EVAL}.{key}"
        value = book.get(path)
        if path in problem_fields:
            raw = problem_fields[path].get("raw")
            yield book.finding(
                "votes.not_integer", path, f"“{raw}”不是人数", None if raw is None else str(raw)
            )
            continue
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            if isinstance(value, float) and value.is_integer() and value >= 0:
                counts[key] = int(value)
                continue
            yield book.finding("votes.not_integer", path, f"“{value}”不是非负整数", str(value))
            continue
        counts[key] = value
    cast = sum(counts.get(k, 0) for k in VOTES)
    present = [k for k in ATTENDING if k in counts]
    if present and any(k in counts for k in VOTES):
        attending = sum(counts[k] for k in present)
        if cast > attending:
            yield book.finding(
                "votes.inconsistent",
                _EVAL,
                f"评议票数合计 {cast}（满意、比较满意、一般、不满意之和）多于参加人数 {attending}"
                "（参加党员人数与参加群众人数之和）",
                " + ".join(str(counts.get(k, 0)) for k in VOTES) + f" = {cast} > {attending}",
            )


def check_problems(book: Book) -> Iterator[Finding]:
    """What the reader could not read, other than dates and counts (those have their own rules)."""
    for path, p in _problem_fields(book).items():
        if path.endswith(".date") or path.startswith(f"{_EVAL}."):
            continue
        raw = p.get("raw")
        detail = f"“{raw}”无法识别" if raw is not None else "内容无法识别"
        if p.get("message"):
            detail += f"（{p['message']}）"
        yield book.finding("record.unreadable", path, detail, None if raw is None else str(raw))


def _problem_fields(book: Book) -> dict[str, dict[str, Any]]:
    problems = book.record.get("problems")
    out: dict[str, dict[str, Any]] = {}
    if isinstance(problems, list):
        for p in problems:
            if isinstance(p, dict) and isinstance(p.get("field"), str):
                out.setdefault(p["field"], p)
    return out
