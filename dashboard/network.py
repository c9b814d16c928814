"""An entity's neighbourhood in the incident graph, as elements for st-link-analysis.

The graph is the link stage's networkx MultiDiGraph (see `graph/build.py`): entity nodes
named by their canonical name with a `kind` (organisation, product, person, country),
incident nodes `incident:<id>`, article nodes `article:<id>`; `actor_in` / `target_of`
edges from an entity to an incident carry the `event_type`.

The component shows every node and edge property in an info panel through innerHTML,
so every value handed to it passes through `defang()`: no `<`, `>` or `&` reaches it.

The layout is computed here, not in the browser: the chosen entity at the centre, each
further hop on a wider ring, the order around a ring from a seeded force layout (so
neighbours sit together and the same neighbourhood looks the same on every load). Labels
show at every zoom, and `legend` says what the colours mean.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import networkx as nx

from incidents.event_types import EVENT_TYPES, TABLE, label

HIDDEN_KINDS = ("article",)
"""Node kinds left out of the network view: articles are listed on the Incident page."""

CAPTION_CHARS = 40
"""Captions longer than this are cut on the canvas (the info panel shows the whole text)."""

LAYOUT_SEED = 11
"""Seed of the force layout that orders each ring: the same neighbourhood, the same picture."""

RING = 170
"""Distance between rings, in the component's pixels before it zooms to fit."""

LABEL_SPACE = 120
"""Room each node of a ring needs for its label along the ring, in pixels."""

KIND_STYLES = {
    "organisation": ("#274c77", "business"),
    "product": ("#6a994e", "inventory"),
    "person": ("#6d597a", "person"),
    "country": ("#8d6e63", "flag"),
    "incident": ("#343a40", "campaign"),
}
"""Colour and Material icon of each node kind (none an event type's colour, so one legend reads)."""

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


def ring_positions(graph: nx.MultiDiGraph, centre: str) -> dict:
    """(x, y) of every node: `centre` at the origin, each hop further on a wider ring, the
    order around a ring that of a seeded force layout, spaced evenly so labels do not collide."""
    if centre not in graph:
        return {}
    simple = nx.Graph(graph.to_undirected(as_view=True))
    hops = nx.single_source_shortest_path_length(simple, centre)
    far = max(hops.values(), default=0) + 1
    force = nx.spring_layout(simple, seed=LAYOUT_SEED, pos={centre: (0.0, 0.0)}, fixed=[centre]) \
        if len(simple) > 1 else {centre: (0.0, 0.0)}
    rings: dict[int, list] = {}
    for node in graph:
        rings.setdefault(hops.get(node, far), []).append(node)
    found, radius = {centre: (0.0, 0.0)}, 0.0
    for level in sorted(k for k in rings if k > 0):
        nodes = sorted(rings[level], key=lambda n: (math.atan2(force[n][1], force[n][0]), str(n)))
        radius = max(radius + RING, len(nodes) * LABEL_SPACE / (2 * math.pi))
        start = math.atan2(force[nodes[0]][1], force[nodes[0]][0])
        for i, node in enumerate(nodes):
            angle = start + 2 * math.pi * i / len(nodes)
            found[node] = (round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1))
    return found


def to_elements(graph: nx.MultiDiGraph, centre: str | None = None) -> dict:
    """Nodes and edges as st-link-analysis wants them, placed by `ring_positions`, every
    shown value defanged.

    Node ids are positions ("n0", ...) so no name from the web is used as an id; a
    target_of edge is drawn from the incident to the target, so "A -ban-> incident
    -ban-> B" reads from left to right. An edge's label is its event type as people say it.
    """
    ids = {node: f"n{i}" for i, node in enumerate(graph.nodes)}
    placed = ring_positions(graph, centre) if centre is not None else {}
    nodes = []
    for node, attrs in graph.nodes(data=True):
        data = {"id": ids[node], "label": attrs.get("kind") or "other", "name": defang(caption(graph, node))}
        if attrs.get("kind") == "incident":
            data.update(title=defang(attrs.get("label")), date=defang(attrs.get("date")),
                        events=defang([label(t) for t in attrs.get("event_types") or []]),
                        outlets=len(attrs.get("outlets") or []))
        else:
            data.update(full_name=defang(node))
        if node == centre:
            data["centre"] = True
        element = {"data": data}
        if node in placed:
            element["position"] = {"x": placed[node][0], "y": placed[node][1]}
        nodes.append(element)
    edges = []
    for n, (u, v, attrs) in enumerate(graph.edges(data=True)):
        source, target = (v, u) if attrs.get("type") == "target_of" else (u, v)
        kind = attrs.get("event_type") or attrs.get("type") or "related"
        edges.append({"data": {"id": f"e{n}", "label": defang(label(kind) if kind in EVENT_TYPES else kind),
                               "source": ids[source], "target": ids[target],
                               "date": defang(attrs.get("date")), "evidence": defang(attrs.get("evidence"))}})
    return {"nodes": nodes, "edges": edges}


