"""An editable DOCX laid out as GB/T 9704-2012 asks of official documents, built with python-docx.

A4; margins top 37 mm, bottom 35, left 28, right 26; body 仿宋_GB2312 三号 (16 pt) with lines
fixed at 28.95 pt (22 lines a page); title 方正小标宋简体 二号 (22 pt); level-1 headings 黑体,
level-2 headings 楷体_GB2312; Latin text and digits Times New Roman; page numbers "— 1 —".
Each Chinese font is named on the styles and on every run (``w:eastAsia``), and the font table
names a common fallback (``w:altName``: 仿宋, 宋体, 楷体) for machines without the GB2312 faces.
"""

from __future__ import annotations

import io
import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from cxzy_docs.ooxml.xmltext import xml_safe
from cxzy_docs.report.markup import Block

BODY_FONT, BODY_ALT = "仿宋_GB2312", "仿宋"
TITLE_FONT, TITLE_ALT = "方正小标宋简体", "宋体"
H1_FONT = "黑体"
H2_FONT, H2_ALT = "楷体_GB2312", "楷体"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
FALLBACKS = {BODY_FONT: BODY_ALT, TITLE_FONT: TITLE_ALT, H2_FONT: H2_ALT}

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(12)  # 小四
PAGE_NUMBER_SIZE = Pt(14)  # 四号
LINE = Pt(28.95)  # 22 lines in the 225 mm type area
INDENT = Pt(32)  # two characters of 三号
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TEXT_WIDTH_MM = 210 - 28 - 26

# style name -> (east Asian font, size, bold, alignment, first-line indent, line spacing)
_STYLES: dict[str, tuple[str, Any, bool, Any, Any, Any]] = {
    "Report Title": (TITLE_FONT, TITLE_SIZE, False, WD_ALIGN_PARAGRAPH.CENTER, None, Pt(36)),
    "Report Heading 1": (H1_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.JUSTIFY, INDENT, LINE),
    "Report Heading 2": (H2_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.JUSTIFY, INDENT, LINE),
    "Report Quote": (H2_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.JUSTIFY, INDENT, LINE),
    "Report Right": (BODY_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.RIGHT, None, LINE),
    "Report Table": (BODY_FONT, TABLE_SIZE, False, WD_ALIGN_PARAGRAPH.CENTER, None, None),
    "Report Table Head": (H1_FONT, TABLE_SIZE, False, WD_ALIGN_PARAGRAPH.CENTER, None, None),
    "Report Caption": (H1_FONT, Pt(14), False, WD_ALIGN_PARAGRAPH.CENTER, None, None),
    "Report Annex": (H1_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, None, LINE),
    "Report Attachment": (BODY_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, None, LINE),
}
_KIND_STYLE = {
    "title": "Report Title",
    "h1": "Report Heading 1",
    "h2": "Report Heading 2",
    "quote": "Report Quote",
    "right": "Report Right",
    "para": "Normal",
    "annex": "Report Annex",
    "attach": "Report Attachment",
}
_OUTLINE = {"Report Heading 1": 0, "Report Heading 2": 1}


@dataclass(frozen=True)
class TableData:
    """A table the program builds: caption, header and rows.

    Column widths are chosen for the content (:func:`column_widths`): numbers, percentages and
    other unbreakable tokens always fit on one line; ``widths`` (relative) are used only when the
    content does not decide (an empty table).
    """

    caption: str
    header: tuple[str, ...]
    rows: Sequence[Sequence[Any]]
    widths: tuple[float, ...] = ()  # the columns' proportions, if the caller chooses them
    left_columns: frozenset[int] = field(default_factory=frozenset)  # columns aligned left (names, text)
    font_pt: float | None = None  # the table's text size (default 小四, 12 pt)


@dataclass(frozen=True)
class Chart:
    """A chart as PNG bytes and the width it takes on the page."""

    png: bytes
    width_mm: float = TEXT_WIDTH_MM - 6


