"""Atom feeds (RFC 4287) of new and updated incidents: all of them, per company or product,
per event type, and per saved search of the config file.

The XML is built with lxml, which escapes every text it is given; web text additionally
loses bidi overrides and control characters (`display_text`) and what XML forbids
(`xml_text`), so a hostile title is shown as the words it is and never breaks the feed.
Entry ids are URNs derived from the incident id: a feed reader keeps an incident as one
item across updates, and entries come newest-updated first.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request, Response
from lxml import etree
from lxml.builder import ElementMaker

from incidents.errors import IncidentsError
from incidents.event_types import EVENT_TYPES, label
from incidents.model import parse_published
from incidents.store import IncidentFilter
from incidents.webtext import display_text, xml_text

from .resources import NotFound, Query as IncidentQuery

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
ENTRIES = 50
"""Entries in a feed: the incidents most recently new or updated."""

SEARCH_KEYS = {"q", "company", "type"}
"""What a saved search (`[searches.NAME]` in the config file) may set."""

ID_SPACE = uuid.UUID("6f1c9a0e-2b1d-5c3e-9a47-1d2e3f405162")
"""Namespace of the entries' and feeds' UUIDs: fixed, so ids never change between servers."""

A = ElementMaker(namespace=ATOM_NS, nsmap={None: ATOM_NS})


def feed_routes(sources) -> APIRouter:
    """The feeds' routes over the API's store."""
    router = APIRouter(prefix="/feeds", tags=["feeds"])
    atom = {200: {"content": {"application/atom+xml": {"schema": {"type": "string"}}},
                  "description": "an Atom feed"}}

    def serve(request: Request, title: str, where: IncidentFilter) -> Response:
        where_in_api = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        body = build_feed(sources.store, sources.settings, title, where, where_in_api, _base(request, sources))
        return Response(body, media_type=MEDIA_TYPE)

    @router.get("/incidents.atom", response_class=Response, responses=atom)
    def incidents(request: Request,
                  company: Annotated[str | None, Query(max_length=300)] = None,
                  type: Annotated[str | None, Query(max_length=40)] = None,
                  q: Annotated[str | None, Query(max_length=500)] = None):
        """New and updated incidents (optionally only those naming a company, of an event type, with words)."""
        where = IncidentQuery(company=company, event_type=type, text=q).to_filter()
        return serve(request, _title(company, type, q), where)

    @router.get("/entities/{name}.atom", response_class=Response, responses=atom)
    def entity(request: Request, name: Annotated[str, Path(max_length=300)]):
        """New and updated incidents naming a company or product (its canonical name)."""
        if sources.store.entity_named(name) is None:
            raise NotFound(f"no entity named {name!r} (names are canonical, as /entities lists them)")
        return serve(request, f"Incidents naming {name}", IncidentFilter(entity=name))

    @router.get("/types/{event_type}.atom", response_class=Response, responses=atom)
    def event_type(request: Request, event_type: Annotated[str, Path(max_length=40)]):
        """New and updated incidents with an event of this type."""
        where = IncidentQuery(event_type=event_type).to_filter()
        return serve(request, f"Incidents: {event_type.replace('_', ' ')}", where)

    @router.get("/searches/{name}.atom", response_class=Response, responses=atom)
    def saved(request: Request, name: Annotated[str, Path(max_length=100)]):
        """New and updated incidents of a search saved in the config file (`[searches.NAME]`)."""
        query = saved_searches(sources.settings).get(name)
        if query is None:
            known = ", ".join(sorted(saved_searches(sources.settings))) or "none configured"
            raise NotFound(f"no saved search {name!r} (saved searches: {known})")
        return serve(request, f"Saved search: {name}", query.to_filter())

    return router


def saved_searches(settings) -> dict[str, IncidentQuery]:
    """The `[searches.NAME]` tables of the config file, each a query of /incidents."""
    found = {}
    for name, table in settings.section("searches").items():
        where = f"{settings.source or 'config'}: [searches.{name}]"
        if not isinstance(table, dict) or not table or set(table) - SEARCH_KEYS \
                or not all(isinstance(v, str) for v in table.values()):
            raise IncidentsError(f"{where}: expected a table of {', '.join(sorted(SEARCH_KEYS))} (strings)")
        found[name] = IncidentQuery(company=table.get("company"), event_type=table.get("type"), text=table.get("q"))
    return found


def build_feed(store, settings, title: str, where: IncidentFilter, path: str, api_base: str) -> bytes:
    """The Atom document of the incidents matching `where`, most recently updated first;
    `path` (with its query) is where the API serves it, `api_base` the API's public URL."""
    _, ids = store.find_incidents(where, 0, ENTRIES, newest="updated")
    summaries = {s["id"]: s for s in store.incident_summaries(ids)}
    updated = store.incident_updates(ids)
    entries = [_entry(summaries[i], updated.get(i), settings.dashboard_url, api_base) for i in ids if i in summaries]
    newest = max((_instant(updated.get(i)) for i in ids), default=datetime(1970, 1, 1, tzinfo=timezone.utc))
    feed = A.feed(
        A.id(_urn(f"feed:{path}")),
        A.title(_text(title)),
        A.updated(_rfc3339(newest)),
        A.author(A.name("incidents tracker")),
        A.generator("incidents"),
        A.link(rel="self", type="application/atom+xml", href=xml_text(api_base + path)),
        A.link(rel="alternate", type="text/html", href=xml_text(settings.dashboard_url)),
        *entries,
    )
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _entry(summary: dict, updated, dashboard_url: str, api_base: str):
    from dashboard.digest.compose import incident_url

    incident_id = summary["id"]
    published = parse_published(summary.get("first_seen"))
    parts = [
        A.id(_urn(f"incident:{incident_id}")),
        A.title(_text(summary["title"])),
        A.updated(_rfc3339(_instant(updated))),
        *([A.published(_rfc3339(datetime(published.year, published.month, published.day, tzinfo=timezone.utc)))]
          if published else []),
        A.link(rel="alternate", type="text/html", href=xml_text(incident_url(dashboard_url, incident_id))),
        A.link(rel="related", type="application/json",
               href=xml_text(f"{api_base}/incidents/{quote(incident_id, safe='')}")),
        *(A.category(term=t, label=label(t)) for t in summary["event_types"] if t in EVENT_TYPES),
        A.summary(_text(_summary_line(summary)), type="text"),
    ]
    return A.entry(*parts)


