"""One record book (blank or filled) as a .docx: cover, 说明 and the form's one table, from forms.py.

The layout is the government's (002 附件1/附件2): an 8-column grid; column 0 holds the section
labels one character per paragraph in a vertically merged cell; header rows pair labels with
values; a period's label opens its text cell; a signature cell reads ``…（签字）：NAME``, a blank
line, then the date. ``word/document.xml`` and ``docProps/core.xml`` are built here; every other
part comes from ``templates/docx`` and is deflated once per :class:`DocxRenderer`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from cxzy_docs.errors import RenderError
from cxzy_docs.forms import (
    GRID_COLUMNS,
    KIND_NAMES,
    Evaluation,
    Field,
    FormSpec,
    GradeRow,
    Section,
    SignRow,
    TextBox,
    form_for,
)
from cxzy_docs.identity import mark_text
from cxzy_docs.model import SCHEMA_ID, get_field
from cxzy_docs.ooxml import wml
from cxzy_docs.ooxml.coreprops import CoreProperties, core_xml
from cxzy_docs.ooxml.ns import CORE_PART, DOCUMENT_PART, qn
from cxzy_docs.ooxml.package import SAFE_PARSER, PackageSkeleton, read_template_parts
from cxzy_docs.ooxml.wml import ParaProps, RunFonts, RunProps
from cxzy_docs.resources import templates_dir
from cxzy_docs.textnorm import read_date

__all__ = ["DocxRenderer", "header_date_text", "render_docx", "sign_date_text"]

# ------------------------------------------------------------------------------------- geometry

PAGE = wml.PageSetup()  # A4 portrait, 2.54 cm top/bottom, 2.2 cm left/right
# Column 0 holds the vertical section labels. Columns 1-7 are sized for the 评价等次 row (four-
# and six-character labels) and so that the two signatures of 承诺写实 (columns 1-4 and 5-7)
# each hold ``上级党组织书记（签字）：`` and a name on one line.
GRID: tuple[int, ...] = (680, 1140, 1250, 1140, 1250, 1140, 1406, 1406)
LINE = 360  # twips of height per line left for handwriting in an empty text box
HEADER_ROW = 567  # 1 cm
EVALUATION_ROW = 567
BODY_SPAN = GRID_COLUMNS - 1  # every section block spans columns 1-7

BLANK_YEAR = "（        年度）"
BLANK_SIGN_DATE = "        年    月    日"
BLANK_COVER_VALUE = "\u3000" * 12  # underlined room to write a name on the cover

_SECTION_LABEL = ParaProps(style="SectionLabel")
_CELL_LABEL = ParaProps(style="CellLabel")
_CELL_LABEL_LEFT = ParaProps(style="CellLabel", align="left")
_ROW_LABEL = ParaProps(style="CellLabel", keep_next=True)  # a label row stays with the row it heads
_BOX_LABEL = ParaProps(style="BoxLabel")
_CELL_TEXT = ParaProps(style="CellText")
_SIGN_LINE = ParaProps(style="SignLine")
_SIGN_DATE = ParaProps(style="SignDate")


# ------------------------------------------------------------------------------ values as text

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _iso_parts(value: object) -> tuple[str, str | None, str | None] | None:
    """(year, month, day) of a date value (ISO or any spelling textnorm reads), else None."""
    if value is None or isinstance(value, bool):
        return None
    m = _ISO.match(str(value).strip())
    if not m:
        iso = read_date(value).iso
        m = _ISO.match(iso) if iso else None
    return (m[1], m[2], m[3]) if m else None


def sign_date_text(value: object) -> str:
    """A signature date as written on the form: ``2010-03-28`` -> ``2010年3月28日``.

    ``2010-03`` -> ``2010年3月``; blank -> the empty ``年 月 日`` line; text that is not a date is
    written as it is.
    """
    parts = _iso_parts(value)
    if parts is None:
        text = value_text(value)
        return text if text.strip() else BLANK_SIGN_DATE
    year, month, day = parts
    out = f"{year}年"
    if month:
        out += f"{int(month)}月"
        if day:
            out += f"{int(day)}日"
    return out


def header_date_text(value: object) -> str:
    """A header date (出生年月, 入党时间) at its precision: ``1975-09`` -> ``1975.09``."""
    parts = _iso_parts(value)
    if parts is None:
        return value_text(value)
    return ".".join(p for p in parts if p)


def value_text(value: object) -> str:
    """A scalar as text (counts as digits); ``None`` and containers as ''."""
    if value is None or isinstance(value, bool | dict | list | tuple | set):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def text_lines(value: object) -> list[str]:
    """The paragraphs of a free text (``\\n`` separates them); [] when blank."""
    text = value_text(value).replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n") if text.strip() else []


def _field_text(field: Field, value: object) -> str:
    if field.value == "date":
        return header_date_text(value)
    return value_text(value)


# ------------------------------------------------------------------------------- document.xml


class _BookWriter:
    """Writes ``word/document.xml`` of one record on one form."""

    def __init__(self, form: FormSpec, record: Mapping[str, Any], fonts: RunFonts) -> None:
        self.form = form
        self.record = record
        self.plain = RunProps(fonts)
        self.underlined = RunProps(fonts, underline=True)
        self.w = wml.DocumentWriter()

    def get(self, path: str) -> Any:
        return get_field(self.record, path)  # type: ignore[arg-type]

    def para(self, props: ParaProps, *texts: str, end_section: wml.PageSetup | None = None) -> None:
        self.w.paragraph(props, [(t, self.plain) for t in texts if t], end_section=end_section)

    def build(self) -> bytes:
        self.cover()
        self.notes()
        self.table()
        self.para(ParaProps(style="TableEnd"))  # a body must not end with a table
        return self.w.finish(PAGE)

    # ---------------------------------------------------------------------- cover and 说明

    def cover(self) -> None:
        self.para(ParaProps(style="CoverTitle"), self.form.title)
        year = value_text(self.record.get("year")).strip()
        self.para(ParaProps(style="CoverYear"), f"（{year}年度）" if year else BLANK_YEAR)
        for field in self.form.cover_fields:
            value = value_text(self.get(field.path)).strip()
            self.w.paragraph(
                ParaProps(style="CoverLine"),
                [(field.label, self.plain), (value or BLANK_COVER_VALUE, self.underlined)],
            )
        self.para(ParaProps(style="CoverIssuer"), self.form.issuer)

    def notes(self) -> None:
        self.para(ParaProps(style="NotesTitle"), self.form.notes_title)
        last = len(self.form.notes)
        for i, note in enumerate(self.form.notes, 1):
            # the last note ends the first section: the table starts on a page of its own
            self.para(ParaProps(style="Note"), f"{i}、{note}", end_section=PAGE if i == last else None)

    # --------------------------------------------------------------------------- the table

    def table(self) -> None:
        with self.w.table(wml.TableProps(GRID, style="TableGrid")):
            for fields in self.form.header:
                self.header_row(fields)
            for section in self.form.sections:
                _SectionWriter(self, section).write()

    def header_row(self, fields: tuple[Field, ...]) -> None:
        with self.w.row(min_height=HEADER_ROW, cant_split=True):
            col = 0
            for field in fields:
                self.cell(col, field.label_span, _CELL_LABEL, field.label)
                col += field.label_span
                props = _CELL_LABEL if field.value_span < 4 else _CELL_LABEL_LEFT
                self.cell(col, field.value_span, props, _field_text(field, self.get(field.path)))
                col += field.value_span
        if col != GRID_COLUMNS:
            raise RenderError(f"表头行宽 {col} 列，应为 {GRID_COLUMNS} 列（forms.py 定义有误）")

    def cell(self, col: int, span: int, props: ParaProps, text: str = "") -> None:
        """A one-paragraph cell, centred vertically."""
        with self.w.cell(wml.grid_width(GRID, col, span), span=span, valign="center"):
            self.para(props, text)

    def text_paragraphs(self, value: object, min_lines: int) -> None:
        lines = text_lines(value)
        for line in lines:
            self.para(_CELL_TEXT, line)
        for _ in range(min_lines if not lines else 0):
            self.para(_CELL_TEXT)


class _SectionWriter:
    """The rows of one section: column 0 carries its label, merged down all its rows."""

    def __init__(self, book: _BookWriter, section: Section) -> None:
        self.book = book
        self.w = book.w
        self.section = section
        self.first = True

    @contextmanager
    def row(self, *, min_height: int | None = None, cant_split: bool = False) -> Iterator[None]:
        """A row of the section, its column-0 cell written (label or merge continuation)."""
        with self.w.row(min_height=min_height, cant_split=cant_split):
            if self.first:
                with self.w.cell(GRID[0], vmerge="restart", valign="center"):
                    for ch in self.section.label.replace(" ", ""):
                        self.book.para(_SECTION_LABEL, ch)
                self.first = False
            else:
                with self.w.cell(GRID[0], vmerge="continue"):
                    self.w.paragraph()
            yield

    def write(self) -> None:
        for block in self.section.blocks:
            if isinstance(block, TextBox):
                self.text_box(block)
            elif isinstance(block, SignRow):
                self.sign_row(block)
            elif isinstance(block, Evaluation):
                self.evaluation(block)
            elif isinstance(block, GradeRow):
                self.grade_row(block)

    def text_box(self, box: TextBox) -> None:
        book = self.book
        body_width = wml.grid_width(GRID, 1, BODY_SPAN)
        if not box.label_in_cell:
            with self.row(cant_split=True):
                book.cell(1, BODY_SPAN, _ROW_LABEL, box.label)
        with self.row(min_height=(box.min_lines + box.label_in_cell) * LINE):
            with self.w.cell(body_width, span=BODY_SPAN, valign="top"):
                if box.label_in_cell:
                    book.para(_BOX_LABEL, box.label)
                book.text_paragraphs(book.get(box.path), box.min_lines)

    def sign_row(self, row: SignRow) -> None:
        book = self.book
        n = len(row.signs)
        col = 1
        with self.row(cant_split=True):
            for i, sign in enumerate(row.signs):
                span = BODY_SPAN // n + (1 if i < BODY_SPAN % n else 0)
                with self.w.cell(wml.grid_width(GRID, col, span), span=span, valign="top"):
                    name = value_text(book.get(f"{sign.path}.name")).strip()
                    book.para(_SIGN_LINE, sign.label, name)
                    book.para(_CELL_TEXT)
                    book.para(_SIGN_DATE, sign_date_text(book.get(f"{sign.path}.date")))
                col += span

    def evaluation(self, ev: Evaluation) -> None:
        book = self.book
        if len(ev.columns) + 1 != BODY_SPAN:
            raise RenderError(f"评议栏应有 {BODY_SPAN - 1} 列，forms.py 定义了 {len(ev.columns)} 列")
        with self.row(cant_split=True):
            book.cell(1, BODY_SPAN, _ROW_LABEL, ev.label)
        with self.row(min_height=EVALUATION_ROW, cant_split=True):
            book.cell(1, 1, _ROW_LABEL, ev.first)
            for i, column in enumerate(ev.columns, 2):
                book.cell(i, 1, _ROW_LABEL, column.label)
        with self.row(min_height=EVALUATION_ROW, cant_split=True):
            book.cell(1, 1, _CELL_LABEL)
            for i, column in enumerate(ev.columns, 2):
                book.cell(i, 1, _CELL_LABEL, value_text(book.get(column.path)))

    def grade_row(self, grade: GradeRow) -> None:
        annual = self.book.record.get("annual")
        if not isinstance(annual, Mapping) or annual.get("grade") is None:
            return  # the 评议结果 row is printed only for records that carry a grade
        with self.row(min_height=EVALUATION_ROW, cant_split=True):
            self.book.cell(1, 1, _CELL_LABEL, grade.label)
            self.book.cell(2, BODY_SPAN - 1, _CELL_LABEL, value_text(annual.get("grade")))


# ---------------------------------------------------------------------------------- renderer


def _fonts_from_styles(styles_xml: bytes) -> RunFonts:
    """The document default fonts of ``styles.xml``: every run repeats them (WPS needs it)."""
    default = RunFonts("宋体", "宋体", "宋体", "Times New Roman")
    root = etree.fromstring(styles_xml, SAFE_PARSER)
    el = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    if el is None:
        return default
    east_asia = el.get(qn("w:eastAsia")) or default.east_asia
    latin = el.get(qn("w:ascii")) or default.ascii
    return RunFonts(latin, el.get(qn("w:hAnsi")) or latin, east_asia, el.get(qn("w:cs")) or default.cs)


def _timestamp() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class DocxRenderer:
    """Renders records to .docx bytes; the static parts are read and deflated once, at creation.

    ``template_dir`` defaults to ``templates/docx``; ``created`` fixes the core.xml dates (else
    ``SOURCE_DATE_EPOCH`` or the time of each render).
    """

    def __init__(
        self, template_dir: Path | None = None, *, created: dt.datetime | None = None, compresslevel: int = 3
    ) -> None:
        folder = template_dir if template_dir is not None else templates_dir() / "docx"
        parts = read_template_parts(folder)
        for name in ("word/styles.xml", "_rels/.rels", "word/_rels/document.xml.rels"):
            if name not in parts:
                raise RenderError(f"模板缺少部件 {name}", file=str(folder))
        for name in (DOCUMENT_PART, CORE_PART):
            parts.pop(name, None)  # always built per book
        self.fonts = _fonts_from_styles(parts["word/styles.xml"])
        self.created = created
        self.compresslevel = compresslevel
        self._skeleton = PackageSkeleton(parts)

    def render(self, record: Mapping[str, Any]) -> bytes:
        """The .docx bytes of one book; a record with empty boxes gives a blank book."""
        return self._skeleton.build(
            {DOCUMENT_PART: self.document_xml(record), CORE_PART: self.core_xml(record)},
            compresslevel=self.compresslevel,
        )

    def document_xml(self, record: Mapping[str, Any]) -> bytes:
        return _BookWriter(_form_of(record), record, self.fonts).build()

    def core_xml(self, record: Mapping[str, Any]) -> bytes:
        form = _form_of(record)
        year = value_text(record.get("year")).strip()
        subject = record.get("subject")
        name = value_text(subject.get("name")).strip() if isinstance(subject, Mapping) else ""
        parts = [KIND_NAMES[form.kind], f"{year}年度" if year else "", name]
        return core_xml(
            CoreProperties(
                title=form.title,
                subject=" ".join(p for p in parts if p),
                keywords=" ".join(p for p in (SCHEMA_ID, form.kind, year) if p),
                description="创先争优活动写实簿（cxzy-docs 生成；以表格内容为准）" + _export_mark(record),
                creator="cxzy-docs",
                created=self.created or _timestamp(),
            )
        )


def _form_of(record: Mapping[str, Any]) -> FormSpec:
    if not isinstance(record, Mapping):
        raise RenderError(f"记录应为 JSON 对象，实际为 {type(record).__name__}")
    try:
        return form_for(str(record.get("kind")))
    except ValueError as exc:
        raise RenderError(str(exc), where="字段 kind") from None


@cache
def _default_renderer() -> DocxRenderer:
    return DocxRenderer()


def _export_mark(record: Mapping[str, Any]) -> str:
    """A book exported from a store names the store, the book and its version (a corrected copy comes
    back as a new version of that book: :mod:`cxzy_docs.read.marker`)."""
    mark = record.get("exported_from")
    if not isinstance(mark, Mapping):
        return ""
    return " " + mark_text(
        str(mark.get("store") or ""), int(mark.get("book") or 0), int(mark.get("version") or 0)
    )


def render_docx(record: dict[str, Any]) -> bytes:
    """One book as .docx bytes, blank or filled (a blank book is a record with empty boxes)."""
    return _default_renderer().render(record)
