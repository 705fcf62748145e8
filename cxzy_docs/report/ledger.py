"""The review ledger (点评台账): one spreadsheet row per review, with its elements, follow-up and open findings.

A row is written for every period in which the review, its signature or the fulfilment holds
anything; a period nobody touched is not a review (the summary counts it as not done). The
follow-up (整改落实情况) of a review is the next period's 承诺兑现情况 in the same book; the last
period of the year has none in this book. Every text goes in as a string cell, never a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cxzy_docs.forms import KIND_NAMES, PERIOD_NAMES, form_for
from cxzy_docs.model import Record, get_field
from cxzy_docs.report.cells import put
from cxzy_docs.report.checks import ELEMENTS, Finding, findings_by_book, phrase, review_elements
from cxzy_docs.report.output import write_output
from cxzy_docs.report.scope import record_organization

NO_NEXT_PERIOD = "（本年度最后一期，见下一年度写实簿）"
COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 6), ("被点评对象", 12), ("类别", 7), ("所在党组织", 18), ("期次", 9), ("点评人", 9), ("点评日期", 11),
    ("点评内容", 60), ("写明成绩", 8), ("成绩依据", 24), ("写明不足", 8), ("不足依据", 24), ("写明努力方向", 8),
    ("努力方向依据", 24), ("整改落实情况（下一期承诺兑现）", 48), ("未解决问题", 40),
)


@dataclass(frozen=True)
class LedgerRow:
    """One review of the ledger; the values in column order by :meth:`values`."""

    subject: str
    kind: str
    organization: str
    period: str
    reviewer: str
    date: str
    text: str
    elements: tuple[tuple[bool, str], ...]  # (found, evidence) for 成绩, 不足, 努力方向
    follow_up: str
    open_findings: tuple[str, ...]

    def values(self, number: int) -> list[object]:
        out: list[object] = [number, self.subject, KIND_NAMES.get(self.kind, self.kind), self.organization,
                             PERIOD_NAMES.get(self.period, self.period), self.reviewer, self.date, self.text]
        for found, evidence in self.elements:
            out += ["是" if found else "否", evidence]
        return [*out, self.follow_up, "\n".join(self.open_findings)]


def _s(value: object) -> str:
    return "" if value is None else str(value).strip()


def ledger_rows(records: Sequence[Record], findings: Sequence[Finding]) -> list[LedgerRow]:
    """The ledger's rows in book order, period by period; ``findings[i].book`` points into ``records``."""
    by_book = findings_by_book(findings)
    rows = []
    for index, rec in enumerate(records):
        codes = form_for(rec["kind"]).period_codes
        own = by_book.get(index, [])
        for i, code in enumerate(codes):
            base = f"periods.{code}"
            text = _s(get_field(rec, f"{base}.review.text"))
            reviewer = _s(get_field(rec, f"{base}.review.sign.name"))
            fulfilment = _s(get_field(rec, f"{base}.fulfilment.text"))
            if not (text or reviewer or fulfilment):
                continue
            view = review_elements(text or None)
            elements = tuple((view.element(n).found, phrase(view.element(n))) for n in ELEMENTS)
            follow = _s(get_field(rec, f"periods.{codes[i + 1]}.fulfilment.text")) if i + 1 < len(codes) \
                else NO_NEXT_PERIOD
            problems = tuple(f.message for f in own if f.field == base or f.field.startswith(f"{base}."))
            rows.append(LedgerRow(
                subject=_s((rec.get("subject") or {}).get("name")), kind=rec["kind"],
                organization=record_organization(rec) or "", period=code, reviewer=reviewer,
                date=_s(get_field(rec, f"{base}.review.sign.date")), text=text, elements=elements,
                follow_up=follow or "（未填写）", open_findings=problems))
    return rows


def ledger_xlsx(rows: Sequence[LedgerRow], title: str = "点评台账") -> bytes:
    """The ledger workbook: frozen header, autofilter, A4 landscape fitted to the page width."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    for i, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "C2"
    last = get_column_letter(len(COLUMNS))
    ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_font, head_fill = Font(name="黑体", bold=True), PatternFill("solid", fgColor="F2DCDB")
    wrap = Alignment(wrap_text=True, vertical="top")
    head = []
    for name, _ in COLUMNS:
        cell = put(WriteOnlyCell(ws), name)
        cell.font, cell.fill, cell.border = head_font, head_fill, border
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        head.append(cell)
    ws.append(head)
    for number, row in enumerate(rows, start=1):
        cells = []
        for value in row.values(number):
            cell = put(WriteOnlyCell(ws), value)
            cell.alignment, cell.border = wrap, border
            cells.append(cell)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_ledger(records: Sequence[Record], findings: Sequence[Finding], out: str | Path) -> list[LedgerRow]:
    """Write the ledger of ``records`` to ``out`` (.xlsx); the rows written."""
    from cxzy_docs.report.errors import ReportError

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ReportError("点评台账的输出文件应以 .xlsx 结尾", file=str(out))
    rows = ledger_rows(records, findings)
    write_output(out, ledger_xlsx(rows))
    return rows
