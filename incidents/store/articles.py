"""Sources, articles and the crawl's fetch records."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..model import Article
from .schema import articles, fetches, sources

ARTICLE_COLUMNS = ("id", "url", "ext_id", "outlet", "title", "text", "published", "fetched",
                   "language", "duplicate_of", "content_hash")


@dataclass
class Stored:
    """Outcome of storing one article."""

    id: int
    created: bool


def content_hash(text: str | None) -> str:
    """Fingerprint of an article's text, insensitive to whitespace and case."""
    normal = " ".join((text or "").lower().split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def row_to_article(row) -> Article:
    return Article(**{name: row._mapping[name] for name in ARTICLE_COLUMNS})


class ArticleStore:
    """Queries over sources, articles and fetches."""

    def upsert_source(self, name: str, config: dict) -> int:
        body = json.dumps(config, sort_keys=True, default=str)
        try:
            return self._upsert_source(name, body)
        except IntegrityError:
            # another crawler added the source between our look and our insert (crawlers started
            # together on PostgreSQL); it is there now, so the second try updates it
            return self._upsert_source(name, body)

    def _upsert_source(self, name: str, body: str) -> int:
        with self.engine.begin() as conn:
            found = conn.execute(select(sources.c.id).where(sources.c.name == name)).scalar()
            if found is not None:
                conn.execute(update(sources).where(sources.c.id == found).values(config=body))
                return found
            return conn.execute(sources.insert().values(name=name, config=body)).inserted_primary_key[0]

    def add_article(self, article: Article, *, source_id: int | None = None,
                    simhash: str | None = None) -> Stored:
        """Store an article once: a URL or ext_id already stored is left as it is."""
        values = {
            "url": article.url,
            "ext_id": article.ext_id,
            "source_id": source_id,
            "outlet": article.outlet,
            "title": article.title,
            "text": article.text,
            "content_hash": article.content_hash or content_hash(article.text),
            "published": article.published,
            "fetched": article.fetched or datetime.now(timezone.utc),
            "language": article.language,
            "simhash": simhash,
            "duplicate_of": article.duplicate_of,
        }
        with self.engine.begin() as conn:
            existing = self._existing_id(conn, article)
            if existing is not None:
                return Stored(existing, False)
            try:
                new_id = conn.execute(articles.insert().values(**values)).inserted_primary_key[0]
            except IntegrityError:  # a concurrent writer stored it first
                conn.rollback()
                return Stored(self._existing_id(conn, article), False)
        return Stored(new_id, True)

    @staticmethod
    def _existing_id(conn, article: Article) -> int | None:
        found = conn.execute(select(articles.c.id).where(articles.c.url == article.url)).scalar()
        if found is None and article.ext_id:
            found = conn.execute(select(articles.c.id).where(articles.c.ext_id == article.ext_id)).scalar()
        return found

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of these canonical URLs are stored already."""
        wanted = list(dict.fromkeys(urls))
        known: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                known.update(conn.execute(select(articles.c.url).where(articles.c.url.in_(chunk))).scalars())
        return known

    def seen_pages(self, urls: Iterable[str]) -> set[str]:
        """Which of these page URLs need no new request: stored as articles, or fetched before
        with a final outcome (stored under another canonical URL, not an article, gone)."""
        wanted = list(dict.fromkeys(urls))
        seen = self.known_urls(wanted)
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                seen.update(conn.execute(select(fetches.c.url).where(
                    fetches.c.url.in_(chunk), fetches.c.kind == "article")).scalars())
        return seen

    def mark_duplicate(self, article_id: int, original_id: int) -> None:
        """Record `article_id` (and any copies of it) as a copy of `original_id`, e.g. when the
        story it was first taken for turns out to have been published later than another."""
        with self.engine.begin() as conn:
            conn.execute(update(articles).where(articles.c.duplicate_of == article_id).values(duplicate_of=original_id))
            conn.execute(update(articles).where(articles.c.id == article_id).values(duplicate_of=original_id))

    def original_with_hash(self, digest: str) -> tuple[int, str | None] | None:
        """(id, outlet) of the first stored article with this content hash, if any."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(articles.c.id, articles.c.outlet).where(articles.c.content_hash == digest)
                .order_by(articles.c.id).limit(1)
            ).first()
        return (row.id, row.outlet) if row else None

    def simhashes(self) -> Iterator[tuple[int, str]]:
        """(article id, simhash) of every stored original, for near-duplicate detection."""
        with self.engine.connect() as conn:
            query = select(articles.c.id, articles.c.simhash).where(
                articles.c.simhash.is_not(None), articles.c.duplicate_of.is_(None))
            yield from conn.execute(query).tuples()

    def get_article(self, article_id: int) -> Article | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
        return row_to_article(row) if row else None

    def iter_articles(self, batch_size: int = 500) -> Iterator[list[Article]]:
        """Every article in id order, a batch at a time, without holding them all."""
        last = 0
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(articles).where(articles.c.id > last).order_by(articles.c.id).limit(batch_size)
                ).all()
            if not rows:
                return
            yield [row_to_article(r) for r in rows]
            last = rows[-1].id

    def given_ids(self) -> set[str]:
        """Every id given at ingest (the `ext_id` column alone, not the articles)."""
        with self.engine.connect() as conn:
            return set(conn.execute(select(articles.c.ext_id).where(articles.c.ext_id.is_not(None))).scalars())

    def count_articles(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(articles)).scalar_one()

    def get_fetch(self, url: str) -> dict | None:
        """What the last fetch of a feed, sitemap or page answered (status, validators)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(fetches).where(fetches.c.url == url)).first()
        return dict(row._mapping) if row else None

    def record_fetch(self, url: str, kind: str, status: int | None,
                     etag: str | None = None, last_modified: str | None = None) -> None:
        values = {"kind": kind, "status": status, "etag": etag, "last_modified": last_modified,
                  "fetched": datetime.now(timezone.utc)}
        with self.engine.begin() as conn:
            done = conn.execute(update(fetches).where(fetches.c.url == url).values(**values)).rowcount
            if not done:
                conn.execute(fetches.insert().values(url=url, **values))
