"""Editing one value: a text area for texts, a checked input for names, dates and counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, Label, TextArea

from cxzy_docs.forms import Leaf
from cxzy_docs.textnorm import UnreadableDate, normalize_name, normalize_text, parse_count, parse_date


@dataclass(frozen=True)
class Edited:
    """The value the person saved (None: the box was emptied)."""

    value: Any


class DateValidator(Validator):
    def validate(self, value: str) -> ValidationResult:
        try:
            parse_date(value)
        except UnreadableDate:
            return self.failure("无法识别的日期，例如 2010-03-28、2010年3月28日、二〇一〇年三月二十八日")
        return self.success()


class CountValidator(Validator):
    def validate(self, value: str) -> ValidationResult:
        try:
            parse_count(value)
        except ValueError:
            return self.failure("人数应为非负整数，例如 17 或 17人")
        return self.success()


def convert(kind: str, raw: str) -> Any:
    """The stored value of what was typed: ISO dates, integer counts, names without spaces."""
    if kind == "date":
        return parse_date(raw)
    if kind == "count":
        return parse_count(raw)
    if kind == "name":
        return normalize_name(raw)
    return normalize_text(raw)


def shown(value: Any) -> str:
    return "" if value is None else str(value)


class EditFieldDialog(ModalScreen[Edited | None]):
    """Change one field; Ctrl+S saves, Esc leaves it as it was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "保存", priority=True),
        Binding("escape", "cancel", "取消"),
    ]

    def __init__(self, leaf: Leaf, value: Any, *, long_text: bool) -> None:
        super().__init__(classes="dialog")
        self.leaf = leaf
        self.value = value
        self.long_text = long_text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label(f"编辑：{self.leaf.label}", id="dialog-title")
            if self.long_text:
                yield TextArea(
                    shown(self.value), id="editor", soft_wrap=True, show_line_numbers=False, language=None
                )
                yield Label("Ctrl+S 保存 · Esc 取消 · F7 全选", classes="dialog-hint")
            else:
                validators: list[Validator] = []
                placeholder = ""
                if self.leaf.value == "date":
                    validators, placeholder = (
                        [DateValidator()],
                        "如 2010-03-28 或 2010年3月28日；留空表示未填",
                    )
                elif self.leaf.value == "count":
                    validators, placeholder = [CountValidator()], "非负整数；留空表示未填"
                yield Input(
                    shown(self.value),
                    id="editor",
                    validators=validators,
                    placeholder=placeholder,
                    valid_empty=True,
                )
                yield Label("", id="edit-error")
            with Horizontal(id="dialog-buttons"):
                yield Button("保存 Ctrl+S", id="save", variant="primary")
                yield Button("取消 Esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#editor").focus()

    @on(Input.Changed, "#editor")
    def _show_validation(self, event: Input.Changed) -> None:
        result = event.validation_result
        message = "；".join(result.failure_descriptions) if result and not result.is_valid else ""
        self.query_one("#edit-error", Label).update(message)

    @on(Input.Submitted, "#editor")
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        editor = self.query_one("#editor")
        if isinstance(editor, TextArea):
            raw = editor.text
        else:
            assert isinstance(editor, Input)
            result = editor.validate(editor.value)
            if result is not None and not result.is_valid:
                self.query_one("#edit-error", Label).update("；".join(result.failure_descriptions))
                self.app.bell()
                return
            raw = editor.value
        self.dismiss(Edited(convert(self.leaf.value, raw)))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
