"""Values as the record holds them: texts, dates, counts, grades, years; what cannot be read becomes a Problem."""

from __future__ import annotations

import re

from cxzy_docs.forms import Field
from cxzy_docs.read.extract.kinds import Problem, Problems
from cxzy_docs.textnorm import (
    fold_width,
    is_person_name,
    normalize_name,
    normalize_text,
    parse_count,
    read_date,
    strip_spaces,
)

NUM = "0-9〇零○O一二两三四五六七八九十廿卅"
DATE_IN_TEXT = re.compile(
    rf"(?:[{NUM}]\s*){{0,4}}年\s*(?:[{NUM}]\s*){{0,3}}月\s*(?:[{NUM}]\s*){{0,3}}[日号]?"
    r"|\d{4}\s*[./\-]\s*\d{1,2}(?:\s*[./\-]\s*\d{1,2})?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
    # letter-spaced as people type short cells, or as print spaces them: 2 0 1 2 / 6 / 9, 2 0 11 - 02 - 2 2
    # (at most one space between two digits)
    r"|\d(?: ?\d){3}\s*[./\-]\s*\d(?: ?\d)?(?:\s*[./\-]\s*\d(?: ?\d)?)?"
    r"|(?<!\d)\d{8}(?!\d)"
)
TIME_SUFFIX = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?$")
# （ 2010 年度） on a cover line, or a title: 党员创先争优活动写实簿（2010年度） / 2010年度党员…写实簿
YEAR = re.compile(rf"(?:^|\()\s*(?P<y>[{NUM}\s]{{0,12}}?)\s*年\s*度\s*(?:\)|$|(?=\S*写实簿))")
_WRITTEN = re.compile(rf"[{NUM}]")
BLANK_DATE_LINE = re.compile(r"^[\s年月日号]*$")
NAME_STRIP = " \t\u3000.,，。、:：;；-—_…"
TICKED = "☑✓✔√■☒●"
BOXES = "□☐○" + TICKED


def text_value(raw: str) -> str | None:
    """A box's text: line breaks kept, a trailing ``年 月 日`` line whose signature label was deleted dropped."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and BLANK_DATE_LINE.match(lines[-1]) and lines[-1].strip():
        lines.pop()
    return normalize_text("\n".join(lines))


def date_value(raw: str, path: str, where: str, problems: Problems) -> str | None:
    text = TIME_SUFFIX.sub("", fold_width(raw).strip())
    parsed = read_date(text)
    if not parsed.readable:
        problems.append(
            Problem(path, raw.strip(), where, f"无法识别的日期“{raw.strip()}”，已保留原文，记录中留空")
        )
        return None
    if parsed.iso is None and _WRITTEN.search(text):  # ``    年 3 月 28 日``: the year is not guessed
        problems.append(
            Problem(
                path,
                raw.strip(),
                where,
                f"日期“{raw.strip()}”不完整（缺年份），不作推测，已保留原文，记录中留空",
            )
        )
    return parsed.iso


def count_value(raw: str, path: str, where: str, problems: Problems) -> int | None:
    try:
        return parse_count(raw)
    except ValueError:
        problems.append(
            Problem(path, raw.strip(), where, f"无法识别的人数“{raw.strip()}”，已保留原文，记录中留空")
        )
        return None


def field_value(f: Field, raw: str, where: str, problems: Problems) -> object:
    """A header or cover value, read as its field says (name, date, count, text)."""
    if f.value == "name":
        return normalize_name(raw)
    if f.value == "date":
        return date_value(raw, f.path, where, problems)
    if f.value == "count":
        return count_value(raw, f.path, where, problems)
    value = normalize_text(raw)
    return " ".join(value.split()) if value and "\n" not in value else value


UNSURE_NAME = 0.5  # the confidence of a person's name box holding what does not read as a name


def header_value(
    f: Field, raw: str, where: str, problems: Problems, confidence: float
) -> tuple[object, float]:
    """A header or cover value and the confidence it is stated with: a person's name box holding what
    does not read as a name (``永安镇党支部林建芳``, ``林建芳同志``) keeps its text, stated as unsure."""
    value = field_value(f, raw, where, problems)
    if f.person and isinstance(value, str) and value and not is_person_name(value):
        return value, min(confidence, UNSURE_NAME)
    return value, confidence


def grade_value(raw: str, where: str, problems: Problems) -> str | None:
    """评议结果: the written grade, or the one option ticked in ``优秀□ 合格☑ 基本合格□``."""
    compact = strip_spaces(raw)
    if not any(ch in compact for ch in TICKED):
        return normalize_name(raw)
    tokens = re.findall(f"[{BOXES}]|[^{BOXES}]+", compact)
    before = tokens[0] in BOXES  # □优秀 ☑合格 (marks first) or 优秀□ 合格☑
    chosen = [
        tokens[i + 1 if before else i - 1]
        for i, tok in enumerate(tokens)
        if tok in TICKED
        and 0 <= (i + 1 if before else i - 1) < len(tokens)
        and tokens[i + 1 if before else i - 1] not in BOXES
    ]
    if len(chosen) == 1:
        return chosen[0].strip(NAME_STRIP) or None
    problems.append(
        Problem(
            "annual.grade", raw.strip(), where, "评议结果勾选了不止一项或无法判断，已保留原文，记录中留空"
        )
    )
    return None


def year_value(raw: str, where: str, problems: Problems) -> int | None:
    text = strip_spaces(fold_width(raw)).removesuffix("年度").removesuffix("年")
    if not text:
        return None
    parsed = read_date(text + "年")
    if parsed.readable and parsed.iso and len(parsed.iso) == 4:
        return int(parsed.iso)
    problems.append(Problem("year", raw.strip(), where, f"无法识别年度“{raw.strip()}”，记录中留空"))
    return None
