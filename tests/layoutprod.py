"""Render ``layoutgen`` documents through every producer available here, read them back, score them.

Producers: our own writer (``ours-docx``, ``ours-pdf``, ``ours-xlsx``, and ``ours-binder``: the
``cxzy fill --combined`` 合订本 PDF), python-docx (``python-docx``), LibreOffice from HTML
(``lo-docx``, ``lo-doc``, ``lo-pdf``; one soffice call per target format for a whole batch) and
openpyxl (``openpyxl``). Our writer has one layout of its own (tag ``table=ours``); the others
render any layout of ``layoutgen``. Scoring follows ``tests/data/forms-dev/README.md`` (``gold.py``):
kind, year and every leaf of the form, texts compared without white space.
"""

from __future__ import annotations

import html
import json
import random
import shutil
import subprocess
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gold import field_accuracy
from layoutgen import (
    Block,
    Cell,
    Layout,
    Para,
    Table,
    blank_out,
    build_document,
    choose_layout,
    make_file_records,
)

OURS = ("ours-docx", "ours-pdf", "ours-xlsx", "ours-binder")
LIBREOFFICE = ("lo-docx", "lo-doc", "lo-pdf")
# python-docx files saved again by LibreOffice (as an office re-saves a Word file): Word 97 .doc, PDF
RESAVED = ("pd-lo-doc", "pd-lo-pdf")
# PDFs made without LibreOffice: reportlab's platypus tables, headless Chromium printing the HTML
OTHER_PDF = ("rl-pdf", "chrome-pdf")
PRODUCERS = (*OURS, "python-docx", *LIBREOFFICE, "openpyxl", *RESAVED, *OTHER_PDF)
# how often each producer is drawn (LibreOffice is slow; our own books are the known ground)
WEIGHTS = {
    "ours-docx": 1,
    "ours-pdf": 1,
    "ours-xlsx": 1,
    "ours-binder": 1,
    "python-docx": 4,
    "lo-docx": 3,
    "lo-doc": 2,
    "lo-pdf": 3,
    "openpyxl": 3,
    "pd-lo-doc": 2,
    "pd-lo-pdf": 2,
    "rl-pdf": 3,
    "chrome-pdf": 2,
}
PRINTED = {"pd-lo-pdf", "rl-pdf", "chrome-pdf"}  # producers that draw a PrintStyle
MULTI = {
    "python-docx",
    "lo-docx",
    "lo-doc",
    "lo-pdf",
    "openpyxl",
    *RESAVED,
    *OTHER_PDF,
}  # can hold several books in one file
NO_NESTED: set[str] = set()  # openpyxl: nested tables become rows of the sheet (expand_nested)


@dataclass
class Case:
    """One generated file: its producer, the books in it (gold records) and the layout they share."""

    name: str
    producer: str
    records: list[dict[str, Any]]
    tags: list[str]
    path: Path | None = None
    sheets: bool = False  # openpyxl: one book per sheet (else stacked in one sheet)

    @property
    def suffix(self) -> str:
        if self.producer in ("ours-docx", "python-docx", "lo-docx"):
            return ".docx"
        if self.producer in ("lo-doc", "pd-lo-doc"):
            return ".doc"
        if self.producer in ("ours-xlsx", "openpyxl"):
            return ".xlsx"
        return ".pdf"


