"""Report templates that loop, grow or recurse without end: one clear TemplateError, in bounded time and memory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cxzy_docs.report import templating
from cxzy_docs.report.errors import TemplateError

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "data" / "hostile-2" / "templates"
DOUBLING = (
    '{% set ns = namespace(s="xxxxxxxx") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}'
    "{% endfor %}{{ ns.s|length }}"
)

# template folder -> words of the error
CASES = {
    "nested": "时间上限",  # 10^10 empty loop steps
    "lipsum": "lipsum",  # 3,000,000 paragraphs
    "strmul": "超过上限",  # "x" * 3,000,000,000
    "recursion": "递归过深",  # a macro calling itself
}


def _peak_mb() -> float:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmHWM:"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_template_is_stopped(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templating, "TIME_BUDGET_S", 2.0)
    start = time.perf_counter()
    with pytest.raises(TemplateError) as exc:
        templating.render("summary.md.j2", {}, HOSTILE / case)
    took = time.perf_counter() - start
    assert CASES[case] in exc.value.message and "summary.md.j2" in exc.value.message, exc.value.message
    assert took < 6, took


def test_memory_budget_stops_a_doubling_string(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "summary.md.j2").write_text(DOUBLING, encoding="utf-8")
    monkeypatch.setattr(templating, "MEMORY_BUDGET_MB", 300)
    before = _peak_mb()
    with pytest.raises(TemplateError) as exc:
        templating.render("summary.md.j2", {}, tmp_path)
    assert "内存" in exc.value.message or "超过上限" in exc.value.message, exc.value.message
    assert _peak_mb() - before < 700
    import resource

    assert resource.getrlimit(resource.RLIMIT_AS)[0] == resource.RLIM_INFINITY  # the cap was lifted again


def test_output_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "summary.md.j2").write_text(
        '{% for i in range(100000) %}{{ "字" * 100 }}{% endfor %}', "utf-8"
    )
    monkeypatch.setattr(templating, "OUTPUT_BUDGET_CHARS", 1_000_000)
    with pytest.raises(TemplateError) as exc:
        templating.render("summary.md.j2", {}, tmp_path)
    assert "模板输出超过 1000000 个字符" in exc.value.message


def test_cli_names_the_template_and_gives_no_traceback(tmp_path: Path) -> None:
    from cxzy_docs.model import empty_record
    from cxzy_docs.store import Store

    rec = empty_record("member", 2025)
    rec["subject"].update(name="张三", organization="一支部")
    store = Store(tmp_path / "s.db")
    store.add_records([rec])
    store.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cxzy_docs",
            "report",
            "summary",
            "--db",
            str(tmp_path / "s.db"),
            "--org",
            "一支部",
            "--year",
            "2025",
            "--out",
            str(tmp_path / "r.docx"),
            "--template",
            str(HOSTILE / "strmul"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "summary.md.j2" in proc.stderr and "超过上限" in proc.stderr, (
        proc.stderr
    )
