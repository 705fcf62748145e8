"""Where on the page each value was read (provenance page and box), and the crop shown to a person."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

from cxzy_docs import api
from cxzy_docs.errors import ReadError
from cxzy_docs.model import empty_record, set_field
from cxzy_docs.read.locate import PDF_CROP_DPI, field_crop

DATA = Path(__file__).parent / "data"


def odd_book() -> dict:
    """A member's book whose commitment is signed with more than a name (read back with low confidence)."""
    rec = empty_record("member", 2010)
    for path, value in {
        "subject.name": "孙平成",
        "subject.gender": "男",
        "commitment.text": "认真学习党的理论。",
        "commitment.self_sign.name": "孙平成同志本人",
        "commitment.self_sign.date": "2010-02-06",
        "periods.Q1.fulfilment.text": "一季度参加支部学习3次。",
        "periods.Q1.review.text": "表现良好。",
    }.items():
        set_field(rec, path, value)
    return rec


@pytest.fixture(scope="module")
def odd_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("crops")
    result = api.generate([odd_book()], out, ("pdf",))
    (pdf,) = result.written
    (outcome,) = api.parse([pdf])
    (rec,) = outcome.records
    return pdf, rec


def test_values_of_a_pdf_carry_their_page_and_box(odd_pdf: tuple[Path, dict]) -> None:
    pdf, rec = odd_pdf
    prov = rec["provenance"]
    for path, value in (
        ("subject.name", "孙平成"),
        ("periods.Q1.fulfilment.text", "一季度参加支部学习3次。"),
    ):
        p = prov[path]
        assert p["box_unit"] == "pt" and Path(p["file"]) == pdf.resolve()
        with pdfplumber.open(pdf) as doc:  # the box holds the value: the text layer inside it is the value
            inside = doc.pages[p["page"] - 1].crop(p["box"]).extract_text().replace(" ", "").replace("\n", "")
        assert inside.endswith(value), (path, inside)  # the cell: the label may sit in it too


def test_doubtful_fields_are_listed_least_sure_first(odd_pdf: tuple[Path, dict]) -> None:
    _pdf, rec = odd_pdf
    doubtful = api.doubtful_fields(rec)
    assert [d.path for d in doubtful][:1] == ["commitment.self_sign.name"]
    assert all(d.confidence < 0.8 for d in doubtful)
    assert doubtful[0].page == rec["provenance"]["commitment.self_sign.name"]["page"]
    assert "subject.name" not in {d.path for d in doubtful}


def test_crop_is_the_box_with_a_margin_at_the_drawing_resolution(
    odd_pdf: tuple[Path, dict], tmp_path: Path
) -> None:
    _pdf, rec = odd_pdf
    png = api.crop_of_field(rec, "subject.name", tmp_path)
    assert png.exists() and png.suffix == ".png"
    from PIL import Image

    x0, top, x1, bottom = rec["provenance"]["subject.name"]["box"]
    scale = PDF_CROP_DPI / 72
    with Image.open(png) as im:
        w, h = im.size
        assert (x1 - x0) * scale < w < (x1 - x0) * scale + 2 * max(8, (bottom - top) * scale) + 4
        assert (bottom - top) * scale < h
        gray = im.convert("L")
        assert min(gray.getdata()) < 100  # there is ink in it: the name


def test_crop_errors_name_the_file_in_chinese(odd_pdf: tuple[Path, dict], tmp_path: Path) -> None:
    pdf, rec = odd_pdf
    docx = next(DATA.joinpath("forms-dev").glob("*.docx"))
    (from_docx, *_rest) = api.parse([docx])[0].records
    with pytest.raises(ReadError) as err:
        api.crop_of_field(from_docx, "subject.name", tmp_path)
    assert "没有记下它在原件哪一页" in err.value.message and docx.name in err.value.message
    moved = tmp_path / "moved.pdf"
    shutil.copy(pdf, moved)
    prov = {**rec["provenance"]["subject.name"], "file": str(tmp_path / "gone.pdf")}
    assert field_crop(moved, prov).size[0] > 0  # the record's own source is the fallback
    with pytest.raises(ReadError) as err:
        field_crop(tmp_path / "gone.pdf", prov)
    assert "原件已不在原处" in err.value.message and "gone.pdf" in err.value.message
