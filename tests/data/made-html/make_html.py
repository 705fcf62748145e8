"""Books re-typed by hand as HTML pages (a layout of their own), saved by LibreOffice as DOCX and PDF.

Another producer and another layout than ours or the government template's: a 6-column table,
header values in the label's own cell (``姓名：陈丽华``), label variants (出生日期, 学历, 职务),
half-width brackets, signature name and date in separate cells, the year in the title row.
Run ``python tests/data/made-html/make_html.py`` to rebuild; needs LibreOffice.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
sys.path.insert(0, str(ROOT))

from cxzy_docs.model import get_field, load_records  # noqa: E402

CN_PERIOD = {
    "Q1": "第一季度",
    "Q2": "第二季度",
    "Q3": "第三季度",
    "Q4": "第四季度",
    "H1": "上半年",
    "H2": "下半年",
}


def esc(value: object) -> str:
    return "" if value is None else html.escape(str(value)).replace("\n", "<br>")


def date_text(iso: str | None) -> str:
    if not iso:
        return "年　月　日"
    parts = iso.split("-")
    out = f"{int(parts[0])}年"
    if len(parts) > 1:
        out += f"{int(parts[1])}月"
    if len(parts) > 2:
        out += f"{int(parts[2])}日"
    return out


def sign_row(role: str, sign: dict) -> str:
    return (
        f"<tr><td colspan=2>{role}(签字):</td><td>{esc(sign['name'])}</td>"
        f"<td>日期</td><td colspan=2>{date_text(sign['date'])}</td></tr>"
    )


def member_html(rec: dict) -> str:
    s = rec["subject"]
    rows = [
        f"<tr><td colspan=6 align=center><b>党员创先争优活动写实簿({rec['year']}年度)</b></td></tr>",
        f"<tr><td colspan=2>姓名:{esc(s['name'])}</td><td colspan=2>性别:{esc(s['gender'])}</td>"
        f"<td colspan=2>民族:{esc(s['ethnicity'])}</td></tr>",
        f"<tr><td colspan=2>出生日期:{esc(s['birth'])}</td><td colspan=2>入党日期:{esc(s['joined'])}</td>"
        f"<td colspan=2>学历:{esc(s['education'])}</td></tr>",
        f"<tr><td colspan=3>职务:{esc(s['position'])}</td><td colspan=3>所在支部:{esc(s['organization'])}</td></tr>",
        "<tr><td rowspan=3>承诺写实</td><td colspan=5>公开承诺事项</td></tr>",
        f"<tr><td colspan=5>{esc(rec['commitment']['text'])}</td></tr>",
        "<tr><td colspan=5><table border=1 width=100%>"
        + sign_row("党员本人", rec["commitment"]["self_sign"])
        + sign_row("党支部书记", rec["commitment"]["reviewer_sign"])
        + "</table></td></tr>",
    ]
    for p in rec["periods"]:
        name = CN_PERIOD[p["period"]]
        rows += [
            f"<tr><td rowspan=6>履诺践诺写实</td><td colspan=5>{name}承诺兑现情况</td></tr>",
            f"<tr><td colspan=5>{esc(p['fulfilment']['text'])}</td></tr>",
            sign_row("党员本人", p["fulfilment"]["sign"]).replace("<tr><td colspan=2>", "<tr><td>"),
            "<tr><td colspan=5>领导点评(要写清成绩、不足和努力方向)</td></tr>",
            f"<tr><td colspan=5>{esc(p['review']['text'])}</td></tr>",
            sign_row("党支部书记", p["review"]["sign"]).replace("<tr><td colspan=2>", "<tr><td>"),
        ]
    ev = rec["annual"]["evaluation"]
    counts = [
        ev[k]
        for k in (
            "satisfied",
            "fairly_satisfied",
            "average",
            "dissatisfied",
            "members_attending",
            "public_attending",
        )
    ]
    rows += [
        "<tr><td rowspan=6>年度写实</td><td colspan=5>年度开展创先争优活动情况简要总结</td></tr>",
        f"<tr><td colspan=5>{esc(rec['annual']['summary'])}</td></tr>",
        "<tr><td colspan=5>党员群众评议情况</td></tr>",
        "<tr><td colspan=5><table border=1 width=100%><tr><td>评价等次</td><td>好</td><td>较好</td><td>一般</td>"
        "<td>差</td><td>参加党员人数</td><td>参加群众人数</td></tr><tr><td>人数</td>"
        + "".join(f"<td>{esc(c)}</td>" for c in counts)
        + "</tr></table></td></tr>",
        sign_row("党支部书记", rec["annual"]["reviewer_sign"]).replace("<tr><td colspan=2>", "<tr><td>"),
        "<tr><td colspan=5>&nbsp;</td></tr>",
    ]
    return (
        "<html><head><meta charset='utf-8'><title>写实簿</title></head><body>"
        "<table border=1 cellspacing=0 width=100%>" + "".join(rows) + "</table></body></html>"
    )


def main() -> None:
    soffice = shutil.which("soffice")
    if not soffice:
        sys.exit("需要 LibreOffice")
    records = [r for r in load_records(ROOT / "samples" / "records.json") if r["kind"] == "member"][:2]
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        sources = []
        for i, rec in enumerate(records, 1):
            src = t / f"html-m{i}.html"
            src.write_text(member_html(rec), encoding="utf-8")
            sources.append(str(src))
            gold = {k: v for k, v in rec.items() if k != "source"}
            (HERE / f"html-m{i}.gold.json").write_text(
                json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8"
            )
        profile = f"-env:UserInstallation=file://{t / 'profile'}"
        subprocess.run(
            [
                soffice,
                profile,
                "--headless",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
                str(HERE),
                *sources,
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        subprocess.run(
            [
                soffice,
                profile,
                "--headless",
                "--convert-to",
                "pdf:writer_web_pdf_Export",
                "--outdir",
                str(HERE),
                *sources,
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    assert get_field(records[0], "subject.name")
    print("\n".join(sorted(p.name for p in HERE.iterdir() if p.suffix in (".docx", ".pdf"))))


if __name__ == "__main__":
    main()
