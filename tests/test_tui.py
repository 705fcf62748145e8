"""The TUI driven through Textual's pilot on a real SQLite store: filter, open, jump, edit, undo, check, export."""

from __future__ import annotations

import asyncio
import difflib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("textual", reason="the TUI needs textual (pip install textual)")

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from cxzy_docs.model import empty_record, get_field, set_field
from cxzy_docs.store import Store
from tui.app import CxzyApp
from tui.dialogs import ConflictDialog, EditFieldDialog, GradeDialog, MarkCheckedDialog, SavePathDialog
from tui.screens import BookScreen, BooksScreen, HelpScreen, ImportScreen
from tui.widgets import BookTable, FieldView

DATA = Path(__file__).parent / "data"
SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE_SNAPSHOTS = os.environ.get("CXZY_UPDATE_SNAPSHOTS") == "1"
FORMULA_NAME = '=HYPERLINK("http://example.invalid","点我")'
LONG_ORG = "黑龙江省某某市某某县某某镇某某村" * 30 + "党支部"


# ----------------------------------------------------------------------------------- the store


def gold_records() -> list[dict[str, Any]]:
    out = []
    for path in sorted((DATA / "forms-dev").glob("*.gold.json")):
        rec = json.loads(path.read_text(encoding="utf-8"))
        rec.pop("_meta", None)
        out.append(rec)
    return out


def made_up_member() -> dict[str, Any]:
    """A thin book: a bare-verdict review, a formula-like name and a very long organization."""
    rec = empty_record("member", 2011)
    for path, value in {
        "subject.name": FORMULA_NAME,
        "subject.organization": LONG_ORG,
        "subject.gender": "男",
        "commitment.text": "认真学习党的理论，带头完成本职工作。" * 200,
        "periods.Q1.fulfilment.text": "一季度参加支部学习3次，帮助困难户春耕。",
        "periods.Q1.review.text": "表现良好。",
        "periods.Q1.review.sign.name": "邱德明",
        "periods.Q1.review.sign.date": "2011-04-02",
    }.items():
        set_field(rec, path, value)
    return rec


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A real SQLite store: the 8 gold books of forms-dev (the files' records) and one made-up book."""
    path = tmp_path / "books.db"
    store = Store(path)
    # as_new: the docx and the pdf of 陶建民 stay two books here, as the screens' tests count them (issue 14
    # merges them on import, which tests/test_books_identity.py covers)
    store.add_records([*gold_records(), made_up_member()], as_new=True)
    store.close()
    return path


def book_id(store: Store, name: str) -> int:
    return next(b.id for b in store.books() if (b.record["subject"].get("name") == name))


# ------------------------------------------------------------------------------------ helpers


def run(
    flow: Callable[[CxzyApp, Pilot[None]], Awaitable[None]],
    db: Path,
    size: tuple[int, int] = (80, 24),
    **kw: Any,
) -> CxzyApp:
    app = CxzyApp(Store(db), **kw)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await flow(app, pilot)

    asyncio.run(main())
    return app


async def settle(app: CxzyApp, pilot: Pilot[None]) -> None:
    """Wait for the workers (loading, validating, exporting) and show what they brought."""
    for _ in range(2):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.flush_findings()  # what the list's refresh tick would do a moment later


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type as a terminal delivers it: one key event per character (Chinese punctuation included)."""
    from textual import events
    from textual.keys import _character_to_key

    for ch in text:
        if ch.isalnum():
            await pilot.press(ch)
        else:  # the pilot cannot name 。，； itself; send what the terminal parser sends
            pilot.app._driver.send_message(events.Key(_character_to_key(ch), ch))  # type: ignore[union-attr]
            await pilot.pause()


def screen_text(app: CxzyApp) -> str:
    """What the terminal shows, as plain text (double-width characters as they are laid out)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def table(app: CxzyApp) -> BookTable:
    assert app.books_screen is not None
    return app.books_screen.table


async def open_book(app: CxzyApp, pilot: Pilot[None], name: str) -> BookScreen:
    bid = book_id(app.store, name)
    assert table(app).move_to(bid)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, BookScreen) and app.screen.book_id == bid
    return app.screen


async def focus_field(app: CxzyApp, pilot: Pilot[None], path: str) -> FieldView:
    screen = app.screen
    assert isinstance(screen, BookScreen) and screen.focus_field(path)
    await pilot.pause()
    assert isinstance(app.focused, FieldView) and app.focused.leaf.path == path
    return app.focused


# ---------------------------------------------------------------------------------- the core


