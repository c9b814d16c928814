"""SQLite's full-text index of incidents keyed by the incidents' rows, not by their id.

Revision 0007 found an incident's entry by its id, a column FTS5 does not index, so every
incident `incidents link` rewrote read the whole index (18 ms each at 28,000 incidents).
The entries are now the incidents' rowids: one look-up each. Built again from the rows
stored; other databases search their own way, and this revision does nothing there.

Revision 0010, after 0009.
"""
from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

STATEMENTS = [
    "DROP TRIGGER IF EXISTS incidents_fts_insert",
    "DROP TRIGGER IF EXISTS incidents_fts_delete",
    "DROP TRIGGER IF EXISTS incidents_fts_update",
    "CREATE TRIGGER incidents_fts_insert AFTER INSERT ON incidents BEGIN "
    "INSERT INTO incidents_fts(rowid, id, title, parties) "
    "VALUES (new.rowid, new.id, new.title, new.actors || ' ' || new.targets); END",
    "CREATE TRIGGER incidents_fts_delete AFTER DELETE ON incidents BEGIN "
    "DELETE FROM incidents_fts WHERE rowid = old.rowid; END",
    "CREATE TRIGGER incidents_fts_update AFTER UPDATE OF id, title, actors, targets ON incidents BEGIN "
    "DELETE FROM incidents_fts WHERE rowid = old.rowid; "
    "INSERT INTO incidents_fts(rowid, id, title, parties) "
    "VALUES (new.rowid, new.id, new.title, new.actors || ' ' || new.targets); END",
    "DELETE FROM incidents_fts",
    "INSERT INTO incidents_fts(rowid, id, title, parties) SELECT rowid, id, title, actors || ' ' || targets FROM incidents",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("the store is only ever upgraded")
