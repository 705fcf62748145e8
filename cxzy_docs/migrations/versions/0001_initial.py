"""The store as cxzy-docs kept it before migrations (schema_version 1): files, books, history, cxzy_meta.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("format", sa.String(20)),
        sa.Column("size", sa.Integer),
        sa.Column("imported_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "books",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("year", sa.Integer),
        sa.Column("name", sa.Text),
        sa.Column("organization", sa.Text),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("checked", sa.Boolean, nullable=False),
        sa.Column("check_note", sa.Text),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    for col in ("file_id", "year", "name", "organization"):
        op.create_index(f"ix_books_{col}", "books", [col])
    op.create_table(
        "history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("book_id", sa.Integer, sa.ForeignKey("books.id"), nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("old", sa.Text),
        sa.Column("new", sa.Text),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("undone", sa.Boolean, nullable=False),
    )
    op.create_index("ix_history_book_id", "history", ["book_id"])
    op.create_table(
        "cxzy_meta",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.bulk_insert(
        sa.table("cxzy_meta", sa.column("key"), sa.column("value")), [{"key": "schema_version", "value": "1"}]
    )


def downgrade() -> None:
    for name in ("history", "books", "files", "cxzy_meta"):
        op.drop_table(name)
