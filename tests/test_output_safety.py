"""Outputs that cannot be turned against their reader: no formulas in sheets, no names out of --out, sandboxed templates."""

from __future__ import annotations

import copy
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cxzy_docs.cli import main as cxzy

ROOT = Path(__file__).resolve().parent.parent
PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=2+2", "＝1+1"]
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def sample_record(kind: str = "member") -> dict:
    return copy.deepcopy(
        next(
            r for r in json.loads((ROOT / "samples" / "records.json").read_text("utf-8")) if r["kind"] == kind
        )
    )


def assert_text_only(data: bytes, what: str) -> None:
    """No formula element in any sheet, and every payload there as a text cell holding it verbatim."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert not _FORMULA.search(zf.read(name)), f"{what}: formula element in {name}"
    wb = openpyxl.load_workbook(io.BytesIO(data))  # formulas, if any, would come back as formulas
    found: dict[str, str] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    for p in PAYLOADS:
                        if c.value.replace("\r", "\n").startswith(p.replace("\r", "\n")):
                            assert c.data_type == "s", f"{what}: {c.coordinate} {c.value!r} is {c.data_type}"
                            # kept as written, and marked text for Excel (the quote prefix) so that
                            # editing the cell there does not turn it into a formula either
                            assert c.quotePrefix, f"{what}: {c.coordinate} {c.value!r} has no quote prefix"
                            found[p] = c.coordinate
    missing = [p for p in PAYLOADS if p not in found]
    assert not missing, f"{what}: payloads not written as text: {missing}"


def test_record_book_xlsx() -> None:
    from cxzy_docs.render.xlsx import render_xlsx

    rec = sample_record()
    rec["subject"]["position"] = PAYLOADS[0]
    rec["commitment"]["text"] = PAYLOADS[1]
    for period, payload in zip(rec["periods"], PAYLOADS[2:], strict=False):
        period["fulfilment"]["text"] = payload
    rec["periods"][0]["review"]["text"] = PAYLOADS[-1]
    assert_text_only(render_xlsx(rec), "render_xlsx")


def test_findings_xlsx(tmp_path: Path) -> None:
    from cxzy_docs.check.findings import Finding
    from cxzy_docs.check.report import write_findings_xlsx

    findings = [
        Finding(
            source=p,
            kind="member",
            subject=p,
            field="periods.Q1.review.text",
            code="R1",
            severity="error",
            message=p,
            evidence=p,
        )
        for p in PAYLOADS
    ]
    out = tmp_path / "findings.xlsx"
    write_findings_xlsx(findings, out)
    assert_text_only(out.read_bytes(), "write_findings_xlsx")


def test_review_ledger_xlsx() -> None:
    from cxzy_docs.report.ledger import LedgerRow, ledger_xlsx

    rows = [
        LedgerRow(
            subject=p,
            kind="member",
            organization=p,
            period="Q1",
            reviewer=p,
            date=p,
            text=p,
            elements=((True, p), (False, p), (True, p)),
            follow_up=p,
            open_findings=(p,),
        )
        for p in PAYLOADS
    ]
    assert_text_only(ledger_xlsx(rows), "ledger_xlsx")


def test_gongshi_xlsx() -> None:
    from cxzy_docs.report.gongshi import Entry, GradeTotal, Notice, notice_xlsx

    entries = tuple(
        Entry(kind="member", name=p, organization=p, grade="合格", recorded=p, mark=p) for p in PAYLOADS
    )
    notice = Notice(
        organization=PAYLOADS[0],
        year=2025,
        entries=entries,
        counts=(GradeTotal("合格", "√", len(entries)),),
        ungraded=0,
        unknown=(),
    )
    assert_text_only(notice_xlsx(notice, "# 公示\n\n::table gongshi\n"), "notice_xlsx")


def test_tui_export_xlsx() -> None:
    from cxzy_docs.check import Finding
    from tui.export import xlsx_bytes
    from tui.index import BookSummary

    books = [
        BookSummary(
            id=i,
            kind="member",
            year=2025,
            name=p,
            organization=p,
            filled=1,
            boxes=2,
            checked=True,
            check_note=p,
            version=1,
            search="",
        )
        for i, p in enumerate(PAYLOADS, start=1)
    ]
    findings = {
        b.id: [
            Finding(
                source=p,
                kind="member",
                subject=p,
                field="periods.Q1.review.text",
                code=p,
                severity="error",
                message=p,
                evidence=p,
            )
        ]
        for b, p in zip(books, PAYLOADS, strict=True)
    }
    assert_text_only(xlsx_bytes(books, findings), "tui xlsx_bytes")


# ---------------------------------------------------------------------------------- file names

HOSTILE_NAMES = [
    "../../逃逸",
    "/etc/passwd",
    "..",
    ".",
    "CON",
    "NUL",
    "a\x00b",
    "长" * 300,
    "..\\..\\win",
    "~/家",
    "a/b/c",
    "\u202etxt.exe",
    "  ",
    ".hidden",
]


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


def assert_all_inside(tmp_path: Path, out: Path, before: set[Path]) -> list[Path]:
    made = files_under(tmp_path) - before
    outside = [p for p in made if out.resolve() not in p.resolve().parents]
    assert not outside, f"written outside --out: {outside}"
    assert not Path("/etc/passwd.docx").exists()
    for p in made:
        assert len(p.name.encode()) <= 255 and "\x00" not in p.name and not p.name.startswith(".")
    return sorted(made)


def test_fill_with_hostile_names_stays_inside_out(tmp_path: Path) -> None:
    records = []
    names = [
        n.replace("\x00", "") for n in HOSTILE_NAMES
    ]  # a record with NUL is refused on reading (test_hostile2)
    for i, name in enumerate(names):
        rec = sample_record("member" if i % 2 else "organization")
        rec["subject"]["name"] = name
        if rec["kind"] == "member":
            rec["subject"]["organization"] = names[-1 - i]
        records.append(rec)
    src = tmp_path / "records.json"
    src.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "work" / "out"
    before = files_under(tmp_path)
    code = cxzy(["fill", str(src), "--out", str(out), "--format", "docx,xlsx", "--combined"])
    assert code == 0
    made = assert_all_inside(tmp_path, out, before)
    books = [p for p in made if p.suffix in (".docx", ".xlsx")]
    assert len(books) == 2 * len(records)  # one file per book and format: none lost to a clash
    assert len({p.name.casefold() for p in books}) == len(books)


def test_blank_with_hostile_roster_rows_stays_inside_out(tmp_path: Path) -> None:
    rows = ["序号,姓名,性别,民族,出生年月,入党时间,文化程度,现任职务,所在党组织"]
    names = [n.replace("\x00", "") for n in HOSTILE_NAMES]  # a CSV cell cannot hold NUL
    for i, name in enumerate(names, start=1):
        org = names[-i].replace(",", "")
        rows.append(f'{i},"{name}",男,汉族,1980.01,2000.07.01,大学,职员,"{org}"')
    roster = tmp_path / "roster.csv"
    roster.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "work" / "blank"
    before = files_under(tmp_path)
    code = cxzy(["blank", "--roster", str(roster), "--year", "2025", "--out", str(out), "--combined"])
    assert code in (0, 1)  # 1: the roster has problems (blank names), reported, not fatal
    made = assert_all_inside(tmp_path, out, before)
    assert [p for p in made if p.suffix == ".docx"], "no book written at all"


# ---------------------------------------------------------------------------------- templates


@pytest.mark.parametrize(
    "body",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{% include '/etc/passwd' %}",
        "{% include '../../../../../../etc/passwd' %}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ self._TemplateReference__context }}",
    ],
)
def test_report_templates_cannot_escape_their_sandbox(tmp_path: Path, body: str) -> None:
    from cxzy_docs.report.errors import TemplateError
    from cxzy_docs.report.templating import render

    office = tmp_path / "office"
    office.mkdir()
    (office / "evil.md.j2").write_text(body, encoding="utf-8")
    try:
        text = render("evil.md.j2", {}, template_dir=office)
    except TemplateError as exc:
        assert re.search("[\u4e00-\u9fff]", exc.message), exc.message
        assert "root:" not in exc.message
    else:
        assert "root:" not in text and "uid=" not in text and "subclasses" not in text, text
