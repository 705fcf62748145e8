"""Several people on one store: an import and edits at once, stale editors refused, a locked store waited for."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from cxzy_docs.model import get_field
from cxzy_docs.store import ConflictError, Store, StoreError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_crash_safety import check_consistent, cxzy, make_books

FIELD = "periods.Q1.review.text"


def run_py(code: str, *args: str) -> subprocess.Popen:
    """Python code in a second process (stdout line by line, to synchronise with it)."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def store_with_books(tmp_path: Path) -> tuple[Path, list[int]]:
    db = tmp_path / "store.db"
    make_books(tmp_path / "first", 10, prefix="first")
    proc = cxzy("import", str(tmp_path / "first"), "--db", str(db))
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    store = Store(db)
    ids = [b.id for b in store.books()]
    store.close()
    return db, ids


def test_edits_while_a_cli_import_runs(tmp_path: Path, store_with_books: tuple[Path, list[int]]) -> None:
    db, ids = store_with_books
    make_books(tmp_path / "more", 300, prefix="more", start=1000)
    proc = cxzy("import", str(tmp_path / "more"), "--db", str(db))
    store = Store(db)
    edits: dict[int, int] = dict.fromkeys(ids, 0)
    n = 0
    while proc.poll() is None or n < 20:
        bid = ids[n % len(ids)]
        row = store.book(bid)
        version = store.edit(bid, FIELD, f"第{n}次修改", expected_version=row.version)
        assert version == row.version + 1
        edits[bid] += 1
        n += 1
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err[-2000:]
    assert "新建 300 本" in out
    assert check_consistent(db) == (310, 310)
    for bid, count in edits.items():
        row = store.book(bid)
        assert row.version == 1 + count  # every edit kept, none lost to the import's writes
        assert len(store.history(bid)) == count
    assert n >= 20


def test_second_editor_with_a_stale_version_gets_a_conflict(store_with_books: tuple[Path, list[int]]) -> None:
    db, ids = store_with_books
    bid = ids[0]
    me = Store(db)
    loaded = me.book(bid)  # editor A has the book open
    other = run_py(
        """
        import sys
        from cxzy_docs.store import Store
        s = Store(sys.argv[1])
        bid = int(sys.argv[2])
        row = s.book(bid)
        print(s.edit(bid, "periods.Q1.review.text", "他人的点评", expected_version=row.version))
        """,
        str(db),
        str(bid),
    )
    out, err = other.communicate(timeout=60)
    assert other.returncode == 0, err
    assert int(out) == loaded.version + 1
    with pytest.raises(ConflictError) as exc:
        me.edit(bid, FIELD, "我的点评", expected_version=loaded.version)
    assert "已被他人修改" in exc.value.message
    now = me.book(bid)
    assert get_field(now.record, FIELD) == "他人的点评"  # not silently overwritten
    assert [h["new"] for h in me.history(bid)] == ['"他人的点评"']
    me.edit(bid, FIELD, "我的点评", expected_version=now.version)  # after reloading: fine
    assert get_field(me.book(bid).record, FIELD) == "我的点评"


HOLD_LOCK = """
    import sqlite3, sys, time
    con = sqlite3.connect(sys.argv[1], isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    con.execute("UPDATE books SET check_note = 'held' WHERE id = 1")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    con.execute("COMMIT")
    print("released", flush=True)
    """


def test_a_writer_waits_for_another_long_transaction(store_with_books: tuple[Path, list[int]]) -> None:
    db, ids = store_with_books
    holder = run_py(HOLD_LOCK, str(db), "1.5")
    assert holder.stdout.readline().strip() == "locked"
    store = Store(db)
    start = time.perf_counter()
    store.edit(ids[1], FIELD, "等锁之后写入")  # blocks on the lock, then goes through
    waited = time.perf_counter() - start
    holder.communicate(timeout=30)
    assert waited >= 1.0
    assert get_field(store.book(ids[1]).record, FIELD) == "等锁之后写入"
    assert store.book(ids[0]).check_note == "held"


def test_a_store_locked_too_long_is_a_chinese_store_error(store_with_books: tuple[Path, list[int]]) -> None:
    db, ids = store_with_books
    holder = run_py(HOLD_LOCK, str(db), "4")
    assert holder.stdout.readline().strip() == "locked"
    store = Store(db, busy_timeout_ms=500)
    try:
        with pytest.raises(StoreError) as exc:
            store.edit(ids[1], FIELD, "写不进去")
        assert "数据库正被其他程序占用" in exc.value.message and "sqlite3" not in exc.value.message
        with pytest.raises(StoreError):
            store.add_records([store.book(ids[1]).record])
    finally:
        holder.communicate(timeout=30)
    assert get_field(store.book(ids[1]).record, FIELD) != "写不进去"  # nothing half-written


def test_store_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual umask: new files world-readable unless the store says otherwise
    try:
        db = tmp_path / "private.db"
        store = Store(db)
        store.add_records([{"schema": "cxzy.record/1", **_tiny_record()}])
        files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
        assert all(f.exists() for f in files)  # WAL mode: the side files exist while the store is open
        for f in files:
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f"{f.name}: {oct(f.stat().st_mode)}"
        store.close()
    finally:
        os.umask(old)


def _tiny_record() -> dict:
    from cxzy_docs.model import empty_record

    rec = empty_record("member", 2025)
    rec["subject"]["name"] = "张三"
    rec.pop("schema", None)
    return rec
