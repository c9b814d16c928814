"""What the HTTP API serves, as plain JSON-ready values.

Each resource is one function over the store (or the incident graph); the API's routes
and the command line's `--json` (`incidents list`, `show`, `entity`, `search`, `graph ...`)
call the same function, so both give the same answer to the same question.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from incidents.errors import IncidentsError
from incidents.store import IncidentFilter

DEFAULT_LIMIT = 50
"""Items on a page unless the caller asks for another number."""

MAX_LIMIT = 500
"""The most items one page holds: a page of 10,000 incidents is a page too many."""

DAY = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")
"""A day or month as the tracker writes dates: YYYY-MM or YYYY-MM-DD."""


class NotFound(IncidentsError):
    """No such incident, article or entity; the message names it."""


@dataclass(frozen=True)
class Query:
    """The filters of an incident listing as a person gives them (all optional)."""

    week: str | None = None
    company: str | None = None
    event_type: str | None = None
    since: str | None = None
    until: str | None = None
    text: str | None = None

    def to_filter(self) -> IncidentFilter:
        """The store's filter; IncidentsError naming the field that is not understood."""
        from dashboard.briefing import parse_week
        from dashboard.digest.commands import believable_week
        from incidents.model import EVENT_TYPES

        first = last = None
        if self.week:
            week = believable_week(parse_week(self.week))
            first, last = week.monday.isoformat(), week.sunday.isoformat()
        for name in ("since", "until"):
            value = getattr(self, name)
            if value and not DAY.match(value):
                raise IncidentsError(f"{name} {value!r}: not a date (YYYY-MM or YYYY-MM-DD)")
        if self.event_type and self.event_type not in EVENT_TYPES:
            raise IncidentsError(f"type {self.event_type!r}: not an event type (one of {', '.join(EVENT_TYPES)})")
        return IncidentFilter(published_from=first, published_to=last, entity=self.company or None,
                              event_type=self.event_type or None, since=self.since or None,
                              until=self.until or None, words=tuple((self.text or "").split()))


def page(items: list, offset: int, limit: int, total: int | None = None) -> dict:
    """One page of a list: {total, offset, limit, items}; `items` already cut when `total` is given."""
    check_page(offset, limit)
    if total is None:
        total, items = len(items), items[offset:offset + limit]
    return {"total": total, "offset": offset, "limit": limit, "items": items}


def check_page(offset: int, limit: int) -> None:
    if offset < 0:
        raise IncidentsError(f"offset {offset}: must be 0 or more")
    if not 1 <= limit <= MAX_LIMIT:
        raise IncidentsError(f"limit {limit}: must be between 1 and {MAX_LIMIT}")


# --- incidents -----------------------------------------------------------------------------


def incident_list(store, query: Query, offset: int = 0, limit: int = DEFAULT_LIMIT) -> dict:
    """A page of the incidents matching `query`, newest first, each as its summary."""
    check_page(offset, limit)
    total, ids = store.find_incidents(query.to_filter(), offset, limit)
    return page(_summaries_in_order(store, ids), offset, limit, total)


def incident_detail(store, incident_id: str) -> dict:
    """One incident: its summary, its facts (each once, with every source), every event with
    the sentence and article that state it, its articles, the entities its articles name,
    and related incidents. An id an analyst merged away answers with the incident it was
    merged into (links already sent keep working)."""
    from incidents.facts import consolidate

    incident_id = store.incident_redirect(incident_id) or incident_id
    found = store.incident_summaries([incident_id])
    if not found:
        raise NotFound(f"no incident {incident_id!r}")
    facts = consolidate(store.incident_mentions([incident_id]).get(incident_id, []))
    return {"incident": found[0], "facts": [f.as_dict() for f in facts],
            "events": store.incident_events(incident_id),
            "articles": store.incident_articles_listed(incident_id),
            "entities": store.incident_entities(incident_id),
            "related": store.related_incidents(incident_id)}


def _summaries_in_order(store, ids: list[str]) -> list[dict]:
    by_id = {s["id"]: s for s in store.incident_summaries(ids)}
    return [_summary(by_id[i]) for i in ids if i in by_id]


def _summary(found: dict) -> dict:
    # (type, date) pairs as lists: what JSON makes of them anyway, so both outputs compare equal
    return {**found, "effective": [list(pair) for pair in found["effective"]]}


# --- entities ------------------------------------------------------------------------------


def entity_list(store, entity_type: str | None = None, offset: int = 0, limit: int = DEFAULT_LIMIT) -> dict:
    """A page of the entities the incidents name, with how many incidents name each, most first."""
    return page(store.entity_incident_totals([entity_type] if entity_type else None), offset, limit)


def entity_detail(store, name: str) -> dict:
    """One entity by its canonical name: the incidents naming it (newest first), who it
    acted on or was acted on by, and, for a company, its products."""
    found = store.entity_named(name)
    if found is None:
        raise NotFound(f"no entity named {name!r} (names are canonical, as /entities lists them)")
    _, ids = store.find_incidents(IncidentFilter(entity=name))
    return {**found, "incidents": ids, "counterparties": store.counterparties(name),
            "products": store.products_of(name)}


# --- articles ------------------------------------------------------------------------------


def article_detail(store, article_id: int) -> dict:
    """One article as `incidents export` writes it (its `id` is the export's), by its store number."""
    from incidents.export import article_record, record_id

    article = store.get_article(article_id)
    if article is None:
        raise NotFound(f"no article {article_id}")
    analysis = store.analyses_for([article_id]).get(article_id)
    if analysis is not None:
        analysis.embedding = None
    incident = store.primary_incidents([article_id]).get(article_id)
    return article_record(article, analysis, incident, record_id(article, store.given_ids()))


# --- search --------------------------------------------------------------------------------


def search(store, text: str, *, index=None, vector=None, limit: int = 20) -> dict:
    """Incidents and articles matching every word of `text`, then (given the semantic
    `index` and the query's `vector`) those closest in meaning; each with its similarity."""
    from dashboard.search import run_search

    found = run_search(store, text, index=index, vector=vector, limit=limit)
    incidents = {s["id"]: s for s in store.incident_summaries(found.incident_ids)}
    return {
        "query": text,
        "semantic": vector is not None,
        "incidents": [{k: incidents[i][k] for k in ("id", "title", "date", "main_type")}
                      | {"score": found.scores.get(("incident", i))}
                      for i in found.incident_ids if i in incidents],
        "articles": [{**row, "score": found.scores.get(("article", row["id"]))}
                     for row in store.article_listing(found.article_ids)],
    }
