"""WordprocessingML writer: paragraphs, runs, tables and sections streamed as escaped XML text.

Sizes follow the file format: lengths in twentieths of a point (twips, ``dxa``), font sizes in
half-points, border widths in eighths of a point. Children are written in schema order; every
text and attribute value is made XML-safe and escaped here, nowhere else. Property elements
(``w:pPr``, ``w:rPr``, ``w:tcPr``) are serialised once per distinct value and then reused, which
is what makes a book cost a fraction of a millisecond to lay out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

from cxzy_docs.ooxml.ns import R, W
from cxzy_docs.ooxml.xmltext import xml_safe

Align = Literal["left", "center", "right", "both"]
VAlign = Literal["top", "center", "bottom"]
VMerge = Literal["restart", "continue"]

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


# ------------------------------------------------------------------------------------ escaping


def escape_text(text: str) -> str:
    """Character data: illegal characters dropped, ``& < >`` escaped."""
    return xml_safe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(value: str) -> str:
    """An attribute value for double quotes (white space kept as character references)."""
    return (
        escape_text(value)
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )


def empty_element(tag: str, attrs: Mapping[str, str | int] | None = None) -> str:
    """``<tag a="v"/>`` with escaped attribute values."""
    if not attrs:
        return f"<{tag}/>"
    inner = "".join(f' {k}="{escape_attr(str(v))}"' for k, v in attrs.items())
    return f"<{tag}{inner}/>"


def element(tag: str, children: Iterable[str]) -> str:
    """``<tag>…</tag>`` around already serialised children."""
    return f"<{tag}>{''.join(children)}</{tag}>"


# --------------------------------------------------------------------------------- runs and text


@dataclass(frozen=True)
class RunFonts:
    """``w:rFonts``: the Latin (ascii, hAnsi) and East Asian font slots of a run or style."""

    ascii: str
    h_ansi: str
    east_asia: str
    cs: str | None = None

    def xml(self) -> str:
        attrs = {"w:ascii": self.ascii, "w:hAnsi": self.h_ansi, "w:eastAsia": self.east_asia}
        if self.cs:
            attrs["w:cs"] = self.cs
        attrs["w:hint"] = "eastAsia"
        return empty_element("w:rFonts", attrs)


@dataclass(frozen=True)
class RunProps:
    """Direct run formatting; ``size`` in half-points, ``None`` to take the paragraph style's."""

    fonts: RunFonts
    bold: bool = False
    underline: bool = False
    size: int | None = None


@cache
def run_properties(props: RunProps) -> str:
    """The serialised ``w:rPr`` of ``props``."""
    out = [props.fonts.xml()]
    if props.bold:
        out += ["<w:b/>", "<w:bCs/>"]
    if props.size:
        out += [empty_element("w:sz", {"w:val": props.size}), empty_element("w:szCs", {"w:val": props.size})]
    if props.underline:
        out.append('<w:u w:val="single"/>')
    return element("w:rPr", out)


def run(text: str, props: RunProps) -> str:
    """A ``w:r`` holding ``text``: tabs become ``w:tab``, illegal XML characters are dropped."""
    out = ["<w:r>", run_properties(props)]
    for i, piece in enumerate(text.split("\t")):
        if i:
            out.append("<w:tab/>")
        if piece:
            space = ' xml:space="preserve"' if piece[0].isspace() or piece[-1].isspace() else ""
            out.append(f"<w:t{space}>{escape_text(piece)}</w:t>")
    out.append("</w:r>")
    return "".join(out)


# ----------------------------------------------------------------------------------- paragraphs


@dataclass(frozen=True)
class ParaProps:
    """Paragraph properties; lengths in twips (``first_line`` negative for a hanging indent)."""

    style: str | None = None
    keep_next: bool = False
    page_break_before: bool = False
    before: int | None = None
    after: int | None = None
    ind_left: int | None = None
    ind_right: int | None = None
    first_line: int | None = None
    align: Align | None = None


@cache
def _paragraph_property_children(props: ParaProps) -> str:
    out = []
    if props.style:
        out.append(empty_element("w:pStyle", {"w:val": props.style}))
    if props.keep_next:
        out.append("<w:keepNext/>")
    if props.page_break_before:
        out.append("<w:pageBreakBefore/>")
    spacing = {k: v for k, v in (("w:before", props.before), ("w:after", props.after)) if v is not None}
    if spacing:
        out.append(empty_element("w:spacing", spacing))
    ind: dict[str, str | int] = {
        k: v for k, v in (("w:left", props.ind_left), ("w:right", props.ind_right)) if v is not None
    }
    if props.first_line is not None:
        ind["w:firstLine" if props.first_line >= 0 else "w:hanging"] = abs(props.first_line)
    if ind:
        out.append(empty_element("w:ind", ind))
    if props.align:
        out.append(empty_element("w:jc", {"w:val": props.align}))
    return "".join(out)


# --------------------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class TableProps:
    """A fixed-layout table on ``grid`` (column widths in twips), single borders all round."""

    grid: tuple[int, ...]
    style: str | None = None
    border: int = 6  # eighths of a point
    cell_margin: int = 85  # left and right, twips
    align: Align = "center"


