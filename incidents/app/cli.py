"""The `incidents` command: parses arguments, builds library objects, calls one function, prints.

Every stage is imported only when its command runs, so `incidents --help` stays fast.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..config import load_settings
from ..errors import IncidentsError
from ..webtext import terminal_report


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        args.settings = load_settings(getattr(args, "config", None), db=getattr(args, "db", None))
        result = args.handler(args)
    except IncidentsError as exc:
        print(f"incidents: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`incidents graph ... | head`): not an error of ours. Point
        # stdout at devnull so Python's flush at exit does not raise again (Python docs, signal).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("incidents: interrupted; everything stored so far is kept", file=sys.stderr)
        return 130
    return int(result or 0)


def build_parser() -> argparse.ArgumentParser:
    # SUPPRESS keeps a value given before the command from being reset by the command's own parser.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--db", metavar="URL",
                        help="SQLAlchemy URL of the store (default: $INCIDENTS_DB, else sqlite:///data/incidents.db)")
    common.add_argument("--config", metavar="FILE", help="TOML settings file (default: $INCIDENTS_CONFIG or ./incidents.toml)")
    parser = argparse.ArgumentParser(prog="incidents", parents=[common],
                                     description="News and incident intelligence tracker for AI vendor disputes and AI security incidents.")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, handler, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help, description=help)
        p.set_defaults(handler=handler)
        return p

    p = command("demo", cmd_demo, "crawl the bundled sample news web, extract, link and open the dashboard")
    p.add_argument("--port", type=int, default=8501, help="port of the dashboard (default 8501)")
    p.add_argument("--no-dashboard", action="store_true", help="stop after linking instead of starting the dashboard")

    p = command("crawl", cmd_crawl, "run the Scrapy crawlers over a sources file and store new articles")
    p.add_argument("--sources", required=True, type=Path, metavar="FILE", help="sources TOML file")

    p = command("ingest", cmd_ingest, "store articles given as JSON lines")
    p.add_argument("file", type=Path, metavar="FILE.jsonl")

    p = command("extract", cmd_extract, "run the NLP pipeline over every article not yet analysed")
    p.add_argument("--workers", type=int, default=1, help="processes for spaCy (default 1)")
    p.add_argument("--batch-size", type=int, default=32, help="articles per batch committed to the store")

    command("link", cmd_link, "cluster analysed articles into incidents and rebuild the incident graph")

    p = command("run", cmd_run, "crawl, extract and link in one go (what a scheduler calls)")
    p.add_argument("--sources", required=True, type=Path, metavar="FILE", help="sources TOML file")
    p.add_argument("--workers", type=int, default=1, help="processes for spaCy (default 1)")

    p = command("export", cmd_export, "write every article with its analysis as JSON lines")
    p.add_argument("file", metavar="FILE.jsonl", nargs="?", help="output file, or - for standard output")
    p.add_argument("--labelled", metavar="FILE", help="write instead the articles analysts corrected, as labelled "
                                                      "stories for training (JSON lines; - for standard output)")
    p.add_argument("--incidents", metavar="FILE", help="write one row per incident instead (JSON lines, or CSV "
                                                       "for FILE.csv; - for standard output)")

    p = command("graph", cmd_graph, "analyst queries over the incident graph")
    from graph.commands import add_graph_commands
    add_graph_commands(p, common)

    p = command("correct", cmd_correct, "analysts' corrections: merge, retitle, move, facts, entities; log and undo")
    from graph.correct_commands import add_correct_commands
    add_correct_commands(p, common)

    command("alerts", cmd_alerts, "send alerts of new facts about followed companies and products (incidents run does)")

    from dashboard.api import commands as api_commands
    p = command("list", cmd_list, "incidents matching filters, newest first (as the API's /incidents)")
    api_commands.add_list_arguments(p)

    p = command("show", cmd_show, "one incident with its events, evidence and articles (as /incidents/ID)")
    p.add_argument("incident_id", metavar="ID")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = command("entities", cmd_entities, "entities the incidents name, most incidents first (as /entities)")
    api_commands.add_entities_arguments(p)

    p = command("entity", cmd_entity, "one entity: its incidents and counterparties (as /entities/NAME)")
    p.add_argument("name", help="canonical name")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = command("search", cmd_search, "incidents and articles matching words, or close in meaning (as /search)")
    api_commands.add_search_arguments(p)

    p = command("serve-api", cmd_serve_api, "serve the read-only HTTP API (OpenAPI spec at /openapi.json)")
    p.add_argument("--port", type=int, default=8000, help="port to serve on (default 8000)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; any other needs $INCIDENTS_API_TOKEN)")
    p.add_argument("--proxied", action="store_true",
                   help="behind a reverse proxy on this machine: trust its X-Forwarded-* headers")

    p = command("dashboard", cmd_dashboard, "start the Streamlit briefing dashboard")
    p.add_argument("--port", type=int, default=8501, help="port to serve on (default 8501)")

    p = command("digest", cmd_digest, "build the weekly digest email and send it, or write it with --out")
    from dashboard.digest.commands import add_digest_arguments
    add_digest_arguments(p)
    return parser


def open_store(args, read_only: bool = False):
    """The store at --db; `read_only` for commands that only read (never creating a store)."""
    from ..store import Store
    return Store(args.settings.db, read_only=read_only)


def cmd_demo(args) -> int:
    from .demo import run_demo
    return run_demo(args.settings, port=args.port, dashboard=not args.no_dashboard)


def cmd_crawl(args) -> int:
    from crawlers.run import crawl
    summary = crawl(args.settings, args.sources)
    print(terminal_report(summary.report()))
    return 0


def cmd_ingest(args) -> int:
    from crawlers.ingest import ingest_file
    with open_store(args) as store:
        summary = ingest_file(store, args.file)
    print(terminal_report(summary.report()))
    return 2 if summary.bad else 0  # a script must notice lines that were not stored


def cmd_extract(args) -> int:
    from nlp.extract import run_extract
    with open_store(args) as store:
        summary = run_extract(store, workers=args.workers, batch_size=args.batch_size,
                              model_name=args.settings.spacy_model, max_chars=args.settings.extract_max_chars)
    print(terminal_report(summary.report()))
    return 0


def cmd_link(args) -> int:
    from graph.link import run_link

    from ..store.locks import run_lock
    with open_store(args) as store, run_lock(args.settings.db, "link"):
        summary = run_link(store, args.settings.graph_path or None)
    print(terminal_report(summary.report()))
    return 0


def cmd_run(args) -> int:
    from .runner import run_all
    return run_all(args.settings, args.sources, workers=args.workers)


def cmd_export(args) -> int:
    from ..export import export_jsonl
    if args.incidents:
        from ..incident_export import export_incidents
        with open_store(args, read_only=True) as store:
            count = export_incidents(store, args.incidents)
        if args.incidents != "-":
            print(f"exported {count} incidents to {args.incidents}")
        return 0
    if args.labelled:
        from ..labelled import export_labelled
        with open_store(args, read_only=True) as store:
            count = export_labelled(store, args.labelled)
        if args.labelled != "-":
            print(f"exported {count} corrected articles to {args.labelled}")
        return 0
    if not args.file:
        raise IncidentsError("incidents export: name the output file (FILE.jsonl, or - for standard output), "
                             "--labelled FILE or --incidents FILE")
    with open_store(args, read_only=True) as store:
        count = export_jsonl(store, args.file)
    if args.file != "-":
        print(f"exported {count} articles to {args.file}")
    return 0


def cmd_graph(args) -> int:
    from graph.commands import run_graph_command
    with open_store(args, read_only=True) as store:
        return run_graph_command(store, args)


def cmd_correct(args) -> int:
    from graph.correct_commands import run_correct_command

    from ..corrections import analyst_name
    from ..store.locks import run_lock
    if getattr(args, "correct_command", None) == "log":
        with open_store(args, read_only=True) as store:
            return run_correct_command(store, args, "")
    with open_store(args) as store, run_lock(args.settings.db, "correct"):
        return run_correct_command(store, args, analyst_name(args.settings))


def cmd_alerts(args) -> int:
    from dashboard.alerts.send import send_alerts
    with open_store(args) as store:  # sending records who got what
        summary = send_alerts(store, args.settings)
    print(terminal_report(summary.report()))
    return 1 if summary.failed else 0


def cmd_list(args) -> int:
    from dashboard.api.commands import run_list
    with open_store(args, read_only=True) as store:
        return run_list(store, args)


def cmd_show(args) -> int:
    from dashboard.api.commands import run_show
    with open_store(args, read_only=True) as store:
        return run_show(store, args)


def cmd_entities(args) -> int:
    from dashboard.api.commands import run_entities
    with open_store(args, read_only=True) as store:
        return run_entities(store, args)


def cmd_entity(args) -> int:
    from dashboard.api.commands import run_entity
    with open_store(args, read_only=True) as store:
        return run_entity(store, args)


def cmd_search(args) -> int:
    from dashboard.api.commands import run_search
    with open_store(args, read_only=True) as store:
        return run_search(store, args)


def cmd_serve_api(args) -> int:
    from dashboard.api.serve import serve_api
    return serve_api(args.settings, host=args.host, port=args.port, proxied=args.proxied)


def cmd_dashboard(args) -> int:
    from dashboard.serve import serve_dashboard
    open_store(args, read_only=True).close()  # a mistyped --db is one line here, not a page of errors
    return serve_dashboard(args.settings, port=args.port)


def cmd_digest(args) -> int:
    from dashboard.digest.commands import run_digest_command
    with open_store(args, read_only=args.out is not None) as store:  # sending records who got it
        return run_digest_command(store, args.settings, args)


if __name__ == "__main__":
    sys.exit(main())
