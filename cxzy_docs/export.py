"""Records out: the stored books as ``cxzy.record/1`` JSON, or as a workbook an archive can read without us.

The workbook has four sheets: 写实簿 (one row per book: its header fields, its sources), 点评 (one row
per review: period, reviewer, date, text and its three elements with the phrase that states each),
来源 (one row per source of each book) and 来源不一致 (one row per value sources disagree on). Every
text goes in through :func:`cxzy_docs.xlsxsafe.put_text`: nothing written can become a formula.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cxzy_docs.check.elements import ELEMENT_NAMES, ELEMENTS, analyse_review
from cxzy_docs.errors import CxzyError
from cxzy_docs.fieldlabels import field_label
from cxzy_docs.fileio import write_atomic
from cxzy_docs.forms import KIND_NAMES, PERIOD_NAMES, form_for
from cxzy_docs.identity import SOURCE_KIND_NAMES
from cxzy_docs.model import Record, get_field
from cxzy_docs.xlsxsafe import put_text

FORMATS = ("json", "xlsx")

_MEMBER_HEAD = ("name", "gender", "ethnicity", "birth", "joined", "education", "position", "organization")
_ORG_HEAD = ("name", "secretary", "member_count", "activist_count", "parent")
BOOK_HEADERS = (
    "序号",
    "类型",
    "年度",
    "所在党组织/上级党组织",
    "姓名/党组织名称",
    "性别",
    "民族",
    "出生年月",
    "入党时间",
    "文化程度",
    "现任职务",
    "党组织书记",
    "党员人数",
    "入党积极分子数",
    "评议结果",
    "来源数",
    "来源",
    "来源不一致",
)
REVIEW_HEADERS = (
    "序号",
    "类型",
    "年度",
    "党组织",
    "姓名/党组织名称",
    "期次",
    "点评人",
    "点评日期",
    "点评内容",
    *(ELEMENT_NAMES[e] for e in ELEMENTS),
    "三要素齐全",
)
SOURCE_HEADERS = ("序号", "姓名/党组织名称", "年度", "来源", "来源类别")
CONFLICT_HEADERS = ("序号", "姓名/党组织名称", "年度", "栏目", "写法", "来源")


class ExportError(CxzyError):
    """The export could not be written."""


def write_export(records: Sequence[Record], out: str | Path, fmt: str) -> int:
    """Write ``records`` to ``out`` as ``json`` or ``xlsx`` (atomically); the number of books."""
    if fmt not in FORMATS:
        raise ExportError(f"不支持的导出格式“{fmt}”（可选：{'、'.join(FORMATS)}）")
    data = _json(records) if fmt == "json" else _xlsx(records)
    try:
        write_atomic(Path(out), data)
    except OSError as exc:
        raise ExportError(f"无法写出（{exc.strerror}）", file=str(out)) from None
    return len(records)


def _json(records: Sequence[Record]) -> bytes:
    return json.dumps(list(records), ensure_ascii=False, indent=1).encode("utf-8")


def _subject(record: Record) -> tuple[str, str]:
    subj = record.get("subject") or {}
    if record.get("kind") == "member":
        return str(subj.get("organization") or ""), str(subj.get("name") or "")
    return str(subj.get("parent") or ""), str(subj.get("name") or "")


def _xlsx(records: Sequence[Record]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    books_ws = wb.active
    books_ws.title = "写实簿"
    reviews_ws = wb.create_sheet("点评")
    sources_ws = wb.create_sheet("来源")
    conflicts_ws = wb.create_sheet("来源不一致")
    for ws, headers in (
        (books_ws, BOOK_HEADERS),
        (reviews_ws, REVIEW_HEADERS),
        (sources_ws, SOURCE_HEADERS),
        (conflicts_ws, CONFLICT_HEADERS),
    ):
        for col, text in enumerate(headers, 1):
            put_text(ws.cell(row=1, column=col), text).font = Font(bold=True)
        ws.freeze_panes = "A2"
    for n, rec in enumerate(records, 1):
        kind = str(rec.get("kind"))
        org, name = _subject(rec)
        sources = [s for s in rec.get("sources") or () if isinstance(s, dict)]
        conflicts = [c for c in rec.get("conflicts") or () if isinstance(c, dict)]
        subj = rec.get("subject") or {}
        head = {k: subj.get(k) for k in (_MEMBER_HEAD if kind == "member" else _ORG_HEAD)}
        row = [
            n,
            KIND_NAMES.get(kind, kind),
            rec.get("year"),
            org,
            name,
            head.get("gender"),
            head.get("ethnicity"),
            head.get("birth"),
            head.get("joined"),
            head.get("education"),
            head.get("position"),
            head.get("secretary"),
            head.get("member_count"),
            head.get("activist_count"),
            get_field(rec, "annual.grade"),
            len(sources) or 1,
            "；".join(str(s.get("source") or "") for s in sources) or rec.get("source"),
            "、".join(field_label(kind, str(c.get("field"))) for c in conflicts),
        ]
        _append(books_ws, row)
        for code in form_for(kind).period_codes:
            text = get_field(rec, f"periods.{code}.review.text")
            signer = get_field(rec, f"periods.{code}.review.sign.name")
            date = get_field(rec, f"periods.{code}.review.sign.date")
            if text is None and signer is None and date is None:
                continue
            found = analyse_review(text if isinstance(text, str) else None)
            elements = []
            for e in ELEMENTS:
                el = found.element(e)
                elements.append(
                    f"有：{el.evidence.phrase}" if el.found and el.evidence else ("有" if el.found else "无")
                )
            _append(
                reviews_ws,
                [
                    n,
                    KIND_NAMES.get(kind, kind),
                    rec.get("year"),
                    org if kind == "member" else name,
                    name,
                    PERIOD_NAMES.get(code, code),
                    signer,
                    date,
                    text,
                    *elements,
                    "是" if found.complete else "否",
                ],
            )
        for s in sources or [{"source": rec.get("source"), "kind": "file"}]:
            _append(
                sources_ws,
                [
                    n,
                    name,
                    rec.get("year"),
                    s.get("source"),
                    SOURCE_KIND_NAMES.get(str(s.get("kind")), s.get("kind")),
                ],
            )
        for c in conflicts:
            for v in c.get("values") or ():
                _append(
                    conflicts_ws,
                    [
                        n,
                        name,
                        rec.get("year"),
                        field_label(kind, str(c.get("field"))),
                        v.get("value"),
                        v.get("source") or "（库中原值）",
                    ],
                )
    wrap = Alignment(wrap_text=True, vertical="top")
    for ws, widths in (
        (books_ws, (6, 8, 6, 24, 16, 6, 8, 10, 12, 10, 20, 10, 8, 8, 10, 6, 40, 24)),
        (reviews_ws, (6, 8, 6, 24, 16, 10, 10, 12, 60, 30, 30, 30, 8)),
        (sources_ws, (6, 16, 6, 50, 14)),
        (conflicts_ws, (6, 16, 6, 20, 50, 40)),
    ):
        from openpyxl.utils import get_column_letter

        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.auto_filter.ref = ws.dimensions
    for row in reviews_ws.iter_rows(min_row=2, min_col=9, max_col=12):
        for cell in row:
            cell.alignment = wrap
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _append(ws: Any, values: list[Any]) -> None:
    r = ws.max_row + 1
    for col, value in enumerate(values, 1):
        cell = ws.cell(row=r, column=col)
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int | float):
            cell.value = value
        else:
            put_text(cell, value)
