"""A seeded generator of scanned and photographed record books: page images degraded the way paper is.

Our own books (``cxzy fill``'s PDF) and the layout generator's books (``layoutgen``, through
LibreOffice to PDF) are rendered to page images with ``pdftoppm``, then degraded by one *kind*:

- ``clean``: a 200 dpi scan (a little tilt and speckle, JPEG q90).
- ``thin-lines``: ruling lines one pixel wide and grey.
- ``grey-lines``: ruling lines light grey (195-225 on white paper): the scans from elsewhere.
- ``broken-lines``: ruling lines with a third to a half of their length missing, in gaps.
- ``no-lines``: no ruling lines at all.
- ``perspective``: the page taken at 5-12° off square (a keystone), on a scanner lid.
- ``shadow``: uneven light (a gradient, a soft shadow band, dark corners).
- ``blur``: out of focus (Gaussian, 1.0-1.6 px at 200 dpi).
- ``jpeg``: JPEG quality 60-75 with colour noise.
- ``dpi150``: scanned at 150 dpi.
- ``photo``: a phone photo on a desk: the page smaller than the frame on a wood-like background,
  5-12° perspective, uneven light, colour cast, slight blur, JPEG 70; no resolution stated.

Measured on their own (``--kinds``; not in the default run, whose seeds stay as they were):

- ``upside-down``: a clean scan with some sheets (at least one) fed into the copier the wrong way up.
- ``photo-sideways``: phone photos stored as the sensor took them, sideways, their way up in EXIF.
- ``curl``: phone photos of a page that bows like a bound book's (rows sag, columns crowd at the spine).

Scanner kinds give an image-only PDF (one page image each); ``photo`` gives a folder of JPGs,
one per page (read with ``--pages-of-one-book``). ``make_stack`` makes a stack of several books
scanned into one PDF (a copier's output). Each case writes a ``.gold.json`` beside its file.

Held-out seeds: 900-999 are kept for the final measurement (``bench/bench_scans.py --seed 900``).
"""

from __future__ import annotations

import io
import json
import math
import random
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageFilter

HELD_OUT_SEEDS = range(900, 1000)
KINDS = (
    "clean",
    "thin-lines",
    "grey-lines",
    "broken-lines",
    "no-lines",
    "perspective",
    "shadow",
    "blur",
    "jpeg",
    "dpi150",
    "photo",
)
LINE_KINDS = ("thin-lines", "grey-lines", "broken-lines", "no-lines")
# Kinds measured on their own (``--kinds``), not in the default run (so the default seeds stay as they were):
# ``upside-down``: a clean scan with some sheets fed into the copier the wrong way up (180°);
# ``photo-sideways``: phone photos whose pixels are stored sideways, their way up said in EXIF;
# ``curl``: phone photos of a page that bends (a bound book that will not lie flat).
MORE_KINDS = ("upside-down", "photo-sideways", "curl")
SOURCES = ("ours", "layout")  # our writer's PDF, or a layoutgen layout through LibreOffice


# ------------------------------------------------------------------------------------ page images


def raster(pdf: bytes | Path, dpi: int) -> list[Image.Image]:
    """Every page of a PDF as an RGB image at ``dpi`` (pdftoppm)."""
    with tempfile.TemporaryDirectory(prefix="scangen-") as tmp:
        src = Path(tmp) / "in.pdf"
        if isinstance(pdf, Path):
            src = pdf
        else:
            src.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", str(src), str(Path(tmp) / "p")],
            check=True,
            capture_output=True,
            timeout=300,
        )
        files = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        out = []
        for f in files:
            with Image.open(f) as im:
                out.append(im.convert("RGB"))
        return out


def line_mask(img: Image.Image, dpi: int) -> np.ndarray:
    """The ruling lines of a clean page: ink in horizontal or vertical runs longer than ~0.4 inch."""
    import cv2

    grey = np.asarray(img.convert("L"))
    ink = (grey < 170).astype(np.uint8)
    n = max(20, int(dpi * 0.4))
    h = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, n), np.uint8))
    v = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((n, 1), np.uint8))
    mask = (h | v).astype(bool)
    # the anti-aliased edge of each line too
    grown = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    return grown & (grey < 235)


