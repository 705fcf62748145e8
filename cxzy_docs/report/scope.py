"""Which organizations and books a report covers: an organization and everything whose parent chain leads to it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cxzy_docs.model import Record


@dataclass(frozen=True)
class Scope:
    """The organizations under ``root`` (root first, then level by level) and their books."""

    root: str
    organizations: tuple[str, ...]
    parents: Mapping[str, str | None]
    records: tuple[Record, ...]

    def depth(self, name: str) -> int:
        """0 for the root, 1 for its children, ..."""
        depth, seen = 0, set()
        while name != self.root and name not in seen:
            seen.add(name)
            parent = self.parents.get(name)
            if parent is None:
                break
            name, depth = parent, depth + 1
        return depth


def record_organization(record: Record) -> str | None:
    """The organization a book belongs to: its own name (organization book) or the member's branch."""
    subj = record.get("subject") or {}
    name = subj.get("name") if record.get("kind") == "organization" else subj.get("organization")
    return str(name).strip() or None if name else None


def parent_map(
    records: Iterable[Record], roster_orgs: Iterable[Mapping[str, Any]] | None = None
) -> dict[str, str]:
    """Organization -> parent, from the organization books (``subject.parent``) and the roster."""
    parents: dict[str, str] = {}
    for org in roster_orgs or ():
        name, parent = (org.get("name") or "").strip(), (org.get("parent") or "").strip()
        if name and parent and name != parent:
            parents[name] = parent
    for rec in records:  # what a book says wins over the roster
        if rec.get("kind") != "organization":
            continue
        subj = rec.get("subject") or {}
        name, parent = (subj.get("name") or "").strip(), (subj.get("parent") or "").strip()
        if name and parent and name != parent:
            parents[name] = parent
    return parents


def select_scope(
    records: Sequence[Record], root: str, roster_orgs: Iterable[Mapping[str, Any]] | None = None
) -> Scope:
    """The organizations under ``root`` and the books of those organizations and of their members."""
    root = root.strip()
    parents = parent_map(records, roster_orgs)
    children: dict[str, list[str]] = {}
    known = list(dict.fromkeys([*parents, *(o for r in records if (o := record_organization(r)))]))
    for name in known:
        parent = parents.get(name)
        if parent is not None:
            children.setdefault(parent, []).append(name)
    order, seen, level = [root], {root}, [root]
    while level:  # breadth first; a cycle in the parent links stops at the first repeat
        nxt = []
        for name in level:
            for child in children.get(name, ()):
                if child not in seen:
                    seen.add(child)
                    order.append(child)
                    nxt.append(child)
        level = nxt
    covered = set(order)
    chosen = tuple(r for r in records if record_organization(r) in covered)
    return Scope(
        root=root,
        organizations=tuple(order),
        parents={name: parents.get(name) for name in order},
        records=chosen,
    )
