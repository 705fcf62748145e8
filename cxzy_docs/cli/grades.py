"""``cxzy grades``: 评议结果 (星级先锋 grades) from a sheet into the stored books, for the 公示."""

from __future__ import annotations

import sys

import click

from cxzy_docs.cli.common import CONTEXT, EXIT_FINDINGS, console, db_option, errors_to_exit


@click.group("grades", context_settings=CONTEXT)
def grades_group() -> None:
    """评定等次（星级先锋、评议结果）：从评定等次表导入写实簿，供“星级先锋”公示使用。"""


@grades_group.command("import", context_settings=CONTEXT)
@click.argument("path", metavar="评定等次表", type=click.Path(dir_okay=False))
@db_option()
@click.option("--year", type=int, metavar="年度", help="年度，如 2025（表中有“年度”列时可不给）")
def import_command(path: str, db: str | None, year: int | None) -> None:
    """把评定等次表（.xlsx 或 .csv）中的等次写入数据库中对应的写实簿。

    表中需有“姓名”（或“党组织名称”）和“评定等次”（或“评议结果”“等次”）两列，可另有“所在党组织”
    “类别”“年度”列；表头上方可有标题行。加了“评定等次”列的花名册也可以直接导入。
    等次写作先锋、合格、基本合格、后进（或★☆○△，党员也可写优秀、不合格）。每处修改都记入修改历史，
    可在核对界面中撤销。
    """
    from cxzy_docs import api

    with errors_to_exit(), api.open_store(db) as store:
        result = api.import_grades(store, path, year=year)
    con = console(stderr=False)
    for problem in result.problems:
        con.print(f"[yellow]未导入[/]：{problem}", markup=True)
    con.print(
        f"评定等次表共 {result.rows} 行：写入 {result.changed} 本写实簿，{result.unchanged} 本原已是此等次，"
        f"{len(result.problems)} 行未导入。"
    )
    sys.exit(EXIT_FINDINGS if result.problems else 0)