def restyle_lines(img: Image.Image, kind: str, dpi: int, rng: np.random.Generator) -> Image.Image:
    """The page with its ruling lines thinned, greyed, broken or removed."""
    import cv2

    a = np.asarray(img).copy()
    mask = line_mask(img, dpi)
    if not mask.any():
        return img
    a[mask] = 255  # paper where the lines were
    if kind == "no-lines":
        return Image.fromarray(a)
    n = max(20, int(dpi * 0.4))
    m8 = mask.astype(np.uint8)
    hmask = cv2.morphologyEx(m8, cv2.MORPH_OPEN, np.ones((1, n), np.uint8)).astype(bool)
    vmask = cv2.morphologyEx(m8, cv2.MORPH_OPEN, np.ones((n, 1), np.uint8)).astype(bool)
    if kind == "thin-lines":
        # one pixel of each line only: the top row of a horizontal line, the left column of a vertical one
        keep = (hmask & ~np.roll(hmask, 1, axis=0)) | (vmask & ~np.roll(vmask, 1, axis=1))
        level = int(rng.integers(110, 160))
    elif kind == "grey-lines":
        keep = mask
        level = int(rng.integers(195, 226))
    else:  # broken-lines
        keep = mask & _gaps(mask.shape, dpi, rng)
        level = int(rng.integers(140, 200))
    a[keep] = np.minimum(a[keep], level)
    return Image.fromarray(a)


