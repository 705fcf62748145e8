"""The ``cxzy`` command: a thin layer over the library; each command calls one library function."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click

from cxzy_docs import __version__
from cxzy_docs.errors import CxzyError

EXIT_FINDINGS = 1  # the work ran, and something failed or was flagged
EXIT_CANNOT_RUN = 2  # bad arguments or input that stops the command as a whole

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _console(stderr: bool = True) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def fail(message: str, code: int = EXIT_CANNOT_RUN) -> None:
    """Print a Chinese error line to stderr and exit."""
    _console().print(f"[bold red]错误：[/]{message}", markup=True)
    sys.exit(code)


@contextmanager
def errors_to_exit() -> Iterator[None]:
    try:
        yield
    except CxzyError as exc:
        fail(exc.message)


@contextmanager
def progress(total: int, what: str) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr; yields ``advance(label)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("[dim]{task.fields[item]}"), console=_console(), transient=False)
    with bar:
        task = bar.add_task(what, total=total, item="")

        def advance(label: str) -> None:
            bar.update(task, advance=1, item=label[-40:])

        yield advance


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", message="cxzy-docs %(version)s")
def cli() -> None:
    """创先争优写实簿工具：生成空白/已填写实簿，读取已填写实簿，校验领导点评，汇总报告。

    cxzy-docs: record books (写实簿) of the 创先争优 campaign — generate, read, check, report.
    """


# ----------------------------------------------------------------------------------- generate

_FORMAT_HELP = "输出格式，逗号分隔：docx,xlsx,pdf（默认 docx）"


def _generate(records: Sequence[dict[str, Any]], out: str, fmt: str, combined: bool) -> int:
    from cxzy_docs.generate import generate_books, parse_formats
    from cxzy_docs.model import display_name

    formats = parse_formats(fmt)
    with progress(len(records), "生成写实簿") as advance:
        result = generate_books(records, out, formats, combined=combined,
                                on_book=lambda r: advance(display_name(r)))
    con = _console(stderr=False)
    con.print(f"完成：{result.books} 本写实簿，写出 {len(result.written)} 个文件"
              + (f"、{len(result.combined)} 个合订本" if combined else "")
              + f"，位于 {result.out_dir}")
    for f in result.failures:
        con.print(f"[red]失败[/]：{f.book}：{f.message}")
    if result.failures:
        con.print(f"[red]{len(result.failures)} 个文件未能生成[/]")
        return EXIT_FINDINGS
    return 0


@cli.command(context_settings=CONTEXT)
@click.option("--roster", "roster_path", required=True, type=click.Path(dir_okay=False),
              help="花名册（.xlsx 或 .csv）；党组织在第二个工作表")
@click.option("--orgs", "orgs_path", type=click.Path(dir_okay=False), help="党组织名单（.csv，可选）")
@click.option("--year", required=True, type=click.IntRange(1990, 2100), help="年度，如 2025")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="输出文件夹")
@click.option("--format", "fmt", default="docx", show_default=True, help=_FORMAT_HELP)
@click.option("--combined", is_flag=True, help="另为每个党组织生成一份合订本 PDF（每本从奇数页开始，便于双面打印）")
def blank(roster_path: str, orgs_path: str | None, year: int, out: str, fmt: str, combined: bool) -> None:
    """按花名册为每名党员、每个党组织生成空白写实簿（封面和表头已填好）。"""
    from cxzy_docs.roster import blank_records, read_roster

    with errors_to_exit():
        roster = read_roster(roster_path, orgs_path)
        con = _console(stderr=False)
        for p in roster.problems:
            verdict = "未生成写实簿" if p.skipped else "已生成写实簿，该项留空"
            con.print(f"[yellow]花名册问题[/]（{verdict}）：{p}")
        records = blank_records(roster, year)
        if not records:
            fail(f"文件 {roster_path}：花名册中没有可用的党员或党组织")
        code = _generate(records, out, fmt, combined)
    if roster.problems:
        skipped = sum(1 for p in roster.problems if p.skipped)
        _console(stderr=False).print(f"[yellow]花名册有 {len(roster.problems)} 处问题（见上），其中 {skipped} 行未能生成写实簿；"
                                     "请改正花名册后重新生成[/]")
        code = code or EXIT_FINDINGS
    sys.exit(code)


@cli.command(context_settings=CONTEXT)
@click.argument("records_json", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--out", required=True, type=click.Path(file_okay=False), help="输出文件夹")
@click.option("--format", "fmt", default="docx", show_default=True, help=_FORMAT_HELP)
@click.option("--combined", is_flag=True, help="另为每个党组织生成一份合订本 PDF")
def fill(records_json: tuple[str, ...], out: str, fmt: str, combined: bool) -> None:
    """按记录（cxzy.record/1 JSON）生成已填写的写实簿。"""
    from cxzy_docs.model import load_records

    with errors_to_exit():
        records = [rec for path in records_json for rec in load_records(path)]
        code = _generate(records, out, fmt, combined)
    sys.exit(code)


# -------------------------------------------------------------------------------------- read

def _check_limits() -> None:
    """A bad ``$CXZY_LIMITS`` is reported once, before any file is read."""
    from cxzy_docs.read.settings import ReadSettings

    with errors_to_exit():
        ReadSettings.resolve(None)


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="输出 JSON 数组（cxzy.record/1），每条带 source 和字段来源")
@click.option("--debug", is_flag=True, help="显示读取到的表格单元格及每个字段的来源")
@click.option("--debug-pages", "debug_dir", type=click.Path(file_okay=False),
              help="把每一页画成 PNG 存入此文件夹，框出找到的标签（蓝）、读入的值（绿）和未读取的文字（红）")
def parse(paths: tuple[str, ...], as_json: bool, debug: bool, debug_dir: str | None) -> None:
    """读取已填写的写实簿（Word/PDF/Excel/扫描件/旧版 .doc .xls），转为结构化记录。

    文件夹会被递归遍历。一个文件读取失败不影响其他文件。一个文件中有多本写实簿（如合订本）时逐本读出。
    """
    from cxzy_docs.batch import parse_many, walk

    _check_limits()
    files = list(walk(paths))
    if not files:
        fail("没有找到可读取的文件：" + "、".join(paths))
    if debug_dir:
        sys.exit(_debug_pages(files, debug_dir))
    if as_json:
        outcomes = parse_many(files)
        records = [rec for o in outcomes for rec in o.records]
        click.echo(json.dumps(records, ensure_ascii=False, indent=1))
        for o in outcomes:
            if o.error:
                _console().print(f"[red]失败[/]：{o.error}")
        sys.exit(EXIT_FINDINGS if any(o.error for o in outcomes) else 0)
    from cxzy_docs.summary import describe_outcome

    con = _console(stderr=False)
    with progress(len(files), "读取文件") as advance:
        outcomes = parse_many(files, on_file=lambda o: advance(o.path))
    for o in outcomes:
        con.print(describe_outcome(o, debug=debug))
    ok = sum(1 for o in outcomes if not o.error)
    con.print(f"\n共 {len(outcomes)} 个文件：成功 {ok} 个，得到 {sum(len(o.records) for o in outcomes)} 本写实簿；"
              f"失败 {len(outcomes) - ok} 个。")
    sys.exit(EXIT_FINDINGS if ok < len(outcomes) else 0)


def _debug_pages(files: Sequence[Any], debug_dir: str) -> int:
    """``parse --debug-pages``: each file's pages drawn with what was matched; one line per file."""
    from cxzy_docs.read.debugpages import debug_pages

    con = _console(stderr=False)
    failed = 0
    for f in files:
        try:
            written = debug_pages(f, debug_dir)
        except CxzyError as exc:
            failed += 1
            _console().print(f"[red]失败[/]：{exc.message}")
            continue
        except Exception as exc:  # a reader bug must not stop the other files
            failed += 1
            _console().print(f"[red]失败[/]：文件 {f}：画调试图时出现内部错误（{exc.__class__.__name__}: {exc}）")
            continue
        con.print(f"{f}：{len(written)} 页调试图已写入 {debug_dir}")
    return EXIT_FINDINGS if failed else 0


