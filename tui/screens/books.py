"""The books screen: every book in a table, narrowed by a filter, two toggles and the organization tree."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, Static

from tui.dialogs import SavePathDialog
from tui.index import BookFilter, Counts
from tui.messages import ExportRequested, OpenBook
from tui.service import BookService
from tui.state import ViewState
from tui.widgets import BookTable, OrgTree

WIDE = 100  # from this width on, the organization tree shows beside the table


class BooksScreen(Screen[None]):
    """Filter, sort and open books; export what is shown."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "筛选"),
        Binding("f", "toggle_filter('findings')", "有问题"),
        Binding("u", "toggle_filter('unchecked')", "未核对"),
        Binding("t", "toggle_tree", "组织树"),
        Binding("x", "export_xlsx", "导出"),
        Binding("n", "next_with_findings", "下一本有问题", show=False),
        Binding("escape", "leave_filter", "返回列表", show=False),
    ]

    AUTO_FOCUS = "#books"

    def __init__(self, service: BookService, state: ViewState) -> None:
        super().__init__(id="books-screen")
        self.service = service
        self.state = state
        self.filter = BookFilter()

    def compose(self) -> ComposeResult:
        yield Static("写实簿核对", id="title-bar")
        with Horizontal(id="books-body"):
            yield OrgTree(id="org-tree")
            with Vertical(id="books-main"):
                with Horizontal(id="filter-bar"):
                    yield Input(placeholder="筛选：姓名、党组织或正文（/）", id="filter", compact=True)
                    yield Checkbox("有问题", id="only-findings", compact=True)
                    yield Checkbox("未核对", id="only-unchecked", compact=True)
                yield BookTable(id="books")
                yield Static("正在载入…", id="status")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one("#org-tree").display = self.app.size.width >= WIDE
        self.query_one(BookTable).focus()
        self._data_changed()  # what was loaded before this screen was mounted
        for name in ("books_tick", "findings_tick"):
            self.watch(self.app, name, self._data_changed, init=False)
        self.watch(self.app, "status", self.set_status)

    def _data_changed(self) -> None:
        self.refresh_rows()
        if self.state.loaded:
            self.refresh_tree()

    # ------------------------------------------------------------------------- showing

    @property
    def table(self) -> BookTable:
        return self.query_one(BookTable)

    def refresh_rows(self) -> None:
        """Apply the filter and the sort again (after typing, loading, findings or an edit)."""
        rows = self.state.index.select(self.filter)
        self.table.set_rows(rows)
        self.state.visible = [b.id for b in rows]
        self.show_counts(self.state.index.counts(rows))

    def refresh_tree(self) -> None:
        self.query_one(OrgTree).show_groups(self.state.index.groups())

    def show_counts(self, counts: Counts) -> None:
        parts = [
            f"共 {counts.total} 本",
            f"显示 {counts.shown}",
            f"有问题 {counts.with_findings}",
            f"未核对 {counts.unchecked}",
        ]
        if counts.pending:
            parts.append(f"待校验 {counts.pending}")
        scope = self._scope_label()
        self.query_one("#title-bar", Static).update(
            "写实簿核对 │ " + " · ".join(parts) + (f" │ {scope}" if scope else "")
        )

    def _scope_label(self) -> str:
        f = self.filter
        bits = [f"{f.year} 年度" if f.year is not None else "", f.organization or ""]
        return " ".join(b for b in bits if b)

    def set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    # ------------------------------------------------------------------------- events

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter.text = event.value
        self.refresh_rows()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    @on(Checkbox.Changed, "#only-findings")
    def _findings_toggled(self, event: Checkbox.Changed) -> None:
        self.filter.has_findings = event.value
        self.refresh_rows()

    @on(Checkbox.Changed, "#only-unchecked")
    def _unchecked_toggled(self, event: Checkbox.Changed) -> None:
        self.filter.unchecked = event.value
        self.refresh_rows()

    def on_org_tree_scope_chosen(self, event: OrgTree.ScopeChosen) -> None:
        self.filter.year, self.filter.organization = event.year, event.organization
        self.refresh_rows()

    def on_book_table_opened(self, event: BookTable.Opened) -> None:
        self.post_message(OpenBook(event.book_id))

    def on_resize(self) -> None:
        if self.app.size.width < WIDE and self.query_one("#org-tree").has_focus:
            self.table.focus()

    # ------------------------------------------------------------------------ actions

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_leave_filter(self) -> None:
        self.table.focus()

    def action_toggle_filter(self, which: str) -> None:
        box = self.query_one("#only-findings" if which == "findings" else "#only-unchecked", Checkbox)
        box.value = not box.value

    def action_toggle_tree(self) -> None:
        tree = self.query_one(OrgTree)
        tree.display = not tree.display
        if tree.display:
            tree.focus()
        else:
            self.table.focus()

    def action_next_with_findings(self) -> None:
        current = self.table.current_book
        nxt = self.state.neighbour_with_findings(current.id if current else None, 1)
        if nxt is None:
            self.app.notify("后面没有有问题的写实簿了")
        else:
            self.table.move_to(nxt)

    def action_export_xlsx(self) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
        default = Path.cwd() / f"写实簿核对清单-{stamp}.xlsx"

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.post_message(ExportRequested(path, rows=list(self.table.rows)))

        self.app.push_screen(
            SavePathDialog(f"导出当前列表（{len(self.table.rows)} 本）及问题为 XLSX", default, ".xlsx"),
            chosen,
        )
