"""One book per person and year: identities, sources per book, values sources disagree on, change
groups in the history, and the organization tree (rosters by year).

Revision ID: 0002
Revises: 0001

Every stored book gets its identity (book_keys) and one source: the file it was imported from, or
"records" when it came from no file. Every earlier edit is a change of its own.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("books", sa.Column("sources", sa.Text))
    op.add_column("books", sa.Column("conflicts", sa.Text))
    op.add_column("history", sa.Column("change", sa.Integer))
    op.add_column("history", sa.Column("version", sa.Integer))
    op.add_column("history", sa.Column("origin", sa.Text))
    op.add_column("history", sa.Column("settled", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_index("ix_history_change", "history", ["change"])

    op.create_table(
        "book_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("book_id", sa.Integer, sa.ForeignKey("books.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("year", sa.Integer),
        sa.Column("name_key", sa.Text),
        sa.Column("org_key", sa.Text),
        sa.Column("birth", sa.String(7)),
        sa.Column("joined", sa.String(7)),
        sa.Column("position", sa.Text),
    )
    op.create_index("ix_book_keys_name", "book_keys", ["kind", "name_key"])
    op.create_table(
        "book_sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("book_id", sa.Integer, sa.ForeignKey("books.id"), nullable=False, index=True),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=True, index=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("record", sa.Text),
        sa.Column("added_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "field_values",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("book_id", sa.Integer, sa.ForeignKey("books.id"), nullable=False, index=True),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("book_sources.id"), nullable=True),
        sa.Column("source", sa.Text),
        sa.Column("settled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("added_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "roster_loads",
        sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("source", sa.Text),
        sa.Column("sha256", sa.String(64)),
        sa.Column("loaded_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "roster_members",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("year", sa.Integer, nullable=False, index=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("gender", sa.Text),
        sa.Column("ethnicity", sa.Text),
        sa.Column("birth", sa.String(10)),
        sa.Column("joined", sa.String(10)),
        sa.Column("education", sa.Text),
        sa.Column("position", sa.Text),
        sa.Column("organization", sa.Text),
        sa.Column("status", sa.Text),
        sa.Column("left_on", sa.String(10)),
    )
    op.create_table(
        "roster_orgs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("year", sa.Integer, nullable=False, index=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("secretary", sa.Text),
        sa.Column("member_count", sa.Integer),
        sa.Column("activist_count", sa.Integer),
        sa.Column("parent", sa.Text),
    )
    _existing_books()


def _existing_books() -> None:
    """Identities and sources for the books an earlier version stored; each edit a change of its own."""
    from cxzy_docs.identity import identity_of

    conn = op.get_bind()
    now = dt.datetime.now().isoformat(timespec="seconds")
    conn.execute(sa.text("UPDATE history SET change = id, origin = '修改'"))
    rows = conn.execute(
        sa.text(
            "SELECT b.id, b.record, b.file_id, f.path, f.format FROM books b "
            "LEFT JOIN files f ON f.id = b.file_id ORDER BY b.id"
        )
    ).all()
    keys, sources = [], []
    for book_id, text, file_id, path, fmt in rows:
        try:
            record = json.loads(text)
            ident = identity_of(record) if isinstance(record, dict) else None
        except (TypeError, ValueError, RecursionError):
            record, ident = None, None
        if ident is not None:
            keys.append(
                {
                    "book_id": book_id,
                    "kind": ident.kind,
                    "year": ident.year,
                    "name_key": ident.name,
                    "org_key": ident.org,
                    "birth": ident.birth,
                    "joined": ident.joined,
                    "position": ident.position,
                }
            )
        kind = "records" if fmt == "json" or file_id is None else "file"
        if isinstance(record, dict) and record.get("format") == "ledger":
            kind = "ledger"
        source = path or f"数据库#{book_id}"
        sources.append(
            {
                "book_id": book_id,
                "file_id": file_id,
                "source": source,
                "kind": kind,
                "action": "new",
                "record": None,
                "added_at": now,
            }
        )
        conn.execute(
            sa.text("UPDATE books SET sources = :s WHERE id = :i"),
            {"s": json.dumps([{"source": source, "kind": kind}], ensure_ascii=False), "i": book_id},
        )
    if keys:
        op.bulk_insert(sa.table("book_keys", *(sa.column(c) for c in keys[0])), keys)
    if sources:
        op.bulk_insert(sa.table("book_sources", *(sa.column(c) for c in sources[0])), sources)
    meta = sa.table("cxzy_meta", sa.column("key"), sa.column("value"))
    conn.execute(sa.text("UPDATE cxzy_meta SET value = '2' WHERE key = 'schema_version'"))
    if conn.execute(sa.text("SELECT count(*) FROM cxzy_meta WHERE key = 'store_id'")).scalar() == 0:
        op.bulk_insert(meta, [{"key": "store_id", "value": uuid.uuid4().hex}])


def downgrade() -> None:
    for name in (
        "roster_orgs",
        "roster_members",
        "roster_loads",
        "field_values",
        "book_sources",
        "book_keys",
    ):
        op.drop_table(name)
    op.drop_index("ix_history_change", "history")
    with op.batch_alter_table("history") as batch:
        for col in ("settled", "origin", "version", "change"):
            batch.drop_column(col)
    with op.batch_alter_table("books") as batch:
        batch.drop_column("conflicts")
        batch.drop_column("sources")
    op.execute("UPDATE cxzy_meta SET value = '1' WHERE key = 'schema_version'")
