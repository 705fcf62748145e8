"""The review-element analyser: accuracy on the labelled sets, evidence spans, the rules' tricky cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxzy_docs.check import ELEMENTS, analyse_review

DATA = Path(__file__).resolve().parent / "data"
MIN_ACCURACY = 0.99  # the sets the analyser was built with: no drop below this
MIN_ACCURACY_NEW = 0.97  # writing by others, and our own hard cases: the target on unseen writing


def _jsonl(name: str) -> list[dict]:
    return [
        json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _gold_reviews() -> list[dict]:
    """Each review of the forms-dev gold records with its `_meta.review_elements` labels."""
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
        lines.append(
            f"  {e:13s} accuracy {s['accuracy']:.3f}  precision {s['precision']:.3f}  "
            f"recall {s['recall']:.3f}"
        )
    return "\n".join(lines)


# reviews-blind.jsonl: 120 reviews written from reviews-RULES.md by someone who never saw this code;
# first measured before any change made for it (acc. 0.992 / 0.892 / 0.983), then the analyser was
# improved from the general patterns of its misses, by someone who never opened the file.
@pytest.mark.parametrize(
    ("source", "floor"),
    [
        ("reviews-dev.jsonl", MIN_ACCURACY),
        ("reviews-hard.jsonl", MIN_ACCURACY),
        ("reviews-blind.jsonl", MIN_ACCURACY),
        ("forms-dev gold", MIN_ACCURACY),
        # 120 of reviews-dev2 (180 reviews by another writer, spoken and terse; before this work: 0.875 / 0.858 / 0.908)
        ("reviews-dev2-work.jsonl", MIN_ACCURACY_NEW),
        # our own hard cases, one mechanism each (own2 written before it was first measured: 0.833 / 0.933 / 0.967)
        ("reviews-own.jsonl", MIN_ACCURACY_NEW),
        ("reviews-own2.jsonl", MIN_ACCURACY_NEW),
        # own3 also written before it was first measured: 0.867 / 0.800 / 0.867 (the code before this work: 0.833 / 0.800 / 0.867)
        ("reviews-own3.jsonl", MIN_ACCURACY_NEW),
        # two writers' 700 reviews each with evidence spans, half of them hard cases (the round-1 rules, never
        # developed on them: 0.824 / 0.854 / 0.889 and 0.796 / 0.836 / 0.930)
        ("reviews-train-a.jsonl", MIN_ACCURACY),
        ("reviews-train-b.jsonl", MIN_ACCURACY),
    ],
)
def test_accuracy_per_element(source: str, floor: float) -> None:
    # The reader was trained on these sets (the honest figures on unseen writers are those of
    # ``bench/train_review_model.py --lowo``): this pins that the shipped weights reproduce them.
    items = _gold_reviews() if source == "forms-dev gold" else _jsonl(source)
    assert len(items) >= 20
    scores, wrong = _score(items)
    print("\n" + _report(source, len(items), scores))
    for e, s in scores.items():
        assert s["accuracy"] >= floor, f"{source} {e}: {s} wrong: {wrong}"


def test_sets_follow_the_labelling_rules_format() -> None:
    for name in (
        "reviews-dev.jsonl",
        "reviews-hard.jsonl",
        "reviews-blind.jsonl",
        "reviews-dev2-work.jsonl",
        "reviews-own.jsonl",
        "reviews-own2.jsonl",
        "reviews-own3.jsonl",
        "reviews-train-a.jsonl",
        "reviews-train-b.jsonl",
    ):
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
                assert text[shown.start : shown.end] == shown.phrase
                assert shown.phrase.strip()
            if not r.found and r.rejected is not None:
                assert r.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
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
    ],
)
def test_rule_cases(text: str, expected: tuple[bool, bool, bool]) -> None:
    _right_or_undecided(text, expected)


def _right_or_undecided(text: str, expected: tuple[bool, bool, bool]) -> None:
    """Each element is read right, or left undecided (never a confident wrong verdict)."""
    result = analyse_review(text)
    for e, want in zip(ELEMENTS, expected, strict=True):
        r = result.element(e)
        assert r.found == want or r.uncertain, (e, r)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # after praise, a contrast clause that is no praise names a fault; one that is praise does not
        ("该同志调解纠纷9起。就是性子急，说话冲。", (True, True, False)),
        ("该同志连续值守五天五夜，但他从不叫苦。", (True, False, False)),
        # a positive-sense word inside a compound does not cancel the fault
        ("该同志讲的党课针对性不强。", (False, True, False)),
        ("该同志突发事件处理能力不强。", (False, True, False)),
        # degree-negated and clause-final negated predicates; praise built with 不
        ("该支部组织生活的时间不固定。", (False, True, False)),
        ("该同志普通话不太标准。", (False, True, False)),
        ("刘大夫出诊不讲条件，从不收红包。", (True, False, False)),
        # rates: a good rate low is a fault, a bad rate falling is an achievement
        ("远程教育站点使用率低。", (False, True, False)),
        ("该所辖区发案率下降三成。", (True, False, False)),
        # excess and occasional events
        ("门诊挂号等候时间过长。", (False, True, False)),
        ("该厂车间时有违章操作发生。", (False, True, False)),
        # 从不 negates a fault (a habit shown) but not an expected action
        ("该同志每次学习都让老伴扶着来参加，从不缺席。", (True, False, False)),
        ("该同志对支部的学习任务从不过问。", (False, True, False)),
        # a future time word with a concrete plan is a direction; with a slogan it is not
        ("下半年每个月十号前把账贴出去，一笔一笔写清楚。", (False, False, True)),
        ("该同志下半年继续努力。", (False, False, False)),
        # a named skill with its verdict is an achievement; a catch-all with one is not
        ("该同志养殖技术好，自家的肉牛出栏快、卖价高。", (True, False, False)),
        ("该同志各方面都好。", (False, False, False)),
    ],
)
def test_general_patterns(text: str, expected: tuple[bool, bool, bool]) -> None:
    _right_or_undecided(text, expected)


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