def plan(seed: int, books: int, producers: Iterable[str] = PRODUCERS) -> list[Case]:
    """Files holding ``books`` books in all (at least), drawn from ``seed``: same seed, same files."""
    rng = random.Random(seed)
    allowed = [p for p in PRODUCERS if p in set(producers)]
    weights = [WEIGHTS[p] for p in allowed]
    cases: list[Case] = []
    total = 0
    while total < books:
        producer = rng.choices(allowed, weights)[0]
        if producer == "ours-binder":
            n = rng.randint(2, 4)
        elif producer in MULTI and rng.random() < 0.25:
            n = rng.randint(2, 3)
        else:
            n = 1
        records = make_file_records(rng, n)
        if producer in OURS:
            lay = None
            tags = ["table=ours"]
        else:
            tables = tuple(
                t
                for t in ("government", "retyped", "split", "nested", "flattened", "run-together", "pasted")
                if not (producer in NO_NESTED and t == "nested")
            )
            lay = choose_layout(rng, tables)
            if lay.cover == "none" and rng.random() < 0.5:
                for rec in records:
                    rec["year"] = None  # no cover and no title line: the book does not say its year
            if lay.blanks == "blanks":
                blanks = random.Random(rng.random())
                for rec in records:
                    blank_out(rec, blanks, lay.cover)
            tags = lay.tags()
        tags.append(f"books={'1' if n == 1 else '2+'}")
        name = f"s{seed}-{len(cases):04d}"
        if producer in PRINTED:
            tags += print_style(name, producer).tags()
        case = Case(name, producer, records, tags, sheets=rng.random() < 0.5)
        case.layout = lay  # type: ignore[attr-defined]
        cases.append(case)
        total += n
    return cases


# ----------------------------------------------------------------------------------- documents


def documents(case: Case) -> list[list[Block]]:
    lay: Layout = case.layout  # type: ignore[attr-defined]
    out = []
    for i, rec in enumerate(case.records):
        book_lay = Layout(**{**lay.__dict__, "rng": random.Random(f"{case.name}/{i}")})
        out.append(build_document(rec, book_lay))
    return out


def _grid_positions(table: Table) -> list[list[tuple[int, int, Cell]]]:
    """(row, col, cell) of every cell, columns counted past the cells that rows above span into."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(table.rows):
        col = 0
        placed = []
        for cell in row:
            while (r, col) in taken:
                col += 1
            placed.append((r, col, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, col + dc))
            col += cell.colspan
        out.append(placed)
    return out


# ----------------------------------------------------------------------------------- python-docx


_DOCX_FONTS = {"uming": "宋体", "ukai": "楷体_GB2312", "wqy": "黑体", "noto": "宋体"}


def render_python_docx(docs: list[list[Block]], printed: PrintStyle | None = None) -> bytes:
    """The documents as python-docx makes them; ``printed`` (for a DOCX that LibreOffice prints to
    PDF) sets the face, the cells' alignment, narrow columns and landscape pages."""
    import io

    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = docx.Document()
    style = d.styles["Normal"]
    style.font.size = Pt(10.5)
    face = _DOCX_FONTS[printed.font] if printed else "宋体"
    style.font.name = face
    style.element.rPr.rFonts.set(qn("w:eastAsia"), face)
    if printed and printed.landscape:
        sec = d.sections[0]
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    first = True
    for blocks in docs:
        for block in blocks:
            if isinstance(block, Para):
                p = d.add_paragraph(block.text)
                if block.align == "center":
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                if block.page_break and not first:
                    p.paragraph_format.page_break_before = True
            else:
                _docx_table(d, block, printed)
            first = False
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _docx_table(parent: Any, table: Table, printed: PrintStyle | None = None) -> None:
    placed = _grid_positions(table)
    nrows = len(table.rows)
    t = parent.add_table(rows=nrows, cols=table.ncols)
    t.style = "Table Grid"
    grid = [list(row.cells) for row in t.rows]
    for row in placed:
        for r, c, cell in row:
            target = grid[r][c]
            if cell.rowspan > 1 or cell.colspan > 1:
                r1 = min(r + cell.rowspan - 1, nrows - 1)
                c1 = min(c + cell.colspan - 1, table.ncols - 1)
                target = target.merge(grid[r1][c1])
            if isinstance(cell.content, Table):
                _docx_table(target, cell.content, printed)
                continue
            lines = str(cell.content).split("\n")
            target.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                target.add_paragraph(line)
            if printed and printed.align != "left":
                from docx.enum.text import WD_ALIGN_PARAGRAPH

                how = WD_ALIGN_PARAGRAPH.CENTER if printed.align == "center" else WD_ALIGN_PARAGRAPH.JUSTIFY
                for para in target.paragraphs:
                    para.alignment = how
    if printed and printed.narrow:
        from docx.shared import Cm

        t.autofit = False
        total = sum(table.widths)
        for col, w in zip(t.columns, table.widths, strict=False):
            for c in col.cells:
                c.width = Cm(10.5 * w / total)


