"""Finding a table's ruling lines in a page image: binarise, deskew, line tracks, cell grid with spans."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image

MAX_SKEW_DEGREES = 5.0


@dataclass
class Track:
    """One ruling line: its position across (y of a horizontal line, x of a vertical one) and where it is inked."""

    pos: float
    inked: np.ndarray  # bool along the line's direction, page-long

    def covers(self, start: float, end: float, *, margin: int = 4) -> float:
        """Share (0-1) of ``start..end`` (shrunk by ``margin`` at both ends) where the line is drawn."""
        a, b = round(start) + margin, round(end) - margin
        if b <= a:
            return 1.0
        return float(self.inked[a:b].mean())


@dataclass
class TableCellBox:
    """A cell found in the image: its top-left grid position, its spans and its pixel box."""

    row: int
    col: int
    rowspan: int
    colspan: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 of the ruling lines around it


@dataclass
class TableGrid:
    """One table on one page: the x of its vertical lines, the y of its horizontal lines, its cells."""

    xs: list[float]
    ys: list[float]
    cells: list[TableCellBox] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        return round(self.xs[0]), round(self.ys[0]), round(self.xs[-1]), round(self.ys[-1])


# ------------------------------------------------------------------------------ binarise, deskew


def grey_level(gray: np.ndarray, share: float) -> int:
    """The grey level below which ``share`` of the pixels lie (a percentile, from the histogram)."""
    hist = np.cumsum(np.bincount(gray.ravel(), minlength=256))
    return int(np.searchsorted(hist, share * hist[-1]))


def otsu_threshold(gray: np.ndarray) -> int:
    """The grey level that best splits ink from paper (Otsu's method)."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    levels = np.arange(256)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    w1 = total - w0
    mean_all = m0[-1] / total
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean_all * w0 - m0) ** 2 / (w0 * w1)
    between = np.nan_to_num(between)
    return int(np.argmax(between))


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """True where there is ink. A page of blank paper (one grey level) has no ink."""
    if int(gray.max()) - int(gray.min()) < 40:
        return np.zeros(gray.shape, dtype=bool)
    return gray <= otsu_threshold(gray)


def _profile_score(ys: np.ndarray, xs: np.ndarray, angle: float, height: int) -> float:
    shifted = np.round(ys - xs * np.tan(np.radians(angle))).astype(np.int64) + height
    hist = np.bincount(shifted, minlength=3 * height).astype(np.float64)
    return float((hist * hist).sum())


def estimate_skew(ink: np.ndarray) -> float:
    """How far the page is turned, in degrees counter-clockwise (±5), like PIL's ``rotate``.

    Found as the slant whose row profile of ink is sharpest.
    Ruling lines and text lines both run horizontally, so the right angle piles the most ink
    into the fewest rows. Coarse search on a 4x reduced mask, then finer around the best.
    """
    h, w = ink.shape
    best = 0.0
    for factor, span, step in ((4, MAX_SKEW_DEGREES, 0.1), (2, 0.15, 0.01)):
        small = ink[: h - h % factor, : w - w % factor]
        small = small.reshape(h // factor, factor, w // factor, factor).any(axis=(1, 3))  # type: ignore[assignment]
        ys, xs = np.nonzero(small)
        if len(ys) < 50:
            return 0.0
        if len(ys) > 40_000:  # a sample keeps the profile as sharp, at a fraction of the work
            pick = np.random.default_rng(0).choice(len(ys), 40_000, replace=False)
            ys, xs = ys[pick], xs[pick]
        angles = np.arange(best - span, best + span + step / 2, step)
        scores = [_profile_score(ys, xs, a, small.shape[0]) for a in angles]
        best = float(angles[int(np.argmax(scores))])
    # Lines running y = y0 + x*tan(best) (y down) were turned by -best counter-clockwise.
    return -best


def deskew(gray: Image.Image) -> tuple[Image.Image, float]:
    """The page turned straight, and the angle (degrees counter-clockwise) it had been turned by."""
    angle = estimate_skew(ink_mask(np.asarray(gray)))
    if abs(angle) < 0.05:
        return gray, 0.0
    paper = grey_level(np.asarray(gray), 0.9)
    return gray.rotate(-angle, resample=Image.Resampling.BILINEAR, fillcolor=paper), angle


# ------------------------------------------------------------------------------------ line tracks


def long_runs(mask: np.ndarray, min_len: int) -> np.ndarray:
    """Keep only horizontal runs of True at least ``min_len`` long (a morphological opening)."""
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    diff = np.diff(padded.ravel())
    starts = np.flatnonzero(diff == 1)
    ends = np.flatnonzero(diff == -1)
    keep = (ends - starts) >= min_len
    out = np.zeros(h * (w + 2) + 1, dtype=np.int8)
    out[starts[keep] + 1] = 1  # runs are apart by a zero at least: no index is both a start and an end
    out[ends[keep] + 1] = -1
    return np.cumsum(out[1:], dtype=np.int8).reshape(h, w + 2)[:, :w] > 0


def _bridge(mask: np.ndarray) -> np.ndarray:
    """Close one-pixel breaks along rows and thicken by a pixel across them (a line drawn slightly aslant)."""
    out = mask.copy()
    out[:, 1:-1] |= mask[:, :-2] & mask[:, 2:]
    out[1:] |= mask[:-1]
    out[:-1] |= mask[1:]
    return out


def _tracks(runs: np.ndarray) -> list[Track]:
    """Horizontal ruling lines from a mask of long runs, one Track per line (rows of a thick line grouped)."""
    counts = runs.sum(axis=1)
    rows = np.flatnonzero(counts > 0)
    tracks: list[Track] = []
    if not len(rows):
        return tracks
    for g in np.split(rows, np.flatnonzero(np.diff(rows) > 3) + 1):
        weights = counts[g].astype(np.float64)
        tracks.append(Track(float((g * weights).sum() / weights.sum()), runs[g].any(axis=0)))  # type: ignore[arg-type]
    return tracks


# --------------------------------------------------------------------------------- the cell grid


def _components(hs: list[Track], vs: list[Track], tol: int) -> list[tuple[list[Track], list[Track]]]:
    """Group lines that cross or touch each other: each group is one table."""
    n = len(hs) + len(vs)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            x, y = round(v.pos), round(h.pos)
            if h.inked[max(0, x - tol) : x + tol + 1].any() and v.inked[max(0, y - tol) : y + tol + 1].any():
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Track], list[Track]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _merge_close(tracks: list[Track], tol: float) -> list[Track]:
    """Lines closer than ``tol`` are one (a double rule, or one line drawn a pixel apart)."""
    out: list[Track] = []
    for t in sorted(tracks, key=lambda t: t.pos):
        if out and t.pos - out[-1].pos < tol:
            out[-1] = Track((out[-1].pos + t.pos) / 2, out[-1].inked | t.inked)
        else:
            out.append(t)
    return out


