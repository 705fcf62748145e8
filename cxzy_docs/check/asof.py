"""The date the books are checked "as of": which periods are due by then, and the default date."""

# A period is due once it has ended (its last day is on or before the as-of date): before that a
# blank review or an unsigned box is work still to do, not something missing. The default as-of
# date is today, but no later than the end of the book's filing window (Q4, H2 and the annual part
# may be signed until the end of February of the next year): a finished year is judged as filed.

from __future__ import annotations

import datetime as dt
from functools import lru_cache

# Q4, H2 and the annual part may be signed in the next year up to the end of this month.
NEXT_YEAR_GRACE_MONTH = 2

PERIOD_MONTHS = {"Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9), "Q4": (10, 12), "H1": (1, 6), "H2": (7, 12)}


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


@lru_cache(maxsize=4096)
def period_bounds(year: int, code: str) -> tuple[dt.date, dt.date]:
    first, last = PERIOD_MONTHS[code]
    return dt.date(year, first, 1), month_end(year, last)


@lru_cache(maxsize=1024)
def grace_end(year: int) -> dt.date:
    """The last day a book of ``year`` may still be signed (end of February of the next year)."""
    return month_end(year + 1, NEXT_YEAR_GRACE_MONTH)


def default_as_of(year: int | None, today: dt.date | None = None) -> dt.date:
    """Today, but no later than the end of the filing window of a book of ``year``."""
    today = today or dt.date.today()
    if year is None:
        return today
    try:
        return min(today, grace_end(year))
    except (ValueError, OverflowError):  # a year outside the calendar
        return today


def block_end(year: int, code: str | None) -> dt.date:
    """The day a block of the book is due: a period's last day; the annual part the year's last;
    the commitment (``None``) the year's first."""
    if code in PERIOD_MONTHS:
        return period_bounds(year, code)[1]
    if code == "annual":
        return dt.date(year, 12, 31)
    return dt.date(year, 1, 1)


@lru_cache(maxsize=4096)
def is_due(year: int | None, code: str | None, as_of: dt.date | None) -> bool:
    """True when the block of ``code`` (a period, ``"annual"``, or ``None`` for the commitment) has
    ended by ``as_of``; always true when the year or the as-of date is unknown."""
    if year is None or as_of is None:
        return True
    try:
        return block_end(year, code) <= as_of
    except ValueError:  # a year outside the calendar: judge it as due
        return True


def parse_as_of(text: str) -> dt.date:
    """``2025-06-30`` (also ``2025.6.30``, ``2025年6月30日``) as a date; ValueError with a Chinese message."""
    from cxzy_docs.textnorm import UnreadableDate, parse_date

    try:
        iso = parse_date(text)
    except UnreadableDate:
        iso = None
    if not iso or len(iso) != 10:
        raise ValueError(f"“{text}”不是完整的日期（应写成 2025-06-30）")
    return dt.date.fromisoformat(iso)