# -------------------------------------------------------------------------------------- HTML

_CSS = (
    "body{font-family:'SimSun','宋体',serif;font-size:10.5pt}"
    "table{border-collapse:collapse}td{border:1px solid #000;vertical-align:top;padding:2px}"
    "td.narrow{font-size:10.5pt;line-height:80%}"
)


def render_html(docs: list[list[Block]], narrow: bool = False, css: str = "") -> str:
    out = [
        "<html><head><meta charset='utf-8'><title>写实簿</title>",
        f"<style>{_CSS}{css}</style></head><body>",
    ]
    first = True
    for blocks in docs:
        for block in blocks:
            if isinstance(block, Para):
                attrs = []
                if block.align == "center":
                    attrs.append("align=center")
                if block.page_break and not first:
                    attrs.append("style='page-break-before:always'")
                text = _esc(block.text) or "&nbsp;"
                if block.bold:
                    text = f"<b>{text}</b>"
                out.append(f"<p {' '.join(attrs)}>{text}</p>")
            else:
                out.append(_html_table(block, narrow))
            first = False
    out.append("</body></html>")
    return "".join(out)


def _esc(text: str) -> str:
    # runs of spaces survive as non-breaking spaces (a spaced-out label, blanks of 年  月  日)
    escaped = html.escape(text)
    while "  " in escaped:
        escaped = escaped.replace("  ", " &nbsp;")
    return escaped.replace("\n", "<br>")


