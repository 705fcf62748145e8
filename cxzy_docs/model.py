"""The interchange record ``cxzy.record/1``: build, address by field path, check, load and save.

A record is a plain ``dict`` shaped as ``schema/record.schema.json`` says, so that it goes to and
from JSON, SQLite and templates without conversion. Field paths name its leaves the way the
validator and the TUI do: ``subject.name``, ``commitment.self_sign.date``,
``periods.Q3.review.text``, ``annual.evaluation.satisfied``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from cxzy_docs.errors import RecordError
from cxzy_docs.forms import FORMS, form_for, leaves
from cxzy_docs.recordshape import SCHEMA_ID as SCHEMA_ID  # re-exported: the renderers stamp it
from cxzy_docs.recordshape import record_skeleton

SCHEMA_PATH = Path(__file__).with_name("schema") / "record.schema.json"

Record = dict[str, Any]


def _sign() -> dict[str, Any]:
    return {"name": None, "date": None}


def empty_record(kind: str, year: int | None = None) -> Record:
    """A record of ``kind`` with every box the form has, all empty (``None``); its shape comes from
    forms.py (:func:`cxzy_docs.recordshape.record_skeleton`)."""
    form_for(kind)  # a clear error for an unknown kind
    return record_skeleton(kind, year)


# ---------------------------------------------------------------------------------- field paths

def _step(node: Any, key: str, create: bool) -> Any:
    if isinstance(node, list):  # periods: addressed by period code
        for item in node:
            if isinstance(item, dict) and item.get("period") == key:
                return item
        if create:
            item = {"period": key, "fulfilment": {"text": None, "sign": _sign()},
                    "review": {"text": None, "sign": _sign()}}
            node.append(item)
            return item
        raise KeyError(key)
    if isinstance(node, dict):
        if key not in node:
            if not create:
                raise KeyError(key)
            node[key] = {}
        return node[key]
    raise KeyError(key)


def get_field(record: Record, path: str, default: Any = None) -> Any:
    """The value at ``path`` (``periods.Q3.review.text``), or ``default`` where absent."""
    node: Any = record
    try:
        for key in path.split("."):
            node = _step(node, key, create=False)
    except KeyError:
        return default
    return node


def set_field(record: Record, path: str, value: Any) -> None:
    """Set the value at ``path``, creating the containers on the way (periods by code)."""
    *parents, last = path.split(".")
    node: Any = record
    for key in parents:
        node = _step(node, key, create=True)
    if isinstance(node, list):
        raise KeyError(path)
    node[last] = value


def field_paths(kind: str) -> list[str]:
    """Every leaf path of a book of ``kind``, in form order."""
    return [leaf.path for leaf in leaves(form_for(kind))]


def iter_values(record: Record) -> Iterator[tuple[str, Any]]:
    """(path, value) for every leaf of the record's form."""
    for path in field_paths(record["kind"]):
        yield path, get_field(record, path)


# ---------------------------------------------------------------------------------- validation

@cache
def _validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _json_path(parts: Iterable[Any]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "（记录本身）"


def check_record(record: Any, *, file: str | None = None, index: int | None = None) -> None:
    """Raise :class:`RecordError` naming the file, the record and the field when it does not fit."""
    errors = sorted(_validator().iter_errors(record), key=lambda e: list(e.absolute_path))
    if not errors:
        kind = record.get("kind")
        codes = [p.get("period") for p in record.get("periods", [])]
        expected = list(FORMS[kind].period_codes)
        if codes != expected:
            where = _where(index, "periods")
            raise RecordError(f"期次应为 {'、'.join(expected)}（按顺序），实际为 {codes}", file=file, where=where)
        return
    err = min(errors, key=lambda e: len(list(e.absolute_path)))
    if err.validator == "oneOf" and list(err.absolute_path) == ["subject"]:
        detail = "subject（表头）字段与 kind 不符或缺少字段"
    elif err.validator == "required":
        detail = f"缺少必填字段：{err.message.split(' ')[0]}"
    elif err.validator in ("type", "enum", "const", "pattern", "minimum"):
        detail = f"值 {err.instance!r} 不合要求（{_explain(err)}）"
    else:
        detail = err.message
    raise RecordError(detail, file=file, where=_where(index, _json_path(err.absolute_path)))


def _explain(err: Any) -> str:
    if err.validator == "pattern":
        return "日期应为 YYYY、YYYY-MM 或 YYYY-MM-DD"
    if err.validator == "minimum":
        return "不能为负数"
    if err.validator == "enum":
        return "可选值：" + "、".join(map(str, err.validator_value))
    if err.validator == "const":
        return f"应为 {err.validator_value!r}"
    return f"类型应为 {err.validator_value}"


def _where(index: int | None, path: str) -> str:
    return f"第 {index + 1} 条记录的字段 {path}" if index is not None else f"字段 {path}"


# ------------------------------------------------------------------------------- load and save

def load_records(path: str | Path) -> list[Record]:
    """Records from a JSON file holding one record or a list of them; each one checked."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise RecordError("文件不存在", file=str(path)) from None
    except OSError as exc:
        raise RecordError(f"无法读取（{exc.strerror}）", file=str(path)) from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise RecordError("不是 UTF-8 编码的 JSON 文件", file=str(path)) from None
    except json.JSONDecodeError as exc:
        raise RecordError(f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列（{exc.msg}）",
                          file=str(path)) from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise RecordError("文件中没有记录", file=str(path))
    for i, rec in enumerate(items):
        check_record(rec, file=str(path), index=i if isinstance(data, list) else None)
    return items


def dumps_records(records: list[Record] | Record) -> str:
    """JSON text (UTF-8, not escaped, indented) for one record or a list."""
    return json.dumps(records, ensure_ascii=False, indent=1)


def save_records(records: list[Record] | Record, path: str | Path) -> None:
    """Write records as JSON, atomically (a temporary file renamed into place)."""
    from cxzy_docs.fileio import write_atomic

    write_atomic(Path(path), dumps_records(records).encode("utf-8"))


def copy_record(record: Record) -> Record:
    return copy.deepcopy(record)


def part_label(part: dict[str, Any]) -> str:
    """Which part of a file a book is, in words: ``第7-12页`` (or ``第7页``); ``第2本`` without pages."""
    pages = part.get("pages")
    if pages:
        a, b = pages
        return f"第{a}页" if a == b else f"第{a}-{b}页"
    return f"第{part['book']}本"


def source_of(path: str, record: Record) -> str:
    """The ``source`` of a record read from ``path``: the path, and the part for a file of several books."""
    part = record.get("part")
    return f"{path}#{part_label(part)}" if isinstance(part, dict) else path


def display_name(record: Record) -> str:
    """'2010 靖宇镇卫生院党支部 宋丽娜' for messages and lists."""
    subj = record.get("subject") or {}
    parts = [str(record.get("year") or "")]
    if record.get("kind") == "member":
        parts += [subj.get("organization") or "", subj.get("name") or "（无名）"]
    else:
        parts += [subj.get("name") or "（无名党组织）"]
    return " ".join(p for p in parts if p)
