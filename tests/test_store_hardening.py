"""The smaller promises of the store and the report writer, each checked as a user meets it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from cxzy_docs.model import empty_record
from cxzy_docs.store import SCHEMA_VERSION, Store, StoreError, meta, shown_url, sqlite_file

ROOT = Path(__file__).resolve().parent.parent


def _record(name: str = "张三") -> dict:
    rec = empty_record("member", 2025)
    rec["subject"].update(name=name, organization="一支部")
    return rec


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


@pytest.mark.parametrize(
    "form",
    [
        "sqlite:///{p}",
        "sqlite+pysqlite:///{p}",
        "sqlite:///{p}?timeout=5",
        "sqlite+pysqlite:///{p}?check_same_thread=false&timeout=5",
        "{p}",
    ],
)
def test_store_files_are_0600_for_every_sqlite_url_form(tmp_path: Path, form: str) -> None:
    old = os.umask(0o022)
    try:
        db = tmp_path / "private.db"
        store = Store(form.format(p=db))
        store.add_records([_record()])
        assert sqlite_file(store.url) == db
        for f in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f"{form} {f.name}: {oct(f.stat().st_mode)}"
        store.close()
    finally:
        os.umask(old)


def test_passwords_are_masked() -> None:
    assert (
        shown_url("postgresql+psycopg://office:hunter2@db.local:5432/cxzy")
        == "postgresql+psycopg://office:***@db.local:5432/cxzy"
    )
    assert "hunter2" not in shown_url("not a url://office:hunter2@x")


@pytest.mark.parametrize(
    "url, words",
    [
        ("mysql+pymysql://office:hunter2@127.0.0.1/cxzy", "需要安装驱动 pymysql"),
        ("postgresql+nosuchdriver://office:hunter2@127.0.0.1/cxzy", "数据库地址无效或不支持"),
    ],
)
def test_missing_driver_is_a_chinese_error_without_the_password(tmp_path: Path, url: str, words: str) -> None:
    with pytest.raises(StoreError) as exc:
        Store(url)
    assert words in exc.value.message and "hunter2" not in exc.value.message, exc.value.message
    (tmp_path / "a.json").write_text("[]", "utf-8")
    proc = _cxzy("import", str(tmp_path / "a.json"), "--db", url, cwd=tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2 and words in out and "hunter2" not in out and "Traceback" not in out, out


def test_unreachable_server_names_no_password(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError) as exc:
        Store("postgresql+psycopg://office:hunter2@127.0.0.1:1/cxzy?connect_timeout=3")
    assert "无法连接数据库服务器" in exc.value.message and "hunter2" not in exc.value.message, (
        exc.value.message
    )


def test_schema_version_is_checked_on_open(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    store = Store(db)
    with store.engine.begin() as conn:
        assert conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar() == str(
            SCHEMA_VERSION
        )
        conn.execute(meta.update().values(value="99"))
    store.close()
    with pytest.raises(StoreError) as exc:
        Store(db)
    assert "数据库结构版本为 99" in exc.value.message and "升级" in exc.value.message


def test_a_store_from_before_versions_is_taken_as_version_1(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    Store(db).close()
    store = Store(db)
    with store.engine.begin() as conn:
        conn.execute(meta.delete())
    store.close()
    Store(db).add_records([_record()])  # opens, writes the version, works


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    db = tmp_path / "not.db"
    db.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError) as exc:
        Store(db)
    assert "不是 cxzy 的数据库文件" in exc.value.message


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 256 KB tmpfs (root only), nearly filled: a report written there meets a full disk."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], capture_output=True, check=False
        ).returncode
    ):
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        filler = mnt / "filler"
        with filler.open("wb") as fh:
            try:
                fh.write(b"\0" * (250 * 1024))
            except OSError:
                pass
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_full_disk_while_writing_a_report(tmp_path: Path, tiny_disk: Path) -> None:
    db = tmp_path / "s.db"
    store = Store(db)
    recs = [_record(n) for n in ("张三", "李四", "王五")]
    for r in recs:
        r["annual"]["grade"] = "合格"
    store.add_records(recs)
    store.close()
    out = tiny_disk / "gongshi.docx"
    proc = _cxzy(
        "report",
        "gongshi",
        "--db",
        str(db),
        "--org",
        "一支部",
        "--year",
        "2025",
        "--out",
        str(out),
        cwd=tmp_path,
    )
    text = proc.stdout + proc.stderr
    assert proc.returncode == 2 and "Traceback" not in text, text[-2000:]
    assert "磁盘空间已满" in text and str(out) in text, text[-2000:]
    assert not out.exists() and not list(tiny_disk.glob(".cxzy-*"))  # nothing half-written left


def test_no_english_library_warnings_on_the_terminal(tmp_path: Path) -> None:
    """Reports draw charts (matplotlib) and write DOCX: what reaches stderr is ours, in Chinese."""
    db = tmp_path / "s.db"
    store = Store(db)
    store.add_records([_record(n) for n in ("张三", "李四")])
    store.close()
    proc = _cxzy(
        "report",
        "summary",
        "--db",
        str(db),
        "--org",
        "一支部",
        "--year",
        "2025",
        "--out",
        str(tmp_path / "r.docx"),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    for word in ("Warning", "warn(", "findfont", "DeprecationWarning", "UserWarning"):
        assert word not in proc.stderr, proc.stderr[-2000:]


def test_add_file_tolerates_a_concurrent_winner(tmp_path: Path) -> None:
    """Two importers both saw the file missing; the second insert does nothing and says so (0 books)."""
    db = tmp_path / "race.db"
    a, b = Store(db), Store(db)
    assert not a.has_file("f" * 64) and not b.has_file("f" * 64)
    assert a.add_file("a.docx", "f" * 64, "docx", 10, [_record("甲")]) == 1
    assert b.add_file("b.docx", "f" * 64, "docx", 10, [_record("甲")]) == 0  # no UNIQUE error, nothing stored
    assert a.counts() == {"files": 1, "books": 1}


def test_two_stores_created_at_once(tmp_path: Path) -> None:
    """Schema creation may race: many processes opening one new store at the same moment all succeed."""
    db = tmp_path / "new.db"
    code = "import sys; from cxzy_docs.store import Store; Store(sys.argv[1]).add_records([])"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(db)], env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(6)
    ]
    for p in procs:
        _out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err[-2000:]
    assert Store(db).counts() == {"files": 0, "books": 0}
