"""The PDF renderer: real PDFs read back with pdfplumber, rendered to PNG with pdftoppm."""

from __future__ import annotations

import io
import itertools
import json
import re
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pagelayout import check_against_golden
from regen_golden import layout_golden, own_pdf

from cxzy_docs.forms import FORMS, Evaluation, GradeRow, SignRow, TextBox, form_for, leaves
from cxzy_docs.model import copy_record, empty_record, get_field, set_field
from cxzy_docs.render.layout import NO_LINE_END, NO_LINE_START, break_text, fonts
from cxzy_docs.render.pdf import (
    COLUMN_LEFTS,
    COLUMN_WIDTHS,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    PAGE_HEIGHT,
    paginate,
    render_pdf,
    render_pdf_one,
    table_rows,
)
from cxzy_docs.resources import truetype_fonts_with_char

DATA = Path(__file__).resolve().parent / "data" / "forms-dev"
A4 = (595.28, 841.89)
_WS = re.compile(r"\s+")


def _gold(name: str) -> dict:
    record = json.loads((DATA / f"{name}.gold.json").read_text(encoding="utf-8"))
    record.pop("_meta", None)
    return record


def _squash(text: str) -> str:
    return _WS.sub("", text)


class Extracted:
    """What pdfplumber reads from a PDF: per page the whole text, the text right of the section
    label column (multi-line values are not interleaved with the vertical labels there) and the
    vertical labels read top-down."""

    def __init__(self, pdf: bytes) -> None:
        self.full: list[str] = []
        self.body: list[str] = []
        self.labels: list[str] = []
        self.sizes: list[tuple[float, float]] = []
        self.chars: list[list[dict]] = []
        center = COLUMN_LEFTS[0] + COLUMN_WIDTHS[0] / 2
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            self.metadata = dict(doc.metadata)
            for page in doc.pages:
                self.sizes.append((float(page.width), float(page.height)))
                self.full.append(page.extract_text() or "")
                self.body.append(
                    page.crop((COLUMN_LEFTS[1], 0, page.width, page.height)).extract_text() or ""
                )
                vertical = sorted(
                    (c for c in page.chars if abs((c["x0"] + c["x1"]) / 2 - center) < 2),
                    key=lambda c: c["top"],
                )
                self.labels.append("".join(c["text"] for c in vertical))
                self.chars.append(list(page.chars))

    @property
    def all_full(self) -> str:
        return _squash("".join(self.full))

    @property
    def all_body(self) -> str:
        return _squash("".join(self.body))


@pytest.fixture(scope="module")
def member() -> dict:
    return _gold("dev-2010-m01.docx")


@pytest.fixture(scope="module")
def organization() -> dict:
    return _gold("dev-2010-o01.docx")


@pytest.fixture(scope="module")
def member_pdf(member: dict) -> Extracted:
    return Extracted(render_pdf_one(member))


@pytest.fixture(scope="module")
def organization_pdf(organization: dict) -> Extracted:
    return Extracted(render_pdf_one(organization))


# ------------------------------------------------------------------------- expected content


def form_labels(kind: str, record: dict) -> list[str]:
    """Every label the printed book carries, taken from the form definition."""
    form = form_for(kind)
    out = [form.title, form.issuer, form.notes_title, *form.notes]
    out += [f.label for f in form.cover_fields]
    out += [f.label for f in form.header_fields()]
    for _sec, block in form.blocks():
        if isinstance(block, TextBox):
            out.append(block.label)
        elif isinstance(block, SignRow):
            out += [s.label for s in block.signs]
        elif isinstance(block, Evaluation):
            out += [block.label, block.first, *(c.label for c in block.columns)]
        elif isinstance(block, GradeRow) and get_field(record, block.path):
            out.append(block.label)
    return [_squash(x) for x in out]


def expected_values(kind: str, record: dict) -> list[tuple[str, str]]:
    """(path, printed form) of every filled value: header dates as 1975.09, signature dates as
    2010年3月28日, counts as digits."""
    out = []
    for leaf in leaves(form_for(kind)):
        value = get_field(record, leaf.path)
        if value is None or value == "":
            continue
        if leaf.value == "date" and leaf.path.startswith("subject."):
            text = str(value).replace("-", ".")
        elif leaf.value == "date":
            parts = [int(p) for p in str(value).split("-")]
            text = "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日", strict=False))
        else:
            text = str(value)
        out.append((leaf.path, _squash(text)))
    return out


# ------------------------------------------------------------------------------------ tests


@pytest.mark.parametrize("which", ["member", "organization"])
def test_pages_are_a4_and_text_is_unicode(which: str, request: pytest.FixtureRequest) -> None:
    pdf: Extracted = request.getfixturevalue(f"{which}_pdf")
    assert len(pdf.sizes) >= 4
    for w, h in pdf.sizes:
        assert abs(w - A4[0]) < 0.5 and abs(h - A4[1]) < 0.5
    assert "(cid:" not in "".join(pdf.full)


