"""What every command shares: the console, progress bars, exit codes, Chinese errors, shared options."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import click

from cxzy_docs.cli import frame
from cxzy_docs.errors import CxzyError

frame.install()  # click's own words in Chinese, before any command declares its options

EXIT_FINDINGS = 1  # the work ran, and something failed or was flagged
EXIT_CANNOT_RUN = 2  # bad arguments or input that stops the command as a whole

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
DB_HELP = "数据库：文件路径或数据库地址 URL（默认 $CXZY_DB，否则当前文件夹的 cxzy.db）"
AS_OF_HELP = (
    "校验基准日，如 2025-06-30：尚未结束的期次不算缺项，晚于此日的签字日期标为问题"
    "（默认今天，但不晚于写实簿年度的次年二月底）"
)

F = TypeVar("F", bound=Callable[..., Any])


def console(stderr: bool = True) -> Any:
    """A rich console for Chinese output (stderr by default: stdout is for data such as JSON)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def fail(message: str, code: int = EXIT_CANNOT_RUN) -> NoReturn:
    """Print a Chinese error line to stderr and exit."""
    console().print(f"[bold red]错误：[/]{message}", markup=True)
    sys.exit(code)


def failed_line(message: str) -> None:
    """One file that failed, on stderr, the batch going on."""
    console().print(f"[red]失败[/]：{message}")


@contextmanager
def errors_to_exit() -> Iterator[None]:
    """A CxzyError inside becomes its Chinese message and exit status 2."""
    try:
        yield
    except CxzyError as exc:
        fail(exc.message)


@contextmanager
def progress(total: int, what: str) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr; yields ``advance(label)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("[dim]{task.fields[item]}"),
        console=console(),
        transient=False,
    )
    with bar:
        task = bar.add_task(what, total=total, item="")

        def advance(label: str) -> None:
            bar.update(task, advance=1, item=label[-40:])

        yield advance


def check_limits() -> None:
    """A bad ``$CXZY_LIMITS`` is reported once, before any file is read."""
    from cxzy_docs.read.settings import ReadSettings

    with errors_to_exit():
        ReadSettings.resolve(None)


def _as_of(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    from cxzy_docs.check.asof import parse_as_of

    try:
        return parse_as_of(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def as_of_option() -> Callable[[F], F]:
    """``@as_of_option()``: adds ``as_of`` (a date or None) to the command's keywords."""
    return click.option("--as-of", "as_of", metavar="日期", callback=_as_of, help=AS_OF_HELP)


def db_option(help_text: str = DB_HELP) -> Callable[[F], F]:
    """``@db_option()``: adds ``db`` (a path, an SQLAlchemy URL or None) to the command's keywords."""
    return click.option("--db", "db", default=None, metavar="数据库", help=help_text)
