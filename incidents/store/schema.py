"""Tables of the store, as they are at the head Alembic revision.

The queries are written against these tables; the database gets them through the
revisions in `migrations/versions/` (a change here needs a revision there, and
tests/test_migrations.py fails until the two agree).
"""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    or_,
)

from ..model import GUESSED

metadata = MetaData()

SEARCH_TABLES = ("articles_fts", "incidents_fts")
"""SQLite's full-text indexes (revisions 0007 and 0010, read by `search.py`): virtual tables with
shadow tables of their own, made by SQL that SQLAlchemy cannot describe, so they are not
declared here and schema comparisons leave them (and their shadows) out."""


SEARCH_INDEXES = ("ix_articles_search", "ix_incidents_search")
"""PostgreSQL's full-text indexes (revision 0011): GIN indexes over expressions, left out of
schema comparisons for the same reason."""


def is_search_table(name: str | None) -> bool:
    """Whether a table is one of the full-text indexes or one of their shadow tables."""
    return bool(name) and any(name == t or name.startswith(t + "_") for t in SEARCH_TABLES)


def compared(name, type_, parent_names) -> bool:
    """Alembic's `include_name` for schema comparisons: everything but the full-text indexes."""
    return not ((type_ == "table" and is_search_table(name)) or (type_ == "index" and name in SEARCH_INDEXES))

meta = Table(  # schema_version: 4, so that a tracker from before Alembic refuses the store
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

sources = Table(
    "sources", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("config", Text, nullable=False, default="{}"),  # the source's TOML entry as JSON
)

articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),  # canonical URL
    Column("ext_id", String(200), unique=True),  # the id given by `ingest`, written back by `export`
    Column("source_id", Integer, ForeignKey("sources.id")),
    Column("outlet", String(200)),
    Column("title", Text),
    Column("text", Text),
    Column("content_hash", String(64), index=True),
    Column("published", String(40)),  # ISO date or datetime as given by the page or feed
    Column("fetched", DateTime(timezone=True)),
    # since revision 0002:
    Column("language", String(16)),
    Column("simhash", String(16)),  # 64-bit fingerprint as hex, for near-duplicate detection
    Column("duplicate_of", Integer, ForeignKey("articles.id")),  # syndicated copy of this article
    Column("analysed_version", String(40), index=True),  # NLP pipeline version that analysed it
    Column("relevant", Boolean),
    Column("relevance_score", Float),
    Column("linked_version", String(40), index=True),  # linker version that clustered it
    # since revision 0008 (store/claims.py):
    Column("claimed_by", String(200)),  # the extract worker (host:pid) that claimed it last
    Column("claimed_until", DateTime(timezone=True), index=True),  # end of that worker's lease; None once stored
)

fetches = Table(
    "fetches", metadata,
    Column("url", Text, primary_key=True),
    Column("kind", String(16), nullable=False),  # feed, sitemap, section, article
    Column("status", Integer),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("fetched", DateTime(timezone=True)),
)

entities = Table(
    "entities", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(300), nullable=False, unique=True),  # canonical name
    Column("type", String(16), nullable=False),
    Column("vendor", String(300)),  # for a product: canonical name of its company
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("entity_id", Integer, ForeignKey("entities.id"), nullable=False),
    Column("surface", String(300), nullable=False),
    Column("position", Integer, nullable=False, default=0),  # order of first appearance
    UniqueConstraint("article_id", "entity_id", "surface"),
    Index("ix_mentions_entity", "entity_id"),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("type", String(32), nullable=False, index=True),
    Column("actor", String(300), nullable=False),
    Column("target", String(300), nullable=False),
    Column("date", String(10)),
    Column("date_basis", String(16)),  # text: an expression dates it; published: estimated from the publication day
    Column("evidence", Text, nullable=False),
    Column("stance", String(16), nullable=False, default="reported"),
    Column("trigger", String(100)),
    Column("method", String(100)),
    Column("sentence_start", Integer),
)

