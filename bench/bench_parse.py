"""Parsing speed: ms per book and ratios against the floor and the peers.

    python bench/bench_parse.py [--books 1000]

- DOCX (read + extract) against a raw lxml walk of word/document.xml (floor; target within 10x)
  and against python-docx's cell walk (the peer; ours must be far faster).
- PDF (read + extract) against pdfplumber's own ``extract_words`` over the same pages
  (target within 1.5x).
- A batch of N DOCX books parsed in one process (target: 1,000 in under 5 s).
- The layout-free stream path against the grid path on the same files (read + extract; target:
  the stream path at most 1.5x the grid path).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchutil import timed  # noqa: E402
from lxml import etree  # noqa: E402

from cxzy_docs.read import parse_file  # noqa: E402
from cxzy_docs.render.docx import render_docx  # noqa: E402
from cxzy_docs.render.pdf import render_pdf_one  # noqa: E402

GOLD = ROOT / "tests" / "data" / "forms-dev" / "dev-2010-m01.docx.gold.json"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def lxml_walk(path: Path) -> int:
    """The floor: unzip document.xml and walk tables/rows/cells reading gridSpan, vMerge and text."""
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    n = 0
    for tc in root.iter(W + "tc"):
        pr = tc.find(W + "tcPr")
        if pr is not None:
            pr.find(W + "gridSpan")
            pr.find(W + "vMerge")
        n += len("".join(t.text or "" for t in tc.iter(W + "t")))
    return n


def python_docx_walk(path: Path) -> int:
    import docx

    d = docx.Document(str(path))
    return sum(len(c.text) for t in d.tables for r in t.rows for c in r.cells)


def pdfplumber_words(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return sum(len(p.extract_words()) for p in pdf.pages)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--books", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    rec = json.loads(GOLD.read_text(encoding="utf-8"))
    rec.pop("_meta", None)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        docx_path = d / "book.docx"
        docx_path.write_bytes(render_docx(rec))
        pdf_path = d / "book.pdf"
        pdf_path.write_bytes(render_pdf_one(rec))

        ours = timed(lambda: parse_file(docx_path), args.rounds)
        floor = timed(lambda: lxml_walk(docx_path), args.rounds)
        peer = timed(lambda: python_docx_walk(docx_path), max(5, args.rounds // 2))
        print(f"DOCX  cxzy-docs parse   {ours:8.2f} ms/book")
        print(
            f"DOCX  raw lxml walk     {floor:8.2f} ms/book   ratio ours/floor       = {ours / floor:6.2f} (target <= 10)"
        )
        print(f"DOCX  python-docx walk  {peer:8.2f} ms/book   ratio python-docx/ours = {peer / ours:6.2f}")

        ours_pdf = timed(lambda: parse_file(pdf_path), max(5, args.rounds // 2))
        words = timed(lambda: pdfplumber_words(pdf_path), max(5, args.rounds // 2))
        print(f"PDF   cxzy-docs parse   {ours_pdf:8.2f} ms/book")
        print(
            f"PDF   pdfplumber words  {words:8.2f} ms/book   ratio ours/pdfplumber  = {ours_pdf / words:6.2f} (target <= 1.5)"
        )

        from cxzy_docs.read import read_grid
        from cxzy_docs.read.extract import extract

        for label, path, rounds in (
            ("DOCX", docx_path, args.rounds),
            ("PDF ", pdf_path, max(5, args.rounds // 2)),
        ):
            by_grid = timed(lambda p=path: extract(read_grid(p), path="grid"), rounds)
            by_stream = timed(lambda p=path: extract(read_grid(p), path="stream"), rounds)
            print(
                f"{label}  grid path {by_grid:8.2f} ms   stream path {by_stream:8.2f} ms   "
                f"ratio stream/grid = {by_stream / by_grid:5.2f} (target <= 1.5)"
            )

        if args.books:
            data = io.BytesIO(docx_path.read_bytes()).getvalue()
            paths = []
            for i in range(args.books):
                p = d / f"b{i}.docx"
                p.write_bytes(data)
                paths.append(p)
            t0 = time.perf_counter()
            n = sum(len(parse_file(p)) for p in paths)
            secs = time.perf_counter() - t0
            print(f"BATCH {args.books} DOCX books, parse_file in-process:  {secs:6.2f} s ({n} records)")
            batch_costs(paths, secs)


def _workers_cpu() -> float:
    """CPU seconds the live reading workers have used (from /proc: they are not waited for)."""
    from cxzy_docs.read import worker

    total = 0.0
    for w in worker._workers:
        proc = w._proc
        if proc is not None and proc.poll() is None:
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def batch_costs(paths: list[Path], in_process: float) -> None:
    """What `cxzy parse`/`import` pay: the batch through parse_many, read in-process (isolate=false), in
    one bounded, reused worker, and in two (the default on this 2-core machine type). Wall time is
    shown with the CPU time of this process and its workers: on a shared machine the second is the
    steadier measure of the worker's cost."""
    from cxzy_docs.read.batch import parse_many
    from cxzy_docs.read.worker import shared, started

    figures = {}
    for name, limits in (
        ("in-process", "isolate=false"),
        ("1 worker", "isolate=true,workers=1"),
        ("2 workers", "isolate=true,workers=2"),
    ):
        os.environ["CXZY_LIMITS"] = limits
        if name != "in-process":
            for k in range(2):
                shared(k).close()  # each run starts its own workers: their start is part of the cost
        t0, c0 = time.perf_counter(), time.process_time()
        outcomes = parse_many(paths)
        cpu = time.process_time() - c0 + _workers_cpu()
        figures[name] = (time.perf_counter() - t0, cpu)
        assert all(o.error is None for o in outcomes), [o.error for o in outcomes if o.error][:3]
    del os.environ["CXZY_LIMITS"]
    n = len(paths)
    for name, (wall, cpu) in figures.items():
        print(f"BATCH {n} DOCX books, parse_many {name:11s} {wall:6.2f} s wall, {cpu:6.2f} s CPU")
    wall_cost = figures["1 worker"][0] - figures["in-process"][0]
    cpu_cost = figures["1 worker"][1] - figures["in-process"][1]
    print(
        f"      worker cost (1 worker vs in-process, its start included): {wall_cost:+.2f} s wall, "
        f"{cpu_cost:+.2f} s CPU = {cpu_cost / n * 1000:+.2f} ms CPU/book; default 2 workers: "
        f"{figures['2 workers'][0]:.2f} s (target < 5 s); {started()} workers started"
    )


if __name__ == "__main__":
    main()
