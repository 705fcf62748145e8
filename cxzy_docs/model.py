"""The interchange record ``cxzy.record/1``: build, address by field path, check, load and save.

A record is a plain ``dict`` shaped as ``schema/record.schema.json`` says, so that it goes to and
from JSON, SQLite and templates without conversion. Field paths name its leaves the way the
validator and the TUI do: ``subject.name``, ``commitment.self_sign.date``,
``periods.Q3.review.text``, ``annual.evaluation.satisfied``.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from cxzy_docs.errors import RecordError, os_reason
from cxzy_docs.fileio import write_atomic
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
            item = {
                "period": key,
                "fulfilment": {"text": None, "sign": _sign()},
                "review": {"text": None, "sign": _sign()},
            }
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
    return list(_field_paths(kind))


@cache
def _field_paths(kind: str) -> tuple[str, ...]:
    return tuple(leaf.path for leaf in leaves(form_for(kind)))


@cache
def _leaf_keys(kind: str) -> tuple[tuple[str, tuple[str | int, ...]], ...]:
    """Each leaf path with the keys that reach it in a record whose periods are in the form's order
    (``periods.Q3.review.text`` -> ``("periods", 2, "review", "text")``)."""
    codes = list(form_for(kind).period_codes)
    out = []
    for path in _field_paths(kind):
        keys: list[str | int] = list(path.split("."))
        if keys[0] == "periods":
            keys[1] = codes.index(str(keys[1]))
        out.append((path, tuple(keys)))
    return tuple(out)


def iter_values(record: Record) -> Iterator[tuple[str, Any]]:
    """(path, value) for every leaf of the record's form."""
    for path in _field_paths(record["kind"]):
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


# Bounds on meaning, checked before the schema (whose validator recurses) wherever records enter:
YEAR_MIN, YEAR_MAX = 1949, 2100  # the book's year (年度)
DATE_YEAR_MIN = 1900  # dates (birth, joined, signatures): the year they start with, up to YEAR_MAX
MAX_DEPTH = 20  # containers nested in a record (a book nests 5 deep; provenance adds a few)
MAX_TEXT_CHARS = 200_000  # characters of one text (a cell keeps at most 32,767)
MAX_ITEMS = 10_000  # keys or items of one object or array
MAX_NODES = 200_000  # values in one record altogether
MAX_INT = 2**53  # integers beyond JSON's safe range are no counts or years
MAX_JSON_BYTES = 256 * 1024 * 1024  # a records JSON file
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_DATE_KEYS = frozenset({"date", "birth", "joined"})
_LEADING_YEAR = re.compile(r"^\s*(\d{4,})")


