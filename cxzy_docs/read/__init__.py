"""Readers (file -> Grid) and the extractor (Grid -> record): the front door picks the reader by content."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from cxzy_docs.errors import ReadError
from cxzy_docs.read.grid import Grid, LabelHints

_IMAGES = ("png", "jpeg", "tiff")


@cache
def label_hints() -> LabelHints:
    """The forms' labels as readers may use them (readers never import the forms themselves)."""
    from cxzy_docs.forms import label_keys, section_start_keys

    keys, in_cell = label_keys()
    return LabelHints(keys, in_cell, section_start_keys())


def _refuse(kind: str, name: str) -> ReadError:
    if kind == "encrypted":
        return ReadError("文件已加密（受密码保护），请在 Word/WPS/Excel 中去除密码另存后再读取", file=name)
    if kind == "damaged":
        return ReadError("文件已损坏或不完整（目录结构无法读取），可能在下载或复制时被截断", file=name)
    if kind == "zip-other":
        return ReadError("这是一个压缩包，不是写实簿；请解压后读取其中的 Word/Excel/PDF 文件", file=name)
    return ReadError(
        "无法识别的文件类型（不是 Word、Excel、PDF 或扫描图像文件，可能已损坏或扩展名不对）", file=name
    )


def _check_image_size(path: str | Path, name: str, settings: Any) -> None:
    """Refuse an image whose header declares more pixels than ``max_image_pixels`` (a decompression bomb)."""
    import warnings

    from PIL import Image

    from cxzy_docs.read.settings import ReadSettings

    limit = ReadSettings.resolve(settings).max_image_pixels
    refuse = ReadError(
        f"图像像素数超过上限 {limit}（设置项 max_image_pixels），疑似解压炸弹，未读取", file=name
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                width, height = img.size
    except Image.DecompressionBombError:
        raise refuse from None
    except Exception:
        return
    if width * height > limit:
        raise refuse


def _need_ocr(name: str, settings: Any, what: str) -> None:
    """Refuse a file that only OCR could read when the setting ``ocr`` is off."""
    from cxzy_docs.read.settings import ReadSettings

    if not ReadSettings.resolve(settings).ocr:
        raise ReadError(f"{what}，需要 OCR 识别；设置项 ocr 已关闭，未读取", file=name)


def read_grid(path: str | Path, *, settings: Any = None, kind: str | None = None) -> Grid:
    """The Grid of one file, read by the reader its content calls for (not its extension).

    ``kind`` is what :func:`cxzy_docs.read.sniff.sniff` said of the file, when the caller already
    asked (a file is sniffed once). A PDF with any page whose text layer is missing or broken is
    read by OCR as a whole.
    """
    from cxzy_docs.read.legacy import TARGETS, read_legacy
    from cxzy_docs.read.sniff import sniff

    name = str(path)
    kind = kind or sniff(path)
    if kind == "pdf":
        from cxzy_docs.read.pdf import read_pdf

        grid = read_pdf(path, settings=settings, hints=label_hints())
        if grid.ocr_pages:
            # A broken text layer ((cid:NN) glyphs, no text) on any page: the whole file is read by
            # OCR, so that one table is not pieced together from two readers' numbering.
            from cxzy_docs.read.ocr import read_scan

            pages = "、".join(str(p) for p in grid.ocr_pages)
            _need_ocr(name, settings, f"第 {pages} 页没有可用的文字层")
            scanned = read_scan(path, settings=settings, hints=label_hints())
            scanned.warnings.insert(0, f"第 {pages} 页文字层无法使用，整份文件改用 OCR 识别，请核对")
            return scanned
        return grid
    if kind == "docx":
        from cxzy_docs.read.docx import read_docx

        return read_docx(path, settings=settings)
    if kind in ("xlsx", "ledger"):
        from cxzy_docs.read.xlsx import read_xlsx

        return read_xlsx(path, settings=settings)
    if kind in TARGETS:
        legacy: Grid = read_legacy(path, kind, settings=settings)
        return legacy
    if kind in _IMAGES:
        from cxzy_docs.read.ocr import read_scan

        _check_image_size(path, name, settings)
        _need_ocr(name, settings, "这是扫描图像")
        return read_scan(path, settings=settings, hints=label_hints())
    raise _refuse(kind, name)


def parse_file(path: str | Path, *, settings: Any = None, kind: str | None = None) -> list[dict[str, Any]]:
    """The records in one file: one per record book (a binder holds several), one per reviewed subject
    for a review ledger.

    ``kind``: what sniffing the file said, when the caller already knows (a file is sniffed once).
    Rows of a ledger that could not be placed are listed in the first record's ``problems``.
    """
    from cxzy_docs.read.sniff import sniff

    kind = kind or sniff(path)
    if kind == "ledger":
        return _ledger_records(path, str(path), settings)
    if kind in ("xls", "ods"):
        return _parse_old_workbook(path, kind, settings)
    return _extract(read_grid(path, settings=settings, kind=kind), settings)


PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp")


def page_files(folder: str | Path) -> list[Path]:
    """The page images in a folder, in name order with numbers by value (``p2`` before ``p10``)."""
    import re

    def key(p: Path) -> list[Any]:
        return [(0, int(t), "") if t.isdigit() else (1, 0, t.lower()) for t in re.split(r"(\d+)", p.name)]

    return sorted(
        (
            p
            for p in Path(folder).iterdir()
            if p.is_file() and p.suffix.lower() in PHOTO_SUFFIXES and not p.name.startswith(".")
        ),
        key=key,
    )


def parse_pages_of_one_book(folder: str | Path, *, settings: Any = None) -> list[dict[str, Any]]:
    """One book photographed or scanned page by page into a folder of images (JPG, PNG, TIFF), read
    in name order as the pages of that book."""
    from cxzy_docs.read.ocr import read_scans

    name = str(folder)
    if not Path(folder).is_dir():
        raise ReadError(
            "不是文件夹（--pages-of-one-book 需要一个放着同一本写实簿各页图片的文件夹）", file=name
        )
    files = page_files(folder)
    if not files:
        raise ReadError("文件夹中没有图片（JPG、PNG、TIFF）", file=name)
    _need_ocr(name, settings, "这是扫描图像")
    for f in files:
        _check_image_size(f, str(f), settings)
    grid = read_scans(files, settings=settings, hints=label_hints())
    grid.source = name
    if grid.alternative is not None:
        grid.alternative.source = name
    return _extract(grid, settings)


def _extract(grid: Grid, settings: Any) -> list[dict[str, Any]]:
    """The books of a grid; a scan read both ways (its cells, its whole-page lines) has the two
    readings compared, the fields they disagree on marked low-confidence."""
    from cxzy_docs.errors import UnknownFormError
    from cxzy_docs.read.extract import extract_books
    from cxzy_docs.read.extract.crosscheck import cross_check
    from cxzy_docs.read.locate import locate

    records = extract_books(grid, settings=settings)
    if grid.alternative is not None:
        try:
            others = extract_books(grid.alternative, settings=settings)
        except UnknownFormError:
            others = []
        cross_check(records, others)
    locate(records, grid, grid.alternative)
    return records


def _ledger_records(path: str | Path, name: str, settings: Any) -> list[dict[str, Any]]:
    from cxzy_docs.read.ledger import read_ledger

    problems: list[str] = []
    try:
        records = read_ledger(path, settings=settings, problems=problems)
    except ReadError as exc:
        raise ReadError(exc.detail, file=name, where=exc.where) from None
    if problems:
        records[0].setdefault("problems", []).extend(
            {"field": None, "message": p, "raw": None} for p in problems
        )
    return records


def _parse_old_workbook(path: str | Path, kind: str, settings: Any) -> list[dict[str, Any]]:
    """An .xls/.et/.ods: converted once, then read as a ledger or as a record book."""
    from cxzy_docs.read.ledger import looks_like_ledger
    from cxzy_docs.read.legacy import convert_legacy, grid_of_converted

    name = str(path)
    with tempfile.TemporaryDirectory(prefix="cxzy-convert-") as tmp:
        result = convert_legacy([(path, kind)], tmp, settings=settings)[name]
        if isinstance(result, ReadError):
            raise result
        if looks_like_ledger(result):
            return _ledger_records(result, name, settings)
        return _extract(grid_of_converted(path, kind, result, settings=settings), settings)
