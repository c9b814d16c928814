"""Finding the node an analyst means: canonical names, aliases, incident ids.

An unknown name raises `UnknownEntity`, a project error listing the closest names, so the
command line prints one line ("did you mean ...") instead of a traceback.
"""
from __future__ import annotations

import networkx as nx
from rapidfuzz import fuzz, process

from incidents.errors import IncidentsError

from .build import ENTITY_KINDS, incident_node
from .claims import name_key

__all__ = ["UnknownEntity", "resolve_entity", "resolve_incident"]

SUGGESTIONS = 5


class UnknownEntity(IncidentsError):
    """A name that is no entity (or incident) of the graph; `suggestions` holds close names."""

    def __init__(self, name: str, suggestions: list[str], what: str = "entity"):
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else "; the graph has no close name"
        super().__init__(f"unknown {what} {name!r} in the incident graph{hint}")


def resolve_entity(graph: nx.MultiDiGraph, name: str) -> str:
    """The entity node for a canonical name or an alias, ignoring case and punctuation.

    Examples
    --------
    >>> from graph.example import example_graph
    >>> g = example_graph()
    >>> resolve_entity(g, "alibaba group")
    'Alibaba'
    >>> resolve_entity(g, "Anthropik")
    Traceback (most recent call last):
    ...
    graph.resolve.UnknownEntity: unknown entity 'Anthropik' in the incident graph; did you mean: Anthropic?
    """
    if name in graph and _is_entity(graph, name):
        return name
    key = name_key(name)
    names = _entity_names(graph)
    if key in names:
        return names[key]
    raise UnknownEntity(name, _close(key, names))


def resolve_incident(graph: nx.MultiDiGraph, incident_id: str) -> str:
    """The node of an incident given by its id (with or without the `incident:` prefix)."""
    node = incident_id if incident_id.startswith("incident:") else incident_node(incident_id)
    if node in graph:
        return node
    ids = {n.split(":", 1)[1]: n for n, kind in graph.nodes(data="kind") if kind == "incident"}
    found = process.extract(incident_id, list(ids), scorer=fuzz.WRatio, limit=SUGGESTIONS, score_cutoff=60)
    raise UnknownEntity(incident_id, [m for m, _, _ in found], what="incident")


def _is_entity(graph, node) -> bool:
    return graph.nodes[node].get("kind") in ENTITY_KINDS.values()


def _entity_names(graph) -> dict[str, str]:
    """Comparison key of every name and alias -> entity node (canonical names win)."""
    names: dict[str, str] = {}
    entities = [(n, a) for n, a in graph.nodes(data=True) if a.get("kind") in ENTITY_KINDS.values()]
    for node, attrs in entities:
        for alias in attrs.get("aliases") or []:
            names.setdefault(name_key(alias), node)
    for node, _ in entities:
        names[name_key(node)] = node
    return names


def _close(key: str, names: dict[str, str]) -> list[str]:
    found = process.extract(key, list(names), scorer=fuzz.WRatio, limit=SUGGESTIONS * 3, score_cutoff=70)
    return list(dict.fromkeys(names[m] for m, _, _ in found))[:SUGGESTIONS]