def _html_table(table: Table, narrow: bool) -> str:
    total = sum(table.widths)
    cols = "".join(f"<col width='{w / total * 100:.0f}%'>" for w in table.widths)
    rows = []
    for row in table.rows:
        cells = []
        for cell in row:
            attrs = ""
            if cell.colspan > 1:
                attrs += f" colspan={cell.colspan}"
            if cell.rowspan > 1:
                attrs += f" rowspan={cell.rowspan}"
            if isinstance(cell.content, Table):
                inner = _html_table(cell.content, narrow)
            else:
                inner = _esc(str(cell.content)) or "&nbsp;"
                if narrow and str(cell.content).startswith("参加"):
                    attrs += " class=narrow"
            cells.append(f"<td{attrs}>{inner}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table width='100%' cellspacing=0 border=1>{cols}{''.join(rows)}</table>"


LO_FILTERS = {
    "lo-docx": "docx:MS Word 2007 XML",
    "lo-doc": "doc:MS Word 97",
    "lo-pdf": "pdf:writer_web_pdf_Export",
    "pd-lo-doc": "doc:MS Word 97",
    "pd-lo-pdf": "pdf:writer_pdf_Export",
}
_LO_EXT = {"lo-docx": ".docx", "lo-doc": ".doc", "lo-pdf": ".pdf", "pd-lo-doc": ".doc", "pd-lo-pdf": ".pdf"}


def libreoffice_batch(html_files: list[Path], target: str, outdir: Path, chunk: int = 40) -> list[Path]:
    """Convert many HTML (or DOCX) files with one soffice call per ``chunk`` files (start-up costs seconds).

    A call that hangs is ended (its whole process group) and its files are tried one by one; the
    files LibreOffice cannot make at all are returned (they are left out of the measurement, and said so).
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    failed: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="layoutgen-lo-") as profile:
        for i in range(0, len(html_files), chunk):
            part = html_files[i : i + chunk]
            if _soffice(soffice, profile, target, part, outdir, 60 + 15 * len(part)):
                continue
            for one in part:  # the batch hung: each file on its own, so one bad file costs only itself
                if not _made(one, target, outdir) and not _soffice(
                    soffice, profile, target, [one], outdir, 90
                ):
                    failed.append(one)
    return failed


def _made(html_file: Path, target: str, outdir: Path) -> bool:
    ext = _LO_EXT[target]
    out = outdir / (html_file.stem + ext)
    return out.exists() and out.stat().st_size > 0


def _soffice(program: str, profile: str, target: str, files: list[Path], outdir: Path, timeout: int) -> bool:
    """One soffice call in a process group of its own; False when it did not end in time (group killed)."""
    import os
    import signal

    proc = subprocess.Popen(
        [
            program,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            LO_FILTERS[target],
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        proc.wait(timeout=timeout)
        return True
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return False


# ----------------------------------------------------------------------- how a PDF is printed


@dataclass
class PrintStyle:
    """How a producer that prints (reportlab, Chromium, LibreOffice from DOCX) sets the page.

    ``font``: the CJK face (``uming`` Song, ``ukai`` Kai, ``wqy`` Hei, ``noto`` Noto Sans CJK for
    Chromium only); ``align``: cell text ``left``, ``center`` or ``justify``; ``narrow``: columns
    squeezed so that labels, names and dates wrap inside their cells; ``landscape`` pages;
    ``spacing``: letters set apart (Chromium's letter-spacing; reportlab: a space typed after every
    character of a short line, as people space out names and dates).
    """

    font: str = "uming"
    align: str = "left"
    narrow: bool = False
    landscape: bool = False
    spacing: bool = False

    def tags(self) -> list[str]:
        return [
            f"print-font={self.font}",
            f"print-align={self.align}",
            f"print-cells={'narrow' if self.narrow else 'normal'}",
            f"print-page={'landscape' if self.landscape else 'portrait'}",
            f"print-spacing={'spaced' if self.spacing else 'none'}",
        ]


def print_style(name: str, producer: str) -> PrintStyle:
    """The case's print style, drawn from its own seed (the plan's draws stay as they were)."""
    rng = random.Random(f"{name}/print")
    fonts = ("uming", "ukai", "wqy", "noto") if producer == "chrome-pdf" else ("uming", "ukai", "wqy")
    return PrintStyle(
        font=rng.choice(fonts),
        align=rng.choice(("left", "center", "justify")),
        narrow=rng.random() < 0.4,
        landscape=rng.random() < 0.2,
        spacing=producer != "pd-lo-pdf" and rng.random() < 0.2,
    )


# ------------------------------------------------------------------------------------ reportlab

_RL_FONTS = {
    "uming": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    "ukai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    "wqy": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
}


def _rl_font(name: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    face = f"LG-{name}"
    if face not in pdfmetrics.getRegisteredFontNames():
        path, index = _RL_FONTS[name]
        pdfmetrics.registerFont(TTFont(face, path, subfontIndex=index))
    return face


def render_reportlab(docs: list[list[Block]], style: PrintStyle) -> bytes:
    """The documents as reportlab platypus flowables: paragraphs and (nested) tables with spans and a
    grid, CJK wrapping, in the style's face, alignment, column squeeze and page orientation."""
    import io

    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    face = _rl_font(style.font)
    size = 10.5
    align = {"left": TA_LEFT, "center": TA_CENTER, "justify": TA_JUSTIFY}[style.align]
    body = ParagraphStyle("b", fontName=face, fontSize=size, leading=size * 1.4, wordWrap="CJK")
    cell = ParagraphStyle("c", parent=body, alignment=align)
    centred = ParagraphStyle("t", parent=body, alignment=TA_CENTER)
    page = landscape(A4) if style.landscape else A4
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=page, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=18 * mm
    )
    width = doc.width * (0.62 if style.narrow else 1.0)

    def para(text: str, st: ParagraphStyle) -> Paragraph:
        if style.spacing:  # short lines typed with a space after every character (名 字, 2 0 1 0 年)
            text = "\n".join(" ".join(line) if len(line) <= 12 else line for line in text.split("\n"))
        esc = html.escape(text).replace("\n", "<br/>")
        return Paragraph(esc or "&nbsp;", st)

    story: list[Any] = []
    first = True
    for blocks in docs:
        for block in blocks:
            if isinstance(block, Para):
                if block.page_break and not first:
                    story.append(PageBreak())
                story.append(para(block.text, centred if block.align == "center" else body))
            else:
                story.append(_rl_table(block, width, lambda t: para(t, cell)))
            first = False
    doc.build(story)
    return buf.getvalue()


