"""Findings kept per book and version: a book is validated again only after it changed."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

from cxzy_docs.api import Roster, Store, stored_roster
from cxzy_docs.model import Record
from tui import findings as adapter
from tui.findings import Finding

GroupKey = tuple[int | None, str | None]


class FindingsCache:
    """Findings by book id, valid for one version of the book; safe to fill from a worker thread."""

    def __init__(self, as_of: dt.date | None = None, store: Store | None = None) -> None:
        self.as_of = as_of  # the date books are checked as of (None: today, per book)
        self._store = store  # where the organization tree of each year comes from
        self._trees: dict[int | None, Roster | None] = {}
        self._data: dict[int, tuple[int, list[Finding]]] = {}
        self._lock = threading.Lock()
        self.validations = 0  # books validated so far (for tests and the status line)

    def get(self, book_id: int, version: int) -> list[Finding] | None:
        with self._lock:
            hit = self._data.get(book_id)
        return hit[1] if hit and hit[0] == version else None

    def put(self, book_id: int, version: int, found: list[Finding]) -> None:
        with self._lock:
            self._data[book_id] = (version, found)

    def check(
        self, items: list[tuple[int, int, Record]], focus: set[int] | None = None
    ) -> dict[int, list[Finding]]:
        """Validate books together (one group); store and return the findings of ``focus`` (default all)."""
        year = items[0][2].get("year") if items else None
        result = adapter.validate_books(
            [(book_id, rec) for book_id, _v, rec in items], self.as_of, self._tree(year)
        )
        out = {}
        for book_id, version, _rec in items:
            if focus is None or book_id in focus:
                self.put(book_id, version, result.get(book_id, []))
                out[book_id] = result.get(book_id, [])
        self.validations += len(out)
        return out

    def _tree(self, year: int | None) -> Roster | None:
        """The stored organization tree of ``year`` (its organizations: a book of an organization it does
        not know is a finding), read once per year."""
        if self._store is None or year is None:
            return None
        with self._lock:
            if year in self._trees:
                return self._trees[year]
        tree = stored_roster(self._store, year)
        found = Roster(organizations=tree.organizations, year=tree.year) if tree else None
        with self._lock:
            self._trees[year] = found
        return found

    def check_book(self, store: Store, book_id: int) -> tuple[int, list[Finding]]:
        """Validate one book, with the other books of its year and organization as context."""
        row = store.book(book_id)
        cached = self.get(book_id, row.version)
        if cached is not None:
            return row.version, cached
        subj = row.record.get("subject") or {}
        org = subj.get("organization") if row.record["kind"] == "member" else subj.get("name")
        group = (
            [
                (b.id, b.version, b.record)
                for b in store.books(year=row.record.get("year"), organization=org)
                if b.id != book_id
            ]
            if org
            else []
        )
        found = self.check([(row.id, row.version, row.record), *group], focus={book_id})
        return row.version, found[book_id]

    def check_store(
        self,
        store: Store,
        groups: dict[GroupKey, list[int]],
        on_group: Callable[[dict[int, list[Finding]]], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        """Validate the books of each (year, organization) group that are not cached yet.

        Records are read group by group, so memory holds one group at a time, never the store.
        """
        for (year, org), ids in groups.items():
            if cancelled():
                return
            wanted = set(ids)
            if org:
                rows = [b for b in store.books(year=year, organization=org) if b.id in wanted]
            else:  # no organization to group by: each book on its own
                rows = [store.book(i) for i in ids]
            todo = {b.id for b in rows if self.get(b.id, b.version) is None}
            if not todo:
                continue
            items = [(b.id, b.version, b.record) for b in rows]
            if org:
                found = self.check(items, focus=todo)
            else:
                found = {}
                for item in items:
                    if item[0] in todo:
                        found.update(self.check([item]))
            if on_group:
                on_group(found)