def test_core_never_imports_textual() -> None:
    code = (
        "import sys; import cxzy_docs.cli, cxzy_docs.store, cxzy_docs.model, cxzy_docs.forms, "
        "cxzy_docs.history, cxzy_docs.read.batch, cxzy_docs.cli.tui; "
        "assert 'textual' not in sys.modules, sorted(m for m in sys.modules if 'textual' in m)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).parent.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_tui_command_help_is_chinese_and_serves_locally_by_default() -> None:
    from click.testing import CliRunner

    from cxzy_docs.cli.tui import tui_command

    done = CliRunner().invoke(tui_command, ["--help"])
    assert done.exit_code == 0
    assert "打开写实簿核对界面" in done.output and "--serve" in done.output
    host = next(p for p in tui_command.params if p.name == "host")
    assert host.default == "127.0.0.1"


def test_serve_command_runs_this_python_on_an_absolute_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shlex

    from tui.serve import app_command

    monkeypatch.chdir(tmp_path)
    args = shlex.split(app_command("books.db"))
    assert args[:3] == [sys.executable, "-m", "tui"]
    assert args[args.index("--db") + 1] == f"sqlite:///{tmp_path / 'books.db'}"


# ------------------------------------------------------------------------------- books screen


def test_books_list_filter_and_counts(db: Path) -> None:
    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        assert len(table(app).rows) == 9
        assert "共 9 本" in screen_text(app) and "显示 9" in screen_text(app)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await type_text(pilot, "陶建民")
        assert [b.name for b in table(app).rows] == ["陶建民", "陶建民"]  # the docx and the pdf
        assert "显示 2" in screen_text(app)
        app.screen.query_one("#filter", Input).value = ""
        await type_text(pilot, "输液技能比武")  # a phrase inside a review text
        await pilot.pause()
        assert [b.name for b in table(app).rows] == ["宋丽娜"]
        app.screen.query_one("#filter", Input).value = "农业综合 2010"  # two words: both must match
        await pilot.pause()
        assert [b.kind for b in table(app).rows] == ["organization"]
        await pilot.press("escape")
        assert isinstance(app.focused, BookTable)

    run(flow, db)


def test_sort_by_column_with_key_and_click(db: Path) -> None:
    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        t = table(app)
        await pilot.press("s")  # first column: year
        assert t.sort_key == "year"
        assert [b.year for b in t.rows] == sorted(b.year for b in t.rows)
        await pilot.press("S")
        assert t.rows[0].year == 2011
        # click the 完整度 header: sort by completeness
        header = screen_text(app).splitlines()[2]
        x = _cells_before(header, "完整度")
        await pilot.click(BookTable, offset=(x + 1, 0))
        assert t.sort_key == "completeness"
        ratios = [b.filled / b.boxes for b in t.rows]
        assert ratios == sorted(ratios)

    run(flow, db)


def _cells_before(line: str, word: str) -> int:
    from rich.cells import cell_len

    return cell_len(line[: line.index(word)])


def test_long_texts_are_cut_to_the_cell(db: Path) -> None:
    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        from rich.cells import cell_len

        lines = screen_text(app).splitlines()
        row = next(line for line in lines if "黑龙江省某某市" in line)
        assert "…" in row
        assert cell_len(row.rstrip()) <= 80
        assert all(cell_len(line) <= 80 for line in lines)

    run(flow, db)


def test_organization_tree_narrows_by_branch(db: Path) -> None:
    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        from tui.widgets import OrgTree

        tree = app.screen.query_one(OrgTree)
        assert tree.display  # wide enough: shown beside the table
        year_node = next(n for n in tree.root.children if n.data == (2010, None))
        branch = next(n for n in year_node.children if n.data == (2010, "靖宇镇卫生院党支部"))
        tree.select_node(branch)
        await pilot.pause()
        rows = table(app).rows
        assert rows and {b.organization for b in rows} == {"靖宇镇卫生院党支部"}
        assert len(rows) == 7  # five members (one in two formats) and the branch's own book
        assert "靖宇镇卫生院党支部" in screen_text(app).splitlines()[0]
        tree.select_node(tree.root)
        await pilot.pause()
        assert len(table(app).rows) == 9

    run(flow, db, size=(120, 30))


# -------------------------------------------------------------------------------- book screen


def test_open_book_shows_form_and_review_elements(db: Path) -> None:
    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        screen = await open_book(app, pilot, "宋丽娜")
        text = screen_text(app)
        assert "党员创先争优活动写实簿" in text and "基本情况" in text and "公开承诺事项" in text
        q1 = screen.query_one("#f-periods-Q1-review-text", FieldView)
        assert q1.elements is not None and q1.elements.complete
        q2 = screen.query_one("#f-periods-Q2-review-text", FieldView)  # "本季度工作无明显不足"
        assert q2.elements is not None
        shortcomings = q2.elements.shortcomings
        assert not shortcomings.found and shortcomings.reason
        await focus_field(app, pilot, "periods.Q2.review.text")
        assert "不足✗未写明" in screen_text(app)
        # the phrase that states the direction is marked inside the text
        direction = q1.elements.direction.evidence
        assert (
            direction
            and "下季度要"
            in (get_field(screen.record, "periods.Q1.review.text")[direction.start : direction.end])
        )
        await pilot.press("escape")
        assert isinstance(app.screen, BooksScreen)

    run(flow, db)


def test_edit_review_saves_revalidates_and_undoes(db: Path) -> None:
    new_text = "认真负责。不足是台账不全。下季度要补齐台账。"

    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        screen = await open_book(app, pilot, "宋丽娜")
        bid = screen.book_id
        old = get_field(screen.record, "periods.Q2.review.text")
        await focus_field(app, pilot, "periods.Q2.review.text")
        await pilot.press("enter")
        assert isinstance(app.screen, EditFieldDialog)
        editor = app.screen.query_one(TextArea)
        assert editor.text == old
        await pilot.press("f7")  # select all, then type over it
        await type_text(pilot, new_text)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, BookScreen)
        row = app.store.book(bid)
        assert get_field(row.record, "periods.Q2.review.text") == new_text
        assert row.version == 2
        assert app.store.history(bid)[-1]["field"] == "periods.Q2.review.text"
        view = screen.query_one("#f-periods-Q2-review-text", FieldView)
        assert view.elements is not None and view.elements.complete
        assert "第 2 版" in screen_text(app)

        await pilot.press("u")
        await settle(app, pilot)
        assert get_field(app.store.book(bid).record, "periods.Q2.review.text") == old
        assert get_field(screen.record, "periods.Q2.review.text") == old
        assert view.elements is not None and not view.elements.shortcomings.found

    run(flow, db)


