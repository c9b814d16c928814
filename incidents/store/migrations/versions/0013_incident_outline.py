"""Each incident's outline (`incidents.outline`, JSON): who reported it and what its card
says, written with the incident, so a listing of every incident (the dashboard's Timeline)
reads one row an incident instead of consolidating every article's events again.

The outline is worked out by the tracker's code (`incidents.outline`, `incidents.store.outlines`),
which a revision must not import: a store that already holds incidents is marked in `meta`,
its next `incidents link` outlines them all once, and readers work out the missing ones until then.

Revision 0013, after 0012.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE on both databases (a batch copy would drop the SQLite search triggers)
    op.add_column("incidents", sa.Column("outline", sa.Text()))
    if op.get_bind().execute(sa.text("SELECT 1 FROM incidents LIMIT 1")).first() is not None:
        meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
        op.execute(meta.insert().values(key="incident_outline", value="outline every incident"))


def downgrade() -> None:
    raise NotImplementedError("the store is only ever upgraded")