@pytest.mark.parametrize("which", ["member", "organization"])
def test_every_form_label_is_printed(which: str, request: pytest.FixtureRequest) -> None:
    pdf: Extracted = request.getfixturevalue(f"{which}_pdf")
    record = request.getfixturevalue(which)
    text = pdf.all_full
    missing = [label for label in form_labels(record["kind"], record) if label not in text]
    assert not missing
    assert _squash(f"（{record['year']}年度）") in _squash(pdf.full[0])
    assert "评议结果" not in text  # the gold records have no grade


@pytest.mark.parametrize("which", ["member", "organization"])
def test_every_filled_value_is_printed(which: str, request: pytest.FixtureRequest) -> None:
    pdf: Extracted = request.getfixturevalue(f"{which}_pdf")
    record = request.getfixturevalue(which)
    values = expected_values(record["kind"], record)
    assert len(values) > 25
    body, full = pdf.all_body, pdf.all_full
    missing = [(path, v) for path, v in values if v not in body and v not in full]
    assert not missing
    # counts and dates keep their digits (a font without Latin digits drops them silently)
    assert sum(ch.isdigit() for ch in body) >= 60


def test_section_labels_run_down_column_zero(member_pdf: Extracted, organization_pdf: Extracted) -> None:
    for pdf, form in ((member_pdf, FORMS["member"]), (organization_pdf, FORMS["organization"])):
        column = "".join(pdf.labels[2:])
        pattern = "".join(f"(?:{re.escape(sec.label)})+" for sec in form.sections)
        assert re.fullmatch(pattern, column), column
        assert not "".join(pdf.labels[:2])  # cover and notes have no table


def test_signature_lines_carry_name_and_date(member_pdf: Extracted, member: dict) -> None:
    body = member_pdf.all_body
    name = member["commitment"]["self_sign"]["name"]
    assert _squash(f"党员本人（签字）：{name}") in body
    # Q3 fulfilment has no date in the gold: the blanks are printed to be filled by hand
    assert member["periods"][2]["fulfilment"]["sign"]["date"] is None
    assert body.count("年月日") == 1


def test_blank_books(tmp_path: Path) -> None:
    blank = empty_record("member", 2025)
    blank["subject"]["name"] = "张三"
    pdf = Extracted(render_pdf_one(blank))
    labels = form_labels("member", blank)
    assert not [x for x in labels if x not in pdf.all_full]
    assert "（2025年度）" in _squash(pdf.full[0])
    assert "张三" in _squash(pdf.full[0])
    signs = sum(len(b.signs) for _s, b in FORMS["member"].blocks() if isinstance(b, SignRow))
    assert pdf.all_body.count("年月日") == signs
    assert not any(ch.isdigit() for ch in "".join(pdf.body[2:]))

    no_year = Extracted(render_pdf_one(empty_record("organization")))
    assert "（年度）" in _squash(no_year.full[0])
    assert not [x for x in form_labels("organization", {}) if x not in no_year.all_full]


def test_blank_boxes_leave_room_to_write() -> None:
    form = FORMS["member"]
    rows = table_rows(form, empty_record("member"), fonts())
    placed = [p for page in paginate(rows) for p in page]
    boxes = [b for _s, b in form.blocks() if isinstance(b, TextBox)]
    tall = [p for p in placed if p.height >= 6 * 20]
    assert len(tall) >= len(boxes)
    # no blank row is split over two pages
    assert all(p.start == 0 and p.stop == p.row.line_count for p in placed)


def test_grade_row_only_when_graded(member: dict) -> None:
    graded = copy_record(member)
    graded["annual"]["grade"] = "优秀"
    text = Extracted(render_pdf_one(graded)).all_body
    assert "评议结果" in text and "优秀" in text


def test_long_review_flows_over_pages(member: dict) -> None:
    record = copy_record(member)
    base = "该同志本季度认真履行承诺（包括“5·12”护士节活动），患者满意度96.5%；不足是文书不规范。努力方向：加强学习！"
    review = (base * 120)[:6000]
    set_field(record, "periods.Q2.review.text", review)
    pdf = Extracted(render_pdf_one(record))
    assert len(pdf.full) > 7
    assert _squash(review) in pdf.all_body
    # the continuation pages repeat the section label in column 0
    for labels in pdf.labels[2:]:
        assert labels, "a table page without its section label"
    # no line of the review starts with closing punctuation
    for page in pdf.body[2:]:
        for line in page.splitlines():
            assert line.strip()[:1] not in NO_LINE_START, line


def test_pagination_never_cuts_hostile_values(member: dict) -> None:
    record = copy_record(member)
    set_field(record, "commitment.self_sign.name", "张" * 2000)  # a signature row taller than a page
    set_field(record, "subject.position", "护士长" * 400)
    set_field(record, "periods.Q1.review.text", "\x00\x07控制\u2028字符\r\n" + "a" * 3000 + "，" * 200)
    set_field(record, "annual.summary", "亘" * 20000)
    rows = table_rows(FORMS["member"], record, fonts())
    pages = paginate(rows)
    shown: dict[int, int] = {}
    for page in pages:
        assert page
        for p in page:
            assert p.top <= PAGE_HEIGHT - MARGIN_TOP + 1e-6
            assert p.top - p.height >= MARGIN_BOTTOM - 1e-6
            assert p.start == shown.get(id(p.row), 0)  # fragments follow each other, none skipped
            shown[id(p.row)] = p.stop
    for row in rows:
        # every line is placed, except the blank room under a text that ends at a page foot
        assert shown[id(row)] == row.line_count or shown[id(row)] >= (row.needed_lines or row.line_count)
    pdf = Extracted(render_pdf_one(record))
    assert pdf.all_body.count("亘") == 20000 and pdf.all_body.count("张") == 2000


