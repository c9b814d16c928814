"""Analyst queries over the incident graph.

Free functions taking the graph first and returning plain lists and dicts, ready for
JSON. Names are resolved with `graph.resolve` (aliases and case are forgiven; an
unknown name raises `UnknownEntity` with close names). Dates are ISO strings; a date
range keeps what happened on or between its ends, by month when only the month is known.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import networkx as nx

from incidents.parties import default_gate

from .build import ENTITY_KINDS
from .claims import month_span
from .resolve import resolve_entity, resolve_incident

__all__ = ["neighbours", "paths", "timeline", "rank", "party_nodes", "between", "actions", "incident_story"]

ROLE_EDGES = ("actor_in", "target_of")
RANKINGS = ("involvement", "degree", "betweenness", "pagerank")
BETWEENNESS_SAMPLE = 500
"""Above this many nodes betweenness is estimated from a fixed sample of sources."""


def neighbours(graph: nx.MultiDiGraph, name: str, k: int = 1, *, node_types: Iterable[str] | None = None,
               event_types: Iterable[str] | None = None, start: str | None = None, end: str | None = None,
               include_articles: bool = False) -> list[dict]:
    """Nodes within `k` hops of an entity, nearest first.

    Hops follow edges either way (entity -> incident -> entity is two hops) but not
    through articles unless `include_articles`. `event_types` keeps only incident edges
    of those types; `start`/`end` keep only edges dated in the range; `node_types`
    (organisation, product, person, country, incident, article) filters what is returned.

    Examples
    --------
    >>> from graph.example import example_graph
    >>> g = example_graph()
    >>> [(n["name"], n["distance"]) for n in neighbours(g, "Alibaba", k=2, node_types=["organisation", "product"])]
    [('Anthropic', 2), ('Claude Code', 2)]
    """
    centre = resolve_entity(graph, name)
    distance, _ = _walk(graph, centre, k, _edge_test(event_types, start, end), include_articles)
    wanted = set(node_types) if node_types else None
    out = []
    for node, hops in distance.items():
        attrs = graph.nodes[node]
        if node == centre or (wanted is not None and attrs.get("kind") not in wanted):
            continue
        out.append({"name": node, "kind": attrs.get("kind"), "label": attrs.get("label", node), "distance": hops})
    return sorted(out, key=lambda n: (n["distance"], n["kind"] or "", str(n["name"])))


def paths(graph: nx.MultiDiGraph, source: str, target: str, *, cutoff: int = 4, limit: int = 10,
          event_types: Iterable[str] | None = None, start: str | None = None, end: str | None = None) -> list[dict]:
    """The shortest connections between two entities (at most `limit`, at most `cutoff` hops),
    with the incidents each passes through. Empty when they are not connected.

    Examples
    --------
    >>> from graph.example import example_graph
    >>> g = example_graph()
    >>> [p["nodes"] for p in paths(g, "Alibaba", "Claude Code")]
    [['Alibaba', 'incident:alibaba-bans-claude-code-2026-07', 'Claude Code']]
    >>> paths(g, "Alibaba", "Claude Code")[0]["incidents"][0]["title"]
    'Alibaba bans Claude Code'
    """
    a, b = resolve_entity(graph, source), resolve_entity(graph, target)
    _, parents = _walk(graph, a, cutoff, _edge_test(event_types, start, end), False, stop_at=b)
    found = _paths_back(parents, a, b, limit)
    return [{"nodes": nodes, "length": len(nodes) - 1,
             "steps": [_step(graph, u, v) for u, v in zip(nodes, nodes[1:])],
             "incidents": [_incident_brief(graph, n) for n in nodes if graph.nodes[n].get("kind") == "incident"]}
            for nodes in found]


def timeline(graph: nx.MultiDiGraph, name: str, *, start: str | None = None, end: str | None = None,
             event_types: Iterable[str] | None = None) -> list[dict]:
    """Every event the entity took part in, as actor or target, oldest first (undated last).

    Examples
    --------
    >>> from graph.example import example_graph
    >>> [(e["date"], e["event_type"], e["role"], e["counterpart"]) for e in timeline(example_graph(), "Alibaba")]
    [('2026-06', 'allegation', 'target', 'Anthropic'), ('2026-07-10', 'ban', 'actor', 'Claude Code')]
    """
    node = resolve_entity(graph, name)
    types = set(event_types) if event_types else None
    events = []
    for _, incident, attrs in graph.out_edges(node, data=True):
        if attrs.get("type") not in ROLE_EDGES or (types and attrs.get("event_type") not in types):
            continue
        if not _in_range(attrs.get("date"), start, end):
            continue
        events.append({"date": attrs.get("date"), "event_type": attrs.get("event_type"),
                       "role": "actor" if attrs["type"] == "actor_in" else "target",
                       "counterpart": attrs.get("counterpart"), "incident": _incident_id(incident),
                       "title": graph.nodes[incident].get("label"), "evidence": attrs.get("evidence"),
                       "article": attrs.get("article")})
    return sorted(events, key=lambda e: (_day(e["date"]), e["incident"], e["event_type"]))


def rank(graph: nx.MultiDiGraph, *, by: str = "involvement", start: str | None = None, end: str | None = None,
         node_types: Iterable[str] | None = None, event_types: Iterable[str] | None = None,
         top: int = 20, everyone: bool = False, hidden: Iterable[str] = ()) -> list[dict]:
    """Entities ranked by involvement (incidents they act in or are targeted by) or by a
    centrality (degree, betweenness, pagerank) of the entity-incident graph in the period;
    `hidden` entities (an analyst's entity-hide) are left out of the ranking, not of the graph.

    Only parties are ranked (`incidents.parties`: no place, court, outlet, document or
    fragment of a name) unless `everyone`. Ties go to the one that
    is a main party of more incidents (in their title's step), then to the one more articles
    state facts of.

    Examples
    --------
    >>> from graph.example import example_graph
    >>> [(r["name"], r["score"]) for r in rank(example_graph(), top=2)]
    [('Alibaba', 1.0), ('Anthropic', 1.0)]
    """
    if by not in RANKINGS:
        from incidents.errors import IncidentsError
        raise IncidentsError(f"rank by {by!r}: unknown ranking (choose one of {', '.join(RANKINGS)})")
    types = set(event_types) if event_types else None
    bipartite = nx.Graph()
    support: dict = {}  # entity -> the articles stating its facts
    core: Counter = Counter()  # entity -> incidents it is a main party of
    for u, v, attrs in graph.edges(data=True):
        if attrs.get("type") in ROLE_EDGES and _in_range(attrs.get("date"), start, end) \
                and (types is None or attrs.get("event_type") in types):
            bipartite.add_edge(u, v)
            support.setdefault(u, set()).update(attrs.get("articles") or [attrs.get("article")])
            incident = graph.nodes[v]
            if u in (incident.get("actors") or []) or u in (incident.get("targets") or []):
                core[(u, v)] = 1
    parties = None if everyone else party_nodes(graph, hidden)
    involvement = {n: bipartite.degree(n) for n in bipartite
                   if _is_entity(graph, n) and (parties is None or n in parties)}
    if by == "involvement":
        scores = involvement
    elif by == "degree":
        scores = nx.degree_centrality(bipartite)
    elif by == "pagerank":
        scores = nx.pagerank(bipartite) if bipartite else {}
    else:
        sample = BETWEENNESS_SAMPLE if bipartite.number_of_nodes() > BETWEENNESS_SAMPLE else None
        scores = nx.betweenness_centrality(bipartite, k=sample, seed=0)
    wanted = set(node_types) if node_types else set(ENTITY_KINDS.values())
    main = Counter(u for u, _ in core)
    left_out = set(hidden)
    rows = [{"name": n, "kind": graph.nodes[n].get("kind"), "score": round(float(scores.get(n, 0.0)), 6),
             "incidents": involvement[n], "articles": len(support.get(n, ()))}
            for n in involvement if graph.nodes[n].get("kind") in wanted and n not in left_out]
    return sorted(rows, key=lambda r: (-r["score"], -r["incidents"], -main[r["name"]], -r["articles"],
                                       str(r["name"])))[:top]


def party_nodes(graph: nx.MultiDiGraph, hidden: Iterable[str] = ()) -> set:
    """The entity nodes that are parties (`incidents.parties`): in a fact, and no place,
    court, outlet, document or fragment of a longer name in the graph, nor hidden.

    Examples
    --------
    >>> from graph.example import example_graph
    >>> sorted(party_nodes(example_graph()))
    ['Alibaba', 'Anthropic', 'ChatGPT', 'Claude Code', 'Garante', 'OpenAI', 'Samsung']
    """
    entities = [n for n in graph if _is_entity(graph, n)]
    outlets = {o for _, o in graph.nodes(data="outlet") if o}
    gate = default_gate().seeing([(str(n), graph.nodes[n].get("entity_type")) for n in entities], outlets, hidden)
    roles: dict = {}
    for u, _, attrs in graph.edges(data=True):
        if attrs.get("type") in ROLE_EDGES:
            roles.setdefault(u, set()).add((attrs.get("event_type"), "actor" if attrs["type"] == "actor_in" else "target"))
    return {n for n in entities if gate.is_party(str(n), graph.nodes[n].get("entity_type"), roles.get(n, ()))}


def between(graph: nx.MultiDiGraph, first: str, second: str, *, start: str | None = None,
            end: str | None = None) -> list[dict]:
    """Incidents in which both entities take part, with each one's roles, oldest first.

    Examples
    --------
    >>> from graph.example import example_graph
    >>> [(i["incident"], i["roles"]) for i in between(example_graph(), "Alibaba", "Anthropic")]
    [('alibaba-bans-claude-code-2026-07', {'Alibaba': ['actor in ban', 'target of allegation'], 'Anthropic': ['actor in allegation']})]
    """
    a, b = resolve_entity(graph, first), resolve_entity(graph, second)
    roles_a, roles_b = _roles(graph, a, start, end), _roles(graph, b, start, end)
    out = []
    for incident in set(roles_a) & set(roles_b):
        brief = _incident_brief(graph, incident)
        brief["roles"] = {a: sorted(roles_a[incident]), b: sorted(roles_b[incident])}
        out.append(brief)
    return sorted(out, key=lambda i: (_day(i["date"]), i["incident"]))


def actions(graph: nx.MultiDiGraph, vendor: str, action: str = "ban", *, start: str | None = None,
            end: str | None = None, include_vendor: bool = True) -> list[dict]:
    """Who took an action (e.g. ``ban``) against the products of a vendor (and, with
    `include_vendor`, against the vendor itself), oldest first.

    Examples
    --------
    >>> from graph.example import example_graph
    >>> [(a["actor"], a["target"], a["date"]) for a in actions(example_graph(), "OpenAI", "ban")]
    [('Samsung', 'ChatGPT', '2023-05-01')]
    """
    company = resolve_entity(graph, vendor)
    targets = {u for u, _, attrs in graph.in_edges(company, data=True) if attrs.get("type") == "made_by"}
    if include_vendor:
        targets.add(company)
    out = []
    for target in targets:
        for _, incident, attrs in graph.out_edges(target, data=True):
            if attrs.get("type") != "target_of" or attrs.get("event_type") != action:
                continue
            if not _in_range(attrs.get("date"), start, end):
                continue
            actor = attrs.get("counterpart")
            out.append({"actor": actor, "actor_kind": graph.nodes[actor].get("kind") if actor in graph else None,
                        "target": target, "action": action, "date": attrs.get("date"),
                        "incident": _incident_id(incident), "title": graph.nodes[incident].get("label"),
                        "evidence": attrs.get("evidence")})
    return sorted(out, key=lambda a: (_day(a["date"]), a["actor"] or "", a["target"]))


def incident_story(graph: nx.MultiDiGraph, incident_id: str) -> dict:
    """One incident with its lifecycle and its articles (primary ones first).

    Examples
    --------
    >>> from graph.example import example_graph
    >>> story = incident_story(example_graph(), "alibaba-bans-claude-code-2026-07")
    >>> [e["type"] for e in story["lifecycle"]], story["outlets"]
    (['allegation', 'ban'], ['Wire A', 'Wire B'])
    """
    node = resolve_incident(graph, incident_id)
    attrs = graph.nodes[node]
    story = _incident_brief(graph, node)
    story.update({k: attrs.get(k) for k in ("actors", "targets", "outlets", "first_seen", "last_seen", "lifecycle")})
    story["articles"] = sorted(
        ({"id": graph.nodes[a].get("article_id"), "title": graph.nodes[a].get("label"),
          "outlet": graph.nodes[a].get("outlet"), "url": graph.nodes[a].get("url"),
          "published": graph.nodes[a].get("published"), "primary": e.get("primary", True)}
         for _, a, e in graph.out_edges(node, data=True) if e.get("type") == "reported_by"),
        key=lambda r: (not r["primary"], r["published"] or "", r["id"] or 0))
    return story


# --- helpers ------------------------------------------------------------------------------


def _edge_test(event_types, start, end):
    """Whether an edge may be walked: of the event types (for incident edges), dated in range."""
    types = set(event_types) if event_types else None
    if types is None and start is None and end is None:
        return None

    def edge_ok(attrs) -> bool:
        if types is not None and attrs.get("type") in ROLE_EDGES and attrs.get("event_type") not in types:
            return False
        return attrs.get("date") is None or _in_range(attrs.get("date"), start, end)

    return edge_ok


def _walk(graph, source, cutoff: int, edge_ok, include_articles: bool, stop_at=None):
    """Breadth-first walk along edges either way: distances and shortest-path parents.

    Written out over the adjacency dicts because filtered undirected views cost several
    times more on a graph of 100,000 nodes. With `stop_at`, stops after its level.
    """
    nodes = graph.nodes
    distance, parents = {source: 0}, {source: []}
    frontier, level = [source], 0
    while frontier and level < cutoff:
        level += 1
        following = []
        for node in frontier:
            for adjacency in (graph._succ[node], graph._pred[node]):
                for other, keyed in adjacency.items():
                    if not include_articles and nodes[other].get("kind") == "article":
                        continue
                    if edge_ok is not None and not any(edge_ok(attrs) for attrs in keyed.values()):
                        continue
                    seen = distance.get(other)
                    if seen is None:
                        distance[other] = level
                        parents[other] = [node]
                        following.append(other)
                    elif seen == level and node not in parents[other]:
                        parents[other].append(node)
        if stop_at is not None and stop_at in distance:
            break
        frontier = following
    return distance, parents


def _paths_back(parents: dict, source, target, limit: int) -> list[list]:
    """Up to `limit` shortest paths from source to target, read back along the parents."""
    if target not in parents:
        return []
    found, stack = [], [[target]]
    while stack and len(found) < limit:
        path = stack.pop()
        if path[-1] == source:
            found.append(path[::-1])
            continue
        stack.extend(path + [p] for p in reversed(parents[path[-1]]))
    return found


def _in_range(value: str | None, start: str | None, end: str | None) -> bool:
    """Whether a date lies in [start, end]; an undated thing lies in no bounded range.

    ISO dates compare as strings; a month stands for its first day at the start of a
    range and its last at the end (done on strings: this runs once per edge in `rank`).
    """
    if start is None and end is None:
        return True
    if not value:
        return False
    first, last = _bounds(value)
    return (start is None or last >= _bounds(start)[0]) and (end is None or first <= _bounds(end)[1])


def _bounds(value: str) -> tuple[str, str]:
    value = value[:10]
    if len(value) == 10:
        return value, value
    if len(value) == 7:
        return value + "-01", value + "-31"
    return value + "-01-01", value + "-12-31"


def _day(value):
    span = month_span(value)
    return (span is None, span[0] if span else None)


def _roles(graph, entity, start, end) -> dict[str, set[str]]:
    roles: dict[str, set[str]] = {}
    for _, incident, attrs in graph.out_edges(entity, data=True):
        if attrs.get("type") in ROLE_EDGES and _in_range(attrs.get("date"), start, end):
            role = "actor in" if attrs["type"] == "actor_in" else "target of"
            roles.setdefault(incident, set()).add(f"{role} {attrs.get('event_type')}")
    return roles


def _step(graph, u, v) -> dict:
    data = graph.get_edge_data(u, v) or graph.get_edge_data(v, u) or {}
    kinds = Counter(a.get("type") for a in data.values())
    events = sorted({a.get("event_type") for a in data.values() if a.get("event_type")})
    return {"from": u, "to": v, "types": sorted(kinds), "event_types": events}


def _incident_brief(graph, node) -> dict:
    attrs = graph.nodes[node]
    return {"incident": _incident_id(node), "title": attrs.get("label"), "date": attrs.get("date"),
            "main_type": attrs.get("main_type")}


def _incident_id(node: str) -> str:
    return node.split(":", 1)[1] if str(node).startswith("incident:") else node


def _is_entity(graph, node) -> bool:
    return graph.nodes[node].get("kind") in ENTITY_KINDS.values()
