"""The ``--as-of DATE`` option shared by ``validate``, ``report`` and ``tui`` (one definition)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

AS_OF_HELP = ("校验基准日，如 2025-06-30：尚未结束的期次不算缺项，晚于此日的签字日期标为问题"
              "（默认今天，但不晚于写实簿年度的次年二月底）")


def _parse(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    from cxzy_docs.check.asof import parse_as_of

    try:
        return parse_as_of(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def as_of_option() -> Callable[[F], F]:
    """``@as_of_option()``: adds ``as_of`` (a date or None) to the command's keywords."""
    return click.option("--as-of", "as_of", metavar="DATE", callback=_parse, help=AS_OF_HELP)
