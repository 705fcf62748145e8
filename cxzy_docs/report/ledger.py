"""The review ledger (点评台账): one spreadsheet row per review, with its elements, follow-up and open findings.

A row is written for every period in which the review, its signature or the fulfilment holds
anything; a period nobody touched is not a review (the summary counts it as not done). The
follow-up (整改落实情况) of a review is the next period's 承诺兑现情况 in the same book; the last
period of the year has none in this book. Every text goes in as a string cell, never a formula.

On paper (A4 landscape) the sheet prints the columns seed 004's ledger names — who reviewed whom,
when, what was said, its three elements and what was done about it — sized for their content, in
rows tall enough for their wrapped text, the header row on every page, the organization and year in
the page header and page numbers in the footer. A DOCX version is for filing.
"""

from __future__ import annotations

import io
import math
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
FOLLOW_UP = "整改落实情况（下一期承诺兑现）"
# The columns a page shows, then the ones kept for sorting and filtering only (outside the print area).
PRINTED: tuple[str, ...] = (
    "序号",
    "被点评对象",
    "所在党组织",
    "期次",
    "点评人",
    "点评日期",
    "点评内容",
    "三要素",
    FOLLOW_UP,
    "未解决问题",
)
EXTRA: tuple[str, ...] = (
    "类别",
    "写明成绩",
    "成绩依据",
    "写明不足",
    "不足依据",
    "写明努力方向",
    "努力方向依据",
)
# name -> (least, most) width in Excel's units (a digit of the default font; a Chinese character is about 2)
WIDTHS: dict[str, tuple[float, float]] = {
    "序号": (5, 6),
    "被点评对象": (9, 14),
    "所在党组织": (10, 18),
    "期次": (10, 10),
    "点评人": (7, 9),
    "点评日期": (11, 11),
    "点评内容": (34, 62),
    "三要素": (14, 14),
    FOLLOW_UP: (20, 40),
    "未解决问题": (14, 30),
    "类别": (7, 7),
    "写明成绩": (8, 8),
    "成绩依据": (24, 24),
    "写明不足": (8, 8),
    "不足依据": (24, 24),
    "写明努力方向": (8, 8),
    "努力方向依据": (24, 24),
}
COLUMNS: tuple[tuple[str, float], ...] = tuple((name, WIDTHS[name][1]) for name in (*PRINTED, *EXTRA))
PAGE_UNITS = 150.0  # the printed columns' width that fills A4 landscape at 100% (10 pt text)
FONT_PT = 10.0
LINE_PT = 14.0  # one line of 10 pt text in a cell, with its leading
MAX_ROW_PT = 409.0  # Excel's tallest row
ELEMENT_WORDS = ("成绩", "不足", "努力方向")
DOCX_CELL_MARGIN = 2.5  # a Word cell's left and right margins, in the sheet's width units


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

    def printed(self, number: int) -> list[object]:
        """The values of the printed columns."""
        elements = "\n".join(
            f"{w}：{'有' if found else '无'}"
            for w, (found, _) in zip(ELEMENT_WORDS, self.elements, strict=True)
        )
        return [
            number,
            self.subject,
            self.organization,
            PERIOD_NAMES.get(self.period, self.period),
            self.reviewer,
            self.date,
            self.text,
            elements,
            self.follow_up,
            "\n".join(self.open_findings),
        ]

    def values(self, number: int) -> list[object]:
        """Every column: the printed ones, then kind and each element's 是/否 and evidence."""
        out = [*self.printed(number), KIND_NAMES.get(self.kind, self.kind)]
        for found, evidence in self.elements:
            out += ["是" if found else "否", evidence]
        return out


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
            follow = (
                _s(get_field(rec, f"periods.{codes[i + 1]}.fulfilment.text"))
                if i + 1 < len(codes)
                else NO_NEXT_PERIOD
            )
            problems = tuple(f.message for f in own if f.field == base or f.field.startswith(f"{base}."))
            rows.append(
                LedgerRow(
                    subject=_s((rec.get("subject") or {}).get("name")),
                    kind=rec["kind"],
                    organization=record_organization(rec) or "",
                    period=code,
                    reviewer=reviewer,
                    date=_s(get_field(rec, f"{base}.review.sign.date")),
                    text=text,
                    elements=elements,
                    follow_up=follow or "（未填写）",
                    open_findings=problems,
                )
            )
    return rows


def ledger_title(organization: str | None, year: int | None) -> str:
    """点评台账's title: 红旗村党总支2025年度领导点评台账."""
    return f"{organization or ''}{f'{year}年度' if year else ''}领导点评台账"


# ------------------------------------------------------------------------------ measuring cells


def text_units(text: str) -> float:
    """A line's width in Excel's column units: a Chinese character about 2, a digit or letter about 1."""
    return sum(2.0 if ord(ch) >= 0x2E80 else 1.05 for ch in text)


def cell_lines(value: object, width: float) -> int:
    """The lines ``value`` takes wrapped in a column ``width`` units wide."""
    usable = max(1.0, width - 1.2)
    return (
        sum(max(1, math.ceil(text_units(line) / usable)) for line in _s(value).split("\n"))
        if _s(value)
        else 1
    )


