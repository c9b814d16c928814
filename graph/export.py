"""Exports of the incident graph for Gephi and notebooks: GraphML, GEXF, node-link JSON, CSV.

GraphML and GEXF hold only scalar attributes, so lists and records (aliases, lifecycle)
are written as JSON text and missing values are left out. CSV is two files in a
folder: `nodes.csv` (id, kind, label, then every attribute) and `edges.csv` (source,
target, key, type, date, then every attribute).
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx

from incidents.errors import IncidentsError

__all__ = ["FORMATS", "export_graph", "scalar_graph"]

FORMATS = ("graphml", "gexf", "json", "csv")
NODE_COLUMNS = ("id", "kind", "label")
EDGE_COLUMNS = ("source", "target", "key", "type", "date")


def export_graph(graph: nx.MultiDiGraph, path: str | Path, fmt: str | None = None) -> Path:
    """Write the graph to `path` in a format (default: from the suffix; `csv` writes a folder).

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> from graph.example import example_graph
    >>> folder = Path(tempfile.mkdtemp())
    >>> g = nx.read_graphml(export_graph(example_graph(), folder / "g.graphml"))
    >>> g.nodes["Claude Code"]["kind"]
    'product'
    """
    path = Path(path)
    fmt = (fmt or _format_of(path)).lower()
    if fmt not in FORMATS:
        raise IncidentsError(f"{path}: unknown export format {fmt!r} (choose one of {', '.join(FORMATS)})")
    try:
        if fmt == "csv":
            _write_csv(graph, path)
        elif fmt == "json":
            path.write_text(json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False, default=str),
                            encoding="utf-8")
        elif fmt == "graphml":
            nx.write_graphml(scalar_graph(graph), path)
        else:
            nx.write_gexf(scalar_graph(graph), path)
    except OSError as exc:
        raise IncidentsError(f"{path}: cannot write the graph export ({exc.strerror or exc})") from None
    return path


def scalar_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all strings, numbers or booleans."""
    out = nx.MultiDiGraph()
    out.add_nodes_from((n, _scalars(a)) for n, a in graph.nodes(data=True))
    out.add_edges_from((u, v, k, _scalars(a)) for u, v, k, a in graph.edges(keys=True, data=True))
    return out


def _scalars(attrs: dict) -> dict:
    out = {}
    for name, value in attrs.items():
        if value is None:
            continue
        out[name] = value if isinstance(value, (str, int, float, bool)) else json.dumps(value, ensure_ascii=False)
    return out


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    return suffix or "csv"


def _write_csv(graph: nx.MultiDiGraph, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    nodes = [(n, _scalars(a)) for n, a in graph.nodes(data=True)]
    extra = sorted({k for _, a in nodes for k in a} - set(NODE_COLUMNS))
    with open(folder / "nodes.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow([*NODE_COLUMNS, *extra])
        for node, attrs in nodes:
            writer.writerow([node, attrs.get("kind", ""), attrs.get("label", node), *(attrs.get(k, "") for k in extra)])
    edges = [(u, v, k, _scalars(a)) for u, v, k, a in graph.edges(keys=True, data=True)]
    extra = sorted({k for *_, a in edges for k in a} - set(EDGE_COLUMNS))
    with open(folder / "edges.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow([*EDGE_COLUMNS, *extra])
        for u, v, key, attrs in edges:
            writer.writerow([u, v, key, attrs.get("type", ""), attrs.get("date", ""),
                             *(attrs.get(k, "") for k in extra)])
