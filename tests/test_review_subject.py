"""A review about the wrong kind of subject (member / organization) is a warning; none on correctly filed reviews."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxzy_docs.check.subject import wrong_subject

DATA = Path(__file__).resolve().parent / "data"
SETS = ("reviews-dev.jsonl", "reviews-hard.jsonl", "reviews-blind.jsonl", "reviews-dev2-work.jsonl")


def _labelled() -> list[dict]:
    return [
        json.loads(line)
        for name in SETS
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def test_no_false_alarm_on_correctly_filed_reviews() -> None:
    items = _labelled()
    assert len(items) > 600
    alarms = [
        (i["id"], wrong_subject(i["about"], i["text"])) for i in items if wrong_subject(i["about"], i["text"])
    ]
    assert alarms == []


def test_reviews_filed_in_the_other_kind_of_book_are_mostly_caught() -> None:
    items = _labelled()
    swap = {"member": "organization", "organization": "member"}
    for about, floor in (("member", 0.6), ("organization", 0.45)):
        texts = [i["text"] for i in items if i["about"] == about]
        caught = sum(wrong_subject(swap[about], t) is not None for t in texts)
        print(f"{about} reviews filed as {swap[about]}: {caught}/{len(texts)} caught")
        assert caught / len(texts) >= floor


@pytest.mark.parametrize(
    ("kind", "text", "shown"),
    [
        ("organization", "该同志本季度带头整理全院病历档案300余卷。电脑录入慢。", "该同志"),
        ("organization", "老周这半年把合作社的账理清楚了，就是脾气急。", "老周"),
        ("member", "该支部上半年组织党员义务植树300余株，三会一课坚持得好。", "该支部"),
        ("member", "上半年村党支部带领群众修通了通组路。下半年要抓好党员冬训。", "上半年村党支部"),
    ],
)
def test_wrong_subject_is_shown_with_its_phrase(kind: str, text: str, shown: str) -> None:
    assert wrong_subject(kind, text) == shown


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (
            "member",
            "该同志积极参加支部组织的读书活动，本季度读书4本。",
        ),  # the branch named, the member the subject
        ("member", "支部交给他的任务都按时完成了。"),
        ("member", "该村书记解决实际问题的能力不强。"),  # a person: the village's secretary
        (
            "organization",
            "该同志担任支部书记以来，带领班子扎实开展创先争优活动。",
        ),  # the branch through its secretary
        ("organization", "张书记带着大伙修通了3公里通组路。"),
        ("organization", "他们支部上半年发展了两名党员。"),
        (
            "organization",
            "青山镇党委同志在北沟组织党员清理排水沟14公里。",
        ),  # an organization's name with 同志
        ("member", ""),
        ("annual", "该支部上半年组织义诊。"),
    ],
)
def test_right_subject_or_unknown_kind_is_not_flagged(kind: str, text: str) -> None:
    assert wrong_subject(kind, text) is None
