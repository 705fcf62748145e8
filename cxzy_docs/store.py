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
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from cxzy_docs.errors import CxzyError, RecordError, os_reason
from cxzy_docs.model import Record, check_record, check_stored, get_field, set_field

SCHEMA_VERSION = 1  # the layout of the tables below; a store from a newer cxzy is refused
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


meta = sa.Table(
    "cxzy_meta", metadata,
    sa.Column("key", sa.String(40), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
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


def shown_url(url: str) -> str:
    """A database URL as it may be printed: the password masked (``postgresql://u:***@host/db``)."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy can read: show no more than its scheme
        return url.split("://", 1)[0] + "://…" if "://" in url else url


def sqlite_file(url: str) -> Path | None:
    """The database file of any SQLite URL form (``sqlite+pysqlite:///f.db?timeout=5`` too), or None
    for an in-memory database or another kind of database."""
    try:
        u = sa.engine.make_url(url)
    except Exception:
        return None
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:" \
            or u.query.get("mode") == "memory" or u.database.startswith("file:"):
        return None
    return Path(u.database)


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
        sqlite_path = sqlite_file(self.url)
        # what messages show: a SQLite database's file, another database's URL without its password
        self.display_url = str(sqlite_path) if sqlite_path is not None else shown_url(self.url)
        self.problems: list[str] = []  # stored books skipped while loading (not JSON, not a record)
        self._busy_timeout_ms = busy_timeout_ms
        if sqlite_path is not None:
            try:
                sqlite_path.parent.mkdir(parents=True, exist_ok=True)
                # personal data: readable by its owner only (the -wal/-shm files take these bits)
                fd = os.open(sqlite_path, os.O_CREAT | os.O_WRONLY, 0o600)
                os.close(fd)
            except OSError as exc:
                raise StoreError(f"无法创建数据库文件（{os_reason(exc)}）", file=str(sqlite_path)) from None
        try:
            self.engine = sa.create_engine(self.url, future=True)
        except ModuleNotFoundError as exc:
            raise StoreError(f"连接这种数据库需要安装驱动 {exc.name}（例如 PostgreSQL：pip install \"psycopg[binary]\"，"
                             "地址写作 postgresql+psycopg://…）", file=self.display_url) from None
        except (sa.exc.NoSuchModuleError, sa.exc.ArgumentError):
            raise StoreError("数据库地址无效或不支持", file=self.display_url) from None
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", lambda conn, _rec: _sqlite_pragmas(conn, busy_timeout_ms))
        self._create_schema()

    def _create_schema(self) -> None:
        """Create the tables if missing (safe when two processes do it at once) and check the version."""
        last: Exception | None = None
        for attempt in range(5):
            try:
                with self.engine.begin() as conn:
                    if self.engine.dialect.name == "postgresql":  # one creator at a time
                        conn.execute(sa.text("SELECT pg_advisory_xact_lock(7158093)"))
                    metadata.create_all(conn)
                    found = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
                    if found is None:
                        conn.execute(_insert_ignore(conn, meta, ["key"]).values(key="schema_version",
                                                                                value=str(SCHEMA_VERSION)))
                        found = str(SCHEMA_VERSION)
                break
            except sa.exc.SQLAlchemyError as exc:  # another process created a table between look and create
                last = exc
                if _is_locked(exc) and attempt < 4:
                    time.sleep(0.2 * (attempt + 1))
                    continue
                raced = any(w in str(exc).lower() for w in ("already exists", "duplicate", "unique"))
                if raced and isinstance(exc, sa.exc.IntegrityError | sa.exc.ProgrammingError | sa.exc.OperationalError):
                    time.sleep(0.1 * (attempt + 1))
                    continue
                raise StoreError(_open_error(exc), file=self.display_url) from None
            except ModuleNotFoundError as exc:
                raise StoreError(f"连接这种数据库需要安装驱动 {exc.name}", file=self.display_url) from None
        else:
            raise StoreError(_open_error(last), file=self.display_url)
        try:
            version = int(found)
        except ValueError:
            version = -1
        if version > SCHEMA_VERSION or version < 1:
            raise StoreError(f"数据库结构版本为 {found}，本程序只认识版本 {SCHEMA_VERSION}；"
                             "请升级 cxzy-docs，或换用新的数据库文件", file=self.display_url)

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
            if _is_locked(exc):
                raise StoreError(f"数据库正被其他程序占用（等待 {self._busy_s():g} 秒仍未释放），请稍后再试",
                                 file=self.display_url) from None
            raise StoreError(f"数据库无法读写（{_short(exc)}）", file=self.display_url) from None
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"数据库错误（{_short(exc)}）", file=self.display_url) from None

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
            # an insert that tolerates a concurrent winner: the first write of the transaction (so
            # SQLite waits for the lock rather than failing), and nothing when the content is there
            values = {"sha256": sha, "path": path, "format": fmt, "size": size, "imported_at": _now()}
            if conn.dialect.name in ("sqlite", "postgresql"):
                inserted = conn.execute(_insert_ignore(conn, files, ["sha256"]).values(**values)
                                        .returning(files.c.id)).first()
                if inserted is None:
                    return 0
                file_id = inserted[0]
            else:  # no portable ON CONFLICT: look, then insert (a lost race is a clear StoreError)
                if conn.execute(sa.select(files.c.id).where(files.c.sha256 == sha)).first():
                    return 0
                file_id = conn.execute(files.insert().values(**values)).inserted_primary_key[0]
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
            rows = conn.execute(q).all()
        for row in rows:
            try:
                yield self._row(row)
            except StoreError as exc:  # one bad row is one message, never a failed command
                self.problems.append(exc.message)

    def records(self, **kw: Any) -> list[Record]:
        return [b.record for b in self.books(**kw)]

    def book(self, book_id: int) -> BookRow:
        q = sa.select(books, files.c.path).select_from(books.outerjoin(files)).where(books.c.id == book_id)
        with self._db() as conn:
            row = conn.execute(q).first()
        if row is None:
            raise StoreError(f"没有编号为 {book_id} 的写实簿", file=self.display_url)
        return self._row(row)

    @staticmethod
    def _row(row: Any) -> BookRow:
        """A stored row as a BookRow; a row that is not JSON or not a sound record is a StoreError
        naming the book and its file (rows may have been written by anything with the database)."""
        m = row._mapping
        where = f"数据库中编号 {m['id']} 的写实簿" + (f"（导入自 {m['path']}）" if m["path"] else "")
        try:
            rec = json.loads(m["record"])
        except (TypeError, ValueError, RecursionError):
            raise StoreError("内容不是有效的 JSON，已跳过", where=where) from None
        try:
            check_stored(rec)
        except RecordError as exc:
            raise StoreError(f"{exc.detail}，已跳过", where=f"{where}{('，' + exc.where) if exc.where else ''}") from None
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
            raise StoreError(f"没有编号为 {book_id} 的写实簿", file=self.display_url)
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


def _insert_ignore(conn: Any, table: sa.Table, keys: list[str]) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL (a plain insert elsewhere)."""
    name = conn.dialect.name
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table).on_conflict_do_nothing(index_elements=keys)
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing(index_elements=keys)
    return table.insert()


def _is_locked(exc: Exception) -> bool:
    text = str(getattr(exc, "orig", None) or exc).lower()
    return isinstance(exc, sa.exc.OperationalError) and ("locked" in text or "busy" in text)


def _open_error(exc: Exception | None) -> str:
    if exc is None:
        return "无法打开数据库"
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "password" in text or "authentication" in text:
        return "无法登录数据库（用户名或密码不对）"
    if "could not connect" in text or "connection refused" in text or ("connection" in text and "failed" in text):
        return "无法连接数据库服务器（地址、端口是否正确，服务是否在运行？）"
    if "does not exist" in text and "database" in text:
        return "数据库不存在（请先建库）"
    if "unable to open" in text or "readonly" in text or "read-only" in text:
        return "无法打开数据库文件（没有权限，或文件夹不可写）"
    if "not a database" in text or "malformed" in text:
        return "这不是 cxzy 的数据库文件（或文件已损坏）"
    return "无法打开数据库（地址、权限或数据库服务有问题）"


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
