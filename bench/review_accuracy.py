"""Accuracy of the review-element analyser on every labelled set: per element accuracy, P, R.

    python bench/review_accuracy.py [--wrong] [--sets dev,hard,...] [--json OUT]

Sets: the JSONL files of tests/data whose name starts with ``reviews-`` (``dev2-work`` may be split
with ``--part work|check``: a fixed split by id, 80 to work on, 40 looked at only at checkpoints),
and the forms-dev gold records' labelled reviews (``gold``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cxzy_docs.check import ELEMENTS, analyse_review  # noqa: E402

DATA = ROOT / "tests" / "data"


def jsonl(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_reviews() -> list[dict]:
    items = []
    for path in sorted((DATA / "forms-dev").glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        labels = gold["_meta"].get("review_elements", {})
        for period in gold["periods"]:
            if period["period"] in labels:
                items.append({"id": f"{path.name}:{period['period']}", "text": period["review"]["text"],
                              "about": gold["kind"], **labels[period["period"]]})
    return items


def in_check_part(item_id: str) -> bool:
    """The fixed third of dev2-work kept out of sight while working (by a hash of the id)."""
    return hashlib.sha256(item_id.encode()).digest()[0] % 3 == 0


def load(name: str) -> list[dict]:
    if name == "gold":
        return gold_reviews()
    if name.startswith("dev2-work:"):
        part = name.split(":", 1)[1]
        return [i for i in jsonl("reviews-dev2-work.jsonl") if in_check_part(i["id"]) == (part == "check")]
    return jsonl(f"reviews-{name}.jsonl")


def score(items: list[dict]) -> tuple[dict[str, dict[str, float]], list[tuple[str, str, bool]]]:
    counts = {e: {"tp": 0, "fp": 0, "fn": 0, "tn": 0} for e in ELEMENTS}
    wrong = []
    for item in items:
        result = analyse_review(item["text"])
        for e in ELEMENTS:
            got, want = result.element(e).found, bool(item[e])
            counts[e][("tp" if want else "fp") if got else ("fn" if want else "tn")] += 1
            if got != want:
                wrong.append((item["id"], e, got))
    scores = {}
    for e, c in counts.items():
        n = sum(c.values())
        scores[e] = {"accuracy": (c["tp"] + c["tn"]) / n,
                     "precision": c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0,
                     "recall": c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0}
    return scores, wrong


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="dev,hard,blind,gold,dev2-work:work")
    ap.add_argument("--wrong", action="store_true", help="print every wrong decision with its evidence")
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args()
    out = {}
    for name in args.sets.split(","):
        items = load(name)
        scores, wrong = score(items)
        out[name] = scores
        print(f"{name} ({len(items)} reviews)")
        for e, s in scores.items():
            print(f"  {e:13s} acc {s['accuracy']:.3f}  P {s['precision']:.3f}  R {s['recall']:.3f}")
        if args.wrong:
            by_id = {i["id"]: i for i in items}
            for item_id, e, got in wrong:
                r = analyse_review(by_id[item_id]["text"]).element(e)
                ev = r.evidence if r.found else r.rejected
                shown = f"{ev.phrase!r} cue={ev.cue!r}" if ev else "-"
                print(f"    {'FP' if got else 'FN'} {item_id} {e}: {shown} | {by_id[item_id]['text']}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
