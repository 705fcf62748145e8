"""Train the review reader's clause scorers (one per element) from the labelled reviews in tests/data.

    python bench/train_review_model.py            # rebuild cxzy_docs/check/review_model.json
    python bench/train_review_model.py --lowo     # leave-one-writer-out figures, rules before and reader after

Each source file is one writer. A review is positive for an element iff some clause states it
(multiple-instance learning): where the data marks the carrying phrase (``evidence``), the clauses it
overlaps are the positives; elsewhere the best-scoring clause of a positive review is taken as its
witness, re-chosen over a few rounds. Every clause of a negative review is a negative. The scorer is
an L2-regularised logistic regression over the named features of :mod:`cxzy_docs.check.clausefeat`,
fitted by L-BFGS from zero (deterministic); a review's score is its best clause's.

The undecided band of each element is set on held-out writers: the writers whose texts the round-1
rules never saw (``HONEST``) are each left out in turn, and the band is the one that costs least on
them when a confident wrong verdict costs ``WRONG_COST`` reviews left for a person to check.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cxzy_docs.check import clausefeat  # noqa: E402
from cxzy_docs.check.elements import ELEMENTS, analyse_rules  # noqa: E402

DATA = ROOT / "tests" / "data"
OUT = ROOT / "cxzy_docs" / "check" / "review_model.json"
# Each file is one writer; own, own2 and own3 are one writer's three batches.
WRITERS = {
    "dev": ["reviews-dev.jsonl"],
    "hard": ["reviews-hard.jsonl"],
    "blind": ["reviews-blind.jsonl"],
    "dev2": ["reviews-dev2-work.jsonl"],
    "own": ["reviews-own.jsonl", "reviews-own2.jsonl", "reviews-own3.jsonl"],
    "gold": ["forms-dev"],
    "a": ["reviews-train-a.jsonl"],
    "b": ["reviews-train-b.jsonl"],
}
HONEST = ("a", "b")  # writers the round-1 rules were never developed on: the band is set on them
L2 = 0.3
DROP: tuple[str, ...] = ()  # feature prefixes left out (experiments)
MIN_COUNT = 3  # a feature must occur in this many training reviews
ROUNDS = 3
WRITER_WEIGHT: dict[str, float] = {}  # sample weight per writer (experiments; default 1)
CHAR_SCALE = 1.0
OTHER_WEIGHT = 0.0  # weight of a clause carrying only another element's marked phrase, as a negative  # re-choices of the witness clause of positive reviews without a marked phrase
# What a confident wrong verdict costs, counted in reviews left undecided for a person to check: the
# band of each element is the one that costs least over the held-out writers.
WRONG_COST = 5.0


def _jsonl(name: str) -> list[dict]:
    return [
        json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _gold() -> list[dict]:
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
                        **labels[period["period"]],
                    }
                )
    return items


def load() -> list[dict]:
    """Every labelled review with its writer and, where known, the carrying phrases per element."""
    annotated = {a["id"]: a for a in _jsonl("reviews-evidence.jsonl")}
    items = []
    for writer, files in WRITERS.items():
        for name in files:
            for item in _gold() if name == "forms-dev" else _jsonl(name):
                spans: dict[str, list[tuple[int, int]] | None] = {}
                text = item["text"]
                for e in ELEMENTS:
                    phrases: list[str] | None = None
                    if isinstance(item.get("evidence"), dict):
                        p = item["evidence"].get(e)
                        phrases = [p] if p else []
                    elif item["id"] in annotated and name != "reviews-hard.jsonl":
                        phrases = annotated[item["id"]].get(e, [])
                    if phrases is None or (item[e] and not phrases):
                        spans[e] = None  # not annotated: the witness clause is learned
                    else:
                        spans[e] = [(text.index(p), text.index(p) + len(p)) for p in phrases]
                items.append(
                    {
                        "id": item["id"],
                        "writer": writer,
                        "text": text,
                        "spans": spans,
                        **{e: bool(item[e]) for e in ELEMENTS},
                    }
                )
    return items


# ------------------------------------------------------------------------------------ fitting


def _fit(x: sparse.csr_matrix, y: np.ndarray, w: np.ndarray, l2: float) -> np.ndarray:
    """L2-regularised logistic regression (the last column is the unpenalised bias)."""
    n_feat = x.shape[1]
    penal = np.ones(n_feat)
    penal[-1] = 0.0
    keep = w > 0
    x, y, w = x[keep], y[keep], w[keep]
    xt = x.T.tocsr()

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ theta
        p = 0.5 * (1.0 + np.tanh(0.5 * z))
        ll = w * (np.logaddexp(0, z) - y * z)
        grad = xt @ (w * (p - y)) + l2 * penal * theta
        return float(ll.sum() + 0.5 * l2 * float((penal * theta * theta).sum())), grad

    res = minimize(loss, np.zeros(n_feat), jac=True, method="L-BFGS-B", options={"maxiter": 1000})
    return np.asarray(res.x)


Units = list[list[clausefeat.Unit]]


def _matrix(units_list: Units, vocab: dict[str, int]) -> sparse.csr_matrix:
    rows, cols = [], []
    r = 0
    for units in units_list:
        for u in units:
            for f in u.feats:
                j = vocab.get(f)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
            r += 1
    values = _values(vocab)
    return sparse.csr_matrix((values[cols], (rows, cols)), shape=(r, len(vocab)))


def _values(vocab: dict[str, int]) -> np.ndarray:
    """Each feature's value when present: characters and pairs count ``CHAR_SCALE`` (a stronger prior
    towards zero for them than for the linguistic features)."""
    values = np.ones(len(vocab))
    for f, j in vocab.items():
        if f.startswith(("c:", "b:")):
            values[j] = CHAR_SCALE
    return values


class Model:
    """Feature weights, one column per element."""

    def __init__(self, vocab: dict[str, int], weights: np.ndarray) -> None:
        self.vocab, self.weights = vocab, weights

    def review_scores(self, units_list: Units) -> np.ndarray:
        out = np.full((len(units_list), len(ELEMENTS)), -20.0)
        for i, units in enumerate(units_list):
            for u in units:
                idx = [self.vocab[f] for f in u.feats if f in self.vocab]
                out[i] = np.maximum(out[i], self.weights[idx].sum(axis=0))
        return out


def train(items: list[dict], units_list: Units) -> Model:
    counts: dict[str, int] = {}
    for units in units_list:
        for f in {f for u in units for f in u.feats}:
            counts[f] = counts.get(f, 0) + 1
    names = [
        *sorted(f for f, c in counts.items() if c >= MIN_COUNT and f != "bias" and not f.startswith(DROP)),
        "bias",
    ]
    vocab = {f: i for i, f in enumerate(names)}
    x = _matrix(units_list, vocab)
    offsets = np.cumsum([0, *(len(u) for u in units_list)])
    weights = np.zeros((len(vocab), len(ELEMENTS)))
    for k, e in enumerate(ELEMENTS):
        y = np.zeros(x.shape[0])
        w = np.zeros(x.shape[0])
        unknown: list[int] = []  # positive reviews whose carrying clause is to be chosen
        for i, item in enumerate(items):
            lo, hi = offsets[i], offsets[i + 1]
            if hi == lo:
                continue
            ww = WRITER_WEIGHT.get(item["writer"], 1.0)
            if not item[e]:
                w[lo:hi] = ww
                continue
            spans = item["spans"][e]
            hit = [
                j
                for j, u in enumerate(units_list[i])
                if spans and any(u.start < b and a < u.end for a, b in spans)
            ]
            if hit:
                for j in hit:
                    y[lo + j] = 1.0
                    w[lo + j] = ww / len(hit)
                # a clause that carries another element's marked phrase and not this one's is a negative
                others = [sp for e2 in ELEMENTS if e2 != e and (sp := item["spans"][e2])]
                for j, u in enumerate(units_list[i]):
                    if j not in hit and any(u.start < b and a < u.end for sp in others for a, b in sp):
                        w[lo + j] = OTHER_WEIGHT
            else:
                unknown.append(i)
        theta = _fit(x, y, w, L2)
        for _ in range(ROUNDS if unknown else 0):
            z = x @ theta
            y2, w2 = y.copy(), w.copy()
            for i in unknown:
                lo, hi = offsets[i], offsets[i + 1]
                j = lo + int(np.argmax(z[lo:hi]))
                y2[j], w2[j] = 1.0, WRITER_WEIGHT.get(items[i]["writer"], 1.0)
            theta = _fit(x, y2, w2, L2)
        weights[:, k] = theta
    return Model(vocab, weights * _values(vocab)[:, None])


# --------------------------------------------------------------------------------- evaluation


def held_out_scores(items: list[dict], units_list: Units, writers: list[str]) -> dict[str, np.ndarray]:
    """Review scores of each writer in ``writers`` by a model trained on all the other writers."""
    out = {}
    for wname in writers:
        tr = [i for i, it in enumerate(items) if it["writer"] != wname]
        te = [i for i, it in enumerate(items) if it["writer"] == wname]
        model = train([items[i] for i in tr], [units_list[i] for i in tr])
        out[wname] = model.review_scores([units_list[i] for i in te])
    return out


def choose_band(scores: dict[str, np.ndarray], wants: dict[str, np.ndarray], k: int) -> tuple[float, float]:
    """The band [lo, hi) of scores left undecided that costs least on the held-out writers, a wrong
    verdict costing ``WRONG_COST`` times a review left for a person to check."""
    grid = [round(0.05 * i, 2) for i in range(201)]
    best: tuple[float, float, float] | None = None
    for hi in grid:
        for lo in grid:
            cost = 0.0
            for wname, s in scores.items():
                z, want = s[:, k], wants[wname][:, k]
                dec = (z >= hi) | (z < -lo)
                wrong = (z[dec] >= 0) != want[dec]
                cost += (WRONG_COST * float(wrong.sum()) + float((~dec).sum())) / len(z)
            if best is None or cost < best[0] - 1e-12:
                best = (cost, -lo, hi)
    assert best is not None
    return (best[1], best[2])


def _prf(got: np.ndarray, want: np.ndarray) -> tuple[float, float, float]:
    tp = float((got & want).sum())
    fp = float((got & ~want).sum())
    fn = float((~got & want).sum())
    acc = float((got == want).mean()) if len(got) else 1.0
    return acc, tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0


def report(items: list[dict], scores: dict[str, np.ndarray], bands: dict[str, tuple[float, float]]) -> None:
    """Per held-out writer and element: rules (acc P R), reader at its threshold (acc P R), reader
    with the band (accuracy on the decided, undecided share)."""
    print(
        f"{'writer':6s} {'n':>4s} {'element':12s} {'rules acc   P     R':>20s} | {'reader acc   P     R':>20s} | "
        f"{'decided acc  undecided':>22s}"
    )
    for wname, s in scores.items():
        idx = [i for i, it in enumerate(items) if it["writer"] == wname]
        for k, e in enumerate(ELEMENTS):
            want = np.array([items[i][e] for i in idx])
            rules = np.array([analyse_rules(items[i]["text"]).element(e).found for i in idx])
            ra, rp, rr = _prf(rules, want)
            ma, mp, mr = _prf(s[:, k] >= 0, want)
            lo, hi = bands[e]
            dec = (s[:, k] >= hi) | (s[:, k] < lo)
            da = float(((s[dec, k] >= 0) == want[dec]).mean()) if dec.any() else 1.0
            print(
                f"{wname:6s} {len(idx):4d} {e:12s} {ra:6.3f} {rp:5.3f} {rr:5.3f} | {ma:6.3f} {mp:5.3f} {mr:5.3f} | "
                f"{da:8.3f} {1 - dec.mean():9.3f}"
            )


def model_json(model: Model, bands: dict[str, tuple[float, float]]) -> str:
    features = {}
    for f, j in model.vocab.items():
        w = [round(float(v), 3) for v in model.weights[j]]
        if f == "bias" or any(abs(v) >= 0.005 for v in w):
            features[f] = w
    data = {
        "version": 1,
        "elements": list(ELEMENTS),
        "bands": {e: [round(lo, 3), round(hi, 3)] for e, (lo, hi) in bands.items()},
        "features": dict(sorted(features.items())),
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lowo", action="store_true", help="leave each writer out in turn and print the figures")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--dump", help="save the held-out review scores (.npz)")
    ap.add_argument("--no-write", action="store_true", help="only the held-out figures of the honest writers")
    ap.add_argument("--drop", default="", help="feature prefixes left out, comma-separated (experiments)")
    ap.add_argument("--l2", type=float, default=0.3)
    ap.add_argument("--other", type=float, default=0.0)
    ap.add_argument("--chars", type=float, default=1.0, help="value of a character feature (experiments)")
    ap.add_argument("--weights", default="", help="writer=weight,... (experiments)")
    args = ap.parse_args()
    global DROP, L2, OTHER_WEIGHT, CHAR_SCALE
    OTHER_WEIGHT = args.other
    CHAR_SCALE = args.chars
    for kv in filter(None, args.weights.split(",")):
        k, v = kv.split("=")
        WRITER_WEIGHT[k] = float(v)
    DROP = tuple(p for p in args.drop.split(",") if p)
    L2 = args.l2
    t0 = time.time()
    items = load()
    units_list = [clausefeat.review_units(it["text"]) for it in items]
    print(f"{len(items)} reviews, {sum(map(len, units_list))} clauses, features in {time.time() - t0:.1f} s")
    writers = list(WRITERS) if args.lowo else list(HONEST)
    scores = held_out_scores(items, units_list, writers)
    wants = {w: np.array([[it[e] for e in ELEMENTS] for it in items if it["writer"] == w]) for w in writers}
    bands = {
        e: choose_band({w: scores[w] for w in HONEST}, {w: wants[w] for w in HONEST}, k)
        for k, e in enumerate(ELEMENTS)
    }
    if args.dump:
        np.savez(args.dump, **scores)
    report(items, scores, bands)
    print("bands:", bands)
    if not args.lowo and not args.no_write:
        model = train(items, units_list)
        text = model_json(model, bands)
        Path(args.out).write_text(text, encoding="utf-8")
        print(
            f"wrote {args.out}: {len(text) // 1024} KB, sha256 {hashlib.sha256(text.encode()).hexdigest()[:16]}, "
            f"{time.time() - t0:.0f} s"
        )


if __name__ == "__main__":
    main()
