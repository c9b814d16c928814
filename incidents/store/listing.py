"""Incidents found by filters, a page at a time: what the HTTP API, its feeds and
`incidents list` read.

One query does the filtering and the ordering in the database, so a page of 10,000
incidents costs one indexed scan, not a pass over every incident in Python.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select, union

from .briefing import incident_text_matches
from .schema import articles, entities, events, incident_articles, incidents, mentions


@dataclass(frozen=True)
class IncidentFilter:
    """What an incident must match; None matches everything.

    `published_from`/`published_to` (inclusive `YYYY-MM-DD` days, e.g. an ISO week) keep
    incidents with an article published in the span; `since`/`until` keep incidents whose
    day (date of the earliest event, else of the first article) lies in the span;
    `entity` keeps incidents whose articles name it or whose events have it as actor or
    target; `event_type` keeps incidents with an event of that type; every word of `words`
    must appear in the title, actors or targets.
    """

    published_from: str | None = None
    published_to: str | None = None
    entity: str | None = None
    event_type: str | None = None
    since: str | None = None
    until: str | None = None
    words: Sequence[str] = ()


def incident_day():
    """The incident's day as a sortable `YYYY-MM[-DD]` string: its date, else first seen."""
    return func.coalesce(incidents.c.date, func.substr(incidents.c.first_seen, 1, 10))


class ListingStore:
    """Filtered, ordered, paged incident ids."""

    def find_incidents(self, where: IncidentFilter, offset: int = 0,
                       limit: int | None = None, newest: str = "day") -> tuple[int, list[str]]:
        """(how many match, the ids of one page), newest first.

        `newest` orders by the incident's `day` or by when it was last `updated` (feeds).
        """
        conditions = _conditions(where)
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(incidents).where(*conditions)).scalar_one()
            # NULLS LAST spelled out: SQLite and PostgreSQL put undated rows at opposite ends otherwise
            newest_first = (incidents.c.updated if newest == "updated" else incident_day()).desc().nulls_last()
            query = select(incidents.c.id).where(*conditions).order_by(newest_first, incidents.c.id).offset(offset)
            if limit is not None:
                query = query.limit(limit)
            return total, list(conn.execute(query).scalars())

    def incident_updates(self, ids: Sequence[str]) -> dict[str, object]:
        """When each of these incidents was last written by `incidents link`."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(incidents.c.id, incidents.c.updated).where(incidents.c.id.in_(list(ids))))
            return {r.id: r.updated for r in rows}

    def entity_named(self, name: str) -> dict | None:
        """The stored entity with this canonical name (name, type, vendor), or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(entities.c.name, entities.c.type, entities.c.vendor)
                               .where(entities.c.name == name)).first()
        return dict(row._mapping) if row else None


def _conditions(where: IncidentFilter) -> list:
    # Each filter is one uncorrelated `id IN (...)`: computed once, not once per incident (a
    # correlated EXISTS took SQLite seconds over 10,000 incidents).
    member = incident_articles.c.incident_id
    found = []
    if where.published_from or where.published_to:
        span = []
        if where.published_from:
            span.append(articles.c.published >= where.published_from)
        if where.published_to:
            # a datetime on the last day sorts after the bare day: compare with the next character
            span.append(articles.c.published < where.published_to + "\uffff")
        found.append(incidents.c.id.in_(
            select(member).join(articles, articles.c.id == incident_articles.c.article_id).where(*span)))
    if where.entity:
        named = (select(member)
                 .join(mentions, mentions.c.article_id == incident_articles.c.article_id)
                 .join(entities, entities.c.id == mentions.c.entity_id)
                 .where(entities.c.name == where.entity))
        acting = (select(member)
                  .join(events, events.c.article_id == incident_articles.c.article_id)
                  .where(or_(events.c.actor == where.entity, events.c.target == where.entity)))
        found.append(incidents.c.id.in_(union(named, acting)))
    if where.event_type:
        found.append(incidents.c.id.in_(
            select(member).join(events, events.c.article_id == incident_articles.c.article_id)
            .where(events.c.type == where.event_type)))
    day = incident_day()
    if where.since:
        found.append(day >= where.since)
    if where.until:
        found.append(and_(day.is_not(None), day < where.until + "\uffff"))
    if where.words:
        found.extend(incident_text_matches(where.words))
    return found
