"""Someone else changed the book meanwhile: show both values and let the person decide."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from tui.widgets.field_view import value_text

Choice = Literal["overwrite", "edit", "discard"]


class ConflictDialog(ModalScreen[Choice]):
    """Nothing is lost silently: the person sees their value and the stored one, then chooses."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "edit", "返回编辑")]

    def __init__(self, label: str, mine: Any, theirs: Any, message: str) -> None:
        super().__init__(classes="dialog")
        self.label = label
        self.mine = mine
        self.theirs = theirs
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box", classes="conflict"):
            yield Label("修改冲突：此写实簿已被他人修改", id="dialog-title")
            yield Static(self.message, classes="conflict-message")
            with VerticalScroll(id="conflict-values"):
                yield Label(f"你的{self.label}：", classes="conflict-label")
                yield Static(value_text(self.mine), id="conflict-mine")
                yield Label(f"库中现在的{self.label}：", classes="conflict-label")
                yield Static(value_text(self.theirs), id="conflict-theirs")
            with Horizontal(id="dialog-buttons"):
                yield Button("用我的覆盖", id="overwrite", variant="error")
                yield Button("返回编辑", id="edit", variant="primary")
                yield Button("放弃我的修改", id="discard")

    def on_mount(self) -> None:
        self.query_one("#edit", Button).focus()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)  # type: ignore[arg-type]

    def action_edit(self) -> None:
        self.dismiss("edit")
