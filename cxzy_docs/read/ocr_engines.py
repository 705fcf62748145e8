"""Offline OCR engines behind one call: a page image in, text pieces with boxes and confidences out."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import numpy as np
from PIL import Image

from cxzy_docs.errors import DependencyMissing, ReadError

TESSERACT_LANG = "chi_sim"
TESSERACT_TIMEOUT = 300  # seconds for one page


@dataclass
class TextPiece:
    """A run of recognised text: a word (tesseract) or a text line (RapidOCR), in page pixels."""

    text: str
    confidence: float  # 0-1
    box: tuple[int, int, int, int]  # x0, y0, x1, y1

    @property
    def center(self) -> tuple[float, float]:
        return (self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2


class OcrEngine(Protocol):
    name: str
    tiles: bool  # reads best from cell crops stacked into one picture (else from the whole page)
    wipe_lines: bool  # reads best with the ruling lines rubbed out

    def read(self, image: Image.Image) -> list[TextPiece]:
        """Every piece of text on a greyscale page image."""
        ...


TILE_GAP = 40  # px of paper between stacked crops


def read_tiles(engine: OcrEngine, patches: list[tuple[Image.Image, tuple[int, int]]]) -> list[TextPiece]:
    """OCR crops of one page in one engine call: stacked top to bottom, pieces mapped back to the page.

    ``patches`` are (crop, (x, y) of the crop on the page). Each piece goes back by its middle.
    """
    if not patches:
        return []
    width = max(p.width for p, _ in patches) + 2 * TILE_GAP
    height = sum(p.height for p, _ in patches) + TILE_GAP * (len(patches) + 1)
    sheet = Image.new("L", (width, height), 255)
    tops = []
    y = TILE_GAP
    for crop, _ in patches:
        sheet.paste(crop, (TILE_GAP, y))
        tops.append(y)
        y += crop.height + TILE_GAP
    sheet.info["dpi"] = patches[0][0].info.get("dpi", (200, 200))
    out = []
    for piece in engine.read(sheet):
        cy = piece.center[1]
        k = max(0, min(len(tops) - 1, bisect_right(tops, cy) - 1))
        (ox, oy), dy = patches[k][1], tops[k]
        x0, y0, x1, y1 = piece.box
        out.append(
            TextPiece(
                piece.text,
                piece.confidence,
                (x0 - TILE_GAP + ox, y0 - dy + oy, x1 - TILE_GAP + ox, y1 - dy + oy),
            )
        )
    return out


class TesseractEngine:
    """Debian's ``tesseract`` with ``chi_sim``, one process per page, TSV output."""

    name = "tesseract"
    tiles = True
    wipe_lines = True  # else stubs of crossing lines read as 丨, 1, |

    def __init__(self, psm: int = 4, scale: float = 1.0) -> None:
        self.psm = psm
        self.scale = scale
        exe = shutil.which("tesseract")
        if not exe:
            raise DependencyMissing(
                "未安装 tesseract，无法识别扫描件。请安装：apt-get install tesseract-ocr tesseract-ocr-chi-sim"
            )
        self.exe: str = exe
        if TESSERACT_LANG not in _tesseract_langs(exe):
            raise DependencyMissing(
                "tesseract 缺少简体中文语言包。请安装：apt-get install tesseract-ocr-chi-sim"
            )

    def read(self, image: Image.Image) -> list[TextPiece]:
        buf = io.BytesIO()
        dpi = image.info.get("dpi", (200, 200))[0] * self.scale
        if self.scale != 1.0:
            image = image.resize(
                (round(image.width * self.scale), round(image.height * self.scale)), Image.Resampling.BICUBIC
            )
        image.save(buf, "PPM")  # uncompressed PGM: nothing to encode, leptonica reads it from stdin
        # One OpenMP thread: tesseract's threads only spin on two cores (measured: same time, half the CPU).
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            proc = subprocess.run(
                [
                    self.exe,
                    "stdin",
                    "stdout",
                    "-l",
                    TESSERACT_LANG,
                    "--psm",
                    str(self.psm),
                    "--dpi",
                    str(round(dpi)),
                    "-c",
                    "preserve_interword_spaces=1",
                    "tsv",
                ],
                input=buf.getvalue(),
                capture_output=True,
                timeout=TESSERACT_TIMEOUT,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ReadError(f"tesseract 识别一页超过 {TESSERACT_TIMEOUT} 秒，已放弃") from None
        if proc.returncode != 0:
            err = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise ReadError(f"tesseract 识别失败：{err[0]}")
        pieces = _parse_tsv(proc.stdout.decode("utf-8", "replace"))
        if self.scale != 1.0:
            for p in pieces:
                p.box = tuple(round(v / self.scale) for v in p.box)  # type: ignore[assignment]
        return pieces


def _parse_tsv(tsv: str) -> list[TextPiece]:
    out = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        x, y, w, h = (int(row[k]) for k in ("left", "top", "width", "height"))
        conf = max(0.0, min(1.0, float(row.get("conf") or 0) / 100))
        out.append(TextPiece(text, conf, (x, y, x + w, y + h)))
    return out


@cache
def _tesseract_langs(exe: str) -> frozenset[str]:
    proc = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    return frozenset(line.strip() for line in proc.stdout.splitlines()[1:])


_DET_SHORT_SIDE = 736  # RapidOCR's own setting for its detector (det limit_side_len, limit_type min)


class RapidOcrEngine:
    """RapidOCR (PP-OCRv4 det + rec, ONNX models inside the ``rapidocr-onnxruntime`` wheel)."""

    name = "rapidocr"
    tiles = False
    wipe_lines = False  # the lines keep its text detector from running one cell's text into the next

    def __init__(self) -> None:
        self.ocr = _rapidocr()

    def read(self, image: Image.Image) -> list[TextPiece]:
        rgb = np.asarray(image.convert("RGB"))
        # The detector scales an image up until its short side is 736 px: a crop one line high
        # (a block read again on its own) would be scaled 10x and take seconds. At most 2x.
        self.ocr.text_det.limit_side_len = min(_DET_SHORT_SIDE, 2 * min(rgb.shape[:2]))  # type: ignore[attr-defined]
        try:
            result, _ = self.ocr(rgb, use_cls=False, return_word_box=True)  # type: ignore[operator]
        except MemoryError:
            raise
        except Exception:  # onnxruntime's own errors (out of memory under a cap, a bad model)
            raise ReadError("OCR 引擎出错，可改用 tesseract：CXZY_LIMITS=ocr_engine=tesseract") from None
        out: list[TextPiece] = []
        for item in result or []:
            quad, text, score = item[:3]
            words = item[3:6] if len(item) >= 6 else ([], [], [])
            if words[0] and len(words[0]) == len(words[1]) == len(words[2]):
                # One piece per character (or Latin word): a line the detector ran over a cell border splits.
                out.extend(
                    TextPiece(str(w), float(c), _box(q))
                    for q, w, c in zip(*words, strict=True)
                    if str(w).strip()
                )
            elif str(text).strip():
                out.append(TextPiece(str(text), float(score), _box(quad)))
        return out

    def read_lines(self, image: Image.Image) -> list[TextPiece]:
        """Every text line on a greyscale image, whole (as the detector found it), for judging which
        way up a page is: a line that runs down the page is read too, turned, and its box shows it."""
        rgb = np.asarray(image.convert("RGB"))
        self.ocr.text_det.limit_side_len = min(_DET_SHORT_SIDE, 2 * min(rgb.shape[:2]))  # type: ignore[attr-defined]
        try:
            result, _ = self.ocr(rgb, use_cls=False)  # type: ignore[operator]
        except MemoryError:
            raise
        except Exception:
            raise ReadError("OCR 引擎出错，可改用 tesseract：CXZY_LIMITS=ocr_engine=tesseract") from None
        return [
            TextPiece(str(text), float(score), _box(quad))
            for quad, text, score, *_rest in result or []
            if str(text).strip()
        ]


def _box(quad: object) -> tuple[int, int, int, int]:
    pts = np.asarray(quad, dtype=np.float64).reshape(-1, 2)
    return int(pts[:, 0].min()), int(pts[:, 1].min()), int(pts[:, 0].max()), int(pts[:, 1].max())


@cache
def _rapidocr() -> object:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        raise DependencyMissing("未安装 RapidOCR。请安装：pip install rapidocr-onnxruntime") from None
    # A 200 dpi A4 page (1654x2339 px) is shrunk to 2000 px high for detection: measured as accurate
    # as the full page on the test scans, and less work.
    return RapidOCR(max_side_len=2000, print_verbose=False)


ENGINES = {"rapidocr": RapidOcrEngine, "tesseract": TesseractEngine}


def get_engine(name: str) -> OcrEngine:
    """An engine by name (``rapidocr`` or ``tesseract``); DependencyMissing when it is not installed."""
    try:
        factory = ENGINES[name]
    except KeyError:
        raise ValueError(f"未知的 OCR 引擎：{name!r}（可用：{'、'.join(ENGINES)}）") from None
    engine: OcrEngine = factory()
    return engine
