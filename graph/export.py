"""Exports of the incident graph for Gephi and notebooks: GraphML, GEXF, node-link JSON, CSV.

GraphML and GEXF hold only scalar attributes, so lists and records (aliases, lifecycle)
are written as JSON text and missing values are left out. CSV is two files in a
folder: `nodes.csv` (id, kind, label, then every attribute) and `edges.csv` (source,
target, key, type, date, then every attribute).

Text from the web goes out defused: characters XML forbids are dropped from GraphML and
GEXF (names and attributes alike), and CSV cells that a spreadsheet would run as formulas
are quoted (`incidents.webtext`). Every file is written beside its destination and renamed
into place, so a failed export never leaves a truncated file.
"""
from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import networkx as nx

from incidents.errors import IncidentsError
from incidents.webtext import csv_cell, xml_text

__all__ = ["FORMATS", "export_graph", "replacing", "scalar_graph"]

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
            with replacing(path) as tmp:
                tmp.write_text(json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False,
                                          default=str), encoding="utf-8")
        elif fmt == "graphml":
            with replacing(path) as tmp:
                nx.write_graphml(scalar_graph(graph, xml_text), tmp)
        else:
            with replacing(path) as tmp:
                nx.write_gexf(scalar_graph(graph, xml_text), tmp)
    except OSError as exc:
        raise IncidentsError(f"{path}: cannot write the graph export ({exc.strerror or exc})") from None
    return path


@contextmanager
def replacing(path: Path):
    """A temporary file beside `path` to write into; renamed onto `path` only when the
    writing succeeded, deleted otherwise."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def scalar_graph(graph: nx.MultiDiGraph, clean: Callable[[str], str] = str) -> nx.MultiDiGraph:
    """A copy whose attributes are all strings, numbers or booleans, every string (node
    names and edge keys too) passed through `clean`."""
    def node(n):
        return clean(n) if isinstance(n, str) else n

    out = nx.MultiDiGraph()
    out.add_nodes_from((node(n), _scalars(a, clean)) for n, a in graph.nodes(data=True))
    out.add_edges_from((node(u), node(v), node(k), _scalars(a, clean))
                       for u, v, k, a in graph.edges(keys=True, data=True))
    return out


def _scalars(attrs: dict, clean: Callable[[str], str] = str) -> dict:
    out = {}
    for name, value in attrs.items():
        if value is None:
            continue
        if not isinstance(value, (str, int, float, bool)):
            value = json.dumps(value, ensure_ascii=False)
        out[name] = clean(value) if isinstance(value, str) else value
    return out


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    return suffix or "csv"


def _write_csv(graph: nx.MultiDiGraph, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    nodes = [(n, _scalars(a)) for n, a in graph.nodes(data=True)]
    extra = sorted({k for _, a in nodes for k in a} - set(NODE_COLUMNS))
    _write_rows(folder / "nodes.csv", [*NODE_COLUMNS, *extra],
                ([node, attrs.get("kind", ""), attrs.get("label", node), *(attrs.get(k, "") for k in extra)]
                 for node, attrs in nodes))
    edges = [(u, v, k, _scalars(a)) for u, v, k, a in graph.edges(keys=True, data=True)]
    extra = sorted({k for *_, a in edges for k in a} - set(EDGE_COLUMNS))
    _write_rows(folder / "edges.csv", [*EDGE_COLUMNS, *extra],
                ([u, v, key, attrs.get("type", ""), attrs.get("date", ""), *(attrs.get(k, "") for k in extra)]
                 for u, v, key, attrs in edges))


def _write_rows(path: Path, header: list[str], rows) -> None:
    """One CSV file, every cell defused against spreadsheet formulas."""
    with replacing(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows([csv_cell(cell) for cell in row] for row in rows)
