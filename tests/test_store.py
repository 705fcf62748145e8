"""The store on real SQLite: idempotent imports, atomic files, edits with history and undo."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cxzy_docs.errors import RecordError
from cxzy_docs.model import empty_record, set_field
from cxzy_docs.store import ConflictError, Store


def _member(name: str) -> dict:
    rec = empty_record("member", 2025)
    set_field(rec, "subject.name", name)
    set_field(rec, "subject.organization", "红旗村第一党支部")
    return rec


def test_same_file_twice_adds_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    assert store.add_file("a.docx", "h1", "docx", 10, [_member("张伟")]) == 1
    assert store.add_file("copy-of-a.docx", "h1", "docx", 10, [_member("张伟")]) == 0
    assert store.has_file("h1")
    assert store.counts() == {"files": 1, "books": 1}


def test_failed_file_leaves_store_as_it_was(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    store.add_file("a.docx", "h1", "docx", 10, [_member("张伟")])
    bad = _member("李娜")
    bad["year"] = "二〇二五"  # not an integer: the whole file is refused
    with pytest.raises(RecordError):
        store.add_file("b.docx", "h2", "docx", 10, [_member("王芳"), bad])
    assert store.counts() == {"files": 1, "books": 1}
    assert not store.has_file("h2")


def test_store_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "private.db"
    Store(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_edit_history_and_undo(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    (book_id,) = store.add_records([_member("张伟")])
    v2 = store.edit(book_id, "periods.Q1.review.text", "一季度成绩突出。不足是学习不够。希望今后加强。")
    store.edit(book_id, "periods.Q1.review.sign.name", "高志斌", expected_version=v2)
    assert store.book(book_id).record["periods"][0]["review"]["sign"]["name"] == "高志斌"
    assert [h["field"] for h in store.history(book_id)] == [
        "periods.Q1.review.text",
        "periods.Q1.review.sign.name",
    ]
    assert store.undo(book_id) == "periods.Q1.review.sign.name"
    assert store.book(book_id).record["periods"][0]["review"]["sign"]["name"] is None
    assert store.undo(book_id) == "periods.Q1.review.text"
    assert store.book(book_id).record["periods"][0]["review"]["text"] is None
    assert store.undo(book_id) is None


def test_conflicting_edit_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    a, b = Store(path), Store(path)
    (book_id,) = a.add_records([_member("张伟")])
    version = a.book(book_id).version
    a.edit(book_id, "subject.gender", "男", expected_version=version)
    with pytest.raises(ConflictError, match="已被他人修改"):
        b.edit(book_id, "subject.gender", "女", expected_version=version)
    assert b.book(book_id).record["subject"]["gender"] == "男"


def test_mark_checked(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    (book_id,) = store.add_records([_member("张伟")])
    store.mark_checked(book_id, True, "已核对原件")
    row = store.book(book_id)
    assert row.checked and row.check_note == "已核对原件"
    assert row.version == 2  # a new version: an editor who loaded version 1 must reload first
    with pytest.raises(ConflictError):
        store.edit(book_id, "subject.gender", "男", expected_version=1)
    with pytest.raises(ConflictError):
        store.mark_checked(book_id, False, expected_version=1)
    assert store.mark_checked(book_id, False, expected_version=2) == 3
    assert not store.book(book_id).checked


def test_undo_is_one_change_checked_against_the_version_shown(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    mine, theirs = Store(path), Store(path)
    (book_id,) = mine.add_records([_member("张伟")])
    shown = mine.edit(book_id, "subject.gender", "男")
    theirs.edit(book_id, "subject.position", "村委委员", expected_version=shown)  # made while A looks at v2
    with pytest.raises(ConflictError):
        mine.undo(book_id, expected_version=shown)
    row = mine.book(book_id)
    assert row.record["subject"]["gender"] == "男" and row.record["subject"]["position"] == "村委委员"
    assert [h["undone"] for h in mine.history(book_id)] == [False, False]  # nothing half-marked

    assert mine.undo(book_id, expected_version=row.version) == "subject.position"
    after = mine.book(book_id)
    assert after.version == row.version + 1 and after.record["subject"]["position"] is None
    assert [(h["field"], h["undone"]) for h in mine.history(book_id)] == [
        ("subject.gender", False),
        ("subject.position", True),
        ("subject.position", True),
    ]
    assert mine.undo(book_id) == "subject.gender"
    assert mine.undo(book_id) is None


def test_store_closes_as_a_context_manager(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store(path) as store:
        store.add_records([_member("张伟")])
        assert (tmp_path / "s.db-wal").exists()  # open: SQLite keeps its write-ahead log
    assert not (tmp_path / "s.db-wal").exists()  # closed: the last connection folded it in
    with Store(path) as again:
        assert again.counts()["books"] == 1
