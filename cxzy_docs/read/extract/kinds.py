"""The extractor's vocabulary: what a piece of text was recognised as, and what it found or could not read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

ItemKind = Literal[
    "box",  # a text box's label (公开承诺事项, 第一季度承诺兑现情况, 领导点评, 年度总结)
    "field",  # a header or cover label (姓名, 出生年月, 党组织名称)
    "sign",  # a signature label (党员本人（签字）)
    "period",  # a period's own name standing alone (第一季度, 上半年)
    "eval_label",  # 党员群众评议情况
    "eval_first",  # 评价等次: the first cell of the vote header row
    "eval_col",  # a vote column label (满意, 参加党员人数)
    "votes",  # 票数 / 人数: the first cell of the row of counts
    "grade",  # 评议结果
    "date_label",  # 日期 beside a signature
    "year_label",  # 年度, with the year in the next cell
    "ignore",  # form furniture: section labels, the title, 说明, blank 年 月 日
    "text",  # anything else: a value or a box's text
]
"""What one cell or line is, as far as the form is concerned."""

BoxKind = Literal["commitment", "fulfilment", "review", "summary", "evaluation"]
Role = Literal["self", "reviewer"]
ReadPath = Literal["grid", "stream"]
"""How a book was read: by the geometry of its table cells, or by the labels in its running text."""


@dataclass(frozen=True)
class Box:
    """A text box of the form, by kind and (for 履诺践诺写实) period; ``evaluation`` only gives context."""

    kind: BoxKind
    period: str | None = None

    def path(self) -> str:
        if self.kind == "commitment":
            return "commitment.text"
        if self.kind == "summary":
            return "annual.summary"
        return f"periods.{self.period}.{self.kind}.text"


@dataclass(frozen=True)
class Problem:
    """Something read but not taken into the record: a value that cannot be normalised (kept raw,
    the record holds ``None``), or text that belongs to no box. ``message`` is Chinese, for a person."""

    field: str | None  # record field path, None for text that fitted no box
    raw: str | None
    where: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        """The record's JSON form: ``{"field", "raw", "where", "message"}``."""
        return {"field": self.field, "raw": self.raw, "where": self.where, "message": self.message}


Problems = list[Problem]


@dataclass
class Value:
    """A signature's name or date; ``text`` is None when it was there but could not be read."""

    text: str | None
    where: str
    confidence: float


@dataclass
class Part:
    """A piece of a box's text, from one cell or line."""

    text: str
    where: str
    confidence: float


@dataclass
class Sign:
    """A signature being read: name and date, and whether each was seen (filled or blank)."""

    path: str
    name: Value | None = None
    date: Value | None = None
    name_seen: bool = False
    date_seen: bool = False

    @property
    def done(self) -> bool:
        return self.name_seen and self.date_seen
