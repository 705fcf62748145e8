"""Fonts, text measuring and CJK line breaking (with kinsoku) for the PDF renderer."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from cxzy_docs.errors import DependencyMissing
from cxzy_docs.resources import cjk_fallback_fonts, cjk_font, truetype_fonts_with_char

# No line may start with these (closing brackets and punctuation) ...
NO_LINE_START = frozenset(
    "，。、；：？！）」』》〉】〕］｝〗”’…‥—～·・ー々〃％‰℃,.;:?!)]}%"
    "\uff0c\uff0e\uff1a\uff1b\uff1f\uff01\uff09\uff3d\uff5d"
)
# ... and no line may end with these (opening brackets).
NO_LINE_END = frozenset("（「『《〈【〔［｛〖“‘([{\uff08\uff3b\uff5b")

# Runs kept together on one line where they fit: Latin words, numbers, 2010.3.28, 95%, 5·12.
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.,:/·\-][A-Za-z0-9]+)*%?|\s+|.", re.DOTALL)
# fontconfig look-ups per process for characters that no known face has
MAX_FONT_QUERIES = 64
# Control characters other than the newline: dropped (hostile or broken input).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class _UnicodeTTFont(TTFont):  # type: ignore[misc]  # reportlab has no type hints
    """A TrueType font whose ToUnicode map also spells characters outside the BMP (𠮷) correctly.

    reportlab writes every code as four hex digits, so U+20BB7 came back as U+20BB; this rewrites
    such subsets' maps with UTF-16 surrogate pairs, as the PDF specification asks.
    """

    def addObjects(self, doc: Any) -> None:
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            if all(code <= 0xFFFF for code in subset):
                continue
            prefix = bytes(f"{n:06d}", "ascii").translate(bytes.maketrans(b"0123456789", b"ABCDEFGIJK"))
            base = (prefix + b"+" + self.face.name + self.face.subfontNameX).decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is not None:
                stream.content = _to_unicode_cmap(base, subset)


def _to_unicode_cmap(name: str, subset: list[int]) -> str:
    chars = [f"<{i:02X}> <{chr(code).encode('utf-16-be').hex().upper()}>" for i, code in enumerate(subset)]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
            f"/CMapName /{name} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(chars)} beginbfchar",
            *chars,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


@dataclass
class Face:
    """One registered TrueType face: its reportlab name, its character map and a width cache."""

    name: str
    cmap: dict[int, int]
    font: TTFont
    widths: dict[str, float] = field(default_factory=dict)

    def has(self, ch: str) -> bool:
        return ord(ch) in self.cmap

    def width(self, ch: str) -> float:
        """Advance of ``ch`` at 1 pt."""
        w = self.widths.get(ch)
        if w is None:
            w = self.widths[ch] = self.font.stringWidth(ch, 1.0)
        return w


def _load_face(path: str, index: int) -> Face | None:
    name = f"cxzy-{path.rsplit('/', 1)[-1].rsplit('.', 1)[0]}-{index}"
    try:
        font = pdfmetrics.getFont(name)
    except KeyError:
        try:
            font = _UnicodeTTFont(name, path, subfontIndex=index)
        except Exception:  # not TrueType, damaged, or embedding forbidden: skip this face
            return None
        pdfmetrics.registerFont(font)
        _memoize_tables(font.face)
    return Face(name, font.face.charToGlyph, font)


def _memoize_tables(face: Any) -> None:
    """Keep the font tables a subset is built from, instead of slicing them out for every PDF."""
    read = face.get_table
    tables: dict[Any, bytes] = {}

    def get_table(tag: Any) -> bytes:
        data = tables.get(tag)
        if data is None:
            data = tables[tag] = read(tag)
        return data

    face.get_table = get_table


class FontSet:
    """The main CJK face plus fallbacks, chosen per character and loaded only when needed."""

    def __init__(self) -> None:
        path, index = cjk_font()
        main = _load_face(path, index)
        if main is None:
            raise DependencyMissing(f"字体文件无法嵌入 PDF（需要 TrueType 字体）：{path}")
        if not all(main.has(d) for d in "0123456789"):
            raise DependencyMissing(f"字体缺少阿拉伯数字，日期和人数会丢失：{path}；请设置 CXZY_FONT")
        self.main = main
        self._pending = list(cjk_fallback_fonts())
        self._fallbacks: list[Face] = []
        self._by_char: dict[str, Face] = {}
        self._widths: dict[str, float] = {}  # advance at 1 pt of short strings (tokens)
        self._queries = 0  # fontconfig look-ups made for characters no known face has

    def face_for(self, ch: str) -> Face:
        """The first face that has ``ch`` (the main face draws a box where none has it)."""
        face = self._by_char.get(ch)
        if face is not None:
            return face
        face = self.main if self.main.has(ch) or ch in "\n\t " else self._find(ch)
        self._by_char[ch] = face
        return face

    def _find(self, ch: str) -> Face:
        for face in self._fallbacks:
            if face.has(ch):
                return face
        while self._pending:
            loaded = _load_face(*self._pending.pop(0))
            if loaded is not None:
                self._fallbacks.append(loaded)
                if loaded.has(ch):
                    return loaded
        self._queries += 1
        if self._queries > MAX_FONT_QUERIES:  # hostile text full of unknown characters: stop asking
            return self.main
        for path, index in truetype_fonts_with_char(ord(ch)):
            loaded = _load_face(path, index)
            if loaded is not None and loaded.has(ch):
                self._fallbacks.append(loaded)
                return loaded
        return self.main

    def width(self, text: str, size: float) -> float:
        w = self._widths.get(text)
        if w is None:
            w = sum(self.face_for(ch).width(ch) for ch in text)
            if len(text) <= 16:
                if len(self._widths) > 100_000:
                    self._widths.clear()
                self._widths[text] = w
        return w * size

    def runs(self, text: str) -> list[tuple[Face, str]]:
        """``text`` cut into runs that one face draws."""
        out: list[tuple[Face, str]] = []
        start = 0
        current: Face | None = None
        for i, ch in enumerate(text):
            face = self.face_for(ch)
            if face is not current:
                if current is not None:
                    out.append((current, text[start:i]))
                current, start = face, i
        if current is not None:
            out.append((current, text[start:]))
        return out


@cache
def fonts() -> FontSet:
    """The process-wide font set (fonts are parsed and registered once)."""
    return FontSet()


def clean_text(text: str) -> str:
    """Newlines unified, tabs as spaces, other control characters dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return _CONTROL.sub("", text)


