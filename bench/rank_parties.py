"""How many of the top of `incidents graph rank` are parties to a real event of a labelled set.

Ingests the set into a throw-away store (or reads `--db`), extracts, links, ranks the top N
by involvement, and counts the names that are actor or target of a gold event (compared as
the shared scorer compares names, `norm` of ../shared/eval/score.py: "NYP" is "NYP Holdings,
Inc.", against every surface form the gold gives the entity). Prints
one JSON line: the count with the party gate (what `graph rank` shows) and without it.

    python3 bench/rank_parties.py tests/fixtures/eval/blind3.jsonl [--top 30] [--db URL]
"""
from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCORE = ROOT.parent / "shared" / "eval" / "score.py"
sys.path.insert(0, str(ROOT))

from graph.build import open_graph  # noqa: E402
from graph.queries import rank  # noqa: E402
from incidents.store import Store  # noqa: E402


@functools.cache
def shared_norm():
    """The shared scorer's name normalisation, so a name counts here as it counts there
    (read once, when first needed)."""
    spec = importlib.util.spec_from_file_location("shared_score", SCORE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.norm


def name_key(name: str) -> str:
    return shared_norm()(name)


def gold_parties(path: Path) -> set[str]:
    """Name keys of every actor and target of the set's events, with their entities' surface forms."""
    parties: set[str] = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            story = json.loads(line)
            forms = {name_key(e["name"]): {name_key(m) for m in [e["name"], *e.get("mentions", [])]}
                     for e in story.get("entities", [])}
            for event in story.get("events", []):
                for name in (event["actor"], event["target"]):
                    parties |= forms.get(name_key(name), {name_key(name)})
    return parties


def build_store(gold: Path, url: str) -> None:
    env = {**os.environ, "INCIDENTS_DB": url, "PYTHONPATH": str(ROOT)}
    for args in (["ingest", str(gold)], ["extract"], ["link"]):
        subprocess.run([sys.executable, "-m", "incidents.app.cli", *args], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, help="labelled set (JSON lines, the schema of ../shared/eval/README.md)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--db", help="a store the set was already ingested, extracted and linked into")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{tmp}/set.db"
        if not args.db:
            build_store(args.gold, url)
        with Store(url, read_only=True) as store:
            graph = open_graph(store)
        parties = gold_parties(args.gold)
        result = {"set": str(args.gold), "top": args.top}
        for label, everyone in (("gated", False), ("ungated", True)):
            ranked = rank(graph, top=args.top, everyone=everyone)
            missed = [r["name"] for r in ranked if name_key(r["name"]) not in parties]
            result[label] = {"ranked": len(ranked), "parties": len(ranked) - len(missed), "not_parties": missed}
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