class Style:
    """A Cytoscape style rule as st-link-analysis takes one (anything with `dump()`)."""

    def __init__(self, selector: str, **style):
        self.selector, self.style = selector, {k.replace("_", "-"): v for k, v in style.items()}

    def dump(self) -> dict:
        return {"selector": self.selector, "style": self.style}


LINK_KINDS = {"made_by": ("made by", "#8c8c8c"), "mentioned_in": ("mentioned in", "#c0c0c0")}
"""Links that are no event: a product's vendor, an article naming an entity."""


def styles() -> list[Style]:
    """Every node kind in its colour and icon with its name always shown (Cytoscape hides
    labels below 10 px by default, which left a fitted network unlabelled), the centre
    ringed, and every event type's link in its colour with its label."""
    rules = [Style("*", min_zoomed_font_size=0),
             Style("node", label="data(name)", font_size=13, text_valign="bottom", text_margin_y=4,
                   text_wrap="ellipsis", text_max_width=160)]
    for kind, (fill, icon) in KIND_STYLES.items():
        rules.append(Style(f"node[label='{kind}']", background_color=fill, background_image=f"./icons/{icon}.svg"))
    rules.append(Style("node[?centre]", width=46, height=46, border_width=4, border_color="#1f2328", font_weight="bold"))
    for event in TABLE:
        rules.append(Style(f"edge[label='{event.label}']", line_color=event.colour, target_arrow_color=event.colour,
                           target_arrow_shape="triangle", label="data(label)", font_size=11))
    for name, (text, fill) in LINK_KINDS.items():
        rules.append(Style(f"edge[label='{name}']", line_color=fill, target_arrow_color=fill,
                           target_arrow_shape="triangle", line_style="dashed"))
    return rules


def draw(elements: dict, height: int, key: str) -> None:
    """The network on the page, drawn by st-link-analysis (Cytoscape.js) where `to_elements`
    placed it, fitted to the frame."""
    from st_link_analysis import st_link_analysis

    layout = {"name": "preset", "fit": True, "padding": 40, "animate": False}
    st_link_analysis(elements, layout=layout, node_styles=styles(), height=height, key=key)


def legend(elements: dict) -> list[dict]:
    """What the colours of these elements mean: one row per node kind and link kind shown
    (`what`, `name`, `colour`), as `legend_chart` draws them."""
    kinds = {n["data"]["label"] for n in elements["nodes"]}
    links = {e["data"]["label"] for e in elements["edges"]}
    rows = [{"what": "node", "name": kind, "colour": fill} for kind, (fill, _) in KIND_STYLES.items() if kind in kinds]
    rows += [{"what": "link", "name": t.label, "colour": t.colour} for t in TABLE if t.label in links]
    rows += [{"what": "link", "name": text, "colour": fill} for name, (text, fill) in LINK_KINDS.items() if name in links]
    return rows


def legend_chart(rows: list[dict]):
    """The legend as a small Altair chart: a dot of each colour with what it stands for."""
    import altair as alt

    data = [{**r, "order": n} for n, r in enumerate(rows)]
    base = alt.Chart(alt.Data(values=data)).encode(
        x=alt.X("order:O", axis=None), y=alt.Y("what:N", axis=alt.Axis(title=None, labelFontSize=12, ticks=False,
                                                                         domain=False), sort=["node", "link"]))
    dots = base.mark_point(filled=True, size=140, opacity=1).encode(
        color=alt.Color("name:N", scale=alt.Scale(domain=[r["name"] for r in rows], range=[r["colour"] for r in rows]),
                        legend=None))
    names = base.mark_text(align="left", dx=9, fontSize=12).encode(text="name:N")
    return (dots + names).properties(height=28 * len({r["what"] for r in rows}) + 10).configure_view(stroke=None)


def edge_rows(graph: nx.MultiDiGraph) -> list[dict]:
    """The neighbourhood's edges as table rows (for downloads)."""
    return [{"from": u, "to": v, "type": a.get("type"), "event_type": a.get("event_type"),
             "date": a.get("date"), "evidence": a.get("evidence")} for u, v, a in graph.edges(data=True)]