def _rl_table(table: Table, width: float, para: Callable[[str], Any]) -> Any:
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    total = sum(table.widths)
    widths = [width * w / total for w in table.widths]
    data: list[list[Any]] = [["" for _ in range(table.ncols)] for _ in table.rows]
    cmds: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.6, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for placed in _grid_positions(table):
        for r, c, cell in placed:
            if c >= table.ncols:
                continue
            c1 = min(c + cell.colspan - 1, table.ncols - 1)
            r1 = min(r + cell.rowspan - 1, len(table.rows) - 1)
            if isinstance(cell.content, Table):
                inner_w = sum(widths[c : c1 + 1]) - 6
                data[r][c] = _rl_table(cell.content, inner_w, para)
                cmds.append(("LEFTPADDING", (c, r), (c, r), 0))
                cmds.append(("RIGHTPADDING", (c, r), (c, r), 0))
            else:
                data[r][c] = para(str(cell.content))
            if c1 > c or r1 > r:
                cmds.append(("SPAN", (c, r), (c1, r1)))
    return RLTable(data, colWidths=widths, style=TableStyle(cmds), splitByRow=1, repeatRows=0)


# ------------------------------------------------------------------------------------ chromium

_CSS_FONTS = {
    "uming": "'AR PL UMing CN'",
    "ukai": "'AR PL UKai CN'",
    "wqy": "'WenQuanYi Zen Hei'",
    "noto": "'Noto Sans CJK SC'",
}


def chromium_css(style: PrintStyle) -> str:
    page = "A4 landscape" if style.landscape else "A4"
    css = (
        f"@page{{size:{page};margin:18mm 20mm}}"
        f"body{{font-family:{_CSS_FONTS[style.font]},serif;font-size:10.5pt}}"
        f"td{{text-align:{style.align}}}"
    )
    if style.narrow:
        css += "table{width:62%!important}"
    if style.spacing:
        css += "td,p{letter-spacing:0.25em}"
    return css


