"""`incidents correct ...`: analysts' corrections on the command line, scriptable with `--json`.

Each subcommand makes one correction through `graph.correct.Corrector` and prints it (one
line, or its log entry as JSON); `log` lists the log, `undo N` undoes entry N.
"""
from __future__ import annotations

import argparse
import json
import sys

from incidents.corrections import undone_ids
from incidents.errors import IncidentsError
from incidents.model import ENTITY_TYPES, EVENT_TYPES
from incidents.webtext import display_text

COMMANDS = ("merge", "retitle", "move", "irrelevant", "relevant", "fact-change", "fact-reject", "fact-add",
            "entity-merge", "entity-rename", "entity-type", "entity-vendor", "entity-hide", "log", "undo")


def add_correct_commands(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    parser.set_defaults(correct_command=None)
    sub = parser.add_subparsers(title="corrections", metavar="CORRECTION")

    def correction(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help, description=help)
        p.set_defaults(correct_command=name)
        p.add_argument("--json", action="store_true", help="print the log entry as JSON")
        if name not in ("log",):
            p.add_argument("--reason", metavar="TEXT", help="why (kept in the log)")
        return p

    p = correction("merge", "merge incident ID into INTO_ID (ID then redirects to INTO_ID)")
    p.add_argument("incident_id", metavar="ID")
    p.add_argument("into", metavar="INTO_ID")
    p = correction("retitle", "give an incident a new title")
    p.add_argument("incident_id", metavar="ID")
    p.add_argument("title", metavar="TITLE")
    p = correction("move", "move an article to another incident (--to ID) or to a new one (--new)")
    p.add_argument("article", metavar="ARTICLE_ID", help="the article's id as `incidents export` writes it")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--to", metavar="ID", help="the incident it belongs to")
    where.add_argument("--new", action="store_true", help="it tells an incident of its own")
    p = correction("irrelevant", "mark an article as not in scope (it leaves its incidents)")
    p.add_argument("article", metavar="ARTICLE_ID")
    p = correction("relevant", "mark an article as in scope after all (it is linked into an incident)")
    p.add_argument("article", metavar="ARTICLE_ID")

    def fact(name: str, help: str) -> argparse.ArgumentParser:
        p = correction(name, help)
        p.add_argument("incident_id", metavar="ID", help="the incident")
        p.add_argument("type", metavar="TYPE", choices=EVENT_TYPES, help=f"event type: {', '.join(EVENT_TYPES)}")
        p.add_argument("actor", metavar="ACTOR")
        p.add_argument("target", metavar="TARGET")
        p.add_argument("--date", metavar="DATE", help="the fact's date (YYYY-MM-DD or YYYY-MM), "
                                                      "needed when the fact is stated with several")
        return p

    p = fact("fact-change", "change the type, actor, target or date of a fact of an incident")
    p.add_argument("--set-type", choices=EVENT_TYPES, metavar="TYPE", help="the right event type")
    p.add_argument("--set-actor", metavar="NAME", help="the right actor (an entity's name)")
    p.add_argument("--set-target", metavar="NAME", help="the right target (an entity's name)")
    p.add_argument("--set-date", metavar="DATE", help="the right date (YYYY-MM-DD, YYYY-MM, or 'undated')")
    fact("fact-reject", "reject a fact of an incident: no article of it states that")
    p = fact("fact-add", "add a fact the extraction missed, with the sentence that states it")
    p.add_argument("--evidence", required=True, metavar="SENTENCE", help="the sentence of an article that states it")
    p.add_argument("--article", metavar="ARTICLE_ID", help="the article it is in (default: any of the incident)")

    p = correction("entity-merge", "merge duplicate entity NAME into INTO_NAME")
    p.add_argument("name", metavar="NAME")
    p.add_argument("into", metavar="INTO_NAME")
    p = correction("entity-rename", "give an entity another canonical name")
    p.add_argument("name", metavar="NAME")
    p.add_argument("new_name", metavar="NEW_NAME")
    p = correction("entity-type", "set an entity's type")
    p.add_argument("name", metavar="NAME")
    p.add_argument("entity_type", metavar="TYPE", choices=ENTITY_TYPES, help=f"one of {', '.join(ENTITY_TYPES)}")
    p = correction("entity-vendor", "link a product to the company that makes it")
    p.add_argument("name", metavar="PRODUCT")
    p.add_argument("vendor", metavar="VENDOR")
    p = correction("entity-hide", "hide an entity from executive views (the record keeps it)")
    p.add_argument("name", metavar="NAME")
    correction("log", "list every correction, oldest first, with who made it, when and whether it is in force")
    p = correction("undo", "undo correction N")
    p.add_argument("correction_id", metavar="N", type=int)


def run_correct_command(store, args, who: str) -> int:
    """Make the correction the arguments ask for, or list the log; prints the result."""
    command = args.correct_command
    if not command:
        raise IncidentsError(f"incidents correct: choose a correction: {', '.join(COMMANDS)} "
                             "(see incidents correct --help)")
    if command == "log":
        return _print_log(store, args.json)
    from .correct import Corrector

    corrector = Corrector(store, who, args.settings.graph_path or None)
    made = _make(corrector, args)
    if args.json:
        json.dump({**made.as_dict(), "text": made.describe()}, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(display_text(f"correction {made.id} by {made.who}: {made.describe()}"))
    return 0


def _make(c, args):
    reason = args.reason
    match args.correct_command:
        case "merge":
            return c.merge(args.incident_id, args.into, reason)
        case "retitle":
            return c.retitle(args.incident_id, args.title, reason)
        case "move":
            return c.move(args.article, to=args.to, new=args.new, reason=reason)
        case "irrelevant" | "relevant":
            return c.relevance(args.article, args.correct_command == "relevant", reason)
        case "fact-change":
            changes = {"type": args.set_type, "actor": args.set_actor, "target": args.set_target, "date": args.set_date}
            return c.fact_change(args.incident_id, args.type, args.actor, args.target, args.date, changes, reason)
        case "fact-reject":
            return c.fact_reject(args.incident_id, args.type, args.actor, args.target, args.date, reason)
        case "fact-add":
            return c.fact_add(args.incident_id, args.type, args.actor, args.target, args.date, args.evidence,
                              args.article, reason)
        case "entity-merge":
            return c.entity_merge(args.name, args.into, reason)
        case "entity-rename":
            return c.entity_rename(args.name, args.new_name, reason)
        case "entity-type":
            return c.entity_type(args.name, args.entity_type, reason)
        case "entity-vendor":
            return c.entity_vendor(args.name, args.vendor, reason)
        case "entity-hide":
            return c.entity_hide(args.name, reason)
        case "undo":
            return c.undo(args.correction_id, reason)
    raise AssertionError(args.correct_command)


def _print_log(store, as_json: bool) -> int:
    log = store.correction_log()
    undone = undone_ids(log)
    rows = [{**c.as_dict(), "text": c.describe(), "undone_by": undone.get(c.id)} for c in log]
    if as_json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not rows:
        print("(no corrections yet)")
    for r in rows:
        status = f"  [undone by {r['undone_by']}]" if r["undone_by"] else ""
        why = f"  ({r['reason']})" if r["reason"] else ""
        print(display_text(f"{r['id']:>4}  {r['when'][:19].replace('T', ' ')}  {r['who']}: {r['text']}{why}{status}"))
    return 0
