"""`incidents graph ...`: the analyst queries of `graph.queries` on the command line.

Each subcommand prints a table, or the query's result as JSON with `--json`.
"""
from __future__ import annotations

import argparse
import json
import sys

from incidents.errors import IncidentsError
from incidents.model import EVENT_TYPES
from incidents.webtext import display_text

from .build import NODE_KINDS
from .export import FORMATS
from .queries import RANKINGS

CELL_CHARS = 70
"""Table cells longer than this are cut (the JSON output keeps everything)."""


def add_graph_commands(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    parser.set_defaults(graph_command=None)
    sub = parser.add_subparsers(title="graph commands", metavar="QUERY")

    def query(name: str, help: str, dated: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help, description=help)
        p.set_defaults(graph_command=name)
        p.add_argument("--json", action="store_true", help="print the result as JSON")
        if dated:
            p.add_argument("--since", metavar="DATE", help="only what happened on or after (YYYY-MM[-DD])")
            p.add_argument("--until", metavar="DATE", help="only what happened on or before (YYYY-MM[-DD])")
        return p

    events = {"choices": EVENT_TYPES, "action": "append", "metavar": "TYPE"}
    p = query("neighbours", "entities and incidents within k hops of an entity")
    p.add_argument("name", help="entity name (canonical or alias)")
    p.add_argument("-k", "--hops", type=int, default=1, help="how many hops (default 1; entity-incident-entity is 2)")
    p.add_argument("--type", dest="node_types", choices=NODE_KINDS, action="append", metavar="KIND",
                   help=f"only nodes of this kind (repeatable): {', '.join(NODE_KINDS)}")
    p.add_argument("--event", dest="event_types", help="only incident links of this event type (repeatable)", **events)
    p.add_argument("--articles", action="store_true", help="also walk through and list articles")

    p = query("paths", "the shortest connections between two entities, with the incidents on them")
    p.add_argument("source")
    p.add_argument("target")
    p.add_argument("--cutoff", type=int, default=4, help="longest path in hops (default 4)")
    p.add_argument("--limit", type=int, default=10, help="most paths shown (default 10)")
    p.add_argument("--event", dest="event_types", help="only incident links of this event type", **events)

    p = query("timeline", "every event an entity took part in, oldest first")
    p.add_argument("name")
    p.add_argument("--event", dest="event_types", help="only this event type (repeatable)", **events)

    p = query("rank", "entities ranked by involvement or centrality over a period")
    p.add_argument("--by", choices=RANKINGS, default="involvement", help="ranking (default involvement)")
    p.add_argument("--type", dest="node_types", choices=NODE_KINDS[:4], action="append", metavar="KIND",
                   help="only entities of this kind (repeatable)")
    p.add_argument("--event", dest="event_types", help="only this event type (repeatable)", **events)
    p.add_argument("--top", type=int, default=20, help="how many (default 20)")
    p.add_argument("--everyone", action="store_true",
                   help="also rank names that are no party (places, courts, outlets, documents, fragments of names)")

    p = query("between", "incidents in which two entities both take part")
    p.add_argument("first")
    p.add_argument("second")

    p = query("actions", "who took an action (e.g. ban) against a vendor's products")
    p.add_argument("vendor")
    p.add_argument("--action", choices=EVENT_TYPES, default="ban", help="event type (default ban)")
    p.add_argument("--products-only", action="store_true", help="leave out actions against the vendor itself")

    p = query("incident", "one incident: its lifecycle and articles", dated=False)
    p.add_argument("incident_id")

    p = query("export", "write the graph as GraphML, GEXF, node-link JSON or CSV (a folder)", dated=False)
    p.add_argument("path", help="output file (.graphml, .gexf, .json) or folder (csv)")
    p.add_argument("--format", choices=FORMATS, help="format (default: from the file name; csv without suffix)")


def run_graph_command(store, args) -> int:
    from .build import STALE_NOTE, open_graph
    from .export import export_graph

    if not args.graph_command:
        raise IncidentsError("incidents graph: choose a query: neighbours, paths, timeline, rank, between, "
                             "actions, incident, export (see incidents graph --help)")
    graph = open_graph(store)
    if graph.graph.get("stale"):
        print(f"incidents: note: {STALE_NOTE}", file=sys.stderr)
    args.hidden = store.hidden_entity_names()  # left out of rankings (an analyst's entity-hide)
    if args.graph_command == "export":
        result = export_graph(graph, args.path, args.format)
        print(f"exported {graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges to {result}")
        return 0
    result = graph_query(graph, args.graph_command, args)
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2, default=str)
        print()
    else:
        print_table(*_table(args.graph_command, result))
    return 0


