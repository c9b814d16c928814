"""Which alert of a new fact went to whom (`alerts_sent`), so no follower hears of a fact twice.

Revision 0006, after 0005.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alerts_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fact_key", sa.String(64), nullable=False),
        sa.Column("recipient", sa.String(500), nullable=False),
        sa.Column("sent", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fact_key", "recipient"),
    )


def downgrade() -> None:
    raise NotImplementedError("the store is only ever upgraded")