def test_edit_revalidates_only_the_edited_book(db: Path) -> None:

    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        assert app.cache.validations == 9  # every book once, after loading
        screen = await open_book(app, pilot, "宋丽娜")
        others = {b.id: app.cache.get(b.id, b.version) for b in app.index if b.id != screen.book_id}
        await focus_field(app, pilot, "periods.Q3.review.text")
        await pilot.press("enter")
        await pilot.press("f7")
        await type_text(pilot, "表现良好。")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.cache.validations == 10  # the edited book only
        found = app.cache.get(screen.book_id, 2)
        assert found is not None and screen.findings == found
        assert any(f.field and f.field.startswith("periods.Q3.review") for f in found)
        assert all(app.cache.get(i, 1) is f for i, f in others.items())
        assert app.index.get(screen.book_id).findings == len(found)  # type: ignore[union-attr]

    run(flow, db)


def test_date_and_count_inputs_are_checked(db: Path) -> None:
    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        screen = await open_book(app, pilot, "陶建民")
        bid = screen.book_id
        await focus_field(app, pilot, "periods.Q3.review.sign.date")
        await pilot.press("enter")
        dialog = app.screen
        assert isinstance(dialog, EditFieldDialog)
        field = dialog.query_one(Input)
        field.value = ""
        await type_text(pilot, "2010年13月5日")
        await pilot.press("enter")
        assert app.screen is dialog  # refused: stays open, says why
        assert "无法识别的日期" in screen_text(app)
        field.value = ""
        await type_text(pilot, "二〇一〇年九月廿八日")
        await pilot.press("enter")
        await settle(app, pilot)
        assert get_field(app.store.book(bid).record, "periods.Q3.review.sign.date") == "2010-09-28"

        await focus_field(app, pilot, "annual.evaluation.satisfied")
        await pilot.press("enter")
        field = app.screen.query_one(Input)
        field.value = ""
        await type_text(pilot, "十七人")
        await pilot.press("enter")
        await settle(app, pilot)
        assert get_field(app.store.book(bid).record, "annual.evaluation.satisfied") == 17

    run(flow, db)


