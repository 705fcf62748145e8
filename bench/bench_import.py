"""Import speed: ``cxzy import`` of N DOCX books against ``cxzy parse --json`` of the same files.

    python bench/bench_import.py [--books 1000] [--db URL]

Both run as a person runs them (a fresh process each, its own reading workers); the import goes into
an empty store (an SQLite file unless ``--db`` names another, e.g. a PostgreSQL URL), so that every
book is looked up by identity and stored. Prints wall and CPU seconds (this process's children: the
command and its workers) of each and their ratio. Target: the import at most 1.5x the parse.
"""

from __future__ import annotations

import argparse
import copy
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

from cxzy_docs.render.docx import render_docx  # noqa: E402

TARGET = 1.5
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def make_books(folder: Path, n: int) -> None:
    base = next(
        r for r in json.loads((ROOT / "samples" / "records.json").read_text("utf-8")) if r["kind"] == "member"
    )
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        rec = copy.deepcopy(base)
        rec["subject"]["name"] = (
            SURNAMES[i % 20] + GIVEN[(i // 20) % len(GIVEN)] + GIVEN[(i // 480) % len(GIVEN)]
        )
        rec["subject"]["birth"] = f"{1950 + i % 50}-{1 + i % 12:02d}"
        rec["commitment"]["text"] = f"{rec['commitment']['text'] or ''}（第{i + 1}号）"
        (folder / f"book-{i:05d}.docx").write_bytes(render_docx(rec))


def run(args: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its workers)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "cxzy_docs", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{args[0]} failed: {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--books", type=int, default=1000)
    ap.add_argument("--db", help="a store URL to import into (default: a new SQLite file); must be empty")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cxzy-bench-import-") as tmp:
        folder = Path(tmp) / "books"
        t0 = time.perf_counter()
        make_books(folder, a.books)
        print(f"{a.books} DOCX books made in {time.perf_counter() - t0:.1f} s")
        db = a.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        parse_wall, parse_cpu = run(["parse", "--json", str(folder)])
        import_wall, import_cpu = run(["import", str(folder), "--db", db])
        # the parse again after the import: a machine whose load changed shows in the two parse figures
        parse2_wall, parse2_cpu = run(["parse", "--json", str(folder)])
    pw, pc = min(parse_wall, parse2_wall), min(parse_cpu, parse2_cpu)
    print(
        f"parse --json : wall {parse_wall:.1f} s / {parse2_wall:.1f} s, CPU {parse_cpu:.1f} s / {parse2_cpu:.1f} s"
    )
    print(
        f"import       : wall {import_wall:.1f} s, CPU {import_cpu:.1f} s ({a.books / import_wall:.0f} books/s)"
    )
    print(
        f"ratio import/parse: wall {import_wall / pw:.2f}x, CPU {import_cpu / pc:.2f}x (target <= {TARGET}x)"
    )


if __name__ == "__main__":
    main()
