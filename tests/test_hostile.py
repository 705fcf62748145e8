"""Bombs and traps: each hostile file is refused or handled in a fresh process, in bounded time and memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
sys.path.insert(0, str(HOSTILE))

import make_hostile as mk  # noqa: E402

MAX_RSS_MB = 200  # target: no single file makes the reader resident above this
TIME_LIMIT = 30  # seconds, generous for CI; each case takes well under 5 s here

CHILD = r"""
import json, resource, sys, time
from cxzy_docs.errors import CxzyError
from cxzy_docs.read import parse_file
path, settings = sys.argv[1], json.loads(sys.argv[2])
start = time.perf_counter()
out = {}
try:
    records = parse_file(path, settings=settings or None)
    out = {"status": "ok", "records": records}
except CxzyError as exc:
    out = {"status": "error", "type": type(exc).__name__, "message": exc.message}
except BaseException as exc:
    out = {"status": "crash", "type": type(exc).__name__, "message": str(exc)[:500]}
out["seconds"] = time.perf_counter() - start
# VmHWM: this process's own peak (ru_maxrss would include the parent's RSS at fork, kept over exec)
hwm = [line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")]
out["rss_mb"] = int(hwm[0]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out, ensure_ascii=False))
"""


def parse_in_child(path: Path, settings: dict | None = None) -> dict:
    """Parse ``path`` in a fresh interpreter; its own peak RSS (VmHWM) is measured, a hang is killed."""
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), json.dumps(settings or {})],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


RATIO_OFF = {"max_compression_ratio": 1e9}  # to reach the readers with big but well-compressed parts

# name -> (maker, settings, words the refusal must contain)
REFUSED = {
    "docx zip bomb (ratio)": (mk.docx_zip_bomb_ratio, None, "压缩比"),
    "docx zip bomb (total)": (mk.docx_zip_bomb_total, None, "解压后总大小超过上限"),
    "docx zip bomb (lying sizes)": (mk.docx_zip_bomb_lying, None, "无法解压"),
    "xlsx zip bomb (ratio)": (mk.xlsx_zip_bomb_ratio, None, "压缩比"),
    "docx billion laughs": (mk.docx_billion_laughs, None, "DOCTYPE"),
    "xlsx billion laughs": (mk.xlsx_billion_laughs, None, "DOCTYPE"),
    "docx external entity": (mk.docx_xxe, None, "DOCTYPE"),
    "xlsx external entity": (mk.xlsx_xxe, None, "DOCTYPE"),
    "docx 500 nested tables": (mk.docx_nested_tables, None, "嵌套过深"),
    "docx 40 nested tables": (lambda out: mk.docx_nested_tables(out, 40), None, "max_nesting_depth"),
    "docx 50 MB paragraph": (mk.docx_huge_paragraph, RATIO_OFF, "超过上限"),
    "xlsx 50 MB cell": (mk.xlsx_huge_cell, RATIO_OFF, "max_part_size"),
    "xlsx merge over the whole sheet": (mk.xlsx_huge_merge, None, "合并单元格"),
    "pdf 5000 pages": (mk.pdf_many_pages, None, "pdf_max_pages"),
    "pdf page tree lying about its count": (mk.pdf_lying_count, None, "pdf_max_pages"),
    "png decompression bomb": (mk.png_bomb, None, "max_image_pixels"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_hostile_file_is_refused_in_bounds(hostile: Path, case: str) -> None:
    make, settings, words = REFUSED[case]
    path = make(hostile)
    out = parse_in_child(path, settings)
    assert out["status"] == "error", out
    assert words in out["message"] and str(path) in out["message"], out["message"]
    assert out["rss_mb"] < MAX_RSS_MB, f"{case}: peak RSS {out['rss_mb']:.0f} MB"
    assert "root:" not in out["message"]  # /etc/passwd never read into a message


# name -> (maker, settings, page warning the PDF reader must give for its one hostile page)
PAGE_REFUSED = {
    "pdf 300,000 drawing operators": (mk.pdf_many_ops, "max_pdf_page_ops"),
    "pdf content stream inflating to 1 GB": (mk.pdf_flate_bomb, "疑似压缩炸弹"),
}


@pytest.mark.parametrize("case", list(PAGE_REFUSED))
def test_hostile_pdf_page_is_skipped_in_bounds(hostile: Path, case: str) -> None:
    make, words = PAGE_REFUSED[case]
    path = make(hostile)
    out = parse_in_child(path)
    assert out["status"] == "error" and out["type"] == "UnknownFormError", out  # no book left to read
    assert out["rss_mb"] < MAX_RSS_MB and out["seconds"] < 10, out
    from cxzy_docs.read.pdf import read_pdf

    grid = read_pdf(path)
    assert not grid.cells and any(words in w for w in grid.warnings), grid.warnings


def test_pdf_huge_image_is_not_decoded(hostile: Path) -> None:
    out = parse_in_child(mk.pdf_huge_image(hostile))  # 100,000 x 100,000 pixels declared, text layer present
    assert out["status"] == "error" and out["type"] == "UnknownFormError", out
    assert out["rss_mb"] < MAX_RSS_MB and out["seconds"] < 10, out


@pytest.mark.parametrize("maker", [mk.docx_huge_paragraph, mk.xlsx_huge_cell], ids=["docx", "xlsx"])
def test_20mb_text_in_a_real_book_is_cut_not_refused(hostile: Path, maker) -> None:
    from cxzy_docs.read.settings import DEFAULT_MAX_CELL_CHARS

    path = maker(hostile, 20)
    out = parse_in_child(path, RATIO_OFF)
    assert out["status"] == "ok", out
    assert out["rss_mb"] < MAX_RSS_MB, f"peak RSS {out['rss_mb']:.0f} MB"
    longest = max(len(p["review"]["text"] or "") for p in out["records"][0]["periods"])
    texts = json.dumps(out["records"][0], ensure_ascii=False)
    assert "字" * 1000 in texts  # the grown text was read ...
    assert longest <= DEFAULT_MAX_CELL_CHARS and len(texts) < 10 * DEFAULT_MAX_CELL_CHARS  # ... and cut


def test_limits_are_settings(hostile: Path) -> None:
    """The same file passes or is refused by the setting that bounds it."""
    path = mk.pdf_many_pages(hostile, 30)
    refused = parse_in_child(path, {"pdf_max_pages": 20})
    assert refused["status"] == "error" and "30 页" in refused["message"]
    allowed = parse_in_child(path, {"pdf_max_pages": 40})
    assert allowed["type"] == "UnknownFormError", allowed  # read through, holds no book


def test_library_noise_never_reaches_stdout(hostile: Path) -> None:
    """openpyxl print()s on a bad style index: `cxzy parse --json` must still print only JSON."""
    path = mk.xlsx_bad_style_index(hostile)
    proc = subprocess.run(
        [sys.executable, "-m", "cxzy_docs", "parse", "--json", str(path)],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        check=False,
    )
    assert proc.returncode == 1  # the file failed, and said so on stderr
    assert json.loads(proc.stdout) == []
    assert str(path) in proc.stderr and "out of range" not in proc.stdout + proc.stderr


def test_limits_from_the_environment(hostile: Path) -> None:
    """CXZY_LIMITS changes the defaults for every command; a bad value is a Chinese error naming it."""
    import os

    path = mk.pdf_many_pages(hostile, 30)
    env = {**os.environ, "CXZY_LIMITS": "pdf_max_pages=20, max_file_size=10MB"}
    proc = subprocess.run(
        [sys.executable, "-m", "cxzy_docs", "parse", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        check=False,
    )
    assert proc.returncode == 1 and "超过上限 20 页" in proc.stdout, proc.stdout[-1000:]
    env["CXZY_LIMITS"] = "pdf_max_pages=40"
    proc = subprocess.run(
        [sys.executable, "-m", "cxzy_docs", "parse", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        check=False,
    )
    assert "超过上限" not in proc.stdout and "不是写实簿" in proc.stdout, proc.stdout[-1000:]


def test_limits_text_is_checked() -> None:
    from cxzy_docs.read.settings import DEFAULTS, MIB, SettingsError, from_env

    s = from_env("pdf_max_pages=400；max_file_size=1.5G, attach_pages=false, max_compression_ratio=500")
    assert (s.pdf_max_pages, s.max_file_size, s.attach_pages, s.max_compression_ratio) == (
        400,
        int(1.5 * 1024 * MIB),
        False,
        500.0,
    )
    assert s.max_entries == DEFAULTS.max_entries and from_env("") is DEFAULTS
    for bad, words in [
        ("nosuch=1", "未知的设置 nosuch"),
        ("pdf_max_pages=many", "应为数值"),
        ("pdf_max_pages=0", "应为正数"),
        ("pdf_max_pages", "设置名=值"),
        ("max_entries=2.5", "应为整数"),
        ("attach_pages=maybe", "true 或 false"),
    ]:
        with pytest.raises(SettingsError) as exc:
            from_env(bad)
        assert "CXZY_LIMITS" in exc.value.message and words in exc.value.message, exc.value.message


def test_a_slow_file_is_cut_off_by_parse_timeout() -> None:
    """A damaged PDF pdfminer takes seconds to recover: with parse_timeout=1 it is skipped after 1 s."""
    import os
    import time

    slow = Path(__file__).resolve().parent / "data" / "crashers" / "pdf-slow-recovery.pdf"
    env = {**os.environ, "CXZY_LIMITS": "parse_timeout=1"}
    start = (
        time.perf_counter()
    )  # the same command on a quick file: start-up and worker costs on this machine now
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cxzy_docs",
            "parse",
            str(slow.parent.parent / "forms-dev" / "dev-2010-m01.docx"),
        ],
        env=env,
        capture_output=True,
        timeout=TIME_LIMIT,
        check=False,
    )
    overhead = time.perf_counter() - start
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "cxzy_docs", "parse", str(slow)],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        check=False,
    )
    assert proc.returncode == 1 and "读取超过 1 秒（设置项 parse_timeout）" in proc.stdout, proc.stdout[-800:]
    assert (
        time.perf_counter() - start < overhead + 3
    )  # cut off after 1 s, not after the seconds recovery takes
