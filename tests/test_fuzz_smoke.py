"""Fuzzing in the normal suite: a seeded run of mutants per format, and every crasher kept as a regression file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CRASHERS = Path(__file__).resolve().parent / "data" / "crashers"
sys.path.insert(0, str(ROOT))

from fuzz.runner import BoundedParser  # noqa: E402

SMOKE_COUNT = 200  # mutants per format; the documented run uses --count 10000


def test_seeded_fuzz_run_finds_no_crasher(tmp_path: Path) -> None:
    """docx, xlsx and pdf mutants: each a record or a Chinese CxzyError, in time and under 200 MB."""
    out = tmp_path / "crashers"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "fuzz.fuzz_parse",
            "--format",
            "docx,xlsx,pdf",
            "--count",
            str(SMOKE_COUNT),
            "--seed",
            "7",
            "--timeout",
            "20",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    summary = (out / "summary.jsonl").read_text("utf-8") if (out / "summary.jsonl").exists() else ""
    assert proc.returncode == 0, f"{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}\n{summary[:3000]}"
    assert "crashers: 0" in proc.stdout
    runs = re.findall(r'"mutants": (\d+)', proc.stdout)
    assert runs == [str(SMOKE_COUNT)] * 3, proc.stdout[-2000:]
    outcomes = [json.loads(m) for m in re.findall(r'"outcomes": (\{[^}]*\})', proc.stdout)]
    assert all(o.get("ok", 0) > 0 and o.get("error", 0) > 0 for o in outcomes), (
        outcomes
    )  # both paths exercised


PRODUCTION_COUNT = 40  # mutants per format read as `cxzy parse` reads them; the documented run uses 10000


def test_seeded_production_fuzz_run_stays_in_bounds(tmp_path: Path) -> None:
    """docx, xlsx, pdf and image mutants through the bounded worker with the real limits: each a record
    or a Chinese per-file error, within 2 x parse_timeout, the worker's peak under max_memory_mb."""
    out = tmp_path / "crashers"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "fuzz.fuzz_parse",
            "--production",
            "--format",
            "docx,xlsx,pdf,image",
            "--count",
            str(PRODUCTION_COUNT),
            "--seed",
            "11",
            "--timeout",
            "10",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    summary = (out / "summary.jsonl").read_text("utf-8") if (out / "summary.jsonl").exists() else ""
    assert proc.returncode == 0, f"{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}\n{summary[:3000]}"
    assert "crashers: 0" in proc.stdout
    runs = re.findall(r'"mutants": (\d+)', proc.stdout)
    assert runs == [str(PRODUCTION_COUNT)] * 4, proc.stdout[-2000:]
    peaks = [float(p) for p in re.findall(r'"peak_rss_mb": ([\d.]+)', proc.stdout)]
    assert peaks and max(peaks) < 300, peaks


@pytest.mark.parametrize("path", sorted(CRASHERS.glob("*.*")), ids=lambda p: p.name)
def test_crasher_gives_a_record_or_a_clear_error(path: Path) -> None:
    with BoundedParser(timeout=120, max_rss_mb=100_000) as parser:
        outcome = parser.parse(path)
    # within a generous limit (a real hang would be status "hang" even on a loaded machine); speed is bench/'s business
    assert outcome.status in ("ok", "error"), f"{outcome.status}: {outcome.signature} {outcome.detail}"