def _gaps(shape: tuple[int, ...], dpi: int, rng: np.random.Generator) -> np.ndarray:
    """A mask with a third to a half of every row and column cut out, in gaps of 0.1-0.6 inch."""
    h, w = shape[:2]

    def runs(length: int) -> np.ndarray:
        keep = np.ones(length, bool)
        share = rng.uniform(0.33, 0.5)
        cut = 0
        while cut < share * length:
            g = int(rng.uniform(0.1, 0.6) * dpi)
            x = int(rng.integers(0, max(1, length - g)))
            cut += int((keep[x : x + g]).sum())
            keep[x : x + g] = False
        return keep

    # one pattern per band of rows / columns, so a line (a few pixels thick) breaks as a whole
    band = max(4, dpi // 25)
    rows = np.repeat(np.stack([runs(w) for _ in range(h // band + 1)]), band, axis=0)[:h]
    cols = np.repeat(np.stack([runs(h) for _ in range(w // band + 1)]), band, axis=0)[:w].T
    return rows & cols


def lighting(h: int, w: int, rng: np.random.Generator, strength: float = 1.0) -> np.ndarray:
    """A light field (0-1) over a page: a gradient, a soft shadow band, dark corners."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    yy /= h
    xx /= w
    angle = rng.uniform(0, 2 * math.pi)
    grad = np.cos(angle) * (xx - 0.5) + np.sin(angle) * (yy - 0.5)
    field_ = 1.0 - strength * rng.uniform(0.15, 0.3) * (grad + 0.7)
    # a shadow band (a hand, a phone) across the page
    b_angle = rng.uniform(0, math.pi)
    d = np.cos(b_angle) * (xx - rng.uniform(0.2, 0.8)) + np.sin(b_angle) * (yy - rng.uniform(0.2, 0.8))
    width = rng.uniform(0.06, 0.15)
    field_ *= 1.0 - strength * rng.uniform(0.25, 0.4) * np.exp(-((d / width) ** 2))
    r2 = (xx - 0.5) ** 2 + (yy - 0.5) ** 2
    field_ *= 1.0 - strength * rng.uniform(0.15, 0.3) * np.clip(r2 / 0.5, 0, 1) ** 1.5
    return np.clip(field_, 0.2, 1.0)


def _apply_light(img: Image.Image, light: np.ndarray) -> Image.Image:
    a = np.asarray(img, dtype=np.float32)
    a = a * light[..., None] if a.ndim == 3 else a * light
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def _noise(img: Image.Image, sigma: float, rng: np.random.Generator, colour: bool = False) -> Image.Image:
    a = np.asarray(img, dtype=np.float32)
    shape = a.shape if colour else a.shape[:2]
    n = rng.normal(0, sigma, shape).astype(np.float32)
    if not colour and a.ndim == 3:
        n = n[..., None]
    return Image.fromarray(np.clip(a + n, 0, 255).astype(np.uint8))


def _jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    with Image.open(buf) as im:
        return im.convert(img.mode)


def tilt_corners(w: int, h: int, angle: float, rng: np.random.Generator) -> np.ndarray:
    """Where a w×h page's corners land when it is seen ``angle`` degrees off square (a pinhole
    camera at 1.3 page heights; the tilt split between the two axes), with a small turn in plane."""
    share = rng.uniform(0.3, 1.0)
    ax = math.radians(angle) * share * rng.choice((-1, 1))
    ay = math.radians(angle) * math.sqrt(max(0.0, 1 - share**2)) * rng.choice((-1, 1))
    rz = math.radians(rng.uniform(-3, 3))
    f = 1.3 * max(w, h)
    pts = []
    for x, y in ((0, 0), (w, 0), (w, h), (0, h)):
        p = np.array([x - w / 2, y - h / 2, 0.0])
        rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
        ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
        rzm = np.array([[math.cos(rz), -math.sin(rz), 0], [math.sin(rz), math.cos(rz), 0], [0, 0, 1]])
        q = rzm @ ry @ rx @ p
        z = f + q[2]
        pts.append((f * q[0] / z, f * q[1] / z))
    return np.array(pts, dtype=np.float32)


def place(
    img: Image.Image, corners: np.ndarray, size: tuple[int, int], background: Image.Image
) -> Image.Image:
    """``img`` warped onto ``background`` (of ``size``) with its corners at ``corners`` (centred)."""
    import cv2

    w, h = img.size
    cw, ch = size
    c = corners - corners.mean(axis=0) + np.array([cw / 2, ch / 2], dtype=np.float32)
    m = cv2.getPerspectiveTransform(
        np.array([(0, 0), (w, 0), (w, h), (0, h)], np.float32), c.astype(np.float32)
    )
    src = np.asarray(img)
    warped = cv2.warpPerspective(
        src, m, (cw, ch), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0)
    )
    inside = cv2.warpPerspective(np.full((h, w), 255, np.uint8), m, (cw, ch), flags=cv2.INTER_LINEAR)
    alpha = (inside.astype(np.float32) / 255.0)[..., None]
    bg = np.asarray(background.convert("RGB").resize((cw, ch)), dtype=np.float32)
    out = warped.astype(np.float32) * alpha + bg * (1 - alpha)
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def desk(size: tuple[int, int], rng: np.random.Generator) -> Image.Image:
    """A wood-like desk: a brown or grey base, grain stripes, noise."""
    w, h = size
    base = np.array(
        rng.choice([(120, 85, 55), (150, 110, 70), (90, 70, 55), (110, 110, 115), (60, 60, 65)]),
        dtype=np.float32,
    )
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    freq = rng.uniform(0.01, 0.04)
    grain = np.sin(yy * freq + 3 * np.sin(xx * 0.003 + rng.uniform(0, 6))) * rng.uniform(6, 16)
    a = base[None, None, :] + grain[..., None] + rng.normal(0, 6, (h, w, 1)).astype(np.float32)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def bend(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """The page bowed like a bound book's: rows sag towards the spine side, columns crowd there."""
    import cv2

    a = np.asarray(img)
    h, w = a.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    spine_left = bool(rng.integers(0, 2))
    t = (1 - xx / w) if spine_left else xx / w  # 1 at the spine
    sag = rng.uniform(0.015, 0.035) * h * t**2 * np.sin(np.pi * yy / h) + rng.uniform(0.005, 0.015) * h * t**3
    crowd = rng.uniform(0.02, 0.05) * w * t**2 * (1 if spine_left else -1)
    map_x = (xx + crowd).astype(np.float32)
    map_y = (yy - sag).astype(np.float32)
    out = cv2.remap(
        a, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255)
    )
    return Image.fromarray(out)


def degrade(page: Image.Image, kind: str, dpi: int, rng: np.random.Generator) -> Image.Image:
    """One page image (RGB, clean, at ``dpi``) as the ``kind`` of scan or photo says."""
    img = page
    if kind in LINE_KINDS:
        img = restyle_lines(img, kind, dpi, rng)
    if kind == "curl":
        img = bend(img, rng)
    if kind in ("photo", "photo-sideways", "curl"):
        w, h = img.size
        angle = rng.uniform(5, 12)
        corners = tilt_corners(w, h, angle, rng)
        span = corners.max(axis=0) - corners.min(axis=0)
        scale = rng.uniform(1.12, 1.3)
        size = (int(span[0] * scale), int(span[1] * scale))
        paper = Image.new("RGB", img.size, tuple(int(v) for v in rng.integers(225, 250, 3)))
        img = Image.fromarray(np.minimum(np.asarray(img), np.asarray(paper)))
        img = place(img, corners, size, desk(size, rng))
        img = _apply_light(img, lighting(size[1], size[0], rng, 0.9))
        cast = np.array([rng.uniform(0.92, 1.0), rng.uniform(0.9, 0.98), rng.uniform(0.78, 0.92)], np.float32)
        img = Image.fromarray(np.clip(np.asarray(img, np.float32) * cast, 0, 255).astype(np.uint8))
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.0)))
        img = _noise(img, 4, rng, colour=True)
        return _jpeg(img, 70)
    if kind == "perspective":
        w, h = img.size
        corners = tilt_corners(w, h, rng.uniform(5, 12), rng)
        span = corners.max(axis=0) - corners.min(axis=0)
        size = (int(span[0] * 1.04), int(span[1] * 1.04))
        lid = Image.new("RGB", size, tuple([int(rng.integers(200, 240))] * 3))
        img = place(img, corners, size, lid)
    else:
        img = img.rotate(rng.uniform(-0.8, 0.8), resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255))
    if kind == "shadow":
        img = _apply_light(img, lighting(img.height, img.width, rng))
    if kind == "blur":
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 1.6) * dpi / 200))
    img = _noise(img, 3, rng, colour=kind == "jpeg")
    return _jpeg(img, int(rng.integers(60, 76)) if kind == "jpeg" else 90)