def build_grid(hs: list[Track], vs: list[Track], *, min_share: float = 0.5) -> TableGrid:
    """Cells from the lines of one table: a missing line between two grid positions joins them."""
    ys = [t.pos for t in hs]
    xs = [t.pos for t in vs]
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and vs[c + 1].covers(ys[r], ys[r + 1]) < min_share:
                parent[find(r * nc + c + 1)] = find(r * nc + c)
            if r + 1 < nr and hs[r + 1].covers(xs[c], xs[c + 1]) < min_share:
                parent[find((r + 1) * nc + c)] = find(r * nc + c)
    regions: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            regions.setdefault(find(r * nc + c), []).append((r, c))
    grid = TableGrid(xs, ys)
    taken: set[tuple[int, int]] = set()
    for positions in sorted(regions.values()):
        r0 = min(p[0] for p in positions)
        r1 = max(p[0] for p in positions)
        c0 = min(p[1] for p in positions)
        c1 = max(p[1] for p in positions)
        if (r0, c0) in taken:
            continue  # an L-shaped region: its bounding box was already given to a cell
        taken.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
        box = (round(xs[c0]), round(ys[r0]), round(xs[c1 + 1]), round(ys[r1 + 1]))
        grid.cells.append(TableCellBox(r0, c0, r1 - r0 + 1, c1 - c0 + 1, box))
    grid.cells.sort(key=lambda c: (c.row, c.col))
    return grid


def find_tables(ink: np.ndarray, *, dpi: float = 200) -> list[TableGrid]:
    """The ruled tables of a (straight) page's ink mask, top to bottom."""
    return ruled_tables(ink, dpi=dpi)[0]


def ruled_tables(ink: np.ndarray, *, dpi: float = 200) -> tuple[list[TableGrid], np.ndarray]:
    """The ruled tables of a straight page, top to bottom, and the pixels of their lines (to wipe).

    A ruling line is a run of ink at least ~0.8 cm long (longer than any character); lines that
    cross or touch form one table; a table needs two lines each way. Only runs lying on a table's
    own lines are line pixels, so long strokes of large characters stay.
    """
    min_len = max(20, round(dpi * 0.32))
    h_runs = long_runs(_bridge(ink), min_len)
    v_runs = long_runs(_bridge(ink.T), min_len)
    hs, vs = _tracks(h_runs), _tracks(v_runs)
    tol = max(3, round(dpi / 40))
    tables = []
    for h_group, v_group in _components(hs, vs, tol):
        h_lines = _merge_close(h_group, tol * 2)
        v_lines = _merge_close(v_group, tol * 2)
        if len(h_lines) >= 2 and len(v_lines) >= 2:
            tables.append(build_grid(h_lines, v_lines))
    tables.sort(key=lambda t: t.ys[0])
    mask = np.zeros_like(ink)
    v_runs = v_runs.T
    for t in tables:
        x0, y0, x1, y1 = t.bbox
        xa, xb, ya, yb = max(0, x0 - tol), x1 + tol + 1, max(0, y0 - tol), y1 + tol + 1
        for y in t.ys:
            a, b = max(0, round(y) - tol), round(y) + tol + 1
            mask[a:b, xa:xb] |= h_runs[a:b, xa:xb] & ink[a:b, xa:xb]
        for x in t.xs:
            a, b = max(0, round(x) - tol), round(x) + tol + 1
            mask[ya:yb, a:b] |= v_runs[ya:yb, a:b] & ink[ya:yb, a:b]
    return tables, mask


