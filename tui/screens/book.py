"""The book screen: one book laid out like the form, its findings beside it, every value editable."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from cxzy_docs.api import BookRow, ConflictError
from cxzy_docs.errors import CxzyError
from cxzy_docs.forms import (
    KIND_NAMES,
    PERIOD_NAMES,
    Evaluation,
    FormSpec,
    GradeRow,
    Leaf,
    SignRow,
    TextBox,
    form_for,
    leaves,
)
from cxzy_docs.model import display_name, get_field
from cxzy_docs.textnorm import label_key, safe_filename_part, strip_spaces
from tui.dialogs import (
    CheckMark,
    ConflictDialog,
    Edited,
    EditFieldDialog,
    GradeDialog,
    MarkCheckedDialog,
    SavePathDialog,
)
from tui.findings import Finding, field_label, leaf_for
from tui.messages import BookChanged, BookClosed, CheckRequested, ExportRequested
from tui.service import BookService
from tui.state import ViewState
from tui.viewer import VIEWER_ENV, open_image
from tui.widgets import DoubtfulList, FieldView, FindingsList, field_id

GRADE_PATH = "annual.grade"


def _short(value: Any, n: int = 30) -> str:
    text = "（空）" if value is None else str(value).replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


def review_paths(form: FormSpec) -> set[str]:
    return {b.path for _s, b in form.blocks() if isinstance(b, TextBox) and b.path.endswith(".review.text")}


class BookScreen(Screen[None]):
    """Read, correct and check one book; go on to the next book with findings without going back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回"),
        Binding("u,ctrl+z", "undo", "撤销"),
        Binding("c", "mark_checked", "已核对"),
        Binding("g", "grade", "评定等次", show=False),  # once a year: in the help (F1), not the footer
        Binding("n", "next_with_findings(1)", "下一本有问题"),
        Binding("p", "next_with_findings(-1)", "上一本有问题", show=False),
        Binding("j", "focus_findings", "问题"),
        Binding("d", "export_docx", "导出"),
        Binding("o", "open_crop", "看原件", show=False),  # the field's place on the scanned page
    ]

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 (declared by Screen as a plain attribute)

    def __init__(self, book_id: int, service: BookService, state: ViewState) -> None:
        super().__init__(id="book-screen")
        self.service = service
        self.state = state
        self.book_id = book_id
        self.row: BookRow | None = None
        self.crop_shown: Path | None = None  # the last crop of a page shown to the person
        self.findings: list[Finding] | None = None
        self._built_kind: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="title-bar")
        with Horizontal(id="book-body"):
            yield VerticalScroll(id="form")
            yield FindingsList(id="findings")
        yield Footer(show_command_palette=False, compact=True)

    async def on_mount(self) -> None:
        await self.show_book(self.book_id)
        self.watch(self.app, "findings_tick", self._findings_arrived, init=False)

    def _findings_arrived(self) -> None:
        """Findings came in from the validator: show them if they are this version's."""
        if self.row is None:
            return
        found = self.service.findings(self.book_id, self.row.version)
        if found is not None and found != self.findings:
            self.findings = found
            self._fill()

    # ------------------------------------------------------------------------- building

    @property
    def record(self) -> dict[str, Any]:
        assert self.row is not None
        return self.row.record

    async def show_book(self, book_id: int) -> None:
        """Load a book from the store and lay it out (re-using the layout for a book of the same kind)."""
        self.book_id = book_id
        self.row = self.service.book(book_id)
        kind = self.record["kind"]
        form_box = self.query_one("#form", VerticalScroll)
        if self._built_kind != kind:
            await form_box.remove_children()
            await form_box.mount_all(self._layout(form_for(kind)))
            self._built_kind = kind
        self.findings = self.service.findings(book_id, self.row.version)
        self._fill()
        form_box.scroll_home(animate=False)
        doubtful = self.query_one(DoubtfulList)
        (doubtful if doubtful.paths else self.query(FieldView).first()).focus()
        if self.findings is None:
            self.post_message(CheckRequested(book_id))

    def _layout(self, form: FormSpec) -> list[Widget]:
        by_path = {leaf.path: leaf for leaf in leaves(form)}
        out: list[Widget] = [Static("", id="book-title", classes="book-title")]
        out.append(Static("基本情况", classes="section-title"))
        out.append(Static("", id="book-source", classes="book-source"))
        out.append(DoubtfulList(id="doubtful"))
        for row in form.header:
            out.append(
                Horizontal(*(FieldView(by_path[f.path], None, inline=True) for f in row), classes="field-row")
            )
        for f in form.cover_fields:
            if f.path not in {h.path for h in form.header_fields()}:
                out.append(FieldView(by_path[f.path], None, inline=True))
        for sec in form.sections:
            title = label_key(sec.label) + (f" · {PERIOD_NAMES[sec.period]}" if sec.period else "")
            out.append(Static(title, classes="section-title"))
            for block in sec.blocks:
                out.extend(self._block(block, by_path))
        return out

    def _block(self, block: Any, by_path: dict[str, Leaf]) -> list[Widget]:
        if isinstance(block, TextBox):
            return [FieldView(by_path[block.path], None, label=strip_spaces(block.label))]
        if isinstance(block, SignRow):
            return [
                Horizontal(
                    FieldView(by_path[f"{sign.path}.name"], None, inline=True, label=f"{sign.role}签字"),
                    FieldView(by_path[f"{sign.path}.date"], None, inline=True, label="日期"),
                    classes="field-row signs",
                )
                for sign in block.signs
            ]
        if isinstance(block, Evaluation):
            cells = [FieldView(by_path[c.path], None, inline=True, label=c.label) for c in block.columns]
            return [Static(label_key(block.label), classes="block-title"), Grid(*cells, classes="evaluation")]
        if isinstance(block, GradeRow):
            return [FieldView(by_path[block.path], None, inline=True, label=block.label)]
        return []

    def _fill(self) -> None:
        """Put the record's values, its findings and the review analysis into the laid-out views."""
        assert self.row is not None
        rec = self.record
        kind = rec["kind"]
        checked = (
            f"已核对{'（' + self.row.check_note + '）' if self.row.check_note else ''}"
            if self.row.checked
            else "未核对"
        )
        self.query_one("#title-bar", Static).update(
            f"{KIND_NAMES[kind]}写实簿 │ {display_name(rec)} │ 第 {self.row.version} 版 │ {checked}"
        )
        self.query_one("#book-title", Static).update(
            f"（{rec.get('year') or '    '} 年度）{form_for(kind).title}"
        )
        self.query_one("#book-source", Static).update(self._sources_text())
        by_field: dict[str, list[Finding]] = {}
        for f in self.findings or []:
            target = leaf_for(kind, f.field)
            if target:
                by_field.setdefault(target, []).append(f)
        reviews = review_paths(form_for(kind))
        for view in self.query(FieldView):
            path = view.leaf.path
            value = get_field(rec, path)
            if path == "annual.grade":
                view.display = value is not None
            elements = self.service.review_elements(value) if path in reviews else None
            view.show(value, by_field.get(path, []), elements)
        self.query_one(DoubtfulList).show_doubtful(
            self.service.doubtful(rec),
            lambda path: field_label(kind, path),
            lambda path: _short(get_field(rec, path)),
        )
        self.query_one(FindingsList).show_findings(kind, self.findings, self.state.pending_text())

    def _sources_text(self) -> str:
        """Where the book came from (every source, what it did) and the fields its sources disagree on."""
        assert self.row is not None
        names = {
            "new": "新建",
            "merged": "合并",
            "version": "新版本",
            "conflict": "有不一致",
            "as_new": "另建",
        }
        kinds = {"ledger": "点评台账", "records": "记录文件", "edit": "手工录入"}
        sources = self.service.sources(self.book_id)
        parts = [
            f"{s.source}（{kinds[s.kind] + '，' if s.kind in kinds else ''}{names.get(s.action, s.action)}）"
            for s in sources
        ]
        lines = [f"来源（{len(sources)}）：" + ("；".join(parts) if parts else "（无，手工录入）")]
        kind = self.record["kind"]
        for c in self.service.conflicts(self.book_id):
            said = " ≠ ".join(f"“{_short(v)}”（{s or '库中原值'}）" for v, s in c.values)
            state = "已选定" if c.settled else "待核对"
            lines.append(f"来源不一致（{state}）：{field_label(kind, c.field)}：{said}")
        return "\n".join(lines)

    def reload(self) -> None:
        self.row = self.service.book(self.book_id)
        self.findings = self.service.findings(self.book_id, self.row.version)
        self._fill()

    # -------------------------------------------------------------------------- editing

    def on_field_view_edit_requested(self, event: FieldView.EditRequested) -> None:
        self.edit_field(event.view.leaf, get_field(self.record, event.path))

    def edit_field(self, leaf: Leaf, initial: Any) -> None:
        long_text = leaf.value == "text" and leaf.path in {
            b.path for _s, b in form_for(self.record["kind"]).blocks() if isinstance(b, TextBox)
        }

        def done(result: Edited | None) -> None:
            if result is not None:
                self.save(leaf, result.value)

        self.app.push_screen(EditFieldDialog(leaf, initial, long_text=long_text), done)

    def save(self, leaf: Leaf, value: Any, *, expected_version: int | None = None) -> None:
        """Store one edit (checked against the version shown); a conflict is put to the person."""
        assert self.row is not None
        if expected_version is None and get_field(self.record, leaf.path) == value:
            self.app.notify("内容未改变，无需保存")
            return
        try:
            version = self.service.edit(
                self.book_id, leaf.path, value, expected_version=expected_version or self.row.version
            )
        except ConflictError as exc:
            self._conflict(leaf, value, exc)
            return
        except CxzyError as exc:
            self.app.notify(exc.message, title="无法保存", severity="error")
            return
        self.reload()
        self.post_message(BookChanged(self.book_id))
        self.app.notify(f"已保存：{leaf.label}（第 {version} 版），正在重新校验")
        self.focus_field(leaf.path)

    def _conflict(self, leaf: Leaf, mine: Any, exc: ConflictError) -> None:
        latest = self.service.book(self.book_id)
        theirs = get_field(latest.record, leaf.path)

        def chosen(choice: str | None) -> None:
            if choice == "overwrite":
                self.save(leaf, mine, expected_version=latest.version)
            elif choice == "discard":
                self.reload()
                self.post_message(BookChanged(self.book_id))
                self.app.notify("已放弃你的修改，显示的是库中最新内容")
            else:  # back to editing, on top of the latest version, with the person's text
                self.reload()
                self.post_message(BookChanged(self.book_id))
                self.edit_field(leaf, mine)

        self.app.push_screen(ConflictDialog(leaf.label, mine, theirs, exc.message), chosen)

    def action_undo(self) -> None:
        assert self.row is not None
        try:
            path = self.service.undo(self.book_id, expected_version=self.row.version)
        except ConflictError as exc:
            self.reload()
            self.post_message(BookChanged(self.book_id))
            self.app.notify(exc.message + "；已载入最新内容", title="无法撤销", severity="warning")
            return
        except CxzyError as exc:
            self.app.notify(exc.message, title="无法撤销", severity="error")
            return
        if path is None:
            self.app.notify("没有可撤销的修改")
            return
        self.reload()
        self.post_message(BookChanged(self.book_id))
        self.app.notify(f"已撤销：{field_label(self.record['kind'], path)}")
        self.focus_field(path)

    def action_mark_checked(self) -> None:
        assert self.row is not None

        def done(mark: CheckMark | None) -> None:
            if mark is None or self.row is None:
                return
            try:
                self.service.mark_checked(
                    self.book_id, mark.checked, mark.note, expected_version=self.row.version
                )
            except CxzyError as exc:
                self.reload()
                self.post_message(BookChanged(self.book_id))
                self.app.notify(exc.message, title="无法标记", severity="error")
                return
            self.reload()
            self.post_message(BookChanged(self.book_id, recheck=False))
            self.app.notify("已标记为已核对" if mark.checked else "已取消已核对")

        self.app.push_screen(
            MarkCheckedDialog(display_name(self.record), self.row.checked, self.row.check_note), done
        )

    def action_grade(self) -> None:
        """评议结果 for the 公示 (the forms have no box for it): chosen from the scale, saved as an edit."""
        assert self.row is not None
        leaf = next(x for x in leaves(form_for(self.record["kind"])) if x.path == GRADE_PATH)
        current = get_field(self.record, GRADE_PATH)

        def done(grade: str | None) -> None:
            if grade is None:
                return
            self.save(leaf, grade or None)

        self.app.push_screen(GradeDialog(display_name(self.record), current), done)

    # ------------------------------------------------------------------------ navigation

    def on_findings_list_jump(self, event: FindingsList.Jump) -> None:
        path = leaf_for(self.record["kind"], event.finding.field)
        if path is None or not self.focus_field(path):
            self.app.notify("这条问题针对整本写实簿，没有单独的栏目")

    def focus_field(self, path: str) -> bool:
        """Focus the view of a field path and scroll it to the top of the form; False if not shown."""
        try:
            view = self.query_one("#" + field_id(path), FieldView)
        except NoMatches:
            return False
        view.focus()
        self.query_one("#form", VerticalScroll).scroll_to_widget(view, animate=False, top=True)
        view.add_class("-flash")
        self.set_timer(1.0, lambda: view.remove_class("-flash"))
        return True

    def on_doubtful_list_jump(self, event: DoubtfulList.Jump) -> None:
        leaf = leaf_for(self.record["kind"], event.path)
        if leaf is None or not self.focus_field(leaf):
            self.app.notify("这一项在表格上没有单独的栏目")

    def on_doubtful_list_open_crop(self, event: DoubtfulList.OpenCrop) -> None:
        self.open_crop(event.path)

    def action_open_crop(self) -> None:
        """``o``: the part of the page the focused field (or the doubtful field chosen) was read from."""
        focused = self.focused
        if isinstance(focused, DoubtfulList):
            path = focused.highlighted_path()
        elif isinstance(focused, FieldView):
            path = focused.leaf.path
        else:
            path = None
        if path is not None:
            self.open_crop(path)

    def open_crop(self, path: str) -> None:
        """Cut the field's place out of the original page (in a thread: a scan's page is prepared
        again), then show it: in the browser when served, else with the system's image viewer."""
        self.app.notify(f"正在截取原件中“{field_label(self.record['kind'], path)}”所在的位置…")
        self.run_worker(partial(self._cut, self.book_id, path), thread=True, group="crop", exclusive=True)

    def _cut(self, book_id: int, path: str) -> None:
        try:
            png = self.service.crop(book_id, path)
        except CxzyError as exc:
            self.app.call_from_thread(self.app.notify, exc.message, title="无法显示原件", severity="warning")
            return
        self.app.call_from_thread(self._show_crop, png)

    def _show_crop(self, png: Path) -> None:
        self.crop_shown = png
        if self.app.is_web:
            self.app.deliver_binary(png, open_method="browser", mime_type="image/png")
            self.app.notify("原件截图已在浏览器中打开")
        elif open_image(png):
            self.app.notify(f"已打开原件截图：{png}")
        else:
            self.app.notify(f"原件截图已保存：{png}（本机没有看图程序，可用环境变量 {VIEWER_ENV} 指定）")

    def action_focus_findings(self) -> None:
        self.query_one(FindingsList).focus()

    async def action_next_with_findings(self, step: int) -> None:
        nxt = self.state.neighbour_with_findings(self.book_id, step)
        if nxt is None:
            self.app.notify("后面没有有问题的写实簿了" if step > 0 else "前面没有有问题的写实簿了")
            return
        await self.show_book(nxt)
        self.post_message(BookClosed(nxt))  # the list follows along

    def action_back(self) -> None:
        self.post_message(BookClosed(self.book_id))
        self.app.pop_screen()

    def action_export_docx(self) -> None:
        name = safe_filename_part(display_name(self.record).replace(" ", "-"))
        default = Path.cwd() / f"{name}-已核对.docx"

        def chosen(path: Path | None) -> None:
            if path is not None:
                assert self.row is not None
                self.post_message(ExportRequested(path, record=self.service.exportable(self.row)))

        self.app.push_screen(SavePathDialog("把改正后的写实簿写成 DOCX", default, ".docx"), chosen)
