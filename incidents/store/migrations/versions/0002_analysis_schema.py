"""The analysis schema: article flags, entities, mentions, events, vectors, incidents, digests
(schema version 2 before Alembic).

Revision 0002, after 0001.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for column in (sa.Column("language", sa.String(16)), sa.Column("simhash", sa.String(16))):
        op.add_column("articles", column)
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a foreign key only inline; Alembic's batch mode would copy the table
        # instead, and loses the unnamed UNIQUE constraints of a store written by hand-made DDL
        op.execute("ALTER TABLE articles ADD COLUMN duplicate_of INTEGER REFERENCES articles (id)")
    else:
        op.add_column("articles", sa.Column("duplicate_of", sa.Integer))
        op.create_foreign_key(None, "articles", "articles", ["duplicate_of"], ["id"])
    for column in (sa.Column("analysed_version", sa.String(40)), sa.Column("relevant", sa.Boolean),
                   sa.Column("relevance_score", sa.Float), sa.Column("linked_version", sa.String(40))):
        op.add_column("articles", column)
    op.create_index("ix_articles_analysed_version", "articles", ["analysed_version"])
    op.create_index("ix_articles_linked_version", "articles", ["linked_version"])
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(300), nullable=False, unique=True),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("vendor", sa.String(300)),
    )
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("entity_id", sa.Integer, sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("surface", sa.String(300), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.UniqueConstraint("article_id", "entity_id", "surface"),
    )
    op.create_index("ix_mentions_entity", "mentions", ["entity_id"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(300), nullable=False),
        sa.Column("target", sa.String(300), nullable=False),
        sa.Column("date", sa.String(10)),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("stance", sa.String(16), nullable=False),
        sa.Column("trigger", sa.String(100)),
        sa.Column("method", sa.String(100)),
        sa.Column("sentence_start", sa.Integer),
    )
    op.create_index("ix_events_article_id", "events", ["article_id"])
    op.create_index("ix_events_type", "events", ["type"])
    op.create_table(
        "article_vectors",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("vector", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("date", sa.String(10)),
        sa.Column("main_type", sa.String(32)),
        sa.Column("actors", sa.Text, nullable=False),
        sa.Column("targets", sa.Text, nullable=False),
        sa.Column("first_seen", sa.String(40)),
        sa.Column("last_seen", sa.String(40)),
        sa.Column("centroid", sa.LargeBinary),
        sa.Column("updated", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "incident_articles",
        sa.Column("incident_id", sa.String(200), sa.ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("is_primary", sa.Boolean, nullable=False),
        sa.Column("score", sa.Float),
    )
    op.create_index("ix_incident_articles_article", "incident_articles", ["article_id"])
    op.create_table(
        "digests_sent",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("week", sa.String(8), nullable=False),
        sa.Column("recipient", sa.String(300), nullable=False),
        sa.Column("sent", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message_id", sa.Text),
        sa.UniqueConstraint("week", "recipient"),
    )


def downgrade() -> None:
    raise NotImplementedError("the store is only ever upgraded")
