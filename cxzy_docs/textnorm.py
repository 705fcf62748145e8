"""Normalising what people type into the forms: dates in every spelling, names, labels, counts."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass

# Full-width ASCII (！..～) and the ideographic space, folded to their half-width forms.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_WS = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")


# Kangxi radicals (U+2F00-U+2FD5) and CJK radical supplement forms with an equivalent ideograph (after
# Unicode's EquivalentUnifiedIdeograph.txt): PDFs printed with some CJK fonts (Chromium with Noto Sans
# CJK) map glyphs shared by a radical and an ideograph to the radical, so 一 comes out as ⼀, 民 as ⺠.
_RADICALS = {cp: ord(unicodedata.normalize("NFKC", chr(cp))) for cp in range(0x2F00, 0x2FD6)}
_RADICALS.update(
    (0x2E80 + i, ord(ch))
    for i, ch in enumerate(
        "\0厂\0\0乙亻冂几刀刂卜㔾小小兀尣尢\0巳幺彑\0忄心扌攵\0旡日月歺母民氵氺灬爫爫丬牛犭王疋罒示礻竹糸纟罓罒"
        "\0\0\0羊羊\0耂肀聿月臼艹艹艹虎衤覀西见角\0讠贝足车辶辶辶阝钅長镸长门\0阝雨青韦页风飞食\0飠饣\0马骨鬼"
        "鱼鸟卤麦黄黾斉齐歯齿竜龙龜亀龟"
    )
    if ch != "\0"
)


def fold_radicals(text: str) -> str:
    """Radical code points that stand for ideographs in a PDF's text layer, as the ideographs."""
    return text.translate(_RADICALS)


def fold_width(text: str) -> str:
    """Full-width ASCII letters, digits and punctuation to half-width; ideographic space to space."""
    return text.translate(_FULLWIDTH)


def strip_spaces(text: str) -> str:
    """Every kind of white space removed (names and labels are spaced out for width on forms)."""
    return _WS.sub("", text)


# Full-width letters and digits only (Ａ..Ｚ, ａ..ｚ, ０..９): brackets and other punctuation in a name stay as written.
_FULLWIDTH_ALNUM = {
    cp: cp - 0xFEE0 for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}


def normalize_name(text: str | None) -> str | None:
    """A person's or organization's name: no inner spaces, full-width letters and digits folded, its
    punctuation as written (``第三党支部（老年/流动党员）`` keeps its brackets); '' -> None. Names are compared
    by a key that folds everything (:func:`cxzy_docs.identity.name_key`)."""
    if text is None:
        return None
    out = strip_spaces(text.translate(_FULLWIDTH_ALNUM))
    return out or None


def normalize_text(text: str | None) -> str | None:
    """A free text: lines right-trimmed, blank lines at both ends dropped, inner breaks kept."""
    if text is None:
        return None
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out = "\n".join(lines).strip(" \t\n\u3000\u00a0")
    return out or None


# The number a typist puts before a section's label: 一、 （二） (3) 4. 5、 (on folded text).
# Letter-spaced print spaces the numerals too: 十 一 、 (1 2) .
SECTION_NUMERALS = r"[一二三四五六七八九十](?:[ \u3000]?[一二三四五六七八九十]){0,2}"
SECTION_DIGITS = r"\d(?:[ \u3000]?\d)?"
NUMBERING = re.compile(
    rf"\s*(?:[(\[]?\s*{SECTION_NUMERALS}\s*[)\]、.]|[(\[]\s*{SECTION_DIGITS}\s*[)\]]"
    r"|\d{1,2}\s*(?:、|\.(?!\d)|\.(?=\d(?:\s*\d)?\s*[-~至]\s*\d)))\s*"
)  # 2.1-6月, 8.1 0 - 1 2 月: number, month range


def without_number(text: str) -> str:
    """``text`` without the section number in front of it (``二、公开承诺事项`` -> ``公开承诺事项``)."""
    folded = fold_width(text)
    m = NUMBERING.match(folded)
    return folded[m.end() :] if m else folded


# Characters that differ between spellings of one label: spaces, brackets, colons, width.
_LABEL_DROP = re.compile(r"[\s\u3000()（）:：\[\]【】\u00b7·、,，.。*＊_]+")


def label_key(text: str) -> str:
    """The comparable form of a label: no spaces, brackets or colons, half-width.

    ``'党员本人（签字）：'``, ``'党员本人(签字):'`` and ``'党 员 本 人 （签字）'`` all give
    ``'党员本人签字'``.
    """
    return _LABEL_DROP.sub("", fold_width(text))


# ---------------------------------------------------------------------------------------- dates

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