@cli.command("import", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--db", help="数据库：文件路径或 SQLAlchemy URL（默认 $CXZY_DB 或当前文件夹下的 cxzy.db）")
def import_(paths: tuple[str, ...], db: str | None) -> None:
    """把文件读入数据库（同一文件重复导入不会重复记录；失败的文件不改变数据库）。"""
    from cxzy_docs.batch import import_many, walk
    from cxzy_docs.store import Store

    _check_limits()
    with errors_to_exit():
        store = Store(db)
        files = list(walk(paths))
        if not files:
            fail("没有找到可导入的文件：" + "、".join(paths))
        with progress(len(files), "导入文件") as advance:
            summary = import_many(files, store, on_file=lambda o: advance(o.path))
        counts = store.counts()
    con = _console(stderr=False)
    for o in summary.failed:
        con.print(f"[red]失败[/]：{o.error}")
    con.print(f"导入完成：读取 {summary.files} 个文件，新存入 {summary.books} 本写实簿，"
              f"跳过 {len(summary.skipped)} 个（已导入过），失败 {len(summary.failed)} 个。"
              f"数据库 {store.url} 现有 {counts['books']} 本写实簿、{counts['files']} 个文件。")
    sys.exit(EXIT_FINDINGS if summary.failed else 0)


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--db", help="校验数据库中的写实簿（不给文件时默认校验数据库）")
@click.option("--roster", "roster_path", type=click.Path(dir_okay=False), help="花名册：检查每名党员、每个党组织是否都有写实簿")
@click.option("--year", type=int, help="只校验该年度")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON 数组，每条问题含 source/kind/subject/field/code/severity/message/evidence")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), help="另把问题清单写入 Excel，供归档部门使用")
def validate(paths: tuple[str, ...], db: str | None, roster_path: str | None, year: int | None, as_json: bool,
             xlsx_path: str | None) -> None:
    """归档前校验：领导点评是否写清成绩、不足和努力方向，签字是否有姓名和合理日期，表头、票数、覆盖面。

    退出码：0 没有错误级问题，1 有错误级问题（或有文件读取失败），2 无法运行。
    """
    from cxzy_docs.check import findings_json, format_findings_text, has_errors, write_findings_xlsx
    from cxzy_docs.check import validate as run_validate

    failed: list[str] = []
    _check_limits()
    with errors_to_exit():
        records = _records_for_check(paths, db, year, failed)
        roster_members = roster_orgs = None
        if roster_path:
            from cxzy_docs.roster import read_roster

            roster = read_roster(roster_path)
            roster_members, roster_orgs = roster.members, roster.organizations
        if not records and not roster_members:
            fail("没有可校验的写实簿" + (f"（{year} 年度）" if year else ""))
        findings = run_validate(records, roster_members=roster_members, roster_orgs=roster_orgs, year=year)
        if xlsx_path:
            write_findings_xlsx(findings, xlsx_path)
    if as_json:
        click.echo(findings_json(findings))
    else:
        con = _console(stderr=False)
        con.print(format_findings_text(findings), markup=False)
        if xlsx_path:
            con.print(f"问题清单已写入 {xlsx_path}")
    for message in failed:
        _console().print(f"[red]失败[/]：{message}")
    sys.exit(EXIT_FINDINGS if has_errors(findings) or failed else 0)


def _records_for_check(paths: tuple[str, ...], db: str | None, year: int | None,
                       failed: list[str]) -> list[dict[str, Any]]:
    """Records from files (parsed on the fly) or from the store."""
    if paths:
        from cxzy_docs.batch import parse_many, walk

        files = list(walk(paths))
        if not files:
            fail("没有找到可读取的文件：" + "、".join(paths))
        with progress(len(files), "读取文件") as advance:
            outcomes = parse_many(files, on_file=lambda o: advance(o.path))
        failed.extend(o.error for o in outcomes if o.error)
        records = [rec for o in outcomes for rec in o.records]
    else:
        from cxzy_docs.store import Store

        store = Store(db)
        records = [row.record | {"source": row.source or f"数据库#{row.id}"} for row in store.books(year=year)]
    return [r for r in records if year is None or r.get("year") == year]


def _register_optional_groups() -> None:
    """Commands that live in their own modules (reports, the TUI), registered lazily-importing."""
    from cxzy_docs.cli_report import report_group
    from cxzy_docs.cli_tui import tui_command

    cli.add_command(report_group)
    cli.add_command(tui_command)


_register_optional_groups()


_CLICK_PHRASES = (
    ("Missing option", "缺少选项"),
    ("Missing argument", "缺少参数"),
    ("No such option", "没有这个选项"),
    ("No such command", "没有这个命令"),
    ("Invalid value for", "取值无效："),
    ("Got unexpected extra argument", "多余的参数"),
    ("Got unexpected extra arguments", "多余的参数"),
    ("does not exist", "不存在"),
    ("is not in the range", "不在允许范围"),
    ("is not a valid integer", "不是有效的整数"),
    ("requires an argument", "需要一个值"),
    ("Did you mean", "是否想用"),
)


def _chinese(message: str) -> str:
    """Click's English usage messages in Chinese (the common ones; the rest stay as they are)."""
    for en, zh in _CLICK_PHRASES:
        message = message.replace(en, zh)
    return message


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; ``main([...])`` runs in-process (tests) and returns the exit status."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="cxzy", standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    except click.UsageError as exc:
        ctx = exc.ctx
        if ctx is not None:
            click.echo(ctx.get_usage(), err=True)
            click.echo(f"运行 “{ctx.command_path} --help” 查看说明。", err=True)
        _console().print(f"[bold red]错误：[/]{_chinese(exc.format_message())}")
        return EXIT_CANNOT_RUN
    except click.ClickException as exc:
        _console().print(f"[bold red]错误：[/]{_chinese(exc.format_message())}")
        return exc.exit_code
    except click.Abort:
        _console().print("已中止。")
        return 130
    except KeyboardInterrupt:
        _console().print("已中止。")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
