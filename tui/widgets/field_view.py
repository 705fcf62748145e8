"""One value of a book, drawn the way the form has it: label, value, and what is wrong with it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static

from cxzy_docs.forms import Leaf
from tui.findings import ELEMENT_NAMES, ELEMENTS, Finding, ReviewElements

EMPTY = "（空）"


def field_id(path: str) -> str:
    """The widget id of a field path (``periods.Q3.review.text`` -> ``f-periods-Q3-review-text``)."""
    return "f-" + path.replace(".", "-")


def value_text(value: Any) -> str:
    return EMPTY if value in (None, "") else str(value)


class FieldView(Static, can_focus=True):
    """A labelled value; Enter (or a double click) asks to edit it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter,e", "edit", "编辑", show=True)]

    @dataclass
    class EditRequested(Message):
        view: FieldView
        path: str

    def __init__(self, leaf: Leaf, value: Any, *, inline: bool = False, label: str | None = None) -> None:
        super().__init__(id=field_id(leaf.path), classes="field " + ("inline" if inline else "block"))
        self.leaf = leaf
        self.value = value
        self.inline = inline
        self.shown_label = label or leaf.label
        self.findings: list[Finding] = []
        self.elements: ReviewElements | None = None

    def on_mount(self) -> None:
        self.show(self.value, self.findings, self.elements)

    def show(
        self, value: Any, findings: Sequence[Finding] = (), elements: ReviewElements | None = None
    ) -> None:
        self.value, self.findings, self.elements = value, list(findings), elements
        self.set_class(bool(self.findings), "-has-findings")
        self.set_class(value in (None, ""), "-empty")
        self.update(self._content())

    def _content(self) -> Text:
        out = Text()
        out.append(self.shown_label, style="bold")
        if self.findings:
            out.append(f" ⚠{len(self.findings)}", style="bold red")
        out.append("：" if self.inline else "\n")
        body_start = len(out)
        body = value_text(self.value)
        out.append(body, style="dim" if self.value in (None, "") else "")
        if self.elements is not None:
            for name in ELEMENTS:
                el = self.elements.element(name)
                # what states the element, or (undecided) the candidate a person should look at
                ev = el.evidence if el.found else (el.rejected if el.uncertain else None)
                if ev is not None and isinstance(self.value, str):
                    style = _ELEMENT_STYLES[name] + (" underline" if el.uncertain else "")
                    out.stylize(style, body_start + ev.start, body_start + ev.end)
            out.append("\n")
            for name in ELEMENTS:
                el = self.elements.element(name)
                if (
                    el.uncertain
                ):  # no verdict either way: its candidate phrase is marked, for a person to check
                    out.append(f" {ELEMENT_NAMES[name]}？待核对 ", style="bold black on bright_yellow")
                elif el.found:
                    out.append(f" {ELEMENT_NAMES[name]}✓ ", style=_ELEMENT_STYLES[name])
                else:
                    out.append(f" {ELEMENT_NAMES[name]}✗未写明 ", style="bold white on red")
                    if el.reason:
                        out.append(f"（{el.reason}）", style="italic")
                out.append(" ")
        return out

    def action_edit(self) -> None:
        self.post_message(self.EditRequested(self, self.leaf.path))

    def on_click(self, event: events.Click) -> None:
        if event.chain >= 2:
            self.action_edit()


# Phrases that state an element, marked in the review text; one colour per element.
_ELEMENT_STYLES = {
    "achievements": "black on green",
    "shortcomings": "black on yellow",
    "direction": "black on cyan",
}
