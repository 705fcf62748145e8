"""Pages the wrong way up: a sheet fed upside down into the copier, a page photographed sideways.

Deskewing straightens a page a few degrees off; a page turned a quarter or half round reads as
nothing (no label is found, the whole book is lost). When the reading of a page yields little
readable Chinese, the page is read small at the other three turns; a turn that reads clearly more
is the page's way up, and the page is read again that way. An upright page costs nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PIL import Image

from cxzy_docs.read.ocr_engines import OcrEngine, TextPiece

TURNS = (180, 90, 270)  # degrees counter-clockwise, tried in this order (upside down is the most common)
PROBE_SIDE = 900  # px: the long side of the small copy a turn is tried on (characters ~15 px high)
MIN_READABLE = 12  # a page reading fewer sure Chinese characters than this is tried at other turns
MIN_TURNED = 30  # a turn is taken only when it reads at least this many
SURE = 0.8  # the recogniser's confidence for a character to count as read
BETTER = 2.5  # a turn must read this many times the characters of the page as it came
PLAIN = 60  # a turn reading this many is the way up: the other turns are not tried
RUNS_SAMPLE = 600  # characters looked at to tell whether lines run down the page (an evenly spread sample)

_HAN = re.compile(r"[\u4e00-\u9fff]")


def readable(pieces: Iterable[TextPiece]) -> int:
    """How many Chinese characters were read with confidence."""
    return sum(len(_HAN.findall(p.text)) for p in pieces if p.confidence >= SURE)


def runs_down(pieces: list[TextPiece]) -> bool:
    """Whether the characters read sit mostly one under another rather than side by side: the lines
    run down the page (a page a quarter turn off, whose lines an engine turns and reads anyway)."""
    import numpy as np

    boxes = np.array([p.box for p in pieces if len(p.text) == 1 and _HAN.match(p.text)], dtype=np.float64)
    if len(boxes) < MIN_READABLE:
        return False
    boxes = boxes[:: max(1, len(boxes) // RUNS_SAMPLE)]  # the pairs below grow with the square of the count
    cx, cy = (boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2
    size = np.maximum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]).clip(1)
    dx, dy = np.abs(cx[:, None] - cx[None, :]), np.abs(cy[:, None] - cy[None, :])
    near = size[:, None] * 1.6
    np.fill_diagonal(dx, np.inf)
    across = ((dy < size[:, None] * 0.4) & (dx < near)).any(axis=1).sum()
    down = ((dx < size[:, None] * 0.4) & (dy < near)).any(axis=1).sum()
    return bool(down > 2 * across)


def upright_lines(lines: Iterable[TextPiece]) -> int:
    """How many Chinese characters were read with confidence in lines that run across the page (a
    line running down it, on a page a quarter turn off, is read too by engines that turn tall lines,
    so reading alone does not tell the way up; the lines' direction does)."""
    return sum(
        len(_HAN.findall(p.text))
        for p in lines
        if p.confidence >= SURE and (p.box[2] - p.box[0]) >= (p.box[3] - p.box[1]) * min(2, len(p.text))
    )


def best_turn(gray: Image.Image, engine: OcrEngine) -> int:
    """The turn (0, 90, 180 or 270 degrees counter-clockwise) that puts the page the right way up,
    judged on a small copy by the characters read in lines running across the page; 0 unless a turn
    reads clearly more than the page as it came. The first turn that reads plainly is taken (two small
    readings for a sheet fed upside down)."""
    scale = min(1.0, PROBE_SIDE / max(gray.size))
    small = gray.resize((max(1, round(gray.width * scale)), max(1, round(gray.height * scale))))
    read_lines = getattr(engine, "read_lines", engine.read)
    as_is = upright_lines(read_lines(small))
    best, best_count = 0, as_is
    for turn in TURNS:
        count = upright_lines(read_lines(small.rotate(turn, expand=True)))
        if count >= MIN_TURNED and count >= BETTER * max(best_count, 1):
            best, best_count = turn, count
            if count >= PLAIN:
                break
    return best


def turned(gray: Image.Image, turn: int) -> Image.Image:
    """The page turned ``turn`` degrees counter-clockwise (its resolution kept)."""
    if not turn:
        return gray
    out = gray.rotate(turn, expand=True)
    out.info.update(gray.info)
    return out
