"""The Textual app: owns the service, the view state and the screens; handles what the screens post."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import get_current_worker

from cxzy_docs.api import Store
from cxzy_docs.errors import CxzyError
from tui.cache import GroupKey
from tui.findings import Finding
from tui.index import BookSummary
from tui.messages import BookChanged, BookClosed, CheckRequested, ExportRequested, ImportDone, OpenBook
from tui.screens import BookScreen, BooksScreen, HelpScreen, ImportScreen
from tui.service import BookService
from tui.state import ViewState

REFRESH_SECONDS = 0.4  # how often the list takes in findings arriving from the validator


class CxzyApp(App[None]):
    """写实簿核对: check record books before filing them.

    The app owns the service (store and findings), the shared view state and the screens. Screens
    call the service and post messages (``tui/messages.py``); the app handles them and bumps
    ``books_tick`` / ``findings_tick``, which the screens watch to refresh what they show.
    """

    CSS_PATH = "app.tcss"
    TITLE = "写实簿核对"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "帮助"),
        Binding("ctrl+p", "command_palette", "命令", priority=True),
        Binding("ctrl+q", "quit", "退出", priority=True, show=False),
    ]

    books_tick: reactive[int] = reactive(0, init=False)  # the index changed (loaded, edited)
    findings_tick: reactive[int] = reactive(0, init=False)  # findings arrived for some books
    status: reactive[str] = reactive("正在载入…", init=False)

    def __init__(
        self,
        store: Store,
        import_paths: Sequence[str | Path] = (),
        *,
        check: bool = True,
        as_of: dt.date | None = None,
    ) -> None:
        super().__init__()
        self.service = BookService(store, check=check, as_of=as_of)
        self.state = ViewState(check_enabled=check)
        self.import_paths = list(import_paths)
        self._dirty = False

    @property
    def store(self) -> Store:
        return self.service.store

    @property
    def index(self) -> Any:
        return self.state.index

    @property
    def cache(self) -> Any:
        return self.service.cache

    @property
    def loaded(self) -> bool:
        return self.state.loaded

    def books_list(self) -> BooksScreen:
        return BooksScreen(self.service, self.state)

    # ------------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        self.set_interval(REFRESH_SECONDS, self.flush_findings)
        if self.import_paths:
            self.push_screen(ImportScreen(self.service, self.import_paths))
        else:
            self.push_screen(self.books_list())
            self.load_books()

    def on_import_done(self, _message: ImportDone) -> None:
        self.switch_screen(self.books_list())
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
        self.call_from_thread(setattr, self, "status", "正在载入写实簿…")
        try:
            for batch in self.service.summaries():
                if worker.is_cancelled:
                    return
                self.call_from_thread(self._add_batch, batch)
        except CxzyError as exc:
            self.call_from_thread(self.notify, exc.message, title="无法载入", severity="error")
            return
        self.call_from_thread(self._loaded)

    def _add_batch(self, batch: list[BookSummary]) -> None:
        self.state.index.add(batch)
        self.status = f"正在载入写实簿… {len(self.state.index)}"
        self.books_tick += 1

    def _loaded(self) -> None:
        self.state.loaded = True
        self.books_tick += 1
        self.status = f"已载入 {len(self.state.index)} 本"
        if self.state.check_enabled:
            self.check_all()
        else:
            self.status = f"已载入 {len(self.state.index)} 本 · 未校验"

    # ---------------------------------------------------------------------------- findings

    def _groups(self, ids: Iterable[int] | None = None) -> dict[GroupKey, list[int]]:
        groups: dict[GroupKey, list[int]] = {}
        index = self.state.index
        books = index if ids is None else (b for i in ids if (b := index.get(i)))
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
        self.call_from_thread(setattr, self, "status", "正在校验…")
        try:
            self.service.check_groups(
                groups,
                on_group=lambda found: self.call_from_thread(self._findings_arrived, found),
                cancelled=lambda: worker.is_cancelled,
            )
        except Exception as exc:  # a validator bug must not take the app down; say what happened
            self.state.check_state = f"校验出错：{exc.__class__.__name__}: {exc}"
        else:
            self.state.check_state = "校验完成"
        self.call_from_thread(
            setattr, self, "status", f"已载入 {len(self.state.index)} 本 · {self.state.check_state}"
        )

    def _findings_arrived(self, found: dict[int, list[Finding]]) -> None:
        for book_id, items in found.items():
            summary = self.state.index.get(book_id)
            if summary is not None:
                summary.findings = len(items)
        self._dirty = True

    def flush_findings(self) -> None:
        """Show findings that arrived since the last tick (runs on a timer, so a flood redraws once)."""
        if self._dirty:
            self._dirty = False
            self.findings_tick += 1

    @work(thread=True, group="recheck")
    def recheck(self, book_id: int) -> None:
        """Validate one (edited) book again at once, with its group as context."""
        try:
            _version, found = self.service.check_book(book_id)
        except Exception as exc:
            self.call_from_thread(
                self.notify, f"{exc.__class__.__name__}: {exc}", title="校验出错", severity="error"
            )
            return
        self.call_from_thread(self._findings_arrived, {book_id: found})
        self.call_from_thread(self.flush_findings)

    # ---------------------------------------------------------------------------- messages

    def on_open_book(self, message: OpenBook) -> None:
        self.push_screen(BookScreen(message.book_id, self.service, self.state))

    def on_book_closed(self, message: BookClosed) -> None:
        screen = self.books_screen
        if screen is not None:
            screen.table.move_to(message.book_id)

    def on_book_changed(self, message: BookChanged) -> None:
        """A book was edited, undone or marked: its summary is read again, its findings recomputed."""
        summary = self.service.summary(message.book_id)
        self.state.index.add([summary])
        self.books_tick += 1
        if message.recheck and summary.findings is None and self.state.check_enabled:
            self.recheck(message.book_id)

    def on_check_requested(self, message: CheckRequested) -> None:
        if self.state.check_enabled:
            self.recheck(message.book_id)

    def on_export_requested(self, message: ExportRequested) -> None:
        if message.rows is not None:
            rows = list(message.rows)
            missing = self._groups(b.id for b in rows if self.service.findings(b.id, b.version) is None)
            self._export_list(message.path, rows, missing)
        elif message.record is not None:
            self._export_docx(message.path, message.record)

    @work(thread=True, group="export")
    def _export_list(self, path: Path, rows: list[BookSummary], missing: dict[GroupKey, list[int]]) -> None:
        try:
            self.service.export_list(path, rows, missing)
        except (OSError, CxzyError) as exc:
            self.call_from_thread(self._export_failed, path, exc)
            return
        self.call_from_thread(self._delivered, path, f"已导出 {len(rows)} 本到 {path}")

    def _export_docx(self, path: Path, record: Any) -> None:
        try:
            self.service.export_docx(path, record)
        except (OSError, CxzyError) as exc:
            self._export_failed(path, exc)
            return
        self._delivered(path, f"已写出 {path}")

    def _export_failed(self, path: Path, exc: OSError | CxzyError) -> None:
        message = exc.message if isinstance(exc, CxzyError) else f"{path}：{exc.strerror or exc}"
        self.notify(message, title="导出失败", severity="error")

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
            yield SystemCommand(
                "只看有问题的", "切换“有问题”筛选", lambda: screen.action_toggle_filter("findings")
            )
            yield SystemCommand(
                "只看未核对的", "切换“未核对”筛选", lambda: screen.action_toggle_filter("unchecked")
            )
            yield SystemCommand("组织树", "显示或隐藏按年度、党组织分组的树", screen.action_toggle_tree)
            yield SystemCommand("导出 XLSX", "把当前列表及问题导出为 XLSX", screen.action_export_xlsx)
            yield SystemCommand(
                "下一本有问题的", "在列表中跳到下一本有问题的写实簿", screen.action_next_with_findings
            )
        if isinstance(screen, BookScreen):
            yield SystemCommand("撤销", "撤销这本写实簿最近一次修改", screen.action_undo)
            yield SystemCommand("标记已核对", "标记为已核对（可填备注）", screen.action_mark_checked)
            yield SystemCommand(
                "下一本有问题的", "打开下一本有问题的写实簿", lambda: screen.action_next_with_findings(1)
            )
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
    with Store(db) as store:
        CxzyApp(store, paths, as_of=as_of).run()
