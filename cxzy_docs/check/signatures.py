"""Rules on signatures and their dates: name and date present, readable, in period, in order."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cxzy_docs.check.asof import NEXT_YEAR_GRACE_MONTH, PERIOD_MONTHS, grace_end, month_end, period_bounds
from cxzy_docs.check.book import Book
from cxzy_docs.check.findings import Finding
from cxzy_docs.textnorm import UnreadableDate, parse_date

__all__ = [
    "NEXT_YEAR_GRACE_MONTH",
    "DateRange",
    "check_signatures",
    "date_range",
    "period_bounds",
    "sign_blocks",
]

# A review signed more than this many days before its period ends is flagged as early.
EARLY_REVIEW_DAYS = 15

_LAST_PERIODS = ("Q4", "H2")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class DateRange:
    """A date as precise as written: ``2010`` is the whole year, ``2010-03`` the whole month."""

    earliest: dt.date
    latest: dt.date
    text: str


class _Unreadable(Exception):
    def __init__(self, raw: str) -> None:
        self.raw = raw


def date_range(value: Any) -> DateRange | None:
    """The range a record's date covers; None when blank. Raises _Unreadable for garbage."""
    if type(value) is str:
        return _text_range(value)  # dates repeat across books: each spelling is parsed once
    return _range(value)


@lru_cache(maxsize=16384)
def _text_range(value: str) -> DateRange | None:
    return _range(value)


def _range(value: Any) -> DateRange | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = value if isinstance(value, str) else str(value)
    m = _ISO.match(text.strip())
    if not m:
        try:
            iso = parse_date(value)
        except UnreadableDate:
            raise _Unreadable(text) from None
        if iso is None:
            return None
        m = _ISO.match(iso)
        if not m:  # pragma: no cover - parse_date always returns ISO
            raise _Unreadable(text)
    year, month, day = int(m[1]), m[2], m[3]
    try:
        if month is None:
            return DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31), m[0])
        mo = int(month)
        if day is None:
            first = dt.date(year, mo, 1)
            return DateRange(first, month_end(year, mo), m[0])
        d = dt.date(year, mo, int(day))
        return DateRange(d, d, m[0])
    except ValueError:
        raise _Unreadable(text) from None


def sign_blocks(book: Book) -> list[tuple[str, list[str], str | None]]:
    """(content paths, sign paths, period code) for every signed block of the book, in form order."""
    blocks: list[tuple[str, list[str], str | None]] = [
        ("commitment.text", ["commitment.self_sign", "commitment.reviewer_sign"], None)
    ]
    for code in book.period_codes():
        blocks.append((f"periods.{code}.fulfilment.text", [f"periods.{code}.fulfilment.sign"], code))
        blocks.append((f"periods.{code}.review.text", [f"periods.{code}.review.sign"], code))
    blocks.append(("annual", ["annual.reviewer_sign"], "annual"))
    return blocks


def _has_content(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_content(v) for k, v in value.items() if k != "reviewer_sign")
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None


def _date_problems(book: Book) -> dict[str, dict[str, Any]]:
    problems = book.record.get("problems")
    out: dict[str, dict[str, Any]] = {}
    if isinstance(problems, list):
        for p in problems:
            if isinstance(p, dict) and isinstance(p.get("field"), str) and p["field"].endswith(".date"):
                out.setdefault(p["field"], p)
    return out


def check_signatures(book: Book) -> Iterator[Finding]:
    """Every filled block's signatures: a name, a readable date inside the period, in order."""
    year = book.year
    problems = _date_problems(book)
    dates: dict[str, DateRange] = {}
    for content, signs, code in sign_blocks(book):
        filled = _has_content(book.get(content)) or any(
            book.get(f"{s}.name") or book.get(f"{s}.date") or f"{s}.date" in problems for s in signs
        )
        if not filled:
            continue  # an absent review is coverage.no_review; other absent blocks are not signed yet
        due = book.due(code)  # a period not ended by the as-of date may be signed later
        for sign in signs:
            name = book.get(f"{sign}.name")
            if due and not (isinstance(name, str) and name.strip()):
                yield book.finding("sign.no_name", f"{sign}.name", "没有签名")
            field = f"{sign}.date"
            if field in problems:
                p = problems[field]
                raw = str(p.get("raw") or "")
                yield book.finding(
                    "date.unreadable",
                    field,
                    f"日期“{raw}”无法识别" + (f"（{p['message']}）" if p.get("message") else ""),
                    raw or None,
                )
                continue
            try:
                rng = date_range(book.get(field))
            except _Unreadable as exc:
                yield book.finding("date.unreadable", field, f"日期“{exc.raw}”无法识别", exc.raw)
                continue
            if rng is None:
                if due:
                    yield book.finding("sign.no_date", field, "没有填写日期（或年份空白）")
                continue
            dates[field] = rng
            outside = False
            if year is not None:
                for f in _check_window(book, field, rng, year, code):
                    outside = True
                    yield f
            if not outside and book.as_of is not None and rng.earliest > book.as_of:
                yield book.finding(
                    "date.after_as_of",
                    field,
                    f"日期 {rng.text} 晚于校验基准日 {book.as_of.isoformat()}（尚未到来的日期）",
                    rng.text,
                )
    if year is not None:
        yield from _check_order(book, dates, year)


def _check_window(book: Book, field: str, rng: DateRange, year: int, code: str | None) -> Iterator[Finding]:
    if code in PERIOD_MONTHS:
        start = period_bounds(year, code)[0]
    else:
        start = dt.date(year, 1, 1)
    end = grace_end(year) if code in (*_LAST_PERIODS, "annual") else dt.date(year, 12, 31)
    if rng.latest < start or rng.earliest > end:
        where = "所签期次开始之前" if rng.latest < start and rng.latest.year == year else f"{year} 年度之外"
        yield book.finding(
            "date.out_of_period",
            field,
            f"日期 {rng.text} 在{where}（应在 {start.isoformat()} 至 {end.isoformat()} 之间）",
            rng.text,
        )


def _check_order(book: Book, dates: dict[str, DateRange], year: int) -> Iterator[Finding]:
    codes = book.period_codes()
    for code in codes:
        review = dates.get(f"periods.{code}.review.sign.date")
        if review is None:
            continue
        fulfil = dates.get(f"periods.{code}.fulfilment.sign.date")
        field = f"periods.{code}.review.sign.date"
        if fulfil is not None and review.latest < fulfil.earliest:
            yield book.finding(
                "date.before_fulfilment",
                field,
                f"点评日期 {review.text} 早于承诺兑现情况的签字日期 {fulfil.text}",
                review.text,
            )
            continue
        start, end = period_bounds(year, code)
        if start <= review.latest < end - dt.timedelta(days=EARLY_REVIEW_DAYS):
            yield book.finding(
                "date.before_period_end",
                field,
                f"点评日期 {review.text} 早于本期结束（{end.isoformat()}）半个月以上",
                review.text,
            )
    if codes:
        first = dates.get(f"periods.{codes[0]}.review.sign.date")
        if first is not None:
            for sign in ("commitment.self_sign.date", "commitment.reviewer_sign.date"):
                rng = dates.get(sign)
                if rng is not None and rng.earliest > first.latest:
                    yield book.finding(
                        "date.commitment_late",
                        sign,
                        f"承诺签字日期 {rng.text} 晚于{_first_name(codes[0])}领导点评日期 {first.text}",
                        rng.text,
                    )


def _first_name(code: str) -> str:
    return "第一季度" if code == "Q1" else "上半年"
