"""Importing files before the books are shown: a progress bar and one line per file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, ProgressBar, RichLog, Static

from cxzy_docs.api import FileOutcome, ImportSummary
from tui.messages import ImportDone
from tui.service import BookService


class ImportScreen(Screen[None]):
    """Reads the given files into the store (each file on its own), then goes on to the books."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "done", "继续")]

    def __init__(self, service: BookService, paths: Sequence[str | Path]) -> None:
        super().__init__(id="import-screen")
        self.service = service
        self.paths = list(paths)
        self.summary: ImportSummary | None = None

    def compose(self) -> ComposeResult:
        yield Static("导入写实簿文件", id="title-bar")
        with Vertical(id="import-body"):
            yield Static("正在查找文件…", id="import-status")
            yield ProgressBar(id="import-progress", show_eta=False)
            yield RichLog(id="import-log", wrap=True, markup=False)
            yield Button("进入写实簿列表 Enter", id="import-done", variant="primary", disabled=True)
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.run_import()

    @work(thread=True, exclusive=True, group="import")
    def run_import(self) -> None:
        summary = self.service.import_files(
            self.paths,
            on_start=lambda n: self.app.call_from_thread(self._start, n),
            on_file=lambda o: self.app.call_from_thread(self._one, o),
        )
        self.app.call_from_thread(self._finish, summary)

    def _start(self, total: int) -> None:
        self.query_one(ProgressBar).update(total=max(total, 1), progress=0)
        self.query_one("#import-status", Static).update(f"共 {total} 个文件，正在导入…")

    def _one(self, outcome: FileOutcome) -> None:
        self.query_one(ProgressBar).advance(1)
        log = self.query_one(RichLog)
        if outcome.error:
            log.write(f"✗ {outcome.error}")
        elif outcome.skipped:
            log.write(f"– {outcome.path}：{outcome.skipped}")
        else:
            log.write(f"✓ {outcome.path}：{len(outcome.records)} 本")

    def _finish(self, summary: ImportSummary) -> None:
        self.summary = summary
        text = (
            f"导入完成：{summary.files} 个文件，新增 {summary.books} 本写实簿，"
            f"跳过 {len(summary.skipped)} 个，失败 {len(summary.failed)} 个。"
        )
        self.query_one("#import-status", Static).update(text)
        button = self.query_one("#import-done", Button)
        button.disabled = False
        button.focus()

    @on(Button.Pressed, "#import-done")
    def action_done(self) -> None:
        if self.summary is not None:
            self.post_message(ImportDone())
