"""Two importers and an editor at once, on SQLite and on a real PostgreSQL server.

Every file is stored once and counted once: as new by one importer and as already imported by the
other; no file is reported failed, no book is lost or doubled, no raw database error and no password
reaches the output; two first imports into an empty store race on creating its tables, safely.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pgserver
from test_crash_safety import cxzy, make_books

from cxzy_docs.store import ConflictError, Store

N_BOOKS = 60
FIELD = "periods.Q1.review.text"
RAW = re.compile(r"IntegrityError|OperationalError|UNIQUE constraint|duplicate key|psycopg\.|sqlite3\.|Traceback")


@pytest.fixture(scope="module")
def books_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("concurrent") / "books"
    make_books(folder, N_BOOKS, prefix="c")
    make_books(folder.parent / "first", 6, prefix="first", start=5000)
    return folder


@pytest.fixture(scope="module")
def pg() -> Iterator[pgserver.PgServer]:
    server = pgserver.start()
    if server is None:
        pytest.skip("PostgreSQL is not installed (scripts/setup.sh installs it)")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+pysqlite:///{tmp_path / 'shared.db'}?timeout=30"
        return
    server: pgserver.PgServer = request.getfixturevalue("pg")
    name = f"t{int(time.time() * 1000) % 10**9}"
    server.psql(f"CREATE DATABASE {name} OWNER cxzy")
    yield server.url.rsplit("/", 1)[0] + f"/{name}"


def _finish(proc, what: str) -> str:
    out, err = proc.communicate(timeout=600)
    text = out + err
    assert proc.returncode == 0, f"{what}: {text[-3000:]}"
    assert not RAW.search(text), f"{what}: {text[-3000:]}"
    assert pgserver.PASSWORD not in text
    assert "失败 0 个" in text and "失败：" not in text, f"{what}: {text[-3000:]}"
    return text


def _new(text: str) -> int:
    return int(re.search(r"新建 (\d+) 本", text)[1])


def _skipped(text: str) -> int:
    return int(re.search(r"已导入过 (\d+) 个", text)[1])


def test_two_first_imports_race_on_an_empty_store(store_url: str, books_folder: Path) -> None:
    first = books_folder.parent / "first"
    a = cxzy("import", str(first), "--db", store_url)
    b = cxzy("import", str(first), "--db", store_url)
    ta, tb = _finish(a, "importer A"), _finish(b, "importer B")
    assert _new(ta) + _new(tb) == 6 and _skipped(ta) + _skipped(tb) == 6
    store = Store(store_url)
    assert store.counts() == {"files": 6, "books": 6}


def test_two_importers_and_an_editor(store_url: str, books_folder: Path) -> None:
    first = books_folder.parent / "first"
    _finish(cxzy("import", str(first), "--db", store_url), "setup")
    store = Store(store_url)
    ids = [b.id for b in store.books()]
    a = cxzy("import", str(books_folder), "--db", store_url)
    b = cxzy("import", str(books_folder), "--db", store_url)
    edits = conflicts = 0
    while a.poll() is None or b.poll() is None or edits < 20:
        bid = ids[edits % len(ids)]
        row = store.book(bid)
        try:
            store.edit(bid, FIELD, f"第{edits}次修改", expected_version=row.version)
        except ConflictError:  # never expected: nobody else edits; would be a lost update otherwise
            conflicts += 1
        edits += 1
    ta, tb = _finish(a, "importer A"), _finish(b, "importer B")
    assert conflicts == 0
    print(f"{store_url.split(':')[0]}: A new {_new(ta)} skipped {_skipped(ta)}; B new {_new(tb)} skipped {_skipped(tb)}; "
          f"{edits} edits")
    assert _new(ta) + _new(tb) == N_BOOKS, (ta[-500:], tb[-500:])
    assert _skipped(ta) + _skipped(tb) == N_BOOKS
    assert store.counts() == {"files": N_BOOKS + 6, "books": N_BOOKS + 6}
    names = [r.record["subject"]["name"] + (r.record["commitment"]["text"] or "") for r in store.books()]
    assert len(set(names)) == len(names) == N_BOOKS + 6  # no book doubled, none lost
    per_book = {bid: store.book(bid).version - 1 for bid in ids}
    assert sum(per_book.values()) == edits  # every edit kept
    assert store.display_url.count("***") == (1 if store_url.startswith("postgresql") else 0)
