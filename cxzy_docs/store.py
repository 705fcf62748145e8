"""The store: books in SQLite (default) or PostgreSQL (any SQLAlchemy URL), one book per person and year.

Tables (created and upgraded by alembic, :mod:`cxzy_docs.migrations`):

- ``files``: one row per imported file, keyed by the SHA-256 of its bytes (the same file twice adds nothing);
- ``books``: one row per book (kind, year, organization, subject): the merged record as JSON, its review
  state and version, and a short list of its sources and open conflicts (what loading needs at once);
- ``book_keys``: the book's identity as each source gave it (name and organization keys, birth and
  joining month, position), what new material is matched against (:mod:`cxzy_docs.identity`);
- ``book_sources``: every file (or ledger, records file, hand entry) that gave material for a book, and
  what it did: 新建 / 合并 / 新版本 / 另建;
- ``field_values``: where sources disagree on a field, each source's value (settled once a person
  chooses by editing the field);
- ``history``: every change of a field (old, new, when, by what), grouped in changes: an import that
  corrects five fields is one change, undone in one step;
- ``roster_loads``, ``roster_members``, ``roster_orgs``: the organization tree (花名册) by year;
- ``cxzy_meta``: the schema version (an older cxzy refuses a newer store) and the store's own id.

Each file is stored in one transaction (savepoint): a file that fails, or an import killed half way,
leaves the store as it was before that file. Two importers at once are safe: files by ON CONFLICT DO
NOTHING, books by a lock on the name looked up (PostgreSQL advisory lock; SQLite takes its write lock
first), edits by the book's version.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from cxzy_docs.errors import CxzyError, RecordError, os_reason
from cxzy_docs.identity import (
    Choice,
    Identity,
    Merge,
    by_content,
    choose,
    identity_of,
    merge_into,
    same,
)
from cxzy_docs.model import Record, check_record, check_stored, display_name, get_field, set_field

SCHEMA_VERSION = 2  # the layout of the tables below; a store from a newer cxzy is refused
DEFAULT_DB = "cxzy.db"
BUSY_TIMEOUT_MS = 10_000  # a writer waits this long for another one to finish before giving up
DB_ENV = "CXZY_DB"
BACKUP_ENV = "CXZY_BACKUP_DIR"  # where a PostgreSQL store's dump goes before an upgrade (default: here)
_SCHEMA_LOCK = 7158093  # PostgreSQL advisory lock: one process creates or upgrades the schema at a time

metadata = sa.MetaData()

files = sa.Table(
    "files",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("format", sa.String(20)),
    sa.Column("size", sa.Integer),
    sa.Column("imported_at", sa.String(32), nullable=False),
)

books = sa.Table(
    "books",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=True, index=True),  # the first file
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("year", sa.Integer, index=True),
    sa.Column("name", sa.Text, index=True),
    sa.Column("organization", sa.Text, index=True),
    sa.Column("record", sa.Text, nullable=False),
    sa.Column("checked", sa.Boolean, nullable=False, default=False),
    sa.Column("check_note", sa.Text),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    sa.Column("updated_at", sa.String(32), nullable=False),
    sa.Column("sources", sa.Text),  # JSON: [{"source", "kind"}], as book_sources
    sa.Column("conflicts", sa.Text),  # JSON: the open conflicts, as field_values
)

history = sa.Table(
    "history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("book_id", sa.Integer, sa.ForeignKey("books.id"), nullable=False, index=True),
    sa.Column("field", sa.Text, nullable=False),
    sa.Column("old", sa.Text),
    sa.Column("new", sa.Text),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("undone", sa.Boolean, nullable=False, default=False),
    sa.Column("change", sa.Integer, index=True),  # rows of one change (an edit, an import) share it
    sa.Column("version", sa.Integer),  # the book's version the change made
    sa.Column("origin", sa.Text),  # 修改 / 撤销 / 导入 FILE（合并|新版本）
    sa.Column("settled", sa.Boolean, nullable=False, default=False),  # the edit chose between sources
)

meta = sa.Table(
    "cxzy_meta",
    metadata,
    sa.Column("key", sa.String(40), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

book_keys = sa.Table(
    "book_keys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("book_id", sa.Integer, sa.ForeignKey("books.id"), nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("year", sa.Integer),
    sa.Column("name_key", sa.Text),
    sa.Column("org_key", sa.Text),
    sa.Column("birth", sa.String(7)),
    sa.Column("joined", sa.String(7)),
    sa.Column("position", sa.Text),
    sa.Index("ix_book_keys_name", "kind", "name_key"),
)

book_sources = sa.Table(
    "book_sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("book_id", sa.Integer, sa.ForeignKey("books.id"), nullable=False, index=True),
    sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=True, index=True),
    sa.Column("source", sa.Text, nullable=False),  # the file as shown (with its part: 合订本.pdf#第3-8页)
    sa.Column("kind", sa.String(20), nullable=False),  # file / ledger / records / edit
    sa.Column("action", sa.String(20), nullable=False),  # new / merged / version / conflict / as_new
    sa.Column("record", sa.Text),  # what this source said (JSON)
    sa.Column("added_at", sa.String(32), nullable=False),
)

field_values = sa.Table(
    "field_values",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("book_id", sa.Integer, sa.ForeignKey("books.id"), nullable=False, index=True),
    sa.Column("field", sa.Text, nullable=False),
    sa.Column("value", sa.Text),  # JSON
    sa.Column("source_id", sa.Integer, sa.ForeignKey("book_sources.id"), nullable=True),
    sa.Column("source", sa.Text),  # the source as shown (None: the book's value before any source said)
    sa.Column("settled", sa.Boolean, nullable=False, default=False),
    sa.Column("added_at", sa.String(32), nullable=False),
)

roster_loads = sa.Table(
    "roster_loads",
    metadata,
    sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("source", sa.Text),
    sa.Column("sha256", sa.String(64)),
    sa.Column("loaded_at", sa.String(32), nullable=False),
)

ROSTER_MEMBER_COLUMNS = (
    "name",
    "gender",
    "ethnicity",
    "birth",
    "joined",
    "education",
    "position",
    "organization",
    "status",
    "left_on",
)
ROSTER_ORG_COLUMNS = ("name", "secretary", "member_count", "activist_count", "parent")

roster_members = sa.Table(
    "roster_members",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("year", sa.Integer, nullable=False, index=True),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    *(sa.Column(c, sa.Text) for c in ROSTER_MEMBER_COLUMNS[1:]),
)

roster_orgs = sa.Table(
    "roster_orgs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("year", sa.Integer, nullable=False, index=True),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("secretary", sa.Text),
    sa.Column("member_count", sa.Integer),
    sa.Column("activist_count", sa.Integer),
    sa.Column("parent", sa.Text),
)

ACTION_NAMES = {"new": "新建", "merged": "合并", "version": "新版本", "conflict": "冲突", "as_new": "另建"}


class StoreError(CxzyError):
    """The store could not be opened or written."""


class ConflictError(StoreError):
    """Someone else changed the book since it was loaded."""


class AmbiguousBook(StoreError):
    """Material that fits more than one stored book equally well: reported, never guessed."""


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
    if (
        u.get_backend_name() != "sqlite"
        or not u.database
        or u.database == ":memory:"
        or u.query.get("mode") == "memory"
        or u.database.startswith("file:")
    ):
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
    """One stored book: its id, record (with its ``sources`` and open ``conflicts``) and review state."""

    id: int
    record: Record
    checked: bool
    check_note: str | None
    version: int
    source: str | None  # the first file it was read from

    @property
    def sources(self) -> list[dict[str, Any]]:
        return list(self.record.get("sources") or [])

    @property
    def conflicts(self) -> list[dict[str, Any]]:
        return list(self.record.get("conflicts") or [])


@dataclass
class BookOutcome:
    """What storing one record did to the store: ``action`` is new / merged / version / conflict / as_new."""

    action: str
    book_id: int
    label: str  # the book in words: 2010 红旗村第一党支部 张伟
    source: str
    filled: list[str] = field(default_factory=list)  # fields the book lacked, now filled
    replaced: list[str] = field(default_factory=list)  # fields a correction changed
    conflicts: list[str] = field(default_factory=list)  # fields where this source disagrees
    confirmed: int = 0
    note: str | None = None
    kind: str = "member"
    year: int | None = None

    @property
    def action_name(self) -> str:
        return ACTION_NAMES.get(self.action, self.action)


@dataclass
class SourceInfo:
    """One source of a book, as the TUI and the export show it."""

    id: int
    source: str
    kind: str
    action: str
    added_at: str


@dataclass
class ConflictInfo:
    """A field the sources of a book disagree on: each source's value, and whether a person chose."""

    field: str
    values: list[tuple[Any, str | None]]  # (value, source shown; None: the book's value before)
    settled: bool


