"""A picture of what was matched, page by page: the boxes of the labels and values found, as PNG.

Like pdfplumber's ``debug_tablefinder``: each page of the file (a PDF, a scan, or a Word file
printed to PDF by LibreOffice) drawn with a frame around every cell and line the reading used.
Blue: a label of the form; green: a value that went into the record (tagged with its field);
red: text kept in ``problems`` (read but not placed, or not readable); grey: the other table cells.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cxzy_docs.errors import ReadError
from cxzy_docs.forms import FORMS
from cxzy_docs.read.grid import Cell, Grid

LABEL = (37, 99, 235)
VALUE = (22, 163, 74)
PROBLEM = (220, 38, 38)
OTHER = (170, 170, 170)
PDF_DPI = 100  # pages of a text-layer PDF are drawn at this resolution
_LABEL_KINDS = frozenset(
    {
        "box",
        "field",
        "sign",
        "period",
        "eval_label",
        "eval_first",
        "eval_col",
        "votes",
        "grade",
        "date_label",
        "year_label",
    }
)


@dataclass
class Box:
    """One frame to draw: where (page, box in the page image's pixels), what colour, which tag."""

    page: int
    bbox: tuple[float, float, float, float]
    color: tuple[int, int, int]
    tag: str = ""


def debug_pages(
    path: str | Path, outdir: str | Path, *, settings: Any = None, name: str | None = None
) -> list[Path]:
    """Draw every page of ``path`` with what was matched into ``outdir``; the PNG files written.

    Raises :class:`ReadError` (Chinese, naming the file as ``name``, the path by default) for a file
    that has no pages to draw (a spreadsheet) or cannot be read. This reads the file in the calling
    process: :func:`cxzy_docs.read.batch.draw_debug_pages` runs it in the bounded worker.
    """
    from cxzy_docs.read.sniff import sniff

    name = str(path) if name is None else name
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    kind = sniff(path)
    if kind in ("xlsx", "xls", "ods", "ledger"):
        raise ReadError(
            "Excel 工作簿没有页面，不能画调试图；请用 --debug 查看每个字段读自哪个单元格", file=name
        )
    with tempfile.TemporaryDirectory(prefix="cxzy-debug-") as tmp:
        if kind in ("docx", "doc", "rtf", "odt", "html"):
            from cxzy_docs.read.legacy import print_to_pdf

            printed = print_to_pdf(path, kind, tmp, settings=settings)
            return _draw_file(printed, "pdf", Path(name).stem, out, settings)
        return _draw_file(Path(path), kind, Path(name).stem, out, settings)


def _draw_file(path: Path, kind: str, stem: str, out: Path, settings: Any) -> list[Path]:
    from cxzy_docs.read import read_grid
    from cxzy_docs.read.extract import extract_books

    grid = read_grid(path, settings=settings, kind=kind)
    records = extract_books(grid, settings=settings)
    boxes = list(matched_boxes(grid, records))
    if grid.format == "ocr":
        from cxzy_docs.read.ocr import page_images

        pages = page_images(path, settings=settings)
        scale = 1.0
    else:
        pages = _pdf_images(path, PDF_DPI)
        scale = PDF_DPI / 72
    written = []
    for number, image in pages:
        target = out / f"{stem}-第{number}页.png"
        _draw(image, [b for b in boxes if b.page == number], scale).save(target)
        written.append(target)
    return written


def matched_boxes(grid: Grid, records: list[dict[str, Any]]) -> Iterator[Box]:
    """The frames of one file: every piece with a place on a page, coloured by what it was to the reading."""
    from cxzy_docs.read.extract.items import Text, classify
    from cxzy_docs.read.extract.labels import labels_for

    fields: dict[str, str] = {}
    problems: set[str] = set()
    for rec in records:
        for field, prov in (rec.get("provenance") or {}).items():
            for where in str(prov.get("where", "")).split("、"):
                fields.setdefault(where, field)
        problems.update(str(p.get("where")) for p in rec.get("problems") or [] if p.get("where"))
    all_labels = [labels_for(kind) for kind in FORMS]
    for piece in grid.stream():
        if piece.page is None or piece.bbox is None or not piece.text.strip():
            continue
        tx = Text.of(piece.text)
        is_label = any(classify(lab, tx, piece.where, 1.0).kind in _LABEL_KINDS for lab in all_labels)
        if piece.where in problems:
            yield Box(piece.page, piece.bbox, PROBLEM, "?")
        elif piece.where in fields:
            yield Box(piece.page, piece.bbox, VALUE, _short(fields[piece.where]))
        elif is_label:
            yield Box(piece.page, piece.bbox, LABEL)
        elif isinstance(piece, Cell):
            yield Box(piece.page, piece.bbox, OTHER)


def _short(field: str) -> str:
    """``periods.Q3.review.sign.date`` -> ``Q3.review.sign.date``: the tag on a value's frame."""
    return field.removeprefix("periods.").removeprefix("annual.")


def _pdf_images(path: Path, dpi: int) -> Iterator[tuple[int, Any]]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            image = page.render(scale=dpi / 72).to_pil().convert("RGB")
            page.close()
            yield i + 1, image
    finally:
        pdf.close()


def _draw(image: Any, boxes: list[Box], scale: float) -> Any:
    from PIL import ImageDraw, ImageFont

    canvas = image.convert("RGB")
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.load_default()
    for b in boxes:
        x0, y0, x1, y1 = (v * scale for v in b.bbox)
        draw.rectangle((x0, y0, x1, y1), outline=b.color, width=1 if b.color == OTHER else 2)
        if b.tag:
            draw.text((x0 + 2, max(0.0, y0 - 11)), b.tag, fill=b.color, font=font)
    return canvas


__all__ = ["Box", "debug_pages", "matched_boxes"]
