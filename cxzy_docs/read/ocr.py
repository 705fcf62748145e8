"""Scanned record books (PNG/JPEG/TIFF, image-only PDF pages) -> Grid: ruled cells read by offline OCR."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from cxzy_docs.errors import ReadError, os_reason
from cxzy_docs.read import rss_watch
from cxzy_docs.read.grid import Cell, Grid, LabelHints, Line
from cxzy_docs.read.ocr_engines import OcrEngine, TextPiece, get_engine, read_tiles
from cxzy_docs.read.pageprep import paper_level, prepare
from cxzy_docs.read.pageturn import MIN_READABLE, best_turn, readable, runs_down, turned
from cxzy_docs.read.tablelines import (
    TableGrid,
    broken_line_debris,
    deskew,
    grey_level,
    ink_mask,
    ruled_tables,
)
from cxzy_docs.read.worker import still_working
from cxzy_docs.textnorm import is_date_text

# Settings (overridable by a settings object or dict carrying the same names in lower case).
OCR_ENGINE = "rapidocr"  # or "tesseract"
OCR_LOW_CONFIDENCE = 0.8  # a cell or line below this is marked for a person to check
OCR_DPI = 200  # pages are rasterised / scaled to this resolution before OCR
OCR_MAX_PAGES = 200
OCR_MAX_PIXELS = 80_000_000  # one page image larger than this is refused (decompression bombs)

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp"}
A4_LONG_SIDE_INCHES = 11.69
SAME_FRAME_SHARE = 0.02  # table edges within 2% of the page width: one table going on over pages
FAINT_LINE_CONTRAST = 22  # grey levels under the paper: a light ruling line (where Otsu's ink found no table)
_EMPTY_INK_SHARE = 0.004  # ink in a cell (lines wiped) above this share, yet no text read: flagged
_RULE_GLYPHS = " |丨｜¦"
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_SPACE_BY_CJK = re.compile(r"(?<=[^\x00-\x7f])[ \t\u3000]+|[ \t\u3000]+(?=[^\x00-\x7f])")


def setting(settings: Any, name: str, default: Any) -> Any:
    """``name`` from the reader settings (defaults, ``$CXZY_LIMITS``, a dict of overrides), else the
    default of this module."""
    from cxzy_docs.read.settings import ReadSettings

    if isinstance(settings, dict):
        if name in settings:
            return settings[name]
        settings = {k: v for k, v in settings.items() if k not in _OCR_ONLY}
    try:
        resolved = ReadSettings.resolve(settings)
    except ValueError:
        return default
    return getattr(resolved, name, default)


_OCR_ONLY = frozenset({"ocr_max_pixels"})  # read here only; not a ReadSettings field


def is_low_confidence(confidence: float, settings: Any = None) -> bool:
    """Should a person check this OCR value?"""
    return confidence < float(setting(settings, "ocr_low_confidence", OCR_LOW_CONFIDENCE))


# ------------------------------------------------------------------------------------ public API


def read_scan(path: str | Path, *, settings: Any = None, hints: LabelHints | None = None) -> Grid:
    """A scanned book: an image file (every frame of a TIFF is a page) or an image-only PDF.

    ``hints`` (the forms' labels) tell a cell broken over a page from a new one, as for PDFs.
    """
    name = str(path)
    if _is_pdf(name):
        return _read_pages(name, _pdf_pages(name, None, settings), settings, hints)
    return _read_pages(name, _image_pages(name, settings), settings, hints)


def read_scans(paths: Iterable[str | Path], *, settings: Any = None, hints: LabelHints | None = None) -> Grid:
    """One book scanned into several image files, given in page order."""
    names = [str(p) for p in paths]
    if not names:
        raise ReadError("没有给出扫描图像文件")

    def pages() -> Iterator[tuple[int, Image.Image]]:
        n = 0
        for name in names:
            for _, img in _image_pages(name, settings):
                n += 1
                yield n, img

    return _read_pages(names[0], pages(), settings, hints)


def page_images(
    path: str | Path, *, settings: Any = None, turns: dict[int, int] | None = None
) -> Iterator[tuple[int, Image.Image]]:
    """Each page of a scan as OCR sees it (grey, at the OCR resolution, the right way up as ``turns``
    says — a Grid's ``page_turns`` —, turned straight): the boxes of a scan's Grid are in these
    images' pixels."""
    name = str(path)
    pages = _pdf_pages(name, None, settings) if _is_pdf(name) else _image_pages(name, settings)
    for n, gray in pages:
        yield n, deskew(turned(gray, (turns or {}).get(n, 0)))[0]


def ocr_pdf_pages(
    path: str | Path, pages: list[int], *, settings: Any = None, hints: LabelHints | None = None
) -> Grid:
    """OCR some pages of a PDF (numbered from 1), e.g. those whose text layer is broken."""
    name = str(path)
    return _read_pages(name, _pdf_pages(name, sorted(set(pages)), settings), settings, hints)


# ------------------------------------------------------------------------------------ page images


def _is_pdf(name: str) -> bool:
    try:
        with open(name, "rb") as fh:
            return fh.read(1024).lstrip(b"\x00\r\n\t ").startswith(b"%PDF")
    except FileNotFoundError:
        raise ReadError("文件不存在", file=name) from None
    except OSError as exc:
        raise ReadError(f"无法打开文件（{os_reason(exc)}）", file=name) from None


def _pdf_pages(name: str, wanted: list[int] | None, settings: Any) -> Iterator[tuple[int, Image.Image]]:
    import pypdfium2 as pdfium

    dpi = float(setting(settings, "ocr_dpi", OCR_DPI))
    max_pages = int(setting(settings, "ocr_max_pages", OCR_MAX_PAGES))
    max_pixels = int(setting(settings, "ocr_max_pixels", OCR_MAX_PIXELS))
    try:
        pdf = pdfium.PdfDocument(name)
    except Exception:
        raise ReadError("PDF 文件已损坏或已加密，无法打开", file=name) from None
    try:
        total = len(pdf)
        numbers = list(range(1, total + 1)) if wanted is None else wanted
        bad = [n for n in numbers if not 1 <= n <= total]
        if bad:
            raise ReadError(f"PDF 只有 {total} 页，没有第{bad[0]}页", file=name)
        if len(numbers) > max_pages:
            raise ReadError(
                f"要识别 {len(numbers)} 页，超过上限 {max_pages} 页（设置项 ocr_max_pages）", file=name
            )
        for n in numbers:
            page = pdf[n - 1]
            w, h = page.get_size()
            scale = min(dpi / 72, (max_pixels / max(w * h, 1.0)) ** 0.5)
            bitmap = page.render(scale=scale, grayscale=True)
            img = bitmap.to_pil().convert("L")
            page.close()
            yield n, prepare(img, dpi=scale * 72, target=scale * 72).image
    finally:
        pdf.close()


def _image_pages(name: str, settings: Any) -> Iterator[tuple[int, Image.Image]]:
    max_pages = int(setting(settings, "ocr_max_pages", OCR_MAX_PAGES))
    max_pixels = int(setting(settings, "ocr_max_pixels", OCR_MAX_PIXELS))
    try:
        img = Image.open(name)
    except FileNotFoundError:
        raise ReadError("文件不存在", file=name) from None
    except Image.DecompressionBombError:
        raise ReadError(
            f"图像像素过多，疑似“解压炸弹”，未读取（上限 {max_pixels} 像素，设置项 max_image_pixels）",
            file=name,
        ) from None
    except (UnidentifiedImageError, OSError):
        raise ReadError("不是可识别的图像文件", file=name) from None
    with img:
        for i, frame in enumerate(ImageSequence.Iterator(img), start=1):
            if i > max_pages:
                raise ReadError(f"图像超过 {max_pages} 页（设置项 ocr_max_pages）", file=name)
            if frame.width * frame.height > max_pixels:
                raise ReadError(f"第{i}页图像过大（{frame.width}×{frame.height} 像素），未读取", file=name)
            try:
                gray = _to_gray(frame, settings)
            except Image.DecompressionBombError:
                raise ReadError(
                    f"第{i}页图像像素过多，未读取（设置项 max_image_pixels）", file=name
                ) from None
            except OSError as exc:
                raise ReadError(f"第{i}页图像已损坏（{exc}）", file=name) from None
            yield i, gray


def _to_gray(frame: Image.Image, settings: Any) -> Image.Image:
    """A page as 8-bit grey on white at the OCR resolution, made flat first (:mod:`.pageprep`): the
    page cut from a photo's background, its perspective undone, its lighting evened. A whole image
    taken as the page is scaled by the resolution the file states (an A4 page when it states none
    believable: 72 is most tools' default)."""
    target = float(setting(settings, "ocr_dpi", OCR_DPI))
    stated = frame.info.get("dpi", (0, 0))[0] or 0
    upright = ImageOps.exif_transpose(frame)  # a phone's photo: its pixels as taken, its way up in EXIF
    return prepare(upright, dpi=float(stated) or None, target=target).image


# ------------------------------------------------------------------------------------- one page


@dataclass
class _PageCell:
    row: int
    col0: float  # left/right border, relative to the table's left edge: columns are numbered per table
    col1: float
    rowspan: int
    box: tuple[int, int, int, int]
    text: str = ""
    confidence: float = 1.0
    unread_ink: bool = False


@dataclass
class _Fragment:
    page: int
    left: float
    right: float
    top: float
    nrows: int
    cells: list[_PageCell]


@dataclass
class _FreeLine:
    text: str
    confidence: float
    top: float
    x0: float
    bbox: tuple[float, float, float, float] | None = None


@dataclass
class _Page:
    number: int
    width: int
    fragments: list[_Fragment] = field(default_factory=list)
    lines: list[_FreeLine] = field(default_factory=list)
    pieces: list[TextPiece] = field(default_factory=list)  # every piece read on the page (whole-page view)


def read_page(gray: Image.Image, number: int, engine: OcrEngine) -> _Page:
    """Deskew, find the ruled tables, wipe their lines, OCR once, put each text piece in its cell."""
    dpi = float(gray.info.get("dpi", (OCR_DPI, OCR_DPI))[0])
    straight, _ = deskew(gray)
    arr = np.asarray(straight)
    ink = ink_mask(arr)
    tables, lines = page_tables(arr, dpi, ink)
    if not tables:  # ruling lines broken into dashes (no table found): their debris is not text
        faint = faint_ink(arr)
        lines = broken_line_debris(ink if faint is None else faint, dpi=dpi)
    clean = arr.copy()
    if (tables and engine.wipe_lines) or (not tables and lines.any()):
        lines[1:] |= lines[:-1].copy()  # and the anti-aliased edge of each line
        lines[:, 1:] |= lines[:, :-1].copy()
        clean[lines] = grey_level(arr, 0.9)
    clean_img = Image.fromarray(clean, "L")
    clean_img.info["dpi"] = (dpi, dpi)
    pieces = read_tiles(engine, _patches(clean_img, tables, dpi)) if engine.tiles else engine.read(clean_img)
    pieces += reread_missed(engine, clean_img, ink & ~lines, pieces, dpi)
    doubt_unread_gaps(pieces, ink & ~lines)
    page = _Page(number, gray.width)
    page.pieces = [p for p in pieces if p.text.strip(_RULE_GLYPHS)]
    placed: list[list[list[TextPiece]]] = [[[] for _ in t.cells] for t in tables]
    free: list[TextPiece] = []
    for piece in pieces:
        if not piece.text.strip(_RULE_GLYPHS):
            continue  # a ruling line read as a character
        spot = _locate(tables, piece)
        if spot is None:
            free.append(piece)
        else:
            placed[spot[0]][spot[1]].append(piece)
    clean_ink = ink & ~lines
    for t, table in enumerate(tables):
        left = table.xs[0]
        cells = []
        for k, tc in enumerate(table.cells):
            x0, y0, x1, y1 = tc.box
            inset = max(3, round(dpi / 50))
            text, conf = _join_pieces(placed[t][k], x1 - inset)
            inner = clean_ink[y0 + inset : y1 - inset, x0 + inset : x1 - inset]
            unread = not text and inner.size > 0 and float(inner.mean()) > _EMPTY_INK_SHARE
            cells.append(
                _PageCell(
                    tc.row, x0 - left, x1 - left, tc.rowspan, tc.box, text, 0.0 if unread else conf, unread
                )
            )
        page.fragments.append(_Fragment(number, left, table.xs[-1], table.ys[0], len(table.ys) - 1, cells))
    columns: list[list[TextPiece]] = []
    if not tables:
        free, columns = _vertical_labels(free)
    page.lines.extend(_free_lines(columns, free))
    page.lines.sort(key=lambda ln: ln.top)
    return page


def _free_lines(columns: list[list[TextPiece]], free: list[TextPiece]) -> list[_FreeLine]:
    """The text outside tables as lines: each vertical run of label characters one line of its own
    (履/诺/践/诺/写/实 down the left, where it starts), the rest grouped into visual lines."""
    out: list[_FreeLine] = []
    label_column = _column_box(columns)
    for run in columns:
        # a section label read down the page may have lost a character to the line beside it
        # (履诺践诺实): run into a value, it must not stand as a confident one
        text, conf = (
            "".join(p.text.strip() for p in run),
            min(min(p.confidence for p in run), SPILL_CONFIDENCE),
        )
        box = (
            float(min(p.box[0] for p in run)),
            float(run[0].box[1]),
            float(max(p.box[2] for p in run)),
            float(run[-1].box[3]),
        )
        out.append(_FreeLine(text, conf, box[1], box[0], box))
    for group in _visual_lines(free):
        text, conf = _join_line(group)
        text = tidy(text)
        if label_column is not None and _starts_in(group, label_column):
            conf = min(conf, SPILL_CONFIDENCE)  # a label's character read into the start of this line
        if text:
            box = (
                float(min(p.box[0] for p in group)),
                float(min(p.box[1] for p in group)),
                float(max(p.box[2] for p in group)),
                float(max(p.box[3] for p in group)),
            )
            out.append(_FreeLine(text, conf, box[1], box[0], box))
    return out


UNREAD_GAP_CONFIDENCE = 0.4  # a character followed by ink nothing was read from (a dropped 、 or ；)
CHARACTER_DOUBT = 0.5  # one character read with less than this score makes its whole line doubtful
PUNCTUATION_DOUBT = 0.75  # ... a ； or ： (read one for the other on a blurred page) with less than this
_CONFUSED_MARKS = frozenset("；：;:")


def doubt_unread_gaps(pieces: list[TextPiece], ink: np.ndarray) -> int:
    """Mark (low confidence) each piece followed in its text line by ink that no piece was read
    from: the engine passed over a mark between two characters (a 、 after 1, a ；), and the line's
    text, read without it, must not stand as a confident value. Returns how many were marked."""
    marked = 0
    for line in _visual_lines(pieces):
        for a, b in pairwise(line):
            size = max(a.box[3] - a.box[1], b.box[3] - b.box[1], 1)
            edge = max(2, round(0.12 * size))  # a glyph's ink reaches a little past its box
            x0, x1 = a.box[2] + edge, b.box[0] - edge
            if x1 - x0 < 0.1 * size or x1 - x0 > 1.5 * size:
                continue  # characters side by side, or a space between words (a tab stop, a cell border)
            y0, y1 = min(a.box[1], b.box[1]), max(a.box[3], b.box[3])
            gap = ink[y0:y1, x0:x1]
            if not gap.size or int(gap.sum()) < max(6, round(0.01 * size * size)):
                continue
            if gap.any(axis=1).mean() < 0.9:  # not the rest of a ruling line, standing the line's height
                a.confidence = min(a.confidence, UNREAD_GAP_CONFIDENCE)
                marked += 1
    return marked


SPILL_CONFIDENCE = 0.5  # text that may hold a character of a vertical section label


def _column_box(columns: list[list[TextPiece]]) -> tuple[float, float, float, float] | None:
    """The box around the vertical section labels of a page (x0, y0, x1, y1), None without any."""
    found = [p for run in columns for p in run]
    if not found:
        return None
    return (
        float(min(p.box[0] for p in found)),
        float(min(p.box[1] for p in found)),
        float(max(p.box[2] for p in found)),
        float(max(p.box[3] for p in found)),
    )


def _starts_in(line: list[TextPiece], column: tuple[float, float, float, float]) -> bool:
    """Does a text line start inside the column of vertical labels and go on to the right of it?"""
    _, y0, x1, y1 = column
    first = line[0]
    size = max(1, first.box[3] - first.box[1])
    return (
        first.box[0] < x1 - 0.3 * size
        and max(p.box[2] for p in line) > x1 + size
        and y0 - 2 * size <= first.center[1] <= y1 + 2 * size
    )


MAX_REREADS = 12  # text blocks the engine missed read again on their own, per page at most


def reread_missed(
    engine: OcrEngine, page: Image.Image, ink: np.ndarray, pieces: list[TextPiece], dpi: float
) -> list[TextPiece]:
    """Text the engine's detector passed over (a line beside a broken ruling line, a faint line),
    read again from a crop of its own: ink outside every piece read, in blocks the size of a line
    of text (pieces of ruling lines and specks left out). The pieces found, in page pixels."""
    try:
        import cv2
    except ImportError:  # pragma: no cover - RapidOCR brings it
        return []
    h, w = ink.shape
    covered = np.zeros((h, w), dtype=bool)
    pad = max(2, round(dpi / 50))
    for p in pieces:
        x0, y0, x1, y1 = p.box
        covered[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad] = True
    left = (ink & ~covered).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(left, connectivity=8)
    keep = np.zeros(n, dtype=bool)
    char = dpi / 7  # a 10.5 pt character is about a seventh of an inch
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        thin = min(bw, bh) <= max(3, dpi / 60) and max(bw, bh) >= 3 * min(bw, bh)
        keep[i] = area >= dpi / 10 and not thin and bh <= 2 * char and bw <= 2 * char
    if not keep.any():
        return []
    marks = keep[labels].astype(np.uint8)
    glue = max(3, round(char * 0.8))  # characters of one line run together into one block
    blocks = cv2.dilate(marks, np.ones((max(3, round(char / 4)), glue), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(blocks, connectivity=8)
    found: list[TextPiece] = []
    boxes = sorted((tuple(int(v) for v in stats[i][:4]) for i in range(1, n)), key=lambda b: -b[2] * b[3])
    for x, y, bw, bh in boxes[:MAX_REREADS]:
        if bw < char * 1.5 or bh < char * 0.4:
            continue  # a lone glyph-sized block is more often where ruling lines cross than text
        margin = round(char / 2)
        x0, y0 = max(0, x - margin), max(0, y - margin)
        x1, y1 = min(w, x + bw + margin), min(h, y + bh + margin)
        crop = page.crop((x0, y0, x1, y1))
        crop.info["dpi"] = (dpi, dpi)
        for piece in engine.read(crop):
            if piece.text.strip(_RULE_GLYPHS) and piece.confidence >= 0.5:
                bx0, by0, bx1, by1 = piece.box
                found.append(
                    TextPiece(piece.text, piece.confidence, (bx0 + x0, by0 + y0, bx1 + x0, by1 + y0))
                )
    return found


def page_tables(
    arr: np.ndarray, dpi: float, ink: np.ndarray | None = None
) -> tuple[list[TableGrid], np.ndarray]:
    """The ruled tables of a straight page and the pixels of their lines: found in the ink (Otsu's
    split), or, where that finds fewer cells, in everything a little darker than the paper around
    it (thin or light grey lines, which Otsu's split leaves out or breaks)."""
    ink = ink_mask(arr) if ink is None else ink
    tables, lines = ruled_tables(ink, dpi=dpi)
    faint = faint_ink(arr)
    if faint is not None:
        more, more_lines = ruled_tables(faint, dpi=dpi)
        if sum(len(t.cells) for t in more) > sum(len(t.cells) for t in tables):
            tables, lines = more, more_lines
    return tables, lines


def faint_ink(arr: np.ndarray) -> np.ndarray | None:
    """Everything darker than the paper by a little (light grey ruling lines included), or None on
    blank paper."""
    if int(grey_level(arr, 0.6)) - int(arr.min()) < 40:
        return None
    return arr < paper_level(arr) - FAINT_LINE_CONTRAST


LINE_MIDDLE_SHARE = 0.6  # a piece joins a text line with its middle this near the line's (x its height)
VERTICAL_LABEL_GAP = 0.9  # characters of space between a section label's character and the text beside it
_CJK_CHAR = re.compile(r"^[\u3400-\u9fff]$")


def _vertical_labels(pieces: list[TextPiece]) -> tuple[list[TextPiece], list[list[TextPiece]]]:
    """(the other pieces, runs of single characters standing one under another at the left) of a page
    whose ruling lines were not found: a vertical section label (承/诺/写/实) would otherwise be read
    into the start of the text lines beside it (``诺党员本人（签字）``).

    A character counts when it starts its text line, stands apart from what follows it (a gap of
    more than a character) and lines up with at least two others of its kind; a run ends where the
    gap below is much larger than the spacing within the runs.
    """
    lines = _visual_lines(pieces)
    firsts = []
    for line in lines:
        p = line[0]
        w, h = p.box[2] - p.box[0], p.box[3] - p.box[1]
        alone = len(line) == 1 or line[1].box[0] - p.box[2] > VERTICAL_LABEL_GAP * max(w, 1)
        if _CJK_CHAR.match(p.text.strip()) and w <= 1.6 * h and alone:
            firsts.append(p)
    if len(firsts) < 3:
        return pieces, []
    centre = sorted((p.box[0] + p.box[2]) / 2 for p in firsts)[len(firsts) // 2]
    width = sorted(p.box[2] - p.box[0] for p in firsts)[len(firsts) // 2]
    column = sorted(
        (p for p in firsts if abs((p.box[0] + p.box[2]) / 2 - centre) <= 0.6 * width), key=lambda p: p.box[1]
    )
    if len(column) < 3:
        return pieces, []
    gaps = sorted(b.box[1] - a.box[1] for a, b in pairwise(column))
    step = gaps[len(gaps) // 2]
    runs: list[list[TextPiece]] = [[column[0]]]
    for a, b in pairwise(column):
        if b.box[1] - a.box[1] > 1.8 * step:
            runs.append([])
        runs[-1].append(b)
    taken = {id(p) for p in column}
    return [p for p in pieces if id(p) not in taken], runs


def _patches(
    page: Image.Image, tables: list[TableGrid], dpi: float
) -> list[tuple[Image.Image, tuple[int, int]]]:
    """Crops to OCR: each cell inside its lines (trimmed to its ink), then the page with the tables blanked."""
    inset = max(3, round(dpi / 50))
    pad = max(4, round(dpi / 25))
    out = []
    rest = page.copy()
    for table in tables:
        for cell in table.cells:
            x0, y0, x1, y1 = cell.box
            crop = page.crop((x0 + inset, y0 + inset, x1 - inset, y1 - inset))
            box = _ink_box(crop)
            if box is not None:
                bx0, by0, bx1, by1 = box
                bx0, by0 = max(0, bx0 - pad), max(0, by0 - pad)
                bx1, by1 = min(crop.width, bx1 + pad), min(crop.height, by1 + pad)
                out.append((crop.crop((bx0, by0, bx1, by1)), (x0 + inset + bx0, y0 + inset + by0)))
        x0, y0, x1, y1 = table.bbox
        rest.paste(255, (x0 - 2 * inset, y0 - 2 * inset, x1 + 2 * inset, y1 + 2 * inset))
    box = _ink_box(rest)
    if box is not None:
        out.append((rest.crop(box), box[:2]))
    return out


def _ink_box(img: Image.Image) -> tuple[int, int, int, int] | None:
    """Bounding box of the ink on a crop, None when it is blank paper."""
    if img.width < 2 or img.height < 2:
        return None
    a = np.asarray(img)
    ink = a < min(160, grey_level(a, 0.95) - 60)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if len(rows) == 0 or ink.sum() < 8:
        return None
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def _locate(tables: list[TableGrid], piece: TextPiece) -> tuple[int, int] | None:
    cx, cy = piece.center
    for t, table in enumerate(tables):
        if not (table.xs[0] <= cx <= table.xs[-1] and table.ys[0] <= cy <= table.ys[-1]):
            continue
        c = min(max(bisect_right(table.xs, cx) - 1, 0), len(table.xs) - 2)
        r = min(max(bisect_right(table.ys, cy) - 1, 0), len(table.ys) - 2)
        for k, cell in enumerate(table.cells):
            if cell.row <= r < cell.row + cell.rowspan and cell.col <= c < cell.col + cell.colspan:
                return t, k
    return None


def _visual_lines(pieces: list[TextPiece]) -> list[list[TextPiece]]:
    """Pieces grouped into text lines (a piece whose middle lies within a line's height joins it)."""
    lines: list[list[TextPiece]] = []
    bounds: list[list[float]] = []
    for p in sorted(pieces, key=lambda p: (p.center[1], p.box[0])):
        cy = p.center[1]
        for ln, b in zip(lines, bounds, strict=True):
            # within the line's height, and near its middle: two lines set close (a cell's wrapped
            # text on a page read without its lines) are not run into one, character by character
            middle = (ln[0].center[1] + ln[-1].center[1]) / 2
            size = max(q.box[3] - q.box[1] for q in ln)
            if b[0] <= cy <= b[1] and abs(cy - middle) <= LINE_MIDDLE_SHARE * size:
                ln.append(p)
                b[0], b[1] = min(b[0], p.box[1]), max(b[1], p.box[3])
                break
        else:
            lines.append([p])
            bounds.append([float(p.box[1]), float(p.box[3])])
    order = sorted(range(len(lines)), key=lambda i: bounds[i][0])
    return [sorted(lines[i], key=lambda p: p.box[0]) for i in order]


def tidy(text: str) -> str:
    """OCR text without the spaces it puts between Chinese characters (spaces between Latin words stay).

    Where a text mixes curly and straight double quotes (the engine tells them apart badly), the
    straight ones become curly, opening or closing by turn.
    """
    text = (
        _SPACE_BY_CJK.sub("", text).strip(" \t\u3000").replace("丶", "、")
    )  # the engine's 、 read as the radical 丶
    if '"' in text and ("“" in text or "”" in text):
        out, open_ = [], False
        for ch in text:
            if ch == '"':
                ch = "”" if open_ else "“"
            if ch in "“”":
                open_ = ch == "“"
            out.append(ch)
        text = "".join(out)
    return text


def _join_line(line: list[TextPiece]) -> tuple[str, float]:
    """A line's text and its confidence (the mean over its characters)."""
    out = ""
    prev: TextPiece | None = None
    for p in line:
        t = _SPACE_BY_CJK.sub("", p.text).strip()
        if not t:
            continue
        if prev is not None and out and _ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(t[0]):
            gap = p.box[0] - prev.box[2]
            if gap > 0.3 * (p.box[3] - p.box[1]):
                out += " "
        out += t
        prev = p
    chars = [(len(p.text.strip()), p.confidence) for p in line if p.text.strip()]
    n = sum(c for c, _ in chars)
    mean = sum(c * s for c, s in chars) / n if n else 1.0
    # one doubtful character is not averaged away; ； and ： are told apart worst of all
    doubt = [
        p.confidence
        for p in line
        if p.confidence < (PUNCTUATION_DOUBT if p.text.strip() in _CONFUSED_MARKS else CHARACTER_DOUBT)
    ]
    return out, min([mean, *doubt])


def _join_pieces(pieces: list[TextPiece], right: float) -> tuple[str, float]:
    """A cell's text and its confidence (that of its weakest line).

    Lines are kept, except that a line reaching the cell's right border ``right`` runs on into
    the next (a soft wrap), as the PDF reader does.
    """
    joined = [(t, c, ln) for ln in _visual_lines(pieces) for t, c in [_join_line(ln)] if t]
    if not joined:
        return "", 1.0
    left = min(ln[0].box[0] for _, _, ln in joined)
    text = joined[0][0]
    for (_, _, a), (bt, _, b) in pairwise(joined):
        size = max(1, max(p.box[3] - p.box[1] for p in a))
        soft = (
            a[-1].box[2] >= right - 1.5 * size and b[0].box[0] <= left + 0.5 * size and not is_date_text(bt)
        )  # a date under a signature is a line of its own
        sep = " " if soft and _ASCII_WORD.match(text[-1]) and _ASCII_WORD.match(bt[0]) else ""
        text += (sep if soft else "\n") + bt
    return tidy(text), min(c for _, c, _ in joined)


# ------------------------------------------------------------------------------------ the book


def _read_pages(
    name: str, pages: Iterable[tuple[int, Image.Image]], settings: Any, hints: LabelHints | None
) -> Grid:
    rss_watch.ocr_started()  # in an isolated worker, the OCR memory limit applies from here on
    engine = get_engine(str(setting(settings, "ocr_engine", OCR_ENGINE)))
    grid = Grid(source=name, format="ocr")
    read = []
    for n, img in pages:
        page = read_page(img, n, engine)
        if readable(page.pieces) < MIN_READABLE or runs_down(page.pieces):  # the page may be the wrong way up
            turn = best_turn(img, engine)
            if turn:
                page = read_page(turned(img, turn), n, engine)
                grid.page_turns[n] = turn
        read.append(page)
        still_working()  # the file's time limit counts per page from here
    _assemble(grid, read, hints or LabelHints())
    grid.warnings.extend(confidence_warnings(grid, settings))
    if any(p.fragments for p in read):
        grid.alternative = whole_page_grid(name, read)
    return grid


def whole_page_grid(name: str, pages: list[_Page]) -> Grid:
    """The same pages read without their tables: every text line on the page, with its box, in
    reading order (as a page whose ruling lines were not found is read), for the stream path. Where the
    ruling lines were found, this second reading is compared with the cells' (disagreements become
    low-confidence fields); where they were not, it is the reading."""
    grid = Grid(source=name, format="ocr")
    for page in pages:
        free, columns = _vertical_labels(page.pieces)
        out = _free_lines(columns, free)
        out.sort(key=lambda ln: (ln.top, ln.x0))
        for k, ln in enumerate(out, 1):
            grid.lines.append(
                Line(
                    text=ln.text,
                    index=len(grid.lines),
                    where=f"第{page.number}页 第{k}行（整页识别）",
                    page=page.number,
                    confidence=ln.confidence,
                    bbox=ln.bbox,
                )
            )
    return grid


def confidence_warnings(grid: Grid, settings: Any = None) -> list[str]:
    """One Chinese line per cell or text line whose OCR confidence is under the threshold."""
    threshold = float(setting(settings, "ocr_low_confidence", OCR_LOW_CONFIDENCE))
    out = []
    for cell in grid.in_order():
        if cell.confidence >= threshold:
            continue
        if cell.text:
            out.append(f"{cell.where}识别置信度 {cell.confidence:.2f}，低于 {threshold:.2f}，请人工核对")
        else:
            out.append(f"{cell.where}有字迹但未能识别，请人工核对")
    for ln in grid.lines:
        if ln.confidence < threshold:
            out.append(f"{ln.where}识别置信度 {ln.confidence:.2f}，低于 {threshold:.2f}，请人工核对")
    return out


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _nearest(bounds: list[float], v: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


def _continues(before: str, after: str, hints: LabelHints) -> bool:
    """Is ``after`` (top of a page) the rest of the cell ``before`` (bottom of the page before)?"""
    if not before or not after:
        return True
    return not hints.starts_with_label(after) and not hints.is_only_label(before)


def _assemble(grid: Grid, pages: list[_Page], hints: LabelHints) -> None:
    """Tables joined over pages (same left and right edges), cells broken by a page joined, lines in order."""
    tables: list[list[_Fragment]] = []
    order: list[tuple[str, Any, int]] = []
    open_table: list[_Fragment] | None = None
    for page in pages:
        items: list[tuple[float, int, Any]] = [(f.top, 1, f) for f in page.fragments]
        items += [(ln.top, 0, ln) for ln in page.lines]
        items.sort(key=lambda t: (t[0], t[1]))
        tol = SAME_FRAME_SHARE * page.width
        for pos, (_, kind, obj) in enumerate(items):
            if kind == 0:
                order.append(("line", obj, page.number))
                open_table = None
                continue
            prev = open_table[-1] if open_table else None
            if (
                open_table
                and prev
                and pos == 0
                and prev.page == page.number - 1
                and abs(prev.left - obj.left) <= tol
                and abs(prev.right - obj.right) <= tol
            ):
                open_table.append(obj)
                continue
            open_table = [obj]
            tables.append(open_table)
            order.append(("table", len(tables) - 1, page.number))
    for index, fragments in enumerate(tables):
        grid.cells.extend(_table_cells(fragments, index, pages[0].width if pages else 1000, hints))
    last_table: int | None = None
    n = 0
    for what, obj, page_no in order:
        if what == "table":
            last_table = obj
            continue
        n += 1
        grid.lines.append(
            Line(
                text=obj.text,
                index=len(grid.lines),
                where=f"第{page_no}页 第{n}段文字（OCR）",
                page=page_no,
                after_table=last_table,
                confidence=obj.confidence,
                bbox=obj.bbox,
            )
        )


def _table_cells(fragments: list[_Fragment], index: int, width: int, hints: LabelHints) -> list[Cell]:
    xs = _cluster([x for f in fragments for c in f.cells for x in (c.col0, c.col1)], 0.01 * width)
    out: list[Cell] = []
    prev_bottom: list[Cell] = []
    offset = 0
    for n, frag in enumerate(fragments):
        placed = [
            (pc, _nearest(xs, pc.col0), max(_nearest(xs, pc.col1) - _nearest(xs, pc.col0), 1))
            for pc in frag.cells
        ]
        partners: dict[int, Cell] = {}
        if n:
            tops = [(pc, c0, span) for pc, c0, span in placed if pc.row == 0]
            for pc, c0, span in tops:
                match = next((c for c in prev_bottom if c.col == c0 and c.colspan == span), None)
                if match is not None and _continues(match.text, pc.text, hints):
                    partners[id(pc)] = match
            if tops and len(partners) == len(tops):
                offset -= 1
            else:
                partners = {}
        last_row = offset + frag.nrows - 1
        bottom = []
        for pc, c0, span in placed:
            row = offset + pc.row
            partner = partners.get(id(pc))
            if partner is not None:
                partner.text = "\n".join(t for t in (partner.text, pc.text) if t)
                partner.confidence = min(partner.confidence, pc.confidence)
                partner.rowspan = row + pc.rowspan - partner.row
                partner.where = partner.where.replace("（OCR）", f"（续第{frag.page}页，OCR）")
                cell = partner
            else:
                x0, y0, x1, y1 = pc.box
                cell = Cell(
                    text=pc.text,
                    table=index,
                    row=row,
                    col=c0,
                    rowspan=pc.rowspan,
                    colspan=span,
                    where=f"第{frag.page}页 表格第{row + 1}行第{c0 + 1}列（OCR）",
                    page=frag.page,
                    bbox=(float(x0), float(y0), float(x1), float(y1)),
                    confidence=round(pc.confidence, 3),
                )
                out.append(cell)
            if cell.last_row == last_row:
                bottom.append(cell)
        prev_bottom = bottom
        offset = last_row + 1
    return out