class Store:
    """A store of books; ``Store(None)`` opens the default database.

    ``upgrade``: bring an older store up to date on opening (a backup first: a copy of an SQLite
    file; ``pg_dump`` of a PostgreSQL database when it is installed, else a StoreError saying what to
    do). ``backup=False`` upgrades without one (``cxzy db upgrade --no-backup``). What was done is in
    :attr:`upgrade_note`.
    """

    def __init__(
        self,
        db: str | Path | None = None,
        *,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        upgrade: bool = True,
        backup: bool = True,
    ) -> None:
        self.url = to_url(db)
        sqlite_path = sqlite_file(self.url)
        # what messages show: a SQLite database's file, another database's URL without its password
        self.display_url = str(sqlite_path) if sqlite_path is not None else shown_url(self.url)
        self.problems: list[str] = []  # stored books skipped while loading (not JSON, not a record)
        self.upgrade_note: str | None = None
        self._busy_timeout_ms = busy_timeout_ms
        self._sqlite_path = sqlite_path
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
            raise StoreError(
                f'连接这种数据库需要安装驱动 {exc.name}（例如 PostgreSQL：pip install "psycopg[binary]"，'
                "地址写作 postgresql+psycopg://…）",
                file=self.display_url,
            ) from None
        except (sa.exc.NoSuchModuleError, sa.exc.ArgumentError):
            raise StoreError("数据库地址无效或不支持", file=self.display_url) from None
        if self.engine.dialect.name == "sqlite":
            _sqlite_transactions(self.engine, busy_timeout_ms)
        self._prepare_schema(upgrade, backup)

    # ------------------------------------------------------------------------------ schema

    def _schema_state(self, conn: Any) -> tuple[str, str | None]:
        """("head" | "empty" | "older" | "newer", the revision or version found)."""
        from cxzy_docs.migrations import HEAD, REVISION_OF_VERSION

        inspector = sa.inspect(conn)
        version = None
        if inspector.has_table("cxzy_meta"):
            version = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        if version is not None:
            try:
                number = int(version)
            except ValueError:
                number = -1
            if number > SCHEMA_VERSION or number < 1:
                return "newer", version
        if inspector.has_table("alembic_version"):
            rev = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
            if rev == HEAD:
                return "head", rev
            return ("older", rev) if rev in REVISION_OF_VERSION.values() else ("newer", rev)
        if not inspector.has_table("books"):
            return "empty", None
        return "older", REVISION_OF_VERSION[int(version or 1)]

    def _prepare_schema(self, upgrade: bool, backup: bool) -> None:
        """Create the tables of a new store, upgrade an older one (backup first), refuse a newer one.

        Safe when several processes open one new store at once: one creates, the others wait."""
        from cxzy_docs.migrations import HEAD

        last: Exception | None = None
        saved: str | None = None
        for attempt in range(6):
            try:
                with self._db(write=False, raw=True) as conn:
                    state, found = self._schema_state(conn)
                if state == "head":
                    self._ensure_meta()
                    return
                if state == "newer":
                    raise StoreError(
                        f"数据库结构版本为 {found}，本程序只认识版本 {SCHEMA_VERSION}；"
                        "请升级 cxzy-docs，或换用新的数据库文件",
                        file=self.display_url,
                    )
                if state == "older":
                    if not upgrade:
                        raise StoreError(
                            f"数据库是旧版本（{found}），需要升级：cxzy db upgrade --db …",
                            file=self.display_url,
                        )
                    saved = self._backup(found) if backup else None
                with self._db(write=True, raw=True) as conn:
                    if conn.dialect.name == "postgresql":  # one creator or upgrader at a time
                        conn.execute(sa.text(f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK})"))
                    state, found = self._schema_state(conn)  # again, inside the lock
                    if state == "head":
                        return
                    from cxzy_docs.migrations import upgrade as run_upgrade

                    stamp = (
                        found
                        if state == "older" and not sa.inspect(conn).has_table("alembic_version")
                        else None
                    )
                    run_upgrade(conn, stamp_first=stamp)
                if state == "older":
                    self.upgrade_note = (
                        f"数据库已从旧版本（{found}）升级到第 {SCHEMA_VERSION} 版（{HEAD}）"
                        + (f"；升级前的备份：{saved}" if saved else "；未备份（--no-backup）")
                    )
                return
            except StoreError:
                raise
            except sa.exc.SQLAlchemyError as exc:
                last = exc
                raced = any(w in str(exc).lower() for w in ("already exists", "duplicate", "unique"))
                if (_is_locked(exc) or raced) and attempt < 5:
                    time.sleep(0.2 * (attempt + 1))
                    continue
                raise StoreError(_open_error(exc), file=self.display_url) from None
            except ModuleNotFoundError as exc:
                raise StoreError(f"连接这种数据库需要安装驱动 {exc.name}", file=self.display_url) from None
        raise StoreError(_open_error(last), file=self.display_url)

    def _ensure_meta(self) -> None:
        """A store whose cxzy_meta rows were lost gets them back (taken as the version its tables are)."""
        with self._db() as conn:
            have = {r[0] for r in conn.execute(sa.select(meta.c.key))}
        if {"schema_version", "store_id"} <= have:
            return
        import uuid

        with self._db(write=True) as conn:
            for key, value in (("schema_version", str(SCHEMA_VERSION)), ("store_id", uuid.uuid4().hex)):
                if key not in have:
                    conn.execute(_insert_ignore(conn, meta, ["key"]).values(key=key, value=value))

    def _backup(self, found: str | None) -> str:
        """A copy of the store before it is upgraded; where it is. PostgreSQL: pg_dump, if installed."""
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        if self._sqlite_path is not None:
            target = self._sqlite_path.with_name(f"{self._sqlite_path.name}.backup-{found}-{stamp}")
            fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
            os.close(fd)
            try:
                src = sqlite3.connect(self._sqlite_path, timeout=self._busy_timeout_ms / 1000)
                dst = sqlite3.connect(target)
                with dst:
                    src.backup(dst)
                src.close()
                dst.close()
            except (sqlite3.Error, OSError) as exc:
                target.unlink(missing_ok=True)
                raise StoreError(f"升级前无法备份数据库（{exc}），未升级", file=self.display_url) from None
            return str(target)
        if self.engine.dialect.name == "postgresql":
            return self._pg_dump(found, stamp)
        raise StoreError(
            "这种数据库无法自动备份；请先自行备份，再运行 cxzy db upgrade --no-backup", file=self.display_url
        )

    def _pg_dump(self, found: str | None, stamp: str) -> str:
        exe = shutil.which("pg_dump") or next(
            iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"), reverse=True)), None
        )
        how = (
            "请先备份：pg_dump -Fc -f 备份.dump 数据库名（或用服务器的备份工具），"
            "再运行 cxzy db upgrade --db 地址 --no-backup"
        )
        if exe is None:
            raise StoreError(
                f"数据库需要从旧版本（{found}）升级，但本机没有 pg_dump，无法先备份。{how}",
                file=self.display_url,
            )
        u = sa.engine.make_url(self.url)
        folder = Path(os.environ.get(BACKUP_ENV) or ".")
        target = folder / f"cxzy-{u.database}-backup-{found}-{stamp}.dump"
        env = {**os.environ, "PGPASSWORD": u.password or ""}
        args = [
            str(exe),
            "-Fc",
            "-f",
            str(target),
            "-h",
            u.host or "localhost",
            "-p",
            str(u.port or 5432),
            "-U",
            u.username or "",
            "-d",
            u.database or "",
        ]
        try:
            done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=3600, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise StoreError(
                f"升级前备份失败（{exc.__class__.__name__}），未升级。{how}", file=self.display_url
            ) from None
        if done.returncode:
            target.unlink(missing_ok=True)
            raise StoreError(
                f"升级前备份失败（pg_dump：{done.stderr.strip()[:200]}），未升级。{how}",
                file=self.display_url,
            )
        os.chmod(target, 0o600)
        return str(target)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _db(self, write: bool = False, raw: bool = False) -> Iterator[Any]:
        """A connection in one transaction (on SQLite a write one takes the write lock at once);
        database errors become a Chinese StoreError (``raw``: left to the caller)."""
        try:
            with self.engine.connect() as conn:
                conn.info["cxzy_write"] = write
                try:
                    with conn.begin():
                        yield conn
                finally:
                    conn.info["cxzy_write"] = False
        except sa.exc.OperationalError as exc:
            if raw:
                raise
            if _is_locked(exc):
                raise StoreError(
                    f"数据库正被其他程序占用（等待 {self._busy_s():g} 秒仍未释放），请稍后再试",
                    file=self.display_url,
                ) from None
            raise StoreError(f"数据库无法读写（{_short(exc)}）", file=self.display_url) from None
        except sa.exc.SQLAlchemyError as exc:
            if raw:
                raise
            raise StoreError(f"数据库错误（{_short(exc)}）", file=self.display_url) from None

    def _busy_s(self) -> float:
        return round(self._busy_timeout_ms / 1000, 1)

    def store_id(self) -> str:
        with self._db() as conn:
            return str(conn.execute(sa.select(meta.c.value).where(meta.c.key == "store_id")).scalar() or "")

    # ------------------------------------------------------------------------------- import

    def has_file(self, sha: str) -> bool:
        with self._db() as conn:
            return conn.execute(sa.select(files.c.id).where(files.c.sha256 == sha)).first() is not None

    def file_hashes(self) -> set[str]:
        """The SHA-256 of every stored file (an import reads none of them again)."""
        with self._db() as conn:
            return {r[0] for r in conn.execute(sa.select(files.c.sha256))}

    def add_file(self, path: str, sha: str, fmt: str, size: int, records: list[Record], **kw: Any) -> int:
        """Store one file and its records in one transaction; the number of records stored (0 when a
        file with the same content is already there). See :meth:`store_file` for what each did."""
        done = self.store_file(path, sha, fmt, size, records, **kw)
        return 0 if done is None else len(done)

    def store_file(
        self,
        path: str,
        sha: str,
        fmt: str,
        size: int,
        records: list[Record],
        *,
        as_new: bool = False,
        corrected: bool = False,
        checked: bool = False,
        batch: Any = None,
    ) -> list[BookOutcome] | None:
        """Store one file and its records in one transaction (a savepoint of ``batch``): each record
        added to the book it belongs to, or a new book. None when the file's content is stored already.

        ``checked``: the records were checked against the schema already (in the reading worker).
        Raises :class:`AmbiguousBook` (nothing stored) when a record fits two books equally well.
        """
        for i, rec in enumerate(records):
            if checked:
                check_stored(rec, file=path)
            else:
                check_record(rec, file=path, index=i if len(records) > 1 else None)
        with self._write(batch) as conn:
            # an insert that tolerates a concurrent winner: nothing when the content is there
            values = {"sha256": sha, "path": path, "format": fmt, "size": size, "imported_at": _now()}
            if conn.dialect.name in ("sqlite", "postgresql"):
                inserted = conn.execute(
                    _insert_ignore(conn, files, ["sha256"]).values(**values).returning(files.c.id)
                ).first()
                if inserted is None:
                    return None
                file_id = inserted[0]
            else:  # no portable ON CONFLICT: look, then insert (a lost race is a clear StoreError)
                if conn.execute(sa.select(files.c.id).where(files.c.sha256 == sha)).first():
                    return None
                file_id = conn.execute(files.insert().values(**values)).inserted_primary_key[0]
            kind = "records" if fmt == "json" else "file"
            return self._store_records(conn, records, file_id, path, kind, as_new=as_new, corrected=corrected)

    def add_records(
        self, records: list[Record], *, as_new: bool = False, source: str | None = None, kind: str = "records"
    ) -> list[int]:
        """Store records that come from no file (the TUI, a program); the id of each one's book."""
        return [o.book_id for o in self.store_records(records, as_new=as_new, source=source, kind=kind)]

    def store_records(
        self,
        records: list[Record],
        *,
        as_new: bool = False,
        corrected: bool = False,
        source: str | None = None,
        kind: str = "records",
    ) -> list[BookOutcome]:
        for rec in records:
            check_record(rec)
        with self._write(None) as conn:
            return self._store_records(conn, records, None, source, kind, as_new=as_new, corrected=corrected)

    @contextmanager
    def _write(self, batch: Any) -> Iterator[Any]:
        """A write transaction of its own, or a savepoint in ``batch``'s."""
        if batch is None:
            with self._db(write=True) as conn:
                yield conn
            return
        try:
            with batch.conn.begin_nested():
                yield batch.conn
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"数据库错误（{_short(exc)}）", file=self.display_url) from None

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        """Files stored together in one transaction, each in a savepoint of its own (a file that fails
        leaves the rest); :meth:`Batch.commit_if_due` commits every few files so that no one waits long."""
        with self.engine.connect() as conn:
            conn.info["cxzy_write"] = True
            b = Batch(conn)
            try:
                b.begin()
                yield b
                b.commit()
            except BaseException:
                b.rollback()
                raise
            finally:
                conn.info["cxzy_write"] = False

    def _store_records(
        self,
        conn: Any,
        records: list[Record],
        file_id: int | None,
        path: str | None,
        kind: str,
        *,
        as_new: bool,
        corrected: bool,
    ) -> list[BookOutcome]:
        idents = [identity_of(rec) for rec in records]
        if conn.dialect.name == "postgresql":  # two importers never look up the same name at once
            for key in sorted({i.lock_key for i in idents}):
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_number(key)})
        out: list[BookOutcome] = []
        for rec, ident in zip(records, idents, strict=True):
            shown = str(path or rec.get("source") or "")
            rec_kind = "ledger" if rec.get("format") == "ledger" else kind
            # a ledger's records are different people (its namesakes told apart by their rows)
            taken = (
                {o.book_id for o, r in zip(out, records, strict=False) if r.get("format") == "ledger"}
                if rec.get("format") == "ledger"
                else set()
            )
            out.append(
                self._store_one(
                    conn,
                    rec,
                    ident,
                    file_id,
                    shown or "（手工录入）",
                    rec_kind,
                    as_new=as_new,
                    corrected=corrected,
                    taken=taken,
                )
            )
        return out

    def _candidates(self, conn: Any, ident: Identity) -> dict[int, list[Identity]]:
        rows = conn.execute(
            sa.select(book_keys)
            .where(book_keys.c.kind == ident.kind)
            .where(book_keys.c.name_key == ident.name)
        ).all()
        out: dict[int, list[Identity]] = {}
        for r in rows:
            m = r._mapping
            out.setdefault(m["book_id"], []).append(
                Identity(
                    m["kind"], m["year"], m["name_key"], m["org_key"], m["birth"], m["joined"], m["position"]
                )
            )
        return out

    def _store_one(
        self,
        conn: Any,
        rec: Record,
        ident: Identity,
        file_id: int | None,
        source: str,
        kind: str,
        *,
        as_new: bool,
        corrected: bool,
        taken: set[int] | None = None,
    ) -> BookOutcome:
        candidates = self._candidates(conn, ident) if ident.name else {}
        for book_id in taken or ():
            candidates.pop(book_id, None)
        exported = rec.get("exported_from") if isinstance(rec.get("exported_from"), dict) else None
        target = self._exported_book(conn, exported) if exported and not as_new else None
        choice = choose(ident, candidates)
        if target is None and not as_new:
            if choice.ambiguous:  # namesakes alike: the content may tell which one (a ledger's rows)
                rows = conn.execute(
                    sa.select(books.c.id, books.c.record).where(books.c.id.in_(choice.ambiguous))
                ).all()
                told = by_content(rec, {int(i): json.loads(text) for i, text in rows})
                if told is not None:
                    choice = Choice(told)
            if choice.ambiguous:
                raise AmbiguousBook(self._ambiguous_message(conn, rec, choice.ambiguous), file=source)
            target = choice.book
        if target is not None:
            since = exported.get("version") if exported and target == exported.get("book") else None
            return self._merge(
                conn,
                target,
                rec,
                ident,
                file_id,
                source,
                kind,
                corrected=corrected or since is not None,
                since=since,
            )
        note = None
        action = "new"
        matched = ([choice.book] if choice.book else []) + choice.ambiguous
        if as_new and matched:
            action = "as_new"
            note = (
                f"库中已有同一人同一年度的写实簿（编号 {'、'.join(map(str, matched))}），按 --as-new 另建一本"
            )
        book_id = self._insert_book(conn, rec, ident, file_id, source, kind, action)
        return BookOutcome(
            action, book_id, display_name(rec), source, note=note, kind=rec["kind"], year=rec.get("year")
        )

    def _ambiguous_message(self, conn: Any, rec: Record, ids: list[int]) -> str:
        rows = conn.execute(sa.select(books.c.id, books.c.record).where(books.c.id.in_(ids))).all()
        shown = []
        for book_id, text in rows:
            subj = json.loads(text).get("subject") or {}
            hints = "，".join(
                f"{w}{subj[k]}"
                for k, w in (("birth", "出生"), ("joined", "入党"), ("position", ""))
                if subj.get(k)
            )
            shown.append(f"编号 {book_id}（{hints or '表头无可区分信息'}）")
        return (
            f"{display_name(rec)}：与库中 {len(ids)} 本写实簿同样相符（{'；'.join(shown)}），无法确定是哪一本，"
            "未导入；请在表头补上出生年月或入党时间后再导入，确属另一本时用 --as-new"
        )

    def _exported_book(self, conn: Any, exported: dict[str, Any]) -> int | None:
        """The book a copy exported from this very store names (its store id matches), if still there."""
        book = exported.get("book")
        if not isinstance(book, int) or exported.get("store") != self._store_id(conn):
            return None
        return book if conn.execute(sa.select(books.c.id).where(books.c.id == book)).first() else None

    def _store_id(self, conn: Any) -> str:
        return str(conn.execute(sa.select(meta.c.value).where(meta.c.key == "store_id")).scalar() or "")

    def _insert_book(
        self,
        conn: Any,
        rec: Record,
        ident: Identity,
        file_id: int | None,
        source: str,
        kind: str,
        action: str,
    ) -> int:
        clean = _clean(rec)
        sources = [{"source": source, "kind": kind}]
        values = {
            **_book_columns(clean),
            "file_id": file_id,
            "checked": False,
            "version": 1,
            "updated_at": _now(),
            "sources": json.dumps(sources, ensure_ascii=False),
            "conflicts": None,
        }
        book_id = int(conn.execute(books.insert().values(**values)).inserted_primary_key[0])
        self._add_key(conn, book_id, ident)
        conn.execute(
            book_sources.insert().values(
                book_id=book_id,
                file_id=file_id,
                source=source,
                kind=kind,
                action=action,
                record=None,
                added_at=_now(),
            )
        )
        return book_id

    @staticmethod
    def _add_key(conn: Any, book_id: int, ident: Identity) -> None:
        conn.execute(
            book_keys.insert().values(
                book_id=book_id,
                kind=ident.kind,
                year=ident.year,
                name_key=ident.name,
                org_key=ident.org,
                birth=ident.birth,
                joined=ident.joined,
                position=ident.position,
            )
        )

    def _merge(
        self,
        conn: Any,
        book_id: int,
        rec: Record,
        ident: Identity,
        file_id: int | None,
        source: str,
        kind: str,
        *,
        corrected: bool,
        since: int | None,
    ) -> BookOutcome:
        """Add ``rec`` to book ``book_id``: fill, confirm, replace (a correction) or keep both (a conflict)."""
        m = conn.execute(sa.select(books).where(books.c.id == book_id).with_for_update()).first()._mapping
        current = json.loads(m["record"])
        protected: set[str] = set()
        if since is not None:  # a copy exported at version ``since``: what changed here since then stays
            protected = {
                r[0]
                for r in conn.execute(
                    sa.select(history.c.field)
                    .where(history.c.book_id == book_id)
                    .where(history.c.version > since)
                    .where(history.c.undone.is_(False))
                )
            }
        merged: Merge = merge_into(current, rec, corrected=corrected, protected=protected)
        action = "version" if merged.replaced else ("conflict" if merged.conflicts else "merged")
        src_id = int(
            conn.execute(
                book_sources.insert().values(
                    book_id=book_id,
                    file_id=file_id,
                    source=source,
                    kind=kind,
                    action=action,
                    record=json.dumps(_clean(rec), ensure_ascii=False),
                    added_at=_now(),
                )
            ).inserted_primary_key[0]
        )
        if merged.conflicts:
            self._add_conflicts(conn, book_id, merged, src_id, source)
        self._add_key(conn, book_id, ident)
        sources = [*json.loads(m["sources"] or "[]"), {"source": source, "kind": kind}]
        values: dict[str, Any] = {
            "sources": json.dumps(sources, ensure_ascii=False),
            "conflicts": self._open_conflicts_json(conn, book_id),
        }
        if merged.changes:
            values.update(_book_columns(current))
            values["checked"] = False  # new content: to be checked again
        new_version = self._bump(conn, m, values, None)
        if merged.changes:
            verb = "新版本" if merged.replaced else "合并"
            origin = f"导入 {source}（{verb}）"
            change = None
            for path, old, new in merged.changes:
                hid = self._history_row(conn, book_id, path, old, new, new_version, origin, change)
                change = change or hid
        return BookOutcome(
            action,
            book_id,
            display_name(current),
            source,
            filled=[p for p, _o, _n in merged.filled],
            replaced=[p for p, _o, _n in merged.replaced],
            conflicts=[p for p, _o, _n in merged.conflicts],
            confirmed=merged.confirmed,
            kind=current["kind"],
            year=current.get("year"),
        )

    def _add_conflicts(self, conn: Any, book_id: int, merged: Merge, src_id: int, source: str) -> None:
        present = {
            (r[0], r[1])
            for r in conn.execute(
                sa.select(field_values.c.field, field_values.c.value).where(field_values.c.book_id == book_id)
            )
        }
        first = conn.execute(
            sa.select(book_sources.c.id, book_sources.c.source)
            .where(book_sources.c.book_id == book_id)
            .order_by(book_sources.c.id)
        ).all()
        for path, old, new in merged.conflicts:
            rows = []
            old_json = json.dumps(old, ensure_ascii=False)
            if not any(f == path and same(json.loads(v), old) for f, v in present if v is not None):
                origin = self._value_source(conn, book_id, path, old, first)
                rows.append({"value": old_json, "source_id": origin[0], "source": origin[1]})
            rows.append({"value": json.dumps(new, ensure_ascii=False), "source_id": src_id, "source": source})
            for row in rows:
                conn.execute(
                    field_values.insert().values(
                        book_id=book_id, field=path, settled=False, added_at=_now(), **row
                    )
                )
            conn.execute(
                field_values.update()
                .where(field_values.c.book_id == book_id)
                .where(field_values.c.field == path)
                .values(settled=False)
            )

    @staticmethod
    def _value_source(
        conn: Any, book_id: int, path: str, value: Any, sources: list[Any]
    ) -> tuple[int | None, str | None]:
        """The source that gave the book's present value of ``path``: the first source, unless a later
        one filled or changed it, or a person did (then no source: 手工修改)."""
        row = conn.execute(
            sa.select(history.c.origin)
            .where(history.c.book_id == book_id)
            .where(history.c.field == path)
            .where(history.c.undone.is_(False))
            .order_by(history.c.id.desc())
        ).first()
        if row is not None:
            origin = str(row[0] or "")
            for sid, shown in reversed(sources):
                if origin.startswith(f"导入 {shown}（"):
                    return sid, shown
            return None, "手工修改"
        return (sources[0][0], sources[0][1]) if sources else (None, None)

    def _open_conflicts_json(self, conn: Any, book_id: int) -> str | None:
        found = self._conflicts(conn, book_id, open_only=True)
        if not found:
            return None
        return json.dumps(
            [{"field": c.field, "values": [{"value": v, "source": s} for v, s in c.values]} for c in found],
            ensure_ascii=False,
        )

    @staticmethod
    def _conflicts(conn: Any, book_id: int, *, open_only: bool) -> list[ConflictInfo]:
        q = sa.select(field_values).where(field_values.c.book_id == book_id).order_by(field_values.c.id)
        by_field: dict[str, ConflictInfo] = {}
        for r in conn.execute(q):
            m = r._mapping
            info = by_field.setdefault(m["field"], ConflictInfo(m["field"], [], bool(m["settled"])))
            info.values.append((json.loads(m["value"]) if m["value"] is not None else None, m["source"]))
            info.settled = info.settled and bool(m["settled"])
        out = [c for c in by_field.values() if not (open_only and c.settled)]
        return [c for c in out if len({json.dumps(v, ensure_ascii=False) for v, _s in c.values}) > 1]

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
            extras = {k: json.loads(m[k]) if m[k] else [] for k in ("sources", "conflicts")}
        except (TypeError, ValueError, RecursionError):
            raise StoreError("内容不是有效的 JSON，已跳过", where=where) from None
        try:
            check_stored(rec)
        except RecordError as exc:
            raise StoreError(
                f"{exc.detail}，已跳过", where=f"{where}{('，' + exc.where) if exc.where else ''}"
            ) from None
        for key, value in extras.items():
            if isinstance(value, list):
                rec[key] = value
        return BookRow(
            id=m["id"],
            record=rec,
            checked=bool(m["checked"]),
            check_note=m["check_note"],
            version=m["version"],
            source=m["path"],
        )

    def counts(self) -> dict[str, int]:
        with self._db() as conn:
            return {
                "files": conn.execute(sa.select(sa.func.count()).select_from(files)).scalar_one(),
                "books": conn.execute(sa.select(sa.func.count()).select_from(books)).scalar_one(),
            }

    def sources(self, book_id: int) -> list[SourceInfo]:
        """Every source of a book, in the order they came."""
        with self._db() as conn:
            rows = conn.execute(
                sa.select(book_sources).where(book_sources.c.book_id == book_id).order_by(book_sources.c.id)
            ).all()
        return [SourceInfo(r.id, r.source, r.kind, r.action, r.added_at) for r in rows]

    def conflicts(self, book_id: int, *, open_only: bool = False) -> list[ConflictInfo]:
        """The fields a book's sources disagree on, with each source's value (settled ones too unless
        ``open_only``)."""
        with self._db() as conn:
            return self._conflicts(conn, book_id, open_only=open_only)

    # --------------------------------------------------------------------------------- edit

    def edit(self, book_id: int, path: str, value: Any, *, expected_version: int | None = None) -> int:
        """Change one field of a stored book, keep the change in the history; returns the new version.

        With ``expected_version``, a book changed by someone else meanwhile raises ConflictError.
        Editing a field the sources disagree on settles that conflict (the person chose).
        """
        with self._db(write=True) as conn:
            new_version, _ = self._edit_in(conn, book_id, [(path, value)], expected_version, "修改")
        return new_version

    def _locked_row(self, conn: Any, book_id: int, expected_version: int | None, where: str | None) -> Any:
        """The book's row (locked for the transaction), checked against ``expected_version``."""
        row = conn.execute(sa.select(books).where(books.c.id == book_id).with_for_update()).first()
        if row is None:
            raise StoreError(f"没有编号为 {book_id} 的写实簿", file=self.display_url)
        m = row._mapping
        if expected_version is not None and m["version"] != expected_version:
            raise ConflictError(
                f"写实簿 {book_id} 已被他人修改（版本 {m['version']}，"
                f"你载入的是 {expected_version}），请重新载入后再改",
                where=where,
            )
        return m

    def _bump(self, conn: Any, m: Any, values: dict[str, Any], where: str | None) -> int:
        """Write ``values`` and the next version if the row is still at its version; the new version."""
        new_version = m["version"] + 1
        updated = conn.execute(
            books.update()
            .where(books.c.id == m["id"])
            .where(books.c.version == m["version"])
            .values(**{**values, "version": new_version, "updated_at": _now()})
        )
        if updated.rowcount != 1:
            raise ConflictError(f"写实簿 {m['id']} 已被他人修改，请重新载入后再改", where=where)
        return int(new_version)

    @staticmethod
    def _history_row(
        conn: Any,
        book_id: int,
        path: str,
        old: Any,
        new: Any,
        version: int,
        origin: str,
        change: int | None,
        settled: bool = False,
    ) -> int:
        hid = int(
            conn.execute(
                history.insert().values(
                    book_id=book_id,
                    field=path,
                    old=json.dumps(old, ensure_ascii=False),
                    new=json.dumps(new, ensure_ascii=False),
                    at=_now(),
                    undone=False,
                    change=change,
                    version=version,
                    origin=origin,
                    settled=settled,
                )
            ).inserted_primary_key[0]
        )
        if change is None:
            conn.execute(history.update().where(history.c.id == hid).values(change=hid))
        return hid

    def _edit_in(
        self,
        conn: Any,
        book_id: int,
        changes: list[tuple[str, Any]],
        expected_version: int | None,
        origin: str,
        *,
        unsettle: Iterable[str] = (),
    ) -> tuple[int, list[int]]:
        """Edits inside an open transaction, one change: (new version, ids of the history rows written)."""
        m = self._locked_row(conn, book_id, expected_version, changes[0][0] if len(changes) == 1 else None)
        rec = json.loads(m["record"])
        olds = []
        for path, value in changes:
            olds.append(get_field(rec, path))
            set_field(rec, path, value)
        check_record(rec)
        reopen = set(unsettle)
        settled_now = set()
        for path, _value in changes:
            if path in reopen:
                conn.execute(
                    field_values.update()
                    .where(field_values.c.book_id == book_id)
                    .where(field_values.c.field == path)
                    .values(settled=False)
                )
            else:
                hit = conn.execute(
                    field_values.update()
                    .where(field_values.c.book_id == book_id)
                    .where(field_values.c.field == path)
                    .where(field_values.c.settled.is_(False))
                    .values(settled=True)
                )
                if hit.rowcount:
                    settled_now.add(path)
        values = {**_book_columns(rec), "conflicts": self._open_conflicts_json(conn, book_id)}
        new_version = self._bump(conn, m, values, changes[0][0] if len(changes) == 1 else None)
        ids: list[int] = []
        for (path, value), old in zip(changes, olds, strict=True):
            ids.append(
                self._history_row(
                    conn,
                    book_id,
                    path,
                    old,
                    value,
                    new_version,
                    origin,
                    ids[0] if ids else None,
                    settled=path in settled_now,
                )
            )
        return new_version, ids

    def undo(self, book_id: int, *, expected_version: int | None = None) -> str | None:
        """Undo the latest not-yet-undone change of a book (every field of it), in one transaction; the
        field path of its first row, None if nothing.

        The undo is itself kept in the history (marked undone with the change it reverts, so that a
        second undo goes further back). With ``expected_version``, a book changed by someone else
        meanwhile raises ConflictError and nothing changes. Undoing a choice between sources reopens
        the conflict.
        """
        with self._db(write=True) as conn:
            last = conn.execute(
                sa.select(history.c.change)
                .where(history.c.book_id == book_id)
                .where(history.c.undone.is_(False))
                .order_by(history.c.id.desc())
            ).first()
            if last is None:
                self._locked_row(conn, book_id, expected_version, None)
                return None
            rows = [
                r._mapping
                for r in conn.execute(
                    sa.select(history)
                    .where(history.c.book_id == book_id)
                    .where(history.c.change == last[0])
                    .where(history.c.undone.is_(False))
                    .order_by(history.c.id.desc())
                )
            ]
            reverts = [(m["field"], json.loads(m["old"])) for m in rows]
            reopen = [m["field"] for m in rows if m["settled"]]
            _version, undo_ids = self._edit_in(
                conn, book_id, reverts, expected_version, "撤销", unsettle=reopen
            )
            conn.execute(
                history.update()
                .where(history.c.id.in_([m["id"] for m in rows] + undo_ids))
                .values(undone=True)
            )
        return str(rows[-1]["field"])

    def history(self, book_id: int | None = None) -> list[dict[str, Any]]:
        q = sa.select(history).order_by(history.c.id)
        if book_id is not None:
            q = q.where(history.c.book_id == book_id)
        with self._db() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def mark_checked(
        self,
        book_id: int,
        checked: bool = True,
        note: str | None = None,
        *,
        expected_version: int | None = None,
    ) -> int:
        """Mark a book as checked (or not) with a note; a new version of the book, which it returns."""
        with self._db(write=True) as conn:
            m = self._locked_row(conn, book_id, expected_version, None)
            return self._bump(conn, m, {"checked": checked, "check_note": note}, None)

    # ------------------------------------------------------------------------------- roster

    def save_roster(
        self,
        year: int,
        members: list[dict[str, Any]],
        organizations: list[dict[str, Any]],
        source: str | None = None,
        sha: str | None = None,
    ) -> None:
        """The organization tree of ``year`` (members and organizations), replacing what was stored for it."""
        with self._db(write=True) as conn:
            for table in (roster_members, roster_orgs, roster_loads):
                conn.execute(table.delete().where(table.c.year == year))
            conn.execute(roster_loads.insert().values(year=year, source=source, sha256=sha, loaded_at=_now()))
            if members:
                conn.execute(
                    roster_members.insert(),
                    [
                        {"year": year, "seq": i, **{c: _roster_text(m.get(c)) for c in ROSTER_MEMBER_COLUMNS}}
                        for i, m in enumerate(members)
                    ],
                )
            if organizations:
                conn.execute(
                    roster_orgs.insert(),
                    [
                        {"year": year, "seq": i, **{c: o.get(c) for c in ROSTER_ORG_COLUMNS}}
                        for i, o in enumerate(organizations)
                    ],
                )

    def roster_years(self) -> list[dict[str, Any]]:
        """Each stored roster: year, source file, when loaded, members and organizations counted."""
        with self._db() as conn:
            loads = [
                dict(r._mapping) for r in conn.execute(sa.select(roster_loads).order_by(roster_loads.c.year))
            ]
            for load in loads:
                for key, table in (("members", roster_members), ("organizations", roster_orgs)):
                    load[key] = conn.execute(
                        sa.select(sa.func.count()).select_from(table).where(table.c.year == load["year"])
                    ).scalar_one()
        return loads

    def roster_rows(
        self, year: int | None, *, exact: bool = False
    ) -> tuple[int, list[dict[str, Any]], list[dict[str, Any]], str | None] | None:
        """(year, members, organizations, source) of the roster for ``year``: that year's, else (unless
        ``exact``) the latest one before it, else the earliest after; None when no roster is stored."""
        years = [r["year"] for r in self.roster_years()]
        if not years:
            return None
        if year is None:
            found = years[-1]
        elif year in years:
            found = year
        elif exact:
            return None
        else:
            before = [y for y in years if y < year]
            found = before[-1] if before else years[0]
        with self._db() as conn:
            members = [
                {c: r._mapping[c] for c in ROSTER_MEMBER_COLUMNS}
                for r in conn.execute(
                    sa.select(roster_members)
                    .where(roster_members.c.year == found)
                    .order_by(roster_members.c.seq)
                )
            ]
            orgs = [
                {c: r._mapping[c] for c in ROSTER_ORG_COLUMNS}
                for r in conn.execute(
                    sa.select(roster_orgs).where(roster_orgs.c.year == found).order_by(roster_orgs.c.seq)
                )
            ]
            source = conn.execute(
                sa.select(roster_loads.c.source).where(roster_loads.c.year == found)
            ).scalar()
        return found, members, orgs, source


