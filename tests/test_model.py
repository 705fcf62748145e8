"""The record model: empty records, field paths, schema checks and the errors they give."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxzy_docs.errors import RecordError
from cxzy_docs.forms import FORMS, leaves
from cxzy_docs.model import (
    check_record,
    empty_record,
    field_paths,
    get_field,
    load_records,
    save_records,
    set_field,
)


@pytest.mark.parametrize("kind", ["member", "organization"])
def test_empty_record_is_valid_and_has_every_box(kind: str) -> None:
    rec = empty_record(kind, 2025)
    check_record(rec)
    paths = field_paths(kind)
    assert len(paths) == len(set(paths))
    # every path of the form resolves on an empty record, except the optional grade row
    missing = [p for p in paths if p != "annual.grade" and get_field(rec, p, default="MISSING") == "MISSING"]
    assert missing == []
    assert [p["period"] for p in rec["periods"]] == list(FORMS[kind].period_codes)


def test_set_and_get_by_period_code() -> None:
    rec = empty_record("member", 2025)
    set_field(rec, "periods.Q3.review.text", "好")
    set_field(rec, "annual.grade", "合格")
    assert rec["periods"][2]["review"]["text"] == "好"
    assert get_field(rec, "periods.Q3.review.text") == "好"
    assert get_field(rec, "annual.grade") == "合格"
    assert get_field(rec, "periods.Q9.review.text") is None


def test_gold_files_validate(forms_dev: Path) -> None:
    golds = sorted(forms_dev.glob("*.gold.json"))
    assert len(golds) == 8
    for g in golds:
        rec = json.loads(g.read_text(encoding="utf-8"))
        rec.pop("_meta")
        check_record(rec, file=str(g))
        for leaf in leaves(FORMS[rec["kind"]]):
            get_field(rec, leaf.path)


def test_load_and_save_round_trip(tmp_path: Path) -> None:
    recs = [empty_record("member", 2025), empty_record("organization", 2025)]
    set_field(recs[0], "subject.name", "𠮷田·阿依")
    path = tmp_path / "r.json"
    save_records(recs, path)
    assert load_records(path) == recs
    save_records(recs[0], path)
    assert load_records(path) == [recs[0]]


def _write(tmp_path: Path, data: object) -> Path:
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


def test_error_names_file_record_and_field(tmp_path: Path) -> None:
    good = empty_record("member", 2025)
    bad = empty_record("member", 2025)
    bad["periods"][1]["review"]["sign"]["date"] = "2025年3月"
    p = _write(tmp_path, [good, bad])
    with pytest.raises(RecordError) as exc:
        load_records(p)
    msg = exc.value.message
    assert str(p) in msg and "第 2 条记录" in msg and "periods[1].review.sign.date" in msg and "日期" in msg


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("not json", "JSON 格式错误"),
        ([], "没有记录"),
        ({"schema": "cxzy.record/1"}, "缺少必填字段"),
        ({**empty_record("member", 2025), "kind": "party"}, "kind"),
        ({**empty_record("member", 2025), "periods": empty_record("organization")["periods"]}, "期次"),
    ],
)
def test_bad_json_files(tmp_path: Path, data: object, words: str) -> None:
    p = tmp_path / "bad.json"
    p.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    with pytest.raises(RecordError) as exc:
        load_records(p)
    assert words in exc.value.message and str(p) in exc.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RecordError, match="文件不存在"):
        load_records(tmp_path / "nope.json")
