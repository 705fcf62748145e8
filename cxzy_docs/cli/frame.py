"""Click's own frame in Chinese: help headings, usage lines, option metavars and usage errors.

Click builds its words through :func:`gettext.gettext` (bound as ``_`` and ``ngettext`` in each of
its modules) and through a few attributes (``[OPTIONS]``, ``COMMAND [ARGS]...``, a type's name).
:func:`install` answers the first with a catalogue of Chinese (keyed by click's English message
ids, so a click upgrade that adds a message shows it in English and the CLI test names it), and the
second by giving the parameter types Chinese names; :func:`apply` sets the usage metavars of a whole
command tree. Both are called once, by :mod:`cxzy_docs.cli`.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from typing import Any

import click
from rich.cells import cell_len

# click's message id -> Chinese. The {placeholders} are click's own and must stay.
MESSAGES: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本说明并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Missing command.": "缺少命令。",
    "Aborted!": "已中止。",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "deprecated": "已停用",
    "Value must be an iterable.": "取值应为多个值。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "unknown error": "未知错误",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Invalid value: {message}": "取值无效：{message}",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 “{command} {option}” 查看说明。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Invalid start character for option ({option})": "选项的开头字符无效（{option}）",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带取值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value} is not in the range {range}.": "{value} 超出允许范围（{range}）。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值，可用：{states}",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的编号。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，这里需要文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹，这里需要文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 无法执行。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "Press any key to continue...": "按任意键继续……",
    "Repeat for confirmation": "再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "Error: invalid input": "错误：输入无效",
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不询问，直接执行。",
}
# (singular id, plural id) -> Chinese (one form: Chinese has no plural).
PLURALS: dict[tuple[str, str], str] = {
    (
        "Got unexpected extra argument ({args})",
        "Got unexpected extra arguments ({args})",
    ): "多余的参数：{args}",
    (
        "Takes {nargs} values but 1 was given.",
        "Takes {nargs} values but {len} were given.",
    ): "需要 {nargs} 个值，给了 {len} 个。",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): "是否想用 {possibilities}？",
    (
        "Option {name!r} requires an argument.",
        "Option {name!r} requires {nargs} arguments.",
    ): "选项 {name!r} 需要取值。",
    (
        "{value!r} is not {choice}.",
        "{value!r} is not one of {choices}.",
    ): "{value!r} 不是可选的值（{choices}）。",
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): "{value!r} 不符合格式（{formats}）。",
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): "需要 {len_type} 个值，给了 {len_value} 个。",
}
# Parameter types: the name shows as the metavar in help (``--year 整数``) and in messages.
TYPE_NAMES: dict[str, str] = {
    "StringParamType": "文本",
    "UnprocessedParamType": "文本",
    "IntParamType": "整数",
    "IntRange": "整数",
    "FloatParamType": "数",
    "FloatRange": "数",
    "BoolParamType": "是/否",
    "Choice": "选项值",
    "DateTime": "日期时间",
    "UUIDParameterType": "编号",
    "File": "文件",
    "Tuple": "多个值",
}
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
_CLICK_MODULES = (
    "core",
    "decorators",
    "exceptions",
    "formatting",
    "parser",
    "types",
    "termui",
    "utils",
    "_termui_impl",
    "shell_completion",
)


def gettext(message: str) -> str:
    """Click's ``_``: the Chinese of ``message`` (click's own words), else ``message``."""
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Click's ``ngettext``: one Chinese form for both numbers (click passes every placeholder to both)."""
    return PLURALS.get((singular, plural), singular if n == 1 else plural)


def _describe_range(self: Any) -> str:
    """A number range in words: 1 至 60, 不小于 1, 小于 10."""
    if self.min is None:
        return f"{'小于' if self.max_open else '不大于'} {self.max}"
    if self.max is None:
        return f"{'大于' if self.min_open else '不小于'} {self.min}"
    if self.min_open or self.max_open:
        return f"{self.min}{'（不含）' if self.min_open else ''} 至 {self.max}{'（不含）' if self.max_open else ''}"
    return f"{self.min} 至 {self.max}"


def install() -> None:
    """Click's words in Chinese for this process (idempotent). Call before commands are declared:
    a :class:`click.Path` takes its name (文件/文件夹/路径) when it is made."""
    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # pragma: no cover - a module click does not have on this platform
            continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    for cls_name, chinese in TYPE_NAMES.items():
        cls = getattr(click.types, cls_name, None)
        if cls is not None:
            cls.name = chinese
    click.types._NumberRangeBase._describe_range = _describe_range  # type: ignore[method-assign]


# ------------------------------------------------------------------------------ help layout

_TOKEN = re.compile(r"[\x21-\x7e]+|\s+|.", re.S)  # a run of ASCII (never broken), white space, one character
_NO_LINE_START = set("，。、；：？！）》」』”’…%")  # Chinese punctuation that may not begin a line


def _join_lines(paragraph: str) -> str:
    """A paragraph's source lines joined: no space between two Chinese characters, one elsewhere."""
    parts = [line.strip() for line in paragraph.splitlines() if line.strip()]
    out = ""
    for part in parts:
        if out and (ord(out[-1]) > 0x7F or ord(part[0]) > 0x7F):
            out += part
        elif out:
            out += " " + part
        else:
            out = part
    return out


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines at most ``width`` terminal cells wide (a Chinese character takes two): Chinese
    breaks between any two characters (not before a closing punctuation mark), ASCII only at spaces."""
    lines: list[str] = []
    line, used = "", 0
    for token in _TOKEN.findall(text):
        if token.isspace():
            if line:
                line, used = line + " ", used + 1
            continue
        size = cell_len(token)
        if used + size > width and line.strip() and token[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line, used = "", 0
        line, used = line + token, used + size
    if line.strip():
        lines.append(line.rstrip())
    return lines


class ChineseHelpFormatter(click.HelpFormatter):
    """Click's help layout measured in terminal cells, wrapping Chinese, with Chinese colons."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else MESSAGES["Usage:"])

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
        for i, paragraph in enumerate(paragraphs):
            if i:
                self.write("\n")
            for line in wrap(_join_lines(paragraph), max(self.width - self.current_indent, 20)):
                self.write(f"{indent}{line}\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((cell_len(first) for first, _ in rows), default=0), col_max) + col_spacing
        indent = self.current_indent
        for first, second in rows:
            self.write(f"{'':>{indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if cell_len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cell_len(first)))
            else:
                self.write("\n" + " " * (first_col + indent))
            lines = wrap(_join_lines(second), max(self.width - first_col - indent, 20))
            self.write((lines[0] if lines else "") + "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + indent}}{line}\n")


class ChineseContext(click.Context):
    """A context whose help is laid out by :class:`ChineseHelpFormatter`."""

    formatter_class = ChineseHelpFormatter


def apply(command: click.Command) -> None:
    """Chinese usage metavars and help layout for ``command`` and every command under it."""
    command.options_metavar = OPTIONS_METAVAR
    command.context_class = ChineseContext
    if isinstance(command, click.Group):
        command.subcommand_metavar = SUBCOMMAND_METAVAR
        for sub in command.commands.values():
            apply(sub)
