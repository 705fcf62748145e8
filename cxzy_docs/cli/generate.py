"""``cxzy blank`` and ``cxzy fill``: books from a roster, books from records."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from cxzy_docs.cli.common import (
    CONTEXT,
    EXIT_FINDINGS,
    check_limits,
    console,
    errors_to_exit,
    fail,
    progress,
)

FORMAT_HELP = "输出格式，逗号分隔：docx,xlsx,pdf（默认 docx）"


def _generate(records: Sequence[dict[str, Any]], out: str, fmt: str, combined: bool) -> int:
    from cxzy_docs import api
    from cxzy_docs.model import display_name
    from cxzy_docs.render.generate import parse_formats

    formats = parse_formats(fmt)
    with progress(len(records), "生成写实簿") as advance:
        result = api.generate(
            records, out, formats, combined=combined, on_book=lambda r: advance(display_name(r))
        )
    con = console(stderr=False)
    con.print(
        f"完成：{result.books} 本写实簿，写出 {len(result.written)} 个文件"
        + (f"、{len(result.combined)} 个合订本" if combined else "")
        + f"，位于 {result.out_dir}"
    )
    for f in result.failures:
        con.print(f"[red]失败[/]：{f.book}：{f.message}")
    if result.failures:
        con.print(f"[red]{len(result.failures)} 个文件未能生成[/]")
        return EXIT_FINDINGS
    return 0


@click.command(context_settings=CONTEXT)
@click.option(
    "--roster",
    "roster_path",
    type=click.Path(dir_okay=False),
    help="花名册（.xlsx 或 .csv）；党组织在第二个工作表（不给时用数据库中该年度的花名册）",
)
@click.option("--orgs", "orgs_path", type=click.Path(dir_okay=False), help="党组织名单（.csv，可选）")
@click.option("--year", required=True, type=click.IntRange(1990, 2100), help="年度，如 2025")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="输出文件夹")
@click.option("--format", "fmt", default="docx", show_default=True, help=FORMAT_HELP)
@click.option(
    "--combined", is_flag=True, help="另为每个党组织生成一份合订本 PDF（每本从奇数页开始，便于双面打印）"
)
@click.option(
    "--include-all",
    "include_all",
    is_flag=True,
    help="也为入党时间晚于该年度、或已标明转出的党员生成写实簿（默认跳过并提醒）",
)
@click.option(
    "--db",
    "db",
    default=None,
    metavar="数据库",
    help="不给 --roster 时从这个数据库取花名册（默认 $CXZY_DB 或 cxzy.db）",
)
def blank(
    roster_path: str | None,
    orgs_path: str | None,
    year: int,
    out: str,
    fmt: str,
    combined: bool,
    include_all: bool,
    db: str | None,
) -> None:
    """按花名册为每名党员、每个党组织生成空白写实簿（封面和表头已填好）。

    党组织名称照花名册原样写入（全角括号仍是全角）。入党时间晚于该年度或已转出的党员默认不生成，逐一提醒。
    """
    from dataclasses import replace

    from cxzy_docs import api

    with errors_to_exit():
        con = console(stderr=False)
        if roster_path:
            roster = api.read_roster(roster_path, orgs_path)
        else:
            from cxzy_docs.store import default_url, sqlite_file, to_url

            where = sqlite_file(to_url(db or default_url()))
            stored = None
            if where is None or where.exists():  # never a new, empty store file just to look
                with api.open_store(db) as store:
                    stored = api.stored_roster(store, year)
            if stored is None:
                fail(
                    "缺少选项 --roster：请用 --roster 给出花名册，或先用 cxzy roster load 把花名册存入数据库"
                    "（见 cxzy blank --help）"
                )
            roster = stored
            con.print(f"使用数据库中 {roster.year} 年度的花名册（{roster.source}）")
            roster_path = str(roster.source)
        for p in roster.problems:
            verdict = "未生成写实簿" if p.skipped else "已生成写实簿，该项留空"
            con.print(f"[yellow]花名册问题[/]（{verdict}）：{p}")
        kept, excluded = api.members_for_year(roster, year)
        for member, why in excluded:
            verdict = (
                "仍生成写实簿（--include-all）" if include_all else "未生成写实簿（要生成请加 --include-all）"
            )
            con.print(
                f"[yellow]提醒[/]：{member.get('organization') or ''} {member.get('name')}：{why}，{verdict}"
            )
        records = api.blank_books(roster if include_all else replace(roster, members=kept), year)
        if not records:
            fail(f"文件 {roster_path}：花名册中没有可用的党员或党组织")
        code = _generate(records, out, fmt, combined)
    if roster.problems:
        skipped = sum(1 for p in roster.problems if p.skipped)
        console(stderr=False).print(
            f"[yellow]花名册有 {len(roster.problems)} 处问题（见上），其中 {skipped} 行未能生成写实簿；"
            "请改正花名册后重新生成[/]"
        )
        code = code or EXIT_FINDINGS
    sys.exit(code)


@click.command(context_settings=CONTEXT)
@click.argument(
    "records_json", nargs=-1, required=True, metavar="记录文件.json...", type=click.Path(dir_okay=False)
)
@click.option("--out", required=True, type=click.Path(file_okay=False), help="输出文件夹")
@click.option("--format", "fmt", default="docx", show_default=True, help=FORMAT_HELP)
@click.option("--combined", is_flag=True, help="另为每个党组织生成一份合订本 PDF")
def fill(records_json: tuple[str, ...], out: str, fmt: str, combined: bool) -> None:
    """按记录（cxzy.record/1 JSON）生成已填写的写实簿。"""
    from cxzy_docs import api

    check_limits()
    records = []
    with errors_to_exit():
        for path in records_json:  # read in the bounded worker, as every input file is
            records.extend(api.load_records(path))
        code = _generate(records, out, fmt, combined)
    sys.exit(code)
