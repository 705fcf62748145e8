"""The small line markup report templates write, read into blocks that a DOCX or XLSX writer lays out.

* ``# 文字`` the title; ``## 文字`` a level-1 heading (一、); ``### 文字`` a level-2 heading ((一));
* ``> 文字`` a quotation (an example review); ``::right 文字`` a right-aligned line (落款);
* ``::table 名称`` and ``::chart 名称`` put a table or a chart the program builds;
* ``::page`` starts a new page; ``::annex 附件1`` is an annex's label (黑体, flush left);
  ``::attach 附件：1．名称`` (and ``::attach 2．名称`` under it) the list of annexes after the body;
* in the title, ``|`` marks where it may break onto a second line (the layout picks the most even);
* any other line is body text; lines that follow each other form one paragraph, a blank line ends it.

Values a template prints cannot start a line (the environment folds their line breaks), so text
from the records never becomes markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BlockKind = Literal[
    "title", "h1", "h2", "para", "quote", "right", "table", "chart", "page", "annex", "attach"
]

_PREFIXES: tuple[tuple[str, BlockKind], ...] = (
    ("###", "h2"),
    ("##", "h1"),
    ("#", "title"),
    (">", "quote"),
    ("::right", "right"),
    ("::table", "table"),
    ("::chart", "chart"),
    ("::page", "page"),
    ("::annex", "annex"),
    ("::attach", "attach"),
)
# Kinds that are a single line each: never joined with the next line.
_SINGLE: frozenset[BlockKind] = frozenset(
    {"title", "h1", "h2", "right", "table", "chart", "page", "annex", "attach"}
)


@dataclass(frozen=True)
class Block:
    """One block of the report: its kind, its text (or the table/chart name) and its source line."""

    kind: BlockKind
    text: str
    line: int


def _classify(line: str) -> tuple[BlockKind, str]:
    for prefix, kind in _PREFIXES:
        if line.startswith(prefix):
            rest = line[len(prefix) :]
            if (
                kind in ("table", "chart", "right", "page", "annex", "attach")
                and rest
                and not rest[0].isspace()
            ):
                continue  # "::tables" is text, not a directive
            return kind, rest.strip()
    return "para", line.strip()


def parse_markup(text: str) -> list[Block]:
    """The blocks of ``text`` in order; paragraph lines are joined without a separator (Chinese)."""
    blocks: list[Block] = []
    current: tuple[BlockKind, list[str], int] | None = None

    def flush() -> None:
        nonlocal current
        if current is not None:
            kind, parts, line = current
            joined = "".join(parts).strip()
            if joined or kind in ("table", "chart", "page"):
                blocks.append(Block(kind, joined, line))
        current = None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
            continue
        kind, body = _classify(line)
        if current is not None and kind == current[0] and kind not in _SINGLE:
            current[1].append(body)
            continue
        flush()
        current = (kind, [body], number)
        if kind in _SINGLE:
            flush()
    flush()
    return blocks