# ------------------------------------------------------------------------------------ the books


@dataclass
class ScanCase:
    """One generated input: a scanned PDF (or a folder of photos) and the gold books it holds."""

    name: str
    kind: str
    source: str  # ours | layout
    records: list[dict[str, Any]]
    path: Path | None = None
    pages: list[tuple[int, int]] = field(default_factory=list)  # each book's page range (1-based)

    @property
    def tags(self) -> list[str]:
        return [f"kind={self.kind}", f"source={self.source}"]


def book_pdfs(cases: list[tuple[str, str, list[dict[str, Any]], Any]], tmp: Path) -> dict[str, bytes]:
    """The text-layer PDF of each (name, source, records, layout): ours by our writer, a layout
    through LibreOffice (one soffice call for all)."""
    from layoutprod import libreoffice_batch, render_html

    from cxzy_docs.render.pdf import render_pdf, render_pdf_one

    out: dict[str, bytes] = {}
    html: list[Path] = []
    for name, source, records, lay in cases:
        if source == "ours":
            out[name] = render_pdf_one(records[0]) if len(records) == 1 else render_pdf(records)
        else:
            from layoutgen import Layout, build_document

            docs = []
            for i, rec in enumerate(records):
                book_lay = Layout(**{**lay.__dict__, "rng": random.Random(f"{name}/{i}")})
                docs.append(build_document(rec, book_lay))
            f = tmp / f"{name}.html"
            f.write_text(render_html(docs), encoding="utf-8")
            html.append(f)
    if html:
        libreoffice_batch(html, "lo-pdf", tmp)
        for f in html:
            pdf = tmp / f"{f.stem}.pdf"
            if pdf.exists():
                out[f.stem] = pdf.read_bytes()
    return out


def plan(
    seed: int, books: int, kinds: tuple[str, ...] = KINDS, sources: tuple[str, ...] = SOURCES
) -> list[tuple[str, str, str, list[dict[str, Any]], Any]]:
    """(name, kind, source, records, layout) of ``books`` books per kind, drawn from ``seed``."""
    from layoutgen import choose_layout, make_file_records

    rng = random.Random(seed)
    out = []
    for k, kind in enumerate(kinds):
        for i in range(books):
            source = sources[(i + k) % len(sources)]
            records = make_file_records(rng, 1)
            lay = None
            if source == "layout":
                # tables ruled like the government's or retyped ones (the line kinds need lines)
                lay = choose_layout(rng, ("government", "retyped", "split"))
            out.append((f"s{seed}-{kind}-{i:02d}", kind, source, records, lay))
    return out


