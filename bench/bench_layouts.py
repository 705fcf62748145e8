"""Field accuracy on generated layouts: per producer and per variation (tests/layoutgen.py).

    python bench/bench_layouts.py --books 500 --seed 1            # development seeds
    python bench/bench_layouts.py --books 500 --seed 900          # held-out seeds (900-999): the final figure
    python bench/bench_layouts.py --books 60 --producers lo-pdf,python-docx --examples 20 --keep /tmp/lg

Every book is a random record laid out by a random draw of every variation and rendered by a
random producer; the table gives, for all books, each producer and each variation (axis=value),
the books, the files, the fields compared, the share read right, and the files split into exactly
as many books as they hold. ``--examples`` prints the wrong fields of that many books.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from layoutprod import PRODUCERS, convert_docs, plan, produce, score, table  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--books", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--producers", default=",".join(PRODUCERS))
    ap.add_argument("--examples", type=int, default=0, help="print the wrong fields of this many books")
    ap.add_argument("--keep", help="write the files here (kept) instead of a temporary folder")
    ap.add_argument("--top", type=int, default=15, help="the field paths most often wrong")
    args = ap.parse_args(argv)
    producers = [p.strip() for p in args.producers.split(",") if p.strip()]
    cases = plan(args.seed, args.books, producers)
    with tempfile.TemporaryDirectory(prefix="bench-layouts-") as tmp:
        out = Path(args.keep) if args.keep else Path(tmp)
        t0 = time.perf_counter()
        unmade = produce(cases, out)
        converted = convert_docs(cases, out)
        made = time.perf_counter() - t0
        res = score(cases, converted=converted, examples=args.examples)
    print(
        f"seed {args.seed}: {sum(len(c.records) for c in cases)} books in {len(cases)} files "
        f"(made in {made:.0f} s, read in {res.seconds:.1f} s)"
    )
    if unmade:
        print(f"({len(unmade)} files LibreOffice could not make, left out: {', '.join(unmade)})")
    print(table(res))
    if res.errors:
        print(f"\n{len(res.errors)} files not read:")
        print("\n".join("  " + e for e in res.errors[:20]))
    if args.top:
        print(
            "\nfields most often wrong:",
            ", ".join(f"{p} {n}" for p, n in res.wrong_fields.most_common(args.top)),
        )
    for ex in res.examples:
        print("\n" + ex)
    return 0


if __name__ == "__main__":
    sys.exit(main())
