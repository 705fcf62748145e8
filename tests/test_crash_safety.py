"""Crash safety: `cxzy import` killed (SIGKILL) at random points leaves a consistent store; a rerun finishes it."""

from __future__ import annotations

import copy
import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cxzy_docs.render.docx import render_docx

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
N_BOOKS = 1000
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"
GIVEN = "建国志强秀英丽华文明海涛春梅红军玉兰德胜桂芳永福"


def make_books(folder: Path, n: int, *, prefix: str = "book", start: int = 0) -> list[Path]:
    """``n`` filled member books, each with its own name and number (so each file has its own hash)."""
    base = next(
        r for r in json.loads((ROOT / "samples" / "records.json").read_text("utf-8")) if r["kind"] == "member"
    )
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        rec = copy.deepcopy(base)
        name = SURNAMES[i % 20] + GIVEN[(i // 20) % len(GIVEN)] + GIVEN[(i // 480) % len(GIVEN)]
        rec["subject"]["name"] = name
        rec["commitment"]["text"] = f"{rec['commitment']['text'] or ''}（第{i + 1}号）"
        path = folder / f"{prefix}-{i:05d}.docx"
        path.write_bytes(render_docx(rec))
        paths.append(path)
    return paths


def cxzy(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "cxzy_docs", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def stored_books(db: Path) -> int:
    """Books in the store now (0 while it does not exist yet), read as a second process would."""
    if not db.exists():
        return 0
    con = sqlite3.connect(db, timeout=5)
    try:
        return con.execute("SELECT count(*) FROM books").fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0
    finally:
        con.close()


def check_consistent(db: Path) -> tuple[int, int]:
    """The store after a crash: intact, every book with its file, every file with its books."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        orphans = con.execute(
            "SELECT count(*) FROM books WHERE file_id IS NOT NULL AND file_id NOT IN (SELECT id FROM files)"
        ).fetchone()[0]
        bookless = con.execute(
            "SELECT count(*) FROM files WHERE id NOT IN (SELECT file_id FROM books WHERE file_id IS NOT NULL)"
        ).fetchone()[0]
        assert orphans == 0 and bookless == 0
        dup_sha = con.execute("SELECT count(*) - count(DISTINCT sha256) FROM files").fetchone()[0]
        dup_path = con.execute("SELECT count(*) - count(DISTINCT path) FROM files").fetchone()[0]
        assert dup_sha == 0 and dup_path == 0
        files = con.execute("SELECT count(*) FROM files").fetchone()[0]
        books = con.execute("SELECT count(*) FROM books").fetchone()[0]
        return files, books
    finally:
        con.close()


@pytest.mark.slow
def test_import_killed_at_random_points_loses_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "books"
    make_books(folder, N_BOOKS)
    db = tmp_path / "store.db"
    targets = sorted(random.Random(20240601).sample(range(1, N_BOOKS - 100), 4))  # seeded kill points
    seen: list[int] = []
    for target in targets:
        proc = cxzy("import", str(folder), "--db", str(db))
        while proc.poll() is None and stored_books(db) < target:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        files, books = check_consistent(db)
        assert files == books  # one book per file: a file is there with its book, or not at all
        seen.append(books)
    print(f"kill targets {targets}; store after each SIGKILL: {seen} books")
    assert seen == sorted(seen) and all(t <= b < N_BOOKS for t, b in zip(targets, seen, strict=True))
    proc = cxzy("import", str(folder), "--db", str(db))
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-2000:]
    files, books = check_consistent(db)
    assert (files, books) == (N_BOOKS, N_BOOKS)
    assert f"新建 {N_BOOKS - seen[-1]} 本" in out and f"跳过 {seen[-1]} 个文件" in out, out[-500:]


def bad_files(folder: Path) -> list[Path]:
    """Hostile and broken files of several kinds."""
    sys.path.insert(0, str(HOSTILE))
    import make_hostile as mk

    made = [
        mk.docx_billion_laughs(folder),
        mk.docx_xxe(folder),
        mk.xlsx_huge_merge(folder),
        mk.docx_zip_bomb_total(folder),
        mk.pdf_many_pages(folder, 300),
        mk.png_bomb(folder),
    ]
    good = (ROOT / "tests" / "data" / "forms-dev" / "dev-2010-m01.docx").read_bytes()
    (folder / "truncated.docx").write_bytes(good[: len(good) // 2])
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "random.xlsx").write_bytes(random.Random(1).randbytes(5000))
    (folder / "text-as.doc").write_text("这不是 Word 文件", encoding="utf-8")
    return [
        *made,
        folder / "truncated.docx",
        folder / "empty.pdf",
        folder / "random.xlsx",
        folder / "text-as.doc",
    ]


def test_batch_with_bad_files_imports_every_good_one_and_names_every_bad_one(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    good = make_books(folder, 190)
    bad = bad_files(folder)
    assert len(bad) / (len(bad) + len(good)) == pytest.approx(0.05, abs=0.01)
    db = tmp_path / "store.db"
    proc = cxzy("import", str(folder), "--db", str(db))
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err[-2000:]  # something failed: exit status says so
    assert check_consistent(db) == (len(good), len(good))
    failed = [line for line in out.splitlines() if line.startswith("失败")]
    assert len(failed) == len(bad), out[-3000:]
    for path in bad:
        assert any(str(path) in line for line in failed), f"{path.name} not named: {out[-3000:]}"
    assert "Traceback" not in out + err and "内部错误" not in out
    assert f"新建 {len(good)} 本" in out and f"失败 {len(bad)} 个" in out
