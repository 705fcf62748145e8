"""Pages first: a page image made flat before any OCR.

A phone photo has the page somewhere in the frame, on a desk, seen at an angle, with a shadow
across it; a scan may be grey at one side. Here each image is turned into what the table finder
and the OCR engine expect: the page cropped from its background, its perspective undone from its
four corners (to an A4 page at the OCR resolution), and its lighting evened out (paper white,
ink dark, whatever the shadow). Deskewing the straight page is left to :mod:`.tablelines`.

Uses OpenCV (``cv2``, installed with RapidOCR); without it, images pass through unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

A4_SHORT, A4_LONG = 8.27, 11.69  # inches
_WORK_SIDE = 1000  # px: the long side of the reduced image the page is looked for in
_MIN_PAGE_SHARE = 0.25  # a page smaller than this share of the frame is not taken for the page
_MAX_PAGE_SHARE = 0.93  # a "page" filling nearly the whole frame: a scan, nothing to crop
_UNEVEN = 18  # grey levels: paper varying more than this across the page gets its light evened


@dataclass
class Prepared:
    """A page made ready for OCR, and what was done to it (for messages and the debug view)."""

    image: Image.Image  # 8-bit grey, ``info["dpi"]`` set
    cropped: bool = False  # the page was found in a larger frame and cut out (perspective undone)
    evened: bool = False  # the lighting was evened out
    corners: tuple[tuple[float, float], ...] | None = None  # the page's corners in the image given


def _cv2() -> Any:
    try:
        import cv2
    except ImportError:  # pragma: no cover - RapidOCR brings it
        return None
    return cv2


def prepare(frame: Image.Image, *, dpi: float | None, target: float) -> Prepared:
    """``frame`` (any mode) as a flat grey page at ``target`` dpi.

    ``dpi``: what the file says of its resolution (None when it does not say, as photos do).
    """
    cv2 = _cv2()
    rgb = _rgb(frame)
    if cv2 is None:
        return Prepared(_scaled(Image.fromarray(rgb).convert("L"), dpi, target))
    corners = find_page(rgb)
    if corners is not None:
        gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        flat = _unwarp(gray, corners, target)
        out = Image.fromarray(flat, "L")
        cropped = True
    else:
        out = _scaled(Image.fromarray(rgb).convert("L"), dpi, target)
        cropped = False
    arr, evened = even_light(np.asarray(out))
    img = Image.fromarray(arr, "L")
    img.info["dpi"] = (target, target)
    return Prepared(img, cropped, evened, None if corners is None else tuple(map(tuple, corners.tolist())))


def _rgb(frame: Image.Image) -> np.ndarray:
    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"))
    return np.asarray(frame.convert("RGB"))


def _scaled(gray: Image.Image, dpi: float | None, target: float) -> Image.Image:
    """A whole image taken as the page: scaled to ``target`` dpi (an A4 page when the file does not
    say its resolution believably)."""
    stated = dpi if dpi is not None and 100 <= dpi <= 1200 else max(gray.size) / A4_LONG
    if abs(stated - target) / target > 0.15:
        factor = target / stated
        gray = gray.resize(
            (max(1, round(gray.width * factor)), max(1, round(gray.height * factor))),
            Image.Resampling.LANCZOS,
        )
    gray.info["dpi"] = (target, target)
    return gray


def find_page(rgb: np.ndarray) -> np.ndarray | None:
    """The four corners (top-left, top-right, bottom-right, bottom-left; image pixels) of a sheet of
    paper lying on a darker background, or None when the image is the page (a scan) or no sheet
    stands out.

    The paper is the largest bright region (Otsu on a reduced, smoothed grey image, holes of text
    closed); its outline is simplified to a quadrilateral, which must be convex and of a paper's
    proportions.
    """
    cv2 = _cv2()
    if cv2 is None:
        return None
    h, w = rgb.shape[:2]
    scale = _WORK_SIDE / max(h, w)
    small = cv2.resize(
        rgb, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA
    )
    grey = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), (7, 7), 0)
    # paper is bright and grey; a desk is darker, or coloured
    sat = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)[..., 1]
    score = cv2.subtract(grey, (sat // 2).astype(np.uint8))
    _, mask = cv2.threshold(score, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    k = max(3, round(_WORK_SIDE / 60))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((k, k), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    biggest = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(biggest)
    frame = small.shape[0] * small.shape[1]
    if not _MIN_PAGE_SHARE * frame <= area <= _MAX_PAGE_SHARE * frame:
        return None
    hull = cv2.convexHull(biggest)
    quad = None
    peri = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.05, 0.08):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            quad = approx.reshape(4, 2).astype(np.float32)
            break
    if quad is None:
        return None
    if cv2.contourArea(quad) < 0.85 * area:  # the outline is not a quadrilateral
        return None
    if _touches_border(quad, small.shape[1], small.shape[0]):
        return None  # cut off by the frame: its corners are not the page's
    corners = _order(quad) / scale
    tw, th = _sides(corners)
    ratio = min(tw, th) / max(tw, th)
    if not 0.45 <= ratio <= 0.95:
        return None
    result: np.ndarray | None = corners
    return result


def _touches_border(quad: np.ndarray, w: int, h: int) -> bool:
    m = 2
    return bool(sum((x <= m or y <= m or x >= w - 1 - m or y >= h - 1 - m) for x, y in quad) >= 2)


def _order(pts: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    s = pts.sum(axis=1)
    d = pts[:, 1] - pts[:, 0]
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], np.float32)


def _sides(c: np.ndarray) -> tuple[float, float]:
    top, bottom = np.linalg.norm(c[1] - c[0]), np.linalg.norm(c[2] - c[3])
    left, right = np.linalg.norm(c[3] - c[0]), np.linalg.norm(c[2] - c[1])
    return float((top + bottom) / 2), float((left + right) / 2)


def _unwarp(gray: np.ndarray, corners: np.ndarray, target: float) -> np.ndarray:
    """The page seen square: an A4 page at ``target`` dpi when its proportions are near A4's
    (perspective foreshortens them), else its own proportions at that scale."""
    cv2 = _cv2()
    w, h = _sides(corners)
    portrait = h >= w
    ratio = min(w, h) / max(w, h)
    if abs(ratio - A4_SHORT / A4_LONG) < 0.12:
        short, long_ = A4_SHORT * target, A4_LONG * target
    else:
        long_ = A4_LONG * target
        short = long_ * ratio
    ow, oh = (round(short), round(long_)) if portrait else (round(long_), round(short))
    dst = np.array([(0, 0), (ow - 1, 0), (ow - 1, oh - 1), (0, oh - 1)], np.float32)
    m = cv2.getPerspectiveTransform(corners.astype(np.float32), dst)
    interp = cv2.INTER_AREA if ow < w else cv2.INTER_CUBIC
    result: np.ndarray = cv2.warpPerspective(gray, m, (ow, oh), flags=interp, borderMode=cv2.BORDER_REPLICATE)
    return result


def paper_level(gray: np.ndarray) -> np.ndarray:
    """The brightness of the paper at every pixel of a page (float32, the page's shape): a max
    filter wider than a character's strokes removes the ink, a small blur smooths the steps."""
    cv2 = _cv2()
    h, w = gray.shape
    f = 4
    small = cv2.resize(gray, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    k = max(5, round(max(h, w) / f / 80)) | 1
    paper = cv2.dilate(small, np.ones((k, k), np.uint8))
    paper = cv2.GaussianBlur(paper, (0, 0), k / 3)
    result: np.ndarray = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    return result


def even_light(gray: np.ndarray) -> tuple[np.ndarray, bool]:
    """The page with its lighting evened out (shadow bands, dark corners, a grey side), and whether
    anything was done: the paper's brightness is estimated everywhere (a large max filter removes
    the ink, a blur smooths it) and every pixel divided by it. A page lit evenly is left as it is.
    """
    cv2 = _cv2()
    if cv2 is None or gray.size == 0:
        return gray, False
    paper = paper_level(gray)
    lo, hi = np.percentile(paper, [3, 97])
    if hi - lo <= _UNEVEN and hi >= 200:
        return gray, False
    out = gray.astype(np.float32) * (245.0 / np.maximum(paper, 1.0))
    return np.clip(out, 0, 255).astype(np.uint8), True
