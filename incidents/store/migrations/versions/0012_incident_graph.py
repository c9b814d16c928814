"""The incident graph in the store (`incident_graph`) instead of a file beside a SQLite store,
so every process on every machine reads the graph `incidents link` last wrote.

A store upgraded from a file-beside-the-store tracker has no saved graph until the next
`incidents link`; readers build it in memory from the incidents until then.

Revision 0012, after 0011.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_graph",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("format", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.String(100)),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    raise NotImplementedError("the store is only ever upgraded")