def graph_query(graph, command: str, params) -> list[dict] | dict:
    """The result of one analyst query (neighbours, paths, timeline, rank, between, actions,
    incident) as `--json` prints it; `params` holds the query's options under the names of
    the command line's arguments (`args`, or any object with those attributes).
    The HTTP API calls this too, so both answer alike."""
    from . import queries

    p = params
    dates = {"start": getattr(p, "since", None), "end": getattr(p, "until", None)}
    if command == "neighbours":
        return queries.neighbours(graph, p.name, p.hops, node_types=p.node_types, event_types=p.event_types,
                                  include_articles=p.articles, **dates)
    if command == "paths":
        return queries.paths(graph, p.source, p.target, cutoff=p.cutoff, limit=p.limit,
                             event_types=p.event_types, **dates)
    if command == "timeline":
        return queries.timeline(graph, p.name, event_types=p.event_types, **dates)
    if command == "rank":
        return queries.rank(graph, by=p.by, node_types=p.node_types, event_types=p.event_types, top=p.top,
                            everyone=getattr(p, "everyone", False), hidden=getattr(p, "hidden", ()), **dates)
    if command == "between":
        return queries.between(graph, p.first, p.second, **dates)
    if command == "actions":
        return queries.actions(graph, p.vendor, p.action, include_vendor=not p.products_only, **dates)
    if command == "incident":
        return queries.incident_story(graph, p.incident_id)
    raise ValueError(f"unknown graph query {command!r}")


def _table(command: str, result) -> tuple[list[dict], tuple[str, ...]]:
    """The rows and columns a query's result is printed as."""
    if command == "neighbours":
        return result, ("distance", "kind", "name", "label")
    if command == "paths":
        rows = [{"length": p["length"], "path": " - ".join(map(str, p["nodes"])),
                 "incidents": "; ".join(i["title"] or i["incident"] for i in p["incidents"])} for p in result]
        return rows, ("length", "path", "incidents")
    if command == "timeline":
        return result, ("date", "event_type", "role", "counterpart", "incident", "evidence")
    if command == "rank":
        return result, ("score", "incidents", "articles", "kind", "name")
    if command == "between":
        rows = [{**i, "roles": "; ".join(f"{k}: {', '.join(v)}" for k, v in i["roles"].items())} for i in result]
        return rows, ("date", "main_type", "incident", "roles")
    if command == "actions":
        return result, ("date", "actor", "action", "target", "incident", "evidence")
    story = result
    print(_clean(f"{story['title']} ({story['incident']}, {story['date']}); outlets: {', '.join(story['outlets'])}",
                 cut=False))
    lines = [dict(date=e["date"], type=e["type"], actor=e["actor"], target=e["target"], evidence=e["evidence"])
             for e in story["lifecycle"]]
    return lines, ("date", "type", "actor", "target", "evidence")


def print_table(rows: list[dict], columns) -> None:
    """Rows as an aligned table for the terminal; web text cleaned, long cells cut."""
    if not rows:
        print("(nothing found)")
        return
    cells = [[_clean(r.get(col)) for col in columns] for r in rows]
    widths = [max(len(col), *(len(row[i]) for row in cells)) for i, col in enumerate(columns)]
    print("  ".join(col.ljust(w) for col, w in zip(columns, widths)).rstrip())
    for row in cells:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


def _clean(value, cut: bool = True) -> str:
    """A table cell: no control or bidi characters from web text reach the terminal; long text cut."""
    text = display_text(value)
    return text if not cut or len(text) <= CELL_CHARS else text[:CELL_CHARS - 1] + "\u2026"
