"""Marking a book as checked (已核对), with an optional note; or taking the mark back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label


@dataclass(frozen=True)
class CheckMark:
    checked: bool
    note: str | None


class MarkCheckedDialog(ModalScreen[CheckMark | None]):
    """Enter marks the book checked with the note typed; Esc changes nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消")]

    def __init__(self, title: str, checked: bool, note: str | None) -> None:
        super().__init__(classes="dialog")
        self.book_title = title
        self.checked = checked
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label(f"标记为已核对：{self.book_title}", id="dialog-title")
            yield Label("备注（可不填）：")
            yield Input(self.note or "", id="note", placeholder="例如：已与支部书记核实第三季度点评")
            with Horizontal(id="dialog-buttons"):
                yield Button("已核对 Enter", id="mark", variant="success")
                if self.checked:
                    yield Button("取消已核对", id="unmark", variant="warning")
                yield Button("取消 Esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

    def _note(self) -> str | None:
        return self.query_one("#note", Input).value.strip() or None

    @on(Input.Submitted, "#note")
    @on(Button.Pressed, "#mark")
    def _mark(self) -> None:
        self.dismiss(CheckMark(True, self._note()))

    @on(Button.Pressed, "#unmark")
    def _unmark(self) -> None:
        self.dismiss(CheckMark(False, self._note()))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
