"""Articles claimed for analysis: `claimed_by` (the worker, `host:pid`) and `claimed_until`
(the end of its lease), so several `incidents extract` processes share one store without
analysing an article twice, and a killed worker's batch is taken again.

Revision 0008, after 0007.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE on both databases (a batch copy would drop the SQLite search triggers)
    op.add_column("articles", sa.Column("claimed_by", sa.String(200)))
    op.add_column("articles", sa.Column("claimed_until", sa.DateTime(timezone=True)))
    op.create_index("ix_articles_claimed_until", "articles", ["claimed_until"])


def downgrade() -> None:
    raise NotImplementedError("the store is only ever upgraded")
