"""File types told by content, and the front door's answers to files that are not record books."""

from __future__ import annotations

import io
import random
import shutil
import zipfile
from pathlib import Path

import pytest

from cxzy_docs.errors import ReadError
from cxzy_docs.read import parse_file, read_grid
from cxzy_docs.read.sniff import ole_stream_names, sniff

DATA = Path(__file__).resolve().parent / "data"
DEV = DATA / "forms-dev"
MADE = DATA / "made-readers"


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (DEV / "dev-2010-m01.docx", "docx"),
        (DEV / "dev-2010-m02.pdf", "pdf"),
        (DEV / "dev-2010-m05.xlsx", "xlsx"),
        (MADE / "ledger-2010.xlsx", "ledger"),
        (MADE / "m02.doc", "doc"),
        (MADE / "m04-wps.wps", "doc"),
        (MADE / "m05.xls", "xls"),
        (MADE / "m05-et.et", "xls"),
        (MADE / "o02.rtf", "rtf"),
        (MADE / "encrypted.pdf", "pdf"),
        (DEV / "README.md", "unknown"),
    ],
)
def test_corpus_kinds(path: Path, kind: str) -> None:
    assert sniff(path) == kind


def test_ole_directory_names_tell_word_from_excel() -> None:
    assert "worddocument" in ole_stream_names(MADE / "m02.doc")
    names = ole_stream_names(MADE / "m05.xls")
    assert "workbook" in names and "worddocument" not in names


def test_kind_comes_from_content_not_extension(tmp_path: Path) -> None:
    swapped = {
        "a.xlsx": DEV / "dev-2010-m01.docx",
        "b.docx": DEV / "dev-2010-m05.xlsx",
        "c.xls": MADE / "m02.doc",
        "d.doc": MADE / "m05.xls",
        "e.txt": DEV / "dev-2010-m02.pdf",
    }
    for name, src in swapped.items():
        shutil.copyfile(src, tmp_path / name)
    assert [sniff(tmp_path / n) for n in swapped] == ["docx", "xlsx", "doc", "xls", "pdf"]


def test_images_by_magic(tmp_path: Path) -> None:
    from PIL import Image

    img = Image.new("L", (8, 8), 255)
    for fmt, kind in (("PNG", "png"), ("JPEG", "jpeg"), ("TIFF", "tiff")):
        buf = io.BytesIO()
        img.save(buf, fmt)
        path = tmp_path / f"scan-{kind}.pdf"  # a misleading extension
        path.write_bytes(buf.getvalue())
        assert sniff(path) == kind


def test_ooxml_with_unusual_part_names_is_told_by_content_types(tmp_path: Path) -> None:
    path = tmp_path / "odd.bin"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/main.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        zf.writestr("main.xml", "<w:document/>")
    assert sniff(path) == "docx"
    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("a.txt", "hello")
    assert sniff(other) == "zip-other"
    with pytest.raises(ReadError, match="压缩包"):
        read_grid(other)


def test_pdf_named_docx_is_read_as_pdf(tmp_path: Path) -> None:
    path = tmp_path / "写实簿.docx"
    shutil.copyfile(DEV / "dev-2010-m02.pdf", path)
    grid = read_grid(path)
    assert grid.format == "pdf" and len(grid.cells) > 40
    (record,) = parse_file(path)
    assert record["subject"]["name"] == "陶建民"


def test_random_bytes_named_docx_are_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "random.docx"
    path.write_bytes(random.Random(7).randbytes(4096))
    assert sniff(path) == "unknown"
    with pytest.raises(ReadError) as err:
        parse_file(path)
    assert "无法识别的文件类型" in err.value.message and str(path) in err.value.message


def test_zero_byte_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    path.write_bytes(b"")
    with pytest.raises(ReadError) as err:
        parse_file(path)
    assert "文件为空" in err.value.message and str(path) in err.value.message


@pytest.mark.parametrize(
    "src", [DEV / "dev-2010-m01.docx", DEV / "dev-2010-m05.xlsx", MADE / "m02.doc"], ids=lambda p: p.suffix
)
def test_truncated_office_files_are_damaged(tmp_path: Path, src: Path) -> None:
    data = src.read_bytes()
    path = tmp_path / f"cut{src.suffix}"
    path.write_bytes(data[: len(data) * 2 // 3])
    assert sniff(path) == "damaged"
    with pytest.raises(ReadError) as err:
        parse_file(path)
    assert "损坏或不完整" in err.value.message and str(path) in err.value.message


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="文件不存在"):
        sniff(tmp_path / "nope.pdf")
    with pytest.raises(ReadError, match="文件夹"):
        sniff(tmp_path)
