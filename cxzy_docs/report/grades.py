"""The 星级先锋 grades and their public-notice marks: 先锋 ★, 合格 ☆, 基本合格 ○, 后进 △."""

from __future__ import annotations

# (grade, mark) from best to worst, as 003 二.(二) prints them
STAR_GRADES = (("先锋", "★"), ("合格", "☆"), ("基本合格", "○"), ("后进", "△"))
# The member result scale of 002 三.2 (优秀/合格/基本合格/不合格) sits on the same four steps.
_ALIASES = {"优秀": "先锋", "不合格": "后进", "★": "先锋", "☆": "合格", "○": "基本合格", "△": "后进"}
_MARKS = dict(STAR_GRADES)
GRADE_ORDER = tuple(g for g, _ in STAR_GRADES)
VANGUARD_SHARE = 0.15  # 003: "先锋" held to about 15%


def normalize_grade(value: object) -> str | None:
    """The step of the 星级先锋 scale a recorded grade stands for, or None (blank or unknown)."""
    if value is None:
        return None
    text = "".join(str(value).split()).strip("（）()")
    text = text.removesuffix("等次").removesuffix("党员").removesuffix("党组织")
    text = _ALIASES.get(text, text)
    return text if text in _MARKS else None


def grade_mark(value: object) -> str:
    """★ ☆ ○ △ for a recorded grade, "" when it is blank or not on the scale."""
    step = normalize_grade(value)
    return _MARKS[step] if step else ""
