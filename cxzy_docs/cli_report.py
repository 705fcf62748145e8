"""``cxzy report``: annual summary, review ledger and 公示 list; each subcommand calls one library function."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from cxzy_docs.cli_asof import as_of_option

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

_DB_HELP = "数据库文件（默认：环境变量 CXZY_DB，或当前文件夹的 cxzy.db）"
_ROSTER_HELP = "党员花名册（XLSX/CSV），用于上下级关系和覆盖面核对（可选）"
_ORGS_HELP = "党组织名单（含“上级党组织”列，XLSX/CSV；可选）"
_TEMPLATE_HELP = "报告模板文件夹（复制 templates/report 后修改；未修改的文件沿用内置模板）"


@contextmanager
def _errors() -> Iterator[None]:
    from cxzy_docs.cli import errors_to_exit

    with errors_to_exit():
        yield


def _say(message: str) -> None:
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(message)


def _records(db: str | None, year: int | None) -> list[dict[str, Any]]:
    from cxzy_docs.report.errors import ReportError
    from cxzy_docs.store import Store, default_url

    where = db or default_url()
    if "://" not in where and not Path(where).expanduser().is_file():
        raise ReportError("数据库文件不存在。请先用 cxzy import 导入写实簿，或用 --db 指定数据库", file=where)
    store = Store(db)
    try:
        records = store.records(year=year)
    finally:
        store.close()
    for problem in store.problems:  # a row that is not a sound record is left out, and said so
        _say(f"[red]跳过[/]：{problem}")
    return records


def _roster(roster: str | None, orgs: str | None) -> tuple[Any, Any]:
    if not roster and not orgs:
        return None, None
    from cxzy_docs.roster import read_roster

    if roster is None:
        raise click.UsageError("指定 --orgs 时也需要 --roster（党员花名册）")
    read = read_roster(roster, orgs)
    for problem in read.problems[:5]:
        _say(f"[yellow]花名册：[/]{problem}")
    return read.members, read.organizations


@click.group("report", context_settings=CONTEXT)
def report_group() -> None:
    """汇总报告：年度总结报告、点评台账、星级先锋公示名单。"""


@report_group.command("summary", context_settings=CONTEXT)
@click.option("--org", "org", required=True, help="党组织名称（报告覆盖它和所有下级党组织及其党员）")
@click.option("--year", type=int, required=True, help="年度，如 2025")
@click.option("--db", default=None, help=_DB_HELP)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="输出文件（.docx）")
@click.option("--pdf", is_flag=True, help="同时生成 PDF（需要 LibreOffice）")
@click.option("--template", "template_dir", default=None, type=click.Path(file_okay=False), help=_TEMPLATE_HELP)
@click.option("--roster", default=None, type=click.Path(dir_okay=False), help=_ROSTER_HELP)
@click.option("--orgs", default=None, type=click.Path(dir_okay=False), help=_ORGS_HELP)
@as_of_option()
def summary_command(org: str, year: int, db: str | None, out: str, pdf: bool, template_dir: str | None,
                    roster: str | None, orgs: str | None, as_of: Any) -> None:
    """生成年度领导点评工作总结报告（DOCX，可选 PDF），按 GB/T 9704 公文格式排版。"""
    from cxzy_docs.errors import DependencyMissing
    from cxzy_docs.report.summary import write_summary

    with _errors():
        members, organizations = _roster(roster, orgs)
        records = _records(db, year)
        try:
            result = write_summary(records, org, year, out, pdf=pdf, template_dir=template_dir,
                                   roster_members=members, roster_orgs=organizations, as_of=as_of)
        except DependencyMissing as exc:
            if Path(out).is_file():  # the DOCX is there; only the PDF could not be made
                _say(f"[yellow]警告：[/]{exc.message}")
                _say(f"已生成：{out}")
                return
            raise
        f = result.figures
        _say(f"已生成：{result.docx}" + (f"，{result.pdf}" if result.pdf else ""))
        _say(f"覆盖党组织 {len(f.organizations)} 个、写实簿 {f.books} 本；点评 {f.reviews_done}/{f.reviews_expected}，"
             f"三要素齐全 {f.reviews_complete}；待整改问题 {f.findings_open} 处")


@report_group.command("ledger", context_settings=CONTEXT)
@click.option("--db", default=None, help=_DB_HELP)
@click.option("--org", "org", default=None, help="只列此党组织及其下级（默认：全部）")
@click.option("--year", type=int, default=None, help="只列此年度（默认：全部）")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="输出文件（.xlsx）")
@as_of_option()
def ledger_command(db: str | None, org: str | None, year: int | None, out: str, as_of: Any) -> None:
    """生成点评台账（XLSX）：每条点评一行，含三要素、整改落实情况和未解决问题。"""
    from cxzy_docs.report.checks import open_findings
    from cxzy_docs.report.errors import ReportError
    from cxzy_docs.report.ledger import write_ledger
    from cxzy_docs.report.scope import select_scope

    with _errors():
        records = _records(db, year)
        if not records:
            raise ReportError(f"没有{f' {year} 年度的' if year else ''}写实簿记录，无法生成点评台账。"
                              "请先导入写实簿（cxzy import）。")
        if org:
            records = list(select_scope(records, org).records)
            if not records:
                raise ReportError(f"没有“{org}”及其所属党组织的写实簿，无法生成点评台账。请核对党组织名称。")
        rows = write_ledger(records, open_findings(records, year=year, as_of=as_of), out)
        _say(f"已生成：{out}（{len(rows)} 条点评）")


@report_group.command("gongshi", context_settings=CONTEXT)
@click.option("--db", default=None, help=_DB_HELP)
@click.option("--org", "org", required=True, help="党组织名称")
@click.option("--year", type=int, required=True, help="年度，如 2025")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="输出文件（.docx 或 .xlsx）")
@click.option("--days", type=click.IntRange(1, 60), default=5, show_default=True, help="公示期（工作日）")
@click.option("--template", "template_dir", default=None, type=click.Path(file_okay=False), help=_TEMPLATE_HELP)
def gongshi_command(db: str | None, org: str, year: int, out: str, days: int, template_dir: str | None) -> None:
    """生成“星级先锋”评定结果公示名单（先锋★ 合格☆ 基本合格○ 后进△）。"""
    from cxzy_docs.report.gongshi import write_notice

    with _errors():
        notice = write_notice(_records(db, year), org, year, out, template_dir=template_dir, days=days)
        counts = "、".join(f"{c.grade}{c.mark} {c.count}" for c in notice.counts)
        _say(f"已生成：{out}（{len(notice.entries)} 个/名：{counts}）")
        if notice.ungraded:
            _say(f"[yellow]注意：[/]{notice.ungraded} 本写实簿未记录评定等次，未列入公示")
        if notice.unknown:
            _say(f"[yellow]注意：[/]{len(notice.unknown)} 本写实簿的等次无法识别，未列入公示："
                 + "、".join(notice.unknown[:5]))
