"""Files the TUI writes from where the person is: the filtered list with findings, a corrected book."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from cxzy_docs.api import book_docx, put_text, write_atomic
from cxzy_docs.model import Record
from tui.findings import Finding, field_label
from tui.index import BookSummary

BOOK_HEADERS = ("编号", "年度", "党组织", "姓名/名称", "类型", "完整度", "问题数", "已核对", "核对备注")
FINDING_HEADERS = ("编号", "年度", "党组织", "姓名/名称", "栏目", "级别", "代码", "问题", "依据")


def xlsx_bytes(books: Sequence[BookSummary], findings: Mapping[int, Sequence[Finding]]) -> bytes:
    """Two sheets: 写实簿 (one row per book of the list) and 问题 (one row per finding)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "写实簿"
    _header(ws, BOOK_HEADERS, Font)
    for b in books:
        found = findings.get(b.id)
        count = len(found) if found is not None else None
        ws.append([b.id, b.year, None, None, None, None, count, None, None])
        row = ws.max_row
        for col, value in (
            (3, b.organization),
            (4, b.name),
            (5, b.kind_label),
            (6, b.completeness),
            (8, "是" if b.checked else "否"),
            (9, b.check_note or ""),
        ):
            put_text(ws.cell(row=row, column=col), value)
    _widths(ws, (6, 6, 28, 16, 8, 8, 7, 7, 30))

    fs = wb.create_sheet("问题")
    _header(fs, FINDING_HEADERS, Font)
    for b in books:
        for f in findings.get(b.id) or ():
            fs.append([b.id, b.year])
            row = fs.max_row
            values = (
                b.organization,
                b.name,
                field_label(b.kind, f.field),
                f.severity_name,
                f.code,
                f.message,
                f.evidence or "",
            )
            for col, value in enumerate(values, start=3):
                put_text(fs.cell(row=row, column=col), value)
    _widths(fs, (6, 6, 28, 16, 24, 6, 22, 50, 40))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _header(ws: object, headers: Sequence[str], font: type) -> None:
    ws.append(list(headers))  # type: ignore[attr-defined]
    for cell in ws[1]:  # type: ignore[index]
        cell.font = font(bold=True)
    ws.freeze_panes = "A2"  # type: ignore[attr-defined]


def _widths(ws: object, widths: Sequence[int]) -> None:
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w  # type: ignore[attr-defined]


def write_xlsx(path: Path, books: Sequence[BookSummary], findings: Mapping[int, Sequence[Finding]]) -> None:
    write_atomic(path, xlsx_bytes(books, findings))


def write_docx(path: Path, record: Record) -> None:
    """The book, as corrected in the store, as a DOCX in the government layout."""
    clean = {k: v for k, v in record.items() if k != "source"}
    write_atomic(path, book_docx(clean))