@cache
def _table_start(props: TableProps) -> str:
    pr = []
    if props.style:
        pr.append(empty_element("w:tblStyle", {"w:val": props.style}))
    pr.append(empty_element("w:tblW", {"w:w": sum(props.grid), "w:type": "dxa"}))
    pr.append(empty_element("w:jc", {"w:val": props.align}))
    line: dict[str, str | int] = {"w:val": "single", "w:sz": props.border, "w:space": 0, "w:color": "000000"}
    pr.append(
        element(
            "w:tblBorders",
            (
                empty_element(f"w:{side}", line)
                for side in ("top", "left", "bottom", "right", "insideH", "insideV")
            ),
        )
    )
    pr.append('<w:tblLayout w:type="fixed"/>')
    margin: dict[str, str | int] = {"w:w": props.cell_margin, "w:type": "dxa"}
    pr.append(element("w:tblCellMar", (empty_element("w:left", margin), empty_element("w:right", margin))))
    pr.append(
        empty_element(
            "w:tblLook",
            {
                "w:val": "04A0",
                "w:firstRow": 0,
                "w:lastRow": 0,
                "w:firstColumn": 0,
                "w:lastColumn": 0,
                "w:noHBand": 1,
                "w:noVBand": 1,
            },
        )
    )
    grid = element("w:tblGrid", (empty_element("w:gridCol", {"w:w": w}) for w in props.grid))
    return "<w:tbl>" + element("w:tblPr", pr) + grid


@cache
def _row_start(min_height: int | None, cant_split: bool) -> str:
    pr = []
    if cant_split:
        pr.append("<w:cantSplit/>")
    if min_height:
        pr.append(empty_element("w:trHeight", {"w:val": min_height, "w:hRule": "atLeast"}))
    return "<w:tr>" + (element("w:trPr", pr) if pr else "")


@cache
def _cell_start(width: int, span: int, vmerge: VMerge | None, valign: VAlign | None) -> str:
    pr = [empty_element("w:tcW", {"w:w": width, "w:type": "dxa"})]
    if span > 1:
        pr.append(empty_element("w:gridSpan", {"w:val": span}))
    if vmerge == "restart":
        pr.append('<w:vMerge w:val="restart"/>')
    elif vmerge == "continue":
        pr.append("<w:vMerge/>")
    if valign:
        pr.append(empty_element("w:vAlign", {"w:val": valign}))
    return "<w:tc>" + element("w:tcPr", pr)


def grid_width(grid: tuple[int, ...], first: int, span: int) -> int:
    """The width of ``span`` grid columns from column ``first``."""
    return sum(grid[first : first + span])


# ------------------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class PageSetup:
    """Page size and margins in twips (A4 portrait by default)."""

    width: int = 11906
    height: int = 16838
    top: int = 1440
    right: int = 1247
    bottom: int = 1440
    left: int = 1247
    header: int = 851
    footer: int = 992

    @property
    def text_width(self) -> int:
        return self.width - self.left - self.right


@cache
def section_properties(page: PageSetup) -> str:
    """A serialised ``w:sectPr`` for ``page``."""
    return element(
        "w:sectPr",
        (
            empty_element("w:pgSz", {"w:w": page.width, "w:h": page.height}),
            empty_element(
                "w:pgMar",
                {
                    "w:top": page.top,
                    "w:right": page.right,
                    "w:bottom": page.bottom,
                    "w:left": page.left,
                    "w:header": page.header,
                    "w:footer": page.footer,
                    "w:gutter": 0,
                },
            ),
            '<w:cols w:space="425"/>',
            '<w:docGrid w:linePitch="312"/>',
        ),
    )


# -------------------------------------------------------------------------------------- writer


class _Close:
    """Closes the element it was opened for when its ``with`` block ends."""

    __slots__ = ("_out", "_tag")

    def __init__(self, out: list[str], tag: str) -> None:
        self._out = out
        self._tag = tag

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        self._out.append(self._tag)


class DocumentWriter:
    """Streams one ``word/document.xml``: open tables, rows and cells with ``with``.

    >>> w = DocumentWriter()
    >>> w.paragraph(ParaProps(style="Title"), [("标题", RunProps(RunFonts("宋体", "宋体", "宋体")))])
    >>> w.finish(PageSetup()).startswith(b"<?xml")
    True
    """

    def __init__(self) -> None:
        self._out: list[str] = [XML_DECLARATION, f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>']
        self._end_tbl = _Close(self._out, "</w:tbl>")
        self._end_tr = _Close(self._out, "</w:tr>")
        self._end_tc = _Close(self._out, "</w:tc>")

    def paragraph(
        self,
        props: ParaProps | None = None,
        runs: Iterable[tuple[str, RunProps]] = (),
        *,
        end_section: PageSetup | None = None,
    ) -> None:
        """A ``w:p`` of runs; ``end_section`` makes it the last of a section (next: a new page)."""
        out = self._out
        children = _paragraph_property_children(props) if props is not None else ""
        if end_section is not None:
            children += section_properties(end_section)
        out.append(f"<w:p><w:pPr>{children}</w:pPr>" if children else "<w:p>")
        for text, rprops in runs:
            out.append(run(text, rprops))
        out.append("</w:p>")

    def table(self, props: TableProps) -> _Close:
        """Open a ``w:tbl`` with its properties and ``w:tblGrid``; rows follow."""
        self._out.append(_table_start(props))
        return self._end_tbl

    def row(self, *, min_height: int | None = None, cant_split: bool = False) -> _Close:
        """Open a ``w:tr``; ``min_height`` (twips) is a floor (``hRule="atLeast"``): rows still grow."""
        self._out.append(_row_start(min_height, cant_split))
        return self._end_tr

    def cell(
        self, width: int, *, span: int = 1, vmerge: VMerge | None = None, valign: VAlign | None = None
    ) -> _Close:
        """Open a ``w:tc`` of ``width`` twips over ``span`` grid columns; it needs a paragraph."""
        self._out.append(_cell_start(width, span, vmerge, valign))
        return self._end_tc

    def finish(self, page: PageSetup) -> bytes:
        """Close the body with the last section's properties; the part's UTF-8 bytes."""
        self._out.append(section_properties(page) + "</w:body></w:document>")
        return "".join(self._out).encode("utf-8")
