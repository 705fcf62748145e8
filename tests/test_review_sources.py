"""The same review text gets the same verdict wherever it comes from: a book, a ledger row, JSON, the store."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook
from test_check_rules import member_book

from cxzy_docs.check import ELEMENTS, analyse_review, validate
from cxzy_docs.check.hanzi import fold
from cxzy_docs.read import parse_file
from cxzy_docs.render.docx import render_docx
from cxzy_docs.render.xlsx import render_xlsx
from cxzy_docs.store import Store

# Texts with what each source may change: width, line breaks (CR/LF), an ideographic indent,
# traditional characters, list items, trailing spaces; each with a different mix of elements.
TEXTS = [
    "\u3000\u3000该同志本季度带领群众修路２公里。\r\n不足是宣传不夠。\r\n今後要加強宣传，每月开一次群众会。  ",
    "村东的桥修好了，雨季再没断过路。就是账记得乱，有几笔对不上。",
    "一、组织党员义务植树300余株；\n二、党员活动室使用率不高；\n三、下季度每周开放三天。",
    "表现良好。望再接再厉。",
]


def _verdict(text: str | None) -> tuple:
    """Found per element, with the folded evidence phrase (sources may differ in width or spaces)."""
    r = analyse_review(text)
    return tuple(
        (r.element(e).found, fold(r.element(e).evidence.phrase).strip() if r.element(e).found else None)
        for e in ELEMENTS
    )


def _review_findings(records: list[dict]) -> list[tuple[str, str, str | None]]:
    out = []
    for f in validate(records, year=2010):
        if f.code.startswith("review."):
            out.append((f.field, f.code, fold(f.evidence).strip() if f.evidence else None))
    return sorted(out)


def _ledger(path: Path, book: dict) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "所在支部", "季度", "点评内容", "点评人", "点评日期"])
    for i, period in enumerate(book["periods"], start=1):
        review = period["review"]
        ws.append(
            [
                i,
                book["subject"]["name"],
                book["subject"]["organization"],
                period["period"],
                review["text"],
                review["sign"]["name"],
                review["sign"]["date"],
            ]
        )
    wb.save(path)


def test_same_text_same_verdict_from_every_source(tmp_path: Path) -> None:
    book = member_book("宋丽娜", TEXTS)
    expected = [_verdict(t) for t in TEXTS]
    assert expected[0][0][0] and expected[3] == ((False, None),) * 3  # the texts do differ

    (tmp_path / "b.docx").write_bytes(render_docx(book))
    (tmp_path / "b.xlsx").write_bytes(render_xlsx(book))
    _ledger(tmp_path / "ledger.xlsx", book)
    db = str(tmp_path / "s.db")
    Store(db).add_records([book])
    sources = {
        "json": json.loads(json.dumps(book, ensure_ascii=False)),
        "docx": parse_file(tmp_path / "b.docx")[0],
        "xlsx book": parse_file(tmp_path / "b.xlsx")[0],
        "ledger row": parse_file(tmp_path / "ledger.xlsx")[0],
        "store": Store(db).records(year=2010)[0],
    }
    want = _review_findings([book])
    assert want  # the last text lacks every element
    for name, rec in sources.items():
        texts = {p["period"]: p["review"]["text"] for p in rec["periods"]}
        got = [_verdict(texts[code]) for code in ("Q1", "Q2", "Q3", "Q4")]
        assert got == expected, name
        assert _review_findings([rec]) == want, name
