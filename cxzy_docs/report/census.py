"""Who should have a book, and what became of it: read, could not be read, or missing.

The denominators of an office's figures are people and organizations, not files. For every
organization of the scope this module counts

* the members who should have a book: those on the roster (花名册) in that organization, and the
  members whose book came in though the roster does not list them;
* of these, whose book was read, whose book exists but could not be read (未能读取: a file that
  failed, or a stored row that is not a sound record), and who has none (缺少);
* the organization's own book in the same three states.

A file that could not be read says nothing of whose book it is but its name (and its folders):
``2025_红旗村第一党支部_张伟.docx``. It is put to the roster member whose name it carries (the
organization's name deciding between namesakes), else to the organization whose name it carries,
else it stays unattributed: it is counted and listed, and the members still without a book are
then said to be *possibly* among such files — never silently missing, never counted twice.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from cxzy_docs.model import Record
from cxzy_docs.report.scope import Scope, record_organization
from cxzy_docs.textnorm import normalize_name

READ, UNREAD, MISSING = "read", "unread", "missing"
STATE_NAMES = {READ: "已读取", UNREAD: "未能读取", MISSING: "缺少"}


@dataclass(frozen=True)
class UnreadFile:
    """A book that exists but could not be read: its file and why (for the office's own lists)."""

    path: str
    reason: str = ""

    @property
    def name(self) -> str:
        """The file's name without its folders (what a document sent upwards may show)."""
        return PurePath(self.path.replace("\\", "/")).name or self.path


@dataclass(frozen=True)
class UnreadBook:
    """An unread file, and whose book it is taken to be (None where its name does not say)."""

    file: UnreadFile
    kind: (
        str | None
    )  # member / organization / copy (that book was read from another file) / None: not attributed
    name: str | None  # the member's or the organization's name
    organization: str | None  # the organization it belongs to (a member's branch)


@dataclass
class OrgCensus:
    """The books of one organization: its members' and its own."""

    name: str
    parent: str | None
    depth: int
    roster_members: int = 0  # members the roster lists here
    extra_members: int = 0  # members with a book here whom the roster does not list
    members_read: int = 0
    members_unread: int = 0
    own_book: str = MISSING  # READ / UNREAD / MISSING
    missing_members: list[str] = field(default_factory=list)
    unread_members: list[str] = field(default_factory=list)

    @property
    def members_expected(self) -> int:
        return self.roster_members + self.extra_members

    @property
    def members_missing(self) -> int:
        return self.members_expected - self.members_read - self.members_unread

    @property
    def books_expected(self) -> int:
        return self.members_expected + 1

    @property
    def books_read(self) -> int:
        return self.members_read + (self.own_book == READ)

    @property
    def books_unread(self) -> int:
        return self.members_unread + (self.own_book == UNREAD)

    @property
    def books_missing(self) -> int:
        return self.members_missing + (self.own_book == MISSING)


@dataclass(frozen=True)
class Census:
    """Every organization of the scope (root first) and the unread files, attributed or not."""

    organizations: tuple[OrgCensus, ...]
    unread: tuple[UnreadBook, ...]
    with_roster: bool  # False: no roster was given, the books themselves are the denominators

    def of(self, name: str) -> OrgCensus | None:
        return next((o for o in self.organizations if o.name == name), None)

    @property
    def unattributed(self) -> tuple[UnreadBook, ...]:
        return tuple(u for u in self.unread if u.kind is None)

    def total(self, attr: str) -> int:
        return sum(int(getattr(o, attr)) for o in self.organizations)


def _key(value: Any) -> str:
    return normalize_name(str(value)) or "" if value is not None else ""


def _member_key(rec: Record) -> tuple[str, str]:
    subj = rec.get("subject") or {}
    return _key(record_organization(rec)), _key(subj.get("name"))


_STORED_FROM = re.compile(r"导入自 (.+?)）")
_STORED_ID = re.compile(r"编号 (\d+) 的写实簿")


def unread_from_store(problem: str) -> UnreadFile:
    """A stored book that is not a sound record (one line of ``Store.problems``) as an unread file:
    the file it was imported from when the line names one."""
    found = _STORED_FROM.search(problem)
    if found:
        return UnreadFile(found.group(1), problem)
    number = _STORED_ID.search(problem)
    return UnreadFile(f"库存写实簿第{number.group(1)}号" if number else "库存写实簿", problem)


def unread_files(items: Iterable[Any]) -> list[UnreadFile]:
    """Unread files from what a caller has: :class:`UnreadFile`, failed ``FileOutcome``-like objects
    (``.path`` and ``.error``), ``(path, reason)`` pairs or plain paths."""
    out: list[UnreadFile] = []
    for item in items:
        if isinstance(item, UnreadFile):
            out.append(item)
        elif hasattr(item, "path"):
            out.append(UnreadFile(str(item.path), str(getattr(item, "error", "") or "")))
        elif isinstance(item, tuple) and len(item) == 2:
            out.append(UnreadFile(str(item[0]), str(item[1] or "")))
        else:
            out.append(UnreadFile(str(item)))
    return out


def _longest_in(text: str, names: Iterable[str]) -> list[str]:
    """The names that occur in ``text``, none of them part of a longer one that occurs too."""
    found = [n for n in names if n and n in text]
    return [n for n in found if not any(n != m and n in m for m in found)]


_FILLER = re.compile(
    r"[\W_\d]+|写实簿|创先争优|活动|年度|党员|党组织|扫描件?|副本|复印件|照片|已填|定稿|最终版?|修改稿?|年"
)


def _leftover(stem: str, org: str) -> str:
    """What a file's name says beside the organization, the year and common words: a person's name, or ""."""
    return _FILLER.sub("", stem.replace(org, " "))


class _Attribution:
    """Puts unread files to people and organizations, each person or book at most once."""

    def __init__(
        self, key_of: dict[str, OrgCensus], left: Counter[tuple[str, str]], have: set[tuple[str, str]]
    ) -> None:
        self.key_of = key_of
        self.left = left  # (org, name) -> roster people still without a book
        self.have = have  # (org, name) of members whose book was read
        self.org_keys = list(key_of)

    def place(self, file: UnreadFile) -> tuple[str | None, str | None, str | None]:
        """(kind, org key, name key): "member", "organization", "copy" (that book was read from another
        file) or None (the name says nothing certain)."""
        path = _key(file.path.replace("\\", "/"))
        stem = _key(PurePath(file.name).stem)
        orgs = _longest_in(stem, self.org_keys) or _longest_in(path, self.org_keys)
        people = [k for k, n in self.left.items() if n > 0 and k[1] in stem]
        if orgs:
            people = [k for k in people if k[0] in orgs] or ([] if len(orgs) == 1 else people)
        if len(set(people)) == 1:
            org, name = people[0]
            self.left[(org, name)] -= 1
            return "member", org, name
        if people:
            return None, orgs[0] if len(orgs) == 1 else None, None
        if len(orgs) != 1:
            return None, None, None
        org = orgs[0]
        rest = _leftover(stem, org)
        if not rest:
            return ("organization" if self.key_of[org].own_book == MISSING else "copy"), org, None
        if (org, rest) in self.have or any(k[0] == org and k[1] in stem for k in self.have):
            return "copy", org, rest
        return "member", org, rest  # a member the roster does not list (or no roster)


def take_census(
    scope: Scope,
    records: Sequence[Record],
    *,
    roster_members: Sequence[Mapping[str, Any]] | None = None,
    unread: Iterable[UnreadFile] = (),
) -> Census:
    """The census of ``scope``: ``records`` are its books (of the year), ``roster_members`` the
    roster's members (any organization: those of the scope are taken), ``unread`` the files that
    could not be read."""
    orgs = [OrgCensus(name, scope.parents.get(name), scope.depth(name)) for name in scope.organizations]
    key_of = {_key(o.name): o for o in orgs}

    # who should have a book: the roster, person by person (namesakes are several people)
    roster: Counter[tuple[str, str]] = Counter()
    shown: dict[tuple[str, str], str] = {}
    for m in roster_members or ():
        org, name = _key(m.get("organization")), _key(m.get("name"))
        if org in key_of and name:
            roster[(org, name)] += 1
            shown.setdefault((org, name), str(m.get("name")).strip())
    for (org, _name), n in roster.items():
        key_of[org].roster_members += n

    # the books read, against the roster
    books: Counter[tuple[str, str]] = Counter()
    for rec in records:
        org = _key(record_organization(rec))
        if org not in key_of:
            continue
        if rec.get("kind") == "organization":
            key_of[org].own_book = READ
        elif rec.get("kind") == "member":
            key = _member_key(rec)
            books[key] += 1
            shown.setdefault(key, str((rec.get("subject") or {}).get("name") or "（无名）").strip())
    for key, n in books.items():
        key_of[key[0]].members_read += n
        key_of[key[0]].extra_members += max(0, n - roster[key])

    # the files that could not be read, put to whoever their names point at
    left = Counter({k: n - min(n, books[k]) for k, n in roster.items()})
    places = _Attribution(key_of, left, set(books))
    out: list[UnreadBook] = []
    for file in unread:
        kind, where, who = places.place(file)
        home = key_of[where] if where is not None else None
        if kind == "member" and home is not None and where is not None and who:
            if (where, who) not in roster:  # a member's file the roster does not list
                home.extra_members += 1
            home.members_unread += 1
            person = shown.get((where, who), who)
            home.unread_members.append(person)
            out.append(UnreadBook(file, "member", person, home.name))
        elif kind == "organization" and home is not None:
            home.own_book = UNREAD
            out.append(UnreadBook(file, "organization", home.name, home.name))
        elif kind == "copy" and home is not None and where is not None:
            out.append(UnreadBook(file, "copy", shown.get((where, who or ""), who or home.name), home.name))
        else:
            out.append(UnreadBook(file, None, None, home.name if home else None))
    for (org_key, name), n in left.items():
        key_of[org_key].missing_members.extend([shown[(org_key, name)]] * n)
    return Census(tuple(orgs), tuple(out), with_roster=roster_members is not None)
