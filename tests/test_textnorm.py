"""Dates, names, counts and labels as people write them on the forms."""

from __future__ import annotations

import pytest

from cxzy_docs.textnorm import (
    UnreadableDate,
    label_key,
    normalize_name,
    normalize_text,
    parse_count,
    parse_date,
    safe_filename_part,
    without_number,
)


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2010年3月28日", "2010-03-28"),
        ("2010 年 3 月 28 日", "2010-03-28"),
        ("2010.3.28", "2010-03-28"),
        ("2010-03-28", "2010-03-28"),
        ("2010/3/28", "2010-03-28"),
        ("二〇一〇年三月二十八日", "2010-03-28"),
        ("二零一零年三月廿八日", "2010-03-28"),
        ("２０１０年３月２８日", "2010-03-28"),
        ("2010年12月31号", "2010-12-31"),
        ("二〇一〇年十月一日", "2010-10-01"),
        ("1975.03", "1975-03"),
        ("1975年3月", "1975-03"),
        ("197503", "1975-03"),
        ("1998.07.01", "1998-07-01"),
        ("2011年1月", "2011-01"),
        ("1975", "1975"),
        ("年   月   日", None),
        ("", None),
        ("年3月5日", None),
    ],
)
def test_parse_date_spellings(raw: str, iso: str | None) -> None:
    assert parse_date(raw) == iso


@pytest.mark.parametrize("raw", ["2010年13月1日", "2010年2月30日", "明年春天", "3月5日前后", "10/3"])
def test_unreadable_dates_raise(raw: str) -> None:
    with pytest.raises(UnreadableDate):
        parse_date(raw)


def test_names_and_texts() -> None:
    assert normalize_name("张  三") == "张三"
    assert normalize_name("高\u3000志斌 ") == "高志斌"
    assert normalize_name("  ") is None
    assert normalize_text("  第一行\n第二行  \n\n") == "第一行\n第二行"


@pytest.mark.parametrize(("raw", "n"), [("17人", 17), ("１７", 17), ("21名", 21), (" ", None), (3.0, 3)])
def test_counts(raw: object, n: int | None) -> None:
    assert parse_count(raw) == n


@pytest.mark.parametrize("raw", ["-1", "三点五", 2.5, "很多"])
def test_bad_counts_raise(raw: object) -> None:
    with pytest.raises(ValueError):
        parse_count(raw)


def test_label_key_folds_spelling() -> None:
    assert label_key("党员本人（签字）：") == label_key("党 员 本 人(签字):") == "党员本人签字"


def test_safe_filename_part() -> None:
    climbed = safe_filename_part("../../etc/passwd")
    assert "/" not in climbed and not climbed.startswith(".")
    assert "/" not in safe_filename_part("a/b\\c")
    assert safe_filename_part("𠮷田") == "𠮷田"
    assert safe_filename_part("\x00\x01") == "_"


@pytest.mark.parametrize(
    ("raw", "rest"),
    [
        ("十一、群众评议", "群众评议"),
        ("十 一 、 群 众 评 议", "群 众 评 议"),  # letter-spaced print spaces the numerals too
        ("(三)点评意见", "点评意见"),
        ("( 1 2 )年度总结", "年度总结"),
        ("二〇一二年度", "二〇一二年度"),  # a year, not a section number
        ("一般", "一般"),
    ],
)
def test_section_numbers_dropped(raw: str, rest: str) -> None:
    assert without_number(raw) == rest
