"""``python -m tui [--db FILE] [PATH...]``: run the app (what ``cxzy tui`` and its --serve run)."""

from __future__ import annotations

import argparse
import datetime as dt

from tui.app import run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tui", description="写实簿核对（终端界面）")
    parser.add_argument("--db", help="数据库文件（默认 $CXZY_DB 或 ./cxzy.db）")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, help="校验基准日，如 2025-06-30")
    parser.add_argument("paths", nargs="*", help="先导入这些文件或文件夹")
    args = parser.parse_args(argv)
    run(args.db, args.paths, args.as_of)


if __name__ == "__main__":
    main()
