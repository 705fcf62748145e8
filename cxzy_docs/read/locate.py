"""Where on the page each value was read: the page and the box of a field, and the crop of it.

After extraction every field's provenance names the pieces it came from (``where``: "第3页 表格第1行
第3列（OCR）"); the reader's grid knows each piece's page and box. :func:`locate` adds them to the
provenance (``page``, ``box`` = [x0, top, x1, bottom], ``box_unit`` = ``pt`` for a PDF's text layer
or ``px`` for a scan's prepared page image), so a person checking a doubtful value can be shown the
part of the page it came from (:func:`field_crop`) long after the file was read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cxzy_docs.errors import ReadError
from cxzy_docs.read.grid import Grid
from cxzy_docs.read.settings import DEFAULT_OCR_LOW_CONFIDENCE

LOW_CONFIDENCE = DEFAULT_OCR_LOW_CONFIDENCE  # under this a value is listed for a person to check

CROP_MARGIN = 0.35  # of the box's height, around the box, so the label beside a value shows too
PDF_CROP_DPI = 200  # text-layer PDF pages are drawn at this resolution for a crop


def locate(records: list[dict[str, Any]], *grids: Grid | None) -> None:
    """Put the page and box of every placed value into its provenance (in place)."""
    places: dict[str, tuple[int, tuple[float, float, float, float], str]] = {}
    file = ""
    turns: dict[int, int] = {}
    for grid in grids:
        if grid is None:
            continue
        file = file or str(Path(grid.source).resolve())
        turns.update(grid.page_turns)
        scanned = set(grid.ocr_pages)
        for piece in grid.stream():
            if piece.page is not None and piece.bbox is not None and piece.where:
                unit = "px" if grid.format == "ocr" or piece.page in scanned else "pt"
                places.setdefault(piece.where, (piece.page, piece.bbox, unit))
    if not places:
        return
    for rec in records:
        for prov in (rec.get("provenance") or {}).values():
            if not isinstance(prov, dict):
                continue
            found = [places[w] for w in str(prov.get("where", "")).split("、") if w in places]
            if not found:
                continue
            page, _box, unit = found[0]
            boxes = [b for p, b, u in found if p == page and u == unit]
            prov["page"] = page
            prov["box"] = [
                round(min(b[0] for b in boxes), 1),
                round(min(b[1] for b in boxes), 1),
                round(max(b[2] for b in boxes), 1),
                round(max(b[3] for b in boxes), 1),
            ]
            prov["box_unit"] = unit
            prov["file"] = file
            if turns.get(page):
                prov["turn"] = turns[page]  # the page was read turned this many degrees (ccw)


@dataclass(frozen=True)
class Doubtful:
    """A field read with low confidence: what a person should compare with the page."""

    path: str
    confidence: float
    where: str
    page: int | None
    other_reading: str | None


def unsure(prov: object, threshold: float = LOW_CONFIDENCE) -> bool:
    """Whether a field's provenance says it was read with a confidence under ``threshold``."""
    return isinstance(prov, dict) and float(prov.get("confidence", 1.0)) < threshold


def doubtful(record: dict[str, Any], threshold: float = LOW_CONFIDENCE) -> list[Doubtful]:
    """The fields of a record read with a confidence under ``threshold``, least sure first."""
    out = []
    for path, prov in (record.get("provenance") or {}).items():
        if unsure(prov, threshold):
            page = prov.get("page")
            other = prov.get("other_reading")
            out.append(
                Doubtful(
                    path,
                    float(prov.get("confidence", 1.0)),
                    str(prov.get("where", "")),
                    page if isinstance(page, int) else None,
                    None if other is None else str(other),
                )
            )
    return sorted(out, key=lambda d: d.confidence)


def source_file(source: str) -> str:
    """The file of a record's ``source`` (``合订本.pdf#第7-12页`` -> ``合订本.pdf``)."""
    return source.split("#", 1)[0]


def field_crop(source: str | Path, prov: dict[str, Any], *, settings: Any = None) -> Any:
    """The part of the page a value was read from (a PIL image), with a margin around it.

    ``source`` is the file read (a record's ``source``); the provenance's own ``file`` (the file's
    full path when it was read) is tried first. Raises :class:`ReadError` (Chinese, naming the file)
    when the provenance has no place on a page, or the file is no longer there or cannot be drawn.
    """
    name = source_file(str(source))
    if isinstance(prov.get("file"), str) and Path(prov["file"]).exists():
        name = prov["file"]
    page, box, unit = prov.get("page"), prov.get("box"), prov.get("box_unit")
    if not isinstance(page, int) or not isinstance(box, list) or len(box) != 4 or unit not in ("pt", "px"):
        raise ReadError("这一项没有记下它在原件哪一页、哪个位置（只有 PDF 和扫描件才有）", file=name)
    path = Path(name)
    if not path.exists():
        raise ReadError("原件已不在原处，无法截取这一项所在的位置", file=name)
    turn = prov.get("turn")
    image = _page_image(path, page, unit, settings, turn if isinstance(turn, int) else 0)
    scale = PDF_CROP_DPI / 72 if unit == "pt" else 1.0
    x0, y0, x1, y1 = (float(v) * scale for v in box)
    pad = max(8.0, (y1 - y0) * CROP_MARGIN)
    left, top = max(0, int(x0 - pad)), max(0, int(y0 - pad))
    right, bottom = min(image.width, int(x1 + pad) + 1), min(image.height, int(y1 + pad) + 1)
    if right <= left or bottom <= top:
        raise ReadError(f"第{page}页上记下的位置超出了页面，原件可能已被替换", file=name)
    return image.crop((left, top, right, bottom))


def _page_image(path: Path, page: int, unit: str, settings: Any, turn: int = 0) -> Any:
    """Page ``page`` (from 1) as the box's coordinates see it."""
    name = str(path)
    if unit == "px":  # a scan: the page as OCR saw it (grey, straightened)
        from cxzy_docs.read.ocr import page_images

        if path.is_dir():  # the pages of one book, one image per page in name order
            from cxzy_docs.read import page_files

            files = page_files(path)
            if not 1 <= page <= len(files):
                raise ReadError(f"文件夹中没有第{page}页", file=name)
            only = page_images(files[page - 1], settings=settings, turns={1: turn})
            return next(image for _n, image in only)
        for n, image in page_images(path, settings=settings, turns={page: turn}):
            if n == page:
                return image
        raise ReadError(f"原件中没有第{page}页", file=name)
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(name)
    except Exception:
        raise ReadError("PDF 文件已损坏或已加密，无法打开", file=name) from None
    try:
        if not 1 <= page <= len(pdf):
            raise ReadError(f"原件中没有第{page}页", file=name)
        return pdf[page - 1].render(scale=PDF_CROP_DPI / 72).to_pil()
    finally:
        pdf.close()