@dataclass(frozen=True)
class Line:
    """One laid-out line: its text and its indent from the left edge of the text area."""

    text: str
    indent: float = 0.0


def break_paragraph(
    text: str, width: float, measure: Callable[[str], float], first_indent: float = 0.0
) -> list[Line]:
    """Greedy line breaking of one paragraph (no ``\\n``) within ``width``, with kinsoku.

    No line starts with a closing mark (``，。）」…``) nor ends with an opening one (``（「《``)
    unless the text leaves no other way; Latin words and numbers are not cut unless too long.
    """
    tokens = _TOKEN.findall(text)
    lines: list[Line] = []
    cur: list[str] = []
    widths: list[float] = []
    used = indent = first_indent  # ``used``: indent plus the widths of ``cur``
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not cur and tok.isspace() and lines:
            i += 1  # no leading blanks on a wrapped line
            continue
        w = measure(tok)
        if used + w <= width + 1e-6 or (not cur and (len(tok) == 1 or w <= width - indent)):
            cur.append(tok)
            widths.append(w)
            used += w
            i += 1
            continue
        if not cur:  # one token wider than the line: cut it into characters
            tokens[i : i + 1] = list(tok)
            continue
        if tok.isspace():
            i += 1
        else:
            b = _break_point(cur, tok)
            if b < len(cur):
                lines.append(Line("".join(cur[:b]).rstrip(), indent))
                cur, widths, indent = cur[b:], widths[b:], 0.0
                used = sum(widths)
                continue
        lines.append(Line("".join(cur).rstrip(), indent))
        cur, widths, used, indent = [], [], 0.0, 0.0
    if cur or not lines:
        lines.append(Line("".join(cur).rstrip(), indent))
    return lines


def _break_point(cur: list[str], nxt: str) -> int:
    """Where to end the line before ``nxt`` so that kinsoku holds; ``len(cur)`` if nowhere."""
    b = len(cur)
    while b > 0:
        after = cur[b] if b < len(cur) else nxt
        if after[0] not in NO_LINE_START and cur[b - 1][-1] not in NO_LINE_END:
            return b
        b -= 1
    return len(cur)


def break_text(
    text: str, width: float, size: float, *, indent_chars: float = 0.0, font_set: FontSet | None = None
) -> list[Line]:
    """Lines of ``text`` (``\\n`` kept as paragraph breaks) at ``size`` within ``width`` points."""
    fs = font_set or fonts()

    def measure(s: str) -> float:
        return fs.width(s, size)

    lines: list[Line] = []
    for para in clean_text(text).split("\n"):
        lines.extend(break_paragraph(para, width, measure, indent_chars * size if para.strip() else 0.0))
    return lines
