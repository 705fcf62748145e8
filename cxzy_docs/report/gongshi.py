"""The 星级先锋 public notice (公示): each graded organization and member with its grade and mark, DOCX or XLSX."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cxzy_docs.forms import KIND_NAMES
from cxzy_docs.model import Record, get_field
from cxzy_docs.report.cells import put
from cxzy_docs.report.errors import ReportError
from cxzy_docs.report.gbdoc import OfficialDocument, TableData, write_blocks
from cxzy_docs.report.grades import GRADE_ORDER, STAR_GRADES, grade_mark, normalize_grade
from cxzy_docs.report.markup import Block, parse_markup
from cxzy_docs.report.output import write_output
from cxzy_docs.report.scope import record_organization
from cxzy_docs.report.templating import render

GONGSHI_TEMPLATE = "gongshi.md.j2"
DEFAULT_DAYS = 5
HOW_TO_GRADE = (
    "写实簿的样式中没有评定等次一栏，可以这样补上：把评定结果列成表（姓名、所在党组织、评定等次三列，"
    "等次写先锋、合格、基本合格或后进），用 cxzy grades import 评定等次表.xlsx --year 年度 导入；"
    "或在核对界面（cxzy tui）中打开写实簿，按 g 选择等次；或在记录文件的“评议结果”一项中填写。"
)


@dataclass(frozen=True)
class Entry:
    """One line of the notice."""

    kind: str
    name: str
    organization: str
    grade: str  # the step of the scale (先锋 / 合格 / 基本合格 / 后进)
    recorded: str  # the grade as the book records it (优秀 for a member result, ...)
    mark: str


@dataclass(frozen=True)
class GradeTotal:
    grade: str
    mark: str
    count: int


@dataclass(frozen=True)
class Notice:
    """The notice's content, and the books left out of it (no grade, or one not on the scale)."""

    organization: str
    year: int
    entries: tuple[Entry, ...]
    counts: tuple[GradeTotal, ...]
    ungraded: int
    unknown: tuple[str, ...]  # "name：grade as written" of grades not on the scale


def build_notice(records: Sequence[Record], organizations: Sequence[str], root: str, year: int) -> Notice:
    """The entries of ``records`` (already the scope), organizations first, then members by branch."""
    order = {name: i for i, name in enumerate(organizations)}
    rank = {g: i for i, g in enumerate(GRADE_ORDER)}
    entries, unknown, ungraded = [], [], 0
    for rec in records:
        raw = get_field(rec, "annual.grade")
        name = str((rec.get("subject") or {}).get("name") or "（无名）")
        if raw is None or not str(raw).strip():
            ungraded += 1
            continue
        step = normalize_grade(raw)
        if step is None:
            unknown.append(f"{name}：{raw}")
            continue
        entries.append(
            Entry(rec["kind"], name, record_organization(rec) or "", step, str(raw).strip(), grade_mark(step))
        )
    entries.sort(
        key=lambda e: (e.kind != "organization", order.get(e.organization, len(order)), rank[e.grade])
    )
    if not entries:
        detail = f"（其中 {len(unknown)} 本的等次无法识别：{'、'.join(unknown[:5])}）" if unknown else ""
        raise ReportError(
            f"{year} 年度“{root}”及所属党组织的 {len(records)} 本写实簿都没有记录评定等次{detail}，"
            f"无法生成公示名单。{HOW_TO_GRADE}"
        )
    counts = tuple(GradeTotal(g, m, sum(e.grade == g for e in entries)) for g, m in STAR_GRADES)
    return Notice(root, year, tuple(entries), counts, ungraded, tuple(unknown))


def notice_table(notice: Notice) -> TableData:
    rows = [
        (
            i,
            KIND_NAMES.get(e.kind, e.kind),
            e.name,
            e.organization if e.kind == "member" else "—",
            e.recorded,
            e.mark,
        )
        for i, e in enumerate(notice.entries, start=1)
    ]
    return TableData(
        "",
        ("序号", "类别", "党组织名称／党员姓名", "所在党组织", "评定等次", "标识"),
        rows,
        (0.7, 1.2, 2.6, 2.4, 1.4, 0.8),
        frozenset({2, 3}),
    )


