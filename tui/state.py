"""What the screens share while a person works: the books index, the list as shown, the checking state."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.index import BookIndex


@dataclass
class ViewState:
    """Plain data the app keeps up to date and the screens read (the app watches nothing here)."""

    check_enabled: bool = True
    index: BookIndex = field(default_factory=BookIndex)
    visible: list[int] = field(default_factory=list)  # book ids in the order the list shows them
    check_state: str = "待校验"
    loaded: bool = False

    def pending_text(self) -> str:
        """What to say where findings are not known yet."""
        if not self.check_enabled:
            return "未校验"
        return self.check_state if self.check_state.startswith("校验出错") else "正在校验…"

    def neighbour_with_findings(self, current: int | None, step: int = 1) -> int | None:
        """The next (or previous) book with findings in the list as shown, after ``current``."""
        ids = self.visible or [b.id for b in self.index]
        order = ids if step > 0 else ids[::-1]
        start = order.index(current) + 1 if current in order else 0
        for book_id in order[start:]:
            summary = self.index.get(book_id)
            if summary is not None and summary.findings:
                return book_id
        return None
