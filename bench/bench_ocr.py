"""OCR of the test scans per engine: character accuracy against the gold, fields right, seconds per page.

Run: python bench/bench_ocr.py [--engines rapidocr,tesseract]. Compares with plain ``tesseract`` on the
same page images (the floor). Field accuracy goes through the extractor when it is there.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from gold import fit_distance, leaves  # noqa: E402

from cxzy_docs.read import label_hints  # noqa: E402
from cxzy_docs.read.ocr import read_scan  # noqa: E402
from cxzy_docs.textnorm import fold_width  # noqa: E402

SCANS = ROOT / "tests" / "data" / "scans"
GOLD = ROOT / "tests" / "data" / "forms-dev"
BOOKS = {"m01-scan.pdf": "dev-2010-m01.docx.gold.json", "o01-scan.pdf": "dev-2010-o01.docx.gold.json"}


def squash(text: str) -> str:
    return "".join(fold_width(text).split())


def gold_strings(gold: dict) -> list[tuple[str, str]]:
    """(path, squashed value) of every text, name and date-free string leaf of a gold record."""
    out = []
    for path, value in leaves(gold):
        if (
            isinstance(value, str)
            and not path.endswith(("date", ".period"))
            and path not in ("kind", "schema")
        ):
            out.append((path, squash(value)))
    return out


def char_accuracy(gold: dict, ocr_text: str) -> tuple[float, int, int]:
    """(share of gold characters read right, fields found verbatim, fields) over the gold's strings."""
    hay = squash(ocr_text)
    total = wrong = found = 0
    leaves = gold_strings(gold)
    for _, value in leaves:
        d = fit_distance(value, hay)
        total += len(value)
        wrong += d
        found += d == 0
    return 1 - wrong / max(total, 1), found, len(leaves)


def field_accuracy(gold: dict, record: dict) -> tuple[int, int, list[str]]:
    from cxzy_docs.model import get_field

    right = n = 0
    misses = []
    for path, value in leaves(gold):
        got = get_field(record, path)
        same = (
            squash(str(got)) == squash(str(value))
            if isinstance(value, str) and got is not None
            else got == value
        )
        n += 1
        right += same
        if not same:
            misses.append(f"{path}: {got!r} != {value!r}")
    return right, n, misses


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (steadier than wall time on a busy machine)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def tesseract_floor(pdf: Path) -> tuple[float, float, int]:
    """(wall, CPU) seconds per page of plain ``tesseract page.png out -l chi_sim`` on the same pages."""
    import pypdfium2 as pdfium

    with tempfile.TemporaryDirectory() as tmp:
        doc = pdfium.PdfDocument(str(pdf))
        pages = []
        for i in range(len(doc)):
            img = doc[i].render(scale=200 / 72, grayscale=True).to_pil().convert("L")
            pages.append(Path(tmp) / f"p{i}.png")
            img.save(pages[-1])
        doc.close()
        t, c = time.perf_counter(), cpu_seconds()
        for p in pages:
            subprocess.run(
                ["tesseract", str(p), str(p.with_suffix("")), "-l", "chi_sim"],
                capture_output=True,
                check=True,
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            )
        n = len(pages)
        return (time.perf_counter() - t) / n, (cpu_seconds() - c) / n, n


def path_ratio(pdf: Path, engine_name: str) -> tuple[float, float, int]:
    """(whole-page path CPU s, the engine's own CPU s, pages): the path is making the page flat
    (pageprep), deskew, ruling lines, one OCR call and placing the pieces; the engine's own time is
    its one call on the same flat page."""
    import pypdfium2 as pdfium

    from cxzy_docs.read.ocr import read_page
    from cxzy_docs.read.ocr_engines import get_engine
    from cxzy_docs.read.pageprep import prepare
    from cxzy_docs.read.tablelines import deskew

    engine = get_engine(engine_name)
    doc = pdfium.PdfDocument(str(pdf))
    pages = [doc[i].render(scale=200 / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
    doc.close()
    engine.read(pages[0])  # warm up: the model loaded once
    path = own = 0.0
    for n, img in enumerate(pages, 1):
        c = cpu_seconds()
        flat = prepare(img, dpi=200, target=200).image
        read_page(flat, n, engine)
        path += cpu_seconds() - c
        straight, _ = deskew(flat)
        c = cpu_seconds()
        engine.read(straight)
        own += cpu_seconds() - c
    return path, own, len(pages)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engines", default="rapidocr,tesseract")
    ap.add_argument("--ratio-only", action="store_true", help="only the whole-page path / engine ratio")
    args = ap.parse_args()
    for engine in args.engines.split(","):
        path, own, n = path_ratio(SCANS / "m01-scan.pdf", engine)
        print(
            f"{engine}: whole-page path {path / n:.2f} s/page CPU, the engine alone {own / n:.2f} s/page: "
            f"{path / own:.2f}x (target <= 1.2x)",
            flush=True,
        )
    if args.ratio_only:
        return
    try:
        from cxzy_docs.read.extract import extract
    except ImportError:
        extract = None
    results = {}
    for scan, gold_name in BOOKS.items():
        gold = json.loads((GOLD / gold_name).read_text(encoding="utf-8"))
        floor, floor_cpu, npages = tesseract_floor(SCANS / scan)
        print(f"{scan}: {npages} pages; plain tesseract {floor:.2f} s/page (CPU {floor_cpu:.2f} s)")
        for engine in args.engines.split(","):
            read_scan(SCANS / "m01-p3.png", settings={"ocr_engine": engine})  # warm up: models loaded
            t, c = time.perf_counter(), cpu_seconds()
            grid = read_scan(SCANS / scan, settings={"ocr_engine": engine}, hints=label_hints())
            per_page = (time.perf_counter() - t) / npages
            cpu = (cpu_seconds() - c) / npages
            acc, found, nleaves = char_accuracy(gold, grid.text())
            line = (
                f"  {engine:10s} {per_page:5.2f} s/page ({per_page / floor:.2f}x tesseract), "
                f"CPU {cpu:5.2f} s/page ({cpu / floor_cpu:.2f}x)  "
                f"chars {acc:.1%}  strings verbatim {found}/{nleaves}"
            )
            if extract is not None:
                right, n, misses = field_accuracy(gold, extract(grid))
                line += f"  fields {right}/{n} ({right / n:.1%})"
                results[(scan, engine)] = misses
            print(line)
    for (scan, engine), misses in results.items():
        for m in misses:
            print(f"  miss {scan} {engine}: {m}")


if __name__ == "__main__":
    main()
