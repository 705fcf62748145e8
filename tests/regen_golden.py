"""Regenerate every golden file: ``python tests/regen_golden.py`` (``make golden``).

- ``tests/golden/docx/<case>/`` and ``tests/golden/xlsx/<case>/``: the normalised parts of each DOCX and
  XLSX case (compared part by part);
- ``tests/golden/layout/<case>.json``: what each rendered PDF shows — text in order, pages, tables,
  images, and for our own PDFs every word's position (compared with tolerances, tests/pagelayout.py);
- ``tests/golden/png/<case>-p<n>.png``: the first pages of the same PDFs at 50 dpi, for people to
  look at after a change. They are not compared: pixels depend on the machine's fonts.

``--only docx|xlsx|layout`` regenerates one kind. Review the diff before committing.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent
sys.path[:0] = [str(TESTS), str(TESTS.parent)]

from golden_tools import libreoffice_pdf, pdf_page_pngs, write_golden  # noqa: E402
from pagelayout import pdf_layout, write_layout  # noqa: E402

from cxzy_docs.model import empty_record  # noqa: E402
from cxzy_docs.render.docx import DocxRenderer  # noqa: E402
from cxzy_docs.render.pdf import render_pdf_one  # noqa: E402
from cxzy_docs.render.xlsx import render_xlsx  # noqa: E402

GOLDEN = TESTS / "golden"
FORMS_DEV = TESTS / "data" / "forms-dev"
FIXED_TIME = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
TABLE_FIRST_PAGE = 3  # cover, 说明, then the table


def gold_record(name: str) -> dict[str, Any]:
    """A gold record of the dev corpus without its ``_meta``."""
    record = json.loads((FORMS_DEV / f"{name}.gold.json").read_text(encoding="utf-8"))
    record.pop("_meta", None)
    return record


def _roster_blank() -> dict[str, Any]:
    record = empty_record("member", 2025)
    record["subject"].update(name="宋丽娜", organization="靖宇镇卫生院党支部")
    return record


DOCX_CASES: dict[str, Callable[[], dict[str, Any]]] = {
    "member-blank": lambda: empty_record("member"),
    "member-roster-2025": _roster_blank,
    "member-filled": lambda: gold_record("dev-2010-m01.docx"),
    "organization-filled": lambda: gold_record("dev-2010-o01.docx"),
}
PNG_PAGES = 4  # first pages drawn for people to look at
REPORT_TODAY = dt.date(2026, 1, 20)  # the summary's date line, fixed so the text does not change daily


def docx_case(case: str) -> bytes:
    """The .docx bytes of a golden case (core.xml dates fixed)."""
    return DocxRenderer(created=FIXED_TIME).render(DOCX_CASES[case]())


def regen_docx() -> None:
    for case in DOCX_CASES:
        write_golden(docx_case(case), GOLDEN / "docx" / case)
        print(f"golden/docx/{case}")


# The XLSX book of the same records (openpyxl's part dates are dropped before comparing).
XLSX_CASES: dict[str, Callable[[], dict[str, Any]]] = {
    "member-filled": DOCX_CASES["member-filled"],
    "organization-filled": DOCX_CASES["organization-filled"],
    "member-blank": DOCX_CASES["member-blank"],
}


def xlsx_case(case: str) -> bytes:
    return render_xlsx(XLSX_CASES[case]())


def regen_xlsx() -> None:
    for case in XLSX_CASES:
        write_golden(xlsx_case(case), GOLDEN / "xlsx" / case)
        print(f"golden/xlsx/{case}")


# ------------------------------------------------------------- rendered PDFs and their layouts


def docx_through_libreoffice(case: str, folder: Path) -> Path:
    """A DOCX case printed to PDF by LibreOffice."""
    src = folder / f"{case}.docx"
    src.write_bytes(docx_case(case))
    return libreoffice_pdf(src, folder)


def xlsx_through_libreoffice(folder: Path) -> Path:
    """The filled member book as XLSX, printed to PDF by LibreOffice."""
    src = folder / "member.xlsx"
    src.write_bytes(render_xlsx(gold_record("dev-2010-m01.docx")))
    return libreoffice_pdf(src, folder)


def own_pdf(case: str, folder: Path) -> Path:
    """A case drawn by our own PDF renderer."""
    out = folder / f"{case}.pdf"
    out.write_bytes(render_pdf_one(DOCX_CASES[case]()))
    return out


def report_pdfs(folder: Path) -> dict[str, Path]:
    """The summaries of three stores and the 公示, through LibreOffice.

    - ``summary``: a village (the report tests' 党总支 and its branches) with its roster;
    - ``summary-branch``: one branch of it, alone;
    - ``summary-failures``: the village whose inbox held books that could not be read (the recount
      test's store: broken files really imported), counted as 未能读取 with their files.
    """
    from test_report import BRANCHES, ROOT, YEAR, make_books
    from test_report_recount import BROKEN, village_roster

    from cxzy_docs import api
    from cxzy_docs.report.gongshi import write_notice
    from cxzy_docs.report.topdf import docx_to_pdf

    books = [b for b in make_books() if b["year"] == YEAR]
    roster = village_roster()
    out: dict[str, Path] = {}
    for name, org in (("summary", ROOT), ("summary-branch", BRANCHES[0])):
        result = api.report_summary(
            books, org, YEAR, folder / f"{name}.docx", roster=roster, pdf=True, today=REPORT_TODAY
        )
        assert result.pdf is not None
        out[name] = result.pdf
    inbox = folder / "收上来的写实簿"
    for file in BROKEN:
        path = inbox / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\x00\x01 not a book " * 40)
    with api.open_store(folder / "village.db") as store:
        store.add_records(make_books())
        imported = api.import_files([inbox], store)
        records, problems = api.stored_records(store, year=YEAR)
    result = api.report_summary(
        records,
        ROOT,
        YEAR,
        folder / "summary-failures.docx",
        roster=roster,
        unread=imported.failed,
        store_problems=problems,
        pdf=True,
        today=REPORT_TODAY,
    )
    assert result.pdf is not None
    out["summary-failures"] = result.pdf
    write_notice(books, ROOT, YEAR, folder / "gongshi.docx", today=REPORT_TODAY)
    out["gongshi"] = docx_to_pdf(folder / "gongshi.docx", folder / "gongshi.pdf")
    return out


_REPORTS: dict[str, Path] = {}


def _reports(folder: Path) -> dict[str, Path]:
    """:func:`report_pdfs`, made once per run (four goldens come from one set of stores)."""
    if not _REPORTS:
        keep = Path(tempfile.mkdtemp(prefix="cxzy-report-goldens-"))
        atexit.register(shutil.rmtree, keep, True)
        for kind, pdf in report_pdfs(folder).items():
            _REPORTS[kind] = keep / pdf.name
            _REPORTS[kind].write_bytes(pdf.read_bytes())
    return _REPORTS


def _report(kind: str, folder: Path) -> Path:
    return _reports(folder)[kind]


# name -> (how to make the PDF in a folder, whether word positions are compared too)
LAYOUT_CASES: dict[str, tuple[Callable[[Path], Path], bool]] = {
    "member-docx": (lambda d: docx_through_libreoffice("member-filled", d), False),
    "organization-docx": (lambda d: docx_through_libreoffice("organization-filled", d), False),
    "member-xlsx": (xlsx_through_libreoffice, False),
    "member-pdf": (lambda d: own_pdf("member-filled", d), True),
    "organization-pdf": (lambda d: own_pdf("organization-filled", d), True),
    **{
        f"report-{kind}": (partial(_report, kind), False)
        for kind in ("summary", "summary-branch", "summary-failures", "gongshi")
    },
}


def layout_golden(case: str) -> Path:
    return GOLDEN / "layout" / f"{case}.json"


def regen_layout() -> None:
    pngs = GOLDEN / "png"
    pngs.mkdir(parents=True, exist_ok=True)
    for case, (make, words) in LAYOUT_CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            pdf = make(Path(tmp))
            write_layout(pdf_layout(pdf, words=words), layout_golden(case))
            print(f"golden/layout/{case}.json")
            for old in pngs.glob(f"{case}-p*.png"):
                old.unlink()
            for png in pdf_page_pngs(pdf, Path(tmp) / "page", dpi=50, last=PNG_PAGES):
                target = pngs / f"{case}-p{int(png.stem.rsplit('-', 1)[1])}.png"
                target.write_bytes(png.read_bytes())
                print(f"golden/png/{target.name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("docx", "xlsx", "layout"), help="regenerate one kind only")
    args = parser.parse_args(argv)
    if args.only in (None, "docx"):
        regen_docx()
    if args.only in (None, "xlsx"):
        regen_xlsx()
    if args.only in (None, "layout"):
        regen_layout()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
