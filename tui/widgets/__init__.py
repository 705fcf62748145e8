"""Widgets of the TUI: the books table, the organization tree, field views, the doubtful fields and the findings list."""

from tui.widgets.book_table import BookTable
from tui.widgets.doubtful_list import DoubtfulList
from tui.widgets.field_view import FieldView, field_id
from tui.widgets.findings_list import FindingsList
from tui.widgets.org_tree import OrgTree

__all__ = ["BookTable", "DoubtfulList", "FieldView", "FindingsList", "OrgTree", "field_id"]
