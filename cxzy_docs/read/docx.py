"""DOCX -> Grid: a zipfile + lxml walk of the main document part (tables, merges, free lines)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from lxml import etree

from cxzy_docs.errors import ReadError
from cxzy_docs.read.grid import Cell, Grid, Line
from cxzy_docs.read.safezip import SafeZip, open_zip
from cxzy_docs.read.settings import ReadSettings

W_TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = ("/officeDocument",)
_DEFAULT_MAIN = "word/document.xml"
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


class _Tags:
    """Clark-notation tag names of one WordprocessingML namespace (transitional or strict)."""

    def __init__(self, ns: str) -> None:
        def w(name: str) -> str:
            return f"{{{ns}}}{name}"

        self.val = w("val")
        self.body, self.p, self.r, self.t, self.tbl, self.tr, self.tc = (
            w(n) for n in ("body", "p", "r", "t", "tbl", "tr", "tc")
        )
        self.tab, self.ptab, self.br, self.cr = w("tab"), w("ptab"), w("br"), w("cr")
        self.rPr, self.trPr, self.tcPr = w("rPr"), w("trPr"), w("tcPr")
        self.vanish, self.gridSpan, self.gridBefore = w("vanish"), w("gridSpan"), w("gridBefore")
        self.vMerge, self.hMerge = w("vMerge"), w("hMerge")
        self.sdt, self.sdtPr, self.sdtContent, self.showingPlcHdr = (
            w("sdt"),
            w("sdtPr"),
            w("sdtContent"),
            w("showingPlcHdr"),
        )
        self.delete, self.moveFrom, self.ins = w("del"), w("moveFrom"), w("ins")
        self.fldChar, self.fldCharType = w("fldChar"), w("fldCharType")
        self.noBreakHyphen = w("noBreakHyphen")
        self.drawing, self.pict, self.object = w("drawing"), w("pict"), w("object")
        self.txbxContent = w("txbxContent")
        self.ruby, self.rubyBase = w("ruby"), w("rubyBase")
        self.alt = f"{{{MC}}}AlternateContent"
        self.choice, self.fallback = f"{{{MC}}}Choice", f"{{{MC}}}Fallback"
        # Inline wrappers whose content is shown as ordinary text.
        self.inline_wrappers = frozenset(
            w(n)
            for n in (
                "ins",
                "hyperlink",
                "smartTag",
                "customXml",
                "fldSimple",
                "moveTo",
                "dir",
                "bdo",
                "sdtContent",
            )
        )
        self.block_wrappers = frozenset(w(n) for n in ("customXml", "sdtContent"))
        self.row_wrappers = frozenset(w(n) for n in ("customXml", "sdtContent"))


_TAGS = {ns: _Tags(ns) for ns in (W_TRANSITIONAL, W_STRICT)}


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class _Walker:
    """Walks ``w:body`` once, collecting cells and free lines in document order."""

    def __init__(
        self, tags: _Tags, max_chars: int = 32767, max_depth: int = 32, max_area: int = 128_000
    ) -> None:
        self.t = tags
        self.max_area = max_area  # grid positions the merged cells of one table may cover (hostile spans)
        self.max_chars = max_chars  # characters kept of one paragraph or cell (hostile input)
        self.max_depth = max_depth  # tables nested in tables (or text boxes) this deep at most
        self.depth = 0
        self.cut = 0  # paragraphs or cells cut to max_chars
        self.cells: list[Cell] = []
        self.lines: list[Line] = []
        self.tables = 0
        self.cell_stack: list[tuple[int, int, int]] = []  # (table, row, col) of the cells being read
        self.after_table: int | None = None
        self.lines_since_table = 0
        self.code_depth = 0  # > 0 while inside a field's instruction (begin..separate)
        self.fields: list[bool] = []  # stack: True while the field is in its instruction part
        self.tracked = False
        self.placeholders = 0

    # ------------------------------------------------------------------------------ containers

    def _branch(self, alt: etree._Element) -> etree._Element | None:
        """One branch of mc:AlternateContent: the first Choice, or the Fallback."""
        for ch in alt:
            if ch.tag == self.t.choice or ch.tag == self.t.fallback:
                return ch
        return None

    def _sdt_content(self, sdt: etree._Element) -> etree._Element | None:
        """The content of a content control, or None when it only shows its placeholder text."""
        t = self.t
        content = None
        for ch in sdt:
            if ch.tag == t.sdtPr:
                if ch.find(t.showingPlcHdr) is not None:
                    self.placeholders += 1
                    return None
            elif ch.tag == t.sdtContent:
                content = ch
        return content

    def _blocks(self, parent: etree._Element) -> list[etree._Element]:
        """The paragraphs and tables of a block container, through content controls and wrappers."""
        t = self.t
        out: list[etree._Element] = []
        for ch in parent:
            tag = ch.tag
            if tag == t.p or tag == t.tbl:
                out.append(ch)
            elif tag == t.sdt:
                content = self._sdt_content(ch)
                if content is not None:
                    out.extend(self._blocks(content))
            elif tag in t.block_wrappers:
                out.extend(self._blocks(ch))
            elif tag == t.alt:
                branch = self._branch(ch)
                if branch is not None:
                    out.extend(self._blocks(branch))
        return out

    # ---------------------------------------------------------------------------------- text

    def paragraph(self, p: etree._Element) -> tuple[str, list[str]]:
        """The paragraph's text, and the texts of the text boxes anchored in it."""
        out: list[str] = []
        boxes: list[str] = []
        self._inline(p, out, boxes)
        text = self._cap("".join(out))
        if _PRIVATE_USE.search(text):
            text = _PRIVATE_USE.sub("", text)  # symbol-font glyphs (w:sym saved as text), not writing
        return text, boxes

    def _cap(self, text: str) -> str:
        if len(text) > self.max_chars:
            self.cut += 1
            return text[: self.max_chars]
        return text

    def _inline(self, el: etree._Element, out: list[str], boxes: list[str]) -> None:
        t = self.t
        for ch in el:
            tag = ch.tag
            if tag == t.r:
                self._run(ch, out, boxes)
            elif tag in t.inline_wrappers:
                if tag == t.ins:
                    self.tracked = True
                self._inline(ch, out, boxes)
            elif tag == t.sdt:
                content = self._sdt_content(ch)
                if content is not None:
                    self._inline(content, out, boxes)
            elif tag == t.alt:
                branch = self._branch(ch)
                if branch is not None:
                    self._inline(branch, out, boxes)
            elif tag == t.delete or tag == t.moveFrom:
                self.tracked = True  # deleted text is not part of the document
            elif tag == t.ruby:
                base = ch.find(t.rubyBase)
                if base is not None:
                    self._inline(base, out, boxes)

    def _run(self, r: etree._Element, out: list[str], boxes: list[str]) -> None:
        t = self.t
        hidden = False  # hidden text (w:vanish) is not printed; its field characters still count
        for ch in r:
            tag = ch.tag
            if tag == t.t:
                if not self.code_depth and not hidden and ch.text:
                    out.append(ch.text)
            elif tag == t.rPr:
                vanish = ch.find(t.vanish)
                hidden = vanish is not None and vanish.get(t.val) not in ("0", "false", "off")
            elif tag == t.tab or tag == t.ptab:
                if not self.code_depth and not hidden:
                    out.append(" ")
            elif tag == t.br or tag == t.cr:
                if not self.code_depth and not hidden:
                    out.append("\n")
            elif tag == t.fldChar:
                self._field_char(ch.get(t.fldCharType))
            elif tag == t.noBreakHyphen:
                out.append("-")
            elif tag == t.drawing or tag == t.pict or tag == t.object:
                self._find_boxes(ch, boxes)
            elif tag == t.alt:
                branch = self._branch(ch)
                if branch is not None:
                    self._run(branch, out, boxes)
            elif tag == t.ruby:
                base = ch.find(t.rubyBase)
                if base is not None:
                    self._inline(base, out, boxes)

    def _field_char(self, kind: str | None) -> None:
        """Complex fields: keep the result (separate..end), drop the instruction (begin..separate)."""
        if kind == "begin":
            self.fields.append(True)
            self.code_depth += 1
        elif kind == "separate" and self.fields and self.fields[-1]:
            self.fields[-1] = False
            self.code_depth -= 1
        elif kind == "end" and self.fields:
            if self.fields.pop():
                self.code_depth -= 1

    def _find_boxes(self, el: etree._Element, boxes: list[str]) -> None:
        """Texts of the text boxes inside a drawing (outermost boxes only; one AlternateContent branch)."""
        t = self.t
        for ch in el:
            tag = ch.tag
            if tag == t.txbxContent:
                boxes.append(self._box_text(ch))
            elif tag == t.alt:
                branch = self._branch(ch)
                if branch is not None:
                    self._find_boxes(branch, boxes)
            elif isinstance(tag, str):
                self._find_boxes(ch, boxes)

    def _box_text(self, content: etree._Element) -> str:
        saved = self.fields, self.code_depth
        self.fields, self.code_depth = [], 0
        parts: list[str] = []
        for block in self._blocks(content):
            paras = [block] if block.tag == self.t.p else list(block.iter(self.t.p))
            for p in paras:
                text, boxes = self.paragraph(p)
                parts.append(text)
                parts.extend(boxes)
        self.fields, self.code_depth = saved
        return "\n".join(parts)

    # -------------------------------------------------------------------------------- tables

    def _rows(self, tbl: etree._Element) -> list[etree._Element]:
        t = self.t
        out: list[etree._Element] = []
        for ch in tbl:
            tag = ch.tag
            if tag == t.tr:
                out.append(ch)
            elif tag == t.sdt:
                content = self._sdt_content(ch)
                if content is not None:
                    out.extend(self._rows(content))
            elif tag in t.row_wrappers:
                out.extend(self._rows(ch))
        return out

    def _row_cells(self, tr: etree._Element) -> list[etree._Element]:
        t = self.t
        out: list[etree._Element] = []
        for ch in tr:
            tag = ch.tag
            if tag == t.tc:
                out.append(ch)
            elif tag == t.sdt:
                content = self._sdt_content(ch)
                if content is not None:
                    out.extend(self._row_cells(content))
            elif tag in t.row_wrappers:
                out.extend(self._row_cells(ch))
        return out

    def _cell_text(self, tc: etree._Element) -> str:
        parts: list[str] = []
        for block in self._blocks(tc):
            if block.tag == self.t.p:
                text, boxes = self.paragraph(block)
                parts.append(text)
                parts.extend(boxes)
            else:
                self.table(block)  # a nested table is a table of its own, not text of this cell
        return self._cap("\n".join(parts))

    def table(self, tbl: etree._Element) -> int:
        if self.depth >= self.max_depth:
            raise ReadError(f"表格嵌套超过 {self.max_depth} 层（设置项 max_nesting_depth），不像写实簿")
        self.depth += 1
        try:
            return self._table(tbl)
        finally:
            self.depth -= 1

    def _table(self, tbl: etree._Element) -> int:
        t = self.t
        idx = self.tables
        self.tables += 1
        parent = self.cell_stack[-1] if self.cell_stack else None  # set when this table is nested
        first = len(self.cells)
        open_merges: dict[int, Cell] = {}
        row = 0
        for tr in self._rows(tbl):
            col = 0
            tr_pr = tr.find(t.trPr)
            if tr_pr is not None:
                if tr_pr.find(t.delete) is not None:
                    self.tracked = True
                    continue  # a deleted row (tracked change)
                before = tr_pr.find(t.gridBefore)
                if before is not None:
                    col = max(0, _int(before.get(t.val), 0))
            continued: set[int] = set()
            previous: Cell | None = None
            for tc in self._row_cells(tr):
                span, vmerge, hmerge = 1, None, None
                tc_pr = tc.find(t.tcPr)
                if tc_pr is not None:
                    el = tc_pr.find(t.gridSpan)
                    if el is not None:
                        span = max(1, min(_int(el.get(t.val), 1), 1000))
                    el = tc_pr.find(t.vMerge)
                    if el is not None:
                        vmerge = el.get(t.val) or "continue"
                    el = tc_pr.find(t.hMerge)
                    if el is not None:
                        hmerge = el.get(t.val) or "continue"
                self.cell_stack.append((idx, row, col))
                text = self._cell_text(tc)
                self.cell_stack.pop()
                above = open_merges.get(col) if vmerge == "continue" else None
                if above is not None:
                    above.rowspan = row - above.row + 1
                    if text.strip():
                        above.text = f"{above.text}\n{text}" if above.text else text
                    continued.add(col)
                    cell = above
                elif hmerge == "continue" and previous is not None and previous.row == row:
                    previous.colspan += span
                    if text.strip():
                        previous.text = f"{previous.text}\n{text}" if previous.text else text
                    cell = previous
                else:
                    cell = Cell(
                        text=text,
                        table=idx,
                        row=row,
                        col=col,
                        colspan=span,
                        where=f"表{idx + 1} 第{row + 1}行第{col + 1}列",
                        parent=parent,
                    )
                    self.cells.append(cell)
                    if vmerge == "restart":
                        open_merges[col] = cell
                        continued.add(col)
                previous = cell
                col += span
            open_merges = {c: cell for c, cell in open_merges.items() if c in continued}
            row += 1
        self._check_area(idx, first)
        return idx

    def _check_area(self, idx: int, first: int) -> None:
        """Refuse a table whose cells, spans included, cover more grid positions than a sheet may
        (spans of 1,000 columns in merges that never close: a 14 KB file indexed cell by cell)."""
        area = 0
        for cell in self.cells[first:]:
            if cell.table == idx:
                area += min(cell.rowspan, 200) * min(cell.colspan, 200)
                if area > self.max_area:
                    raise ReadError(
                        f"表{idx + 1}的合并单元格覆盖超过 {self.max_area} 格（设置项 sheet_max_rows×sheet_max_cols），"
                        "不像写实簿，拒绝读取"
                    )

    # ---------------------------------------------------------------------------------- body

    def _line(self, text: str) -> None:
        if not text.strip():
            return
        self.lines_since_table += 1
        n = self.lines_since_table
        where = f"正文第{n}段" if self.after_table is None else f"表{self.after_table + 1}之后第{n}段"
        self.lines.append(Line(text=text, index=len(self.lines), where=where, after_table=self.after_table))

    def body(self, body: etree._Element) -> None:
        for block in self._blocks(body):
            if block.tag == self.t.p:
                text, boxes = self.paragraph(block)
                self._line(text)
                for box in boxes:
                    for part in box.split("\n"):
                        self._line(part)
            else:
                self.after_table = self.table(block)
                self.lines_since_table = 0


