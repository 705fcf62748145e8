"""The second round of hostile inputs (tests/data/hostile-2/, README there): each ends as a record or one
clear Chinese error, within 2 x parse_timeout and under the worker's memory bound; the batch goes on.

Also: special files (devices, FIFOs) refused before they are opened, names that are not UTF-8, and a
zip of a million entries refused before its directory is parsed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from cxzy_docs.read.batch import parse_one
from cxzy_docs.read.settings import LIMITS_ENV
from cxzy_docs.read.worker import can_isolate

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "data" / "hostile-2" / "files"
GOOD = ROOT / "tests" / "data" / "forms-dev" / "dev-2010-m01.docx"
TIMEOUT = 10  # parse_timeout for these tests: each file must end within 2 x this
MEMORY_MB = 300  # the default max_memory_mb: a worker's peak stays under baseline + this

pytestmark = pytest.mark.skipif(not can_isolate(), reason="bounded workers need Linux")

# file -> words of its outcome ("" = read as a record)
EXPECTED = {
    "d-places-bomb-72x200.docx": "合并单元格覆盖超过",
    "x-hyperlink-bomb.xlsx": "合并单元格或超链接共覆盖",
    "x-merge-moved.xlsx": "合并单元格或超链接共覆盖",
    "x-decoy-ct-3000.xlsx": "列出 3000 个工作表",
    "x-merge-regex-250k.xlsx": "",  # the flood is no merge at all: the book in it is read, fast
    "x-merge-regex-900k.xlsx": "",
    "x-sheet-dat-laughs-f.xlsx": "sheet1.dat 含有 DOCTYPE",
    "docx-is-really-xlsx.docx": "",  # read as the workbook it is
    "negyear.json": "年度 -5 不在合理范围",
    "hugeyear.json": "年度 99999999999999999999 不在合理范围",
    "lone-surrogate.json": "孤立的代理字符",
    "deep-array.json": "嵌套过深",
}


@pytest.fixture(autouse=True)
def _limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LIMITS_ENV, f"parse_timeout={TIMEOUT}")


def test_every_hostile_file_is_covered() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in HOSTILE.iterdir())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_ends_in_bounds(name: str) -> None:
    outcome = parse_one(HOSTILE / name, name)
    words = EXPECTED[name]
    print(
        f"\n{name}: {'record' if not outcome.error else 'error'} {outcome.seconds:.2f} s "
        f"peak {outcome.peak_mb:.0f} MB: {outcome.error or len(outcome.records)}"
    )
    if words:
        assert outcome.error and words in outcome.error and name in outcome.error, outcome.error
    else:
        assert outcome.error is None and len(outcome.records) == 1, outcome.error
    assert outcome.seconds < 2 * TIMEOUT
    assert 0 < outcome.peak_mb < MEMORY_MB


def test_a_batch_of_every_hostile_file_goes_on(tmp_path: Path) -> None:
    """`cxzy import` of all of them, a FIFO, /dev/zero, /dev/urandom, a GBK name and a good book."""
    folder = tmp_path / "in"
    folder.mkdir()
    for p in HOSTILE.iterdir():
        shutil.copy(p, folder / p.name)
    gbk = os.fsencode(str(folder)) + b"/" + "张三的写实簿.docx".encode("gbk")
    shutil.copy(GOOD, os.fsdecode(gbk))
    shutil.copy(GOOD, folder / "zz-good.docx")
    fifo = folder / "a-fifo.docx"
    os.mkfifo(fifo)
    jsons = sorted(str(p) for p in folder.glob("*.json"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), LIMITS_ENV: f"parse_timeout={TIMEOUT}"}
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cxzy_docs",
            "import",
            str(folder),
            *jsons,
            str(fifo),
            "/dev/zero",
            "/dev/urandom",
            "--db",
            str(tmp_path / "s.db"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    took = time.perf_counter() - start
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "Traceback" not in out, out[-3000:]
    assert "张三的写实簿.docx" in out or "失败" in out
    for name, words in EXPECTED.items():
        if words:
            assert f"{name}：" in out or f"{name}，" in out, (name, out[-3000:])
    assert "a-fifo.docx" in out and "管道（FIFO）" in out
    assert "/dev/zero" in out and "/dev/urandom" in out and "设备文件" in out
    # the good book, the GBK-named copy of it (same content: already imported), the two sound workbooks
    # and the XLSX named .docx were read (the workbooks are another 张伟 book and its copies: one book with
    # three sources); every other file failed on its own
    assert "新建 2 本、合并 2 本" in out and "已导入过 1 个" in out, out[-1500:]
    assert took < 120, took
    from cxzy_docs.store import Store

    paths = {b.source for b in Store(tmp_path / "s.db").books()}
    assert any(p and p.endswith(("张三的写实簿.docx", "zz-good.docx")) for p in paths), paths


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo"])
def test_special_files_are_refused_without_blocking(tmp_path: Path, special: str) -> None:
    path = Path(special)
    if special == "fifo":
        path = tmp_path / "book.docx"
        os.mkfifo(path)
    start = time.perf_counter()
    outcome = parse_one(path, str(path))
    assert outcome.error and "不是普通文件" in outcome.error and str(path) in outcome.error, outcome.error
    assert time.perf_counter() - start < 2
    from cxzy_docs.read.sniff import sniff

    with pytest.raises(Exception) as exc:  # the readers' own entry refuses too (a name swapped later)
        sniff(path)
    assert "不是普通文件" in str(exc.value)


def _million_entry_zip(path: Path, n: int = 1_000_000) -> None:
    """A zip whose central directory really lists ``n`` empty entries (ZIP64 end records)."""
    import struct

    local = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, 1, 0) + b"a"
    records = []
    for _i in range(n):
        records.append(
            struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 45, 20, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0) + b"a"
        )
    cd = b"".join(records)
    cd_off = len(local)
    eocd64 = struct.pack("<4sQ2H2I4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, n, n, len(cd), cd_off)
    loc = struct.pack("<4sIQI", b"PK\x06\x07", 0, cd_off + len(cd), 1)
    eocd = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    path.write_bytes(local + cd + eocd64 + loc + eocd)


def test_a_million_entries_are_refused_before_the_directory_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "million.docx"
    _million_entry_zip(path)
    with zipfile.ZipFile(path) as zf:  # a real zip: zipfile reads it (slowly), so the refusal is ours
        assert len(zf.infolist()[:3]) == 3
    outcome = parse_one(path, "million.docx")
    assert outcome.error and "1000000 个条目" in outcome.error and "max_entries" in outcome.error, (
        outcome.error
    )
    assert outcome.seconds < 3 and outcome.peak_mb < 150, (outcome.seconds, outcome.peak_mb)


def test_the_process_bound_holds_when_the_part_checks_are_loosened(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the sheet budget raised past the whole-sheet hyperlink, openpyxl gets to make its cells: the
    worker's address-space cap stops it (MemoryError in the worker), not a pattern; the next file reads."""
    slack = 6 * TIMEOUT  # the memory cap must end it, not the clock, even on a loaded machine
    monkeypatch.setenv(LIMITS_ENV, f"parse_timeout={slack},sheet_max_rows=100000000,sheet_max_cols=100000")
    outcome = parse_one(HOSTILE / "x-hyperlink-bomb.xlsx", "bomb.xlsx")
    print(
        f"\nloosened hyperlink bomb: {outcome.seconds:.2f} s, peak {outcome.peak_mb:.0f} MB: {outcome.error}"
    )
    assert outcome.error and "bomb.xlsx" in outcome.error, outcome.error
    assert "max_memory_mb" in outcome.error or "max_rss_mb" in outcome.error, outcome.error
    assert outcome.seconds < 2 * slack
    after = parse_one(GOOD, "good.docx")
    assert after.error is None and len(after.records) == 1


