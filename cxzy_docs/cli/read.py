"""``cxzy parse`` and ``cxzy import``: files into records, records into the store."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from cxzy_docs.cli.common import (
    CONTEXT,
    EXIT_FINDINGS,
    check_limits,
    console,
    db_option,
    errors_to_exit,
    fail,
    failed_line,
    progress,
)


@click.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, metavar="文件或文件夹...", type=click.Path())
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="输出 JSON 数组（cxzy.record/1），每条带来源文件（含页码）和每个字段的来源",
)
@click.option("--debug", is_flag=True, help="显示读取到的表格单元格及每个字段的来源")
@click.option(
    "--debug-pages",
    "debug_dir",
    type=click.Path(file_okay=False),
    help="把每一页画成 PNG 存入此文件夹，框出找到的标签（蓝）、读入的值（绿）和未读取的文字（红）",
)
@click.option(
    "--pages-of-one-book",
    "one_book",
    is_flag=True,
    help="每个给出的文件夹是同一本写实簿各页的照片或扫描图（JPG/PNG/TIFF），按文件名顺序作为一本读取",
)
def parse(paths: tuple[str, ...], as_json: bool, debug: bool, debug_dir: str | None, one_book: bool) -> None:
    """读取已填写的写实簿（Word/PDF/Excel/扫描件/手机照片/旧版 .doc .xls），转为结构化记录。

    文件夹会被递归遍历。一个文件读取失败不影响其他文件。一个文件中有多本写实簿（如合订本、整摞扫描）时逐本读出。
    一本写实簿逐页拍照或扫描成一个文件夹的图片时，用 --pages-of-one-book 读取该文件夹。
    识别置信度低的字段会列出，请人工核对。
    """
    from cxzy_docs import api

    check_limits()
    not_read: list[Any] = []
    if one_book:
        from pathlib import Path

        not_dirs = [p for p in paths if not Path(p).is_dir()]
        if not_dirs:
            fail("--pages-of-one-book 需要文件夹（每个文件夹是一本写实簿的各页图片）：" + "、".join(not_dirs))
        files: list[Any] = list(paths)
    else:
        files = api.find_files(paths, skipped=not_read)
    if not files:
        for o in not_read:
            failed_line(f"{o.path}：{o.skipped}")
        fail("没有找到可读取的文件：" + "、".join(paths))
    if debug_dir:
        sys.exit(_debug_pages(files, debug_dir))
    if as_json:
        outcomes = api.parse(files, pages_of_one_book=one_book)
        records = [rec for o in outcomes for rec in o.records]
        click.echo(json.dumps(records, ensure_ascii=False, indent=1))
        for o in outcomes:
            if o.error:
                failed_line(o.error)
        sys.exit(EXIT_FINDINGS if any(o.error for o in outcomes) else 0)
    from cxzy_docs.cli.describe import describe_outcome, needs_look

    con = console(stderr=False)
    with progress(len(files), "读取文件") as advance:
        outcomes = api.parse(files, on_file=lambda o: advance(o.path), pages_of_one_book=one_book)
    for o in [*not_read, *outcomes]:
        con.print(describe_outcome(o, debug=debug))
        for note in o.notes if o.records else ():
            con.print(f"  [yellow]未读入[/]：{note}")
    failed = sum(1 for o in outcomes if o.error)
    skipped = len(not_read) + sum(1 for o in outcomes if o.skipped)
    ok = sum(1 for o in outcomes if not o.error and not o.skipped)
    what = "文件夹" if one_book else "文件"
    con.print(
        f"\n共 {len(outcomes) + len(not_read)} 个{what}：成功 {ok} 个，"
        f"得到 {sum(len(o.records) for o in outcomes)} 本写实簿；跳过 {skipped} 个（未读取或不是写实簿），"
        f"失败 {failed} 个。"
    )
    look = sum(len(needs_look(r)) for o in outcomes for r in o.records)
    if look:
        con.print(f"有 {look} 个字段识别不确定，需人工核对（见上方“识别置信度低”和“需核对”）。")
    sys.exit(EXIT_FINDINGS if failed else 0)


def _debug_pages(files: list[Any], debug_dir: str) -> int:
    """``parse --debug-pages``: each file's pages drawn with what was matched (in the bounded worker,
    like any reading); one line per file."""
    from cxzy_docs.read.batch import draw_debug_pages

    con = console(stderr=False)
    failed = 0
    for name, written, error in draw_debug_pages(files, debug_dir):
        if error is not None or written is None:
            failed += 1
            failed_line(error or f"文件 {name}：没有画出调试图")
            continue
        con.print(f"{name}：{len(written)} 页调试图已写入 {debug_dir}")
    return EXIT_FINDINGS if failed else 0


@click.command("import", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=False, metavar="文件或文件夹...", type=click.Path())
@db_option()
@click.option(
    "--as-new",
    "as_new",
    is_flag=True,
    help="每本都另建一本写实簿，即使库中已有同一人同一年度的（极少数确有两本的情况）",
)
@click.option(
    "--corrected",
    is_flag=True,
    help="这些文件是改正后的写实簿：与库中不同的栏目以它为准，记为新版本（可撤销）",
)
@click.option(
    "--roster",
    "roster_path",
    type=click.Path(dir_okay=False),
    help="同时把花名册（党员、党组织及上级党组织）存入数据库，校验、报告和界面都会用它",
)
@click.option(
    "--orgs", "orgs_path", type=click.Path(dir_okay=False), help="党组织名单（与 --roster 一起用，可选）"
)
@click.option("--year", type=click.IntRange(1949, 2100), help="花名册适用的年度（默认：导入的写实簿的年度）")
def import_(
    paths: tuple[str, ...],
    db: str | None,
    as_new: bool,
    corrected: bool,
    roster_path: str | None,
    orgs_path: str | None,
    year: int | None,
) -> None:
    """把文件读入数据库：同一人同一年度的写实簿只有一本，其他文件（PDF、扫描件、点评台账）并入它。

    同一文件重复导入不会重复记录；失败的文件不改变数据库。结束时列出每一本的去向：新建、合并、新版本、冲突。
    """
    from cxzy_docs import api

    if not paths and not roster_path:
        raise click.UsageError("请给出要导入的文件或文件夹，或用 --roster 导入花名册")
    check_limits()
    con = console(stderr=False)
    with errors_to_exit(), api.open_store(db) as store:
        if store.upgrade_note:
            console().print(f"[yellow]{store.upgrade_note}[/]")
        summary = None
        if paths:
            skipped: list[Any] = []
            files = api.find_files(paths, skipped=skipped)
            if not files and not skipped:
                fail("没有找到可导入的文件：" + "、".join(paths))
            with progress(len(files) + len(skipped), "导入文件") as advance:  # files not read are listed too
                summary = api.import_files(
                    paths, store, on_file=lambda o: advance(o.path), as_new=as_new, corrected=corrected
                )
        if roster_path:
            years = {o.year for o in summary.outcomes if o.year is not None} if summary else set()
            if year is None and len(years) != 1:
                fail(
                    "请用 --year 指明花名册适用的年度"
                    + (f"（导入的写实簿有 {len(years)} 个年度）" if years else "")
                )
            loaded = api.load_roster(
                store, roster_path, orgs_path, year=year if year is not None else years.pop()
            )
            _print_roster_load(con, loaded)
        counts = store.counts()
        where = store.display_url
    if summary is not None:
        _print_summary(con, summary, where, counts)
        sys.exit(EXIT_FINDINGS if summary.failed else 0)


def _print_summary(con: Any, summary: Any, where: str, counts: dict[str, int]) -> None:
    from cxzy_docs.read.batch import ALREADY_IMPORTED

    for o in summary.failed:
        con.print(f"[red]失败[/]：{o.error}")
    already = [o for o in summary.skipped if o.skipped == ALREADY_IMPORTED]
    for o in summary.skipped:
        if o.skipped != ALREADY_IMPORTED:
            con.print(f"[yellow]跳过[/]：{o.path}：{o.skipped}", markup=True)
    for note in summary.notes:
        con.print(f"[yellow]跳过[/]：{note}")
    for o in summary.outcomes:
        if o.action != "new":
            con.print(_outcome_line(o), markup=True)
    acts = summary.actions
    parts = [
        f"新建 {acts['new']} 本",
        f"合并 {acts['merged']} 本",
        f"新版本 {acts['version']} 本",
        f"冲突 {acts['conflict']} 本",
    ] + ([f"另建 {acts['as_new']} 本"] if acts["as_new"] else [])
    skipped = [f"已导入过 {len(already)} 个"]
    other = len(summary.skipped) - len(already)
    if other:
        skipped.append(f"未读取或不是写实簿 {other} 个")
    con.print(
        f"导入完成：读取 {summary.files} 个文件，得到 {summary.books} 本写实簿：{'、'.join(parts)}；"
        f"跳过 {len(summary.skipped)} 个文件（{'，'.join(skipped)}），失败 {len(summary.failed)} 个。"
        f"数据库 {where} 现有 {counts['books']} 本写实簿、{counts['files']} 个文件。"
    )


def _outcome_line(o: Any) -> str:
    from cxzy_docs import api

    head = {
        "merged": "[green]合并[/]",
        "version": "[cyan]新版本[/]",
        "conflict": "[red]冲突[/]",
        "as_new": "[yellow]另建[/]",
    }.get(o.action, o.action_name)
    kind = o.kind
    bits = []
    if o.filled:
        bits.append(f"补入 {len(o.filled)} 项")
    if o.replaced:
        bits.append(
            "改正 "
            + "、".join(api.field_label(kind, p) for p in o.replaced[:4])
            + (f" 等 {len(o.replaced)} 项" if len(o.replaced) > 4 else "")
        )
    if o.confirmed:
        bits.append(f"一致 {o.confirmed} 项")
    if o.conflicts:
        bits.append(
            "不一致："
            + "、".join(api.field_label(kind, p) for p in o.conflicts[:4])
            + (f" 等 {len(o.conflicts)} 项" if len(o.conflicts) > 4 else "")
            + "（两种写法都已保存，请在界面中核对）"
        )
    text = f"{head}：{o.label}（编号 {o.book_id}）← {o.source}"
    if bits:
        text += "：" + "，".join(bits)
    if o.note:
        text += f"。{o.note}"
    return text


def _print_roster_load(con: Any, loaded: Any) -> None:
    roster, year = loaded.roster, loaded.year
    for problem in roster.problems:
        con.print(f"[yellow]花名册问题[/]：{problem}")
    con.print(
        f"花名册已存入数据库：{year} 年度，党员 {len(roster.members)} 名、党组织 {len(roster.organizations)} 个"
        f"（来自 {loaded.source}）。"
    )