def check_meaning(record: Any, *, file: str | None = None, index: int | None = None) -> None:
    """Raise :class:`RecordError` for what a schema cannot say: a year outside 1949..2100, a date in no
    sane year, text with lone surrogates or control characters (tab, line feed and carriage return
    allowed), nesting deeper than :data:`MAX_DEPTH`, oversized texts, arrays or records. One walk, no
    recursion."""
    if not isinstance(record, dict):
        raise RecordError(
            f"记录应为 JSON 对象，实际为 {type(record).__name__}",
            file=file,
            where=_where(index, "（记录本身）"),
        )
    year = record.get("year")
    if year is not None and not isinstance(year, bool) and isinstance(year, int | float):
        if not YEAR_MIN <= year <= YEAR_MAX:
            shown = str(year) if len(str(year)) <= 24 else str(year)[:20] + "…"
            raise RecordError(
                f"年度 {shown} 不在合理范围（{YEAR_MIN}–{YEAR_MAX}）", file=file, where=_where(index, "year")
            )
    # Each entry: (value, its key, its parent's entry, depth); a path is spelled out only for a message.
    nodes = 0
    stack: list[tuple[Any, str | int, Any, int]] = [(record, "", None, 0)]
    while stack:
        entry = stack.pop()
        node, key, _parent, depth = entry
        nodes += 1
        if nodes > MAX_NODES:
            raise RecordError(
                f"记录过大（超过 {MAX_NODES} 个值）", file=file, where=_where(index, "（记录本身）")
            )
        if isinstance(node, str):
            if len(node) > MAX_TEXT_CHARS:
                raise RecordError(
                    f"文字过长（{len(node)} 字，上限 {MAX_TEXT_CHARS}）",
                    file=file,
                    where=_where(index, _path(entry)),
                )
            bad = _BAD_CHARS.search(node)
            if bad:
                what = "孤立的代理字符" if "\ud800" <= bad.group() <= "\udfff" else "控制字符"
                raise RecordError(
                    f"文字含有{what}（U+{ord(bad.group()):04X}），不是有效的文本",
                    file=file,
                    where=_where(index, _path(entry)),
                )
            if key in _DATE_KEYS:
                m = _LEADING_YEAR.match(node)
                if m and not DATE_YEAR_MIN <= int(m[1][:6]) <= YEAR_MAX:
                    raise RecordError(
                        f"日期 {node[:20]!r} 的年份不在合理范围（{DATE_YEAR_MIN}–{YEAR_MAX}）",
                        file=file,
                        where=_where(index, _path(entry)),
                    )
        elif node is None or isinstance(node, bool):
            continue
        elif isinstance(node, int):
            if abs(node) > MAX_INT:
                raise RecordError("数值过大", file=file, where=_where(index, _path(entry)))
        elif isinstance(node, float):
            if node != node or node in (float("inf"), float("-inf")) or abs(node) > MAX_INT:
                raise RecordError(f"数值 {node!r} 无效", file=file, where=_where(index, _path(entry)))
        elif isinstance(node, dict | list):
            if depth >= MAX_DEPTH:
                raise RecordError(
                    f"嵌套超过 {MAX_DEPTH} 层", file=file, where=_where(index, _path(entry) or "（记录本身）")
                )
            if len(node) > MAX_ITEMS:
                raise RecordError(
                    f"条目过多（{len(node)} 个，上限 {MAX_ITEMS}）",
                    file=file,
                    where=_where(index, _path(entry) or "（记录本身）"),
                )
            if isinstance(node, dict):
                for k, value in node.items():
                    if not isinstance(k, str) or len(k) > 200 or _BAD_CHARS.search(k):
                        raise RecordError(
                            "字段名无效", file=file, where=_where(index, _path(entry) or "（记录本身）")
                        )
                    stack.append((value, k, entry, depth + 1))
            else:
                stack.extend((value, i, entry, depth + 1) for i, value in enumerate(node))
        else:
            raise RecordError(
                f"不支持的值类型 {type(node).__name__}", file=file, where=_where(index, _path(entry))
            )


def _path(entry: tuple[Any, str | int, Any, int]) -> str:
    """``periods[2].review.text`` for a :func:`check_meaning` stack entry (its keys up to the record)."""
    keys: list[str | int] = []
    while entry[2] is not None:
        keys.append(entry[1])
        entry = entry[2]
    out = ""
    for k in reversed(keys):
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else k)
    return out


def check_stored(record: Any, *, file: str | None = None, where: str | None = None) -> None:
    """The quick check of a record loaded from the store (the schema's validator is too slow for
    10,000 rows): its meaning (:func:`check_meaning`), its kind and periods, and every leaf of its
    form a plain value, so that reports and the validator can rely on it."""
    try:
        check_meaning(record, file=file)
        kind = record.get("kind")
        if kind not in FORMS:
            raise RecordError(f"kind 应为 {'、'.join(FORMS)}，实际为 {kind!r}", file=file)
        if not isinstance(record.get("subject"), dict):
            raise RecordError("缺少表头（subject）", file=file)
        for key in ("commitment", "annual"):
            if not isinstance(record.get(key), dict):
                raise RecordError(f"缺少字段 {key}", file=file)
        periods = record.get("periods")
        if not isinstance(periods, list) or not all(isinstance(p, dict) for p in periods):
            raise RecordError("periods 应为期次列表", file=file)
        codes = [p.get("period") for p in periods]
        if codes != list(FORMS[kind].period_codes):
            raise RecordError(f"期次应为 {'、'.join(FORMS[kind].period_codes)}", file=file)
        for path, keys in _leaf_keys(kind):  # periods are in the form's order (checked above)
            value: Any = record
            for step in keys:
                if isinstance(value, dict):
                    value = value.get(step)
                elif isinstance(value, list) and isinstance(step, int):
                    value = value[step]
                else:
                    value = None  # a plain value where a box's container should be: the box is absent
                if value is None:
                    break
            if isinstance(value, dict | list):
                raise RecordError(f"字段 {path} 应为文字、数字或空", file=file)
        year = record.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise RecordError(f"年度应为整数，实际为 {year!r}", file=file)
    except RecordError as exc:
        if where:
            exc.where = f"{where}，{exc.where}" if exc.where else where
        raise


