"""An editable DOCX laid out as GB/T 9704-2012 asks of official documents, built with python-docx.

A4; margins top 37 mm, bottom 35, left 28, right 26; body 仿宋_GB2312 三号 (16 pt) with lines
fixed at 28.95 pt (22 lines a page); title 方正小标宋简体 二号 (22 pt); level-1 headings 黑体,
level-2 headings 楷体_GB2312; Latin text and digits Times New Roman; page numbers "— 1 —".
Each Chinese font is named on the styles and on every run (``w:eastAsia``), and the font table
names a common fallback (``w:altName``: 仿宋, 宋体, 楷体) for machines without the GB2312 faces.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
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
}
_KIND_STYLE = {"title": "Report Title", "h1": "Report Heading 1", "h2": "Report Heading 2",
               "quote": "Report Quote", "right": "Report Right", "para": "Normal"}
_OUTLINE = {"Report Heading 1": 0, "Report Heading 2": 1}


@dataclass(frozen=True)
class TableData:
    """A table the program builds: caption, header, rows and relative column widths."""

    caption: str
    header: tuple[str, ...]
    rows: Sequence[Sequence[Any]]
    widths: tuple[float, ...] = ()
    left_columns: frozenset[int] = field(default_factory=frozenset)  # columns aligned left (names, text)


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

    def __init__(self, title: str = "", *, landscape: bool = False) -> None:
        self.doc = Document()
        self._style_ids: dict[str, str] = {}
        self.doc.core_properties.title = xml_safe(title)
        self.doc.core_properties.author = "cxzy-docs"
        self._setup_page(landscape)
        self._setup_styles()
        self._font_fallbacks()
        self._page_numbers()

    # ------------------------------------------------------------------------------ set-up

    def _setup_page(self, landscape: bool) -> None:
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
        sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        sec.top_margin, sec.bottom_margin = MARGINS["top"], MARGINS["bottom"]
        sec.left_margin, sec.right_margin = MARGINS["left"], MARGINS["right"]
        sec.header_distance, sec.footer_distance = Mm(15), Mm(20)
        self.text_width_mm = (297 if landscape else 210) - 28 - 26

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
        if style not in self._style_ids:
            self._style_ids[style] = self.doc.styles[style].style_id
        para._p.style = self._style_ids[style]

    def paragraph(self, text: str, style: str = "Normal") -> Any:
        para = self.doc.add_paragraph()
        self._style(para, style)
        font = _STYLES[style][0] if style in _STYLES else BODY_FONT
        self._run(para, text, font)
        return para

    def block(self, block: Block) -> None:
        self.paragraph(block.text, _KIND_STYLE[block.kind])

    def table(self, data: TableData) -> None:
        if data.caption:
            self.paragraph(data.caption, "Report Caption")
        columns = len(data.header)
        table = self.doc.add_table(rows=1, cols=columns)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        weights = data.widths if len(data.widths) == columns else (1.0,) * columns
        widths = [Mm(self.text_width_mm * w / sum(weights)) for w in weights]
        table.autofit = False
        for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
            col.w = width  # LibreOffice lays out by the grid, Word by the cells: set both
        head = table.rows[0]
        _repeat_header(head)
        for i, cell in enumerate(head.cells):
            self._cell(cell, data.header[i], "Report Table Head", widths[i])
        for row_values in data.rows:
            cells = table.add_row().cells
            for i, cell in enumerate(cells):
                value = row_values[i] if i < len(row_values) else ""
                self._cell(cell, "" if value is None else str(value), "Report Table", widths[i],
                           left=i in data.left_columns)
        self._style(self.doc.add_paragraph(), "Report Table")  # air after the table

    def _cell(self, cell: Any, text: str, style: str, width: Any, left: bool = False) -> None:
        cell.width = width
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        para = cell.paragraphs[0]
        self._style(para, style)
        if left:
            para.alignment = WD_ALIGN_PARAGRAPH.LEFT
        self._run(para, text, _STYLES[style][0])

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


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    head = OxmlElement("w:tblHeader")
    head.set(qn("w:val"), "1")
    trpr.append(head)


def write_blocks(doc: OfficialDocument, blocks: Sequence[Block],
                 tables: Mapping[str, Callable[[], TableData]], charts: Mapping[str, Callable[[], Chart]],
                 unknown: Callable[[Block, str, Sequence[str]], Exception]) -> None:
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
