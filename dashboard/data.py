"""Every read the dashboard makes, each a top-level cached function.

`st.cache_resource` holds the store and the embedder (one per process, shared by all
sessions); `st.cache_data` holds query results for `TTL` seconds, bounded by
`max_entries`. Each query takes the store URL as its first argument, so two stores
(e.g. two tests in one process) never share a cached result. No widgets in here.
Every text read here passes through `incidents.webtext.shown`: no bidi override or control
character from a page reaches a reader.
"""
from __future__ import annotations

import os

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.briefing import (
    Briefing,
    IncidentCard,
    IsoWeek,
    build_briefing,
    incident_cards,
    last_complete_week,
    parse_week,
)
from dashboard.briefing import party_totals as party_totals_of
from incidents.config import load_settings
from incidents.corrections import ENTITY_KINDS, IncidentRules, concerning, corrected_facts, in_force
from incidents.model import parse_published
from incidents.store import Store, display_url
from incidents.webtext import shown

TTL = 300
"""Seconds a query result is reused: a crawl or link run shows up within five minutes."""

WEEKS_OFFERED = 104
"""How many weeks back the week picker reaches."""


def store_url() -> str:
    """The store the app reads: `$INCIDENTS_DB` (set by `incidents dashboard`), else the settings."""
    return os.environ.get("INCIDENTS_DB") or load_settings().db


def store_label(url: str) -> str:
    """The URL as shown to a reader: any password hidden."""
    return display_url(url)


@st.cache_resource(max_entries=4)
def store(url: str) -> Store:
    return Store(url, read_only=True)  # the dashboard only reads: it never creates or upgrades a store


@st.cache_data(ttl=TTL, max_entries=8)
def store_counts(url: str) -> dict[str, int]:
    """How much the store holds: articles and incidents (for the first-run page and the frame)."""
    s = store(url)
    return {"articles": s.count_articles(), "incidents": s.count_incidents()}


# --- briefing ---

@st.cache_data(ttl=TTL, max_entries=32)
def briefing(url: str, week: str) -> Briefing:
    return shown(build_briefing(store(url), parse_week(week)))


@st.cache_data(ttl=TTL, max_entries=8)
def default_week(url: str) -> str:
    """The last complete week, or the week of the newest incident when the news is older."""
    newest = parse_published(store(url).first_seen_span()[1])
    week = last_complete_week()
    if newest is not None and newest < week.monday:
        week = IsoWeek.of(newest)
    return str(week)


@st.cache_data(ttl=TTL, max_entries=8)
def week_choices(url: str) -> list[str]:
    """Weeks to pick from, newest first: from the current week back to the oldest incident."""
    oldest = parse_published(store(url).first_seen_span()[0])
    week = IsoWeek.of(pd.Timestamp.today().date())
    weeks = []
    while len(weeks) < WEEKS_OFFERED:
        weeks.append(str(week))
        if oldest is None or week.monday <= oldest:
            break
        week = week.previous()
    return weeks


# --- incidents ---

@st.cache_data(ttl=TTL, max_entries=8)
def incident_table(url: str) -> pd.DataFrame:
    """One row per incident: its card's fields (not its facts) and what a card says
    (`summary`, `lead`, `event_types`, `who_to_whom`, `outlet_count`), `day` as a timestamp
    (incident date, else first seen; NaT when neither is known). Read from the outlines
    `incidents link` stores with the incidents (`incidents.store.outlines`), not worked out
    from every article's events; `incident` has each row's card, facts and all."""
    columns = [name for name in IncidentCard.__dataclass_fields__ if name != "facts"]
    said = ("summary", "lead", "event_types", "who_to_whom")
    outlines = store(url).incident_outlines()
    cards = [IncidentCard(**{name: o[name] for name in columns if name in o}) for o in outlines]
    rows = shown([{**{name: getattr(c, name) for name in columns}, **{name: o[name] for name in said},
                   "outlet_count": c.outlet_count}
                  for c, o in zip(cards, outlines)])  # what is shown passes through `shown`
    frame = pd.DataFrame(rows, columns=[*columns, *said, "outlet_count"])
    frame["day"] = pd.to_datetime(frame["date"].fillna(frame["first_seen"]).str.slice(0, 10),
                                  format="mixed", errors="coerce")
    return frame


