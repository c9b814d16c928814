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

The graph is saved as node-link JSON in the store (``Store.save_graph``), so every process
reading the store reads the same graph, and updated by each ``incidents link``; the
``graph_path`` setting names a file it is also exported to.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import networkx as nx

from incidents.errors import IncidentsError

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


# --- saved in the store ------------------------------------------------------------------


def graph_data(graph: nx.MultiDiGraph) -> str:
    """The graph as node-link JSON text."""
    return json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False, default=str)


def graph_from_data(data: str) -> nx.MultiDiGraph | None:
    """A graph from node-link JSON text, or None when it cannot be read as one."""
    try:
        return nx.node_link_graph(json.loads(data), directed=True, multigraph=True, edges="edges")
    except (ValueError, KeyError, TypeError):
        return None


def load_graph(store) -> nx.MultiDiGraph | None:
    """The graph saved in the store, or None when there is none or it is of another format."""
    saved = store.saved_graph()
    if saved is None or saved.format != GRAPH_FORMAT:
        return None
    graph = graph_from_data(saved.data)
    if graph is not None:
        graph.graph["stamp"] = saved.stamp
    return graph


def export_graph_file(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write node-link JSON to a file atomically (the `graph_path` export): a crash never
    leaves half a graph, and two writers never share a temporary file."""
    try:
        with replacing(path) as tmp:
            Path(tmp).write_text(graph_data(graph), encoding="utf-8")
    except OSError as exc:
        raise IncidentsError(f"{path}: cannot save the incident graph ({exc.strerror or exc})") from None


def rebuild_graph(store) -> nx.MultiDiGraph:
    """The whole graph from the store's incidents."""
    loaded = Loaded()
    states = load_states(store, store.incident_members(), loaded)
    titles = store.incident_rules().titles
    graph = build_graph([titled(summarise(s), titles) for s in states if s.members], loaded)
    graph.graph["stamp"] = store.incident_stamp()
    return graph


def open_graph(store) -> nx.MultiDiGraph:
    """The store's graph as `incidents link` last saved it, for reading. Nothing is written:
    only `incidents link` writes the graph.

    A saved graph older than the store's incidents is returned as it is, with
    `graph.graph["stale"]` set, so the reader can say so; with no saved graph at all (none
    was ever written, or it cannot be read) one is built in memory, for this read only.
    """
    graph = load_graph(store)
    if graph is None:
        graph = rebuild_graph(store)
        graph.graph["stale"] = False
        return graph
    graph.graph["stale"] = graph.graph.get("stamp") != store.incident_stamp()
    return graph


STALE_NOTE = "the incident graph is older than the incidents in the store; run `incidents link` to bring it up to date"


def update_graph(store, export_path: str | os.PathLike | None, summaries: list[IncidentSummary],
                 removed: list[str], linked: list[int], loaded: Loaded, stamp_before: str | None) -> nx.MultiDiGraph:
    """Apply one link run to the graph saved in the store (rebuilt when it was not current),
    save it, and export it to `export_path` when one is given; returns the graph."""
    graph = load_graph(store)
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
    store.save_graph(graph_data(graph), GRAPH_FORMAT, graph.graph["stamp"])
    if export_path:
        export_graph_file(graph, Path(export_path))
    return graph
