"""Checking books "as of" a date: periods not ended are not missing, later dates are flagged."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from test_check_rules import base_books, codes, member_book

from cxzy_docs.check import validate
from cxzy_docs.check.asof import default_as_of, grace_end, is_due, parse_as_of
from cxzy_docs.cli import main
from cxzy_docs.model import set_field
from cxzy_docs.report.checks import open_findings
from cxzy_docs.store import Store

D = dt.date


def _blank(book: dict, code: str) -> None:
    for leaf in ("text", "sign.name", "sign.date"):
        set_field(book, f"periods.{code}.review.{leaf}", None)
        if leaf != "text":
            set_field(book, f"periods.{code}.fulfilment.{leaf}", None)
    set_field(book, f"periods.{code}.fulfilment.text", None)


def _half_year_books() -> list[dict]:
    """The base books as filled by the end of June 2010: Q3, Q4, H2 and the annual part blank."""
    books = base_books()
    for book in books:
        for code in ("Q3", "Q4", "H2"):
            if code in {p["period"] for p in book["periods"]}:
                _blank(book, code)
        for path in ("annual.summary", "annual.reviewer_sign.name", "annual.reviewer_sign.date"):
            set_field(book, path, None)
        for key in (
            "satisfied",
            "fairly_satisfied",
            "average",
            "dissatisfied",
            "members_attending",
            "public_attending",
        ):
            set_field(book, f"annual.evaluation.{key}", None)
    return books


def test_periods_not_ended_by_the_as_of_date_are_not_missing() -> None:
    books = _half_year_books()
    assert validate(books, year=2010, as_of=D(2010, 6, 30)) == []
    # the same books judged as filed (default: the year's filing window closed) miss Q3, Q4, H2
    later = validate(books, year=2010, today=D(2012, 1, 1))
    missing = {(f.subject.split()[-1], f.field) for f in later if f.code == "coverage.no_review"}
    assert ("宋丽娜", "periods.Q3.review.text") in missing and ("宋丽娜", "periods.Q4.review.text") in missing
    assert any(field == "periods.H2.review.text" for _, field in missing)


def test_a_period_ended_on_the_as_of_date_is_due() -> None:
    books = _half_year_books()
    _blank(books[0], "Q2")
    found = validate(books, year=2010, as_of=D(2010, 6, 30))
    assert [(f.code, f.field) for f in found] == [("coverage.no_review", "periods.Q2.review.text")]
    assert validate(books, year=2010, as_of=D(2010, 6, 29)) == []


def test_an_unsigned_box_of_a_running_period_is_not_missing_its_signature() -> None:
    books = _half_year_books()
    set_field(books[0], "periods.Q3.fulfilment.text", "七月份组织了两次义诊。")  # written, not yet signed
    assert validate(books, year=2010, as_of=D(2010, 8, 15)) == []
    after = validate(books, year=2010, as_of=D(2010, 10, 15))
    assert {
        ("sign.no_name", "periods.Q3.fulfilment.sign.name"),
        ("sign.no_date", "periods.Q3.fulfilment.sign.date"),
    } <= {(f.code, f.field) for f in after}


def test_dates_after_the_as_of_date_are_flagged_once() -> None:
    books = base_books()
    found = validate(books, year=2010, as_of=D(2010, 9, 25))
    late = [f for f in found if f.code == "date.after_as_of"]
    # Q3 review (09-28), Q4 and H2 and the annual signatures are later than 09-25; Q3 fulfilment (09-24) is not
    fields = {f.field for f in late}
    assert "periods.Q3.review.sign.date" in fields and "periods.Q3.fulfilment.sign.date" not in fields
    assert all(f.severity == "error" and "2010-09-25" in f.message for f in late)
    # a date outside the year's window is date.out_of_period only, not also after the as-of date
    set_field(books[0], "periods.Q1.review.sign.date", "2012-03-01")
    found = validate(books, year=2010, as_of=D(2012, 1, 1))
    on_q1 = {f.code for f in found if f.field == "periods.Q1.review.sign.date"}
    assert on_q1 == {"date.out_of_period"}


def test_default_as_of_is_today_but_no_later_than_the_filing_window() -> None:
    assert default_as_of(2010, D(2010, 5, 10)) == D(2010, 5, 10)
    assert default_as_of(2010, D(2015, 5, 10)) == D(2011, 2, 28) == grace_end(2010)
    assert default_as_of(2011, D(2015, 5, 10)) == D(2012, 2, 29)  # a leap year
    assert default_as_of(None, D(2015, 5, 10)) == D(2015, 5, 10)
    books = _half_year_books()
    assert validate(books, year=2010, today=D(2010, 7, 3)) == []  # Q3 has not ended on 3 July
    # a Q2 review dated after "today" is a date that has not come yet
    set_field(books[0], "periods.Q2.review.sign.date", "2010-07-05")
    found = validate(books, year=2010, today=D(2010, 7, 3))
    assert [(f.code, f.evidence) for f in found] == [("date.after_as_of", "2010-07-05")]


def test_is_due_and_parse_as_of() -> None:
    assert is_due(2010, "Q1", D(2010, 3, 31)) and not is_due(2010, "Q2", D(2010, 6, 29))
    assert is_due(2010, None, D(2010, 1, 1)) and not is_due(2010, "annual", D(2010, 12, 30))
    assert is_due(None, "Q4", D(2000, 1, 1)) and is_due(2010, "Q4", None)
    assert parse_as_of("2025年6月30日") == D(2025, 6, 30)
    with pytest.raises(ValueError, match="2025-06-30"):
        parse_as_of("2025-06")


def test_secretary_is_not_idle_before_any_member_period_ended() -> None:
    books = [member_book("宋丽娜", [], reviewer="牛振华"), member_book("陶建民", [], reviewer="牛振华")]
    roster_orgs = [{"name": "靖宇镇卫生院党支部", "secretary": "高志斌"}]
    for book in books:
        for code in ("Q1", "Q2", "Q3", "Q4"):
            _blank(book, code)
    assert "coverage.secretary_idle" not in codes(
        validate(books, roster_orgs=roster_orgs, as_of=D(2010, 2, 1))
    )
    assert "coverage.secretary_idle" in codes(validate(books, roster_orgs=roster_orgs, as_of=D(2010, 4, 1)))


def test_report_findings_follow_the_as_of_date() -> None:
    books = _half_year_books()
    assert open_findings(books, year=2010, as_of=D(2010, 6, 30)) == []
    assert any(f.code == "coverage.no_review" for f in open_findings(books, year=2010, as_of=D(2011, 1, 15)))


def _stored(tmp_path: Path, books: list[dict]) -> str:
    db = str(tmp_path / "books.db")
    Store(db).add_records(books)
    return db


def test_cli_validate_as_of(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _stored(tmp_path, _half_year_books())
    assert main(["validate", "--db", db, "--year", "2010", "--json", "--as-of", "2010-06-30"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["validate", "--db", db, "--year", "2010", "--json", "--as-of", "2011-01-31"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert {f["code"] for f in found} == {"coverage.no_review"}
    assert main(["validate", "--db", db, "--as-of", "六月底"]) == 2
    assert "2025-06-30" in capsys.readouterr().err


def test_cli_report_ledger_and_tui_take_as_of(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cxzy_docs.cli.report import report_group
    from cxzy_docs.cli.tui import tui_command

    db = _stored(tmp_path, _half_year_books())
    out = tmp_path / "台账.xlsx"
    result = CliRunner().invoke(
        report_group, ["ledger", "--db", db, "--year", "2010", "--out", str(out), "--as-of", "2010-06-30"]
    )
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    problems = header.index(next(h for h in header if h and "问题" in h))
    assert all(not row[problems] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert "--as-of" in CliRunner().invoke(tui_command, ["--help"]).output
    bad = CliRunner().invoke(tui_command, ["--as-of", "明天"])
    assert bad.exit_code == 2 and "2025-06-30" in bad.output


def test_tui_adapter_and_serve_command_pass_as_of() -> None:
    from tui.findings import validate_books
    from tui.serve import app_command

    books = _half_year_books()
    found = validate_books(list(enumerate(books)), D(2010, 6, 30))
    assert all(not items for items in found.values())
    later = validate_books(list(enumerate(books)), D(2011, 1, 31))
    assert any(f.code == "coverage.no_review" for items in later.values() for f in items)
    assert "--as-of 2010-06-30" in app_command("x.db", as_of=D(2010, 6, 30))


def test_summary_counts_only_the_periods_due() -> None:
    from cxzy_docs.report.summary import summary_figures

    books = _half_year_books()
    mid, _ = summary_figures(books, "靖宇镇卫生院党支部", 2010, as_of=D(2010, 6, 30))
    assert mid.reviews_expected == mid.reviews_done == 2 * 2 + 1  # Q1, Q2 of two members; H1 of the branch
    end, _ = summary_figures(books, "靖宇镇卫生院党支部", 2010, today=D(2013, 1, 1))
    assert end.reviews_expected == 2 * 4 + 2 and end.reviews_done == 5
