"""Accuracy of the review-element analyser on every labelled set: per element accuracy, P, R.

    python bench/review_accuracy.py [--wrong] [--rules] [--sets dev,hard,...] [--json OUT]

The reader (``analyse_review``) is scored on its verdicts (an undecided element counts by its better
guess), and on the elements it decided, with the share it left undecided; ``--rules`` scores the
round-1 rules alone (``analyse_rules``) instead. The reader was trained on these sets: its honest
figures on unseen writing are those of ``bench/train_review_model.py --lowo``.

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

from cxzy_docs.check import ELEMENTS, analyse_review, analyse_rules  # noqa: E402

DATA = ROOT / "tests" / "data"


def jsonl(name: str) -> list[dict]:
    return [
        json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def gold_reviews() -> list[dict]:
    items = []
    for path in sorted((DATA / "forms-dev").glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        labels = gold["_meta"].get("review_elements", {})
        for period in gold["periods"]:
            if period["period"] in labels:
                items.append(
                    {
                        "id": f"{path.name}:{period['period']}",
                        "text": period["review"]["text"],
                        "about": gold["kind"],
                        **labels[period["period"]],
                    }
                )
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


ANALYSE = analyse_review


def score(items: list[dict]) -> tuple[dict[str, dict[str, float]], list[tuple[str, str, bool]]]:
    counts = {e: {"tp": 0, "fp": 0, "fn": 0, "tn": 0, "undecided": 0, "decided_right": 0} for e in ELEMENTS}
    wrong = []
    for item in items:
        result = ANALYSE(item["text"])
        for e in ELEMENTS:
            el = result.element(e)
            got, want = el.found, bool(item[e])
            counts[e][("tp" if want else "fp") if got else ("fn" if want else "tn")] += 1
            counts[e]["undecided"] += el.uncertain
            counts[e]["decided_right"] += not el.uncertain and got == want
            if got != want:
                wrong.append((item["id"], e, got))
    scores = {}
    for e, c in counts.items():
        n = c["tp"] + c["tn"] + c["fp"] + c["fn"]
        decided = n - c["undecided"]
        scores[e] = {
            "accuracy": (c["tp"] + c["tn"]) / n,
            "precision": c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0,
            "recall": c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0,
            "decided_accuracy": c["decided_right"] / decided if decided else 1.0,
            "undecided": c["undecided"] / n,
        }
    return scores, wrong


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="dev,hard,blind,gold,dev2-work:work")
    ap.add_argument("--wrong", action="store_true", help="print every wrong decision with its evidence")
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument("--rules", action="store_true", help="the round-1 rules alone")
    args = ap.parse_args()
    global ANALYSE
    if args.rules:
        ANALYSE = analyse_rules
    out = {}
    for name in args.sets.split(","):
        items = load(name)
        scores, wrong = score(items)
        out[name] = scores
        print(f"{name} ({len(items)} reviews)")
        for e, s in scores.items():
            print(
                f"  {e:13s} acc {s['accuracy']:.3f}  P {s['precision']:.3f}  R {s['recall']:.3f}  "
                f"decided acc {s['decided_accuracy']:.3f}  undecided {s['undecided']:.3f}"
            )
        if args.wrong:
            by_id = {i["id"]: i for i in items}
            for item_id, e, got in wrong:
                r = ANALYSE(by_id[item_id]["text"]).element(e)
                ev = r.evidence if r.found else r.rejected
                shown = f"{ev.phrase!r} cue={ev.cue!r}" if ev else "-"
                print(f"    {'FP' if got else 'FN'} {item_id} {e}: {shown} | {by_id[item_id]['text']}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