def chromium_program() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def chromium_batch(html_files: list[Path], outdir: Path, timeout: int = 60) -> list[Path]:
    """Each HTML file printed to PDF by headless Chromium (two at a time); the files it could not print."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    program = chromium_program()
    if program is None:
        raise RuntimeError("Chromium is not installed")

    def one(src: Path) -> Path | None:
        out = outdir / (src.stem + ".pdf")
        with tempfile.TemporaryDirectory(prefix="layoutgen-chrome-") as profile:
            cmd = [
                program,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={out}",
                src.resolve().as_uri(),
            ]
            proc = subprocess.Popen(
                cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
            )
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                import signal

                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        return None if out.exists() and out.stat().st_size > 0 else src

    with ThreadPoolExecutor(2) as pool:
        return [f for f in pool.map(one, html_files) if f is not None]


# ------------------------------------------------------------------------------------ openpyxl


def expand_nested(table: Table) -> Table:
    """A table with its nested tables' rows as rows of its own (a sheet cannot nest a table in a cell):
    the row holding a nested table becomes as many rows, the cells beside it (and above it, spanning
    into it) spanning them all."""
    inner_of = [next((c for c in row if isinstance(c.content, Table)), None) for row in table.rows]
    subs = [
        expand_nested(c.content) if c is not None and isinstance(c.content, Table) else None for c in inner_of
    ]
    height = [len(sub.rows) if sub is not None else 1 for sub in subs]
    rows: list[list[Cell]] = []
    for r, row in enumerate(table.rows):
        sub = subs[r]
        for i in range(height[r]):
            out: list[Cell] = []
            for c in row:
                if sub is not None and c is inner_of[r]:
                    out += [Cell(x.content, x.colspan, x.rowspan) for x in sub.rows[i]]
                elif i == 0:
                    out.append(Cell(c.content, c.colspan, sum(height[r : r + c.rowspan])))
            rows.append(out)
    return Table(rows, table.widths)


def render_openpyxl(docs: list[list[Block]], sheets: bool) -> bytes:
    import io

    import openpyxl
    from openpyxl.styles import Alignment

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "写实簿"
    row = 1
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, blocks in enumerate(docs):
        if sheets and i:
            ws = wb.create_sheet(f"写实簿{i + 1}")
            row = 1
        for block in blocks:
            if isinstance(block, Para):
                if block.text.strip():
                    ws.cell(row, 1, block.text)
                    row += 1
                continue
            block = expand_nested(block)
            for r, c, cell in (x for placed in _grid_positions(block) for x in placed):
                target = ws.cell(
                    row + r, c + 1, None if isinstance(cell.content, Table) else (str(cell.content) or None)
                )
                target.alignment = wrap
                if cell.rowspan > 1 or cell.colspan > 1:
                    ws.merge_cells(
                        start_row=row + r,
                        start_column=c + 1,
                        end_row=row + r + cell.rowspan - 1,
                        end_column=c + cell.colspan,
                    )
            row += len(block.rows) + 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------------ the run


def _clean(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if k not in ("source", "_printed")}


def produce(cases: list[Case], outdir: Path) -> list[str]:
    """Write every case's file into ``outdir`` (LibreOffice producers batched per target format);
    the names of the files LibreOffice could not make, which are dropped from ``cases``."""
    from cxzy_docs.render.docx import render_docx
    from cxzy_docs.render.pdf import render_pdf, render_pdf_one
    from cxzy_docs.render.xlsx import render_xlsx

    outdir.mkdir(parents=True, exist_ok=True)
    html_dir = outdir / "html"
    pending: dict[str, list[Path]] = defaultdict(list)
    unmade: list[str] = []
    for case in cases:
        path = outdir / (case.name + case.suffix)
        case.path = path
        p = case.producer
        if p == "ours-docx":
            path.write_bytes(render_docx(case.records[0]))
        elif p == "ours-pdf":
            path.write_bytes(render_pdf_one(case.records[0]))
        elif p == "ours-xlsx":
            path.write_bytes(render_xlsx(case.records[0]))
        elif p == "ours-binder":
            path.write_bytes(render_pdf(case.records, odd_page_start=True))
        elif p == "python-docx":
            path.write_bytes(render_python_docx(documents(case)))
        elif p == "rl-pdf":
            path.write_bytes(render_reportlab(documents(case), print_style(case.name, p)))
        elif p in RESAVED:  # python-docx's file, saved again by LibreOffice
            src_dir = outdir / "src"
            src_dir.mkdir(exist_ok=True)
            src = src_dir / f"{case.name}.docx"
            printed = print_style(case.name, p) if p in PRINTED else None
            src.write_bytes(render_python_docx(documents(case), printed))
            pending[p].append(src)
        elif p == "chrome-pdf":
            html_dir.mkdir(exist_ok=True)
            src = html_dir / f"{case.name}.html"
            css = chromium_css(print_style(case.name, p))
            src.write_text(render_html(documents(case), "votes=narrow" in case.tags, css), encoding="utf-8")
            pending[p].append(src)
        elif p == "openpyxl":
            path.write_bytes(render_openpyxl(documents(case), case.sheets))
        else:
            html_dir.mkdir(exist_ok=True)
            src = html_dir / f"{case.name}.html"
            narrow = "votes=narrow" in case.tags
            src.write_text(render_html(documents(case), narrow), encoding="utf-8")
            pending[p].append(src)
        (outdir / (case.name + ".gold.json")).write_text(
            json.dumps(
                {"producer": p, "tags": case.tags, "records": [_clean(r) for r in case.records]},
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    for producer, files in pending.items():
        if producer == "chrome-pdf":
            bad_files = chromium_batch(files, outdir)
        else:
            bad_files = libreoffice_batch(files, producer, outdir)
        unmade += [bad.stem for bad in bad_files]
    made = [c for c in cases if c.name not in set(unmade)]
    cases[:] = made  # a file LibreOffice could not make is not a file the reader failed on
    return unmade


@dataclass
class Score:
    right: int = 0
    total: int = 0
    books: int = 0
    files: int = 0
    split_ok: int = 0  # files read as exactly as many books as they hold

    def add(self, right: int, total: int) -> None:
        self.right += right
        self.total += total

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class Result:
    by_producer: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    by_tag: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    overall: Score = field(default_factory=Score)
    wrong_fields: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    seconds: float = 0.0


Parser = Callable[[Path], list[dict[str, Any]]]


def default_parser(path: Path) -> list[dict[str, Any]]:
    from cxzy_docs.read import parse_file

    return parse_file(path)


def convert_docs(cases: list[Case], outdir: Path) -> dict[str, Path]:
    """The .doc files converted by our own legacy reader's converter, all in one LibreOffice call."""
    from cxzy_docs.read.legacy import convert_legacy

    docs = [c for c in cases if c.suffix == ".doc" and c.path is not None]
    if not docs:
        return {}
    conv = outdir / "converted"
    conv.mkdir(exist_ok=True)
    result = convert_legacy([(c.path, "doc") for c in docs], conv)  # type: ignore[misc]
    return {str(k): v for k, v in result.items() if isinstance(v, Path)}