def test_mark_checked_with_note_and_filter_unchecked(db: Path) -> None:
    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        screen = await open_book(app, pilot, "葛春生")
        bid = screen.book_id
        await pilot.press("c")
        assert isinstance(app.screen, MarkCheckedDialog)
        await type_text(pilot, "已电话核实")
        await pilot.press("enter")
        await settle(app, pilot)
        row = app.store.book(bid)
        assert row.checked and row.check_note == "已电话核实"
        assert "已核对（已电话核实）" in screen_text(app)
        await pilot.press("escape")
        assert "✓" in next(line for line in screen_text(app).splitlines() if "葛春生" in line)
        await pilot.press("u")  # only books not yet checked
        await pilot.pause()
        assert bid not in [b.id for b in table(app).rows] and len(table(app).rows) == 8
        assert "未核对 8" in screen_text(app)

    run(flow, db)


def test_grade_for_the_gongshi_is_chosen_with_g_and_can_be_undone(db: Path) -> None:
    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        screen = await open_book(app, pilot, "葛春生")
        bid = screen.book_id
        assert (
            get_field(app.store.book(bid).record, "annual.grade") is None
        )  # the official form has no such box
        await pilot.press("g")
        assert isinstance(app.screen, GradeDialog)
        assert "先锋 ★" in screen_text(app) and "后进 △" in screen_text(app)
        await pilot.press("down", "enter")  # the second: 合格
        await settle(app, pilot)
        assert get_field(app.store.book(bid).record, "annual.grade") == "合格"
        # shown once there is a grade (the box may be below the visible part of the book: asked of the view)
        grade_box = next(v for v in app.screen.query(FieldView) if v.leaf.path == "annual.grade")
        for _ in range(600):
            if grade_box.display:
                break
            await pilot.pause(0.05)
        assert grade_box.display, screen_text(app)
        await pilot.press("g", "1")
        await settle(app, pilot)
        assert get_field(app.store.book(bid).record, "annual.grade") == "先锋"
        assert [h["new"] for h in app.store.history(bid) if h["field"] == "annual.grade"] == [
            '"合格"',
            '"先锋"',
        ]
        await pilot.press("u")  # undone like any edit
        await settle(app, pilot)
        assert get_field(app.store.book(bid).record, "annual.grade") == "合格"
        await pilot.press("g", "escape")  # Esc changes nothing
        await settle(app, pilot)
        assert get_field(app.store.book(bid).record, "annual.grade") == "合格"

    run(flow, db)


def test_conflicting_edit_is_shown_and_nothing_is_lost(db: Path) -> None:
    mine, theirs = "我的修改：成绩突出。", "他人的修改：工作扎实。"

    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        screen = await open_book(app, pilot, "蔡玉洁")
        bid = screen.book_id
        other = Store(db)  # another process edits the same book meanwhile
        other.edit(bid, "periods.Q1.review.text", theirs)
        await focus_field(app, pilot, "periods.Q1.review.text")
        await pilot.press("enter")
        await pilot.press("f7")
        await type_text(pilot, mine)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        text = screen_text(app)
        assert "已被他人修改" in text and mine in text and theirs in text
        assert get_field(other.book(bid).record, "periods.Q1.review.text") == theirs  # not overwritten
        await pilot.press("escape")  # back to editing, on top of the latest version, with my text
        await pilot.pause()
        assert isinstance(app.screen, EditFieldDialog)
        assert app.screen.query_one(TextArea).text == mine
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert get_field(other.book(bid).record, "periods.Q1.review.text") == mine
        news = [json.loads(h["new"]) for h in other.history(bid)]
        assert news == [theirs, mine]  # both edits kept in the history

    run(flow, db)


def test_jump_to_finding_and_next_book_with_findings(db: Path) -> None:

    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        pending = [b for b in app.index if b.findings is None]
        assert not pending
        flagged = [b for b in table(app).rows if b.findings]
        assert flagged, "the made-up book has a bare-verdict review"
        await pilot.press("f")
        assert [b.id for b in table(app).rows] == [b.id for b in flagged]
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, BookScreen) and screen.findings
        await pilot.press("j")
        await pilot.press("enter")  # the first finding
        await pilot.pause()
        target = screen.findings[0].field
        assert isinstance(app.focused, FieldView)
        assert target and app.focused.leaf.path.startswith(target)
        if len(flagged) > 1:
            await pilot.press("n")  # straight on to the next flagged book
            await settle(app, pilot)
            assert app.screen is screen and screen.book_id == flagged[1].id

    run(flow, db)


# ------------------------------------------------------------------------------------- output


