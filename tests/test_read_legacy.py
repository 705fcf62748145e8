"""Old Office files read through headless LibreOffice: .doc .xls, WPS .wps .et, .rtf, Word's HTML."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from gold import field_accuracy

from cxzy_docs.errors import DependencyMissing, ReadError
from cxzy_docs.read import parse_file, read_grid
from cxzy_docs.read.legacy import convert_legacy, read_legacy

DATA = Path(__file__).resolve().parent / "data"
DEV = DATA / "forms-dev"
MADE = DATA / "made-readers"
MANIFEST = json.loads((MADE / "manifest.json").read_text(encoding="utf-8"))
OLD = [
    (MADE / name, DEV / gold)
    for name, gold in sorted(MANIFEST.items())
    if isinstance(gold, str) and not name.endswith(".pdf")
]

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)


@pytest.mark.parametrize(("path", "gold"), OLD, ids=[p.name for p, _ in OLD])
def test_old_files_read_back_as_their_gold(path: Path, gold: Path) -> None:
    (record,) = parse_file(path)
    expected = json.loads(gold.read_text(encoding="utf-8"))
    right, total, wrong = field_accuracy(record, expected)
    assert right / total >= 0.99, wrong


def test_grid_names_the_original_file_and_the_conversion() -> None:
    grid = read_grid(MADE / "m04-wps.wps")
    assert grid.source == str(MADE / "m04-wps.wps")
    assert grid.format == "doc->docx" and len(grid.cells) > 40
    sheet = read_grid(MADE / "m05-et.et")
    assert sheet.format == "xls->xlsx"
    assert sheet.cell_at(0, 8, 6).text == "2010-01-16"  # a real Excel date survives the .xls round trip


def test_many_files_convert_in_one_call(tmp_path: Path) -> None:
    items = [
        (MADE / "m02.doc", "doc"),
        (MADE / "o02.rtf", "rtf"),
        (MADE / "m05.xls", "xls"),
        (MADE / "m04.doc", "doc"),
    ]
    out = convert_legacy(items, tmp_path)
    assert set(out) == {str(p) for p, _ in items}
    assert all(isinstance(v, Path) and v.is_file() for v in out.values())
    assert sorted(v.suffix for v in out.values()) == [".docx", ".docx", ".docx", ".xlsx"]


def test_same_name_in_two_folders_does_not_clash(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copyfile(MADE / "m02.doc", tmp_path / "a" / "book.doc")
    shutil.copyfile(MADE / "o02.doc", tmp_path / "b" / "book.doc")
    from cxzy_docs.read.docx import read_docx

    first, second = tmp_path / "a" / "book.doc", tmp_path / "b" / "book.doc"
    (tmp_path / "out").mkdir()
    out = convert_legacy([(first, "doc"), (second, "doc")], tmp_path / "out")
    assert out[str(first)] != out[str(second)]
    assert "陶建民" in read_docx(out[str(first)]).text()
    assert "牛振华" in read_docx(out[str(second)]).text()


def test_word_html_saved_as_doc_is_read(tmp_path: Path) -> None:
    path = tmp_path / "网页.doc"
    path.write_text(
        "<html><body><table border=1><tr><td>姓名</td><td>张三</td></tr></table></body></html>",
        encoding="utf-8",
    )
    grid = read_grid(path)
    assert grid.format == "html->docx" and [c.text for c in grid.in_order()] == ["姓名", "张三"]


def test_a_file_libreoffice_cannot_convert_is_a_read_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.rtf"
    path.write_bytes(b"{\\rtf1" + b"\x00\xff" * 10)
    with pytest.raises(ReadError) as err:
        read_legacy(path, "rtf")
    assert str(path) in err.value.message


def test_missing_libreoffice_names_the_package_and_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CXZY_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(DependencyMissing) as err:
        read_grid(MADE / "m02.doc")
    assert "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui" in err.value.message
    assert str(MADE / "m02.doc") in err.value.message


def test_ledger_saved_as_xls_gives_its_records(tmp_path: Path) -> None:
    import subprocess

    from cxzy_docs.read.ledger import read_ledger
    from cxzy_docs.read.legacy import _profile_dir, soffice

    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={_profile_dir().as_uri()}",
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
            str(tmp_path),
            str(MADE / "ledger-2010.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    records = parse_file(tmp_path / "ledger-2010.xls")
    expected = read_ledger(MADE / "ledger-2010.xlsx")
    assert [r["subject"]["name"] for r in records] == [r["subject"]["name"] for r in expected]
    assert [r["periods"] for r in records] == [r["periods"] for r in expected]
