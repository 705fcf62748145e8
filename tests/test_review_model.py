"""The learned review reader: its shipped weights, its undecided band, its reproducible training."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cxzy_docs.check import ELEMENTS, analyse_review, analyse_rules
from cxzy_docs.check.book import Book
from cxzy_docs.check.reader import MODEL_PATH, model
from cxzy_docs.check.reviews import element_findings

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_weights_load_and_are_small() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert tuple(data["elements"]) == ELEMENTS
    assert MODEL_PATH.stat().st_size < 400_000
    m = model()
    assert "bias" in m.weights and len(m.weights) > 1000
    for e in ELEMENTS:
        lo, hi = m.bands[e]
        assert lo <= 0.0 <= hi


def test_features_are_named_families() -> None:
    """Every weight belongs to a named feature family of clausefeat (no stray names)."""
    prefixes = (
        "g:",
        "gs:",
        "ge:",
        "neg:",
        "ch:",
        "len:",
        "lead",
        "who:",
        "to_subject",
        "num:",
        "zero",
        "double_neg",
        "rhetorical",
        "suggest_q",
        "promise_undone",
        "end:",
        "denial",
        "bullet",
        "quote",
        "left:",
        "x:",
        "endc:",
        "terse",
        "c:",
        "b:",
        "kind:",
        "sent:",
        "pos:",
        "r:",
        "p:",
        "n:",
        "s:",
        "bias",
    )
    stray = [f for f in model().weights if not f.startswith(prefixes)]
    assert stray == []


def test_every_verdict_has_a_phrase_a_score_and_a_state() -> None:
    r = analyse_review("该同志带领群众修路2公里。不足是宣传不够。今后要加强宣传。")
    for e in ELEMENTS:
        el = r.element(e)
        assert el.score is not None and 0.0 <= el.score <= 1.0
        shown = el.evidence if el.found else el.rejected
        assert shown is not None and shown.phrase
        d = el.to_dict()
        assert set(d) >= {"found", "evidence", "rejected", "reason", "uncertain", "score"}


def test_rules_alone_are_still_there() -> None:
    """The round-1 rule engine (the reader's features) can be asked on its own, for comparison."""
    r = analyse_rules("希望继续努力，再接再厉。")
    assert not r.direction.found and r.direction.score is None


def _findings(text: str) -> list:
    book = Book({"kind": "member", "year": 2025, "periods": []}, 0, "x.json", "member", "王明", 2025)
    return list(element_findings(book, "periods.Q1.review.text", analyse_review(text)))


def test_an_undecided_element_is_a_warning_with_its_candidate_not_an_error() -> None:
    # find a labelled review the reader leaves undecided on some element
    for line in (ROOT / "tests" / "data" / "reviews-hard.jsonl").read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        r = analyse_review(text)
        if r.uncertain:
            break
    else:
        pytest.skip("no undecided element in the set")
    findings = _findings(text)
    unsure = [f for f in findings if f.code == "review.uncertain"]
    assert len(unsure) == len(r.uncertain)
    assert all(f.severity == "warning" and "请人工核对" in f.message and f.evidence for f in unsure)
    missing_codes = {f.code for f in findings} - {"review.uncertain"}
    for name in r.uncertain:  # no confident "missing" verdict for an undecided element
        assert f"review.no_{name}" not in missing_codes
    assert "review.boilerplate" not in missing_codes


@pytest.mark.slow
def test_retraining_rebuilds_the_shipped_weights(tmp_path: Path) -> None:
    """bench/train_review_model.py from tests/data gives the shipped weights: the same features, every weight
    within rounding (another numpy/scipy may differ in the last printed digit), the same undecided bands."""
    out = tmp_path / "model.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "train_review_model.py"), "--out", str(out)],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    built, shipped = (
        json.loads(out.read_text(encoding="utf-8")),
        json.loads(MODEL_PATH.read_text(encoding="utf-8")),
    )
    assert built["version"] == shipped["version"] and built["elements"] == shipped["elements"]
    zero = [0.0] * len(built["elements"])  # a feature whose weights all round to 0 is left out of the file
    names = built["features"].keys() | shipped["features"].keys()
    assert len(names) <= 1.01 * len(shipped["features"])
    worst = max(
        abs(a - b)
        for name in names
        for a, b in zip(shipped["features"].get(name, zero), built["features"].get(name, zero), strict=True)
    )
    assert worst <= 0.002, f"a weight differs by {worst}"
    for element, band in shipped["bands"].items():
        assert all(abs(a - b) <= 0.05 + 1e-9 for a, b in zip(band, built["bands"][element], strict=True)), (
            element
        )


def test_an_undecided_element_offers_its_candidate_for_the_tui_to_mark() -> None:
    from tui.findings import review_elements

    text = "本季度组织义诊3次。门诊挂号等候时间过长。下季度要参加县里的业务培训。"
    r = review_elements(text)
    assert r.uncertain, "the example was chosen for an undecided element"
    for name in r.uncertain:
        el = r.element(name)
        candidate = el.evidence if el.found else el.rejected  # what tui/widgets/field_view.py underlines
        assert candidate is not None and text[candidate.start : candidate.end] == candidate.phrase


def test_the_fast_reading_scores_what_the_trained_features_score() -> None:
    """The reader scores a clause from cached parts; the trainer sees whole feature sets: the same sums."""
    import math

    from cxzy_docs.check import clausefeat

    m = model()
    for line in (
        (ROOT / "tests" / "data" / "reviews-hard.jsonl").read_text(encoding="utf-8").splitlines()[:120]
    ):
        text = json.loads(line)["text"]
        units = clausefeat.review_units(text)
        r = analyse_review(text)
        for k, e in enumerate(ELEMENTS):
            best = max(sum(m.weights[f][k] for f in u.feats if f in m.weights) for u in units)
            assert math.isclose(r.element(e).score or 0.0, round(1 / (1 + math.exp(-best)), 3), abs_tol=1e-3)