@st.cache_data(ttl=TTL, max_entries=8)
def incident_choices(url: str) -> list[dict]:
    """Every incident's id and title, latest first, for a picker."""
    table = incident_table(url)
    rows = sorted(zip(table["id"], table["title"], table["date"].fillna(table["first_seen"]).fillna("")),
                  key=lambda r: (r[2], r[0]), reverse=True)
    return [{"id": i, "title": t} for i, t, _ in rows]


@st.cache_data(ttl=TTL, max_entries=64)
def incident(url: str, incident_id: str) -> IncidentCard | None:
    """The incident's card, with its facts."""
    found = incident_cards(store(url), [incident_id], clean=shown)
    return found[0] if found else None


@st.cache_data(ttl=TTL, max_entries=64)
def incident_articles(url: str, incident_id: str) -> list[dict]:
    """The incident's articles, oldest first; `copy_of` names the outlet a syndicated copy repeats."""
    rows = shown(store(url).incident_articles_listed(incident_id))
    outlets = {r["id"]: r["outlet"] or "another outlet" for r in rows}
    return [{**r, "copy_of": outlets.get(r["duplicate_of"])} for r in rows]


@st.cache_data(ttl=TTL, max_entries=64)
def incident_entities(url: str, incident_id: str) -> pd.DataFrame:
    return pd.DataFrame(shown(store(url).incident_entities(incident_id)), columns=["name", "type", "vendor", "articles"])


@st.cache_data(ttl=TTL, max_entries=64)
def related_incidents(url: str, incident_id: str) -> list[dict]:
    return shown(store(url).related_incidents(incident_id))


# --- analysts' corrections ---

@st.cache_data(ttl=TTL, max_entries=64)
def incident_corrections(url: str, incident_id: str) -> dict:
    """The corrections that shaped an incident: `entries` (log rows, newest last), `title`
    (the retitle in force, if any) and `facts` ((type, actor, target, date) -> the entry
    that left the fact so)."""
    made = store(url).incident_corrections(incident_id)
    entries = {c.id: {**c.as_dict(), "text": c.describe()} for c in made}
    retitles = [entries[c.id] for c in made if c.kind == "retitle"]
    return {"entries": shown(list(entries.values())), "title": shown(retitles[-1]) if retitles else None,
            "facts": {shown(key): shown(entries[c.id]) for key, c in corrected_facts(made).items()}}


@st.cache_data(ttl=TTL, max_entries=64)
def incident_redirect(url: str, incident_id: str) -> dict | None:
    """Where a merged-away incident id leads now, and the merge that made it so."""
    log = store(url).correction_log()
    kept = IncidentRules.from_log(log).redirects.get(incident_id)
    if kept is None:
        return None
    merge = next((c for c in reversed(in_force(log)) if c.kind == "merge" and c.subject == incident_id), None)
    return shown({"id": kept, "merge": {**merge.as_dict(), "text": merge.describe()} if merge else None})


@st.cache_data(ttl=TTL, max_entries=64)
def entity_corrections(url: str, name: str) -> list[dict]:
    """The corrections in force about an entity (under its name then or now), oldest first."""
    log = store(url).correction_log()
    return shown([{**c.as_dict(), "text": c.describe()} for c in concerning(log, "", (), [name])
                  if c.kind in ENTITY_KINDS])


@st.cache_data(ttl=TTL, max_entries=64)
def article_refs(url: str, ids: tuple[int, ...]) -> dict[int, str]:
    """How exports (and corrections) name each article: the id given at ingest, else the store's key."""
    return store(url).article_refs(ids)


@st.cache_data(ttl=TTL, max_entries=8)
def entity_types(url: str) -> dict[str, str]:
    """Every stored entity's name -> type, for the pickers of entity corrections."""
    return dict(shown(store(url).entity_names_and_types()))


# --- entities ---

