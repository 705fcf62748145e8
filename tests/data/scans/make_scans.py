"""Makes the test scans in this folder from two filled books of ../forms-dev (run: python make_scans.py).

Each book goes DOCX -> PDF (LibreOffice) -> 200 dpi grey pages (pdftoppm), then is "scanned": rotated
a little, given paper grey, noise and blur, JPEG-compressed, and the pages wrapped into an image-only
PDF. The randomness is seeded, so a rerun with the same tools gives the same pictures. Also makes a
PDF whose fonts lost their ToUnicode maps, so its text layer reads as ``(cid:NN)`` glyph numbers.

Needs: soffice (LibreOffice), pdftoppm (poppler-utils), numpy, Pillow.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

HERE = Path(__file__).resolve().parent
FORMS_DEV = HERE.parent / "forms-dev"
DPI = 200


def to_pdf(docx: Path, out_dir: Path) -> Path:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out_dir / (docx.stem + ".pdf")


def raster(pdf: Path, out_dir: Path) -> list[Image.Image]:
    prefix = out_dir / pdf.stem
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-png", str(pdf), str(prefix)], check=True, timeout=180
    )
    pages = sorted(out_dir.glob(pdf.stem + "-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [Image.open(p).convert("L") for p in pages]


def scan(
    page: Image.Image, *, angle: float, paper: int, noise: float, blur: float, rng: np.random.Generator
) -> Image.Image:
    """A page as a cheap scanner would give it back: tilted, grey paper, speckled, a little soft."""
    tilted = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    a = np.asarray(tilted, dtype=np.float32)
    a = a * (paper / 255.0)  # white paper becomes grey, ink stays dark
    a += rng.normal(0.0, noise, a.shape)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")
    return img.filter(ImageFilter.GaussianBlur(blur)) if blur else img


def save_pdf(pages: list[Image.Image], path: Path, quality: int) -> None:
    """Image-only PDF: each page one JPEG, at the scan's resolution."""
    first, *rest = pages
    first.save(path, "PDF", resolution=DPI, save_all=True, append_images=rest, quality=quality)


def strip_tounicode(pdf: Path, out: Path) -> None:
    """Rename every font's /ToUnicode key (same length, so the xref offsets stay right)."""
    data = pdf.read_bytes()
    broken, n = re.subn(rb"/ToUnicode", b"/XoUnicode", data)
    if not n:
        raise SystemExit(f"{pdf} has no /ToUnicode to break")
    out.write_bytes(broken)


def main() -> None:
    for tool in ("soffice", "pdftoppm"):
        if not shutil.which(tool):
            sys.exit(f"missing tool: {tool}")
    rng = np.random.default_rng(20100101)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        m01 = to_pdf(FORMS_DEV / "dev-2010-m01.docx", work)
        o01 = to_pdf(FORMS_DEV / "dev-2010-o01.docx", work)
        m01_pages = raster(m01, work)
        o01_pages = raster(o01, work)

        # Whole books as image-only PDFs (gold: ../forms-dev/dev-2010-{m01,o01}.docx.gold.json).
        save_pdf(
            [scan(p, angle=1.5, paper=245, noise=6, blur=0.5, rng=rng) for p in m01_pages],
            HERE / "m01-scan.pdf",
            quality=55,
        )
        save_pdf(
            [scan(p, angle=-2.5, paper=215, noise=4, blur=0.7, rng=rng) for p in o01_pages],
            HERE / "o01-scan.pdf",
            quality=55,
        )

        # Single table pages: a clean PNG and a tilted grey JPEG (m01 page 3: the header rows).
        m01_pages[2].save(HERE / "m01-p3.png", optimize=True)
        scan(m01_pages[2], angle=-2.5, paper=225, noise=5, blur=0.6, rng=rng).save(
            HERE / "m01-p3-tilted.jpg", quality=60
        )

        # A text PDF whose text layer reads as (cid:NN): for ocr_pdf_pages.
        strip_tounicode(o01, HERE / "o01-cid.pdf")
    for p in sorted(HERE.iterdir()):
        if p.suffix != ".py":
            print(f"{p.name}: {p.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
