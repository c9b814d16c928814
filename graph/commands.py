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
    from .build import open_graph

    if not args.graph_command:
        raise IncidentsError("incidents graph: choose a query: neighbours, paths, timeline, rank, between, "
                             "actions, incident, export (see incidents graph --help)")
    graph = open_graph(store, args.settings.graph_path or None)
    args.hidden = store.hidden_entity_names()
    result, columns = _run(graph, args)
    if args.graph_command == "export":
        print(f"exported {graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges to {result}")
    elif args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2, default=str)
        print()
    else:
        _print(result, columns)
    return 0


def _run(graph, args):
    from . import queries
    from .export import export_graph

    c = args.graph_command
    dates = {"start": getattr(args, "since", None), "end": getattr(args, "until", None)}
    if c == "neighbours":
        rows = queries.neighbours(graph, args.name, args.hops, node_types=args.node_types,
                                  event_types=args.event_types, include_articles=args.articles, **dates)
        return rows, ("distance", "kind", "name", "label")
    if c == "paths":
        found = queries.paths(graph, args.source, args.target, cutoff=args.cutoff, limit=args.limit,
                              event_types=args.event_types, **dates)
        rows = [{"length": p["length"], "path": " - ".join(map(str, p["nodes"])),
                 "incidents": "; ".join(i["title"] or i["incident"] for i in p["incidents"])} for p in found]
        return (found if args.json else rows), ("length", "path", "incidents")
    if c == "timeline":
        rows = queries.timeline(graph, args.name, event_types=args.event_types, **dates)
        return rows, ("date", "event_type", "role", "counterpart", "incident", "evidence")
    if c == "rank":
        rows = queries.rank(graph, by=args.by, node_types=args.node_types, event_types=args.event_types,
                            top=args.top, hidden=args.hidden, **dates)
        return rows, ("score", "incidents", "kind", "name")
    if c == "between":
        found = queries.between(graph, args.first, args.second, **dates)
        rows = [{**i, "roles": "; ".join(f"{k}: {', '.join(v)}" for k, v in i["roles"].items())} for i in found]
        return (found if args.json else rows), ("date", "main_type", "incident", "roles")
    if c == "actions":
        rows = queries.actions(graph, args.vendor, args.action, include_vendor=not args.products_only, **dates)
        return rows, ("date", "actor", "action", "target", "incident", "evidence")
    if c == "incident":
        story = queries.incident_story(graph, args.incident_id)
        if args.json:
            return story, ()
        lines = [dict(date=e["date"], type=e["type"], actor=e["actor"], target=e["target"], evidence=e["evidence"])
                 for e in story["lifecycle"]]
        print(_clean(f"{story['title']} ({story['incident']}, {story['date']}); outlets: {', '.join(story['outlets'])}",
                     cut=False))
        return lines, ("date", "type", "actor", "target", "evidence")
    return export_graph(graph, args.path, args.format), ()


def _print(rows: list[dict], columns) -> None:
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
