"""Replaying one store's edit history onto another copy: matched books, conflicts reported, never forced."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cxzy_docs.history import book_key, replay_history
from cxzy_docs.model import empty_record, get_field, set_field
from cxzy_docs.store import Store


def _member(name: str, org: str = "红旗村第一党支部") -> dict:
    rec = empty_record("member", 2025)
    set_field(rec, "subject.name", name)
    set_field(rec, "subject.organization", org)
    set_field(rec, "periods.Q1.review.text", f"{name}同志本季度表现良好。")
    return rec


def _pair(tmp_path: Path) -> tuple[Store, Store]:
    src = Store(tmp_path / "src.db")
    src.add_records([_member("张伟"), _member("李娜"), _member("王芳", "红旗村第二党支部")])
    with sqlite3.connect(tmp_path / "src.db") as a, sqlite3.connect(tmp_path / "dst.db") as b:
        a.backup(b)  # another copy of the store, as handed to another office
    return src, Store(tmp_path / "dst.db")


def _id(store: Store, name: str) -> int:
    return next(b.id for b in store.books() if b.record["subject"]["name"] == name)


def test_replay_applies_edits_undo_and_checks(tmp_path: Path) -> None:
    src, dst = _pair(tmp_path)
    zhang, li = _id(src, "张伟"), _id(src, "李娜")
    src.edit(zhang, "periods.Q1.review.text", "成绩突出。不足是台账不全。下季度要补齐台账。")
    src.edit(zhang, "periods.Q1.review.sign.date", "2025-04-02")
    src.edit(li, "periods.Q1.review.text", "改错了")
    src.undo(li)  # undone edits are not replayed
    src.edit(zhang, "subject.name", "张卫")  # renamed: still matched by the name it had
    src.mark_checked(zhang, True, "已核实")
    report = replay_history(src, dst)
    assert report.ok and report.applied == 3 and report.checked == 1
    row = dst.book(_id(dst, "张卫"))
    assert get_field(row.record, "periods.Q1.review.sign.date") == "2025-04-02"
    assert row.checked and row.check_note == "已核实"
    assert (
        get_field(dst.book(_id(dst, "李娜")).record, "periods.Q1.review.text") == "李娜同志本季度表现良好。"
    )
    again = replay_history(src, dst)  # replaying twice changes nothing
    assert again.applied == 0 and again.already == 3 and again.ok


def test_replay_reports_conflicts_and_unmatched_books(tmp_path: Path) -> None:
    src, dst = _pair(tmp_path)
    wang = _id(src, "王芳")
    src.edit(wang, "periods.Q1.review.text", "源库的修改")
    dst.edit(_id(dst, "王芳"), "periods.Q1.review.text", "目标库里别人的修改")
    dst.add_records([_member("李娜")], as_new=True)  # now two books match 李娜 (a second book on purpose)
    src.edit(_id(src, "李娜"), "periods.Q1.review.text", "改李娜")
    report = replay_history(src, dst)
    assert report.applied == 0 and not report.ok
    assert len(report.conflicts) == 1 and "目标库里别人的修改" in report.conflicts[0]
    assert len(report.unmatched) == 1 and "李娜" in report.unmatched[0]
    assert get_field(dst.book(_id(dst, "王芳")).record, "periods.Q1.review.text") == "目标库里别人的修改"


def test_book_key_uses_the_branch_for_members_and_the_name_for_organizations() -> None:
    org = empty_record("organization", 2025)
    set_field(org, "subject.name", "红旗村党总支")
    assert book_key(org) == ("organization", 2025, "红旗村党总支", "红旗村党总支")
    assert book_key(_member("张伟")) == ("member", 2025, "张伟", "红旗村第一党支部")
