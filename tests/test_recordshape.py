"""The record's shape comes from forms.py: the committed schema, the empty record and the field words
are what the forms make of them, so a new label or box is one edit."""

from __future__ import annotations

import json
import subprocess
import sys

from cxzy_docs.forms import FORMS, leaves
from cxzy_docs.model import SCHEMA_PATH, check_record, empty_record, field_paths, get_field
from cxzy_docs.recordshape import (
    attending_keys,
    evaluation_keys,
    field_labels,
    record_schema,
    record_skeleton,
    schema_text,
    vote_keys,
)


def test_committed_schema_is_what_the_forms_generate() -> None:
    """If this fails, regenerate: python -m cxzy_docs.recordshape > cxzy_docs/schema/record.schema.json"""
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text()
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == record_schema()


def test_schema_module_writes_the_schema() -> None:
    out = subprocess.run([sys.executable, "-m", "cxzy_docs.recordshape"], capture_output=True, check=True)
    assert out.stdout.decode("utf-8") == schema_text()


def test_every_leaf_of_each_form_is_in_the_empty_record_and_the_schema() -> None:
    schema = record_schema()
    for kind, form in FORMS.items():
        rec = record_skeleton(kind, 2010)
        check_record(rec)
        assert rec == empty_record(kind, 2010)
        subject = next(
            s for s in schema["properties"]["subject"]["oneOf"] if set(s["required"]) == set(rec["subject"])
        )
        for leaf in leaves(form):
            if leaf.path == "annual.grade":
                assert "grade" not in rec["annual"]  # only books whose form has the row carry it
                continue
            assert get_field(rec, leaf.path, "missing") is None, leaf.path
            if leaf.path.startswith("subject."):
                assert leaf.path.split(".")[1] in subject["properties"]
        assert [p["period"] for p in rec["periods"]] == list(form.period_codes)
        assert field_paths(kind)[0] == "subject.name"


def test_evaluation_keys_and_field_words_come_from_the_forms() -> None:
    assert evaluation_keys() == vote_keys() + attending_keys()
    assert vote_keys() == ("satisfied", "fairly_satisfied", "average", "dissatisfied")
    assert list(record_schema()["properties"]["annual"]["properties"]["evaluation"]["required"]) == list(
        evaluation_keys()
    )
    assert field_labels("member")["subject.name"] == "党员姓名"
    assert field_labels("member")["subject.birth"] == "出生年月"
    assert field_labels("organization")["subject.secretary"] == "党组织书记姓名"
    assert field_labels("member")["annual.evaluation.members_attending"] == "参加党员人数"


def test_a_record_with_its_part_is_valid() -> None:
    rec = empty_record("member", 2010) | {
        "source": "合订本.pdf#第7-12页",
        "part": {"book": 2, "of": 5, "pages": [7, 12]},
    }
    check_record(rec)
