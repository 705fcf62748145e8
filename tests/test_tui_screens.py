"""Screens on their own: a book screen in a bare app with an in-memory service, no store, no validator.

Screens call down into the service they are given and post messages up; nothing else of the app is
needed, which these tests show by driving the real BookScreen with a fake service.
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

from textual.app import App
from textual.reactive import reactive

from cxzy_docs.check import Finding
from cxzy_docs.forms import form_for, leaves
from cxzy_docs.model import empty_record, get_field, set_field
from cxzy_docs.store import BookRow, ConflictError
from tui.messages import BookChanged, BookClosed, CheckRequested
from tui.screens import BookScreen
from tui.state import ViewState


class FakeService:
    """Books in a dict; every call written down."""

    def __init__(self) -> None:
        rec = empty_record("member", 2025)
        set_field(rec, "subject.name", "宋丽娜")
        set_field(rec, "subject.organization", "靖宇镇卫生院党支部")
        self.rows = {
            7: BookRow(id=7, record=rec, checked=False, check_note=None, version=3, source="宋丽娜.docx")
        }
        self.known: dict[tuple[int, int], list[Finding]] = {}
        self.calls: list[tuple[Any, ...]] = []

    def book(self, book_id: int) -> BookRow:
        return copy.deepcopy(self.rows[book_id])

    def findings(self, book_id: int, version: int) -> list[Finding] | None:
        return self.known.get((book_id, version))

    def review_elements(self, _text: Any) -> None:
        return None

    def sources(self, book_id: int) -> list[Any]:
        from cxzy_docs.store import SourceInfo

        return [
            SourceInfo(id=1, source=self.rows[book_id].source or "", kind="file", action="new", added_at="")
        ]

    def conflicts(self, _book_id: int) -> list[Any]:
        return []

    def doubtful(self, _record: Any) -> list[Any]:
        return []

    def edit(self, book_id: int, path: str, value: Any, *, expected_version: int) -> int:
        self.calls.append(("edit", book_id, path, value, expected_version))
        row = self.rows[book_id]
        if row.version != expected_version:
            raise ConflictError("写实簿已被他人修改")
        set_field(row.record, path, value)
        row.version += 1
        return row.version

    def undo(self, book_id: int, *, expected_version: int | None = None) -> str | None:
        self.calls.append(("undo", book_id, expected_version))
        return None


class Host(App[None]):
    """The bare app: shows one book screen and keeps what it is told."""

    findings_tick: reactive[int] = reactive(0, init=False)  # what screens watch for new findings

    def __init__(self, service: FakeService) -> None:
        super().__init__()
        self.service = service
        self.posted: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(BookScreen(7, self.service, ViewState()))  # type: ignore[arg-type]

    def on_book_changed(self, message: BookChanged) -> None:
        self.posted.append(message)

    def on_check_requested(self, message: CheckRequested) -> None:
        self.posted.append(message)

    def on_book_closed(self, message: BookClosed) -> None:
        self.posted.append(message)


def _drive(service: FakeService, flow: Any) -> Host:
    app = Host(service)

    async def main() -> None:
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            await flow(app, pilot)
            await pilot.pause()

    asyncio.run(main())
    return app


def test_an_unchecked_book_asks_the_app_to_check_it_and_an_edit_says_the_book_changed() -> None:
    service = FakeService()

    async def flow(app: Host, pilot: Any) -> None:
        screen = app.screen
        assert isinstance(screen, BookScreen) and screen.row is not None and screen.row.version == 3
        leaf = next(leaf for leaf in leaves(form_for("member")) if leaf.path == "subject.gender")
        screen.save(leaf, "女")
        await pilot.pause()
        assert get_field(screen.record, "subject.gender") == "女" and screen.row.version == 4
        await pilot.press("u")
        await pilot.press("escape")

    app = _drive(service, flow)
    assert ("edit", 7, "subject.gender", "女", 3) in service.calls  # made on the version shown
    assert ("undo", 7, 4) in service.calls
    kinds = [type(m).__name__ for m in app.posted]
    assert kinds[0] == "CheckRequested" and "BookChanged" in kinds and kinds[-1] == "BookClosed"


def test_findings_that_arrive_later_are_shown_when_the_app_says_so() -> None:
    service = FakeService()

    async def flow(app: Host, pilot: Any) -> None:
        screen = app.screen
        assert isinstance(screen, BookScreen) and screen.findings is None
        service.known[(7, 3)] = [
            Finding(
                None, "member", "2025 宋丽娜", "subject.gender", "header.missing", "error", "性别：未填写"
            )
        ]
        app.findings_tick += 1
        await pilot.pause()
        assert screen.findings is not None and screen.findings[0].code == "header.missing"

    _drive(service, flow)
