"""Two importers and an editor at once, on SQLite and on a real PostgreSQL server.

Every file is stored once and counted once: as new by one importer and as already imported by the
other; no file is reported failed, no book is lost or doubled, no raw database error and no password
reaches the output; two first imports into an empty store race on creating its tables, safely.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pgserver
from test_crash_safety import cxzy, make_books

from cxzy_docs.store import ConflictError, Store

N_BOOKS = 60
FIELD = "periods.Q1.review.text"
RAW = re.compile(
    r"IntegrityError|OperationalError|UNIQUE constraint|duplicate key|psycopg\.|sqlite3\.|Traceback"
)


@pytest.fixture(scope="module")
def books_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("concurrent") / "books"
    make_books(folder, N_BOOKS, prefix="c")
    make_books(folder.parent / "first", 6, prefix="first", start=5000)
    return folder


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
    print(
        f"{store_url.split(':')[0]}: A new {_new(ta)} skipped {_skipped(ta)}; B new {_new(tb)} skipped {_skipped(tb)}; "
        f"{edits} edits"
    )
    assert _new(ta) + _new(tb) == N_BOOKS, (ta[-500:], tb[-500:])
    assert _skipped(ta) + _skipped(tb) == N_BOOKS
    assert store.counts() == {"files": N_BOOKS + 6, "books": N_BOOKS + 6}
    names = [r.record["subject"]["name"] + (r.record["commitment"]["text"] or "") for r in store.books()]
    assert len(set(names)) == len(names) == N_BOOKS + 6  # no book doubled, none lost
    per_book = {bid: store.book(bid).version - 1 for bid in ids}
    assert sum(per_book.values()) == edits  # every edit kept
    assert store.display_url.count("***") == (1 if store_url.startswith("postgresql") else 0)


def _two_copies(folder: Path, n: int) -> tuple[Path, Path]:
    """The same ``n`` books twice: as typed, and as another office's copy (its Q1 review left out, and
    every third one's commitment written otherwise: a conflict)."""
    import copy
    import json

    from cxzy_docs.model import set_field
    from cxzy_docs.render.docx import render_docx

    base = next(
        r
        for r in json.loads(
            (Path(__file__).resolve().parent.parent / "samples" / "records.json").read_text("utf-8")
        )
        if r["kind"] == "member"
    )
    a, b = folder / "a", folder / "b"
    a.mkdir(parents=True)
    b.mkdir()
    for i in range(n):
        rec = copy.deepcopy(base)
        rec["subject"]["name"] = "同" + "甲乙丙丁戊己庚辛壬癸"[i % 10] + "一二三四五六七八九十"[i // 10 % 10]
        rec["subject"]["birth"] = f"{1960 + i % 30}-{1 + i % 12:02d}"
        (a / f"a-{i:03d}.docx").write_bytes(render_docx(rec))
        other = copy.deepcopy(rec)
        set_field(other, "periods.Q1.review.text", None)
        if i % 3 == 0:
            other["commitment"]["text"] = f"另一份抄件的承诺（第{i}本）"
        (b / f"b-{i:03d}.docx").write_bytes(render_docx(other))
    return a, b


def test_two_importers_of_two_copies_of_the_same_books_and_an_editor(store_url: str, tmp_path: Path) -> None:
    n = 30
    a_folder, b_folder = _two_copies(tmp_path / "copies", n)
    first = tmp_path / "first"
    make_books(first, 4, prefix="first", start=7000)
    _finish(cxzy("import", str(first), "--db", store_url), "setup")
    store = Store(store_url)
    ids = [b.id for b in store.books()]
    a = cxzy("import", str(a_folder), "--db", store_url)
    b = cxzy("import", str(b_folder), "--db", store_url)
    edits = 0
    while a.poll() is None or b.poll() is None or edits < 10:
        bid = ids[edits % len(ids)]
        store.edit(bid, FIELD, f"第{edits}次修改", expected_version=store.book(bid).version)
        edits += 1
    ta, tb = _finish(a, "importer A"), _finish(b, "importer B")
    assert _new(ta) + _new(tb) == n, (ta[-800:], tb[-800:])
    joined = [int(re.search(rf"{what} (\d+) 本", t)[1]) for t in (ta, tb) for what in ("合并", "冲突")]
    assert sum(joined) == n
    conflict_lines = [line for line in (ta + tb).splitlines() if line.startswith("冲突：")]
    assert len(conflict_lines) == n // 3 + (n % 3 > 0) and all(
        "公开承诺" in line or "承诺" in line for line in conflict_lines
    ), conflict_lines
    assert store.counts()["books"] == n + 4  # not one lost, not one doubled
    by_name: dict[str, int] = {}
    for row in store.books():
        name = row.record["subject"]["name"]
        by_name[name] = by_name.get(name, 0) + 1
        if name.startswith("同"):
            assert len(store.sources(row.id)) == 2, name
            assert row.record["periods"] is not None
    assert all(v == 1 for v in by_name.values())
    open_conflicts = sum(1 for row in store.books() if store.conflicts(row.id, open_only=True))
    assert open_conflicts == n // 3 + (n % 3 > 0)
    assert sum(store.book(bid).version - 1 for bid in ids) == edits
    print(
        f"{store_url.split(':')[0]}: A new {_new(ta)}, B new {_new(tb)}, merged/conflict {joined}, "
        f"{len(conflict_lines)} conflicts shown, {edits} edits"
    )
