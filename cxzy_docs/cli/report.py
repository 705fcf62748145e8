"""``cxzy report``: annual summary, review ledger and 公示 list; each subcommand calls one library function."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from cxzy_docs.cli.common import CONTEXT, as_of_option, console, db_option, errors_to_exit

ROSTER_HELP = "党员花名册（XLSX/CSV），用于上下级关系和覆盖面核对（可选）"
ORGS_HELP = "党组织名单（含“上级党组织”列，XLSX/CSV；可选）"
ROSTER_TREE_HELP = "党员花名册（XLSX/CSV，可选）：其中的党组织表给出上下级关系"
TEMPLATE_HELP = "报告模板文件夹（复制 templates/report 后修改；未修改的文件沿用内置模板）"
INBOX_HELP = (
    "收上来的写实簿所在的文件夹（可给多次）：其中内容不在数据库中的文件（导入时未能读取的）"
    "在报告中计为“未能读取”，并列出文件名"
)


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    from cxzy_docs.check.asof import parse_as_of

    try:
        return parse_as_of(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _say(message: str) -> None:
    console().print(message)


def _check_db(db: str | None) -> None:
    """A missing database file is an error, not an empty report."""
    from cxzy_docs.report.errors import ReportError
    from cxzy_docs.store import default_url

    where = db or default_url()
    if "://" not in where and not Path(where).expanduser().is_file():
        raise ReportError("数据库文件不存在。请先用 cxzy import 导入写实簿，或用 --db 指定数据库", file=where)


def _json_records(db: str | None, year: int | None) -> list[dict[str, Any]] | None:
    """The records of a ``cxzy.record/1`` JSON file given as ``--db`` (as cxzy parse --json prints them),
    or None when ``--db`` names a database."""
    from cxzy_docs import api
    from cxzy_docs.report.errors import ReportError

    if db is None or not db.lower().endswith((".json", ".jsonl")):
        return None
    records, outcomes = api.read_inputs([db])
    for o in outcomes:
        if o.error:
            raise ReportError(o.error)
    return [r for r in records if year is None or r.get("year") == year]


def _records(db: str | None, year: int | None) -> list[dict[str, Any]]:
    """The stored books of ``year``; rows that are not sound records are said and left out."""
    return _stored(db, year)[0]


def _stored(
    db: str | None, year: int | None, inbox: tuple[str, ...] = ()
) -> tuple[list[dict[str, Any]], list[str], list[Path]]:
    """The stored books of ``year``, the rows that are not sound records, and the files under ``inbox``
    whose content is not in the store (handed in, not read)."""
    from cxzy_docs import api

    from_json = _json_records(db, year)
    if from_json is not None:
        return from_json, [], []
    _check_db(db)
    with api.open_store(db) as store:
        records, problems = api.stored_records(store, year=year)
        unread = api.files_not_stored(store, inbox) if inbox else []
    for problem in problems:  # a row that is not a sound record is left out, and said so
        _say(f"[red]跳过[/]：{problem}")
    return records, problems, unread


def _roster(
    roster: str | None,
    orgs: str | None,
    db: str | None = None,
    year: int | None = None,
    org: str | None = None,
) -> Any:
    """The organization tree and roster a report counts against: from ``--roster``/``--orgs``, else the tree
    kept in the store for ``year``."""
    if not roster and not orgs:
        return _stored_roster(db, year, org)
    from cxzy_docs import api

    if roster is None:
        raise click.UsageError("指定 --orgs 时也需要 --roster（党员花名册）")
    read = api.read_roster(roster, orgs)
    for problem in read.problems[:5]:
        _say(f"[yellow]花名册：[/]{problem}")
    return read


def _stored_roster(db: str | None, year: int | None, org: str | None) -> Any:
    """The organization tree stored for ``year`` (cxzy roster load / import --roster), used without being
    told again; an ``org`` the tree does not know is an error, never a silent narrowing to that name."""
    from cxzy_docs import api
    from cxzy_docs.identity import name_key
    from cxzy_docs.report.errors import ReportError
    from cxzy_docs.store import default_url

    where = db or default_url()
    if where.lower().endswith((".json", ".jsonl")) or (
        "://" not in where and not Path(where).expanduser().is_file()
    ):
        return None
    with api.open_store(db) as store:
        tree = api.stored_roster(store, year)
    if tree is None:
        if org:
            _say(
                f"[yellow]注意：[/]数据库中没有花名册（组织树），只按写实簿中的“上级党组织”确定“{org}”的下级；"
                "可用 cxzy roster load 存入花名册"
            )
        return None
    if org and name_key(org) not in tree.known_organizations():
        known = "、".join(o["name"] for o in tree.organizations[:12])
        raise ReportError(
            f"党组织“{org}”不在 {tree.year} 年度的组织树中（花名册 {tree.source}）；组织树中有：{known}"
        )
    _say(f"使用数据库中 {tree.year} 年度的花名册（组织树）")
    return tree


@click.group("report", context_settings=CONTEXT)
def report_group() -> None:
    """汇总报告：年度总结报告、点评台账、星级先锋公示名单。"""


@report_group.command("summary", context_settings=CONTEXT)
@click.option("--org", "org", required=True, help="党组织名称（报告覆盖它和所有下级党组织及其党员）")
@click.option("--year", type=int, required=True, help="年度，如 2025")
@db_option()
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="输出文件（.docx）")
@click.option("--pdf", is_flag=True, help="同时生成 PDF（需要 LibreOffice）")
@click.option(
    "--template", "template_dir", default=None, type=click.Path(file_okay=False), help=TEMPLATE_HELP
)
@click.option("--roster", default=None, type=click.Path(dir_okay=False), help=ROSTER_HELP)
@click.option("--orgs", default=None, type=click.Path(dir_okay=False), help=ORGS_HELP)
@click.option(
    "--inbox", "inbox", multiple=True, metavar="文件夹", type=click.Path(exists=True), help=INBOX_HELP
)
@click.option(
    "--date", "date", metavar="日期", callback=_date, help="落款日期，如 2026-01-15（默认：校验基准日）"
)
@click.option("--issuer", "issuer", metavar="单位", default=None, help="落款单位（默认：--org 的党组织）")
@as_of_option()
def summary_command(
    org: str,
    year: int,
    db: str | None,
    out: str,
    pdf: bool,
    template_dir: str | None,
    roster: str | None,
    orgs: str | None,
    inbox: tuple[str, ...],
    date: dt.date | None,
    issuer: str | None,
    as_of: dt.date | None,
) -> None:
    """生成年度领导点评工作总结（DOCX，可选 PDF），按公文格式排版。

    应交写实簿按花名册（--roster）计：每名党员、每个党组织一本；已交回但无法读取的（--inbox 文件夹中
    未能导入的文件，或数据库中已损坏的记录）计为“未能读取”，不计为未交。
    """
    from cxzy_docs import api
    from cxzy_docs.errors import DependencyMissing

    with errors_to_exit():
        read = _roster(roster, orgs, db, year, org)
        records, problems, unread = _stored(db, year, inbox)
        try:
            result = api.report_summary(
                records,
                org,
                year,
                out,
                pdf=pdf,
                template_dir=template_dir,
                roster=read,
                unread=unread,
                store_problems=problems,
                as_of=as_of,
                date=date,
                issuer=issuer,
            )
        except DependencyMissing as exc:
            if Path(out).is_file():  # the DOCX is there; only the PDF could not be made
                _say(f"[yellow]警告：[/]{exc.message}")
                _say(f"已生成：{out}")
                return
            raise
        f = result.figures
        _say(f"已生成：{result.docx}" + (f"，{result.pdf}" if result.pdf else ""))
        _say(
            f"覆盖党组织 {len(f.organizations)} 个；应建写实簿 {f.books_expected} 本，已读取 {f.books} 本、"
            f"未能读取 {f.books_unread + f.unattributed} 个文件、未交 {f.books_missing} 本；"
            f"点评 {f.reviews_done}/{f.reviews_expected}，三要素齐全 {f.reviews_complete}；待整改问题 {f.findings_open} 处"
        )
        if read is None:
            _say("[yellow]注意：[/]没有给出花名册（--roster），应交写实簿按收到的写实簿计算，未交的无从统计")


@report_group.command("ledger", context_settings=CONTEXT)
@db_option()
@click.option("--org", "org", default=None, help="只列此党组织及其下级（默认：全部）")
@click.option("--year", type=int, default=None, help="只列此年度（默认：全部）")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False),
    help="输出文件：.xlsx（可筛选，按 A4 横向打印）或 .docx（归档用）",
)
@click.option("--roster", default=None, type=click.Path(dir_okay=False), help=ROSTER_TREE_HELP)
@click.option("--orgs", default=None, type=click.Path(dir_okay=False), help=ORGS_HELP)
@as_of_option()
def ledger_command(
    db: str | None,
    org: str | None,
    year: int | None,
    out: str,
    roster: str | None,
    orgs: str | None,
    as_of: dt.date | None,
) -> None:
    """生成点评台账：每条点评一行，含点评人、日期、内容、三要素、整改落实情况和未解决问题。

    XLSX 按 A4 横向打印：列宽按内容确定，文字自动换行、行高随内容，每页重复表头，页眉写党组织和年度，页脚有页码。
    """
    from cxzy_docs import api

    with errors_to_exit():
        tree = _roster(roster, orgs)
        rows = api.report_ledger(
            _records(db, year), out, organization=org, year=year, as_of=as_of, roster=tree
        )
        _say(f"已生成：{out}（{len(rows)} 条点评）")


@report_group.command("gongshi", context_settings=CONTEXT)
@db_option()
@click.option("--org", "org", required=True, help="党组织名称")
@click.option("--year", type=int, required=True, help="年度，如 2025")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="输出文件（.docx 或 .xlsx）")
@click.option("--days", type=click.IntRange(1, 60), default=5, show_default=True, help="公示期（工作日）")
@click.option(
    "--template", "template_dir", default=None, type=click.Path(file_okay=False), help=TEMPLATE_HELP
)
@click.option("--roster", default=None, type=click.Path(dir_okay=False), help=ROSTER_TREE_HELP)
@click.option("--orgs", default=None, type=click.Path(dir_okay=False), help=ORGS_HELP)
@click.option(
    "--date",
    "date",
    metavar="日期",
    callback=_date,
    help="落款日期，如 2026-01-15（默认：今天，往年的公示为次年二月底）",
)
def gongshi_command(
    db: str | None,
    org: str,
    year: int,
    out: str,
    days: int,
    template_dir: str | None,
    roster: str | None,
    orgs: str | None,
    date: dt.date | None,
) -> None:
    """生成“星级先锋”评定结果公示名单（先锋★ 合格☆ 基本合格○ 后进△）。

    等次来自写实簿的“评议结果”：用 cxzy grades import 导入评定等次表，或在核对界面中按 g 录入。
    """
    from cxzy_docs import api

    with errors_to_exit():
        tree = _roster(roster, orgs)
        notice = api.report_gongshi(
            _records(db, year),
            org,
            year,
            out,
            template_dir=template_dir,
            days=days,
            date=date,
            roster_orgs=tree.organizations if tree else None,
        )
        counts = "、".join(f"{c.grade}{c.mark} {c.count}" for c in notice.counts)
        _say(f"已生成：{out}（{len(notice.entries)} 个/名：{counts}）")
        if notice.ungraded:
            _say(f"[yellow]注意：[/]{notice.ungraded} 本写实簿未记录评定等次，未列入公示")
        if notice.unknown:
            _say(
                f"[yellow]注意：[/]{len(notice.unknown)} 本写实簿的等次无法识别，未列入公示："
                + "、".join(notice.unknown[:5])
            )
