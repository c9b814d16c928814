"""The incident graph: a networkx MultiDiGraph of entities, incidents and articles.

Nodes
    An entity's node id is its canonical name ("Alibaba"), with ``kind`` one of
    ``organisation``, ``product``, ``person``, ``country``. Incidents are
    ``incident:<id>`` (kind ``incident``) and articles ``article:<store id>`` (kind
    ``article``, with url, outlet, published).
Edges (all carry ``type``, ``date`` and, where a sentence states them, ``evidence``)
    ``actor_in``      entity -> incident: the entity did an event of the incident
                      (``event_type``, ``counterpart`` = its target, ``article``).
    ``target_of``     entity -> incident: the event was done to it (``counterpart`` = actor).
    ``reported_by``   incident -> article: the article tells the incident (``primary``,
                      ``score``, ``outlet``). Outlets are article attributes, not nodes.
    ``mentioned_in``  entity -> article: the article names the entity (``mentions``).
    ``made_by``       product -> organisation: the product's vendor.

The graph is saved as node-link JSON beside a SQLite store (``<db file>.graph.json``), or
where the ``graph_path`` setting says, and updated by each ``incidents link``.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import networkx as nx

from incidents.errors import IncidentsError
from incidents.store import sqlite_path

from .describe import IncidentSummary, summarise, titled
from .export import replacing
from .members import Loaded, load_states

ENTITY_KINDS = {"ORG": "organisation", "PRODUCT": "product", "PERSON": "person", "GPE": "country"}
"""Node kind of each entity type of the export schema."""

NODE_KINDS = (*ENTITY_KINDS.values(), "incident", "article")
EDGE_TYPES = ("actor_in", "target_of", "reported_by", "mentioned_in", "made_by")
GRAPH_FORMAT = 1


def incident_node(incident_id: str) -> str:
    return f"incident:{incident_id}"


def article_node(article_id: int) -> str:
    return f"article:{article_id}"


def build_graph(summaries: list[IncidentSummary], loaded: Loaded) -> nx.MultiDiGraph:
    """A graph of these incidents and of the loaded relevant articles."""
    graph = nx.MultiDiGraph(format=GRAPH_FORMAT)
    for article_id, analysis in loaded.analyses.items():
        if analysis.relevant:
            add_article(graph, article_id, loaded.rows[article_id], analysis)
    for summary in summaries:
        add_incident(graph, summary)
    return graph


def add_article(graph: nx.MultiDiGraph, article_id: int, row: dict, analysis) -> None:
    """The article's node, its entities (with vendors) and `mentioned_in` edges."""
    node = article_node(article_id)
    published = (row.get("published") or "")[:10] or None
    graph.add_node(node, kind="article", label=row.get("title") or "", url=row.get("url"),
                   outlet=row.get("outlet"), published=published, article_id=article_id)
    for entity in analysis.entities:
        _add_entity(graph, entity.name, entity.type, entity.mentions, entity.vendor)
        graph.add_edge(entity.name, node, key="mentioned_in", type="mentioned_in", date=published,
                       mentions=list(dict.fromkeys(entity.mentions or [entity.name])))


def add_incident(graph: nx.MultiDiGraph, summary: IncidentSummary) -> None:
    """The incident's node, `reported_by` edges to its articles, and an `actor_in` and a
    `target_of` edge for each fact of its lifecycle."""
    inc = summary.incident
    node = incident_node(inc.id)
    graph.add_node(node, kind="incident", label=inc.title, incident_id=inc.id, date=inc.date,
                   main_type=inc.main_type, actors=inc.actors, targets=inc.targets,
                   outlets=summary.outlets, first_seen=inc.first_seen, last_seen=inc.last_seen,
                   event_types=sorted({e["type"] for e in summary.lifecycle}),
                   lifecycle=summary.lifecycle, articles=inc.article_ids)
    for article_id, primary, score in summary.members:
        article = article_node(article_id)
        if article in graph:
            attrs = graph.nodes[article]
            graph.add_edge(node, article, key="reported_by", type="reported_by", date=attrs.get("published"),
                           outlet=attrs.get("outlet"), primary=bool(primary), score=score)
    for event in summary.lifecycle:
        for name in (event["actor"], event["target"]):
            if name not in graph:
                _add_entity(graph, name, "ORG", [], None)
        common = {"event_type": event["type"], "date": event["date"], "evidence": event["evidence"],
                  "article": event["article"], "articles": event["articles"]}
        # one edge per fact: the same step on two dates is two facts, two edges
        graph.add_edge(event["actor"], node, key=f"actor_in:{event['type']}:{event['target']}:{event['date']}",
                       type="actor_in", counterpart=event["target"], **common)
        graph.add_edge(event["target"], node, key=f"target_of:{event['type']}:{event['actor']}:{event['date']}",
                       type="target_of", counterpart=event["actor"], **common)


