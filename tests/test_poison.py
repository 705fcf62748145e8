"""Poison records: rows written into a store behind the importer's back never crash a command.

Each bad row is one clear Chinese line naming the book (and its file); every other book is still
validated, reported and listed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cxzy_docs.store import Store, books, files

ROOT = Path(__file__).resolve().parent.parent
GOLD = sorted((ROOT / "tests" / "data" / "forms-dev").glob("*.docx.gold.json"))


def _good() -> list[dict]:
    records = [{k: v for k, v in json.loads(p.read_text("utf-8")).items() if k != "_meta"} for p in GOLD]
    for rec in records:
        rec["annual"]["grade"] = "合格"  # so that the 公示 list has something to show
    return records


def _poison_texts(base: dict) -> dict[str, str]:
    """name -> the text stored in books.record (the columns say 2010, so year filters pick them up)."""
    neg = json.loads(json.dumps(base))
    neg["year"] = -5
    huge = json.dumps(base, ensure_ascii=False).replace('"year": 2010', '"year": 99999999999999999999', 1)
    lone = json.dumps(base, ensure_ascii=True).replace('"name": "', '"name": "\\ud800', 1)
    deep = json.loads(json.dumps(base))
    deep["extra"] = json.loads("[" * 500 + "]" * 500)
    leaf = json.loads(json.dumps(base))
    leaf["subject"]["name"] = {"not": "text"}
    return {
        "negyear": json.dumps(neg, ensure_ascii=False),
        "hugeyear": huge,
        "lone-surrogate": lone,
        "deep": json.dumps(deep),
        "not-json": "{这不是 JSON",
        "a-list": "[]",
        "leaf-dict": json.dumps(leaf),
    }


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[int, str], str]:
    tmp = tmp_path_factory.mktemp("poison")
    db = tmp / "poison.db"
    good = _good()
    store = Store(db)
    store.add_records(good)
    org = next(r["subject"]["organization"] for r in good if r["kind"] == "member")
    bad_ids: dict[int, str] = {}
    with store.engine.begin() as conn:  # straight into the tables, as another program might
        file_id = conn.execute(
            files.insert().values(
                sha256="0" * 64,
                path="外来程序写入.json",
                format="json",
                size=1,
                imported_at="2025-01-01T00:00:00",
            )
        ).inserted_primary_key[0]
        for name, text in _poison_texts(good[0]).items():
            bid = conn.execute(
                books.insert().values(
                    file_id=file_id,
                    kind="member",
                    year=2010,
                    name="张伟",
                    organization=org,
                    record=text,
                    checked=False,
                    version=1,
                    updated_at="2025-01-01T00:00:00",
                )
            ).inserted_primary_key[0]
            bad_ids[bid] = name
    store.close()
    return db, bad_ids, org


def _cxzy(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "cxzy_docs", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _commands(db: Path, org: str, out: Path) -> dict[str, list[str]]:
    return {
        "validate --db": ["validate", "--db", str(db)],
        "validate --db --year": ["validate", "--db", str(db), "--year", "2010"],
        "report summary": [
            "report",
            "summary",
            "--db",
            str(db),
            "--org",
            org,
            "--year",
            "2010",
            "--out",
            str(out / "summary.docx"),
        ],
        "report ledger": ["report", "ledger", "--db", str(db), "--out", str(out / "ledger.xlsx")],
        "report gongshi": [
            "report",
            "gongshi",
            "--db",
            str(db),
            "--org",
            org,
            "--year",
            "2010",
            "--out",
            str(out / "gongshi.docx"),
        ],
    }


@pytest.mark.parametrize(
    "command", ["validate --db", "validate --db --year", "report summary", "report ledger", "report gongshi"]
)
def test_every_command_survives_poison_rows(
    poisoned: tuple[Path, dict[int, str], str], tmp_path: Path, command: str
) -> None:
    db, bad_ids, org = poisoned
    proc = _cxzy(*_commands(db, org, tmp_path)[command], cwd=tmp_path)
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out and proc.returncode in (0, 1), out[-3000:]
    for bid in bad_ids:
        assert f"编号 {bid} 的写实簿" in out, (bid, bad_ids[bid], out[-3000:])
    assert "外来程序写入.json" in out
    if command.startswith("report"):
        assert any(tmp_path.iterdir()), out[-2000:]  # the report was still written from the sound books


def test_library_loaders_skip_poison_rows(poisoned: tuple[Path, dict[int, str], str]) -> None:
    """What the TUI's list loads (tui.index.load_summaries) and the store's own loaders."""
    db, bad_ids, _org = poisoned
    store = Store(db)
    rows = list(store.books())
    assert len(rows) == len(GOLD)  # every sound book, no poison
    assert len(store.problems) == len(bad_ids)
    reasons = "\n".join(store.problems)
    for words in (
        "年度 -5 不在合理范围",
        "年度 99999999999999999999",
        "孤立的代理字符",
        "嵌套超过",
        "不是有效的 JSON",
        "记录应为 JSON 对象",
        "subject.name",
    ):
        assert words in reasons, reasons
    tui_index = pytest.importorskip("tui.index")
    store2 = Store(db)
    summaries = [s for batch in tui_index.load_summaries(store2) for s in batch]
    assert len(summaries) == len(GOLD) and len(store2.problems) == len(bad_ids)
    with pytest.raises(Exception) as exc:  # opening one poison book: its own clear error
        store.book(next(iter(bad_ids)))
    assert "编号" in str(exc.value) and "已跳过" in str(exc.value)
