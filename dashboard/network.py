"""An entity's neighbourhood in the incident graph, as elements for st-link-analysis.

The graph is the link stage's networkx MultiDiGraph (see `graph/build.py`): entity nodes
named by their canonical name with a `kind` (organisation, product, person, country),
incident nodes `incident:<id>`, article nodes `article:<id>`; `actor_in` / `target_of`
edges from an entity to an incident carry the `event_type`.

The component shows every node and edge property in an info panel through innerHTML,
so every value handed to it passes through `defang()`: no `<`, `>` or `&` reaches it.
"""
from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from incidents.model import EVENT_TYPES

HIDDEN_KINDS = ("article",)
"""Node kinds left out of the network view: articles are listed on the Incident page."""

CAPTION_CHARS = 40
"""Captions longer than this are cut on the canvas (the info panel shows the whole text)."""

KIND_STYLES = {
    "organisation": ("#1f77b4", "business"),
    "product": ("#2ca02c", "inventory"),
    "person": ("#9467bd", "person"),
    "country": ("#8c564b", "flag"),
    "incident": ("#d62728", "campaign"),
}
"""Colour and Material icon of each node kind."""

_DEFANG = str.maketrans({"<": "\u2039", ">": "\u203a", "&": "\uff06"})


def defang(value: object) -> str:
    """Text that can go through innerHTML: angle brackets and ampersands as look-alikes."""
    if isinstance(value, (list, tuple)):
        value = ", ".join(map(str, value))
    return str("" if value is None else value).translate(_DEFANG)


def node_kinds(graph: nx.MultiDiGraph) -> list[str]:
    """Kinds of node present that the network view can show."""
    return sorted({k for _, k in graph.nodes(data="kind") if k and k not in HIDDEN_KINDS})


def neighbourhood(graph: nx.MultiDiGraph, centre: str, hops: int = 1, kinds: Iterable[str] | None = None,
                  event_types: Iterable[str] | None = None, limit: int = 150) -> nx.MultiDiGraph:
    """The part of the graph within `hops` steps of `centre`, as the link stage's
    `graph.queries.neighbours` walks it (either direction, not through articles).

    Shows nodes of these kinds (None: all) and, when `event_types` is given, only the
    entity-incident edges of those types; when more than `limit` nodes are in reach, the
    nearest and then the best connected are kept.
    """
    from graph.queries import neighbours

    if centre not in graph:
        return nx.MultiDiGraph()
    found = neighbours(graph, centre, k=hops, node_types=kinds, event_types=event_types)
    found.sort(key=lambda n: (n["distance"], -graph.degree(n["name"]), str(n["name"])))
    sub = nx.MultiDiGraph(graph.subgraph([centre, *(n["name"] for n in found[:limit - 1])]))
    if event_types is not None:
        allowed = set(event_types)
        sub.remove_edges_from([(u, v, k) for u, v, k, t in sub.edges(keys=True, data="event_type")
                               if t is not None and t not in allowed])
    return sub


def caption(graph: nx.MultiDiGraph, node: str) -> str:
    text = str(graph.nodes[node].get("label") or node)
    return text if len(text) <= CAPTION_CHARS else text[:CAPTION_CHARS - 1] + "\u2026"


def to_elements(graph: nx.MultiDiGraph) -> dict:
    """Nodes and edges as st-link-analysis wants them, every shown value defanged.

    Node ids are positions ("n0", ...) so no name from the web is used as an id; a
    target_of edge is drawn from the incident to the target, so "A -ban-> incident
    -ban-> B" reads from left to right.
    """
    ids = {node: f"n{i}" for i, node in enumerate(graph.nodes)}
    nodes = []
    for node, attrs in graph.nodes(data=True):
        data = {"id": ids[node], "label": attrs.get("kind") or "other", "name": defang(caption(graph, node))}
        if attrs.get("kind") == "incident":
            data.update(title=defang(attrs.get("label")), date=defang(attrs.get("date")),
                        events=defang(attrs.get("event_types")), outlets=len(attrs.get("outlets") or []))
        else:
            data.update(full_name=defang(node))
        nodes.append({"data": data})
    edges = []
    for n, (u, v, attrs) in enumerate(graph.edges(data=True)):
        source, target = (v, u) if attrs.get("type") == "target_of" else (u, v)
        label = attrs.get("event_type") or attrs.get("type") or "related"
        edges.append({"data": {"id": f"e{n}", "label": defang(label), "source": ids[source], "target": ids[target],
                               "date": defang(attrs.get("date")), "evidence": defang(attrs.get("evidence"))}})
    return {"nodes": nodes, "edges": edges}


def draw(elements: dict, height: int, key: str) -> None:
    """The network on the page, drawn by st-link-analysis (Cytoscape.js) with the kinds' styles."""
    from st_link_analysis import EdgeStyle, NodeStyle, st_link_analysis
    from st_link_analysis.component.layouts import LAYOUTS

    node_styles = [NodeStyle(kind, color, "name", icon) for kind, (color, icon) in KIND_STYLES.items()]
    # labeled=None: st-link-analysis 0.4 warns about its deprecated `labeled` unless it is None
    edge_styles = [EdgeStyle(t, caption="label", directed=True, labeled=None)
                   for t in (*EVENT_TYPES, "made_by", "mentioned_in")]
    layout = {**LAYOUTS["cose"], "animate": False}  # place nodes at once: no drifting on each rerun
    st_link_analysis(elements, layout=layout, node_styles=node_styles, edge_styles=edge_styles,
                     height=height, key=key)


def edge_rows(graph: nx.MultiDiGraph) -> list[dict]:
    """The neighbourhood's edges as table rows (for downloads)."""
    return [{"from": u, "to": v, "type": a.get("type"), "event_type": a.get("event_type"),
             "date": a.get("date"), "evidence": a.get("evidence")} for u, v, a in graph.edges(data=True)]