SETTLED = or_(events.c.method.is_(None), events.c.method != GUESSED)
"""Events the text settles: a story's guess (incidents.model.GUESSED) stays with its article
and is left out of incidents' facts, parties, timelines and alerts."""

article_vectors = Table(
    "article_vectors", metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("vector", LargeBinary, nullable=False),  # float32 little-endian, normalised
)

incidents = Table(
    "incidents", metadata,
    Column("id", String(200), primary_key=True),  # stable slug, e.g. alibaba-bans-claude-code-2026-07
    Column("title", Text, nullable=False),
    Column("date", String(10)),  # earliest event date
    Column("main_type", String(32)),
    Column("actors", Text, nullable=False, default="[]"),  # JSON list of canonical names
    Column("targets", Text, nullable=False, default="[]"),
    Column("first_seen", String(40)),  # earliest publication among its articles
    Column("last_seen", String(40)),
    Column("centroid", LargeBinary),  # mean embedding of its articles
    Column("updated", DateTime(timezone=True)),
    Column("outline", Text),  # since 0013: JSON, who reported it and what its card says (store/outlines.py)
    Index("ix_incidents_updated", "updated"),  # since 0009: the latest write found without reading every incident
)

incident_articles = Table(
    "incident_articles", metadata,
    Column("incident_id", String(200), ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("is_primary", Boolean, nullable=False, default=True),  # the incident export names
    Column("score", Float),
    Index("ix_incident_articles_article", "article_id"),
)

incident_keys = Table(
    "incident_keys", metadata,
    Column("key", Text, primary_key=True),  # pair:<actor>|<target>, week:<Monday>, undated (incident_index.py)
    Column("incident_id", String(200), ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_incident_keys_incident", "incident_id"),
)
"""Since revision 0009: what each incident is filed under, so a link run reads only the
incidents a new article may join."""

digests_sent = Table(
    "digests_sent", metadata,
    Column("id", Integer, primary_key=True),
    Column("week", String(8), nullable=False),  # YYYY-Www
    Column("recipient", String(300), nullable=False),
    Column("sent", DateTime(timezone=True), nullable=False),
    Column("message_id", Text),
    UniqueConstraint("week", "recipient"),
)

corrections = Table(
    "corrections", metadata,
    Column("id", Integer, primary_key=True),  # the order corrections are applied in
    Column("kind", String(32), nullable=False),  # incidents.corrections.KINDS; "undo" undoes `subject`
    Column("subject", Text, nullable=False),  # an incident id, an article's store id, an entity name, a fact as JSON
    Column("old_value", Text),  # JSON: the value before, and what the correction reached when made
    Column("new_value", Text),  # JSON
    Column("who", String(200), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("reason", Text),
)
"""The analysts' corrections: append-only (an undo is a new row)."""

machine_analyses = Table(
    "machine_analyses", metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("analysis", Text, nullable=False),  # JSON: relevance, entities and events as the NLP stage found them
)
"""The NLP stage's own analysis of each article a correction changed (the analysis tables
hold the corrected one), so an undo or a new correction starts again from it."""

alerts_sent = Table(
    "alerts_sent", metadata,
    Column("id", Integer, primary_key=True),
    Column("fact_key", String(64), nullable=False),  # dashboard.alerts.facts.fact_key: type, actor, target, date of the consolidated fact
    Column("recipient", String(500), nullable=False),  # lower-case email address, or the webhook URL
    Column("sent", DateTime(timezone=True), nullable=False),
    UniqueConstraint("fact_key", "recipient"),
)

incident_graph = Table(
    "incident_graph", metadata,
    Column("id", Integer, primary_key=True),  # 1: a store has one incident graph
    Column("format", Integer, nullable=False),  # graph.build.GRAPH_FORMAT it is written in
    Column("stamp", String(100)),  # the store's incident_stamp() when it was written
    Column("data", Text, nullable=False),  # node-link JSON (networkx)
    Column("updated", DateTime(timezone=True), nullable=False),
)
"""The incident graph `incidents link` last wrote (store.incident_graph), read by every reader."""