def _main_part(z: SafeZip) -> str:
    """The main document part named by the package relationships (``word/document.xml`` usually)."""
    if z.has("_rels/.rels"):
        rels = z.read_xml("_rels/.rels")
        for rel in rels:
            if not isinstance(rel.tag, str) or not rel.tag.endswith("Relationship"):
                continue
            if (rel.get("Type") or "").endswith(_OFFICE_DOCUMENT) and rel.get("TargetMode") != "External":
                target = posixpath.normpath((rel.get("Target") or "").lstrip("/"))
                if z.has(target):
                    return target
    if z.has(_DEFAULT_MAIN):
        return _DEFAULT_MAIN
    raise ReadError("压缩包中没有 Word 正文（word/document.xml），不是 DOCX 文件", file=z.file)


def grid_from_document(
    root: etree._Element, source: str, settings: dict[str, Any] | ReadSettings | None = None
) -> Grid:
    """The grid of a parsed ``w:document`` element."""
    s = ReadSettings.resolve(settings)
    ns = root.tag[1:].split("}")[0] if isinstance(root.tag, str) and root.tag.startswith("{") else ""
    tags = _TAGS.get(ns)
    if tags is None or root.tag != f"{{{ns}}}document":
        raise ReadError("正文部件不是 Word 文档（根元素不是 w:document）", file=source)
    body = root.find(tags.body)
    if body is None:
        raise ReadError("Word 文档缺少正文（w:body）", file=source)
    walker = _Walker(tags, s.max_cell_chars, s.max_nesting_depth, s.sheet_max_rows * s.sheet_max_cols)
    try:
        walker.body(body)
    except ReadError as exc:
        raise ReadError(exc.detail, file=source) from None
    grid = Grid(source=source, format="docx", cells=walker.cells, lines=walker.lines)
    if walker.tracked:
        grid.warnings.append("文档含有未处理的修订标记，已按“接受全部修订”读取（删除的文字不计入）")
    if walker.cut:
        grid.warnings.append(
            f"有 {walker.cut} 段文字超过 {s.max_cell_chars} 字，超出部分未读取（设置项 max_cell_chars）"
        )
    if walker.placeholders:
        grid.warnings.append(f"有 {walker.placeholders} 个内容控件只显示占位提示文字，按空白处理")
    return grid


def _read(source: str | Path | bytes, name: str, settings: dict[str, Any] | ReadSettings | None) -> Grid:
    with open_zip(source, file=name, what="DOCX", settings=settings) as z:
        part = _main_part(z)
        root = z.read_xml(part)
    return grid_from_document(root, name, settings)


def read_docx(path: str | Path, *, settings: dict[str, Any] | ReadSettings | None = None) -> Grid:
    """Read a .docx file into a :class:`Grid`; raises :class:`ReadError` (Chinese, naming the file)."""
    return _read(Path(path), str(path), settings)


def read_docx_bytes(
    data: bytes, source: str = "（内存数据）", *, settings: dict[str, Any] | ReadSettings | None = None
) -> Grid:
    """Read .docx content given as bytes; ``source`` names it in the grid and in messages."""
    return _read(data, source, settings)
