"""Findings for people: a Chinese text report grouped by book, JSON, and an XLSX list for the filing office."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from cxzy_docs.check.findings import RULES, SEVERITIES, SEVERITY_NAMES, Finding
from cxzy_docs.xlsxsafe import put_text

XLSX_COLUMNS = (
    ("序号", 6),
    ("写实簿", 34),
    ("文件", 28),
    ("类型", 8),
    ("栏目", 30),
    ("问题类别", 24),
    ("级别", 6),
    ("问题", 60),
    ("依据", 50),
)  # the rule's code and the field's path are for programs: --json has them
_KIND = {"member": "党员", "organization": "党组织"}


def count_line(findings: Sequence[Finding]) -> str:
    """'共 12 条：错误 9 条，警告 3 条，提示 0 条'."""
    counts = {s: 0 for s in SEVERITIES}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    parts = "，".join(f"{SEVERITY_NAMES[s]} {counts[s]} 条" for s in SEVERITIES)
    return f"共 {len(findings)} 条：{parts}"


def format_findings_text(findings: Sequence[Finding]) -> str:
    """A Chinese report: one block per book (in the order given), each finding on its line, a count at the end."""
    if not findings:
        return "校验完成，未发现问题。\n共 0 条。\n"
    groups: dict[tuple[str | None, str], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.source, f.subject), []).append(f)
    lines: list[str] = []
    for (source, subject), items in groups.items():
        head = f"【{subject}】"
        if source:
            head += f"  {source}"
        lines.append(head)
        for f in items:
            line = f"  [{SEVERITY_NAMES.get(f.severity, f.severity)}] {f.message}"  # code and path: --json
            if f.evidence:
                ev = f.evidence.replace("\n", " ")
                line += f"\n      依据：“{ev if len(ev) <= 80 else ev[:80] + '…'}”"
            lines.append(line)
        lines.append(f"  小计 {len(items)} 条")
        lines.append("")
    lines.append(f"{len(groups)} 本写实簿（或组织）有问题，{count_line(findings)}。")
    return "\n".join(lines) + "\n"


def findings_json(findings: Sequence[Finding]) -> str:
    """The findings as a JSON array of ``{source, kind, subject, field, code, severity, message, evidence}``."""
    return json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=1)


def write_findings_xlsx(findings: Sequence[Finding], path: str | Path) -> None:
    """An XLSX list of findings: frozen, filtered header; every value written as text, never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from cxzy_docs.fileio import write_atomic

    wb = Workbook()
    ws = wb.active
    ws.title = "校验结果"
    for col, (title, width) in enumerate(XLSX_COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        ws.column_dimensions[cell.column_letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, f in enumerate(findings, start=2):
        rule = RULES.get(f.code)
        values = (
            str(row - 1),
            f.subject,
            f.source or "",
            _KIND.get(f.kind or "", ""),
            f.label,
            rule.title if rule else "",
            SEVERITY_NAMES.get(f.severity, f.severity),
            f.message,
            f.evidence or "",
        )
        for col, value in enumerate(values, start=1):
            put_text(ws.cell(row=row, column=col), value).alignment = wrap
    ws.freeze_panes = "A2"
    last = ws.cell(row=max(1, len(findings) + 1), column=len(XLSX_COLUMNS)).coordinate
    ws.auto_filter.ref = f"A1:{last}"
    summary = wb.create_sheet("统计")
    summary.append(["级别", "条数"])
    for s in SEVERITIES:
        summary.append([SEVERITY_NAMES[s], sum(1 for f in findings if f.severity == s)])
    summary.append(["合计", len(findings)])
    import io

    buf = io.BytesIO()
    wb.save(buf)
    write_atomic(Path(path), buf.getvalue())
