"""Full-text search on SQLite: FTS5 indexes of articles (title, text) and incidents (title,
parties), with the porter stemmer, kept in step with their tables by triggers.

"banned" finds "bans", "ai" no longer finds every "said". Other databases search their own
way (`incidents.store.search`); this revision does nothing there. Built from the rows
already stored, so an upgraded store is searchable at once; running it again rebuilds the
indexes and changes nothing else.

Revision 0007, after 0006.
"""
from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TOKENIZER = "porter unicode61 remove_diacritics 2"

STATEMENTS = [
    # articles: an external-content index keyed by the articles' integer primary key
    f"CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, text, content='articles', content_rowid='id', "
    f"tokenize='{TOKENIZER}')",
    "CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
    # incidents: their own small index (their key is text; link rewrites them whole)
    f"CREATE VIRTUAL TABLE IF NOT EXISTS incidents_fts USING fts5(id UNINDEXED, title, parties, tokenize='{TOKENIZER}')",
    "CREATE TRIGGER IF NOT EXISTS incidents_fts_insert AFTER INSERT ON incidents BEGIN "
    "INSERT INTO incidents_fts(id, title, parties) VALUES (new.id, new.title, new.actors || ' ' || new.targets); END",
    "CREATE TRIGGER IF NOT EXISTS incidents_fts_delete AFTER DELETE ON incidents BEGIN "
    "DELETE FROM incidents_fts WHERE id = old.id; END",
    "CREATE TRIGGER IF NOT EXISTS incidents_fts_update AFTER UPDATE OF title, actors, targets ON incidents BEGIN "
    "DELETE FROM incidents_fts WHERE id = old.id; "
    "INSERT INTO incidents_fts(id, title, parties) VALUES (new.id, new.title, new.actors || ' ' || new.targets); END",
    "DELETE FROM incidents_fts",
    "INSERT INTO incidents_fts(id, title, parties) SELECT id, title, actors || ' ' || targets FROM incidents",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("the store is only ever upgraded")