@st.cache_data(ttl=TTL, max_entries=16)
def party_totals(url: str, types: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Parties (actor or target of a fact; no place, court, outlet, document or fragment)
    with the number of incidents they take part in, most first."""
    return pd.DataFrame([{"name": p.name, "type": p.type, "incidents": len(p.incidents)}
                         for p in shown(party_totals_of(store(url), types))], columns=["name", "type", "incidents"])


@st.cache_data(ttl=TTL, max_entries=64)
def company_incident_ids(url: str, name: str) -> list[str]:
    return store(url).entity_incident_ids(name)


@st.cache_data(ttl=TTL, max_entries=64)
def counterparties(url: str, name: str) -> pd.DataFrame:
    return pd.DataFrame(shown(store(url).counterparties(name)),
                        columns=["counterparty", "role", "type", "events", "incidents"])


@st.cache_data(ttl=TTL, max_entries=64)
def products(url: str, vendor: str) -> pd.DataFrame:
    return pd.DataFrame(shown(store(url).products_of(vendor)), columns=["name", "articles"])


@st.cache_data(ttl=TTL, max_entries=8)
def event_links(url: str) -> pd.DataFrame:
    """Aggregated who-did-what-to-whom edges of the entity network."""
    return pd.DataFrame(shown(store(url).event_links()), columns=["actor", "target", "type", "incident_id", "events"])


# --- search ---

@st.cache_data(ttl=TTL, max_entries=64)
def search(url: str, query: str, semantic: bool) -> tuple[list[str], list[dict], dict[int, float]]:
    """(incident ids, article rows, similarity of each semantic article match): keyword
    matches first, then, with `semantic`, the closest in meaning (dashboard.search)."""
    from dashboard.search import run_search

    s = store(url)
    found = run_search(s, query, index=semantic_index(url) if semantic else None,
                       vector=embed_query(query) if semantic and query.strip() else None)
    article_scores = {key: score for (kind, key), score in found.scores.items() if kind == "article"}
    return found.incident_ids, shown(s.article_listing(found.article_ids)), article_scores


@st.cache_data(ttl=TTL, max_entries=4)
def semantic_index(url: str) -> dict:
    """Incident centroids and article vectors, each as ids plus a matrix of normalised rows."""
    from dashboard.search import semantic_index as index_of
    return index_of(store(url))


@st.cache_resource
def embedder():
    """The NLP stage's sentence embedder, so queries and articles are embedded alike."""
    from nlp.embed import get_embedder
    return get_embedder()


@st.cache_data(ttl=3600, max_entries=256)
def embed_query(text: str) -> np.ndarray:
    """The unit-length vector of a search query."""
    return embedder().embed([text])[0]


# --- the incident graph ---

@st.cache_resource(ttl=TTL, max_entries=4)
def incident_graph(url: str):
    """The link stage's networkx graph of the store, as `incidents link` saved it (the
    dashboard never writes it; `graph_is_stale` says when it is behind the incidents)."""
    from graph.build import open_graph
    return open_graph(store(url))


def graph_is_stale(url: str) -> bool:
    """Whether the saved graph is older than the store's incidents."""
    return bool(incident_graph(url).graph.get("stale"))


@st.cache_data(ttl=TTL, max_entries=16)
def graph_entities(url: str) -> list[str]:
    """Entity nodes of the graph, most connected first."""
    graph = incident_graph(url)
    names = [n for n, kind in graph.nodes(data="kind") if kind not in ("incident", "article")]
    return sorted(names, key=lambda n: (-graph.degree(n), str(n)))


@st.cache_data(ttl=TTL, max_entries=64)
def neighbourhood(url: str, centre: str, hops: int, kinds: tuple[str, ...] | None,
                  event_types: tuple[str, ...] | None, limit: int) -> dict:
    """Elements for st-link-analysis and table rows of an entity's neighbourhood."""
    from dashboard.network import edge_rows, legend, neighbourhood as around, to_elements
    sub = around(incident_graph(url), centre, hops, kinds, event_types, limit)
    elements = shown(to_elements(sub, centre))
    return {"elements": elements, "edges": shown(edge_rows(sub)), "nodes": sub.number_of_nodes(),
            "legend": legend(elements)}


@st.cache_data(ttl=TTL, max_entries=8)
def graph_kinds(url: str) -> list[str]:
    from dashboard.network import node_kinds
    return node_kinds(incident_graph(url))
