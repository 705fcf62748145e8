"""The organization tree: all books, then each year, then each organization, with counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from textual.message import Message
from textual.widgets import Tree

Scope = tuple[int | None, str | None]  # (year, organization); None: any


class OrgTree(Tree[Scope]):
    """Choose the part of the store to look at; selecting a node narrows the books list."""

    @dataclass
    class ScopeChosen(Message):
        tree: OrgTree
        year: int | None
        organization: str | None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("全部写实簿", data=(None, None), id=id)
        self.show_root = True
        self.guide_depth = 2

    def show_groups(self, groups: dict[int | None, Counter[str]]) -> None:
        """Rebuild from books per organization per year (keeps which years were open)."""
        opened = {node.data[0] for node in self.root.children if node.is_expanded and node.data}
        self.clear()
        total = sum(sum(c.values()) for c in groups.values())
        self.root.set_label(f"全部写实簿（{total}）")
        for year in sorted(groups, key=lambda y: (y is None, -(y or 0))):
            orgs = groups[year]
            label = f"{year} 年度" if year is not None else "年度不详"
            node = self.root.add(
                f"{label}（{sum(orgs.values())}）",
                data=(year, None),
                expand=year in opened or len(groups) == 1,
            )
            for org in sorted(orgs):
                node.add_leaf(f"{org or '（无党组织）'}（{orgs[org]}）", data=(year, org))
        self.root.expand()

    def on_tree_node_selected(self, event: Tree.NodeSelected[Scope]) -> None:
        event.stop()
        year, org = event.node.data or (None, None)
        self.post_message(self.ScopeChosen(self, year, org))
