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
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="输出 JSON 数组（cxzy.record/1），每条带 source 和字段来源")
@click.option("--debug", is_flag=True, help="显示读取到的表格单元格及每个字段的来源")
@click.option("--debug-pages", "debug_dir", type=click.Path(file_okay=False),
              help="把每一页画成 PNG 存入此文件夹，框出找到的标签（蓝）、读入的值（绿）和未读取的文字（红）")
@click.option("--pages-of-one-book", "one_book", is_flag=True,
              help="每个给出的文件夹是同一本写实簿各页的照片或扫描图（JPG/PNG/TIFF），按文件名顺序作为一本读取")
def parse(paths: tuple[str, ...], as_json: bool, debug: bool, debug_dir: str | None, one_book: bool) -> None:
    """读取已填写的写实簿（Word/PDF/Excel/扫描件/手机照片/旧版 .doc .xls），转为结构化记录。

    文件夹会被递归遍历。一个文件读取失败不影响其他文件。一个文件中有多本写实簿（如合订本、整摞扫描）时逐本读出。
    一本写实簿逐页拍照或扫描成一个文件夹的图片时，用 --pages-of-one-book 读取该文件夹。
    识别置信度低的字段会列出，请人工核对。
    """
    from cxzy_docs import api

    check_limits()
    if one_book:
        from pathlib import Path

        not_dirs = [p for p in paths if not Path(p).is_dir()]
        if not_dirs:
            fail("--pages-of-one-book 需要文件夹（每个文件夹是一本写实簿的各页图片）：" + "、".join(not_dirs))
        files: list[Any] = list(paths)
    else:
        files = api.find_files(paths)
    if not files:
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
    for o in outcomes:
        con.print(describe_outcome(o, debug=debug))
    ok = sum(1 for o in outcomes if not o.error)
    what = "文件夹" if one_book else "文件"
    con.print(f"\n共 {len(outcomes)} 个{what}：成功 {ok} 个，得到 {sum(len(o.records) for o in outcomes)} 本写实簿；"
              f"失败 {len(outcomes) - ok} 个。")
    look = sum(len(needs_look(r)) for o in outcomes for r in o.records)
    if look:
        con.print(f"有 {look} 个字段识别不确定，需人工核对（见上方“识别置信度低”和“需核对”）。")
    sys.exit(EXIT_FINDINGS if ok < len(outcomes) else 0)


def _debug_pages(files: list[Any], debug_dir: str) -> int:
    """``parse --debug-pages``: each file's pages drawn with what was matched; one line per file."""
    from cxzy_docs.errors import CxzyError
    from cxzy_docs.read.debugpages import debug_pages

    con = console(stderr=False)
    failed = 0
    for f in files:
        try:
            written = debug_pages(f, debug_dir)
        except CxzyError as exc:
            failed += 1
            failed_line(exc.message)
            continue
        except Exception as exc:  # a reader bug must not stop the other files
            failed += 1
            failed_line(f"文件 {f}：画调试图时出现内部错误（{exc.__class__.__name__}: {exc}）")
            continue
        con.print(f"{f}：{len(written)} 页调试图已写入 {debug_dir}")
    return EXIT_FINDINGS if failed else 0


@click.command("import", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option()
def import_(paths: tuple[str, ...], db: str | None) -> None:
    """把文件读入数据库（同一文件重复导入不会重复记录；失败的文件不改变数据库）。"""
    from cxzy_docs import api

    check_limits()
    with errors_to_exit(), api.open_store(db) as store:
        files = api.find_files(paths)
        if not files:
            fail("没有找到可导入的文件：" + "、".join(paths))
        with progress(len(files), "导入文件") as advance:
            summary = api.import_files(files, store, on_file=lambda o: advance(o.path))
        counts = store.counts()
        where = store.display_url
    con = console(stderr=False)
    for o in summary.failed:
        con.print(f"[red]失败[/]：{o.error}")
    con.print(f"导入完成：读取 {summary.files} 个文件，新存入 {summary.books} 本写实簿，"
              f"跳过 {len(summary.skipped)} 个（已导入过），失败 {len(summary.failed)} 个。"
              f"数据库 {where} 现有 {counts['books']} 本写实簿、{counts['files']} 个文件。")
    sys.exit(EXIT_FINDINGS if summary.failed else 0)
