"""Choosing a book's 评议结果 (星级先锋 grade) for the 公示: 先锋 ★, 合格 ☆, 基本合格 ○, 后进 △, or none."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from cxzy_docs.api import GRADES

CLEAR = ""  # the choice that removes the grade


class GradeDialog(ModalScreen[str | None]):
    """Enter (or 1-4, 0) picks a grade; Esc changes nothing. Dismissed with the grade, "" to clear, None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消"),
        *(Binding(str(i), f"pick({i})", show=False) for i in range(len(GRADES) + 1)),
    ]

    def __init__(self, title: str, current: str | None) -> None:
        super().__init__(classes="dialog")
        self.book_title = title
        self.current = current

    def compose(self) -> ComposeResult:
        options = [
            Option(f"{i}  {grade} {mark}", id=grade) for i, (grade, mark) in enumerate(GRADES, start=1)
        ]
        options.append(Option("0  不评定（清除等次）", id="-clear"))
        with Vertical(id="dialog-box"):
            yield Label(f"评定等次：{self.book_title}", id="dialog-title")
            yield Label(
                f"现在：{self.current or '未评定'}。写实簿的样式中没有这一栏，等次用于“星级先锋”公示。",
                classes="dialog-hint",
            )
            yield OptionList(*options, id="grades")

    def on_mount(self) -> None:
        grades = self.query_one("#grades", OptionList)
        names = [g for g, _ in GRADES]
        grades.highlighted = names.index(self.current) if self.current in names else 0
        grades.focus()

    @on(OptionList.OptionSelected, "#grades")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(CLEAR if event.option.id == "-clear" else event.option.id)

    def action_pick(self, number: int) -> None:
        self.dismiss(GRADES[number - 1][0] if number else CLEAR)

    def action_cancel(self) -> None:
        self.dismiss(None)
