"""Read-only queries the briefing (dashboard and weekly digest) needs.

Dates are compared as ISO strings: `published` and `first_seen` hold ISO dates or
datetimes, so `start <= value < end` with `start`/`end` as `YYYY-MM-DD` selects whole days.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import and_, distinct, func, or_, select

from .schema import articles, entities, events, incident_articles, incidents, mentions

CHUNK = 500
"""Ids per IN (...) clause, well under any database's limit on bound parameters."""

SUMMARY_FIELDS = ("id", "title", "date", "main_type", "first_seen", "last_seen")


def _published_in(start: str, end: str):
    return and_(articles.c.published >= start, articles.c.published < end)


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