def _soffice_of(profile_hint: str) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if "soffice" in cmd and profile_hint in cmd:
                pids.append(int(proc.name))
    return pids


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_is_killed_with_the_worker_on_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    from cxzy_docs.read.worker import shared

    monkeypatch.setenv(LIMITS_ENV, "parse_timeout=1")
    doc = ROOT / "tests" / "data" / "made-readers" / "m02.doc"
    start = time.perf_counter()
    outcome = parse_one(doc, "m02.doc")
    assert outcome.error and "读取超过 1 秒" in outcome.error, outcome.error
    assert time.perf_counter() - start < 2 * 1 + 1.5
    profile = shared()._profile
    assert profile
    time.sleep(0.5)
    assert _soffice_of(profile) == []  # LibreOffice's process group went with the worker


@pytest.mark.parametrize("name", ["negyear.json", "hugeyear.json", "lone-surrogate.json", "deep-array.json"])
def test_fill_and_validate_refuse_poison_json_clearly(tmp_path: Path, name: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for args in (
        ["fill", str(HOSTILE / name), "--out", str(tmp_path / "out")],
        ["validate", str(HOSTILE / name)],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "cxzy_docs", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        out = proc.stdout + proc.stderr
        assert proc.returncode in (1, 2) and "Traceback" not in out and name in out, out[-2000:]
        assert EXPECTED[name] in out, out[-2000:]


FLOODS = [
    b"(" * 2_000_000,
    b"(\\(" * 700_000,
    b"(" + b"\\)" * 1_000_000,
    b"<mergeCell " * 300_000,
    b'<hyperlink ref="A1' * 200_000,
    b'<mergeCell a="' + b"x" * 3_000_000,
    b"<" + b"a" * 2_000_000,
]


@pytest.mark.parametrize("flood", FLOODS, ids=[f.decode()[:14] for f in FLOODS])
def test_no_byte_regex_takes_quadratic_time(flood: bytes) -> None:
    """The pre-checks' regexes over untrusted bytes stay linear on floods made to make them backtrack."""
    from cxzy_docs.read import pdfbudget, xlsx

    start = time.perf_counter()
    pdfbudget._literal_bytes(flood)
    pdfbudget._HEX.findall(flood)
    pdfbudget._TOKEN.findall(flood)
    for rx in (xlsx._MERGE, xlsx._HYPERLINK, xlsx._CELL, xlsx._SHEET, xlsx._SHARED):
        rx.findall(flood)
    assert time.perf_counter() - start < 5