def set_fonts(element: Any, east_asian: str, size: Any = None, bold: bool | None = None) -> None:
    """Name the fonts of a run or style ``rPr`` explicitly (no theme fonts), east Asian included."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]  # theme fonts (asciiTheme ...) would override the names
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), LATIN_FONT)
    for tag in ("w:sz", "w:szCs"):
        if size is not None:
            node = rpr.find(qn(tag))
            if node is None:
                node = OxmlElement(tag)
                rpr.append(node)
            node.set(qn("w:val"), str(int(size.pt * 2)))
    if bold is not None:
        for tag in ("w:b", "w:bCs"):
            node = rpr.find(qn(tag))
            if node is None:
                node = OxmlElement(tag)
                rpr.append(node)
            node.set(qn("w:val"), "1" if bold else "0")
    color = rpr.find(qn("w:color"))
    if color is not None:
        rpr.remove(color)


class OfficialDocument:
    """A DOCX document with the GB/T 9704 page and styles; add blocks, tables, charts; save."""

    def __init__(
        self,
        title: str = "",
        *,
        landscape: bool = False,
        margins_mm: tuple[float, float, float, float] | None = None,
    ) -> None:
        """``margins_mm``: (top, bottom, left, right), for documents that are not 公文 (a ledger)."""
        self.doc = Document()
        self._style_ids: dict[str, str] = {}
        self.doc.core_properties.title = xml_safe(title.replace(BREAK_MARK, ""))
        self.doc.core_properties.author = "cxzy-docs"
        self._setup_page(landscape, margins_mm)
        self._setup_styles()
        self._font_fallbacks()
        self._page_numbers()

    # ------------------------------------------------------------------------------ set-up

    def _setup_page(self, landscape: bool, margins_mm: tuple[float, float, float, float] | None) -> None:
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
        sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        if margins_mm is None:
            sec.top_margin, sec.bottom_margin = MARGINS["top"], MARGINS["bottom"]
            sec.left_margin, sec.right_margin = MARGINS["left"], MARGINS["right"]
            sec.header_distance, sec.footer_distance = Mm(15), Mm(20)
            left, right = 28.0, 26.0
        else:
            top, bottom, left, right = margins_mm
            sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = (
                Mm(top),
                Mm(bottom),
                Mm(left),
                Mm(right),
            )
            sec.header_distance, sec.footer_distance = Mm(min(10, top / 2)), Mm(min(10, bottom / 2))
        self.text_width_mm = (297 if landscape else 210) - left - right

    def _setup_styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        set_fonts(normal.element, BODY_FONT, BODY_SIZE, bold=False)
        pf = normal.paragraph_format
        pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
        pf.first_line_indent, pf.space_before, pf.space_after = INDENT, Pt(0), Pt(0)
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        pf.widow_control = True
        for name, (font, size, bold, align, indent, spacing) in _STYLES.items():
            style = styles.add_style(name, 1)  # WD_STYLE_TYPE.PARAGRAPH
            style.base_style = normal
            style.quick_style = True
            set_fonts(style.element, font, size, bold)
            spf = style.paragraph_format
            spf.alignment = align
            spf.first_line_indent = indent if indent is not None else Pt(0)
            if spacing is None:
                spf.line_spacing_rule, spf.line_spacing = WD_LINE_SPACING.SINGLE, 1.0
            else:
                spf.line_spacing_rule, spf.line_spacing = WD_LINE_SPACING.EXACTLY, spacing
            if name in _OUTLINE:
                spf.keep_with_next = True
                ppr = style.element.get_or_add_pPr()
                lvl = OxmlElement("w:outlineLvl")
                lvl.set(qn("w:val"), str(_OUTLINE[name]))
                ppr.append(lvl)
        styles["Report Title"].paragraph_format.space_after = LINE
        quote = styles["Report Quote"].paragraph_format
        quote.left_indent = quote.right_indent = INDENT
        styles["Report Right"].paragraph_format.right_indent = Pt(64)  # 落款 右空四字
        attach = styles["Report Attachment"].paragraph_format  # 附件：1．… and the lines under it, aligned
        attach.left_indent, attach.first_line_indent = Pt(32 + 48), Pt(0)
        styles["Report Caption"].paragraph_format.space_before = Pt(6)
        styles["Report Caption"].paragraph_format.space_after = Pt(6)
        styles["Report Caption"].paragraph_format.keep_with_next = True

    def _font_fallbacks(self) -> None:
        """Font table entries with ``w:altName``: what Word and LibreOffice use when a face is missing."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from lxml import etree

        from cxzy_docs.ooxml.package import SAFE_PARSER

        for rel in self.doc.part.rels.values():
            if rel.reltype != RT.FONT_TABLE:
                continue
            part = rel.target_part
            root = etree.fromstring(part.blob, SAFE_PARSER)
            for name, alt in FALLBACKS.items():
                font = etree.SubElement(root, qn("w:font"))
                font.set(qn("w:name"), name)
                etree.SubElement(font, qn("w:altName")).set(qn("w:val"), alt)
                etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
                etree.SubElement(font, qn("w:family")).set(qn("w:val"), "modern")
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _page_numbers(self) -> None:
        para = self.doc.sections[0].footer.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.first_line_indent = Pt(0)
        para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        self._run(para, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        run = self._run(para, "", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
            if kind:
                fld = OxmlElement("w:fldChar")
                fld.set(qn("w:fldCharType"), kind)
                run._r.append(fld)
            elif text == " PAGE ":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._r.append(instr)
            else:
                t = OxmlElement("w:t")
                t.text = text
                run._r.append(t)
        self._run(para, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)

    # ---------------------------------------------------------------------------- content

    @staticmethod
    def _run(para: Any, text: str, font: str, size: Any = None, bold: bool | None = None) -> Any:
        run = para.add_run(xml_safe(text))
        set_fonts(run._r, font, size, bold)
        return run

    def _style(self, para: Any, style: str) -> None:
        """Set a paragraph's style by id (python-docx's name lookup costs a millisecond each)."""
        para._p.style = self._style_id(style)

    def paragraph(self, text: str, style: str = "Normal") -> Any:
        para = self.doc.add_paragraph()
        self._style(para, style)
        font = _STYLES[style][0] if style in _STYLES else BODY_FONT
        self._run(para, text, font)
        return para

    def block(self, block: Block) -> None:
        if block.kind == "title":
            self.title(block.text)
        elif block.kind == "page":
            self.page_break()
        elif block.kind == "attach":
            para = self.paragraph(block.text, "Report Attachment")
            if block.text.startswith("附件"):  # 附件： hangs out into the indent
                para.paragraph_format.first_line_indent = Pt(-48)
        else:
            self.paragraph(block.text.replace(BREAK_MARK, ""), _KIND_STYLE[block.kind])

    def title(self, text: str) -> None:
        """The title, balanced over as few lines as it needs, broken only where ``|`` marks it may be
        (or, unmarked, after the organization's name and the year): never inside a word."""
        para = self.doc.add_paragraph()
        self._style(para, "Report Title")
        width_em = self.text_width_mm / 25.4 * 72 / TITLE_SIZE.pt
        for i, line in enumerate(balance_title(text, width_em)):
            run = self._run(para, line, TITLE_FONT)
            if i:
                run._r.insert(list(run._r).index(run._r.find(qn("w:t"))), OxmlElement("w:br"))

    def running_head(self, text: str) -> None:
        """A line at the head of every page (a ledger's organization and year; 公文 have none)."""
        para = self.doc.sections[0].header.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.first_line_indent = Pt(0)
        para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        self._run(para, text, H1_FONT, Pt(12))

    def page_break(self) -> None:
        para = self.doc.add_paragraph()
        self._style(para, "Report Table")
        br = OxmlElement("w:br")
        br.set(qn("w:type"), "page")
        self._run(para, "", BODY_FONT)._r.append(br)

    def table(self, data: TableData) -> None:
        """The table with its caption; built as one piece of XML (a ten-thousand-row annex in a second)."""
        from lxml import etree

        if data.caption:
            self.paragraph(data.caption, "Report Caption")
        widths = column_widths(data, self.text_width_mm, data.font_pt)
        ids = {name: self._style_id(name) for name in ("Report Table", "Report Table Head")}
        grid_style = self._style_id("Table Grid")
        twips = [round(w / 25.4 * 1440) for w in widths]
        parts = [
            f'<w:tbl {_NSDECL}><w:tblPr><w:tblStyle w:val="{grid_style}"/>'
            f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>'
        ]
        parts += [f'<w:gridCol w:w="{t}"/>' for t in twips]
        parts.append("</w:tblGrid>")
        head_font, body_font = _STYLES["Report Table Head"][0], _STYLES["Report Table"][0]
        parts.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
        size = (
            f'<w:sz w:val="{round(data.font_pt * 2)}"/><w:szCs w:val="{round(data.font_pt * 2)}"/>'
            if data.font_pt
            else ""
        )
        parts += [
            _cell_xml(text, twips[i], ids["Report Table Head"], head_font, left=False, size=size)
            for i, text in enumerate(data.header)
        ]
        parts.append("</w:tr>")
        ncols = len(data.header)
        for row_values in data.rows:
            parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for i in range(ncols):
                value = row_values[i] if i < len(row_values) else ""
                parts.append(
                    _cell_xml(
                        "" if value is None else str(value),
                        twips[i],
                        ids["Report Table"],
                        body_font,
                        left=i in data.left_columns,
                        size=size,
                    )
                )
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        tbl = etree.fromstring("".join(parts).encode("utf-8"))
        body = self.doc.element.body
        body.insert(len(body) - 1, tbl)  # before the section properties
        self._style(self.doc.add_paragraph(), "Report Table")  # air after the table

    def _style_id(self, name: str) -> str:
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        return self._style_ids[name]

    def chart(self, chart: Chart) -> None:
        para = self.doc.add_paragraph()
        self._style(para, "Report Table")
        run = self._run(para, "", BODY_FONT)
        run.add_picture(io.BytesIO(chart.png), width=Mm(min(chart.width_mm, self.text_width_mm)))

    def save(self, path: str | Path) -> None:
        from cxzy_docs.report.output import write_output

        buf = io.BytesIO()
        self.doc.save(buf)
        write_output(path, buf.getvalue())


_NSDECL = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BREAK_MARK = "|"  # in a title: where it may break onto the next line


def _cell_xml(text: str, twips: int, style_id: str, font: str, *, left: bool, size: str = "") -> str:
    from xml.sax.saxutils import escape, quoteattr

    jc = '<w:jc w:val="left"/>' if left else ""
    fonts = (
        f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia={quoteattr(font)} '
        f'w:cs="{LATIN_FONT}"/>'
    )
    lines = xml_safe(text).split("\n")
    runs = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{twips}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{jc}</w:pPr><w:r><w:rPr>{fonts}{size}</w:rPr>{runs}</w:r></w:p></w:tc>'
    )


# ------------------------------------------------------------------------------ measuring text

CELL_PADDING_MM = 2 * 1.9 + 1.2  # Word's and LibreOffice's default cell margins, and a little air
_UNBREAKABLE = re.compile(r"[0-9A-Za-z.,:/%‰+\-−—–()（）]+")


def text_em(text: str) -> float:
    """The width of ``text`` in ems of its size: CJK and full-width characters 1, others about half."""
    width = 0.0
    for ch in text:
        if ch in "%‰":
            width += 0.85
        elif ord(ch) < 0x2E80 and not ("\uff00" <= ch <= "\uffef"):
            width += 0.55 if ch not in "il.,:;/|()[]!'" else 0.3
        else:
            width += 1.0
    return width


def _tokens_em(text: str) -> float:
    """The widest run of characters a line must not break: a number with its sign and unit, a Latin word."""
    return max((text_em(m.group()) for m in _UNBREAKABLE.finditer(text)), default=0.0)


def column_widths(data: TableData, total_mm: float, size_pt: float | None = None) -> list[float]:
    """Column widths (mm) summing to ``total_mm``, chosen for the content.

    Every column is at least as wide as its widest number or Latin word (never split: ``96.2%``,
    ``12/15``) and its header in three lines. What is left goes first to the text columns (names:
    ``left_columns``) up to their longest text (at most two fifths of the table each), then to the
    other columns up to their header on one line, then to all in proportion.
    """
    size = size_pt or TABLE_SIZE.pt
    em_mm = size / 72 * 25.4
    n = len(data.header)
    if n == 0:
        return []
    if len(data.widths) == n:  # the caller's proportions (a ledger sized like its sheet)
        return [total_mm * w / sum(data.widths) for w in data.widths]
    mins, wants = [], []
    for i in range(n):
        cells = [str(r[i]) for r in data.rows if i < len(r) and r[i] not in (None, "")]
        head = data.header[i]
        token = max([_tokens_em(c) for c in cells] + [_tokens_em(head)], default=0.0)
        head_min = max(min(2.0, text_em(head)), math.ceil(text_em(head) / 3)) if head else 1.0
        least = max(token, head_min, 1.0) * em_mm + CELL_PADDING_MM
        natural = (
            max([text_em(line) for c in cells for line in c.split("\n")] + [text_em(head)]) * em_mm
            + CELL_PADDING_MM
        )
        mins.append(least)
        wants.append(max(natural, least))
    if sum(wants) <= total_mm:  # everything fits on one line: share the rest by the natural widths
        return [w * total_mm / sum(wants) for w in wants]
    if sum(mins) >= total_mm:
        return [m * total_mm / sum(mins) for m in mins]
    widths = list(mins)
    for group, cap in (
        (data.left_columns, 0.4 * total_mm),
        (frozenset(range(n)) - data.left_columns, total_mm),
    ):
        spare = total_mm - sum(widths)
        asks = {i: max(0.0, min(wants[i], cap) - widths[i]) for i in group if i < n}
        asked = sum(asks.values())
        if spare <= 0 or asked <= 0:
            continue
        for i, ask in asks.items():
            widths[i] += ask * min(1.0, spare / asked)
    spare = total_mm - sum(widths)
    return [w + spare * w / sum(widths) for w in widths]


def balance_title(text: str, width_em: float) -> list[str]:
    """``text`` in as few lines of ``width_em`` as it needs, as even as can be, broken only at a
    ``|`` (or, with none, after the year and after an organization's suffix)."""
    pieces = [p for p in text.split(BREAK_MARK) if p] if BREAK_MARK in text else _title_pieces(text)
    whole = "".join(pieces)
    if text_em(whole) <= width_em or len(pieces) < 2:
        return [whole]
    n = len(pieces)
    if n > 12:  # a template that marks every word: fill lines greedily instead of trying every split
        pieces = _greedy_lines(pieces, width_em)
        n = len(pieces)
        if n > 12:
            return pieces
    best: tuple[float, list[str]] | None = None
    for lines in range(2, n + 1):
        for cuts in itertools.combinations(range(1, n), lines - 1):
            bounds = (0, *cuts, n)
            parts = ["".join(pieces[a:b]) for a, b in itertools.pairwise(bounds)]
            widths = [text_em(p) for p in parts]
            over = sum(max(0.0, w - width_em) for w in widths)
            score = (over * 100 + max(widths) - min(widths), parts)
            if best is None or score[0] < best[0]:
                best = score
        if best is not None and all(text_em(p) <= width_em for p in best[1]):
            return best[1]
    return best[1] if best else [whole]


def _greedy_lines(pieces: list[str], width_em: float) -> list[str]:
    lines = [""]
    for piece in pieces:
        if lines[-1] and text_em(lines[-1] + piece) > width_em:
            lines.append("")
        lines[-1] += piece
    return lines


_TITLE_BREAKS = re.compile(r"(?<=年度)|(?<=党委)|(?<=党总支)|(?<=党支部)|(?<=委员会)|(?=关于)|(?=创先争优)")


def _title_pieces(text: str) -> list[str]:
    return [p for p in _TITLE_BREAKS.split(text) if p]


def write_blocks(
    doc: OfficialDocument,
    blocks: Sequence[Block],
    tables: Mapping[str, Callable[[], TableData]],
    charts: Mapping[str, Callable[[], Chart]],
    unknown: Callable[[Block, str, Sequence[str]], Exception],
) -> None:
    """Lay out ``blocks``; ``::table``/``::chart`` names are looked up (lazily built) in the maps."""
    for block in blocks:
        if block.kind == "table":
            if block.text not in tables:
                raise unknown(block, "表格", sorted(tables))
            doc.table(tables[block.text]())
        elif block.kind == "chart":
            if block.text not in charts:
                raise unknown(block, "图表", sorted(charts))
            doc.chart(charts[block.text]())
        else:
            doc.block(block)
