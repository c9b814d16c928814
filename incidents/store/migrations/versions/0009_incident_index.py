"""The index of incidents by claim pair and week (`incident_keys`), so `incidents link` reads
only the incidents a new article may join; and an index of the incidents' last update, so
the stamp every link run and reader takes (`incident_stamp`) reads no incident.

The keys are worked out by the tracker's code (`incidents.store.incident_index`), which a
revision must not import: a store that already holds incidents is marked in `meta`, and its
next `incidents link` files them all once.

Revision 0009, after 0008.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_keys",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("incident_id", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key", "incident_id"),
    )
    op.create_index("ix_incident_keys_incident", "incident_keys", ["incident_id"])
    op.create_index("ix_incidents_updated", "incidents", ["updated"])
    if op.get_bind().execute(sa.text("SELECT 1 FROM incidents LIMIT 1")).first() is not None:
        meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
        op.execute(meta.insert().values(key="incident_index", value="file every incident"))


def downgrade() -> None:
    raise NotImplementedError("the store is only ever upgraded")
