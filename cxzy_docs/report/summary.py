"""The annual summary report of an organization and everything under it: figures, wording, DOCX, PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cxzy_docs.model import Record
from cxzy_docs.report import charts, checks
from cxzy_docs.report.census import take_census, unread_files
from cxzy_docs.report.errors import ReportError, TemplateError
from cxzy_docs.report.figures import Figures, compute_figures
from cxzy_docs.report.gbdoc import Chart, OfficialDocument, TableData, write_blocks
from cxzy_docs.report.markup import Block, parse_markup
from cxzy_docs.report.scope import Scope, select_scope
from cxzy_docs.report.tables import TABLES, UNNUMBERED, TableNumbers
from cxzy_docs.report.templating import render

SUMMARY_TEMPLATE = "summary.md.j2"


@dataclass(frozen=True)
class SummaryResult:
    """What :func:`write_summary` made: the DOCX, the PDF (if asked), the figures and findings."""

    docx: Path
    pdf: Path | None
    figures: Figures
    findings: tuple[checks.Finding, ...]


def year_scope(
    records: Sequence[Record],
    organization: str,
    year: int,
    roster_orgs: Iterable[Mapping[str, Any]] | None = None,
) -> Scope:
    """The books of ``year`` under ``organization``; a clear Chinese error when there are none."""
    of_year = [r for r in records if r.get("year") == year]
    if not of_year:
        raise ReportError(
            f"没有 {year} 年度的写实簿记录，无法生成报告。请先导入该年度的写实簿（cxzy import）。"
        )
    scope = select_scope(of_year, organization, roster_orgs)
    if not scope.records:
        raise ReportError(
            f"{year} 年度没有“{organization}”及其所属党组织的写实簿（已有 {len(of_year)} 本其他"
            "党组织的写实簿）。请核对党组织名称，或用 --roster 指定上下级关系。"
        )
    return scope


def summary_figures(
    records: Sequence[Record],
    organization: str,
    year: int,
    *,
    roster_members: Sequence[Mapping[str, Any]] | None = None,
    roster_orgs: Sequence[Mapping[str, Any]] | None = None,
    unread: Iterable[Any] = (),
    as_of: dt.date | None = None,
    today: dt.date | None = None,
) -> tuple[Figures, list[checks.Finding]]:
    """The figures of the summary and the open findings they count, as of ``as_of`` (default:
    ``today``, no later than the end of the year's filing window): periods not ended are not due.

    ``roster_members`` are who should have a book; ``unread`` the books that exist but could not be
    read (failed ``FileOutcome``s, ``(path, reason)`` pairs or paths): they count as 未能读取, not missing.
    """
    as_of = as_of or checks.default_as_of(year, today)
    scope = year_scope(records, organization, year, roster_orgs)
    covered = set(scope.organizations)
    members = [m for m in roster_members or () if (m.get("organization") or "") in covered] or None
    orgs = [o for o in roster_orgs or () if (o.get("name") or "") in covered] or None
    findings = [
        f
        for f in checks.open_findings(
            scope.records, year=year, roster_members=members, roster_orgs=orgs, as_of=as_of
        )
        if f.code != "coverage.no_book"
    ]  # who has no book: the census, which knows the unread files
    books = [r for r in scope.records if r.get("year") == year]
    census = take_census(
        scope,
        books,
        roster_members=roster_members if roster_members is not None else None,
        unread=unread_files(unread),
    )
    return compute_figures(scope, year, findings, as_of=as_of, census=census), findings


def report_date(
    year: int, *, date: dt.date | None = None, as_of: dt.date | None = None, today: dt.date | None = None
) -> dt.date:
    """The date a summary carries: ``date`` if given, else the as-of date (a past year's report is
    dated at the end of its filing window, not the day it happens to be printed)."""
    return date or as_of or checks.default_as_of(year, today)


def summary_text(
    f: Figures,
    *,
    template_dir: str | Path | None = None,
    today: dt.date | None = None,
    date: dt.date | None = None,
    issuer: str | None = None,
    numbers: TableNumbers | None = None,
) -> str:
    """The summary's wording (line markup) from the templates; ``numbers`` collects the tables' numbers
    the wording refers to (``tab("coverage")`` -> 表2), for :func:`summary_document` to caption them so."""
    when = date or today or checks.default_as_of(f.year)
    context = {
        "f": f,
        "org": f.organization,
        "year": f.year,
        "today": when,
        "date": when,
        "issuer": issuer or f.organization,
        "vanguard_target": 0.15,
        "tab": numbers if numbers is not None else TableNumbers(),
    }
    return render(SUMMARY_TEMPLATE, context, template_dir)


def summary_document(f: Figures, text: str, numbers: TableNumbers | None = None) -> OfficialDocument:
    """The DOCX document of a rendered summary: blocks laid out, tables and charts built when placed.

    Tables are captioned 表1, 表2, ... by ``numbers`` (those the wording named) and in the order placed;
    the annex lists (未能读取、未交、问题清单) are titled by their annex instead.
    """
    doc = OfficialDocument(f"{f.organization}{f.year}年度创先争优领导点评工作总结")
    numbers = numbers if numbers is not None else TableNumbers()

    def numbered(name: str, build: Callable[[Figures], TableData]) -> TableData:
        data = build(f)
        if name in UNNUMBERED or not data.caption:
            return data
        return replace(data, caption=f"{numbers(name)}　{data.caption}")

    tables = {name: (lambda name=name, build=build: numbered(name, build)) for name, build in TABLES.items()}
    chart_map = {name: (lambda draw=draw: Chart(draw(f))) for name, draw in charts.CHARTS.items()}

    def unknown(block: Block, what: str, names: Sequence[str]) -> Exception:
        return TemplateError(
            f"模板引用了不存在的{what}“{block.text}”（可用：{'、'.join(names)}）",
            where=f"生成文本第 {block.line} 行",
        )

    write_blocks(doc, parse_markup(text), tables, chart_map, unknown)
    return doc


def write_summary(
    records: Sequence[Record],
    organization: str,
    year: int,
    out: str | Path,
    *,
    pdf: bool = False,
    template_dir: str | Path | None = None,
    today: dt.date | None = None,
    roster_members: Sequence[Mapping[str, Any]] | None = None,
    roster_orgs: Sequence[Mapping[str, Any]] | None = None,
    unread: Iterable[Any] = (),
    as_of: dt.date | None = None,
    date: dt.date | None = None,
    issuer: str | None = None,
) -> SummaryResult:
    """Write the annual summary of ``organization`` for ``year`` as DOCX (and PDF beside it).

    ``date`` (落款日期): default the as-of date; ``issuer`` (落款): default the organization.
    """
    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise ReportError("总结报告的输出文件应以 .docx 结尾", file=str(out))
    as_of = as_of or checks.default_as_of(year, today)
    f, findings = summary_figures(
        records,
        organization,
        year,
        roster_members=roster_members,
        roster_orgs=roster_orgs,
        unread=unread,
        as_of=as_of,
        today=today,
    )
    numbers = TableNumbers()
    text = summary_text(
        f,
        template_dir=template_dir,
        date=report_date(year, date=date, as_of=as_of),
        issuer=issuer,
        numbers=numbers,
    )
    summary_document(f, text, numbers).save(out)
    pdf_path = None
    if pdf:
        from cxzy_docs.report.topdf import docx_to_pdf

        pdf_path = docx_to_pdf(out, out.with_suffix(".pdf"))
    return SummaryResult(out, pdf_path, f, tuple(findings))
