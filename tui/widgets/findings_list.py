"""The findings of one book as a list; choosing one jumps to its field."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.findings import Finding

_SEVERITY_STYLES = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}


class FindingsList(OptionList):
    """Findings of the open book, in form order; Enter or a click jumps to the field."""

    @dataclass
    class Jump(Message):
        findings_list: FindingsList
        finding: Finding

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.findings: list[Finding] = []

    def show_findings(self, kind: str, findings: list[Finding] | None, pending: str = "正在校验…") -> None:
        self.clear_options()
        self.findings = list(findings or [])
        if findings is None:
            self.border_title = f"问题（{pending}）"
            return
        self.border_title = f"问题（{len(self.findings)}）"
        if not self.findings:
            self.add_option(Option(Text("未发现问题", style="green"), disabled=True))
            return
        for i, f in enumerate(self.findings):
            line = Text()
            line.append(f"【{f.severity_name}】", style=_SEVERITY_STYLES.get(f.severity, "bold"))
            line.append(f.message)  # no space after the mark: Chinese lines wrap by character
            if f.evidence:
                line.append(f"（{f.evidence}）", style="dim")
            self.add_option(Option(line, id=f"finding-{i}"))
        self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id and event.option_id.startswith("finding-"):
            self.post_message(self.Jump(self, self.findings[int(event.option_id.split("-", 1)[1])]))
