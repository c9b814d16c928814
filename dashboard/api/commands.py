"""`incidents list`, `show`, `entity`, `search` and `serve-api`: the API's reads on the
command line. With `--json` each prints exactly what the API answers to the same query
(the same function of `dashboard.api.resources` makes both)."""
from __future__ import annotations

import json
import sys

from incidents.model import ENTITY_TYPES, EVENT_TYPES

from . import resources as r


def add_list_arguments(p) -> None:
    p.add_argument("--week", metavar="YYYY-Www", help="incidents with an article published in this ISO week")
    p.add_argument("--company", metavar="NAME", help="incidents naming this company or product (canonical name)")
    p.add_argument("--type", dest="event_type", choices=EVENT_TYPES, metavar="TYPE",
                   help="incidents with an event of this type")
    p.add_argument("--since", metavar="DATE", help="incidents dated on or after (YYYY-MM[-DD])")
    p.add_argument("--until", metavar="DATE", help="incidents dated on or before (YYYY-MM[-DD])")
    p.add_argument("--text", metavar="WORDS", help="every word in the title or parties")
    _paging(p)


def add_entities_arguments(p) -> None:
    p.add_argument("--type", dest="entity_type", choices=ENTITY_TYPES, help="only entities of this type")
    _paging(p)


def add_search_arguments(p) -> None:
    p.add_argument("query", help="words to find")
    p.add_argument("--semantic", action="store_true", help="also what is closest in meaning (loads a model)")
    p.add_argument("--limit", type=int, default=20, help="most incidents and articles (default 20)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def _paging(p) -> None:
    p.add_argument("--offset", type=int, default=0, help="skip this many (default 0)")
    p.add_argument("--limit", type=int, default=r.DEFAULT_LIMIT, help=f"at most this many (default {r.DEFAULT_LIMIT})")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def run_list(store, args) -> int:
    query = r.Query(week=args.week, company=args.company, event_type=args.event_type, since=args.since,
                    until=args.until, text=args.text)
    found = r.incident_list(store, query, args.offset, args.limit)
    return _out(args, found, found["items"], ("date", "main_type", "id", "title"))


def run_show(store, args) -> int:
    from graph.commands import print_table

    found = r.incident_detail(store, args.incident_id)
    if args.json:
        return _json(found)
    inc = found["incident"]
    print_table([inc], ("id", "date", "main_type", "title"))
    print()
    print_table(found["events"], ("date", "type", "actor", "target", "stance", "evidence"))
    print()
    print_table(found["articles"], ("id", "published", "outlet", "title"))
    return 0


def run_entities(store, args) -> int:
    found = r.entity_list(store, args.entity_type, args.offset, args.limit)
    return _out(args, found, found["items"], ("incidents", "type", "name", "vendor"))


def run_entity(store, args) -> int:
    found = r.entity_detail(store, args.name)
    return _out(args, found, found["counterparties"], ("role", "type", "counterparty", "events", "incidents"))


def run_search(store, args) -> int:
    if args.semantic:
        from dashboard.search import semantic_index
        from nlp.embed import get_embedder

        found = r.search(store, args.query, index=semantic_index(store), vector=get_embedder().embed([args.query])[0],
                         limit=args.limit)
    else:
        found = r.search(store, args.query, limit=args.limit)
    if args.json:
        return _json(found)
    from graph.commands import print_table

    print_table(found["incidents"], ("date", "main_type", "id", "title"))
    print()
    print_table(found["articles"], ("published", "outlet", "id", "title"))
    return 0


def _out(args, found, rows, columns) -> int:
    if args.json:
        return _json(found)
    from graph.commands import print_table

    print_table(rows, columns)
    if "total" in found and found["total"] > found["offset"] + len(rows):
        print(f"({found['offset'] + 1}-{found['offset'] + len(rows)} of {found['total']}; --offset for more)")
    return 0


def _json(found) -> int:
    json.dump(found, sys.stdout, ensure_ascii=False, indent=2, default=str)
    print()
    return 0
