"""Events say what dates them: `date_basis` is `text` or `published` (schema version 3 before Alembic).

Revision 0003, after 0002.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("events", sa.Column("date_basis", sa.String(16)))


def downgrade() -> None:
    raise NotImplementedError("the store is only ever upgraded")
