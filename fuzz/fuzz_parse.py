"""Fuzz the readers: parse seeded mutants of real files in bounded workers, record every crasher.

Usage (from the repository root)::

    python -m fuzz.fuzz_parse --format docx,xlsx,pdf --count 10000 --seed 1 --timeout 10 --jobs 2
    python -m fuzz.fuzz_parse --format doc,xls --count 200 --timeout 60
    python -m fuzz.fuzz_parse --production --format docx,xlsx,pdf,image --count 10000 --timeout 10

``--production`` reads every mutant as ``cxzy parse`` does (the bounded, reused worker and the real
limits: ``max_memory_mb``, ``parse_timeout`` set to ``--timeout``), and checks each ends within
2 x ``parse_timeout`` and under ``max_memory_mb`` (images: OCR, with tesseract, has its own bound).

Every mutant must end as a record that passes ``check_record`` or as a ``CxzyError`` with a
Chinese message, within ``--timeout`` seconds and ``--max-rss`` MB peak resident memory; anything
else (an uncaught exception, a hang, a dead worker, runaway memory) is a crasher, saved under
``--out`` with a ``summary.json`` line. The exit status is 1 when any crasher was found.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fuzz.mutators import mutate  # noqa: E402
from fuzz.runner import BoundedParser, Outcome, ProductionParser  # noqa: E402

DATA = ROOT / "tests" / "data"
SEED_GLOBS = {
    "docx": ["forms-dev/*.docx", "made/*.docx"],
    "xlsx": ["forms-dev/*.xlsx", "made-readers/*.xlsx"],
    "pdf": ["forms-dev/*.pdf", "made-readers/*.pdf"],
    "doc": ["made-readers/*.doc", "made-readers/*.wps"],
    "xls": ["made-readers/*.xls", "made-readers/*.et"],
    "image": ["scans/m01-p3.png"],  # made small (see image_seeds): PNG, JPEG and TIFF a CI can afford
}
IMAGE_WIDTH = 360  # pixels: OCR of a seed takes a fraction of a second
FORMATS = tuple(SEED_GLOBS)


def seed_files(fmt: str) -> list[Path]:
    return sorted(p for g in SEED_GLOBS[fmt] for p in DATA.glob(g))


def image_seeds() -> list[tuple[Path, bytes]]:
    """The scanned page made small, as PNG, JPEG and TIFF (deterministic bytes)."""
    import io

    from PIL import Image

    with Image.open(seed_files("image")[0]) as img:
        small = img.convert("L").resize((IMAGE_WIDTH, IMAGE_WIDTH * img.height // img.width))
    seeds = []
    for fmt, ext in (("PNG", ".png"), ("JPEG", ".jpg"), ("TIFF", ".tif")):
        buf = io.BytesIO()
        small.save(buf, format=fmt)
        seeds.append((Path(f"seed{ext}"), buf.getvalue()))
    return seeds


def make_mutant(fmt: str, seeds: list[tuple[Path, bytes]], seed: int, i: int) -> tuple[Path, bytes]:
    """Mutant number ``i`` of a run: the same (seed, i) always gives the same bytes."""
    rng = random.Random(f"{seed}:{fmt}:{i}")
    source, data = seeds[rng.randrange(len(seeds))]
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        data = mutate(fmt, rng, data)
    return source, data


def fuzz_format(
    fmt: str,
    count: int,
    *,
    seed: int = 1,
    timeout: float = 10.0,
    jobs: int = 2,
    mem_limit_mb: int = 1536,
    max_rss_mb: float = 200.0,
    out: Path | None = None,
    log: bool = False,
    ocr: bool = False,
    production: bool = False,
) -> dict:
    """Parse ``count`` mutants of the seed files of ``fmt``; returns the run's figures and crashers."""
    seeds = image_seeds() if fmt == "image" else [(p, p.read_bytes()) for p in seed_files(fmt)]
    if not seeds:
        raise SystemExit(f"no seed files for {fmt}")
    counts: Counter[str] = Counter()
    crashers: list[dict] = []
    peak = 0.0
    slowest = 0.0
    lock = threading.Lock()
    next_i = iter(range(count))
    start = time.perf_counter()
    ext = seeds[0][0].suffix

    def parser() -> BoundedParser | ProductionParser:
        if production:  # OCR: tesseract (faster) and exempt from max_memory_mb, or off with --no-ocr
            return ProductionParser(
                timeout=timeout, ocr_exempt=True, settings={"ocr_engine": "tesseract", "ocr": bool(ocr)}
            )
        return BoundedParser(timeout=timeout, mem_limit_mb=mem_limit_mb, max_rss_mb=max_rss_mb, ocr=ocr)

    def work(tmp: Path) -> None:
        nonlocal peak, slowest
        with parser() as parser_:
            while True:
                with lock:
                    i = next(next_i, None)
                if i is None:
                    return
                source, data = make_mutant(fmt, seeds, seed, i)
                path = tmp / f"mutant{ext}"
                path.write_bytes(data)
                outcome: Outcome = parser_.parse(path)
                with lock:
                    counts[outcome.status] += 1
                    peak = max(peak, outcome.peak_rss_mb)
                    slowest = max(slowest, outcome.seconds)
                    if outcome.failed:
                        entry = {
                            "format": fmt,
                            "index": i,
                            "seed": seed,
                            "source": source.name,
                            **asdict(outcome),
                        }
                        if out is not None:
                            out.mkdir(parents=True, exist_ok=True)
                            name = f"{fmt}-{outcome.status}-s{seed}-{i}{ext}"
                            (out / name).write_bytes(data)
                            entry["file"] = name
                            with (out / "summary.jsonl").open("a", encoding="utf-8") as fh:
                                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
                        crashers.append(entry)
                        if log:
                            print(
                                f"  {fmt} #{i} {outcome.status}: {outcome.signature} {outcome.detail[:120]}",
                                flush=True,
                            )
                    done = sum(counts.values())
                    if log and done % 500 == 0:
                        rate = done / (time.perf_counter() - start)
                        print(f"{fmt}: {done}/{count} ({rate:.1f}/s) {dict(counts)}", flush=True)

    with tempfile.TemporaryDirectory(prefix="cxzy-fuzz-") as tmp:
        dirs = [Path(tmp) / f"w{k}" for k in range(max(1, jobs))]
        for d in dirs:
            d.mkdir()
        threads = [threading.Thread(target=work, args=(d,)) for d in dirs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    elapsed = time.perf_counter() - start
    return {
        "format": fmt,
        "mutants": sum(counts.values()),
        "seconds": round(elapsed, 1),
        "per_second": round(sum(counts.values()) / elapsed, 1),
        "outcomes": dict(counts),
        "peak_rss_mb": round(peak, 1),
        "slowest_s": round(slowest, 2),
        "crashers": crashers,
        "signatures": dict(Counter(c["signature"] for c in crashers)),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--format", default="docx,xlsx,pdf", help=f"comma-separated: {','.join(FORMATS)}")
    ap.add_argument("--count", type=int, default=1000, help="mutants per format")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--timeout", type=float, default=10.0, help="seconds per parse before it counts as a hang"
    )
    ap.add_argument("--jobs", type=int, default=2, help="worker processes")
    ap.add_argument("--mem-limit", type=int, default=1536, help="worker address-space cap, MB (RLIMIT_AS)")
    ap.add_argument(
        "--max-rss", type=float, default=200.0, help="peak resident MB per parse before it is flagged"
    )
    ap.add_argument(
        "--ocr",
        action="store_true",
        help="let scans and PDFs without a text layer go to the OCR engine (--production: tesseract; "
        "without it they are refused by the setting ocr=false)",
    )
    ap.add_argument("--out", type=Path, default=ROOT / "fuzz" / "out", help="where crashers are saved")
    ap.add_argument(
        "--production",
        action="store_true",
        help="read mutants as `cxzy parse` does: the bounded worker and the real limits",
    )
    args = ap.parse_args(argv)
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        ap.error(f"unknown format(s): {', '.join(bad)}")
    found = 0
    for fmt in formats:
        print(f"== {fmt}: {args.count} mutants, seed {args.seed}", flush=True)
        result = fuzz_format(
            fmt,
            args.count,
            seed=args.seed,
            timeout=args.timeout,
            jobs=args.jobs,
            mem_limit_mb=args.mem_limit,
            max_rss_mb=args.max_rss,
            out=args.out,
            log=True,
            ocr=args.ocr,
            production=args.production,
        )
        found += len(result["crashers"])
        shown = {k: v for k, v in result.items() if k != "crashers"}
        print(json.dumps(shown, ensure_ascii=False, indent=1), flush=True)
    print(f"crashers: {found}" + (f" (saved in {args.out})" if found else ""))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
