"""The crawl schema: sources, articles and fetch records (schema version 1 before Alembic).

Revision 0001, the first; a store written before Alembic at version 1 is stamped here.
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
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("config", sa.Text, nullable=False),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("ext_id", sa.String(200), unique=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id")),
        sa.Column("outlet", sa.String(200)),
        sa.Column("title", sa.Text),
        sa.Column("text", sa.Text),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("published", sa.String(40)),
        sa.Column("fetched", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])
    op.create_table(
        "fetches",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("fetched", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    raise NotImplementedError("the store is only ever upgraded")