def test_rare_characters_survive(member: dict) -> None:
    if not truetype_fonts_with_char(0x20BB7):
        pytest.fail("没有含 𠮷 (U+20BB7) 的 TrueType 字体：apt-get install fonts-hanazono")
    record = copy_record(member)
    record["subject"]["name"] = "𠮷田·宋丽娜"
    set_field(record, "periods.Q1.fulfilment.text", "数字0123456789与𠮷字、“5·12”同在。")
    pdf = Extracted(render_pdf_one(record))
    assert "𠮷田·宋丽娜" in _squash(pdf.full[0])
    assert "数字0123456789与𠮷字、“5·12”同在。" in pdf.all_body
    assert "(cid:" not in "".join(pdf.full)
    fonts_used = {c["fontname"].split("+", 1)[-1] for page in pdf.chars for c in page if c["text"] == "𠮷"}
    main = {c["fontname"].split("+", 1)[-1] for c in pdf.chars[0] if c["text"] == "田"}
    assert fonts_used and not fonts_used & main


def test_odd_page_start(member: dict, organization: dict) -> None:
    books = [organization, member, organization, member]
    plain = Extracted(render_pdf(books))
    duplex = Extracted(render_pdf(books, odd_page_start=True))
    titles = [form_for(r["kind"]).title for r in books]

    def starts(pdf: Extracted) -> list[int]:
        return [i + 1 for i, text in enumerate(pdf.full) if any(t in _squash(text) for t in titles)]

    assert len(starts(plain)) == len(books)
    assert any(p % 2 == 0 for p in starts(plain))  # 5-page organization books: the test means something
    assert all(p % 2 == 1 for p in starts(duplex))
    blank = [i + 1 for i, text in enumerate(duplex.full) if not text.strip()]
    assert len(blank) == len(duplex.full) - len(plain.full) > 0
    assert all(page + 1 in starts(duplex) for page in blank)


def test_metadata_and_determinism(member: dict) -> None:
    pdf = render_pdf_one(member)
    assert pdf == render_pdf_one(member)
    meta = Extracted(pdf).metadata
    assert meta["Keywords"] == "cxzy.record/1 member 2010"
    assert "宋丽娜" in meta["Subject"] and "2010" in meta["Subject"] and "党员" in meta["Subject"]
    assert "党员创先争优活动写实簿" in meta["Title"]


# -------------------------------------------------------------------------- line breaking

_CJK = st.sampled_from(list("党员创先争优活动写实簿承诺兑现情况领导点评成绩不足努力方向"))
_CLOSE = st.sampled_from(list("，。、；：？！）」》”"))
_OPEN = st.sampled_from(list("（「《“"))
_UNIT = st.one_of(
    _CJK,
    st.tuples(_CJK, _CLOSE).map("".join),
    st.tuples(_OPEN, _CJK, _CJK).map("".join),
    st.from_regex(r"[0-9]{1,6}%?", fullmatch=True),
)


@settings(max_examples=150, deadline=None)
@given(units=st.lists(_UNIT, min_size=1, max_size=120), width=st.integers(60, 400))
def test_line_breaking_keeps_text_and_kinsoku(units: list[str], width: int) -> None:
    text = "".join(units)
    fs = fonts()
    lines = break_text(text, width, 12, font_set=fs)
    assert "".join(line.text for line in lines) == text
    for line in lines:
        assert fs.width(line.text, 12) <= width + 0.01 or len(line.text) <= 2
    for a, b in itertools.pairwise(lines):
        assert b.text[:1] not in NO_LINE_START, (a.text, b.text)
        assert a.text[-1:] not in NO_LINE_END, (a.text, b.text)


def test_line_breaking_keeps_newlines_and_numbers() -> None:
    lines = break_text("第一段2010年3月28日完成。\n\n第二段", 10 * 12, 12)
    assert [line.text for line in lines][-2:] == ["", "第二段"]
    assert not any(line.text.startswith(("0", "10年", "。")) for line in lines)
    assert any("2010" in line.text for line in lines)


# ------------------------------------------------------------------------------ look at it


@pytest.mark.parametrize("which", ["member", "organization"])
def test_pages_lay_out_like_the_golden(which: str, tmp_path: Path) -> None:
    """Every word of the filled book where it was when a person last looked (within a point).

    Our own layout with embedded fonts: positions do not depend on the machine. ``make golden``
    rewrites the golden after an intended change (look at tests/golden/png/*-pdf-p*.png then).
    """
    check_against_golden(own_pdf(f"{which}-filled", tmp_path), layout_golden(f"{which}-pdf"), words=True)
