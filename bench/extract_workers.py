"""Benchmark of extraction spread over worker processes: articles per second of 1 and of 2
`incidents extract` processes started together over one PostgreSQL store.

    python3 bench/extract_workers.py [--articles 160] [--batch-size 8] [--workers 1 2]
                                     [--server postgresql+psycopg://postgres@127.0.0.1:5432]

The articles are the first --articles stories of the labelled corpus (data/corpus/*.jsonl,
most of them in scope, so they go through the full pipeline), ingested into a fresh
database on the server for each number of workers (dropped afterwards). Each worker is a
real `incidents extract` process; `wall` runs from their start to the last one's end (model
loading included), `steady` from the first stored analysis to the last (what adding
workers to a running deployment gains). The last line printed is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from crawlers.ingest import ingest_file  # noqa: E402
from incidents.store import Store  # noqa: E402
from nlp.training.corpus import CORPUS_DIR  # noqa: E402

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


@contextmanager
def fresh_database(server: str):
    """A new database on the server, dropped afterwards; yields its URL."""
    import psycopg

    url = make_url(server)
    name = f"incidents_bench_{uuid.uuid4().hex[:12]}"

    def admin():
        return psycopg.connect(host=url.host, port=url.port, user=url.username, password=url.password,
                               dbname="postgres", autocommit=True)

    with admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def corpus_lines(count: int) -> list[str]:
    lines = [line for path in sorted(CORPUS_DIR.glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if count > len(lines):
        sys.exit(f"--articles: the corpus holds {len(lines)} stories")
    return lines[:count]


def timed_workers(url: str, workers: int, batch_size: int, total: int) -> dict:
    """Start `workers` extract processes together and time them until every article is stored."""
    engine = create_engine(url)
    analysed = text("SELECT count(*) FROM articles WHERE analysed_version IS NOT NULL")
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "incidents.app.cli", "extract", "--db", url,
                               "--batch-size", str(batch_size)], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for _ in range(workers)]
    first = first_count = None
    while any(p.poll() is None for p in procs):
        with engine.connect() as conn:
            done = conn.execute(analysed).scalar_one()
        if done and first is None:
            first, first_count = time.perf_counter(), done
        time.sleep(0.25)
    wall = time.perf_counter() - started
    with engine.connect() as conn:
        done = conn.execute(analysed).scalar_one()
    engine.dispose()
    if done != total or any(p.returncode for p in procs):
        sys.exit(f"{workers} workers: {done} of {total} articles analysed, exit codes {[p.returncode for p in procs]}")
    last = started + wall
    return {"wall_s": round(wall, 1), "articles_per_s": round(total / wall, 2),
            "steady_s": round(last - first, 1),
            "steady_articles_per_s": round((total - first_count) / (last - first), 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=160)
    ap.add_argument("--batch-size", type=int, default=8, help="extract --batch-size")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="numbers of worker processes to time")
    ap.add_argument("--server", default=os.environ.get("INCIDENTS_TEST_POSTGRES", SERVER))
    args = ap.parse_args()

    figures = {"articles": args.articles, "batch_size": args.batch_size, "cpus": os.cpu_count(),
               "load_average_before": round(os.getloadavg()[0], 1)}
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "articles.jsonl"
        source.write_text("\n".join(corpus_lines(args.articles)) + "\n", encoding="utf-8")
        for workers in args.workers:
            with fresh_database(args.server) as url:
                with Store(url) as store:
                    ingest_file(store, source, warn=lambda _: None)
                    figures["articles"] = store.count_articles()  # a story in two files is stored once
                figures[f"workers_{workers}"] = timed_workers(url, workers, args.batch_size, figures["articles"])
            print(f"{workers} worker(s): {figures[f'workers_{workers}']}", file=sys.stderr)
    if len(args.workers) > 1:
        one, most = figures[f"workers_{args.workers[0]}"], figures[f"workers_{args.workers[-1]}"]
        figures["speedup_wall"] = round(most["articles_per_s"] / one["articles_per_s"], 2)
        figures["speedup_steady"] = round(most["steady_articles_per_s"] / one["steady_articles_per_s"], 2)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
