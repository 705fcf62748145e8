"""The summary and the 公示 through LibreOffice: A4, Chinese text in CJK fonts, laid out as reviewed.

The layout goldens (tests/golden/layout/report-*.json: the summaries of a village, a branch and a
village with unreadable books, and the 公示) hold the text in order, the pages, tables and charts; ``make golden`` rewrites them after an intended change, with page images to look at in
tests/golden/png/report-*.png.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pagelayout import check_against_golden
from regen_golden import layout_golden, report_pdfs
from test_report import ROOT, YEAR

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("soffice") and shutil.which("pdfinfo")),
        reason="LibreOffice and poppler-utils are needed",
    ),
]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return report_pdfs(tmp_path_factory.mktemp("report-render"))


def test_pdf_is_a4_with_chinese_text_and_embedded_cjk_fonts(pdfs: dict[str, Path]) -> None:
    info = subprocess.run(
        ["pdfinfo", str(pdfs["summary"])], capture_output=True, text=True, check=True
    ).stdout
    width, height = (float(x) for x in re.findall(r"Page size:\s+([\d.]+) x ([\d.]+)", info)[0])
    assert (round(width), round(height)) == (595, 842)
    text = subprocess.run(
        ["pdftotext", str(pdfs["summary"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    for phrase in (
        f"{ROOT}{YEAR}年度创先争优领导点评工作总结",
        "一、基本情况",
        "二、主要做法",
        "三、点评内容和效果",
        "四、存在的问题",
        "五、下一步打算",
        "写实簿收集情况",
        "领导点评覆盖情况",
    ):
        assert phrase in flat, phrase
    fonts = subprocess.run(
        ["pdffonts", str(pdfs["summary"])], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"(UMing|WenQuanYi|Noto|UKai|Song|Hei|Kai|Fang)", fonts), fonts


@pytest.mark.parametrize("kind", ["summary", "summary-branch", "summary-failures", "gongshi"])
def test_pages_lay_out_like_the_golden(pdfs: dict[str, Path], kind: str) -> None:
    """Three stores' summaries (a village with its roster, one branch of it, the village with books that
    could not be read) and the 公示, compared as text, pages, tables and charts: not as pixels."""
    check_against_golden(pdfs[kind], layout_golden(f"report-{kind}"))