def _add_entity(graph, name: str, entity_type: str, mentions, vendor: str | None) -> None:
    if name in graph and graph.nodes[name].get("kind") in ENTITY_KINDS.values():
        attrs = graph.nodes[name]
        attrs["aliases"] = sorted(set(attrs.get("aliases", [])) | set(mentions or []))
        if attrs.get("inferred") and entity_type:
            attrs.update(kind=ENTITY_KINDS.get(entity_type, "organisation"), entity_type=entity_type, inferred=False)
    else:
        graph.add_node(name, kind=ENTITY_KINDS.get(entity_type, "organisation"), entity_type=entity_type,
                       label=name, aliases=sorted(set(mentions or [])), inferred=not mentions)
    if vendor and vendor != name:
        if vendor not in graph:
            graph.add_node(vendor, kind="organisation", entity_type="ORG", label=vendor, aliases=[], inferred=False)
        graph.add_edge(name, vendor, key="made_by", type="made_by", date=None, evidence="vendor of the product")
        graph.nodes[name]["vendor"] = vendor


def remove_nodes(graph: nx.MultiDiGraph, nodes) -> None:
    graph.remove_nodes_from([n for n in nodes if n in graph])


def prune_entities(graph: nx.MultiDiGraph) -> None:
    """Drop entities no article or incident connects any more."""
    entity_kinds = set(ENTITY_KINDS.values())
    lonely = [n for n, kind in graph.nodes(data="kind") if kind in entity_kinds and graph.degree(n) == 0]
    graph.remove_nodes_from(lonely)


# --- saved beside the store --------------------------------------------------------------


def graph_file(store_url: str, configured: str | os.PathLike | None = None) -> Path | None:
    """Where the graph of a store is saved: the setting, else beside the SQLite file."""
    if configured:
        return Path(configured)
    db_file = sqlite_path(store_url)
    if db_file is None:
        return None
    return db_file.with_name(db_file.name + ".graph.json")


def configured_graph_file(store_url: str) -> Path | None:
    from incidents.config import load_settings

    return graph_file(store_url, getattr(load_settings(), "graph_path", None))


def save_graph(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write node-link JSON atomically: a crash never leaves half a graph, and two writers
    never share a temporary file."""
    try:
        with replacing(path) as tmp, open(tmp, "w", encoding="utf-8") as out:
            json.dump(nx.node_link_data(graph, edges="edges"), out, ensure_ascii=False, default=str)
    except OSError as exc:
        raise IncidentsError(f"{path}: cannot save the incident graph ({exc.strerror or exc})") from None


def load_graph(path: Path) -> nx.MultiDiGraph | None:
    """The saved graph, or None when there is none or it is unreadable or of another format."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return graph if graph.graph.get("format") == GRAPH_FORMAT else None


def rebuild_graph(store) -> nx.MultiDiGraph:
    """The whole graph from the store's incidents."""
    loaded = Loaded()
    states = load_states(store, store.incident_members(), loaded)
    titles = store.incident_rules().titles
    graph = build_graph([titled(summarise(s), titles) for s in states if s.members], loaded)
    graph.graph["stamp"] = store.incident_stamp()
    return graph


def open_graph(store, graph_path: str | os.PathLike | None = None) -> nx.MultiDiGraph:
    """The store's graph as `incidents link` last saved it, for reading. Nothing is written:
    only `incidents link` writes the graph.

    A saved graph older than the store's incidents is returned as it is, with
    `graph.graph["stale"]` set, so the reader can say so; with no saved graph at all (none
    was ever written, or it cannot be read) one is built in memory, for this read only.
    """
    path = Path(graph_path) if graph_path else configured_graph_file(store.url)
    graph = load_graph(path) if path and path.exists() else None
    if graph is None:
        graph = rebuild_graph(store)
        graph.graph["stale"] = False
        return graph
    graph.graph["stale"] = graph.graph.get("stamp") != store.incident_stamp()
    return graph


STALE_NOTE = "the incident graph is older than the incidents in the store; run `incidents link` to bring it up to date"


def update_graph(store, graph_path, summaries: list[IncidentSummary], removed: list[str],
                 linked: list[int], loaded: Loaded, stamp_before: str | None):
    """Apply one link run to the saved graph; rebuild it when it was not current.

    Returns (path, graph), or None when the store has no file to save the graph beside
    and no `graph_path` is set.
    """
    path = Path(graph_path) if graph_path else configured_graph_file(store.url)
    graph = load_graph(path) if path and path.exists() else None
    if graph is None or stamp_before is None or graph.graph.get("stamp") != stamp_before:
        graph = rebuild_graph(store)
    else:
        remove_nodes(graph, [article_node(a) for a in linked])
        remove_nodes(graph, [incident_node(i) for i in removed] + [incident_node(s.incident.id) for s in summaries])
        for article_id in linked:
            analysis = loaded.analyses.get(article_id)
            if analysis is not None and analysis.relevant:
                try:
                    add_article(graph, article_id, loaded.rows[article_id], analysis)
                except Exception as exc:  # noqa: BLE001 - the graph goes on without the one article
                    remove_nodes(graph, [article_node(article_id)])
                    loaded.failed[article_id] = f"{type(exc).__name__}: {exc}"
        for summary in summaries:
            add_incident(graph, summary)
        prune_entities(graph)
        graph.graph["stamp"] = store.incident_stamp()
    if path is None:
        return None
    save_graph(graph, path)
    return path, graph