def column_widths(rows: Sequence[LedgerRow]) -> dict[str, float]:
    """Widths for the content: each printed column as wide as its longest line, within its bounds; when
    the printed columns are wider than a landscape page, the long-text columns give way first."""
    wants = {name: max(text_units(name) / 2 + 1, WIDTHS[name][0]) for name in PRINTED}
    for number, row in enumerate(rows[:2000], start=1):  # a sample is enough to size the columns
        for name, value in zip(PRINTED, row.printed(number), strict=True):
            longest = max((text_units(line) for line in _s(value).split("\n")), default=0.0) + 1.5
            wants[name] = min(max(wants[name], longest), WIDTHS[name][1])
    over = sum(wants.values()) - PAGE_UNITS
    flexible = [n for n in PRINTED if wants[n] > WIDTHS[n][0]]
    while over > 0.5 and flexible:
        room = sum(wants[n] - WIDTHS[n][0] for n in flexible)
        cut = min(1.0, over / room)
        for n in flexible:
            wants[n] -= (wants[n] - WIDTHS[n][0]) * cut
        over = sum(wants.values()) - PAGE_UNITS
        flexible = [n for n in flexible if wants[n] > WIDTHS[n][0] + 0.01]
    widths = {n: round(w, 1) for n, w in wants.items()}
    widths.update({n: WIDTHS[n][1] for n in EXTRA})
    return widths


def row_height(values: Sequence[object], names: Sequence[str], widths: dict[str, float]) -> float:
    """The height (points) that shows every line of the row's wrapped cells."""
    lines = max(cell_lines(v, widths[n]) for v, n in zip(values, names, strict=False))
    return min(MAX_ROW_PT, lines * LINE_PT + 4)


# -------------------------------------------------------------------------------------- writing


def ledger_xlsx(rows: Sequence[LedgerRow], title: str = "领导点评台账") -> bytes:
    """The ledger workbook, legible on A4 landscape paper: the printed columns sized for their content,
    wrapped text in rows tall enough for it, the header row on every page, the title in the page header
    and page numbers in the footer; filter and frozen header for work on screen. Extra columns (kind,
    each element's evidence) follow outside the print area."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    names = (*PRINTED, *EXTRA)
    widths = column_widths(rows)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("点评台账")
    for i, name in enumerate(names, start=1):
        ws.column_dimensions[get_column_letter(i)].width = widths[name]
    ws.freeze_panes = "C2"
    last = get_column_letter(len(names))
    ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    ws.print_title_rows = "1:1"
    ws.print_area = f"A1:{get_column_letter(len(PRINTED))}{len(rows) + 1}"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddHeader.center.text = title
    ws.oddHeader.center.size = 12
    ws.oddHeader.center.font = "黑体,常规"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 10
    thin = Side(style="thin", color="666666")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_font, body_font = Font(name="黑体", size=FONT_PT), Font(name="宋体", size=FONT_PT)
    head_fill = PatternFill("solid", fgColor="F2DCDB")
    wrap, centre = (
        Alignment(wrap_text=True, vertical="top"),
        Alignment(wrap_text=True, vertical="top", horizontal="center"),
    )
    centred = {"序号", "期次", "点评人", "点评日期", "类别", "写明成绩", "写明不足", "写明努力方向"}
    head = []
    for name in names:
        cell = put(WriteOnlyCell(ws), name)
        cell.font, cell.fill, cell.border = head_font, head_fill, border
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        head.append(cell)
    ws.row_dimensions[1].height = row_height(names, names, widths)
    ws.append(head)
    for number, row in enumerate(rows, start=1):
        values = row.values(number)
        cells = []
        for name, value in zip(names, values, strict=True):
            cell = put(WriteOnlyCell(ws), value)
            cell.font, cell.border = body_font, border
            cell.alignment = centre if name in centred else wrap
            cells.append(cell)
        ws.row_dimensions[number + 1].height = row_height(values[: len(PRINTED)], PRINTED, widths)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ledger_docx(rows: Sequence[LedgerRow], title: str = "领导点评台账") -> bytes:
    """The ledger for filing: an A4 landscape document, the title on every page's head, one table row per
    review (the printed columns), the header row repeated on every page, page numbers."""
    from cxzy_docs.report.gbdoc import OfficialDocument, TableData

    doc = OfficialDocument(title, landscape=True, margins_mm=(18, 15, 15, 15))
    doc.running_head(title)
    widths = column_widths(rows)
    data = TableData(
        "",
        PRINTED,
        [r.printed(i) for i, r in enumerate(rows, start=1)],
        widths=tuple(widths[name] + DOCX_CELL_MARGIN for name in PRINTED),
        left_columns=frozenset(range(1, len(PRINTED))) - {0, 3, 4, 5},
        font_pt=FONT_PT,
    )
    doc.table(data)
    buf = io.BytesIO()
    doc.doc.save(buf)
    return buf.getvalue()


def write_ledger(
    records: Sequence[Record],
    findings: Sequence[Finding],
    out: str | Path,
    *,
    organization: str | None = None,
    year: int | None = None,
) -> list[LedgerRow]:
    """Write the ledger of ``records`` to ``out`` (.xlsx to work with, .docx to file); the rows written."""
    from cxzy_docs.report.errors import ReportError

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".docx"):
        raise ReportError("点评台账的输出文件应以 .xlsx 或 .docx 结尾", file=str(out))
    rows = ledger_rows(records, findings)
    title = ledger_title(organization, year)
    write_output(out, ledger_xlsx(rows, title) if suffix == ".xlsx" else ledger_docx(rows, title))
    return rows
