"""The store: parsed books in SQLite (default) or any SQLAlchemy database, with an edit history.

Tables: ``files`` (one row per imported file, keyed by the SHA-256 of its bytes, so importing
the same file twice adds nothing), ``books`` (one row per record, the record as JSON plus the
columns lists are sorted and filtered by), ``history`` (every edit: field, old, new, when).
Each file is imported in one transaction: a file that fails, or an import killed half way,
leaves the store as it was before that file.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from cxzy_docs.errors import CxzyError
from cxzy_docs.model import Record, check_record, get_field, set_field

DEFAULT_DB = "cxzy.db"
BUSY_TIMEOUT_MS = 10_000  # a writer waits this long for another one to finish before giving up
DB_ENV = "CXZY_DB"

metadata = sa.MetaData()

files = sa.Table(
    "files", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("format", sa.String(20)),
    sa.Column("size", sa.Integer),
    sa.Column("imported_at", sa.String(32), nullable=False),
)

books = sa.Table(
    "books", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=True, index=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("year", sa.Integer, index=True),
    sa.Column("name", sa.Text, index=True),
    sa.Column("organization", sa.Text, index=True),
    sa.Column("record", sa.Text, nullable=False),
    sa.Column("checked", sa.Boolean, nullable=False, default=False),
    sa.Column("check_note", sa.Text),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    sa.Column("updated_at", sa.String(32), nullable=False),
)

history = sa.Table(
    "history", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("book_id", sa.Integer, sa.ForeignKey("books.id"), nullable=False, index=True),
    sa.Column("field", sa.Text, nullable=False),
    sa.Column("old", sa.Text),
    sa.Column("new", sa.Text),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("undone", sa.Boolean, nullable=False, default=False),
)


class StoreError(CxzyError):
    """The store could not be opened or written."""


class ConflictError(StoreError):
    """Someone else changed the book since it was loaded."""


def _now() -> str:
    return _dt.datetime.now().isoformat(timespec="seconds")


def default_url() -> str:
    """``$CXZY_DB`` (a path or an SQLAlchemy URL), else ``cxzy.db`` in the current folder."""
    return os.environ.get(DB_ENV) or DEFAULT_DB


def to_url(db: str | Path | None) -> str:
    text = str(db) if db else default_url()
    return text if "://" in text else f"sqlite:///{Path(text).expanduser()}"


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class BookRow:
    """One stored book: its id, record and review state."""

    id: int
    record: Record
    checked: bool
    check_note: str | None
    version: int
    source: str | None


class Store:
    """A store of books; ``Store(None)`` opens the default database."""

    def __init__(self, db: str | Path | None = None, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.url = to_url(db)
        self._busy_timeout_ms = busy_timeout_ms
        sqlite_path = self._sqlite_path()
        if sqlite_path is not None:
            try:
                sqlite_path.parent.mkdir(parents=True, exist_ok=True)
                if not sqlite_path.exists():
                    # personal data: readable by its owner only
                    fd = os.open(sqlite_path, os.O_CREAT | os.O_WRONLY, 0o600)
                    os.close(fd)
            except OSError as exc:
                raise StoreError(f"无法创建数据库文件（{exc.strerror}）", file=str(sqlite_path)) from None
        self.engine = sa.create_engine(self.url, future=True)
        if self.url.startswith("sqlite"):
            sa.event.listen(self.engine, "connect", lambda conn, _rec: _sqlite_pragmas(conn, busy_timeout_ms))
        try:
            metadata.create_all(self.engine)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"无法打开数据库：{exc.__class__.__name__}", file=self.url) from None

    def _sqlite_path(self) -> Path | None:
        prefix = "sqlite:///"
        if self.url.startswith(prefix) and ":memory:" not in self.url:
            return Path(self.url[len(prefix):])
        return None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _db(self, write: bool = False) -> Iterator[Any]:
        """A connection (in one transaction when ``write``); database errors become a Chinese StoreError."""
        try:
            with self.engine.begin() if write else self.engine.connect() as conn:
                yield conn
        except sa.exc.OperationalError as exc:
            text = str(exc.orig or exc).lower()
            if "locked" in text or "busy" in text:
                raise StoreError(f"数据库正被其他程序占用（等待 {self._busy_s():g} 秒仍未释放），请稍后再试",
                                 file=self.url) from None
            raise StoreError(f"数据库无法读写（{_short(exc)}）", file=self.url) from None
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"数据库错误（{_short(exc)}）", file=self.url) from None

    def _busy_s(self) -> float:
        return round(self._busy_timeout_ms / 1000, 1)

    # ------------------------------------------------------------------------------- import

    def has_file(self, sha: str) -> bool:
        with self._db() as conn:
            return conn.execute(sa.select(files.c.id).where(files.c.sha256 == sha)).first() is not None

    def add_file(self, path: str, sha: str, fmt: str, size: int, records: list[Record]) -> int:
        """Store one file and its records in one transaction; returns the number of books added.

        Returns 0 (and stores nothing) when a file with the same content is already there.
        """
        for i, rec in enumerate(records):
            check_record(rec, file=path, index=i if len(records) > 1 else None)
        with self._db(write=True) as conn:
            if conn.execute(sa.select(files.c.id).where(files.c.sha256 == sha)).first():
                return 0
            file_id = conn.execute(files.insert().values(
                sha256=sha, path=path, format=fmt, size=size, imported_at=_now())).inserted_primary_key[0]
            conn.execute(books.insert(), [self._book_values(rec, file_id) for rec in records])
        return len(records)

    def add_records(self, records: list[Record]) -> list[int]:
        """Store records that come from no file (JSON, the TUI); returns their ids."""
        ids = []
        with self._db(write=True) as conn:
            for rec in records:
                check_record(rec)
                ids.append(conn.execute(books.insert().values(**self._book_values(rec, None)))
                           .inserted_primary_key[0])
        return ids

    @staticmethod
    def _book_values(rec: Record, file_id: int | None) -> dict[str, Any]:
        subj = rec.get("subject") or {}
        org = subj.get("organization") if rec["kind"] == "member" else subj.get("name")
        return {"file_id": file_id, "kind": rec["kind"], "year": rec.get("year"), "name": subj.get("name"),
                "organization": org, "record": json.dumps(rec, ensure_ascii=False), "checked": False,
                "version": 1, "updated_at": _now()}

    # -------------------------------------------------------------------------------- query

    def books(self, *, year: int | None = None, organization: str | None = None) -> Iterator[BookRow]:
        """Stored books, optionally of one year and organization, in id order."""
        q = sa.select(books, files.c.path).select_from(books.outerjoin(files)).order_by(books.c.id)
        if year is not None:
            q = q.where(books.c.year == year)
        if organization is not None:
            q = q.where(books.c.organization == organization)
        with self._db() as conn:
            for row in conn.execute(q):
                yield self._row(row)

    def records(self, **kw: Any) -> list[Record]:
        return [b.record for b in self.books(**kw)]

    def book(self, book_id: int) -> BookRow:
        q = sa.select(books, files.c.path).select_from(books.outerjoin(files)).where(books.c.id == book_id)
        with self._db() as conn:
            row = conn.execute(q).first()
        if row is None:
            raise StoreError(f"没有编号为 {book_id} 的写实簿", file=self.url)
        return self._row(row)

    @staticmethod
    def _row(row: Any) -> BookRow:
        m = row._mapping
        rec = json.loads(m["record"])
        return BookRow(id=m["id"], record=rec, checked=bool(m["checked"]), check_note=m["check_note"],
                       version=m["version"], source=m["path"])

    def counts(self) -> dict[str, int]:
        with self._db() as conn:
            return {
                "files": conn.execute(sa.select(sa.func.count()).select_from(files)).scalar_one(),
                "books": conn.execute(sa.select(sa.func.count()).select_from(books)).scalar_one(),
            }

    # --------------------------------------------------------------------------------- edit

    def edit(self, book_id: int, path: str, value: Any, *, expected_version: int | None = None) -> int:
        """Change one field of a stored book, keep the change in the history; returns the new version.

        With ``expected_version``, a book changed by someone else meanwhile raises ConflictError.
        """
        with self._db(write=True) as conn:
            new_version, _ = self._edit_in(conn, book_id, path, value, expected_version)
        return new_version

    def _locked_row(self, conn: Any, book_id: int, expected_version: int | None, where: str | None) -> Any:
        """The book's row, checked against ``expected_version``."""
        row = conn.execute(sa.select(books).where(books.c.id == book_id)).first()
        if row is None:
            raise StoreError(f"没有编号为 {book_id} 的写实簿", file=self.url)
        m = row._mapping
        if expected_version is not None and m["version"] != expected_version:
            raise ConflictError(f"写实簿 {book_id} 已被他人修改（版本 {m['version']}，"
                                f"你载入的是 {expected_version}），请重新载入后再改", where=where)
        return m

    def _bump(self, conn: Any, m: Any, values: dict[str, Any], where: str | None) -> int:
        """Write ``values`` and the next version if the row is still at its version; the new version."""
        new_version = m["version"] + 1
        updated = conn.execute(books.update().where(books.c.id == m["id"]).where(books.c.version == m["version"])
                               .values(**{**values, "version": new_version, "updated_at": _now()}))
        if updated.rowcount != 1:
            raise ConflictError(f"写实簿 {m['id']} 已被他人修改，请重新载入后再改", where=where)
        return int(new_version)

    def _edit_in(self, conn: Any, book_id: int, path: str, value: Any,
                 expected_version: int | None) -> tuple[int, int]:
        """The edit inside an open transaction: (new version, id of the history row written)."""
        m = self._locked_row(conn, book_id, expected_version, path)
        rec = json.loads(m["record"])
        old = get_field(rec, path)
        set_field(rec, path, value)
        check_record(rec)
        values = self._book_values(rec, m["file_id"])
        values.pop("checked")
        values.pop("version")
        new_version = self._bump(conn, m, values, path)
        hist = conn.execute(history.insert().values(
            book_id=book_id, field=path, old=json.dumps(old, ensure_ascii=False),
            new=json.dumps(value, ensure_ascii=False), at=_now())).inserted_primary_key[0]
        return new_version, int(hist)

    def undo(self, book_id: int, *, expected_version: int | None = None) -> str | None:
        """Undo the latest not-yet-undone edit of a book, in one transaction; its field path, None if nothing.

        The undo is itself kept in the history (marked undone with the edit it reverts, so that a
        second undo goes further back). With ``expected_version``, a book changed by someone else
        meanwhile raises ConflictError and nothing changes.
        """
        with self._db(write=True) as conn:
            row = conn.execute(sa.select(history).where(history.c.book_id == book_id)
                               .where(history.c.undone.is_(False)).order_by(history.c.id.desc())).first()
            if row is None:
                self._locked_row(conn, book_id, expected_version, None)
                return None
            m = row._mapping
            _version, undo_id = self._edit_in(conn, book_id, m["field"], json.loads(m["old"]), expected_version)
            conn.execute(history.update().where(history.c.id.in_([m["id"], undo_id])).values(undone=True))
        return str(m["field"])

    def history(self, book_id: int | None = None) -> list[dict[str, Any]]:
        q = sa.select(history).order_by(history.c.id)
        if book_id is not None:
            q = q.where(history.c.book_id == book_id)
        with self._db() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def mark_checked(self, book_id: int, checked: bool = True, note: str | None = None, *,
                     expected_version: int | None = None) -> int:
        """Mark a book as checked (or not) with a note; a new version of the book, which it returns."""
        with self._db(write=True) as conn:
            m = self._locked_row(conn, book_id, expected_version, None)
            return self._bump(conn, m, {"checked": checked, "check_note": note}, None)


def _short(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return f"{type(orig or exc).__name__}: {orig or exc}"[:200]


def _sqlite_pragmas(dbapi_conn: Any, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")  # first: the pragmas below may wait too
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