def notice_text(
    notice: Notice,
    *,
    template_dir: str | Path | None = None,
    today: dt.date | None = None,
    days: int = DEFAULT_DAYS,
    date: dt.date | None = None,
) -> str:
    """The notice's wording; dated ``date``, else the year's as-of date (``today``, but no later than the
    end of the year's filing window: a past year's notice is not dated the day it is printed)."""
    from cxzy_docs.report.checks import default_as_of

    when = date or default_as_of(notice.year, today)
    context = {
        "org": notice.organization,
        "year": notice.year,
        "entries": notice.entries,
        "counts": notice.counts,
        "days": days,
        "today": when,
        "date": when,
    }
    return render(GONGSHI_TEMPLATE, context, template_dir)


def _unknown(block: Block, what: str, names: Sequence[str]) -> Exception:
    from cxzy_docs.report.errors import TemplateError

    return TemplateError(
        f"模板引用了不存在的{what}“{block.text}”（可用：{'、'.join(names)}）",
        where=f"生成文本第 {block.line} 行",
    )


def notice_docx(notice: Notice, text: str) -> bytes:
    doc = OfficialDocument(f"{notice.organization}{notice.year}年度星级先锋评定结果公示")
    write_blocks(doc, parse_markup(text), {"gongshi": lambda: notice_table(notice)}, {}, _unknown)
    buf = io.BytesIO()
    doc.doc.save(buf)
    return buf.getvalue()


def notice_xlsx(notice: Notice, text: str) -> bytes:
    """The notice as one printable sheet: title, wording, the table, legend and sign-off."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    table = notice_table(notice)
    ncols = len(table.header)
    wb = Workbook()
    ws = wb.active
    ws.title = "公示"
    for i, w in enumerate(table.widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w * 9
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    row = 1

    def line(
        value: str, *, size: int = 12, bold: bool = False, align: str = "left", height: float = 0
    ) -> None:
        nonlocal row
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        cell = put(ws.cell(row, 1), value)
        cell.font = Font(name="仿宋_GB2312" if not bold else "方正小标宋简体", size=size, bold=bold)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if height:
            ws.row_dimensions[row].height = height
        row += 1

    for block in parse_markup(text):
        if block.kind == "title":
            line(block.text, size=18, bold=True, align="center", height=36)
        elif block.kind == "right":
            line(block.text, align="right")
        elif block.kind == "table":
            if block.text != "gongshi":
                raise _unknown(block, "表格", ["gongshi"])
            for values, head in [(table.header, True), *((r, False) for r in table.rows)]:
                for col, value in enumerate(values, start=1):
                    cell = put(ws.cell(row, col), value)
                    cell.border = border
                    cell.font = Font(name="黑体" if head else "仿宋_GB2312", size=12)
                    cell.alignment = Alignment(
                        horizontal="left" if (col - 1) in table.left_columns and not head else "center",
                        vertical="center",
                        wrap_text=True,
                    )
                row += 1
        elif block.kind != "chart":
            line(block.text, height=16 * max(1, len(block.text) // 38 + 1))
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_notice(
    records: Sequence[Record],
    organization: str,
    year: int,
    out: str | Path,
    *,
    template_dir: str | Path | None = None,
    today: dt.date | None = None,
    days: int = DEFAULT_DAYS,
    roster_orgs: Iterable[Mapping[str, Any]] | None = None,
    date: dt.date | None = None,
) -> Notice:
    """Write the 公示 of ``organization`` for ``year`` as .docx or .xlsx (by the suffix of ``out``)."""
    from cxzy_docs.report.summary import year_scope

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".docx", ".xlsx"):
        raise ReportError("公示名单的输出文件应以 .docx 或 .xlsx 结尾", file=str(out))
    scope = year_scope(records, organization, year, roster_orgs)
    notice = build_notice(scope.records, scope.organizations, scope.root, year)
    text = notice_text(notice, template_dir=template_dir, today=today, days=days, date=date)
    write_output(out, notice_docx(notice, text) if suffix == ".docx" else notice_xlsx(notice, text))
    return notice
