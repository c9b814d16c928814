"""Read-only queries the briefing (dashboard and weekly digest) needs.

Dates are compared as ISO strings: `published` and `first_seen` hold ISO dates or
datetimes, so `start <= value < end` with `start`/`end` as `YYYY-MM-DD` selects whole days.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
from sqlalchemy import and_, distinct, func, or_, select

from .schema import article_vectors, articles, entities, events, incident_articles, incidents, mentions

CHUNK = 500
"""Ids per IN (...) clause, well under any database's limit on bound parameters."""

SUMMARY_FIELDS = ("id", "title", "date", "main_type", "first_seen", "last_seen")


def _published_in(start: str, end: str):
    return and_(articles.c.published >= start, articles.c.published < end)


def incident_text_matches(words: Sequence[str]) -> list:
    """Conditions: every word appears in the incident's title, actors or targets (any case)."""
    haystack = func.lower(incidents.c.title + " " + incidents.c.actors + " " + incidents.c.targets)
    return [haystack.contains(w.lower(), autoescape=True) for w in words]


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for offset in range(0, len(ids), CHUNK):
        yield ids[offset:offset + CHUNK]


class BriefingStore:
    """Queries over incidents, events and articles for the briefing views."""

    def count_incidents(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(incidents)).scalar_one()

    def incident_summaries(self, ids: Iterable[str] | None = None) -> list[dict]:
        """Each incident (all, or these ids) with its event types, outlets and dated events.

        Keys: the incident's fields, `actors`, `targets`, `event_types` (in order of first
        report), `outlets` (sorted), `article_count`, `effective` [(event type, date)] sorted by date.
        """
        with self.engine.connect() as conn:
            if ids is None:
                return self._summaries(conn, None)
            found: list[dict] = []
            for chunk in _chunks(list(dict.fromkeys(ids))):
                found.extend(self._summaries(conn, chunk))
            return found

    @staticmethod
    def _summaries(conn, ids: Sequence[str] | None) -> list[dict]:
        def only(query, column):
            return query if ids is None else query.where(column.in_(ids))

        rows = conn.execute(only(select(*(incidents.c[f] for f in SUMMARY_FIELDS), incidents.c.actors,
                                        incidents.c.targets), incidents.c.id)).all()
        members = conn.execute(only(
            select(incident_articles.c.incident_id, articles.c.outlet)
            .join(articles, articles.c.id == incident_articles.c.article_id), incident_articles.c.incident_id)).all()
        facts = conn.execute(only(
            select(incident_articles.c.incident_id, events.c.type, events.c.date)
            .join(events, events.c.article_id == incident_articles.c.article_id)
            .order_by(events.c.id), incident_articles.c.incident_id)).all()
        outlets: dict[str, set[str]] = defaultdict(set)
        counts: dict[str, int] = defaultdict(int)
        for m in members:
            counts[m.incident_id] += 1
            if m.outlet:
                outlets[m.incident_id].add(m.outlet)
        types: dict[str, dict[str, None]] = defaultdict(dict)
        dated: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for f in facts:
            types[f.incident_id][f.type] = None
            if f.date:
                dated[f.incident_id].add((f.type, f.date))
        return [
            {**{f: r._mapping[f] for f in SUMMARY_FIELDS},
             "actors": json.loads(r.actors), "targets": json.loads(r.targets),
             "event_types": list(types[r.id]), "outlets": sorted(outlets[r.id]),
             "article_count": counts[r.id], "effective": sorted(dated[r.id], key=lambda td: (td[1], td[0]))}
            for r in rows
        ]

    def incident_ids_first_seen(self, start: str, end: str) -> list[str]:
        """Incidents whose earliest article was published in [start, end)."""
        query = (select(incidents.c.id)
                 .where(incidents.c.first_seen >= start, incidents.c.first_seen < end)
                 .order_by(incidents.c.first_seen, incidents.c.id))
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def incident_ids_escalated(self, start: str, end: str, types: Sequence[str]) -> list[str]:
        """Incidents first seen before `start` that gained an event of these types in an
        article published in [start, end); a denied event is no escalation."""
        query = (
            select(incidents.c.id)
            .join(incident_articles, incident_articles.c.incident_id == incidents.c.id)
            .join(articles, articles.c.id == incident_articles.c.article_id)
            .join(events, events.c.article_id == articles.c.id)
            .where(_published_in(start, end), events.c.type.in_(list(types)), events.c.stance != "denied",
                   or_(incidents.c.first_seen < start, incidents.c.first_seen.is_(None)))
            .distinct()
            .order_by(incidents.c.id)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

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
                   events.c.stance != "denied", incident_articles.c.is_primary.is_(True))
            .distinct()
            .order_by(events.c.date, events.c.type, events.c.actor, events.c.target)
        )
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def entity_incident_counts(self, start: str, end: str, types: Sequence[str]) -> dict[str, tuple[str, int]]:
        """For entities of these types: name -> (type, number of incidents with an article
        published in [start, end) that mentions the entity)."""
        query = (
            select(entities.c.name, entities.c.type,
                   func.count(distinct(incident_articles.c.incident_id)).label("n"))
            .join(mentions, mentions.c.entity_id == entities.c.id)
            .join(articles, articles.c.id == mentions.c.article_id)
            .join(incident_articles, incident_articles.c.article_id == articles.c.id)
            .where(_published_in(start, end), entities.c.type.in_(list(types)))
            .group_by(entities.c.name, entities.c.type)
        )
        with self.engine.connect() as conn:
            return {r.name: (r.type, r.n) for r in conn.execute(query)}

    def first_seen_span(self) -> tuple[str | None, str | None]:
        """Earliest and latest `first_seen` of any incident (None, None when there are none)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(func.min(incidents.c.first_seen), func.max(incidents.c.first_seen))).one()
        return row[0], row[1]

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
            .where(incident_articles.c.incident_id == incident_id)
            .order_by(events.c.date.is_(None), events.c.date, articles.c.published, events.c.id)
        )
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def incident_articles_listed(self, incident_id: str) -> list[dict]:
        """The incident's articles, oldest first. Keys: id, outlet, title, published, url, is_primary."""
        query = (
            select(articles.c.id, articles.c.outlet, articles.c.title, articles.c.published, articles.c.url,
                   incident_articles.c.is_primary)
            .join(incident_articles, incident_articles.c.article_id == articles.c.id)
            .where(incident_articles.c.incident_id == incident_id)
            .order_by(articles.c.published, articles.c.id)
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
        """Entities (of these types) with the number of incidents naming them, most first.

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
                  .where(or_(events.c.actor == name, events.c.target == name)))
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
                    .where(own == name, other != name)
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

    # --- search ---

    def search_incidents_text(self, words: Sequence[str], limit: int = 50) -> list[str]:
        """Ids of incidents whose title, actors or targets contain every word (case-insensitive)."""
        query = (select(incidents.c.id)
                 .where(*incident_text_matches(words))
                 .order_by(incidents.c.date.desc(), incidents.c.id).limit(limit))
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def search_articles_text(self, words: Sequence[str], limit: int = 50) -> list[int]:
        """Ids of articles whose title or text contains every word (case-insensitive), newest first."""
        haystack = func.lower(func.coalesce(articles.c.title, "") + " " + func.coalesce(articles.c.text, ""))
        query = (select(articles.c.id)
                 .where(*(haystack.contains(w.lower(), autoescape=True) for w in words))
                 .order_by(articles.c.published.desc(), articles.c.id).limit(limit))
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def article_listing(self, ids: Iterable[int]) -> list[dict]:
        """Articles by id with the incident each is mainly about.

        Keys: id, outlet, title, published, url, incident_id.
        """
        found: list[dict] = []
        wanted = list(dict.fromkeys(ids))
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted):
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
