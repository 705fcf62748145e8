"""Round trip, property-based: random records -> DOCX / XLSX / PDF -> read back -> the same record.

Texts include long ones, empty ones, rare characters (𠮷, ·) and inner line breaks; dates come
at every precision the generator can write. PDF compares texts without white space, since a
printed page cannot tell a soft wrap from a hard line break.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxzy_docs.forms import form_for, leaves
from cxzy_docs.model import check_record, empty_record, get_field, set_field

# Characters for generated texts: common CJK, digits, Latin, punctuation, and the rare ones.
# The characters of dates (年 月 日) and of the form's signature labels (签 字) are left out, so a
# random text cannot spell a label or a signature line; that is the form's grammar, not a limit
# of the round trip.
_CJK = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你对生能而子那得于着下自之"
_TEXT_ALPHABET = _CJK + "0123456789abcXYZ，。；：、！？（）“”《》%·𠮷-"
_NAME_ALPHABET = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍"

texts = st.one_of(
    st.none(),
    st.lists(
        st.text(alphabet=_TEXT_ALPHABET, min_size=1, max_size=80).map(str.strip).filter(bool),
        min_size=1,
        max_size=4,
    ).map("\n".join),
    st.text(alphabet=_TEXT_ALPHABET, min_size=400, max_size=1500).map(str.strip).filter(bool),
)
names = st.one_of(
    st.none(),
    st.text(alphabet=_NAME_ALPHABET, min_size=2, max_size=4),
    st.tuples(
        st.text(alphabet=_NAME_ALPHABET, min_size=1, max_size=3),
        st.text(alphabet=_NAME_ALPHABET, min_size=1, max_size=3),
    ).map("·".join),
    st.text(alphabet=_NAME_ALPHABET, min_size=1, max_size=2).map(lambda s: "𠮷" + s),
)


@st.composite
def dates(draw: st.DrawFn, year: int = 2025) -> str | None:
    kind = draw(st.sampled_from(["none", "day", "day", "month"]))
    if kind == "none":
        return None
    y = draw(st.sampled_from([year, year + 1]))
    m = draw(st.integers(1, 12))
    if kind == "month":
        return f"{y}-{m:02d}"
    d = draw(st.integers(1, 28))
    return f"{y}-{m:02d}-{d:02d}"


@st.composite
def records(draw: st.DrawFn) -> dict:
    kind = draw(st.sampled_from(["member", "organization"]))
    rec = empty_record(kind, draw(st.sampled_from([2010, 2025, None])))
    for leaf in leaves(form_for(kind)):
        if leaf.value == "text":
            value = draw(texts)
            if leaf.path.startswith("subject."):
                value = draw(st.one_of(st.none(), st.text(alphabet=_CJK, min_size=1, max_size=12)))
        elif leaf.value == "name":
            value = draw(names)
        elif leaf.value == "date":
            value = (
                draw(dates())
                if not leaf.path.startswith("subject.")
                else draw(st.one_of(st.none(), st.sampled_from(["1975-03", "1960-11", "2001-07-01", "1988"])))
            )
        elif leaf.value == "count":
            value = draw(st.one_of(st.none(), st.integers(0, 500)))
        else:  # grade
            value = draw(
                st.one_of(st.none(), st.sampled_from(["优秀", "合格", "基本合格", "不合格", "先锋"]))
            )
            if value is None:
                continue
        set_field(rec, leaf.path, value)
    check_record(rec)
    return rec


def _squash(value: object) -> object:
    return re.sub(r"\s+", "", value) if isinstance(value, str) else value


def _compare(original: dict, parsed: dict, *, squash_texts: bool) -> list[str]:
    diffs = []
    assert parsed["kind"] == original["kind"]
    if parsed.get("year") != original.get("year"):
        diffs.append(f"year: {original.get('year')!r} != {parsed.get('year')!r}")
    for leaf in leaves(form_for(original["kind"])):
        want, got = get_field(original, leaf.path), get_field(parsed, leaf.path)
        if squash_texts and leaf.value == "text":
            want, got = _squash(want), _squash(got)
        if want != got:
            diffs.append(f"{leaf.path}: {want!r} != {got!r}")
    return diffs


def _round_trip(fmt: str, record: dict) -> dict:
    from cxzy_docs.read import parse_file

    if fmt == "docx":
        from cxzy_docs.render.docx import render_docx as render
    elif fmt == "xlsx":
        from cxzy_docs.render.xlsx import render_xlsx as render
    else:
        from cxzy_docs.render.pdf import render_pdf_one as render
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"book.{fmt}"
        path.write_bytes(render(record))
        parsed = parse_file(path)
    assert len(parsed) == 1
    return parsed[0]


ROUNDS = {"docx": 40, "xlsx": 25, "pdf": 20}


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "pdf"])
def test_round_trip(fmt: str) -> None:
    @settings(
        max_examples=ROUNDS[fmt], deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
    )
    @given(records())
    def run(record: dict) -> None:
        parsed = _round_trip(fmt, record)
        check_record(
            {k: v for k, v in parsed.items() if k not in ("source", "format", "provenance", "problems")}
        )
        diffs = _compare(record, parsed, squash_texts=(fmt == "pdf"))
        assert not diffs, f"{fmt}: " + "; ".join(diffs[:6])

    run()