class Batch:
    """One write transaction holding several files (each in a savepoint); committed every so often."""

    EVERY_S = 0.25  # commit at least this often: an editor never waits long for the lock
    EVERY_FILES = 64

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self._tx: Any = None
        self._since = 0.0
        self._files = 0

    def begin(self) -> None:
        self._tx = self.conn.begin()
        self._since = time.monotonic()
        self._files = 0

    def commit_if_due(self) -> None:
        self._files += 1
        if self._files >= self.EVERY_FILES or time.monotonic() - self._since >= self.EVERY_S:
            self.commit()
            self.begin()

    def commit(self) -> None:
        if self._tx is not None and self._tx.is_active:
            self._tx.commit()
        self._tx = None

    def rollback(self) -> None:
        if self._tx is not None and self._tx.is_active:
            self._tx.rollback()
        self._tx = None


def _clean(rec: Record) -> Record:
    """The record as a book keeps it: what belongs to the store (sources, conflicts) left out."""
    return {
        k: v for k, v in rec.items() if k not in ("sources", "conflicts", "exported_from", "identity_note")
    }


def _book_columns(rec: Record) -> dict[str, Any]:
    subj = rec.get("subject") or {}
    org = subj.get("organization") if rec["kind"] == "member" else subj.get("name")
    return {
        "kind": rec["kind"],
        "year": rec.get("year"),
        "name": subj.get("name"),
        "organization": org,
        "record": json.dumps(_clean(rec), ensure_ascii=False),
    }


def _roster_text(value: Any) -> Any:
    return value if value is None or isinstance(value, str) else str(value)


def _lock_number(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big", signed=True)


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
    if (
        "could not connect" in text
        or "connection refused" in text
        or ("connection" in text and "failed" in text)
    ):
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


def _sqlite_transactions(engine: Any, busy_timeout_ms: int) -> None:
    """SQLite with transactions we begin ourselves: BEGIN IMMEDIATE for a write (the write lock at once,
    so a writer waits for another rather than failing half way), BEGIN for a read (one snapshot);
    DDL inside transactions and savepoints work as on any database."""

    def connect(dbapi_conn: Any, _rec: Any) -> None:
        dbapi_conn.isolation_level = None  # the driver begins nothing of its own
        _sqlite_pragmas(dbapi_conn, busy_timeout_ms)

    def begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("cxzy_write") else "BEGIN")

    sa.event.listen(engine, "connect", connect)
    sa.event.listen(engine, "begin", begin)


def _sqlite_pragmas(dbapi_conn: Any, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")  # first: the pragmas below may wait too
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
