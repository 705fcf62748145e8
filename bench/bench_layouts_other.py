"""Field accuracy on books other people laid out (tests/data/layouts-other), per format, field kind, variation.

python bench/bench_layouts_other.py            # tables and every wrong field
python bench/bench_layouts_other.py --brief    # tables only
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from otherlayouts import OTHER, report, score_other  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", default=str(OTHER))
    ap.add_argument("--brief", action="store_true")
    args = ap.parse_args(argv)
    print(report(score_other(Path(args.dir)), wrong=not args.brief))
    return 0


if __name__ == "__main__":
    sys.exit(main())
