"""The DOCX reader (zipfile + lxml walk) and the safe zip opening it shares with the XLSX reader."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from cxzy_docs.errors import ReadError
from cxzy_docs.read.docx import read_docx, read_docx_bytes
from cxzy_docs.read.safezip import open_zip, parse_xml
from cxzy_docs.read.settings import ReadSettings

DATA = Path(__file__).resolve().parent / "data"
DEV = DATA / "forms-dev"
MADE = DATA / "made"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _cell(grid, table, row, col):
    found = [c for c in grid.cells if (c.table, c.row, c.col) == (table, row, col)]
    assert len(found) == 1, f"no single cell at {(table, row, col)}: {found}"
    return found[0]


def _zip(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _document(body: str, ns: str = W) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{ns}"><w:body>{body}'
        "</w:body></w:document>"
    ).encode()


# ------------------------------------------------------------------------------------ structure


def test_government_layout_cells_once_with_spans():
    grid = read_docx(DEV / "dev-2010-m01.docx")
    assert grid.format == "docx" and grid.source.endswith("dev-2010-m01.docx")
    section = _cell(grid, 0, 3, 0)  # 承诺写实: vMerge restart + 2 continues
    assert section.text.replace("\n", "") == "承诺写实" and section.rowspan == 3
    assert sum(1 for c in grid.cells if c.col == 0 and "承" in c.text) == 1  # emitted once
    name_label = _cell(grid, 0, 0, 0)
    assert name_label.colspan == 2 and name_label.text.strip().replace(" ", "") == "姓名"
    assert _cell(grid, 0, 0, 2).text == "宋丽娜"
    assert _cell(grid, 0, 1, 2).where == "表1 第2行第3列"
    sign = _cell(grid, 0, 5, 1)
    assert sign.text.startswith("党员本人（签字）：宋丽娜\n\n") and sign.colspan == 4
    q1 = _cell(grid, 0, 6, 1)
    assert q1.text.split("\n")[0] == "第一季度承诺兑现情况" and q1.colspan == 7


def test_cover_lines_and_their_places():
    grid = read_docx(DEV / "dev-2010-m04.docx")  # Word-style runs split mid-word
    texts = [ln.text.strip() for ln in grid.lines]
    assert "（二〇一〇年度）" in texts
    assert "党  员  姓  名：葛春生" in texts
    assert all(ln.after_table is None for ln in grid.lines)
    assert grid.lines[0].where == "正文第1段" and [ln.index for ln in grid.lines] == list(
        range(len(grid.lines))
    )


def test_bytes_and_path_give_the_same_grid():
    path = DEV / "dev-2010-m02.docx"
    a, b = read_docx(path), read_docx_bytes(path.read_bytes(), str(path))
    assert [(c.text, c.row, c.col, c.rowspan, c.colspan) for c in a.in_order()] == [
        (c.text, c.row, c.col, c.rowspan, c.colspan) for c in b.in_order()
    ]
    assert [ln.text for ln in a.lines] == [ln.text for ln in b.lines]


def test_word_markup_content_controls_tracked_changes_fields_text_boxes():
    grid = read_docx(MADE / "made-m-sdt-tracked.docx")
    text = grid.text()
    assert "开学初完成家访8户" in text  # w:ins kept
    assert "开学初完成家访3户" not in text  # w:del dropped
    assert "DATE" not in text and "yyyy" not in text  # field instruction dropped ...
    assert "2010年6月30日" in text  # ... field result kept
    assert "隐藏的批注" not in text  # w:vanish
    assert "单击或点击此处输入文字" not in text  # content control showing its placeholder
    assert "作废行" not in text and "不应读出" not in text  # deleted table row
    assert "1、所带班级语文平均成绩保持全镇前列；" in text  # block content control
    assert text.count("所在党组织名称") == 1  # text box: one AlternateContent branch only
    assert any(ln.text.startswith("党  员  姓  名：李 秀 梅") for ln in grid.lines)
    assert any("修订" in w for w in grid.warnings) and any("占位" in w for w in grid.warnings)
    sign = next(c for c in grid.cells if c.text.startswith("党员本人（签字）：李秀梅\n\n 2010年9月27日"))
    assert sign.colspan == 7  # content control inside a paragraph; w:tab -> space


def test_nested_table_is_its_own_table_and_not_parent_text():
    grid = read_docx(MADE / "made-o-odd.docx")
    assert grid.tables() == [0, 1]
    parent = next(c for c in grid.cells if c.table == 0 and "评议情况如下" in c.text)
    assert "票数" not in parent.text and "较好" not in parent.text
    nested = [c.text for c in grid.row_cells(1, 0)]
    assert nested == ["评价等次", "好", "较好", "一般", "差", "党员人数", "群众人数"]
    assert _cell(grid, 1, 1, 1).where == "表2 第2行第2列"


def test_split_table_lines_between_and_grid_before():
    grid = read_docx(MADE / "made-o-split.docx")
    assert grid.tables() == [0, 1]
    between = [ln for ln in grid.lines if ln.after_table == 0]
    assert [ln.text for ln in between] == ["（续表）"] and between[0].where == "表1之后第1段"
    first = grid.row_cells(1, 0)
    assert len(first) == 1 and first[0].col == 1 and first[0].colspan == 7  # w:gridBefore="1"


def test_attached_page_lines_follow_the_table():
    grid = read_docx(MADE / "made-m-attached.docx")
    after = [ln.text for ln in grid.lines if ln.after_table == 0]
    assert after[1] == "附页：" and after[2].startswith("（接上页）领导点评")


def test_strict_namespace_and_main_part_from_relationships():
    body = "<w:p><w:r><w:t>严格模式</w:t></w:r></w:p>"
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="r1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/'
        'officeDocument" Target="/word/main.xml"/></Relationships>'
    )
    grid = read_docx_bytes(
        _zip({"_rels/.rels": rels.encode(), "word/main.xml": _document(body, strict)}), "s.docx"
    )
    assert [ln.text for ln in grid.lines] == ["严格模式"]


def test_merges_hmerge_and_orphan_continue():
    def tc(text, props=""):
        return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    rows = (
        "<w:tr>" + tc("甲", '<w:hMerge w:val="restart"/>') + tc("", "<w:hMerge/>") + tc("乙") + "</w:tr>"
        "<w:tr>" + tc("丙", "<w:vMerge/>") + tc("丁", '<w:gridSpan w:val="2"/>') + "</w:tr>"
    )
    grid = read_docx_bytes(_zip({"word/document.xml": _document(f"<w:tbl>{rows}</w:tbl>")}), "m.docx")
    a = _cell(grid, 0, 0, 0)
    assert (a.text, a.colspan) == ("甲", 2) and _cell(grid, 0, 0, 2).text == "乙"
    assert _cell(grid, 0, 1, 0).text == "丙"  # a continue with nothing above starts a cell
    assert _cell(grid, 0, 1, 1).colspan == 2


# -------------------------------------------------------------------------------- hostile input


def _refused(data: bytes | None, tmp_path: Path, name: str = "坏文件.docx", **settings) -> ReadError:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(ReadError) as err:
        read_docx(path, settings=settings or None)
    assert name in str(err.value)  # the message names the file
    return err.value


def test_zip_bomb_refused_by_declared_ratio_before_inflating(tmp_path):
    bomb = _zip({"word/document.xml": b"\0" * (64 * 1024 * 1024)})
    assert len(bomb) < 200_000
    tracemalloc.start()
    err = _refused(bomb, tmp_path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8 * 1024 * 1024  # nothing was inflated (64 MB inside)
    assert "压缩比" in err.detail and "压缩炸弹" in err.detail


def test_total_size_and_entry_count_limits(tmp_path):
    real = (DEV / "dev-2010-m01.docx").read_bytes()
    err = _refused(real, tmp_path, max_total_uncompressed=10_000)
    assert "总大小" in err.detail
    many = _zip({f"word/x{i}.xml": b"<a/>" for i in range(30)})
    err = _refused(many, tmp_path, max_entries=20)
    assert "30 个条目" in err.detail


def test_declared_size_that_lies_is_caught(tmp_path):
    data = bytearray(_zip({"word/document.xml": _document("<w:p/>" * 5000)}))
    declared = 100
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, declared)
    struct.pack_into("<I", data, central + 24, declared)
    err = _refused(bytes(data), tmp_path)
    assert "损坏" in err.detail or "XML" in err.detail


def test_entity_declarations_refused_never_expanded(tmp_path):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:body></w:document>'
    )
    err = _refused(_zip({"word/document.xml": laughs.encode()}), tmp_path)
    assert "DOCTYPE" in err.detail and "实体" in err.detail
    external = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    with pytest.raises(ReadError, match="DOCTYPE"):
        parse_xml(external, file="x.docx", part="word/document.xml")


def test_safe_parser_itself_does_not_resolve_entities():
    from cxzy_docs.read.safezip import xml_parser

    root = etree.fromstring(b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', xml_parser())
    assert "root:" not in etree.tostring(root, encoding="unicode")


def test_truncated_random_empty_missing_legacy(tmp_path):
    real = (DEV / "dev-2010-m01.docx").read_bytes()
    assert "截断" in _refused(real[: len(real) // 2], tmp_path).detail
    assert "不是有效的 DOCX" in _refused(bytes(range(256)) * 40, tmp_path).detail
    assert "文件为空" in _refused(b"", tmp_path).detail
    assert "不存在" in _refused(None, tmp_path, name="没有这个文件.docx").detail
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    assert ".doc" in _refused(ole, tmp_path, name="旧版.docx").detail


def test_zip_that_is_not_a_word_document(tmp_path):
    err = _refused(_zip({"xl/workbook.xml": b"<workbook/>"}), tmp_path, name="表格.docx")
    assert "word/document.xml" in err.detail
    err = _refused(_zip({"word/document.xml": b"<html><body/></html>"}), tmp_path, name="网页.docx")
    assert "w:document" in err.detail
    err = _refused(_zip({"word/document.xml": b"<w:document"}), tmp_path, name="半截.docx")
    assert "XML" in err.detail


def test_safezip_reads_parts_within_declared_size():
    data = _zip({"a.xml": b"<a>1</a>", "b.bin": b"x" * 10})
    with open_zip(data, file="内存.zip") as z:
        assert sorted(z.names()) == ["a.xml", "b.bin"]
        assert z.read_xml("a.xml").text == "1"
        with pytest.raises(ReadError, match="缺少部件"):
            z.read("c.xml")
    with (
        open_zip(data, file="内存.zip", settings={"max_part_size": 5}) as z,
        pytest.raises(ReadError, match="上限"),
    ):
        z.read("b.bin")


# ------------------------------------------------------------------------------------- settings


def test_settings_resolve_and_validate():
    assert ReadSettings.resolve(None) == ReadSettings()
    s = ReadSettings.resolve({"max_entries": 50})
    assert s.max_entries == 50 and ReadSettings.resolve(s) is s
    with pytest.raises(ValueError, match="max_entries"):
        ReadSettings.resolve({"max_entries": 0})
    with pytest.raises(ValueError, match="max_compression_ratio"):
        ReadSettings(max_compression_ratio="很多")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="attach_pages"):
        ReadSettings(attach_pages=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="未知的设置：no_such"):
        ReadSettings.resolve({"no_such": 1})
    with pytest.raises(ValueError):
        ReadSettings.resolve(42)  # type: ignore[arg-type]
