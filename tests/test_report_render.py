"""The summary and the 公示 through LibreOffice: A4 PDF, Chinese text and fonts, first pages against golden PNGs.

Regenerate the page images after an intended change: ``python tests/test_report_render.py``
(then look at ``tests/golden/report/*.png``).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from test_report import ROOT, YEAR, make_books  # noqa: E402

from cxzy_docs.report.gongshi import write_notice  # noqa: E402
from cxzy_docs.report.summary import write_summary  # noqa: E402
from cxzy_docs.report.topdf import docx_to_pdf  # noqa: E402

GOLDEN = TESTS / "golden" / "report"
TODAY = dt.date(2026, 1, 20)
SUMMARY_PAGES = 3
MAX_MEAN_DIFF = 12.0  # grey levels (0-255) averaged over the page: layout moves fail, anti-aliasing passes

needs_tools = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")),
                                 reason="LibreOffice and poppler-utils are needed")


def build(folder: Path) -> dict[str, Path]:
    """The summary PDF (with the figures) and the 公示 PDF of the test books."""
    books = [b for b in make_books() if b["year"] == YEAR]
    result = write_summary(books, ROOT, YEAR, folder / "summary.docx", pdf=True, today=TODAY)
    write_notice(books, ROOT, YEAR, folder / "gongshi.docx", today=TODAY)
    assert result.pdf is not None
    return {"summary": result.pdf, "gongshi": docx_to_pdf(folder / "gongshi.docx", folder / "gongshi.pdf")}


def pages(pdf: Path, prefix: Path, last: int) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "50", "-gray", "-png", "-f", "1", "-l", str(last), str(pdf), str(prefix)],
                   check=True, capture_output=True, timeout=120)
    return sorted(prefix.parent.glob(f"{prefix.name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def golden_name(kind: str, page: Path) -> str:
    return f"{kind}-p{int(page.stem.rsplit('-', 1)[1])}.png"


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build(tmp_path_factory.mktemp("report-render"))


@needs_tools
def test_pdf_is_a4_with_chinese_text_and_embedded_cjk_fonts(pdfs: dict[str, Path]) -> None:
    info = subprocess.run(["pdfinfo", str(pdfs["summary"])], capture_output=True, text=True, check=True).stdout
    width, height = (float(x) for x in re.findall(r"Page size:\s+([\d.]+) x ([\d.]+)", info)[0])
    assert (round(width), round(height)) == (595, 842)
    text = subprocess.run(["pdftotext", str(pdfs["summary"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = "".join(text.split())
    for phrase in (f"{ROOT}{YEAR}年度创先争优领导点评工作总结", "一、基本情况", "各党组织写实簿和领导点评情况",
                   "（一）点评覆盖情况", "六、存在的问题和下一步工作"):
        assert phrase in flat, phrase
    fonts = subprocess.run(["pdffonts", str(pdfs["summary"])], capture_output=True, text=True, check=True).stdout
    assert re.search(r"(UMing|WenQuanYi|Noto|UKai|Song|Hei|Kai|Fang)", fonts), fonts


@needs_tools
@pytest.mark.parametrize(("kind", "last"), [("summary", SUMMARY_PAGES), ("gongshi", 1)])
def test_first_pages_match_the_golden_images(pdfs: dict[str, Path], tmp_path: Path, kind: str, last: int) -> None:
    from PIL import Image, ImageChops, ImageStat

    made = pages(pdfs[kind], tmp_path / kind, last)
    assert len(made) == last
    for page in made:
        golden = GOLDEN / golden_name(kind, page)
        assert golden.is_file(), f"missing {golden}: run python tests/test_report_render.py"
        with Image.open(page) as a, Image.open(golden) as b:
            assert a.size == b.size
            diff = ImageStat.Stat(ImageChops.difference(a.convert("L"), b.convert("L"))).mean[0]
        assert diff < MAX_MEAN_DIFF, f"{golden.name} differs (mean {diff:.1f}); look at both images"


def regenerate() -> None:
    import tempfile

    GOLDEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        made = build(Path(tmp))
        for kind, last in (("summary", SUMMARY_PAGES), ("gongshi", 1)):
            for old in GOLDEN.glob(f"{kind}-p*.png"):
                old.unlink()
            for page in pages(made[kind], Path(tmp) / kind, last):
                target = GOLDEN / golden_name(kind, page)
                target.write_bytes(page.read_bytes())
                print(target.relative_to(TESTS.parent))


if __name__ == "__main__":
    regenerate()