def _summary_line(summary: dict) -> str:
    """`ban: Alibaba -> Claude Code; dated 2026-07-10; 2 articles (Example Wire, Kernel Post)`."""
    sides = [", ".join(summary["actors"]), ", ".join(summary["targets"])]
    parts = [f"{(summary['main_type'] or 'incident').replace('_', ' ')}: " + " -> ".join(s for s in sides if s)]
    if summary.get("date"):
        parts.append(f"dated {summary['date']}")
    count = summary["article_count"]
    outlets = f" ({', '.join(summary['outlets'])})" if summary["outlets"] else ""
    parts.append(f"{count} article{'s' if count != 1 else ''}{outlets}")
    return "; ".join(parts)


def _title(company, event_type, words) -> str:
    said = [f"naming {company}" if company else "", f"of type {event_type}" if event_type else "",
            f"with {words!r}" if words else ""]
    return " ".join(["Incidents", *(s for s in said if s)]) if any(said) else "New and updated incidents"


def _base(request: Request, sources) -> str:
    """The API's public base URL: the `api_url` setting, else the address the request came to."""
    return (sources.settings.api_url or str(request.base_url)).rstrip("/")


def _text(value) -> str:
    return xml_text(display_text(value))


def _urn(name: str) -> str:
    return uuid.uuid5(ID_SPACE, name).urn


def _instant(value) -> datetime:
    """A stored timestamp as an aware UTC datetime (SQLite hands back naive ones)."""
    if not isinstance(value, datetime):
        return datetime(1970, 1, 1, tzinfo=timezone.utc)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
