"""Full-text search: the one method every reader calls (`search_text`), whatever the database.

On SQLite the FTS5 indexes of revisions 0007 and 0010 answer, with the porter stemmer ("banned"
finds "bans") and BM25 ranking (a word in the title counts more than one in the text). On
PostgreSQL its own text search answers: the English configuration's stems, the GIN indexes
of revision 0011 over the same expressions as below, and `ts_rank` with the title weighted as
on SQLite. Another database falls back to finding every word anywhere, case-insensitively,
those with every word in the title first, then the newest.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select, text

from .schema import articles, incidents

WORD = re.compile(r"\w+", re.UNICODE)

TITLE_WEIGHT = 4.0
"""How much more a word in an article's title counts than one in its text (BM25 column weight)."""

TEXT_SEARCH_CONFIG = "english"
"""PostgreSQL's text search configuration: English stems and stop words, as SQLite's porter stemmer."""
ARTICLE_TSVECTOR = (f"(setweight(to_tsvector('{TEXT_SEARCH_CONFIG}', coalesce(title, '')), 'A') || "
                    f"setweight(to_tsvector('{TEXT_SEARCH_CONFIG}', coalesce(text, '')), 'B'))")
INCIDENT_TSVECTOR = (f"(setweight(to_tsvector('{TEXT_SEARCH_CONFIG}', title), 'A') || "
                     f"setweight(to_tsvector('{TEXT_SEARCH_CONFIG}', actors || ' ' || targets), 'B'))")
"""The PostgreSQL documents searched: title (weight A) and text or parties (weight B). Revision
0011 indexes these very expressions (GIN), so a search reads the index, not every row."""


@dataclass
class SearchHits:
    """What a full-text search found, best first."""

    incidents: list[str] = field(default_factory=list)  # incident ids
    articles: list[int] = field(default_factory=list)  # article ids


def query_words(query: str) -> list[str]:
    """The words of a reader's query; punctuation and search syntax are not theirs to use.

    >>> query_words('Claude "Code" ban* OR -x')
    ['Claude', 'Code', 'ban', 'OR', 'x']
    """
    return WORD.findall(query or "")


class SearchStore:
    """Full-text search over articles and incidents."""

    def search_text(self, query: str, limit: int = 50) -> SearchHits:
        """Incidents (by title and parties) and articles (by title and text) with every word
        of the query, best match first; nothing for a query without words."""
        words = query_words(query)
        if not words:
            return SearchHits()
        if self.engine.dialect.name == "sqlite" and self._has_fts():
            return self._search_fts(words, limit)
        if self.engine.dialect.name == "postgresql":
            return self._search_tsvector(words, limit)
        return self._search_words(words, limit)

    def _has_fts(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'articles_fts'")).first() is not None

    def _search_fts(self, words: list[str], limit: int) -> SearchHits:
        # each word quoted: a reader's "OR", "NEAR" or "-" is a word, never FTS5 syntax
        match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        with self.engine.connect() as conn:
            # entries are keyed by the incident's row (revision 0010); the id must agree too,
            # so a file whose rows were renumbered (a VACUUM) never answers with another incident
            found_incidents = conn.execute(text(
                "SELECT f.id FROM incidents_fts f JOIN incidents i ON i.rowid = f.rowid AND i.id = f.id "
                "WHERE incidents_fts MATCH :q ORDER BY bm25(incidents_fts, 0, 2.0, 1.0) "
                "LIMIT :n"), {"q": match, "n": limit}).scalars().all()
            found_articles = conn.execute(text(
                f"SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q "
                f"ORDER BY bm25(articles_fts, {TITLE_WEIGHT}, 1.0) LIMIT :n"), {"q": match, "n": limit}).scalars().all()
        return SearchHits(list(found_incidents), list(found_articles))

    def _search_tsvector(self, words: list[str], limit: int) -> SearchHits:
        # each word quoted: a reader's "or" or "-" is a word, never websearch syntax
        query = {"q": " ".join(f'"{w}"' for w in words), "n": limit}
        with self.engine.connect() as conn:
            found_incidents = conn.execute(text(
                f"SELECT id FROM incidents, websearch_to_tsquery('{TEXT_SEARCH_CONFIG}', :q) AS q "
                f"WHERE {INCIDENT_TSVECTOR} @@ q "
                f"ORDER BY ts_rank('{{0, 0, 0.5, 1}}', {INCIDENT_TSVECTOR}, q) DESC, date DESC, id LIMIT :n"),
                query).scalars().all()
            found_articles = conn.execute(text(
                f"SELECT id FROM articles, websearch_to_tsquery('{TEXT_SEARCH_CONFIG}', :q) AS q "
                f"WHERE {ARTICLE_TSVECTOR} @@ q "
                f"ORDER BY ts_rank('{{0, 0, {1 / TITLE_WEIGHT}, 1}}', {ARTICLE_TSVECTOR}, q) DESC, "
                f"published DESC, id LIMIT :n"), query).scalars().all()
        return SearchHits(list(found_incidents), list(found_articles))

    def _search_words(self, words: list[str], limit: int) -> SearchHits:
        """Every word anywhere, case-insensitively; articles with every word in the title
        first (as the indexes weight titles), then newest."""

        def having_all(column) -> list:
            padded = func.lower(" " + func.coalesce(column, "") + " ")
            return [padded.contains(w.lower(), autoescape=True) for w in words]

        incident_text = incidents.c.title + " " + incidents.c.actors + " " + incidents.c.targets
        article_text = func.coalesce(articles.c.title, "") + " " + func.coalesce(articles.c.text, "")
        in_title = case((and_(*having_all(articles.c.title)), 0), else_=1)
        with self.engine.connect() as conn:
            found_incidents = conn.execute(select(incidents.c.id).where(*having_all(incident_text))
                                           .order_by(incidents.c.date.desc(), incidents.c.id).limit(limit)).scalars()
            found_articles = conn.execute(select(articles.c.id).where(*having_all(article_text))
                                          .order_by(in_title, articles.c.published.desc(), articles.c.id)
                                          .limit(limit)).scalars()
            return SearchHits(list(found_incidents), list(found_articles))