def _save_pdf(pages: list[Image.Image], path: Path, dpi: int) -> None:
    first, *rest = pages
    first.save(path, "PDF", resolution=dpi, save_all=True, append_images=rest, quality=95)


def produce(
    seed: int, books: int, outdir: Path, kinds: tuple[str, ...] = KINDS, sources: tuple[str, ...] = SOURCES
) -> list[ScanCase]:
    """Write the scans (``<name>.pdf``) and photo folders (``<name>/p01.jpg``…) with their gold."""
    outdir.mkdir(parents=True, exist_ok=True)
    planned = plan(seed, books, kinds, sources)
    with tempfile.TemporaryDirectory(prefix="scangen-lo-") as tmp:
        pdfs = book_pdfs([(n, s, r, lay) for n, _, s, r, lay in planned], Path(tmp))
    cases = []
    for name, kind, source, records, _ in planned:
        if name not in pdfs:
            continue  # LibreOffice could not make it: left out, not a reading failure
        case = make_case(name, kind, source, records, pdfs[name], outdir, seed)
        cases.append(case)
    return cases


def make_case(
    name: str, kind: str, source: str, records: list[dict[str, Any]], pdf: bytes, outdir: Path, seed: int
) -> ScanCase:
    dpi = 150 if kind == "dpi150" else 200
    rng = np.random.default_rng(_stable(name))
    pages = [degrade(p, kind, dpi, rng) for p in raster(pdf, dpi)]
    if kind == "upside-down":  # some sheets, at least one, fed the wrong way up
        wrong = [i for i in range(len(pages)) if rng.random() < 0.4] or [int(rng.integers(0, len(pages)))]
        pages = [p.rotate(180) if i in wrong else p for i, p in enumerate(pages)]
    case = ScanCase(name, kind, source, records)
    if kind in ("photo", "photo-sideways", "curl"):
        folder = outdir / name
        folder.mkdir(exist_ok=True)
        for i, img in enumerate(pages, 1):
            if kind == "photo-sideways":  # the sensor's pixels, and which way is up in EXIF
                turn, tag = ((90, 6), (270, 8))[int(rng.integers(0, 2))]
                exif = Image.Exif()
                exif[0x0112] = tag
                img.rotate(turn, expand=True).save(folder / f"p{i:02d}.jpg", quality=92, exif=exif.tobytes())
            else:
                img.save(folder / f"p{i:02d}.jpg", quality=92)
        case.path = folder
    else:
        case.path = outdir / f"{name}.pdf"
        _save_pdf(pages, case.path, dpi)
    write_gold(case, outdir)
    return case


def _stable(name: str) -> int:
    """A seed from a name that is the same in every run (``hash`` of a str is not)."""
    import zlib

    return zlib.crc32(name.encode("utf-8"))


def write_gold(case: ScanCase, outdir: Path) -> None:
    (outdir / f"{case.name}.gold.json").write_text(
        json.dumps(
            {
                "kind": case.kind,
                "source": case.source,
                "pages": case.pages,
                "records": [{k: v for k, v in r.items() if k != "source"} for r in case.records],
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )


def make_stack(seed: int, books: int, outdir: Path, kind: str = "clean") -> ScanCase:
    """A stack of ``books`` of our books scanned into one image PDF, page ranges in the gold."""
    from layoutgen import make_file_records

    from cxzy_docs.render.pdf import render_pdf_one

    rng = random.Random(seed)
    records = make_file_records(rng, books)
    name = f"stack-s{seed}-{books}"
    nrng = np.random.default_rng(_stable(name))
    pages: list[Image.Image] = []
    ranges = []
    for rec in records:
        book = [degrade(p, kind, 200, nrng) for p in raster(render_pdf_one(rec), 200)]
        ranges.append((len(pages) + 1, len(pages) + len(book)))
        pages += book
    outdir.mkdir(parents=True, exist_ok=True)
    case = ScanCase(name, kind, "ours", records, outdir / f"{name}.pdf", ranges)
    _save_pdf(pages, case.path, 200)  # type: ignore[arg-type]
    write_gold(case, outdir)
    return case
