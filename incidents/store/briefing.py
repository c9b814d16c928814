"""Read-only queries the briefing (dashboard and weekly digest) needs.

Dates are compared as ISO strings: `published` and `first_seen` hold ISO dates or
datetimes, so `start <= value < end` with `start`/`end` as `YYYY-MM-DD` selects whole days.
"""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta
from collections.abc import Iterable, Sequence

import numpy as np
from sqlalchemy import and_, distinct, func, or_, select

from ..facts import LEAD_CHARS, Mention, consolidate, fact_outline
from .schema import (SETTLED, article_vectors, articles, entities, events, fetches, incident_articles, incidents, mentions,
                     sources)

CHUNK = 500
"""Ids per IN (...) clause, well under any database's limit on bound parameters."""

SUMMARY_FIELDS = ("id", "title", "date", "main_type", "first_seen", "last_seen")


def _published_in(start: str, end: str):
    return and_(articles.c.published >= start, articles.c.published < end)


def incident_text_matches(words: Sequence[str]) -> list:
    """Conditions: every word appears in the incident's title, actors or targets (any case)."""
    haystack = func.lower(incidents.c.title + " " + incidents.c.actors + " " + incidents.c.targets)
    return [haystack.contains(w.lower(), autoescape=True) for w in words]


def _as_datetime(value) -> datetime:
    """A stored timestamp as a datetime (SQLite hands back text)."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def in_chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for offset in range(0, len(ids), CHUNK):
        yield ids[offset:offset + CHUNK]


def _reporting(members: list) -> dict:
    """Outlets of an incident's members (rows of id, outlet, duplicate_of, in publication
    order), a syndicated copy of another member counted with its original."""
    ids = {m.id for m in members}
    copies = [m for m in members if m.duplicate_of in ids]
    originals = [m.outlet for m in members if m.duplicate_of not in ids and m.outlet]
    copied = [m.outlet for m in copies if m.outlet and m.outlet not in originals]
    return {"outlets": list(dict.fromkeys(originals + copied)), "copy_outlets": list(dict.fromkeys(copied)),
            "copies": len(copies), "article_count": len(members)}


def read_summaries(conn, ids: Sequence[str] | None) -> list[dict]:
    """Incidents (all, or these ids) with who reported them, as `incident_summaries` gives them
    without the outline."""
    def only(query, column):
        return query if ids is None else query.where(column.in_(ids))

    rows = conn.execute(only(select(*(incidents.c[f] for f in SUMMARY_FIELDS), incidents.c.actors,
                                    incidents.c.targets), incidents.c.id)).all()
    members = conn.execute(only(
        select(incident_articles.c.incident_id, articles.c.id, articles.c.outlet, articles.c.duplicate_of,
               articles.c.published)
        .join(articles, articles.c.id == incident_articles.c.article_id)
        .order_by(articles.c.published.is_(None), articles.c.published, articles.c.id),
        incident_articles.c.incident_id)).all()
    by_incident: dict[str, list] = defaultdict(list)
    for m in members:
        by_incident[m.incident_id].append(m)
    return [
        {**{f: r._mapping[f] for f in SUMMARY_FIELDS},
         "actors": json.loads(r.actors), "targets": json.loads(r.targets),
         **_reporting(by_incident[r.id])}
        for r in rows
    ]


def read_mentions(conn, ids: Iterable[str] | None = None) -> dict[str, list[Mention]]:
    """`BriefingStore.incident_mentions` on a connection (e.g. within the transaction that
    writes the incidents)."""
    query = (
        select(incident_articles.c.incident_id, events.c.type, events.c.actor, events.c.target, events.c.date,
               events.c.date_basis, events.c.stance, events.c.evidence, events.c.sentence_start, events.c.id,
               articles.c.id.label("article_id"), articles.c.outlet, articles.c.published, articles.c.url,
               articles.c.title, articles.c.duplicate_of)
        .join(events, events.c.article_id == incident_articles.c.article_id)
        .join(articles, articles.c.id == incident_articles.c.article_id)
        .where(SETTLED)
        .order_by(events.c.id)
    )
    found: dict[str, list[Mention]] = defaultdict(list)
    chunks = [None] if ids is None else in_chunks(list(dict.fromkeys(ids)))
    for chunk in chunks:
        rows = conn.execute(query if chunk is None else query.where(incident_articles.c.incident_id.in_(chunk)))
        for r in rows:
            found[r.incident_id].append(Mention(
                type=r.type, actor=r.actor, target=r.target, date=r.date, evidence=r.evidence or "",
                article_id=r.article_id, outlet=r.outlet, published=r.published, url=r.url, title=r.title,
                duplicate_of=r.duplicate_of, date_basis=r.date_basis, stance=r.stance or "reported",
                position=r.sentence_start, order=r.id,
                lead=r.sentence_start is not None and r.sentence_start < LEAD_CHARS))
    return dict(found)


class BriefingStore:
    """Queries over incidents, events and articles for the briefing views."""

    def count_incidents(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(incidents)).scalar_one()

    def incident_summaries(self, ids: Iterable[str] | None = None,
                           mentions: dict[str, list[Mention]] | None = None, outline: bool = True) -> list[dict]:
        """Each incident (all, or these ids) with who reported it and what its facts are.

        Keys: the incident's fields, `actors`, `targets`, `outlets` (those that reported it
        first first; an outlet that only ran a syndicated copy of another member comes after
        every original's), `copy_outlets` (those of them that only ran copies), `copies`
        (member articles that are copies of another member), `article_count`, `event_types`
        (of its facts, in order of first report) and `effective` [(event type, date)] of its
        dated facts, by date (only with `outline`). `mentions` (as `incident_mentions` gives
        them) saves reading them again.
        """
        with self.engine.connect() as conn:
            if ids is None:
                found = read_summaries(conn, None)
            else:
                found = []
                for chunk in in_chunks(list(dict.fromkeys(ids))):
                    found.extend(read_summaries(conn, chunk))
        if not outline:
            return found
        if mentions is None:
            mentions = self.incident_mentions(None if ids is None else [f["id"] for f in found])
        for summary in found:
            summary.update(fact_outline(consolidate(mentions.get(summary["id"], []))))
        return found

    def incident_ids_first_seen(self, start: str, end: str) -> list[str]:
        """Incidents whose earliest article was published in [start, end)."""
        query = (select(incidents.c.id)
                 .where(incidents.c.first_seen >= start, incidents.c.first_seen < end)
                 .order_by(incidents.c.first_seen, incidents.c.id))
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def incident_ids_reported(self, start: str, end: str) -> list[str]:
        """Incidents with an article published in [start, end)."""
        query = (select(incident_articles.c.incident_id)
                 .join(articles, articles.c.id == incident_articles.c.article_id)
                 .where(_published_in(start, end)).distinct().order_by(incident_articles.c.incident_id))
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def incident_ids_latest(self, before: str, limit: int) -> list[str]:
        """The `limit` incidents last reported most recently before a day (undated ones never)."""
        query = (select(incidents.c.id).where(incidents.c.last_seen < before)
                 .order_by(incidents.c.last_seen.desc(), incidents.c.id).limit(limit))
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def count_published(self, start: str, end: str) -> int:
        """Articles published in [start, end)."""
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(articles).where(_published_in(start, end))).scalar_one()

    def crawl_health(self, window_hours: float = 6) -> dict:
        """How fresh the crawl is: `last_crawl` (when a listing or page was last fetched, or
        None when nothing was ever crawled), `newest_article` (latest publication), `sources`
        (how many are configured) and `failing` (names of sources none of whose feeds,
        sitemaps or section pages was read in the `window_hours` before the last crawl ended).
        """
        with self.engine.connect() as conn:
            last = conn.execute(select(func.max(fetches.c.fetched))).scalar_one()
            newest = conn.execute(select(func.max(articles.c.published))).scalar_one()
            listed = conn.execute(select(func.max(fetches.c.fetched)).where(fetches.c.kind != "article")).scalar_one()
            fresh = set()
            if listed is not None:
                since = _as_datetime(listed) - timedelta(hours=window_hours)
                fresh = set(conn.execute(select(fetches.c.url).where(
                    fetches.c.kind != "article", fetches.c.fetched >= since)).scalars())
            configured = conn.execute(select(sources.c.name, sources.c.config).order_by(sources.c.name)).all()
        failing = []
        for name, config in configured:
            try:
                listings = [u for key in ("feeds", "sitemaps", "start_urls") for u in json.loads(config).get(key) or []]
            except (ValueError, AttributeError):
                listings = []
            if listings and not fresh & set(listings):
                failing.append(name)
        return {"last_crawl": _as_datetime(last).isoformat(timespec="minutes") if last else None,
                "newest_article": newest, "sources": len(configured), "failing": failing}

    def dated_events_between(self, first: str, last: str) -> list[dict]:
        """Distinct events of clustered articles dated on a day in [first, last], by date.

        Keys: date, event_type, actor, target, incident_id, incident_title.
        """
        query = (
            select(events.c.date, events.c.type.label("event_type"), events.c.actor, events.c.target,
                   incidents.c.id.label("incident_id"), incidents.c.title.label("incident_title"))
            .join(incident_articles, incident_articles.c.article_id == events.c.article_id)
            .join(incidents, incidents.c.id == incident_articles.c.incident_id)
            .where(func.length(events.c.date) == 10, events.c.date >= first, events.c.date <= last,
                   events.c.stance != "denied", SETTLED, incident_articles.c.is_primary.is_(True))
            .distinct()
            .order_by(events.c.date, events.c.type, events.c.actor, events.c.target)
        )
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def fact_parties(self, start: str | None = None, end: str | None = None) -> list[dict]:
        """Actors and targets of the events of clustered articles (published in [start, end),
        or all), one row per event and side: incident_id, name, role ("actor" or "target"),
        event_type, entity_type (None when the name is no stored entity). Denied events are left out."""
        rows = []
        with self.engine.connect() as conn:
            for role, column in (("actor", events.c.actor), ("target", events.c.target)):
                query = (select(incident_articles.c.incident_id, column.label("name"), events.c.type.label("event_type"),
                                entities.c.type.label("entity_type"))
                         .join(events, events.c.article_id == incident_articles.c.article_id)
                         .outerjoin(entities, entities.c.name == column)
                         .where(events.c.stance != "denied", SETTLED).distinct())
                if start is not None:
                    query = query.join(articles, articles.c.id == incident_articles.c.article_id) \
                        .where(_published_in(start, end))
                rows += [{"incident_id": i, "name": n, "event_type": e, "entity_type": t, "role": role}
                         for i, n, e, t in conn.execute(query)]  # by position: cheaper than each row's mapping
        return rows

    def entity_names_and_types(self) -> list[tuple[str, str]]:
        """Every stored entity: (name, type)."""
        with self.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(select(entities.c.name, entities.c.type))]

    def outlet_names(self) -> list[str]:
        """Every outlet that published a stored article."""
        with self.engine.connect() as conn:
            return list(conn.execute(select(articles.c.outlet).distinct().where(articles.c.outlet.is_not(None))).scalars())

    def first_seen_span(self) -> tuple[str | None, str | None]:
        """Earliest and latest `first_seen` of any incident (None, None when there are none)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(func.min(incidents.c.first_seen), func.max(incidents.c.first_seen))).one()
        return row[0], row[1]

    def incident_mentions(self, ids: Iterable[str] | None = None) -> dict[str, list[Mention]]:
        """Every event sentence of each incident's articles (all incidents, or these ids), with
        the article that states it, as the `incidents.facts.Mention`s its facts are made of."""
        with self.engine.connect() as conn:
            return read_mentions(conn, ids)

    # --- one incident ---

    def incident_events(self, incident_id: str) -> list[dict]:
        """Every event reported in the incident's articles, with the article that reports it,
        in order of event date (undated last), then publication.

        Keys: date, type, actor, target, stance, evidence, article_id, outlet, title, published, url.
        """
        query = (
            select(events.c.date, events.c.type, events.c.actor, events.c.target, events.c.stance,
                   events.c.evidence, articles.c.id.label("article_id"), articles.c.outlet, articles.c.title,
                   articles.c.published, articles.c.url)
            .join(articles, articles.c.id == events.c.article_id)
            .join(incident_articles, incident_articles.c.article_id == articles.c.id)
            .where(incident_articles.c.incident_id == incident_id, SETTLED)
            .order_by(events.c.date.is_(None), events.c.date, articles.c.published, events.c.id)
        )
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def incident_articles_listed(self, incident_id: str) -> list[dict]:
        """The incident's articles, oldest first (undated last).

        Keys: id, outlet, title, published, url, is_primary, duplicate_of."""
        query = (
            select(articles.c.id, articles.c.outlet, articles.c.title, articles.c.published, articles.c.url,
                   incident_articles.c.is_primary, articles.c.duplicate_of)
            .join(incident_articles, incident_articles.c.article_id == articles.c.id)
            .where(incident_articles.c.incident_id == incident_id)
            .order_by(articles.c.published.is_(None), articles.c.published, articles.c.id)
        )
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def incident_entities(self, incident_id: str) -> list[dict]:
        """Entities named in the incident's articles, most often first. Keys: name, type, vendor, articles."""
        query = (
            select(entities.c.name, entities.c.type, entities.c.vendor,
                   func.count(distinct(mentions.c.article_id)).label("articles"))
            .join(mentions, mentions.c.entity_id == entities.c.id)
            .join(incident_articles, incident_articles.c.article_id == mentions.c.article_id)
            .where(incident_articles.c.incident_id == incident_id)
            .group_by(entities.c.name, entities.c.type, entities.c.vendor)
            .order_by(func.count(distinct(mentions.c.article_id)).desc(), entities.c.name)
        )
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def related_incidents(self, incident_id: str, limit: int = 8) -> list[dict]:
        """Other incidents whose articles name the same companies or products, most shared first.

        Keys: id, title, date, shared (number of entities in common).
        """
        own = (select(mentions.c.entity_id)
               .join(incident_articles, incident_articles.c.article_id == mentions.c.article_id)
               .join(entities, entities.c.id == mentions.c.entity_id)
               .where(incident_articles.c.incident_id == incident_id, entities.c.type.in_(("ORG", "PRODUCT"))))
        shared = func.count(distinct(mentions.c.entity_id))
        query = (
            select(incidents.c.id, incidents.c.title, incidents.c.date, shared.label("shared"))
            .join(incident_articles, incident_articles.c.incident_id == incidents.c.id)
            .join(mentions, mentions.c.article_id == incident_articles.c.article_id)
            .where(mentions.c.entity_id.in_(own), incidents.c.id != incident_id)
            .group_by(incidents.c.id, incidents.c.title, incidents.c.date)
            .order_by(shared.desc(), incidents.c.date.desc(), incidents.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    # --- entities ---

    def entity_incident_totals(self, types: Sequence[str] | None = None) -> list[dict]:
        """Entities (of these types) with the number of incidents naming them, most first
        (every name, parties or not: the analysts' list; executive views use `fact_parties`).

        Keys: name, type, vendor, incidents.
        """
        n = func.count(distinct(incident_articles.c.incident_id))
        query = (
            select(entities.c.name, entities.c.type, entities.c.vendor, n.label("incidents"))
            .join(mentions, mentions.c.entity_id == entities.c.id)
            .join(incident_articles, incident_articles.c.article_id == mentions.c.article_id)
            .group_by(entities.c.name, entities.c.type, entities.c.vendor)
            .order_by(n.desc(), entities.c.name)
        )
        if types:
            query = query.where(entities.c.type.in_(list(types)))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def entity_incident_ids(self, name: str) -> list[str]:
        """Incidents whose articles name this entity or whose events have it as actor or target."""
        named = (select(incident_articles.c.incident_id)
                 .join(mentions, mentions.c.article_id == incident_articles.c.article_id)
                 .join(entities, entities.c.id == mentions.c.entity_id)
                 .where(entities.c.name == name))
        acting = (select(incident_articles.c.incident_id)
                  .join(events, events.c.article_id == incident_articles.c.article_id)
                  .where(or_(events.c.actor == name, events.c.target == name), SETTLED))
        with self.engine.connect() as conn:
            return sorted(set(conn.execute(named).scalars()) | set(conn.execute(acting).scalars()))

    def counterparties(self, name: str) -> list[dict]:
        """Who this entity acted on or was acted on by, in clustered articles' events.

        Keys: counterparty, role ("actor" when the entity acted, "target" when acted on),
        type (event type), events, incidents.
        """
        rows = []
        with self.engine.connect() as conn:
            for role, own, other in (("actor", events.c.actor, events.c.target),
                                     ("target", events.c.target, events.c.actor)):
                query = (
                    select(other.label("counterparty"), events.c.type, func.count().label("events"),
                           func.count(distinct(incident_articles.c.incident_id)).label("incidents"))
                    .join(incident_articles, incident_articles.c.article_id == events.c.article_id)
                    .where(own == name, other != name, SETTLED)
                    .group_by(other, events.c.type)
                )
                rows += [{**r._mapping, "role": role} for r in conn.execute(query)]
        return sorted(rows, key=lambda r: (-r["incidents"], -r["events"], r["counterparty"], r["type"]))

    def products_of(self, vendor: str) -> list[dict]:
        """Products the gazetteer or the NLP stage attributes to this company. Keys: name, articles."""
        query = (
            select(entities.c.name, func.count(distinct(mentions.c.article_id)).label("articles"))
            .outerjoin(mentions, mentions.c.entity_id == entities.c.id)
            .where(entities.c.vendor == vendor)
            .group_by(entities.c.name)
            .order_by(func.count(distinct(mentions.c.article_id)).desc(), entities.c.name)
        )
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def event_links(self) -> list[dict]:
        """Who did what to whom in clustered articles, aggregated: the edges of an entity network.

        Keys: actor, target, type, incident_id, events.
        """
        query = (
            select(events.c.actor, events.c.target, events.c.type, incident_articles.c.incident_id,
                   func.count().label("events"))
            .join(incident_articles, incident_articles.c.article_id == events.c.article_id)
            .where(incident_articles.c.is_primary.is_(True))
            .group_by(events.c.actor, events.c.target, events.c.type, incident_articles.c.incident_id)
        )
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    # --- search results ---

    def article_listing(self, ids: Iterable[int]) -> list[dict]:
        """Articles by id with the incident each is mainly about.

        Keys: id, outlet, title, published, url, incident_id.
        """
        found: list[dict] = []
        wanted = list(dict.fromkeys(ids))
        with self.engine.connect() as conn:
            for chunk in in_chunks(wanted):
                query = (
                    select(articles.c.id, articles.c.outlet, articles.c.title, articles.c.published,
                           articles.c.url, incident_articles.c.incident_id)
                    .outerjoin(incident_articles, and_(incident_articles.c.article_id == articles.c.id,
                                                       incident_articles.c.is_primary.is_(True)))
                    .where(articles.c.id.in_(chunk))
                )
                found += [dict(r._mapping) for r in conn.execute(query)]
        order = {i: n for n, i in enumerate(wanted)}
        return sorted(found, key=lambda r: order[r["id"]])

    def article_vectors_all(self) -> tuple[list[int], np.ndarray]:
        """Ids of every embedded article and their vectors as the rows of one matrix."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(article_vectors.c.article_id, article_vectors.c.vector)
                                .order_by(article_vectors.c.article_id)).all()
        if not rows:
            return [], np.zeros((0, 0), dtype="<f4")
        return [r[0] for r in rows], np.vstack([np.frombuffer(r[1], dtype="<f4") for r in rows])
