"""The ``cxzy`` command: a thin layer over :mod:`cxzy_docs.api`, one module per command group.

Each command parses its arguments, calls one function of the front door, and prints in Chinese;
errors of the toolkit (:class:`cxzy_docs.errors.CxzyError`) become one red line and exit status 2.
``main([...])`` runs the command in-process and returns its exit status (tests).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from cxzy_docs import __version__
from cxzy_docs.cli import frame
from cxzy_docs.cli.common import CONTEXT, EXIT_CANNOT_RUN, console
from cxzy_docs.cli.generate import blank, fill
from cxzy_docs.cli.grades import grades_group
from cxzy_docs.cli.read import import_, parse
from cxzy_docs.cli.report import report_group
from cxzy_docs.cli.store import db_group, export_command, roster_group
from cxzy_docs.cli.tui import tui_command
from cxzy_docs.cli.validate import validate

__all__ = ["cli", "main"]


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", message="cxzy-docs %(version)s")
def cli() -> None:
    """创先争优写实簿工具：生成空白/已填写实簿，读取已填写实簿，校验领导点评，汇总报告。"""


for command in (
    blank,
    fill,
    parse,
    import_,
    validate,
    report_group,
    grades_group,
    roster_group,
    export_command,
    db_group,
    tui_command,
):
    cli.add_command(command)
frame.apply(cli)


def _joined(message: str) -> str:
    """Click joins its sentences with a space, which Chinese does not use."""
    return message.replace("。 ", "。")


def quiet_libraries() -> None:
    """Libraries' warnings and log lines are English and not the user's business: none reaches the terminal
    (every problem that matters is reported by the toolkit itself, in Chinese)."""
    import logging
    import warnings

    warnings.simplefilter("ignore")
    for name in (
        "matplotlib",
        "fontTools",
        "PIL",
        "pdfminer",
        "openpyxl",
        "docx",
        "sqlalchemy",
        "textual_serve",
    ):
        logging.getLogger(name).setLevel(logging.ERROR)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; ``main([...])`` runs in-process (tests) and returns the exit status."""
    if argv is None:  # the real command line (tests calling main([...]) keep their own warning filters)
        quiet_libraries()
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="cxzy", standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    except (
        click.exceptions.NoArgsIsHelpError
    ) as exc:  # ``cxzy`` or ``cxzy report`` alone: the help, no error line
        click.echo(exc.format_message(), err=True)
        return EXIT_CANNOT_RUN
    except click.UsageError as exc:
        ctx = exc.ctx
        if ctx is not None:
            click.echo(ctx.get_usage(), err=True)
            click.echo(f"运行 “{ctx.command_path} --help” 查看说明。", err=True)
        console().print(f"[bold red]错误：[/]{_joined(exc.format_message())}")
        return EXIT_CANNOT_RUN
    except click.ClickException as exc:
        console().print(f"[bold red]错误：[/]{_joined(exc.format_message())}")
        return exc.exit_code
    except click.Abort:
        console().print("已中止。")
        return 130
    except KeyboardInterrupt:
        console().print("已中止。")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
