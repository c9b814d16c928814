"""The read-only HTTP API: incidents, entities, articles, search and the graph queries,
with its OpenAPI spec at `/openapi.json`.

Routes only translate HTTP into calls of `dashboard.api.resources` and `graph.commands.graph_query`
(the functions the command line's `--json` prints) and back; `create_app` wires in the
store, the token check and ETags. Every answer is JSON, every list a page.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.responses import JSONResponse

from graph.build import NODE_KINDS
from graph.queries import RANKINGS
from graph.resolve import UnknownEntity
from incidents.errors import IncidentsError
from incidents.model import ENTITY_TYPES, EVENT_TYPES

from . import resources as r
from . import schemas as s
from .access import require_token
from .etag import ETagMiddleware
from .sources import Sources

DATE = r.DAY.pattern
EventType = Literal[EVENT_TYPES]  # type: ignore[valid-type]
NodeKind = Literal[NODE_KINDS]  # type: ignore[valid-type]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="position of the first item")]
Limit = Annotated[int, Query(ge=1, le=r.MAX_LIMIT, description="most items on the page")]
Since = Annotated[str | None, Query(pattern=DATE, description="on or after (YYYY-MM[-DD])")]
Until = Annotated[str | None, Query(pattern=DATE, description="on or before (YYYY-MM[-DD])")]
Events = Annotated[list[EventType] | None, Query(description="only these event types (repeatable)")]
Name = Annotated[str, Query(min_length=1, max_length=300, description="entity name (canonical or alias)")]

ERRORS = {400: {"model": s.Error, "description": "a parameter is not understood"},
          401: {"model": s.Error, "description": "a token is required"},
          404: {"model": s.Error, "description": "no such incident, entity or article"}}


def create_app(settings, sources: Sources | None = None) -> FastAPI:
    """The API over the store of `settings` (opened read-only now: a wrong --db fails here)."""
    from .feeds import feed_routes

    sources = sources or Sources(settings)
    app = FastAPI(title="incidents", version="1", responses=ERRORS,
                  description="Read-only API of the incident tracker: AI vendor and customer disputes and AI "
                              "security incidents found in the news. Lists are pages (`offset`, `limit`); "
                              "every answer carries an ETag.",
                  dependencies=[Depends(require_token(settings.api_token))])
    app.add_middleware(ETagMiddleware)
    app.state.sources = sources
    _error_handlers(app)
    store = sources.store

    @app.get("/incidents", response_model=s.Page[s.IncidentSummary], tags=["incidents"])
    def incidents(week: Annotated[str | None, Query(pattern=r"^\d{4}-?[Ww]\d{1,2}$",
                                                    description="ISO week, e.g. 2026-W28: incidents with an "
                                                                "article published in it")] = None,
                  company: Annotated[str | None, Query(max_length=300, description="canonical name of a company or "
                                                       "product the incident names")] = None,
                  type: Annotated[EventType | None, Query(description="incidents with an event of this type")] = None,
                  since: Since = None, until: Until = None,
                  q: Annotated[str | None, Query(max_length=500, description="every word in the title or "
                                                 "parties")] = None,
                  offset: Offset = 0, limit: Limit = r.DEFAULT_LIMIT):
        """Incidents matching every filter given, newest first (by the date of their earliest event)."""
        query = r.Query(week=week, company=company, event_type=type, since=since, until=until, text=q)
        return r.incident_list(store, query, offset, limit)

    @app.get("/incidents/{incident_id}", response_model=s.IncidentDetail, tags=["incidents"])
    def incident(incident_id: Annotated[str, Path(max_length=200)]):
        """One incident with its events (each with its evidence sentence and article), articles and entities."""
        return r.incident_detail(store, incident_id)

    @app.get("/entities", response_model=s.Page[s.EntityTotal], tags=["entities"])
    def entities(type: Annotated[Literal[ENTITY_TYPES] | None, Query()] = None,  # type: ignore[valid-type]
                 offset: Offset = 0, limit: Limit = r.DEFAULT_LIMIT):
        """Companies, products, people and places the incidents name, most incidents first."""
        return r.entity_list(store, type, offset, limit)

    @app.get("/entities/{name}", response_model=s.EntityDetail, tags=["entities"])
    def entity(name: Annotated[str, Path(max_length=300)]):
        """One entity by its canonical name: its incidents, counterparties and products."""
        return r.entity_detail(store, name)

    @app.get("/articles/{article_id}", response_model=s.ArticleRecord, tags=["articles"])
    def article(article_id: Annotated[int, Path(ge=1, le=2**62)]):
        """One article with its analysis, as `incidents export` writes it, by the number the store gave it."""
        return r.article_detail(store, article_id)

    @app.get("/search", response_model=s.SearchResults, tags=["search"])
    def search(q: Annotated[str, Query(min_length=1, max_length=500)],
               semantic: Annotated[bool, Query(description="also what is closest in meaning "
                                               "(loads a language model on first use)")] = False,
               limit: Annotated[int, Query(ge=1, le=100)] = 20):
        """Incidents and articles containing every word of `q`; with `semantic`, then those closest in meaning."""
        if semantic and q.strip():
            return r.search(store, q, index=sources.semantic_index(), vector=sources.embed(q), limit=limit)
        return r.search(store, q, limit=limit)

    _graph_routes(app, sources)
    app.include_router(feed_routes(sources))
    return app


def _graph_routes(app: FastAPI, sources: Sources) -> None:
    """The analyst queries of `incidents graph`, same names and options, same answers."""

    def answer(command: str, offset: int, page_limit: int, **params):
        result = graph_query(sources.graph(), command, SimpleNamespace(**params))
        return r.page(result, offset, page_limit)

    from graph.commands import graph_query

    @app.get("/graph/neighbours", response_model=s.Page[s.Neighbour], tags=["graph"])
    def neighbours(name: Name, hops: Annotated[int, Query(ge=1, le=4)] = 1,
                   kind: Annotated[list[NodeKind] | None, Query(description="only nodes of these kinds")] = None,
                   event: Events = None, articles: bool = False, since: Since = None, until: Until = None,
                   offset: Offset = 0, limit: Limit = r.DEFAULT_LIMIT):
        """Entities and incidents within `hops` of an entity, nearest first."""
        return answer("neighbours", offset, limit, name=name, hops=hops, node_types=kind, event_types=event,
                      articles=articles, since=since, until=until)

    @app.get("/graph/paths", response_model=s.Page[s.Path], tags=["graph"])
    def paths(source: Name, target: Name, cutoff: Annotated[int, Query(ge=1, le=6)] = 4,
              most: Annotated[int, Query(ge=1, le=100, description="most paths found")] = 10,
              event: Events = None, since: Since = None, until: Until = None,
              offset: Offset = 0, limit: Limit = r.DEFAULT_LIMIT):
        """The shortest connections between two entities, with the incidents on them."""
        return answer("paths", offset, limit, source=source, target=target, cutoff=cutoff, limit=most,
                      event_types=event, since=since, until=until)

    @app.get("/graph/timeline", response_model=s.Page[s.TimelineEvent], tags=["graph"])
    def timeline(name: Name, event: Events = None, since: Since = None, until: Until = None,
                 offset: Offset = 0, limit: Limit = r.DEFAULT_LIMIT):
        """Every event an entity took part in, oldest first."""
        return answer("timeline", offset, limit, name=name, event_types=event, since=since, until=until)

    @app.get("/graph/rank", response_model=s.Page[s.Ranked], tags=["graph"])
    def rank(by: Literal[RANKINGS] = "involvement",  # type: ignore[valid-type]
             kind: Annotated[list[Literal[NODE_KINDS[:4]]] | None, Query()] = None,  # type: ignore[valid-type]
             event: Events = None, top: Annotated[int, Query(ge=1, le=500)] = 20,
             since: Since = None, until: Until = None, offset: Offset = 0, limit: Limit = r.DEFAULT_LIMIT):
        """Entities ranked by involvement or centrality over a period."""
        return answer("rank", offset, limit, by=by, node_types=kind, event_types=event, top=top,
                      since=since, until=until, hidden=sources.store.hidden_entity_names())

    @app.get("/graph/between", response_model=s.Page[s.SharedIncident], tags=["graph"])
    def between(first: Name, second: Name, since: Since = None, until: Until = None,
                offset: Offset = 0, limit: Limit = r.DEFAULT_LIMIT):
        """Incidents in which both entities take part, with each one's roles."""
        return answer("between", offset, limit, first=first, second=second, since=since, until=until)

    @app.get("/graph/actions", response_model=s.Page[s.Action], tags=["graph"])
    def actions(vendor: Name, action: EventType = "ban", products_only: bool = False,
                since: Since = None, until: Until = None, offset: Offset = 0, limit: Limit = r.DEFAULT_LIMIT):
        """Who took an action (e.g. ban) against a vendor or its products."""
        return answer("actions", offset, limit, vendor=vendor, action=action, products_only=products_only,
                      since=since, until=until)


def _error_handlers(app: FastAPI) -> None:
    """A user's mistake is a 4xx with one line; bugs stay 500s with their traceback in the log."""

    @app.exception_handler(UnknownEntity)
    async def unknown(request: Request, exc: UnknownEntity):
        return JSONResponse({"detail": str(exc), "suggestions": exc.suggestions}, status_code=404)

    @app.exception_handler(r.NotFound)
    async def not_found(request: Request, exc: r.NotFound):
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(IncidentsError)
    async def bad_request(request: Request, exc: IncidentsError):
        return JSONResponse({"detail": str(exc)}, status_code=400)
