"""Validation speed: 10,000 books (one 党委, 40 党总支, 160 branches, members) through ``validate``.

    python bench/bench_validate.py [--books 10000]

The books are those of bench_report.py: reviews assembled at random from many sentences, so the
analyser's clause cache helps only as much as real repetition would. Target: within 5 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import make_books

from cxzy_docs.check import clausefeat, reader, validate
from cxzy_docs.check.elements import _analyse, _read_clause, _read_sentence


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--books", type=int, default=10_000)
    args = ap.parse_args()
    books = make_books(args.books)
    reviews = sum(1 for b in books for p in b["periods"] if p["review"]["text"])
    for label in ("cold (empty review cache)", "warm (second run in one process)"):
        if label.startswith("cold"):
            _analyse.cache_clear()
            _read_sentence.cache_clear()
            _read_clause.cache_clear()
            reader.read_review.cache_clear()
            reader._score_sentence.cache_clear()
            reader._own_score.cache_clear()
            clausefeat.read_sentence.cache_clear()
            clausefeat.trace_sentence.cache_clear()
            clausefeat.base.cache_clear()
            reader._base_score.cache_clear()
        wall, cpu = time.perf_counter(), time.process_time()
        findings = validate(books)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"VALIDATE {len(books)} books, {reviews} reviews, {label}: {wall:5.2f} s wall, {cpu:5.2f} s CPU, "
            f"{wall / reviews * 1e6:4.0f} µs per review, {len(findings)} findings (target <= 5 s)"
        )


if __name__ == "__main__":
    main()
