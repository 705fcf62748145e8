"""The fields of a book the reader was not sure of, least sure first: each with where it is on the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from cxzy_docs.api import Doubtful


class DoubtfulList(OptionList):
    """识别置信度低的栏目: Enter jumps to the field, ``o`` shows the part of the page it was read from."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("o", "open_crop", "看原件")]

    @dataclass
    class Jump(Message):
        doubtful_list: DoubtfulList
        path: str

    @dataclass
    class OpenCrop(Message):
        doubtful_list: DoubtfulList
        path: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.paths: list[str] = []

    def show_doubtful(self, items: list[Doubtful], label: Any, value: Any) -> None:
        """List ``items`` (``label(path)`` and ``value(path)`` name and show each field); hidden when empty."""
        self.clear_options()
        self.paths = [d.path for d in items]
        self.display = bool(items)
        self.border_title = f"识别不确定的栏目（{len(items)}）：请对照原件核对，o 看原件"
        for i, d in enumerate(items):
            line = Text()
            line.append(f"{label(d.path)}：", style="bold")
            line.append(f"“{value(d.path)}”")
            line.append(f" 置信度 {d.confidence:.2f}", style="bold yellow")
            line.append(f"（{d.where}）" if d.where else "", style="dim")
            if d.other_reading:
                line.append(f" 另一种读法：“{d.other_reading}”", style="dim")
            self.add_option(Option(line, id=f"doubtful-{i}"))
        if items:
            self.highlighted = 0

    def highlighted_path(self) -> str | None:
        i = self.highlighted
        return self.paths[i] if i is not None and 0 <= i < len(self.paths) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id and event.option_id.startswith("doubtful-"):
            self.post_message(self.Jump(self, self.paths[int(event.option_id.split("-", 1)[1])]))

    def action_open_crop(self) -> None:
        path = self.highlighted_path()
        if path is not None:
            self.post_message(self.OpenCrop(self, path))
