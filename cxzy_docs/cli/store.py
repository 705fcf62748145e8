"""``cxzy roster``, ``cxzy export`` and ``cxzy db``: the organization tree, the records out, the store itself."""

from __future__ import annotations

import sys
from typing import Any

import click

from cxzy_docs.cli.common import CONTEXT, EXIT_FINDINGS, console, db_option, errors_to_exit, fail


def _note(store: Any) -> None:
    if store.upgrade_note:
        console().print(f"[yellow]{store.upgrade_note}[/]")


# ------------------------------------------------------------------------------------ roster


@click.group("roster", context_settings=CONTEXT)
def roster_group() -> None:
    """组织树（花名册）：存入数据库后，校验、报告和界面都直接使用，不必每次指定。"""


@roster_group.command("load", context_settings=CONTEXT)
@click.argument("roster_path", metavar="花名册文件", type=click.Path(dir_okay=False))
@click.option(
    "--orgs", "orgs_path", type=click.Path(dir_okay=False), help="党组织名单（含“上级党组织”列，可选）"
)
@click.option("--year", required=True, type=click.IntRange(1949, 2100), help="花名册适用的年度，如 2010")
@db_option()
def roster_load(roster_path: str, orgs_path: str | None, year: int, db: str | None) -> None:
    """把花名册（党员、党组织及上级党组织）存为某一年度的组织树（替换该年度原有的）。"""
    from cxzy_docs import api

    with errors_to_exit(), api.open_store(db) as store:
        _note(store)
        loaded = api.load_roster(store, roster_path, orgs_path, year=year)
    con = console(stderr=False)
    for problem in loaded.roster.problems:
        con.print(f"[yellow]花名册问题[/]：{problem}")
    con.print(
        f"花名册已存入数据库：{year} 年度，党员 {len(loaded.roster.members)} 名、"
        f"党组织 {len(loaded.roster.organizations)} 个（来自 {roster_path}）。"
    )
    sys.exit(EXIT_FINDINGS if loaded.roster.problems else 0)


@roster_group.command("show", context_settings=CONTEXT)
@click.option("--year", type=click.IntRange(1949, 2100), help="年度（默认：最近存入的）")
@click.option("--members", "with_members", is_flag=True, help="同时列出每个党组织的党员")
@db_option()
def roster_show(year: int | None, with_members: bool, db: str | None) -> None:
    """显示数据库中的组织树：各年度的花名册，党组织及其上下级关系、党员人数。"""
    from cxzy_docs import api

    with errors_to_exit(), api.open_store(db) as store:
        _note(store)
        years = api.roster_years(store)
        roster = api.stored_roster(store, year)
    con = console(stderr=False)
    if roster is None:
        fail("数据库中还没有花名册；请用 cxzy roster load 花名册.xlsx --year 年度 存入")
    for y in years:
        con.print(
            f"{y['year']} 年度：党员 {y['members']} 名、党组织 {y['organizations']} 个"
            f"（{y['source'] or '来源不明'}，{y['loaded_at']} 存入）",
            markup=False,
        )
    if year is not None and roster.year != year:
        con.print(f"[yellow]没有 {year} 年度的花名册，下面是 {roster.year} 年度的[/]")
    con.print(f"\n{roster.year} 年度组织树：", markup=False)
    for line in tree_lines(roster, with_members):
        con.print(line, markup=False)


