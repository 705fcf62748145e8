"""Report wording from Jinja2 templates, in an immutable sandbox, with filters from one table.

Templates are looked up first in an office's own folder (``--template DIR``), then in the
shipped ``templates/report/``, so an office may copy and edit just the files it wants to change.
Every error (syntax, undefined variable, forbidden operation) becomes a :class:`TemplateError`
naming the template file and line, in Chinese.

Rendering has a budget, as reading a file has: at most :data:`TIME_BUDGET_S` seconds (a watchdog
raises into the rendering thread between two steps of the template's code), :data:`OUTPUT_BUDGET_CHARS`
characters of output, and :data:`MEMORY_BUDGET_MB` MB more address space (``RLIMIT_AS``, held for the
render only). Repetition (``*``, ``**``, ``%`` formats, ``+``) and ``lipsum`` are refused before they
build anything larger than the output budget; running out of time, memory or recursion depth is the
same kind of :class:`TemplateError` as any other.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import re
import resource
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from cxzy_docs.forms import PERIOD_NAMES
from cxzy_docs.report.errors import TemplateError
from cxzy_docs.report.grades import grade_mark
from cxzy_docs.textnorm import UnreadableDate, parse_date

_CN_DIGITS = "零一二三四五六七八九"

TIME_BUDGET_S = 30.0  # seconds one report template may run (the shipped ones take well under one)
OUTPUT_BUDGET_CHARS = 20_000_000  # characters one template may write (公示 of 10,000 members: ~1 M)
MEMORY_BUDGET_MB = 1024  # address space rendering may add (RLIMIT_AS while it runs)
MAX_LIPSUM = 50  # paragraphs of placeholder text lipsum() may make


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


class _OverBudget(Exception):
    """Rendering went past one of its budgets (the message says which, in Chinese)."""


class _TimeUp(Exception):
    """Raised into the rendering thread by the watchdog (templates cannot catch it; an Exception, so that
    Jinja2 maps it to the template's own line as it does for any error)."""


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


class BudgetedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, refusing operators whose result would exceed the output budget."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        limit = OUTPUT_BUDGET_CHARS
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                size = _size(seq)
                if size is not None and isinstance(n, int) and size * n > limit:
                    raise _OverBudget(f"模板中的重复运算会生成 {size * n} 个字符，超过上限 {limit}")
        elif operator == "**":
            if (
                isinstance(right, int | float)
                and isinstance(left, int | float)
                and abs(right) > 64
                and abs(left) > 1
            ):
                raise _OverBudget(f"模板中的乘方 {left}**{right} 过大")
        elif operator == "%" and isinstance(left, str):
            widths = [int(w) for w in re.findall(r"%[-+ #0]*(\d{1,12})", left)]
            if "*" in left or any(w > limit for w in widths):
                raise _OverBudget("模板中的格式宽度过大")
        elif operator == "+":
            a, b = _size(left), _size(right)
            if a is not None and b is not None and a + b > limit:
                raise _OverBudget(f"模板中的连接运算会生成 {a + b} 个字符，超过上限 {limit}")
        return super().call_binop(context, operator, left, right)


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    from jinja2.utils import generate_lorem_ipsum

    if not 0 <= int(n) <= MAX_LIPSUM or not 0 < int(min) <= int(max) <= 1000:
        raise _OverBudget(f"lipsum 最多生成 {MAX_LIPSUM} 段、每段最多 1000 词")
    return str(generate_lorem_ipsum(n=int(n), html=html, min=int(min), max=int(max)))


def environment(template_dir: str | Path | None = None) -> ImmutableSandboxedEnvironment:
    """A sandboxed environment over the office's folder (if any) then the shipped templates."""
    search = [default_dir()]
    if template_dir is not None:
        folder = Path(template_dir)
        if not folder.is_dir():
            raise TemplateError("报告模板文件夹不存在", file=str(folder))
        search.insert(0, folder)
    env = BudgetedSandbox(
        loader=jinja2.FileSystemLoader([str(p) for p in search], encoding="utf-8"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_one_line,
    )
    env.filters.update({f.name: f.function for f in FILTERS})
    env.globals["lipsum"] = _lipsum
    return env


def _one_line(value: Any) -> Any:
    """A printed value on one line (see :mod:`cxzy_docs.report.markup`): record text never starts a line."""
    if isinstance(value, str):
        parts = value.splitlines()  # every line boundary the markup reader knows (\u2028 too)
        if len(parts) > 1:
            return " ".join(p.strip() for p in parts if p.strip())
    return value


def render(name: str, context: Mapping[str, Any], template_dir: str | Path | None = None) -> str:
    """The text of template ``name`` rendered with ``context``; errors name the template and line.

    Bounded in time, output size and memory (see the module's docstring).
    """
    env = environment(template_dir)
    try:
        template = env.get_template(name)
        with _budget():
            out: list[str] = []
            size = 0
            for chunk in template.generate(**context):
                size += len(chunk)
                if size > OUTPUT_BUDGET_CHARS:
                    raise _OverBudget(f"模板输出超过 {OUTPUT_BUDGET_CHARS} 个字符的上限")
                out.append(chunk)
            return "".join(out)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"找不到报告模板 {exc.name}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"模板语法错误：{exc.message}", file=exc.filename or exc.name, where=f"第 {exc.lineno} 行"
        ) from None
    except (_OverBudget, _TimeUp, MemoryError, RecursionError) as exc:
        file, line = _template_frame(exc)
        raise TemplateError(
            _budget_message(exc), file=file or name, where=f"第 {line} 行" if line else None
        ) from None
    except (
        jinja2.UndefinedError,
        SecurityError,
        TypeError,
        ValueError,
        ArithmeticError,
        AttributeError,
        KeyError,
        IndexError,
        OverflowError,
    ) as exc:
        file, line = _template_frame(exc)
        raise TemplateError(
            _explain(exc), file=file or name, where=f"第 {line} 行" if line else None
        ) from None


def _budget_message(exc: BaseException) -> str:
    if isinstance(exc, _TimeUp):
        return f"模板运行超过 {TIME_BUDGET_S:g} 秒的时间上限（可能有过大的循环），已停止"
    if isinstance(exc, MemoryError):
        return f"模板运行占用内存超过 {MEMORY_BUDGET_MB} MB 的上限，已停止"
    if isinstance(exc, RecursionError):
        return "模板递归过深（宏或包含反复调用自身），已停止"
    return f"{exc}，已停止"


@contextmanager
def _budget() -> Iterator[None]:
    """Hold the time and memory budgets around one render in this thread."""
    tid = threading.get_ident()
    lock = threading.Lock()
    state = {"active": True}

    def time_up() -> None:
        with lock:
            if state["active"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), ctypes.py_object(_TimeUp))

    timer = threading.Timer(TIME_BUDGET_S, time_up)
    timer.daemon = True
    previous = _cap_memory()
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["active"] = False
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), None)  # drop one not yet raised
        timer.cancel()
        if previous is not None:
            resource.setrlimit(resource.RLIMIT_AS, previous)


def _cap_memory() -> tuple[int, int] | None:
    """Lower the soft RLIMIT_AS to the address space now plus MEMORY_BUDGET_MB; the old limits, to restore."""
    try:
        with open("/proc/self/status") as fh:
            size = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))
        previous = resource.getrlimit(resource.RLIMIT_AS)
        soft, hard = previous
        cap = size + MEMORY_BUDGET_MB * 1024 * 1024
        if soft != resource.RLIM_INFINITY and soft <= cap:
            return None
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
        return previous
    except (OSError, ValueError, StopIteration):
        return None


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
