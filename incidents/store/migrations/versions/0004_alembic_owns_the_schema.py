"""Alembic keeps the schema's revision from here on.

`meta.schema_version` stays at 4, above what a tracker from before Alembic reads (3), so
such a tracker refuses the store instead of writing to a schema it does not know. The
previous in-place upgrade added the version 2 columns without their indexes; they are
added here where missing.

Revision 0004, after 0003.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

LAST_VERSION_BEFORE_ALEMBIC = 3


def upgrade() -> None:
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(meta.delete().where(meta.c.key == "schema_version"))
    op.execute(meta.insert().values(key="schema_version", value=str(LAST_VERSION_BEFORE_ALEMBIC + 1)))
    for column in ("analysed_version", "linked_version"):
        op.create_index(f"ix_articles_{column}", "articles", [column], if_not_exists=True)


def downgrade() -> None:
    raise NotImplementedError("the store is only ever upgraded")