def tree_lines(roster: Any, with_members: bool = False) -> list[str]:
    """The organization tree as indented lines: each organization, its secretary and members counted."""
    from cxzy_docs.identity import name_key

    orgs = {name_key(o["name"]): o for o in roster.organizations if o.get("name")}
    members: dict[str, list[dict[str, Any]]] = {}
    for m in roster.members:
        members.setdefault(str(name_key(m.get("organization")) or ""), []).append(m)
    children: dict[str | None, list[str]] = {}
    for key, o in orgs.items():
        parent = name_key(o.get("parent"))
        children.setdefault(parent if parent in orgs else None, []).append(str(key))
    tops = {
        name_key(o.get("parent"))
        for o in orgs.values()
        if o.get("parent") and name_key(o.get("parent")) not in orgs
    }
    out: list[str] = []
    for top in sorted(t for t in tops if t):
        parent_name = next(o["parent"] for o in orgs.values() if name_key(o.get("parent")) == top)
        out.append(f"{parent_name}（上级党组织，不在本花名册中）")

    def walk(key: str, depth: int) -> None:
        o = orgs[key]
        mine = members.get(key, [])
        sec = f"，书记 {o['secretary']}" if o.get("secretary") else ""
        out.append(f"{'  ' * depth}├─ {o['name']}（党员 {len(mine)} 名{sec}）")
        if with_members:
            for m in mine:
                hint = "，".join(str(m[k]) for k in ("birth", "position") if m.get(k))
                out.append(f"{'  ' * (depth + 1)}· {m['name']}{f'（{hint}）' if hint else ''}")
        for child in sorted(children.get(key, []), key=lambda k: orgs[k]["name"]):
            walk(child, depth + 1)

    for key in sorted(children.get(None, []), key=lambda k: orgs[k]["name"]):
        walk(key, 1 if tops else 0)
    return out


# ------------------------------------------------------------------------------------ export


@click.command("export", context_settings=CONTEXT)
@db_option()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "xlsx"]),
    default="json",
    show_default=True,
    help="json：cxzy.record/1 记录（含来源和不一致之处）；xlsx：写实簿、点评（含三要素）、来源、来源不一致四张表",
)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="输出文件")
@click.option("--year", type=click.IntRange(1949, 2100), help="只导出此年度")
@click.option("--org", "org", help="只导出此党组织及其下级党组织")
def export_command(db: str | None, fmt: str, out: str, year: int | None, org: str | None) -> None:
    """把数据库中的写实簿导出为 JSON 或 Excel，供档案部门或上级党组织使用（不需要本工具即可读取）。"""
    from cxzy_docs import api

    with errors_to_exit(), api.open_store(db) as store:
        _note(store)
        n = api.export_records(store, out, fmt, year=year, organization=org)
        problems = list(store.problems)
    for p in problems:
        console().print(f"[red]跳过[/]：{p}")
    if n == 0:
        fail("没有可导出的写实簿" + (f"（{year} 年度）" if year else "") + (f"（{org}）" if org else ""))
    console(stderr=False).print(f"已导出 {n} 本写实簿：{out}")


# ---------------------------------------------------------------------------------------- db


@click.group("db", context_settings=CONTEXT)
def db_group() -> None:
    """数据库本身：查看结构版本和内容，升级旧版本的数据库。"""


@db_group.command("info", context_settings=CONTEXT)
@db_option()
def db_info(db: str | None) -> None:
    """显示数据库地址、结构版本、写实簿和文件数、各年度花名册。"""
    from cxzy_docs import api
    from cxzy_docs.store import SCHEMA_VERSION

    with errors_to_exit(), api.open_store(db) as store:
        _note(store)
        counts = store.counts()
        years = api.roster_years(store)
        where = store.display_url
    con = console(stderr=False)
    con.print(
        f"数据库 {where}：结构第 {SCHEMA_VERSION} 版；写实簿 {counts['books']} 本、文件 {counts['files']} 个；"
        f"花名册 {len(years)} 个年度" + (f"（{'、'.join(str(y['year']) for y in years)}）" if years else ""),
        markup=False,
    )


@db_group.command("upgrade", context_settings=CONTEXT)
@db_option()
@click.option(
    "--no-backup",
    "no_backup",
    is_flag=True,
    help="不先备份（PostgreSQL 本机没有 pg_dump 时：请先自行备份再用此项）",
)
def db_upgrade(db: str | None, no_backup: bool) -> None:
    """把旧版本 cxzy 建的数据库升级到本版本（先备份：SQLite 复制文件，PostgreSQL 用 pg_dump）。"""
    from cxzy_docs import api

    with errors_to_exit(), api.open_store(db, backup=not no_backup) as store:
        note = store.upgrade_note
    console(stderr=False).print(note or "数据库已是最新版本，无需升级。")
