"""Field accuracy on generated scans and photos, per degradation kind (tests/scangen.py).

    python bench/bench_scans.py --books 2 --seed 1                 # development seeds
    python bench/bench_scans.py --books 2 --seed 900               # held-out seeds (900-999): the final figure
    python bench/bench_scans.py --kinds grey-lines,photo --books 1 --keep /tmp/scans --examples 5
    python bench/bench_scans.py --stack 5                          # a stack of 5 books in one scanned PDF

For every kind: books, fields compared, the share read right, the wrong fields that were flagged
for a person (low confidence, or kept raw in ``problems``), and the wrong fields that were NOT
flagged ("silent": a wrong value given with high confidence, or a value missing with no word
about it). The silent ones are the failure that matters most.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from gold import field_accuracy  # noqa: E402
from scangen import KINDS, SOURCES, ScanCase, make_stack, produce  # noqa: E402

from cxzy_docs.model import get_field  # noqa: E402


@dataclass
class Tally:
    books: int = 0
    fields: int = 0
    right: int = 0
    flagged: int = 0  # wrong and flagged for a person
    silent_wrong: int = 0  # wrong value, high confidence, no problem
    silent_missing: int = 0  # no value, none expected otherwise, nothing said
    flagged_right: int = 0  # right but flagged (costs a person a look)
    seconds: float = 0.0
    pages: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.right / self.fields if self.fields else 1.0


def flagged_paths(rec: dict[str, Any], threshold: float = 0.8) -> set[str]:
    """Fields a person is asked to look at: low OCR confidence, or a value kept raw in ``problems``."""
    out = {
        p
        for p, prov in (rec.get("provenance") or {}).items()
        if isinstance(prov, dict) and float(prov.get("confidence", 1.0)) < threshold
    }
    for prob in rec.get("problems") or []:
        f = prob.get("field")
        if f:
            out.add(str(f))
    return out


def _is_flagged(path: str, flagged: set[str]) -> bool:
    return any(path == f or path.startswith(f + ".") or f.startswith(path + ".") for f in flagged)


def read_case(case: ScanCase) -> list[dict[str, Any]]:
    from cxzy_docs.read import parse_file

    assert case.path is not None
    if case.path.is_dir():
        return read_folder(case.path)
    return parse_file(case.path)


def read_folder(folder: Path) -> list[dict[str, Any]]:
    """A folder of page photos of one book, in name order."""
    try:
        from cxzy_docs.read import parse_pages_of_one_book
    except ImportError:  # before the reader had the entry: the OCR reader's own one-book call
        from cxzy_docs.read import label_hints
        from cxzy_docs.read.extract import extract_books
        from cxzy_docs.read.ocr import read_scans

        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
        return extract_books(read_scans(files, hints=label_hints()))
    return parse_pages_of_one_book(folder)


def score_case(case: ScanCase, records: list[dict[str, Any]], tally: Tally, examples: int) -> None:
    from layoutprod import _match

    for gold, rec in _match(case.records, records):
        tally.books += 1
        if rec is None:
            _, n, wrong = field_accuracy({"kind": None, "year": None}, gold)
            tally.fields += n
            tally.silent_missing += n
            if len(tally.examples) < examples:
                tally.examples.append(f"{case.name}: book not read")
            continue
        right, n, wrong = field_accuracy(rec, gold)
        flagged = flagged_paths(rec)
        tally.fields += n
        tally.right += right
        tally.flagged_right += sum(1 for p in flagged if p not in wrong and get_field(gold, p) is not None)
        silent = []
        for p in wrong:
            if _is_flagged(p, flagged):
                tally.flagged += 1
            elif get_field(rec, p) in (None, ""):
                tally.silent_missing += 1
                silent.append(p)
            else:
                tally.silent_wrong += 1
                silent.append(p)
        if silent and len(tally.examples) < examples:
            tally.examples.append(
                f"{case.name} ({case.source}): "
                + "; ".join(
                    f"{p}: got {get_field(rec, p)!r:.40} want {get_field(gold, p)!r:.40}" for p in silent[:6]
                )
            )


def table(tallies: dict[str, Tally]) -> str:
    lines = [
        f"{'kind':14} {'books':>5} {'fields':>6} {'accuracy':>9} {'flagged':>8} {'silent-wrong':>12} "
        f"{'silent-missing':>14} {'s/page':>7}"
    ]
    total = Tally()
    for name, t in tallies.items():
        lines.append(
            f"{name:14} {t.books:5d} {t.fields:6d} {t.rate:9.2%} {t.flagged:8d} {t.silent_wrong:12d} "
            f"{t.silent_missing:14d} {t.seconds / max(t.pages, 1):7.1f}"
        )
        for k in (
            "books",
            "fields",
            "right",
            "flagged",
            "silent_wrong",
            "silent_missing",
            "seconds",
            "pages",
        ):
            setattr(total, k, getattr(total, k) + getattr(t, k))
    lines.append(
        f"{'ALL':14} {total.books:5d} {total.fields:6d} {total.rate:9.2%} {total.flagged:8d} "
        f"{total.silent_wrong:12d} {total.silent_missing:14d} {total.seconds / max(total.pages, 1):7.1f}"
    )
    return "\n".join(lines)


def _pages(case: ScanCase) -> int:
    assert case.path is not None
    if case.path.is_dir():
        return len(list(case.path.glob("*.jpg")))
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(case.path))
    try:
        return len(doc)
    finally:
        doc.close()


def run_stack(seed: int, books: int, out: Path) -> None:
    case = make_stack(seed, books, out)
    t0 = time.perf_counter()
    records = read_case(case)
    took = time.perf_counter() - t0
    got = [tuple(r.get("part", {}).get("pages") or ()) for r in records]
    want = [tuple(p) for p in case.pages]
    tally = Tally()
    score_case(case, records, tally, 5)
    print(
        f"stack of {books} books, {case.pages[-1][1]} pages: read {len(records)} books in {took:.0f} s; "
        f"page ranges {'right' if got == want else 'WRONG'} (got {got}, want {want}); "
        f"fields {tally.rate:.2%}, silent wrong {tally.silent_wrong}, silent missing {tally.silent_missing}"
    )


def load_cases(folder: Path, kinds: tuple[str, ...]) -> list[ScanCase]:
    """The cases an earlier ``--keep`` run wrote (each file or photo folder beside its gold)."""
    out = []
    for gold in sorted(folder.glob("*.gold.json")):
        g = json.loads(gold.read_text(encoding="utf-8"))
        if g["kind"] not in kinds or gold.name.startswith("stack-"):
            continue
        name = gold.name.removesuffix(".gold.json")
        path = folder / name if (folder / name).is_dir() else folder / f"{name}.pdf"
        out.append(ScanCase(name, g["kind"], g["source"], g["records"], path, [tuple(p) for p in g["pages"]]))
    out.sort(key=lambda c: (kinds.index(c.kind), c.name))
    return out


def read_through_workers(
    cases: list[ScanCase], tallies: dict[str, Tally], workers: int, examples: int
) -> None:
    """Every case read as ``cxzy parse`` reads it: files and photo folders in the bounded workers,
    ``workers`` at once; prints the highest peak memory of a worker and the wall time."""
    from cxzy_docs import api

    settings = {"workers": workers}
    files = [c for c in cases if c.path is not None and not c.path.is_dir()]
    folders = [c for c in cases if c.path is not None and c.path.is_dir()]
    t0 = time.perf_counter()
    outcomes = api.parse([c.path for c in files], settings=settings)  # type: ignore[misc]
    outcomes += api.parse([c.path for c in folders], settings=settings, pages_of_one_book=True)  # type: ignore[misc]
    wall = time.perf_counter() - t0
    pages = 0
    for case, o in zip([*files, *folders], outcomes, strict=True):
        t = tallies[case.kind]
        t.seconds += o.seconds
        n = _pages(case)
        t.pages += n
        pages += n
        if o.error:
            print(f"  {case.name}: not read ({o.error})", flush=True)
        score_case(case, o.records, t, examples)
    peak = max((o.peak_mb for o in outcomes), default=0.0)
    print(
        f"read {len(outcomes)} inputs ({pages} pages) through {workers} workers in {wall:.0f} s "
        f"({wall / max(pages, 1):.1f} s/page wall); highest worker peak {peak:.0f} MB",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--books", type=int, default=2, help="books per kind")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--sources", default=",".join(SOURCES))
    ap.add_argument("--examples", type=int, default=3, help="silent wrong fields shown per kind")
    ap.add_argument("--keep", help="write the files here (kept) instead of a temporary folder")
    ap.add_argument(
        "--from", dest="from_dir", help="read the files kept in this folder by an earlier --keep run"
    )
    ap.add_argument("--only", help="with --from: only the cases whose name contains this (e.g. -00)")
    ap.add_argument("--stack", type=int, default=0, help="also a stack of this many books in one PDF")
    ap.add_argument("--json", help="write the tallies here as JSON")
    ap.add_argument(
        "--workers",
        type=int,
        default=0,
        help="read through the bounded workers of `cxzy parse` (this many at once) and print "
        "their peak memory; 0: in this process",
    )
    args = ap.parse_args(argv)
    kinds = tuple(k for k in args.kinds.split(",") if k)
    sources = tuple(s for s in args.sources.split(",") if s)
    with tempfile.TemporaryDirectory(prefix="bench-scans-") as tmp:
        out = Path(args.keep) if args.keep else Path(tmp)
        t0 = time.perf_counter()
        if args.from_dir:
            cases = [
                c for c in load_cases(Path(args.from_dir), kinds) if not args.only or args.only in c.name
            ]
            print(f"{len(cases)} files from {args.from_dir}", flush=True)
        else:
            cases = produce(args.seed, args.books, out, kinds, sources)
            print(
                f"seed {args.seed}: {len(cases)} files made in {time.perf_counter() - t0:.0f} s", flush=True
            )
        tallies: dict[str, Tally] = defaultdict(Tally)
        if args.workers:
            read_through_workers(cases, tallies, args.workers, args.examples)
        for case in [] if args.workers else cases:
            t = tallies[case.kind]
            start = time.perf_counter()
            try:
                records = read_case(case)
            except Exception as exc:  # a file the reader refuses scores zero on every field
                print(f"  {case.name}: not read ({exc})", flush=True)
                records = []
            t.seconds += time.perf_counter() - start
            t.pages += _pages(case)
            before = (t.fields, t.right, t.flagged, t.silent_wrong, t.silent_missing)
            score_case(case, records, t, args.examples)
            f, r, fl, sw, sm = (
                a - b
                for a, b in zip(
                    (t.fields, t.right, t.flagged, t.silent_wrong, t.silent_missing), before, strict=True
                )
            )
            print(
                f"  {case.name}: {len(records)} books, {r}/{f} fields, flagged {fl}, silent wrong {sw}, "
                f"silent missing {sm}",
                flush=True,
            )
        print(table({k: tallies[k] for k in kinds if k in tallies}))
        for k in kinds:
            for ex in tallies[k].examples if k in tallies else []:
                print(f"  [{k}] {ex}")
        if args.json:
            Path(args.json).write_text(
                json.dumps(
                    {
                        k: {
                            "fields": t.fields,
                            "right": t.right,
                            "flagged": t.flagged,
                            "silent_wrong": t.silent_wrong,
                            "silent_missing": t.silent_missing,
                        }
                        for k, t in tallies.items()
                    },
                    indent=1,
                )
            )
        if args.stack:
            run_stack(args.seed, args.stack, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
