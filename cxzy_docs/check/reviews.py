"""Rules on the leadership reviews (领导点评): empty, elements missing, generic, pasted."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from cxzy_docs.check.book import Book
from cxzy_docs.check.duplicates import duplicate_groups
from cxzy_docs.check.elements import ELEMENT_NAMES, ReviewElements, analyse_review
from cxzy_docs.check.findings import Finding
from cxzy_docs.check.subject import wrong_subject
from cxzy_docs.forms import PERIOD_NAMES

_MISSING_CODE = {
    "achievements": "review.no_achievements",
    "shortcomings": "review.no_shortcomings",
    "direction": "review.no_direction",
}
_LIST_LIMIT = 10  # books named in one duplicate message


def review_text(book: Book, code: str) -> str | None:
    text = book.get(f"periods.{code}.review.text")
    if isinstance(text, str) and text.strip():
        return text
    return None


def review_present(book: Book, code: str) -> bool:
    """True when any part of the period's review (text, signature name, date) was filled."""
    base = f"periods.{code}.review"
    return bool(
        review_text(book, code)
        or book.get(f"{base}.sign.name")
        or book.get(f"{base}.sign.date")
        or _problem_at(book, f"{base}.sign.date")
    )


def _problem_at(book: Book, field: str) -> bool:
    problems = book.record.get("problems")
    return isinstance(problems, list) and any(
        isinstance(p, dict) and p.get("field") == field for p in problems
    )


def check_reviews(book: Book) -> Iterator[Finding]:
    """Each period's review: missing, empty, generic, or lacking one of its three elements."""
    for code in book.period_codes():
        field = f"periods.{code}.review.text"
        if not review_present(book, code):
            if not book.due(code):
                continue  # the period has not ended by the as-of date: not missing yet
            yield book.finding("coverage.no_review", field, "本期没有领导点评（内容、签字、日期均空白）")
            continue
        text = review_text(book, code)
        if text is None:
            yield book.finding("review.empty", field, "点评栏为空，未写点评内容")
            continue
        yield from element_findings(book, field, analyse_review(text))
        shown = wrong_subject(book.kind, text)
        if shown is not None:
            yield book.finding("review.wrong_subject", field, _WRONG_SUBJECT[book.kind or ""], shown)


_WRONG_SUBJECT = {
    "member": "这是党员写实簿，点评却以党组织为对象（讲支部的工作，没有讲到党员本人），请核对是否填错了写实簿",
    "organization": "这是党组织写实簿，点评却只讲一名党员（没有讲到支部、班子或党员队伍），请核对是否填错了写实簿",
}


def element_findings(book: Book, field: str, elements: ReviewElements) -> Iterator[Finding]:
    """Findings for a review whose elements are known: generic, or each element missing."""
    unsure = elements.uncertain
    missing = [name for name in elements.missing if name not in unsure]
    if len(missing) == len(ELEMENT_NAMES):
        near = [r for n in missing if (r := elements.element(n).rejected) is not None]
        evidence = near[0].phrase if near else None
        yield book.finding(
            "review.boilerplate",
            field,
            "点评空泛，成绩、不足、努力方向一项也没有写明（只有笼统评价或套话）",
            evidence,
        )
        return
    for name in unsure:  # no verdict either way: the best candidate phrase, for a person to check
        result = elements.element(name)
        shown = result.evidence or result.rejected
        yield book.finding(
            "review.uncertain",
            field,
            f"无法确定点评是否写明了{ELEMENT_NAMES[name]}，请人工核对",
            shown.phrase if shown else None,
        )
    for name in missing:
        result = elements.element(name)
        detail = f"点评没有写明{ELEMENT_NAMES[name]}"
        if result.reason:
            detail += f"：{result.reason}"
        yield book.finding(
            _MISSING_CODE[name], field, detail, result.rejected.phrase if result.rejected else None
        )


def check_duplicates(books: Sequence[Book]) -> Iterator[Finding]:
    """The same (or nearly the same) review in several places, each place listing the others."""
    places: list[tuple[Book, str]] = []
    items: list[tuple[str, str | None]] = []
    for book in books:
        name = _subject_name(book)
        for code in book.period_codes():
            text = review_text(book, code)
            if text is not None:
                places.append((book, code))
                items.append((text, name))
    for group in duplicate_groups(items):
        for i in group:
            book, code = places[i]
            # the same book read from several files (a DOCX and its PDF) is one review, not a copy
            others = [
                _place_name(*places[j], same_book=places[j][0] is book)
                for j in group
                if j != i and _same_review(places[j], places[i]) is False
            ]
            if not others:
                continue
            shown = "、".join(others[:_LIST_LIMIT])
            more = f"等 {len(others)} 处" if len(others) > _LIST_LIMIT else f"共 {len(others)} 处"
            text = items[i][0]
            yield book.finding(
                "review.duplicate",
                f"periods.{code}.review.text",
                f"点评与以下写实簿的点评相同或几乎相同：{shown}（{more}）",
                text if len(text) <= 200 else text[:200] + "…",
            )


def _same_review(a: tuple[Book, str], b: tuple[Book, str]) -> bool:
    """True when two places are one period of one book (same kind, year, subject, organization)."""
    (book_a, code_a), (book_b, code_b) = a, b
    if book_a is book_b or code_a != code_b:
        return False
    return (book_a.kind, book_a.year, book_a.subject) == (book_b.kind, book_b.year, book_b.subject)


def _subject_name(book: Book) -> str | None:
    name = book.get("subject.name")
    return name if isinstance(name, str) else None


def _place_name(book: Book, code: str, *, same_book: bool) -> str:
    period = PERIOD_NAMES.get(code, code)
    if same_book:
        return f"本册{period}"
    where = f"{period}，{book.source}" if book.source else period
    return f"{book.subject}（{where}）"