def score(
    cases: list[Case],
    parser: Parser = default_parser,
    *,
    converted: dict[str, Path] | None = None,
    examples: int = 0,
) -> Result:
    """Read every case back and compare it with its gold, per producer and per layout tag."""
    res = Result()
    t0 = time.perf_counter()
    for case in cases:
        assert case.path is not None
        path = case.path
        if case.suffix == ".doc":
            path = (converted or {}).get(str(case.path), case.path)
        try:
            parsed = parser(path)
        except Exception as exc:  # a file the reader refuses scores zero on every field
            res.errors.append(f"{case.name} ({case.producer}): {exc}")
            parsed = []
        _score_case(res, case, parsed, examples)
    res.seconds = time.perf_counter() - t0
    return res


def _score_case(res: Result, case: Case, parsed: list[dict[str, Any]], examples: int) -> None:
    pairs = _match(case.records, parsed)
    for gold, rec in pairs:
        if rec is None:
            _, n, wrong = field_accuracy({"kind": None, "year": None}, gold)
            right = 0
        else:
            right, n, wrong = field_accuracy(rec, gold)
        for bucket in (res.overall, res.by_producer[case.producer], *(res.by_tag[t] for t in case.tags)):
            bucket.add(right, n)
            bucket.books += 1
        for p in wrong:
            res.wrong_fields[p] += 1
        if wrong and len(res.examples) < examples:
            res.examples.append(
                f"{case.name} {case.producer} {case.tags}: " + describe_wrong(rec, gold, wrong)
            )
    ok = len(parsed) == len(case.records)
    for bucket in (res.overall, res.by_producer[case.producer], *(res.by_tag[t] for t in case.tags)):
        bucket.files += 1
        bucket.split_ok += ok


def describe_wrong(rec: dict[str, Any] | None, gold: dict[str, Any], wrong: list[str]) -> str:
    from cxzy_docs.model import get_field

    if rec is None:
        return "not read"
    return "; ".join(f"{p}: got {get_field(rec, p)!r:.50} want {get_field(gold, p)!r:.50}" for p in wrong[:8])


def _match(golds: list[dict[str, Any]], parsed: list[dict[str, Any]]) -> list[tuple[dict, dict | None]]:
    """Each gold book with the parsed record that fits it best (each record used once)."""
    free = list(range(len(parsed)))
    out: list[tuple[dict, dict | None]] = []
    for gold in golds:
        best, best_right = None, -1
        for i in free:
            right, _, _ = (
                field_accuracy(parsed[i], gold) if parsed[i].get("kind") == gold["kind"] else (0, 0, [])
            )
            if right > best_right:
                best, best_right = i, right
        if best is not None and best_right > 0:
            free.remove(best)
            out.append((gold, parsed[best]))
        else:
            out.append((gold, None))
    return out


def table(res: Result) -> str:
    """The accuracy table: overall, per producer, per variation (axis=value)."""
    lines = [f"{'':28} {'books':>6} {'files':>6} {'fields':>8} {'accuracy':>9} {'split ok':>9}"]

    def row(name: str, s: Score) -> str:
        return f"{name:28} {s.books:6d} {s.files:6d} {s.total:8d} {s.rate:9.2%} {s.split_ok:4d}/{s.files:<4d}"

    lines.append(row("ALL", res.overall))
    lines.append("-- producer")
    lines += [row(p, res.by_producer[p]) for p in PRODUCERS if p in res.by_producer]
    lines.append("-- variation")
    lines += [row(t, res.by_tag[t]) for t in sorted(res.by_tag)]
    return "\n".join(lines)
