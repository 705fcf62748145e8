"""``cxzy tui``: opens the terminal UI (the ``tui`` package and textual are imported only when it runs)."""

from __future__ import annotations

import datetime as dt

import click

from cxzy_docs.cli.common import CONTEXT, as_of_option, console, db_option


def _missing(what: str, package: str) -> click.ClickException:
    return click.ClickException(f"{what}需要安装 {package}（pip install {package}）")


@click.command("tui", context_settings=CONTEXT)
@db_option()
@click.option("--serve", "serve", is_flag=True, help="在浏览器中使用：在本机提供网页界面（不需要连接互联网）")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="--serve 时监听的地址（默认只允许本机访问）"
)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="--serve 时的端口"
)
@as_of_option()
@click.argument("paths", nargs=-1, metavar="[文件或文件夹]...", type=click.Path(exists=True))
def tui_command(
    db: str | None, serve: bool, host: str, port: int, paths: tuple[str, ...], as_of: dt.date | None
) -> None:
    """打开写实簿核对界面；给出文件或文件夹时，先把它们导入数据库。"""
    try:
        import textual  # noqa: F401
    except ImportError:
        raise _missing("终端界面", "textual") from None
    from cxzy_docs import api
    from cxzy_docs.errors import CxzyError

    try:
        if serve:
            try:
                import textual_serve  # noqa: F401
            except ImportError:
                raise _missing("--serve ", "textual-serve") from None
            if paths:
                with api.open_store(db) as store:
                    summary = api.import_files(paths, store)
                console().print(f"已导入 {summary.books} 本写实簿（失败 {len(summary.failed)} 个文件）")
            from tui.serve import serve as serve_app

            serve_app(db, host=host, port=port, as_of=as_of)
        else:
            from tui.app import run

            run(db, paths, as_of)
    except CxzyError as exc:
        raise click.ClickException(exc.message) from None
