"""The review-element analyser: accuracy on the labelled sets, evidence spans, the rules' tricky cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxzy_docs.check import ELEMENTS, analyse_review

DATA = Path(__file__).resolve().parent / "data"
MIN_ACCURACY = 0.95


def _jsonl(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _gold_reviews() -> list[dict]:
    """Each review of the forms-dev gold records with its `_meta.review_elements` labels."""
    items = []
    for path in sorted((DATA / "forms-dev").glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        labels = gold["_meta"].get("review_elements", {})
        for period in gold["periods"]:
            if period["period"] in labels:
                items.append({"id": f"{path.name}:{period['period']}", "text": period["review"]["text"],
                              **labels[period["period"]]})
    return items


def _score(items: list[dict]) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Per element: accuracy, precision, recall; and the ids that were wrong, for the message."""
    counts = {e: {"tp": 0, "fp": 0, "fn": 0, "tn": 0} for e in ELEMENTS}
    wrong = []
    for item in items:
        result = analyse_review(item["text"])
        for e in ELEMENTS:
            got, want = result.element(e).found, bool(item[e])
            key = ("tp" if want else "fp") if got else ("fn" if want else "tn")
            counts[e][key] += 1
            if got != want:
                wrong.append(f"{item['id']}:{e}")
    scores = {}
    for e, c in counts.items():
        n = sum(c.values())
        scores[e] = {
            "accuracy": (c["tp"] + c["tn"]) / n,
            "precision": c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0,
            "recall": c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0,
        }
    return scores, wrong


def _report(name: str, n: int, scores: dict[str, dict[str, float]]) -> str:
    lines = [f"{name} ({n} reviews)"]
    for e, s in scores.items():
        lines.append(f"  {e:13s} accuracy {s['accuracy']:.3f}  precision {s['precision']:.3f}  "
                     f"recall {s['recall']:.3f}")
    return "\n".join(lines)


@pytest.mark.parametrize("source", ["reviews-dev.jsonl", "reviews-hard.jsonl", "forms-dev gold"])
def test_accuracy_per_element_at_least_95_percent(source: str) -> None:
    items = _gold_reviews() if source == "forms-dev gold" else _jsonl(source)
    assert len(items) >= 20
    scores, wrong = _score(items)
    print("\n" + _report(source, len(items), scores))
    for e, s in scores.items():
        assert s["accuracy"] >= MIN_ACCURACY, f"{source} {e}: {s} wrong: {wrong}"


def test_sets_follow_the_labelling_rules_format() -> None:
    for name in ("reviews-dev.jsonl", "reviews-hard.jsonl"):
        items = _jsonl(name)
        assert len({i["id"] for i in items}) == len(items)
        for item in items:
            assert item["about"] in ("member", "organization")
            assert all(isinstance(item[k], bool) for k in (*ELEMENTS, "boilerplate"))


def test_every_decision_shows_its_phrase_and_span() -> None:
    for item in _jsonl("reviews-dev.jsonl") + _jsonl("reviews-hard.jsonl"):
        text = item["text"]
        result = analyse_review(text)
        for e in ELEMENTS:
            r = result.element(e)
            shown = r.evidence if r.found else r.rejected
            if r.found:
                assert r.evidence is not None and r.evidence.cue
            if shown is not None:
                assert text[shown.start:shown.end] == shown.phrase
                assert shown.phrase.strip()
            if not r.found and r.rejected is not None:
                assert r.reason


@pytest.mark.parametrize(("text", "expected"), [
    # soft shortcomings, negations, positive-sense fault words
    ("该同志业务能力有待提高。", (False, True, False)),
    ("本季度组织义诊3次，无明显不足。", (True, False, False)),
    ("没有发现问题。", (False, False, False)),
    ("该同志帮助群众解决问题15个，弥补了村里服务力量不足的短板。", (True, False, False)),
    ("不能说没有问题，个别账目不清。", (False, True, False)),
    # directions: hopes and requirements, slogans, praise
    ("希望今后把党费收缴台账建起来。", (False, False, True)),
    ("希望继续努力，再接再厉。", (False, False, False)),
    ("该同志为村里发展指明了方向。", (True, False, False)),
    ("下季度要参加县里的电脑培训。", (False, False, True)),
    # bare verdicts and short texts
    ("表现良好。", (False, False, False)),
    ("踏实肯干。", (True, False, False)),
    # form: traditional characters, full-width digits, typos, bullets
    ("該同志本季度帶領群眾修路２公里。缺點是宣傳不夠。今後要加強宣傳。", (True, True, True)),
    ("一是带头种植大棚蔬菜10亩；二是财务公开不及时；三是要每月公开一次账目。", (True, True, True)),
    ("该同志纪律观念淡簿。今后要佳强学习，按时参加组织生活。", (False, True, True)),
])
def test_rule_cases(text: str, expected: tuple[bool, bool, bool]) -> None:
    result = analyse_review(text)
    assert tuple(result.element(e).found for e in ELEMENTS) == expected


def test_denied_shortcoming_is_a_near_miss_with_its_phrase() -> None:
    text = "该同志本季度按时完成了粮食直补登记。无明显不足。希望下季度做好防火宣传。"
    result = analyse_review(text)
    short = result.shortcomings
    assert not short.found
    assert short.rejected is not None and "无明显不足" in short.rejected.phrase
    assert "否定" in (short.reason or "")
    assert result.achievements.found and "完成" in result.achievements.evidence.phrase
    assert result.direction.evidence.cue == "希望"


def test_empty_and_blank_reviews_are_empty() -> None:
    for text in (None, "", "  \n\u3000"):
        result = analyse_review(text)
        assert result.empty and result.missing == list(ELEMENTS) and not result.complete


def test_to_dict_is_json_ready() -> None:
    data = analyse_review("该同志带领群众修路2公里。不足是宣传不够。今后要加强宣传。").to_dict()
    json.dumps(data, ensure_ascii=False)
    assert all(data[e]["found"] for e in ELEMENTS) and data["empty"] is False
