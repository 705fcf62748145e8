"""PDFs and images read in a bounded worker process: memory and time limits end one file, not the batch."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxzy_docs.cli import cli
from cxzy_docs.read.batch import parse_many, parse_one
from cxzy_docs.read.settings import LIMITS_ENV
from cxzy_docs.read.worker import can_isolate

DATA = Path(__file__).resolve().parent / "data"
RECOVERY = DATA / "crashers" / "pdf-slow-recovery.pdf"  # pdfminer xref recovery: ~3 s, ~120 MB
GOOD_PDF = DATA / "forms-dev" / "dev-2010-m02.pdf"

pytestmark = pytest.mark.skipif(not can_isolate(), reason="isolation needs fork and /proc (Linux)")


def test_memory_limit_skips_the_file_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(RECOVERY, tmp_path / "a-damaged.pdf")
    shutil.copy(GOOD_PDF, tmp_path / "b-good.pdf")
    monkeypatch.setenv(LIMITS_ENV, "max_rss_mb=60")
    bad, good = parse_many([tmp_path])
    assert bad.records == [] and bad.error is not None
    assert "a-damaged.pdf" in bad.error and "内存超过 60 MB" in bad.error and "max_rss_mb" in bad.error
    assert good.error is None and len(good.records) == 1


def test_default_memory_limit_lets_the_recovery_pdf_through(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LIMITS_ENV, raising=False)
    outcome = parse_one(RECOVERY, "damaged.pdf")
    assert outcome.error is None, outcome.error


def test_time_limit_kills_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LIMITS_ENV, "parse_timeout=1")
    start = time.perf_counter()
    outcome = parse_one(RECOVERY, "slow.pdf")
    assert time.perf_counter() - start < 2.5
    assert outcome.error == "文件 slow.pdf：读取超过 1 秒（设置项 parse_timeout），已跳过"


@pytest.mark.parametrize(
    "name",
    [
        "forms-dev/dev-2010-m02.pdf",
        "made-readers/lo-o01.pdf",
        "made-readers/rl-m03.pdf",
        "made-readers/encrypted.pdf",
        "crashers/pdf-glyph-flood.pdf",
    ],
)
def test_isolated_reading_gives_what_in_process_reading_gives(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = DATA / name
    monkeypatch.setenv(LIMITS_ENV, "isolate=false")
    alone = parse_one(path, name)
    monkeypatch.setenv(LIMITS_ENV, "isolate=true")
    isolated = parse_one(path, name)
    assert (isolated.records, isolated.error) == (alone.records, alone.error)


def test_ocr_has_its_own_memory_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    scan = DATA / "scans" / "m01-p3.png"
    monkeypatch.setenv(LIMITS_ENV, "ocr_engine=tesseract,ocr_max_rss_mb=5")
    outcome = parse_one(scan, "scan.png")
    assert outcome.error == "文件 scan.png：OCR 识别时内存超过 5 MB（设置项 ocr_max_rss_mb），已跳过"
    # the small reading limit does not apply once OCR has started
    monkeypatch.setenv(LIMITS_ENV, "ocr_engine=tesseract,max_rss_mb=20")
    outcome = parse_one(scan, "scan.png")
    assert outcome.error is None, outcome.error
    assert outcome.records[0]["source"] == "scan.png"


def test_cli_parse_reports_the_memory_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(RECOVERY, tmp_path / "damaged.pdf")
    shutil.copy(GOOD_PDF, tmp_path / "good.pdf")
    monkeypatch.setenv(LIMITS_ENV, "max_rss_mb=60")
    result = CliRunner().invoke(cli, ["parse", str(tmp_path)], catch_exceptions=False)
    out = result.output + (result.stderr if result.stderr_bytes else "")
    assert result.exit_code == 1, out
    assert "damaged.pdf" in out and "max_rss_mb" in out
    assert "成功 1 个" in out and "失败 1 个" in out


def test_one_reused_worker_reads_a_whole_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cxzy_docs.read.worker import started

    monkeypatch.delenv(LIMITS_ENV, raising=False)
    for i in range(10):
        shutil.copy(DATA / "forms-dev" / "dev-2010-m01.docx", tmp_path / f"b{i}.docx")
    shutil.copy(GOOD_PDF, tmp_path / "c.pdf")
    before = started()
    outcomes = parse_many([tmp_path])
    assert [o.error for o in outcomes] == [None] * 11
    assert started() - before <= 2  # every format through the same (two) workers, none restarted
    assert all(0 < o.peak_mb < 300 for o in outcomes)


def test_the_address_space_cap_is_the_operating_systems() -> None:
    """Any allocation past max_memory_mb fails in the worker, whatever code makes it (here: one C call)."""
    from cxzy_docs.read.worker import Limits, shared

    limits = Limits(max_memory_mb=100, max_rss_mb=10_000, ocr_max_rss_mb=10_000)
    answer = shared().call(bytearray, (400 * 1024 * 1024,), limits, time.monotonic() + 30)
    assert isinstance(answer.error, MemoryError), answer
    answer = shared().call(bytearray, (20 * 1024 * 1024,), limits, time.monotonic() + 30)
    assert answer.error is None and len(answer.value) == 20 * 1024 * 1024  # a fresh worker, and room left


def test_a_call_stuck_past_its_deadline_is_killed() -> None:
    from cxzy_docs.read.worker import Limits, shared

    limits = Limits(max_memory_mb=300, max_rss_mb=200, ocr_max_rss_mb=1500)
    start = time.perf_counter()
    answer = shared().call(time.sleep, (30,), limits, time.monotonic() + 1)
    assert answer.ended == "timeout" and time.perf_counter() - start < 2.5


def test_a_long_scan_is_timed_per_page() -> None:
    """Every page read restarts the file's clock (a 30-page scan is not cut off as a whole); a page
    that takes longer than the limit still is."""
    from cxzy_docs.read.worker import Limits, shared

    limits = Limits(max_memory_mb=300, max_rss_mb=200, ocr_max_rss_mb=1500)
    pages = "from cxzy_docs.read.worker import still_working\nimport time\nfor _ in range(8):\n"
    start = time.perf_counter()
    answer = shared().call(
        exec, (pages + "    time.sleep(0.4); still_working()",), limits, time.monotonic() + 1.5
    )
    assert answer.ended is None and answer.error is None, answer
    assert time.perf_counter() - start > 3  # longer than the limit in all, within it page by page
    answer = shared().call(exec, (pages + "    time.sleep(0.4)",), limits, time.monotonic() + 1.5)
    assert answer.ended == "timeout", answer
    answer = shared().call(
        exec, (pages + "    time.sleep(3); still_working()",), limits, time.monotonic() + 1.5
    )
    assert answer.ended == "timeout", answer


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("name", ["made-readers/m02.doc", "made-readers/m05.xls", "made-readers/o02.rtf"])
def test_old_office_files_are_converted_inside_the_worker(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice starts from the worker with an address-space cap of its own (the worker's would stop it)."""
    monkeypatch.delenv(LIMITS_ENV, raising=False)
    outcome = parse_one(DATA / name, name)
    assert outcome.error is None and len(outcome.records) == 1, outcome.error


def test_jobs_queued_in_a_worker_that_died_between_two_answers_are_sent_again() -> None:
    """The worker dies while the asker is busy with an answer (storing it): the jobs it had queued go to
    the next worker, none waits out its deadline for an answer that cannot come."""
    import os

    from cxzy_docs.read.worker import Limits, Worker

    worker = Worker()
    limits = Limits(max_memory_mb=300, max_rss_mb=200, ocr_max_rss_mb=1500)
    items = [("(sleep 1; kill -9 $PPID) >/dev/null 2>&1 &",), ("sleep 3",), ("true",)]
    answers = worker.stream(os.system, items, limits, 60)
    first = next(answers)
    time.sleep(2)  # busy with the first answer; meanwhile the worker is killed in the second job
    rest = list(answers)
    worker.close()
    assert [a.ended for a in [first, *rest]] == [None, None, None]
    assert [a.value for a in [first, *rest]] == [0, 0, 0]
    assert worker.started == 2
