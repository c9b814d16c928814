"""Full-text search on PostgreSQL: GIN indexes over the weighted text search documents of
articles (title, text) and incidents (title, parties) that `incidents.store.search` queries.

Expression indexes, kept in step with their rows by PostgreSQL itself; built from the rows
already stored, so an upgraded store is searchable at once. SQLite has its FTS5 indexes
(revision 0007); this revision does nothing there.

Revision 0011, after 0010.
"""
from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# the documents as search.py writes them (a query must use the very expression to use the index)
ARTICLE_DOCUMENT = ("(setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
                    "setweight(to_tsvector('english', coalesce(text, '')), 'B'))")
INCIDENT_DOCUMENT = ("(setweight(to_tsvector('english', title), 'A') || "
                     "setweight(to_tsvector('english', actors || ' ' || targets), 'B'))")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_articles_search ON articles USING gin ({ARTICLE_DOCUMENT})")
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_incidents_search ON incidents USING gin ({INCIDENT_DOCUMENT})")


def downgrade() -> None:
    raise NotImplementedError("the store is only ever upgraded")