class UnreadableDate(ValueError):
    """A date was written but cannot be read as one; the raw text is kept by the caller."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        super().__init__(f"无法识别的日期：{raw!r}")


def _cn_number(token: str) -> int | None:
    """'二十八' -> 28, '廿八' -> 28, '十' -> 10, '三十一' -> 31, '二〇一〇' -> 2010, '12' -> 12."""
    if token.isdigit():
        return int(token)
    token = token.replace("廿", "二十").replace("卅", "三十")
    if "十" in token:
        tens, _, ones = token.partition("十")
        if tens and tens not in _CN_DIGITS:
            return None
        if ones and ones not in _CN_DIGITS:
            return None
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    if all(ch in _CN_DIGITS for ch in token):
        return int("".join(str(_CN_DIGITS[ch]) for ch in token))
    return None


NUMERALS = r"[0-9〇零○一二两三四五六七八九十廿卅]+"
# 2010年3月28日 / 二〇一〇年三月廿八日 / 2010年3月28号 / 2010年3月 / 2010年
_CN_DATE = re.compile(rf"^(?P<y>{NUMERALS})?年(?:(?P<m>{NUMERALS})?月(?:(?P<d>{NUMERALS})?[日号]?)?)?$")
# 2010.3.28 / 2010-03-28 / 2010/3/28 / 1975.03 / 2010-03
_SEP_DATE = re.compile(r"^(?P<y>\d{4})[./\-](?P<m>\d{1,2})(?:[./\-](?P<d>\d{1,2}))?[.]?$")
# 20100328 / 197503 / 1975
_PACKED = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})?(?P<d>\d{2})?$")
# What a blank 年 月 日 line leaves behind.
_BLANK_DATE = re.compile(r"^[年月日号]*$")


def _iso(year: int, month: int | None, day: int | None, raw: str) -> str:
    if not 1900 <= year <= 2100:
        raise UnreadableDate(raw)
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise UnreadableDate(raw)
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        _dt.date(year, month, day)
    except ValueError:
        raise UnreadableDate(raw) from None
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_date(value: object) -> str | None:
    """A date in any spelling found on the forms, as ISO at the precision written.

    Returns ``None`` for a blank (``''``, ``'年  月  日'``) and for a date whose year was left
    blank (``'年3月5日'``: the year is never guessed). Raises :class:`UnreadableDate` for text
    that is not a date.

    >>> parse_date('二〇一〇年三月二十八日'), parse_date('２０１０年３月２８日'), parse_date('1975.03')
    ('2010-03-28', '2010-03-28', '1975-03')
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return parse_date(str(int(value)))
    raw = str(value)
    text = strip_spaces(fold_width(raw))
    if not text or _BLANK_DATE.match(text):
        return None
    for pattern in (_SEP_DATE, _PACKED):
        m = pattern.match(text)
        if m:
            return _iso(int(m["y"]), _int(m["m"]), _int(m["d"]), raw)
    m = _CN_DATE.match(text)
    if m:
        if not m["y"]:
            return None  # 年 left blank: the year is not guessed
        year = _cn_number(m["y"])
        month = _cn_number(m["m"]) if m["m"] else None
        day = _cn_number(m["d"]) if m["d"] else None
        if year is None or (m["m"] and month is None) or (m["d"] and day is None):
            raise UnreadableDate(raw)
        if month is None and day is None and m["m"] is None and "月" in text:
            return None
        return _iso(year, month, day, raw)
    raise UnreadableDate(raw)


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def is_date_text(text: str) -> bool:
    """True when ``text`` reads as a date (or as a blank 年 月 日 line)."""
    try:
        parse_date(text)
    except UnreadableDate:
        return False
    return True


_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_NAME = re.compile(rf"^(?:[{_HAN}]{{2,4}}|[{_HAN}]{{1,10}}[·•・.][{_HAN}]{{1,10}})$")


def is_person_name(text: str) -> bool:
    """True for what reads as a person's name however it was spaced or broken over lines: two to
    four Chinese characters (``王 建 国``, ``任 山\n勇``), or two parts joined by ``·`` (``买买提·艾力``)."""
    return bool(_NAME.match(strip_spaces(fold_width(text)).replace("\u00b7", "·")))


# --------------------------------------------------------------------------------------- counts

_COUNT = re.compile(r"^(?P<n>\d+)(?:人|名|个|位|票)?$")


def parse_count(value: object) -> int | None:
    """A count from a cell: ``17``, ``'17人'``, ``'１７'``, ``'21名'``; blank -> None.

    Raises ValueError for anything else (a negative or fractional count, text).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"不是人数：{value!r}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"人数不能为负：{value}")
        return value
    if isinstance(value, float):
        if value.is_integer() and value >= 0:
            return int(value)
        raise ValueError(f"人数应为非负整数：{value}")
    text = strip_spaces(fold_width(str(value)))
    if not text:
        return None
    m = _COUNT.match(text)
    if not m:
        cn = _cn_number(text.rstrip("人名个位票"))
        if cn is not None and text.rstrip("人名个位票"):
            return cn
        raise ValueError(f"不是人数：{value!r}")
    return int(m["n"])


# ------------------------------------------------------------------------------------ file names

_UNSAFE = re.compile(r'[\x00-\x1f\x7f\\:*?"<>|\u2028\u2029]+')


def safe_filename_part(text: str | None, fallback: str = "未命名") -> str:
    """A piece of a file name from data: no path separators, control or reserved characters.

    Characters outside the BMP (𠮷) are kept; leading dots are dropped so nothing is hidden or
    climbs out of the folder; the result is at most 60 characters.
    """
    if not text:
        return fallback
    out = _UNSAFE.sub("_", text.replace("/", "／"))  # 老年/流动党员 reads the same as 老年／流动党员
    out = _WS.sub("", out).strip(". ")
    out = out[:60]
    return out or fallback


@dataclass(frozen=True)
class DateParse:
    """A date value with how it was read: ``iso`` is None when blank or unreadable."""

    iso: str | None
    raw: str | None
    readable: bool


def read_date(value: object) -> DateParse:
    """Like :func:`parse_date` but never raises: an unreadable date keeps its raw text."""
    raw = None if value is None else str(value)
    try:
        return DateParse(parse_date(value), raw, True)
    except UnreadableDate:
        return DateParse(None, raw, False)
