"""Asking where to write a file (the XLSX list, the corrected DOCX)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label


class SavePathDialog(ModalScreen[Path | None]):
    """Enter writes to the path shown (edit it first if needed); Esc writes nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消")]

    def __init__(self, title: str, default: Path, suffix: str) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.default = default
        self.suffix = suffix

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label(self.title_text, id="dialog-title")
            yield Label("保存到：")
            yield Input(str(self.default), id="path")
            yield Label("", id="path-error")
            with Horizontal(id="dialog-buttons"):
                yield Button("保存 Enter", id="ok", variant="primary")
                yield Button("取消 Esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self.query_one("#path-error", Label).update("请填写文件名")
            return
        path = Path(text).expanduser()
        if path.suffix.lower() != self.suffix:
            path = path.with_name(path.name + self.suffix)
        if not path.parent.is_dir():
            self.query_one("#path-error", Label).update(f"文件夹不存在：{path.parent}")
            return
        self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