def check_record(record: Any, *, file: str | None = None, index: int | None = None) -> None:
    """Raise :class:`RecordError` naming the file, the record and the field when it does not fit."""
    check_meaning(record, file=file, index=index)
    errors = sorted(_validator().iter_errors(record), key=lambda e: list(e.absolute_path))
    if not errors:
        kind = record.get("kind")
        codes = [p.get("period") for p in record.get("periods", [])]
        expected = list(FORMS[kind].period_codes)
        if codes != expected:
            where = _where(index, "periods")
            raise RecordError(
                f"期次应为 {'、'.join(expected)}（按顺序），实际为 {codes}", file=file, where=where
            )
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


def load_records(path: str | Path, *, name: str | None = None) -> list[Record]:
    """Records from a JSON file holding one record, a list of them, or JSON Lines; each one checked.

    ``name`` is how messages name the file (defaults to ``path``).
    """
    p = Path(path)
    shown = name or str(path)
    try:
        with p.open("rb") as fh:
            raw = fh.read(MAX_JSON_BYTES + 1)
    except FileNotFoundError:
        raise RecordError("文件不存在", file=shown) from None
    except OSError as exc:
        raise RecordError(f"无法读取（{os_reason(exc)}）", file=shown) from None
    if len(raw) > MAX_JSON_BYTES:
        raise RecordError(f"文件超过 {MAX_JSON_BYTES // 1024 // 1024} MB，不像记录文件", file=shown)
    try:
        text = raw.decode("utf-8-sig")
        data = _json_or_lines(text)
    except UnicodeDecodeError:
        raise RecordError("不是 UTF-8 编码的 JSON 文件", file=shown) from None
    except json.JSONDecodeError as exc:
        raise RecordError(
            f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列（{exc.msg}）", file=shown
        ) from None
    except RecursionError:
        raise RecordError("JSON 嵌套过深，不是记录文件", file=shown) from None
    except ValueError as exc:  # a number too long to read (Python's digit limit)
        raise RecordError(f"JSON 内容无效（{exc}）", file=shown) from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise RecordError("文件中没有记录", file=shown)
    for i, rec in enumerate(items):
        check_record(rec, file=shown, index=i if isinstance(data, list) else None)
    return items


def _json_or_lines(text: str) -> Any:
    """One JSON value (a record or an array), or JSON Lines (one record per line) as a list."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as whole:
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        if len(lines) < 2 or not lines[0][1].lstrip().startswith("{"):
            raise
        out = []
        for n, line in lines:
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                if n == 1:
                    raise whole from None
                raise json.JSONDecodeError(
                    exc.msg, text, sum(len(x) + 1 for x in text.splitlines()[: n - 1]) + exc.pos
                ) from None
        return out


def dumps_records(records: list[Record] | Record) -> str:
    """JSON text (UTF-8, not escaped, indented) for one record or a list."""
    return json.dumps(records, ensure_ascii=False, indent=1)


def save_records(records: list[Record] | Record, path: str | Path) -> None:
    """Write records as JSON, atomically (a temporary file renamed into place)."""
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
