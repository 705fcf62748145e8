"""The record's shape, derived from forms.py: the empty record, the JSON Schema, the words for each field.

A new label, box or column in ``forms.py`` changes all three; ``schema/record.schema.json`` is
this module's :func:`record_schema` written out (``python -m cxzy_docs.recordshape``), and a test
checks that the committed file has not drifted from the forms.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from typing import Any

from cxzy_docs.forms import (
    FORMS,
    PERIOD_NAMES,
    Evaluation,
    Field,
    FormSpec,
    GradeRow,
    SignRow,
    TextBox,
    leaves,
)
from cxzy_docs.textnorm import label_key

SCHEMA_ID = "cxzy.record/1"


# ---------------------------------------------------------------------------------- the skeleton


def _grade_paths(form: FormSpec) -> set[str]:
    return {block.path for _, block in form.blocks() if isinstance(block, GradeRow)}


def _put(node: dict[str, Any], path: list[str]) -> None:
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = None


def record_skeleton(kind: str, year: int | None = None) -> dict[str, Any]:
    """A record of ``kind`` with every box the form has, all empty (``None``); 评议结果 only where a
    book has one, so it is left out."""
    form = FORMS[kind]
    rec: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "kind": kind,
        "year": year,
        "subject": {},
        "commitment": {},
        "periods": [],
        "annual": {},
    }
    periods: dict[str, dict[str, Any]] = {}
    skip = _grade_paths(form)
    for leaf in leaves(form):
        if leaf.path in skip:
            continue
        parts = leaf.path.split(".")
        if parts[0] == "periods":
            code = parts[1]
            if code not in periods:
                periods[code] = {"period": code}
                rec["periods"].append(periods[code])
            _put(periods[code], parts[2:])
        else:
            _put(rec, parts)
    return rec


@cache
def evaluation_keys() -> tuple[str, ...]:
    """The 评议 counts' record keys in the form's column order (satisfied, …, public_attending)."""
    ev = next(b for _, b in FORMS["member"].blocks() if isinstance(b, Evaluation))
    return tuple(col.path.rsplit(".", 1)[1] for col in ev.columns)


@cache
def vote_keys() -> tuple[str, ...]:
    """The 评议 columns that are votes (满意 … 不满意), not the people present."""
    ev = next(b for _, b in FORMS["member"].blocks() if isinstance(b, Evaluation))
    return tuple(col.path.rsplit(".", 1)[1] for col in ev.columns if col.path not in ev.attending)


@cache
def attending_keys() -> tuple[str, ...]:
    """The 评议 columns that count the people present (参加党员人数, 参加群众人数)."""
    return tuple(k for k in evaluation_keys() if k not in vote_keys())


# ----------------------------------------------------------------------------------- the labels


@cache
def field_labels(kind: str) -> dict[str, str]:
    """The words a person knows each subject and 评议 field by: the cover's label where the cover has
    one (党员姓名, 所在党组织名称), else the header's (性别, 出生年月, 党组织书记姓名), the column's (满意)."""
    form = FORMS[kind]
    out: dict[str, str] = {}
    for f in (*form.cover_fields, *form.header_fields(), *form.unprinted):
        out.setdefault(f.path, label_key(f.label))
    for _, block in form.blocks():
        if isinstance(block, Evaluation):
            for col in block.columns:
                out.setdefault(col.path, label_key(col.label))
    return out


# ------------------------------------------------------------------------------------ the schema

_VALUE_REF = {
    "text": "#/$defs/text",
    "name": "#/$defs/text",
    "date": "#/$defs/partial_date",
    "count": "#/$defs/count",
    "grade": "#/$defs/text",
}


def _field_schema(f: Field) -> dict[str, Any]:
    words = " / ".join(dict.fromkeys(label_key(x) for x in (f.label, *f.variants)))
    return {"$ref": _VALUE_REF[f.value], "description": words}


def _subject_schema(form: FormSpec) -> dict[str, Any]:
    fields: dict[str, Field] = {}
    for f in (*form.header_fields(), *form.cover_fields):
        fields.setdefault(f.path.split(".", 1)[1], f)
    skeleton = record_skeleton(form.kind)["subject"]
    props = {key: _field_schema(fields[key]) for key in skeleton}
    for f in form.unprinted:
        props[f.path.split(".", 1)[1]] = {
            **_field_schema(f),
            "description": f"{label_key(f.label)} (not printed on the form)",
        }
    return {
        "type": "object",
        "description": f"{form.title}: " + "、".join(label_key(fields[k].label) for k in skeleton),
        "required": list(skeleton),
        "properties": props,
    }


def _box_label(form: FormSpec, path: str) -> str:
    for _, block in form.blocks():
        if isinstance(block, TextBox) and block.path.split(".")[-2:] == path.split(".")[-2:]:
            return label_key(block.label)
    return path


def _sign_roles(form: FormSpec, prefix: str) -> str:
    roles = [
        s.role
        for _, b in form.blocks()
        if isinstance(b, SignRow)
        for s in b.signs
        if s.path.startswith(prefix)
    ]
    return " / ".join(dict.fromkeys(roles))


def record_schema() -> dict[str, Any]:
    """The JSON Schema of ``cxzy.record/1``, from the two forms."""
    member, org = FORMS["member"], FORMS["organization"]
    forms = list(FORMS.values())
    ev = next(b for _, b in member.blocks() if isinstance(b, Evaluation))
    grade = next(b for _, b in member.blocks() if isinstance(b, GradeRow))
    codes = [code for f in forms for code in f.period_codes]
    sign = {"$ref": "#/$defs/sign"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "A 写实簿 (record book) as one structured record",
        "description": (
            "The interchange form of one filled record book: what parsers emit, what fillers read, what the "
            "validator and reports work on. Generated from cxzy_docs/forms.py (python -m cxzy_docs.recordshape). "
            + "; ".join(
                f"{f.kind} books ({f.title}) have periods {'-'.join((f.period_codes[0], f.period_codes[-1]))}"
                for f in forms
            )
            + ". Every text is trimmed; null means the form left it empty. Extra keys (provenance, problems, "
            "warnings, ids) are allowed."
        ),
        "type": "object",
        "required": ["schema", "kind", "year", "subject", "commitment", "periods", "annual"],
        "properties": {
            "schema": {"const": SCHEMA_ID},
            "kind": {"enum": list(FORMS)},
            "year": {"type": ["integer", "null"], "description": "The （  年度） on the cover."},
            "subject": {
                "description": "The header block (and the cover's names).",
                "oneOf": [_subject_schema(f) for f in forms],
            },
            "commitment": {
                "description": f"{label_key(member.sections[0].label)}: {_box_label(member, 'commitment.text')}, "
                f"signed by the subject ({_sign_roles(member, 'commitment.self')} / "
                f"{_sign_roles(org, 'commitment.self')}) and by the reviewer "
                f"({_sign_roles(member, 'commitment.reviewer')} / {_sign_roles(org, 'commitment.reviewer')}).",
                "type": "object",
                "required": ["text", "self_sign", "reviewer_sign"],
                "properties": {"text": {"$ref": "#/$defs/text"}, "self_sign": sign, "reviewer_sign": sign},
            },
            "periods": {
                "description": "履诺践诺写实, in order: "
                + "; ".join(
                    f"{'/'.join(f.period_codes)} for a {f.kind} book ({'、'.join(PERIOD_NAMES[c] for c in f.period_codes)})"
                    for f in forms
                )
                + ". A period the form has but nobody filled is still listed, with nulls.",
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["period", "fulfilment", "review"],
                    "properties": {
                        "period": {"enum": list(dict.fromkeys(codes))},
                        "fulfilment": {
                            "description": "承诺兑现情况, signed by the subject.",
                            "$ref": "#/$defs/box",
                        },
                        "review": {
                            "description": f"{_box_label(member, 'review.text')}, signed by the reviewer.",
                            "$ref": "#/$defs/box",
                        },
                    },
                },
            },
            "annual": {
                "description": f"年度写实: {_box_label(member, 'annual.summary')}, {label_key(ev.label)} (vote counts), "
                "signed by the reviewer.",
                "type": "object",
                "required": ["summary", "evaluation", "reviewer_sign"],
                "properties": {
                    "summary": {"$ref": "#/$defs/text"},
                    "evaluation": {
                        "type": "object",
                        "required": list(evaluation_keys()),
                        "properties": {col.path.rsplit(".", 1)[1]: _field_schema(col) for col in ev.columns},
                    },
                    "grade": {
                        "type": ["string", "null"],
                        "description": f"{grade.label} where a form records one ({' / '.join(grade.variants)}).",
                    },
                    "reviewer_sign": sign,
                },
            },
            "source": {
                "type": "string",
                "description": "The file read, and for a file holding several books the part: "
                "合订本.pdf#第7-12页, 两本.docx#第2本.",
            },
            "part": {
                "description": "Present when the file held several books: which one this is.",
                "type": "object",
                "required": ["book", "of", "pages"],
                "properties": {
                    "book": {"type": "integer", "minimum": 1},
                    "of": {"type": "integer", "minimum": 2},
                    "pages": {
                        "type": ["array", "null"],
                        "items": {"type": "integer", "minimum": 1},
                        "minItems": 2,
                        "maxItems": 2,
                        "description": "First and last page (PDF, scans); null for DOCX and XLSX.",
                    },
                },
            },
        },
        "$defs": {
            "text": {"type": ["string", "null"]},
            "count": {"type": ["integer", "null"], "minimum": 0},
            "partial_date": {
                "type": ["string", "null"],
                "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
                "description": "ISO date, as precise as the form: 1975, 1975-03 or 1975-03-08.",
            },
            "sign": {
                "type": "object",
                "required": ["name", "date"],
                "properties": {
                    "name": {
                        "$ref": "#/$defs/text",
                        "description": "The name written after （签字）：, null when blank.",
                    },
                    "date": {
                        "$ref": "#/$defs/partial_date",
                        "description": "The 年 月 日 beside it, normalised to ISO; null when blank or unreadable.",
                    },
                },
            },
            "box": {
                "type": "object",
                "required": ["text", "sign"],
                "properties": {"text": {"$ref": "#/$defs/text"}, "sign": {"$ref": "#/$defs/sign"}},
            },
        },
    }


def schema_text() -> str:
    """The schema as committed in ``schema/record.schema.json``."""
    return json.dumps(record_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    sys.stdout.write(schema_text())