# ------------------------------------------------------------------- broken lines: their debris

DASH_GAP_INCHES = 1.2  # gaps along a broken line closed up to this length
DASH_MIN_INCHES = 1.5  # a row of dashes this long (gaps closed) at least is a broken ruling line
DASH_MIN_DRAWN = 0.2  # ... drawn over this share of its length at least (not strokes of text in a row)
DEBRIS_ON_LINE_SHARE = 0.7  # a piece of ink is debris of the lines when this share of it lies on them
DEBRIS_BY_TEXT_SHARE = 0.3  # ... and no more than this share of it is right beside other ink


def _thin_pieces(ink: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """(labels, keep): the connected pieces of ink, and which are made of thin strokes only and are
    longer than a stroke is wide (a dash, or dashes crossing as + L T). A character whose strokes
    close on themselves (口, 日) holds more ink than its outline allows and is not one."""
    import cv2

    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    stroke = max(2.0, dpi / 45)
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    keep = (stats[:, cv2.CC_STAT_AREA] <= 1.3 * (w + h) * stroke) & (
        np.maximum(w, h) >= max(6, round(dpi / 30))
    )
    keep[0] = False
    return labels, keep


def _dash_rows(dashes: np.ndarray, dpi: float) -> np.ndarray:
    """The dashes that lie in a row with others, over a long stretch (gaps closed), drawn over a
    fair share of it: a broken horizontal line, not a stroke of text."""
    import cv2

    gap = max(1, round(DASH_GAP_INCHES * dpi))
    closed = cv2.morphologyEx(_bridge(dashes).astype(np.uint8), cv2.MORPH_CLOSE, np.ones((1, gap), np.uint8))
    runs = long_runs(closed.astype(bool), round(DASH_MIN_INCHES * dpi))
    h, w = runs.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = runs
    diff = np.diff(padded, axis=1)
    for y, x0 in zip(*np.nonzero(diff == 1), strict=True):
        x1 = x0 + int(np.argmax(diff[y, x0:] == -1))
        if dashes[y, x0:x1].mean() < DASH_MIN_DRAWN:
            runs[y, x0:x1] = False
    return dashes & runs  # type: ignore[no-any-return]


def broken_line_debris(ink: np.ndarray, *, dpi: float = 200) -> np.ndarray:
    """The pixels of ruling lines broken into dashes (too short for :func:`ruled_tables` to see as
    lines): read as text they become 一 丨 「 」 and section labels run into the text beside them.
    Each piece of thin strokes with a dash lying in a long row or column of dashes, whole."""
    try:
        labels, keep = _thin_pieces(ink, dpi)
    except ImportError:  # pragma: no cover - RapidOCR brings OpenCV
        return np.zeros_like(ink, dtype=bool)
    if not keep.any():
        return np.zeros_like(ink, dtype=bool)
    thin = keep[labels]
    shortest = max(6, round(dpi / 30))
    on_line = _dash_rows(long_runs(thin, shortest), dpi) | _dash_rows(long_runs(thin.T, shortest), dpi).T
    on_line = _bridge(_bridge(on_line).T).T & thin  # and the edges of its strokes
    # a piece most of whose ink lies on the lines: a stroke of a character that happens to stand in
    # a line's row has the rest of the character beside it
    area = np.bincount(labels.ravel(), minlength=len(keep))
    on = np.bincount(labels[on_line], minlength=len(keep))
    # a stroke of text (一 in a line of characters) has characters right beside it; a dash of a
    # ruling line has paper or other dashes (the text in a cell keeps its distance from the lines)
    import cv2

    reach = max(3, round(dpi / 25))
    text = (ink & ~_bridge(_bridge(on_line).T).T).astype(np.uint8)
    near_text = cv2.dilate(text, np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)).astype(bool)
    crowded = np.bincount(labels[near_text & thin], minlength=len(keep))
    hit = (
        keep
        & (on >= DEBRIS_ON_LINE_SHARE * np.maximum(area, 1))
        & (crowded <= DEBRIS_BY_TEXT_SHARE * np.maximum(area, 1))
    )
    hit[0] = False
    return hit[labels]  # type: ignore[no-any-return]
