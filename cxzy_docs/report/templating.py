"""Report wording from Jinja2 templates, in an immutable sandbox, with filters from one table.

Templates are looked up first in an office's own folder (``--template DIR``), then in the
shipped ``templates/report/``, so an office may copy and edit just the files it wants to change.
Every error (syntax, undefined variable, forbidden operation) becomes a :class:`TemplateError`
naming the template file and line, in Chinese.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from cxzy_docs.forms import PERIOD_NAMES
from cxzy_docs.report.errors import TemplateError
from cxzy_docs.report.grades import grade_mark
from cxzy_docs.textnorm import UnreadableDate, parse_date

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 25 -> 二十五 (0-99), for 一、 and （二） headings."""
    n = int(n)
    if not 0 <= n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def percent(value: float, digits: int = 1) -> str:
    """0.875 -> "87.5%"; a whole number keeps no decimals (1.0 -> "100%")."""
    text = f"{float(value) * 100:.{int(digits)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + "%"


def cn_date(value: Any) -> str:
    """An ISO date (or any spelling :func:`parse_date` reads) as 2025年3月31日; "" when blank."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    try:
        parts = str(parse_date(str(value)) or value).split("-")
    except UnreadableDate:  # shown as written
        return str(value)
    labels = ("年", "月", "日")
    try:
        return "".join(f"{int(p)}{labels[i]}" for i, p in enumerate(parts[:3]))
    except ValueError:
        return str(value)


def join_cn(items: Iterable[Any], last: str = "和") -> str:
    """["甲", "乙", "丙"] -> "甲、乙和丙"."""
    parts = [str(x) for x in items if str(x)]
    if len(parts) <= 1:
        return "".join(parts)
    return "、".join(parts[:-1]) + last + parts[-1]


def clip(text: Any, limit: int = 60) -> str:
    """Text cut to ``limit`` characters with "……" when longer; line breaks become spaces."""
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= limit else flat[: max(1, int(limit) - 1)] + "……"


def period_name(code: str) -> str:
    """Q1 -> 第一季度, H2 -> 下半年."""
    return PERIOD_NAMES.get(str(code), str(code))


@dataclass(frozen=True)
class TemplateFilter:
    """A filter templates may use: its name, the function and what it does (for the docs)."""

    name: str
    function: Callable[..., Any]
    doc: str


FILTERS: tuple[TemplateFilter, ...] = (
    TemplateFilter("pct", percent, "比例写成百分数：0.875 → 87.5%；可指定小数位 pct(0)"),
    TemplateFilter("cn_number", cn_number, "数字写成汉字：3 → 三，12 → 十二（用于“一、”“（二）”）"),
    TemplateFilter("cn_date", cn_date, "日期写成中文：2025-03-31 → 2025年3月31日"),
    TemplateFilter("join_cn", join_cn, "列表用顿号连接，最后一项用“和”：甲、乙和丙"),
    TemplateFilter("clip", clip, "截取前若干字，超出部分以“……”表示：clip(40)"),
    TemplateFilter("period_name", period_name, "期次代码写成中文：Q1 → 第一季度，H2 → 下半年"),
    TemplateFilter("star", grade_mark, "评定等次对应的公示标识：先锋 → ★，合格 → ☆，基本合格 → ○，后进 → △"),
)


def default_dir() -> Path:
    """The shipped report templates (``templates/report``)."""
    from cxzy_docs.resources import templates_dir

    return templates_dir() / "report"


def environment(template_dir: str | Path | None = None) -> ImmutableSandboxedEnvironment:
    """A sandboxed environment over the office's folder (if any) then the shipped templates."""
    search = [default_dir()]
    if template_dir is not None:
        folder = Path(template_dir)
        if not folder.is_dir():
            raise TemplateError("报告模板文件夹不存在", file=str(folder))
        search.insert(0, folder)
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(p) for p in search], encoding="utf-8"),
        undefined=jinja2.StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, finalize=_one_line,
    )
    env.filters.update({f.name: f.function for f in FILTERS})
    return env


def _one_line(value: Any) -> Any:
    """A printed value on one line (see :mod:`cxzy_docs.report.markup`): record text never starts a line."""
    if isinstance(value, str):
        parts = value.splitlines()  # every line boundary the markup reader knows (\u2028 too)
        if len(parts) > 1:
            return " ".join(p.strip() for p in parts if p.strip())
    return value


def render(name: str, context: Mapping[str, Any], template_dir: str | Path | None = None) -> str:
    """The text of template ``name`` rendered with ``context``; errors name the template and line."""
    env = environment(template_dir)
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"找不到报告模板 {exc.name}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"模板语法错误：{exc.message}", file=exc.filename or exc.name,
                            where=f"第 {exc.lineno} 行") from None
    except (jinja2.UndefinedError, SecurityError, TypeError, ValueError, ArithmeticError,
            AttributeError, KeyError, IndexError) as exc:
        file, line = _template_frame(exc)
        raise TemplateError(_explain(exc), file=file or name,
                            where=f"第 {line} 行" if line else None) from None


def _explain(exc: Exception) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return f"模板用到了未定义的变量或属性（{exc.message}）"
    if isinstance(exc, SecurityError):
        return f"模板试图执行不允许的操作（{exc}）"
    return f"模板运行出错：{exc.__class__.__name__}：{exc}"


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost traceback frame that belongs to a template file (Jinja2 maps its lines)."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__ or sys.exc_info()[2]
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
