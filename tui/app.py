"""The Textual app: holds the store, the books index and the findings cache; screens show them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import Screen
from textual.worker import get_current_worker

from cxzy_docs.errors import CxzyError
from cxzy_docs.model import Record
from cxzy_docs.store import Store
from tui import findings as adapter
from tui.cache import FindingsCache, GroupKey
from tui.export import write_docx, write_xlsx
from tui.findings import ElementView, FindingView
from tui.index import BookIndex, BookSummary, load_summaries, summarize
from tui.screens import BookScreen, BooksScreen, HelpScreen, ImportScreen

REFRESH_SECONDS = 0.4  # how often the list takes in findings arriving from the validator


class CxzyApp(App[None]):
    """写实簿核对: check record books before filing them."""

    CSS_PATH = "app.tcss"
    TITLE = "写实簿核对"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "帮助"),
        Binding("ctrl+p", "command_palette", "命令", priority=True),
        Binding("ctrl+q", "quit", "退出", priority=True, show=False),
    ]

    def __init__(self, store: Store, import_paths: Sequence[str | Path] = (), *, check: bool = True,
                 as_of: dt.date | None = None) -> None:
        super().__init__()
        self.store = store
        self.import_paths = list(import_paths)
        self.check_enabled = check
        self.index = BookIndex()
        self.cache = FindingsCache(as_of)
        self.loaded = False
        self.check_state = "待校验"
        self._dirty = False

    # ------------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        self.set_interval(REFRESH_SECONDS, self.flush_findings)
        if self.import_paths:
            self.push_screen(ImportScreen(self.import_paths))
        else:
            self.push_screen(BooksScreen())
            self.load_books()

    def imported(self) -> None:
        self.switch_screen(BooksScreen())
        self.load_books()

    @property
    def books_screen(self) -> BooksScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, BooksScreen):
                return screen
        return None

    @work(thread=True, exclusive=True, group="load")
    def load_books(self) -> None:
        """Read the store in a worker so the table stays responsive; books appear batch by batch."""
        worker = get_current_worker()
        self.call_from_thread(self._status, "正在载入写实簿…")
        try:
            for batch in load_summaries(self.store):
                if worker.is_cancelled:
                    return
                self.call_from_thread(self._add_batch, batch)
        except CxzyError as exc:
            self.call_from_thread(self.notify, exc.message, title="无法载入", severity="error")
            return
        self.call_from_thread(self._loaded)

    def _add_batch(self, batch: list[BookSummary]) -> None:
        for s in batch:
            s.findings = self._count(s)
        self.index.add(batch)
        self._status(f"正在载入写实簿… {len(self.index)}")
        screen = self.books_screen
        if screen is not None:
            screen.refresh_rows()

    def _loaded(self) -> None:
        self.loaded = True
        screen = self.books_screen
        if screen is not None:
            screen.refresh_rows()
            screen.refresh_tree()
        self._status(f"已载入 {len(self.index)} 本")
        if self.check_enabled:
            self.check_all()
        else:
            self._status(f"已载入 {len(self.index)} 本 · 未校验")

    def _status(self, text: str) -> None:
        screen = self.books_screen
        if screen is not None:
            screen.set_status(text)

    def _count(self, s: BookSummary) -> int | None:
        found = self.cache.get(s.id, s.version)
        return None if found is None else len(found)

    # ---------------------------------------------------------------------------- findings

    def _groups(self, ids: Iterable[int] | None = None) -> dict[GroupKey, list[int]]:
        groups: dict[GroupKey, list[int]] = {}
        books = self.index if ids is None else (b for i in ids if (b := self.index.get(i)))
        for b in books:
            if b.findings is None:
                groups.setdefault((b.year, b.organization), []).append(b.id)
        return groups

    def check_all(self) -> None:
        """Validate every book not validated yet, group by group, in the background."""
        self._check_groups(self._groups())

    @work(thread=True, exclusive=True, group="check")
    def _check_groups(self, groups: dict[GroupKey, list[int]]) -> None:
        worker = get_current_worker()
        self.call_from_thread(self._status, "正在校验…")
        try:
            self.cache.check_store(self.store, groups,
                                   on_group=lambda found: self.call_from_thread(self._findings_arrived, found),
                                   cancelled=lambda: worker.is_cancelled)
        except ImportError:
            self.check_state = "校验模块不可用"
        except Exception as exc:  # a validator bug must not take the app down; say what happened
            self.check_state = f"校验出错：{exc.__class__.__name__}: {exc}"
        else:
            self.check_state = "校验完成"
        self.call_from_thread(self._status, f"已载入 {len(self.index)} 本 · {self.check_state}")

    def _findings_arrived(self, found: dict[int, list[FindingView]], version: int | None = None) -> None:
        for book_id, items in found.items():
            summary = self.index.get(book_id)
            if summary is not None:
                summary.findings = len(items)
        self._dirty = True
        for screen in self.screen_stack:
            if isinstance(screen, BookScreen) and screen.row is not None and screen.book_id in found:
                screen.show_findings(screen.book_id, screen.row.version, found[screen.book_id])

    def flush_findings(self) -> None:
        """Show findings that arrived since the last tick in the books list (runs on a timer)."""
        if self._dirty:
            self._dirty = False
            screen = self.books_screen
            if screen is not None:
                screen.refresh_rows()

    def pending_text(self) -> str:
        """What to say where findings are not known yet."""
        if not self.check_enabled:
            return "未校验"
        return self.check_state if self.check_state.startswith(("校验模块", "校验出错")) else "正在校验…"

    def cached_findings(self, book_id: int, version: int) -> list[FindingView] | None:
        return self.cache.get(book_id, version)

    @work(thread=True, group="recheck")
    def recheck(self, book_id: int) -> None:
        """Validate one (edited) book again at once, with its group as context."""
        try:
            _version, found = self.cache.check_book(self.store, book_id)
        except ImportError:
            return
        except Exception as exc:
            self.call_from_thread(self.notify, f"{exc.__class__.__name__}: {exc}", title="校验出错",
                                  severity="error")
            return
        self.call_from_thread(self._findings_arrived, {book_id: found})

    def review_elements(self, text: Any) -> list[ElementView] | None:
        try:
            return adapter.review_elements(text if isinstance(text, str) else None)
        except ImportError:
            return None

    def book_changed(self, book_id: int, *, recheck: bool = True) -> None:
        """A book was edited, undone or marked: its summary is read again, its findings recomputed."""
        row = self.store.book(book_id)
        summary = summarize(row)
        summary.findings = self._count(summary)
        self.index.add([summary])
        screen = self.books_screen
        if screen is not None:
            screen.refresh_rows()
        if recheck and summary.findings is None:
            self.recheck(book_id)

    # ------------------------------------------------------------------------- navigation

    def open_book(self, book_id: int) -> None:
        self.push_screen(BookScreen(book_id))

    def visible_ids(self) -> list[int]:
        screen = self.books_screen
        rows = screen.table.rows if screen is not None else list(self.index)
        return [b.id for b in rows]

    def neighbour_with_findings(self, current: int | None, step: int = 1) -> int | None:
        """The next (or previous) book with findings in the list as shown, after ``current``."""
        ids = self.visible_ids()
        order = ids if step > 0 else ids[::-1]
        start = order.index(current) + 1 if current in order else 0
        for book_id in order[start:]:
            summary = self.index.get(book_id)
            if summary is not None and summary.findings:
                return book_id
        return None

    def note_current(self, book_id: int) -> None:
        screen = self.books_screen
        if screen is not None:
            screen.table.move_to(book_id)

    # ---------------------------------------------------------------------------- output

    def export_list(self, path: Path, rows: list[BookSummary]) -> None:
        """Write the list as shown, with every book's findings (validating those not done yet)."""
        missing = self._groups(b.id for b in rows if self.cache.get(b.id, b.version) is None)
        self._export_list(path, list(rows), missing)

    @work(thread=True, group="export")
    def _export_list(self, path: Path, rows: list[BookSummary], missing: dict[GroupKey, list[int]]) -> None:
        try:
            if missing and self.check_enabled:
                self.cache.check_store(self.store, missing)
            found = {b.id: got for b in rows if (got := self.cache.get(b.id, b.version)) is not None}
            write_xlsx(path, rows, found)
        except (OSError, CxzyError) as exc:
            message = exc.message if isinstance(exc, CxzyError) else f"{path}：{exc.strerror or exc}"
            self.call_from_thread(self.notify, message, title="导出失败", severity="error")
            return
        except ImportError:
            write_xlsx(path, rows, {})
        self.call_from_thread(self._delivered, path, f"已导出 {len(rows)} 本到 {path}")

    def export_docx(self, path: Path, record: Record) -> None:
        try:
            write_docx(path, record)
        except (OSError, CxzyError) as exc:
            message = exc.message if isinstance(exc, CxzyError) else f"{path}：{exc.strerror or exc}"
            self.notify(message, title="导出失败", severity="error")
            return
        self._delivered(path, f"已写出 {path}")

    def _delivered(self, path: Path, message: str) -> None:
        self.notify(message, title="导出完成")
        if self.is_web:  # served to a browser: hand the file over as a download too
            self.deliver_binary(path, save_filename=path.name)

    # ------------------------------------------------------------------------ help, palette

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(id="--command-palette", placeholder="搜索命令…"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        if isinstance(screen, BooksScreen):
            yield SystemCommand("筛选", "在姓名、党组织和正文中查找", screen.action_focus_filter)
            yield SystemCommand("只看有问题的", "切换“有问题”筛选", lambda: screen.action_toggle_filter("findings"))
            yield SystemCommand("只看未核对的", "切换“未核对”筛选", lambda: screen.action_toggle_filter("unchecked"))
            yield SystemCommand("组织树", "显示或隐藏按年度、党组织分组的树", screen.action_toggle_tree)
            yield SystemCommand("导出 XLSX", "把当前列表及问题导出为 XLSX", screen.action_export_xlsx)
            yield SystemCommand("下一本有问题的", "在列表中跳到下一本有问题的写实簿", screen.action_next_with_findings)
        if isinstance(screen, BookScreen):
            yield SystemCommand("撤销", "撤销这本写实簿最近一次修改", screen.action_undo)
            yield SystemCommand("标记已核对", "标记为已核对（可填备注）", screen.action_mark_checked)
            yield SystemCommand("下一本有问题的", "打开下一本有问题的写实簿",
                                lambda: screen.action_next_with_findings(1))
            yield SystemCommand("导出 DOCX", "把改正后的写实簿写成 DOCX", screen.action_export_docx)
            yield SystemCommand("返回列表", "回到写实簿列表", screen.action_back)
        yield SystemCommand("帮助", "按键说明", self.action_help)
        yield SystemCommand("切换深色/浅色", "切换配色", self._toggle_dark)
        yield SystemCommand("退出", "退出写实簿核对", self.exit)

    def _toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"


def run(db: str | Path | None = None, paths: Sequence[str | Path] = (), as_of: dt.date | None = None) -> None:
    """Open the store (importing ``paths`` first, if any) and run the app in this terminal; books
    are checked as of ``as_of`` (None: today, at most the end of each book's filing window)."""
    CxzyApp(Store(db), paths, as_of=as_of).run()