def test_export_filtered_list_to_xlsx(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "清单.xlsx"

    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        app.screen.query_one("#filter", Input).value = "2011"
        await pilot.pause()
        assert len(table(app).rows) == 1
        await pilot.press("x")
        assert isinstance(app.screen, SavePathDialog)
        app.screen.query_one(Input).value = str(out)
        await pilot.press("enter")
        await settle(app, pilot)

    run(flow, db)
    from openpyxl import load_workbook

    wb = load_workbook(out)
    books = list(wb["写实簿"].iter_rows(values_only=True))
    assert books[0][:4] == ("编号", "年度", "党组织", "姓名/名称")
    assert len(books) == 2 and books[1][3] == FORMULA_NAME
    name_cell = wb["写实簿"]["D2"]
    assert name_cell.data_type == "s"  # text, never a formula
    findings = list(wb["问题"].iter_rows(values_only=True))
    assert findings[0][4] == "栏目"
    count = books[1][6]
    assert count is None or count == len(findings) - 1
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet


def test_write_corrected_book_as_docx(db: Path, tmp_path: Path) -> None:
    pytest.importorskip("cxzy_docs.render.docx")
    out = tmp_path / "corrected.docx"

    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        screen = await open_book(app, pilot, "魏东升")
        app.store.edit(
            screen.book_id,
            "periods.Q4.review.text",
            "四季度改正后的点评：成绩明显，不足是宣传少，明年要多宣传。",
        )
        screen.reload()
        await pilot.press("d")
        assert isinstance(app.screen, SavePathDialog)
        app.screen.query_one(Input).value = str(out)
        await pilot.press("enter")
        await settle(app, pilot)

    run(flow, db)
    with zipfile.ZipFile(out) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "四季度改正后的点评" in body.replace("</w:t></w:r><w:r><w:t>", "")


# ------------------------------------------------------------------------------ import, help


def test_import_files_with_progress(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("dev-2010-m01.docx", "dev-2010-o01.docx", "dev-2010-m05.xlsx"):
        shutil.copy(DATA / "forms-dev" / name, src / name)
    (src / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    db = tmp_path / "new.db"

    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        from textual.widgets import RichLog

        assert isinstance(app.screen, ImportScreen)
        text = screen_text(app)
        assert "导入完成：4 个文件，新增 3 本写实簿" in text and "失败 1 个" in text, text
        log = "".join(line.text for line in app.screen.query_one(RichLog).lines)
        assert "dev-2010-m01.docx：1 本" in log and "✗" in log and "broken.docx" in log
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, BooksScreen)
        assert sorted(b.name for b in table(app).rows) == sorted(["宋丽娜", "靖宇镇卫生院党支部", "魏东升"])

    run(flow, db, import_paths=[src])


def test_help_screen_and_command_palette(db: Path) -> None:
    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert "按键说明" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert "搜索命令" in screen_text(app)
        await type_text(pilot, "有问题")
        await pilot.pause(0.3)
        assert "只看有问题的" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.books_screen is not None and app.books_screen.filter.has_findings

    run(flow, db)


def test_footer_and_screens_fit_80x24(db: Path) -> None:
    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        from rich.cells import cell_len

        footer = screen_text(app).splitlines()[-1]
        for label in ("打开", "筛选", "有问题", "未核对", "导出", "帮助", "命令"):
            assert label in footer
        await open_book(app, pilot, "宋丽娜")
        lines = screen_text(app).splitlines()
        assert len(lines) == 24 and all(cell_len(line) <= 80 for line in lines)
        for label in ("编辑", "返回", "撤销", "已核对", "下一本有问题", "问题", "导出", "帮助", "命令"):
            assert label in lines[-1]

    run(flow, db)


# ---------------------------------------------------------------------------------- snapshots


def _freeze(app: CxzyApp) -> None:
    """Take what depends on timing out of the picture: blinking cursors, the 1-second flash of a jump."""
    for widget in app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]
    for widget in app.screen.query(".-flash"):
        widget.remove_class("-flash")


def assert_snapshot(app: CxzyApp, name: str, out: Path) -> None:
    """The screen as SVG equals tests/snapshots/NAME.svg (CXZY_UPDATE_SNAPSHOTS=1 rewrites it)."""
    svg = app.export_screenshot(title="写实簿核对")
    text = screen_text(app)
    svg_path, text_path = SNAPSHOTS / f"{name}.svg", SNAPSHOTS / f"{name}.txt"
    if UPDATE_SNAPSHOTS or not svg_path.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        svg_path.write_text(svg, encoding="utf-8")
        text_path.write_text(text, encoding="utf-8")
        if not UPDATE_SNAPSHOTS:
            pytest.fail(f"新建了快照 {svg_path.name}，请检查后重新运行")
        return
    if svg != svg_path.read_text(encoding="utf-8"):
        diff = "\n".join(
            difflib.unified_diff(
                text_path.read_text(encoding="utf-8").splitlines(),
                text.splitlines(),
                "expected",
                "actual",
                lineterm="",
            )
        )
        (out / f"{name}.actual.svg").write_text(svg, encoding="utf-8")
        pytest.fail(
            f"screen differs from snapshot {svg_path.name} (actual: {out / name}.actual.svg):\n"
            f"{diff or '(same text, different styles)'}"
        )


@pytest.mark.parametrize(
    ("name", "size", "keys"),
    [
        ("books-80x24", (80, 24), []),
        ("books-120x30", (120, 30), []),
        ("book-80x24", (80, 24), ["enter"]),
        ("book-review-120x36", (120, 36), ["enter", "focus:periods.Q1.review.text"]),
        ("edit-dialog-80x24", (80, 24), ["enter", "focus:periods.Q1.fulfilment.sign.date", "enter"]),
    ],
)
def test_snapshot(db: Path, tmp_path: Path, name: str, size: tuple[int, int], keys: list[str]) -> None:
    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        table(app).move_to(book_id(app.store, "宋丽娜"))
        for key in keys:
            if key.startswith("focus:"):
                await focus_field(app, pilot, key.removeprefix("focus:"))
            else:
                await pilot.press(key)
            await pilot.pause()
        await settle(app, pilot)
        _freeze(app)
        await pilot.pause()
        assert_snapshot(app, name, tmp_path)

    run(flow, db, size=size, check=False)  # findings depend on the validator's wording: not snapshotted


def test_doubtful_fields_come_first_and_o_shows_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A book read from a PDF with a value the reader was not sure of: the book opens on the list of
    such fields; ``o`` cuts the value's place out of the page and hands it to the image viewer
    (here ``cp``, a real command, copying it where the test can look); Enter jumps to the field."""
    from cxzy_docs import api
    from tui.widgets import DoubtfulList

    rec = empty_record("member", 2010)
    for path, value in {
        "subject.name": "孙平成",
        "commitment.text": "认真学习党的理论。",
        "commitment.self_sign.name": "孙平成同志本人",  # more than a name: kept with low confidence
        "commitment.self_sign.date": "2010-02-06",
    }.items():
        set_field(rec, path, value)
    (pdf,) = api.generate([rec], tmp_path / "books", ("pdf",)).written
    (read,) = api.parse([pdf])[0].records
    db = tmp_path / "books.db"
    store = Store(db)
    store.add_records([read])
    store.close()
    shown = tmp_path / "shown"
    shown.mkdir()
    monkeypatch.setenv("CXZY_VIEWER", f"cp -t {shown}")

    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        screen = await open_book(app, pilot, "孙平成")
        doubtful = screen.query_one(DoubtfulList)
        assert doubtful.display and app.focused is doubtful
        assert doubtful.paths[0] == "commitment.self_sign.name"
        assert "识别不确定的栏目（" in screen_text(app) and "孙平成同志本人" in screen_text(app)
        await pilot.press("o")
        for _ in range(100):
            await settle(app, pilot)
            if list(shown.glob("*.png")):
                break
            await asyncio.sleep(0.1)
        (png,) = shown.glob("*.png")
        assert screen.crop_shown is not None and png.name == screen.crop_shown.name
        from PIL import Image

        with Image.open(png) as im:
            assert im.width > 100 and im.height > 50
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.focused, FieldView) and app.focused.leaf.path == "commitment.self_sign.name"

    run(flow, db, size=(120, 36))


def test_a_book_read_from_docx_shows_no_doubtful_list(db: Path) -> None:
    from tui.widgets import DoubtfulList

    async def flow(app: CxzyApp, pilot: Pilot[None]) -> None:
        screen = await open_book(app, pilot, "宋丽娜")
        assert not screen.query_one(DoubtfulList).display
        assert isinstance(app.focused, FieldView)
        await pilot.press("o")  # no place on a page: said, nothing breaks
        for _ in range(50):
            await settle(app, pilot)
            if any("没有记下它在原件哪一页" in str(n.message) for n in app._notifications):
                break
            await asyncio.sleep(0.1)
        assert any("没有记下它在原件哪一页" in str(n.message) for n in app._notifications)

    run(flow, db)
