"""Make the reader test files of this folder from ../forms-dev (run from anywhere: python make_files.py).

Writes, next to this script:
- ``lo-*.pdf``: forms-dev .docx books exported to PDF by LibreOffice (one soffice call);
- ``rl-*.pdf``: gold records rendered by the project's own PDF renderer (reportlab);
- ``*.doc``/``*.xls``/``*.rtf`` saved by LibreOffice, and ``.wps``/``.et`` copies of them (WPS
  Office saves its .wps/.et in the same Word 97 / Excel 97 layout);
- ``ledger-2010.xlsx``: a review ledger (点评台账) typed from the gold records' reviews, with a
  title row, spaced headers, merged name cells, mixed period spellings and two broken rows;
- ``encrypted.pdf``: a PDF that needs a user password;
- ``scanned.pdf``: one page that is only an image (no text layer);
- ``manifest.json``: which gold record each file must read back as.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV = HERE.parent / "forms-dev"
sys.path.insert(0, str(HERE.parents[2]))

LO_PDF = ["dev-2010-m01", "dev-2010-m03", "dev-2010-m04", "dev-2010-o01", "dev-2010-o02"]
RL_PDF = ["dev-2010-m03", "dev-2010-o02"]
# python-docx tables do not survive LibreOffice's Word 97 export: the Word-style books are used
LO_DOC = ["dev-2010-m02", "dev-2010-m04", "dev-2010-o02"]


def gold(name: str) -> dict:
    rec = json.loads((DEV / f"{name}.docx.gold.json").read_text(encoding="utf-8"))
    rec.pop("_meta", None)
    return rec


def soffice(target: str, files: list[Path], outdir: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )


def make_converted(manifest: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        soffice("pdf", [DEV / f"{n}.docx" for n in LO_PDF], out)
        for n in LO_PDF:
            shutil.copyfile(out / f"{n}.pdf", HERE / f"lo-{n[9:]}.pdf")
            manifest[f"lo-{n[9:]}.pdf"] = f"{n}.docx.gold.json"
        soffice("doc", [DEV / f"{n}.docx" for n in LO_DOC], out)
        for n in LO_DOC:
            shutil.copyfile(out / f"{n}.doc", HERE / f"{n[9:]}.doc")
            manifest[f"{n[9:]}.doc"] = f"{n}.docx.gold.json"
        shutil.copyfile(HERE / "m04.doc", HERE / "m04-wps.wps")
        manifest["m04-wps.wps"] = "dev-2010-m04.docx.gold.json"
        soffice("rtf", [DEV / "dev-2010-o02.docx"], out)
        shutil.copyfile(out / "dev-2010-o02.rtf", HERE / "o02.rtf")
        manifest["o02.rtf"] = "dev-2010-o02.docx.gold.json"
        soffice("xls", [DEV / "dev-2010-m05.xlsx"], out)
        shutil.copyfile(out / "dev-2010-m05.xls", HERE / "m05.xls")
        shutil.copyfile(out / "dev-2010-m05.xls", HERE / "m05-et.et")
        manifest["m05.xls"] = manifest["m05-et.et"] = "dev-2010-m05.xlsx.gold.json"


def make_rendered(manifest: dict) -> None:
    from cxzy_docs.render.pdf import render_pdf

    for n in RL_PDF:
        (HERE / f"rl-{n[9:]}.pdf").write_bytes(render_pdf([gold(n)]))
        manifest[f"rl-{n[9:]}.pdf"] = f"{n}.docx.gold.json"


# ------------------------------------------------------------------------------------- the ledger

LEDGER_MEMBERS = ["dev-2010-m01", "dev-2010-m02", "dev-2010-m03"]
LEDGER_ORGS = ["dev-2010-o01"]
PERIOD_SPELLINGS = {
    "Q1": "一季度",
    "Q2": "第二季度",
    "Q3": "Q3",
    "Q4": "4",
    "H1": "上半年",
    "H2": "2010年下半年",
}


def make_ledger(manifest: dict) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "点评台账"
    ws.append(["靖宇镇2010年度创先争优活动领导点评台账"])
    ws.merge_cells("A1:H1")
    ws.append(["序号", "被点评人", "所在支部", "期  次", "点 评 内 容", "点评人", "点评日期", "点评方式"])
    n = 0
    for name in LEDGER_MEMBERS + LEDGER_ORGS:
        rec = gold(name)
        first = ws.max_row + 1
        for period in rec["periods"]:
            review = period["review"]
            if review["text"] is None and review["sign"]["name"] is None:
                continue  # nobody reviewed: no ledger row
            n += 1
            org = rec["subject"].get("organization") or "靖宇镇党委"
            date = review["sign"]["date"]
            ws.append(
                [
                    n,
                    rec["subject"]["name"] if ws.max_row + 1 == first else None,
                    org,
                    PERIOD_SPELLINGS[period["period"]],
                    review["text"],
                    review["sign"]["name"],
                    _excel_date(date),
                    "个别点评",
                ]
            )
        ws.merge_cells(start_row=first, start_column=2, end_row=ws.max_row, end_column=2)
    ws.append(
        [
            n + 1,
            "陶建民",
            "靖宇镇卫生院党支部",
            "第五季度",
            "此行期次写错，应报告行号。",
            "高志斌",
            None,
            None,
        ]
    )
    ws.append(
        [n + 2, None, "靖宇镇卫生院党支部", "一季度", "此行缺少被点评人，应报告行号。", "高志斌", None, None]
    )
    buf = io.BytesIO()
    wb.save(buf)
    (HERE / "ledger-2010.xlsx").write_bytes(buf.getvalue())
    manifest["ledger-2010.xlsx"] = {
        "members": [f"{n}.docx.gold.json" for n in LEDGER_MEMBERS],
        "organizations": [f"{n}.docx.gold.json" for n in LEDGER_ORGS],
        "bad_rows": [ws.max_row - 1, ws.max_row],
    }


def _excel_date(iso: str | None) -> object:
    import datetime as dt

    if iso is None or len(iso) != 10:
        return iso
    return dt.datetime.fromisoformat(iso)


# ---------------------------------------------------------------------------------- hostile PDFs


def make_encrypted() -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=StandardEncryption("secret", ownerPassword="owner"))
    c.drawString(72, 720, "password protected")
    c.save()
    (HERE / "encrypted.pdf").write_bytes(buf.getvalue())


def make_scanned() -> None:
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    pdf = pdfium.PdfDocument(str(DEV / "dev-2010-m02.pdf"))
    img = pdf[2].render(scale=1.0, grayscale=True).to_pil().convert("L")
    pdf.close()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
    c.save()
    (HERE / "scanned.pdf").write_bytes(buf.getvalue())


def main() -> None:
    manifest: dict = {}
    make_converted(manifest)
    make_rendered(manifest)
    make_ledger(manifest)
    make_encrypted()
    make_scanned()
    (HERE / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
