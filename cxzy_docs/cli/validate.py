"""``cxzy validate``: flag incomplete reviews and bad records before filing."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click

from cxzy_docs.cli.common import (
    CONTEXT,
    EXIT_FINDINGS,
    as_of_option,
    check_limits,
    console,
    errors_to_exit,
    fail,
    failed_line,
    progress,
)

JSON_HELP = "输出 JSON 数组：每条问题一项，含来源文件、对象、字段及其中文名称、问题代码、严重程度、说明和依据（键名见 README）"


@click.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, metavar="[文件或文件夹]...", type=click.Path())
@click.option("--db", metavar="数据库", help="校验数据库中的写实簿（不给文件时默认校验数据库）")
@click.option(
    "--roster",
    "roster_path",
    type=click.Path(dir_okay=False),
    help="花名册：检查每名党员、每个党组织是否都有写实簿",
)
@click.option("--year", type=int, help="只校验该年度")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.option(
    "--xlsx", "xlsx_path", type=click.Path(dir_okay=False), help="另把问题清单写入 Excel，供归档部门使用"
)
@as_of_option()
def validate(
    paths: tuple[str, ...],
    db: str | None,
    roster_path: str | None,
    year: int | None,
    as_json: bool,
    xlsx_path: str | None,
    as_of: dt.date | None,
) -> None:
    """归档前校验：领导点评是否写清成绩、不足和努力方向，签字是否有姓名和合理日期，表头、票数、覆盖面。

    退出码：0 没有错误级问题，1 有错误级问题（或有文件读取失败），2 无法运行。
    """
    from cxzy_docs import api
    from cxzy_docs.check import findings_json, format_findings_text, has_errors, write_findings_xlsx

    failed: list[str] = []
    check_limits()
    with errors_to_exit():
        records = _records(paths, db, year, failed)
        roster = (
            api.read_roster(roster_path) if roster_path else _stored_roster(db, year, records, bool(paths))
        )
        if not records and not (roster and roster.members):
            for message in failed:  # why there is nothing: each file's own line first
                failed_line(message)
            fail("没有可校验的写实簿" + (f"（{year} 年度）" if year else ""))
        findings = api.validate(records, roster=roster, year=year, as_of=as_of)
        if xlsx_path:
            write_findings_xlsx(findings, xlsx_path)
    if as_json:
        click.echo(findings_json(findings))
    else:
        con = console(stderr=False)
        con.print(format_findings_text(findings), markup=False)
        if xlsx_path:
            con.print(f"问题清单已写入 {xlsx_path}")
    for message in failed:
        failed_line(message)
    sys.exit(EXIT_FINDINGS if has_errors(findings) or failed else 0)


def _records(
    paths: tuple[str, ...], db: str | None, year: int | None, failed: list[str]
) -> list[dict[str, Any]]:
    """Records from files (forms, ledgers, records JSON: read on the fly and merged per book as the store
    would) or from the store; what could not be read goes to ``failed``."""
    from cxzy_docs import api

    if paths:
        files = api.find_files(paths)
        if not files:
            fail("没有找到可读取的文件：" + "、".join(paths))
        with progress(len(files), "读取文件") as advance:
            records, outcomes = api.read_inputs(files, on_file=lambda o: advance(o.path))
        failed.extend(o.error for o in outcomes if o.error)
        for o in outcomes:
            if o.skipped:
                console().print(f"[yellow]跳过[/]：{o.path}：{o.skipped}")
    else:
        with api.open_store(db) as store:
            if store.upgrade_note:
                console().print(f"[yellow]{store.upgrade_note}[/]")
            records, problems = api.stored_records(store, year=year)
        failed.extend(problems)  # rows that are not sound records: one line each, the rest is checked
    return [r for r in records if year is None or r.get("year") == year]


def _stored_roster(db: str | None, year: int | None, records: list[dict[str, Any]], from_files: bool) -> Any:
    """The organization tree stored for the year checked (``--year``, else the books' one year): given
    once (cxzy roster load, cxzy import --roster), used without being told again."""
    from pathlib import Path

    from cxzy_docs import api
    from cxzy_docs.store import default_url

    where = db or default_url()
    if from_files and db is None and ("://" in where or not Path(where).expanduser().is_file()):
        return None  # files checked on their own: a store is used only when there is one
    if "://" not in where and not Path(where).expanduser().is_file():
        return None
    years = {r.get("year") for r in records} - {None}
    wanted = year if year is not None else (next(iter(years)) if len(years) == 1 else None)
    if wanted is None:
        return None
    with api.open_store(db) as store:
        roster = api.stored_roster(store, wanted)
    if roster is not None:
        note = "" if roster.year == wanted else f"（没有 {wanted} 年度的，用的是 {roster.year} 年度的）"
        console().print(
            f"使用数据库中的花名册{note}：党员 {len(roster.members)} 名、党组织 {len(roster.organizations)} 个"
        )
    return roster
