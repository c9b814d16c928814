"""Shared crawl frontier benchmark: pages per second for 1 and 2 crawlers sharing one frontier
on Redis, over a loopback web of many outlets that answer each page after a realistic delay.

    python3 bench/crawl_frontier.py [--sites 16] [--articles 100] [--server-delay 0.3]
                                    [--redis redis://127.0.0.1:6379/0]
                                    [--postgres postgresql+psycopg://postgres@127.0.0.1:5432]

Serves `--sites` outlets, each on its own loopback address (127.0.0.1, 127.0.0.2, ...: another
site to the crawler's per-site limits), each with a sitemap of `--articles` article pages that
answer after `--server-delay` seconds. For 1, then 2 crawlers: a fresh store (SQLite, or with
`--postgres` a new database on that server, dropped afterwards), a fresh key prefix on the
Redis server, that many `incidents crawl` processes with the project's default settings
(robots.txt, AutoThrottle, every item pipeline) and `crawl_frontier` set. The sitemaps
answer only once every crawler has joined the frontier, so the figure is the crawl itself
(from then until the last crawler exits), not the processes' start-up.

Prints one JSON object on its last line: per crawler count, pages stored, seconds, pages per
second, the busiest site's request rate (requests to it per second while it was crawled),
which the shared per-site delay should keep the same for 2 crawlers as for 1, the crawlers'
CPU seconds (start-up included), and the load average of the machine during the runs (the
crawl is CPU-bound once other work takes the cores).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the loopback site the crawl tests use

import redis  # noqa: E402

from crawl_site import LoopbackSite, article_page, article_text, sitemap  # noqa: E402
from incidents.store import Store  # noqa: E402


def build_sites(count: int, articles: int, delay: float, gate: threading.Event) -> list[LoopbackSite]:
    sites = []
    for n in range(count):
        site = LoopbackSite(f"127.0.0.{n + 1}")
        site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        for k in range(articles):
            site.add(f"/2026/07/{k}.html", article_page(f"Outlet {n} story {k}", article_text(n * articles + k, paragraphs=8),
                                                        published=f"2026-07-{1 + k % 28:02d}"), delay=delay)
        site.add("/sitemap.xml", sitemap([(f"{{base}}/2026/07/{k}.html", None) for k in range(articles)]),
                 content_type="application/xml", gate=gate)
        site.start()
        sites.append(site)
    return sites


@contextmanager
def fresh_store(tmp: Path, postgres: str | None):
    """The URL of a new, empty store: a SQLite file in `tmp`, or a new database on `postgres`."""
    if not postgres:
        yield f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:6]}.db'}"
        return
    import psycopg
    from sqlalchemy.engine import make_url

    server, name = make_url(postgres), f"incidents_bench_{uuid.uuid4().hex[:12]}"
    admin = dict(host=server.host, port=server.port, user=server.username, password=server.password,
                 dbname="postgres", autocommit=True)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def crawl_with(crawlers: int, sites: list[LoopbackSite], gate: threading.Event, redis_url: str, db: str,
               tmp: Path) -> dict:
    """Crawls every site into the store `db` with `crawlers` processes sharing a fresh frontier;
    the figures."""
    for site in sites:
        site.clear_log()
    gate.clear()
    sources = tmp / "sources.toml"
    sources.write_text("".join(f'[[sources]]\nname = "Outlet {n}"\nsitemaps = ["{site.url("/sitemap.xml")}"]\n'
                               for n, site in enumerate(sites)))
    Store(db).close()  # the store exists before its crawlers start
    prefix = f"incidents-bench:{uuid.uuid4().hex[:12]}"
    config = tmp / f"bench-{crawlers}.toml"
    config.write_text(f'[scrapy]\nFRONTIER_KEY = "{prefix}"\n')
    env = {**os.environ, "INCIDENTS_CONFIG": "", "INCIDENTS_CRAWL_FRONTIER": redis_url}
    command = [sys.executable, "-m", "incidents.app.cli", "crawl", "--config", str(config), "--db", db, "--sources", str(sources)]
    client = redis.Redis.from_url(redis_url)
    cpu_before = children_cpu_seconds()
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) for _ in range(crawlers)]
    try:
        while client.zcard(f"{prefix}:news:crawlers") < crawlers:
            if any(p.poll() is not None for p in processes):
                raise SystemExit("a crawler ended before joining the frontier")
            time.sleep(0.05)
        started = time.perf_counter()
        gate.set()
        statuses = [p.wait() for p in processes]
        elapsed = time.perf_counter() - started
        for process in processes:
            print(process.stdout.read().strip(), file=sys.stderr)
    finally:
        gate.set()
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
        client.close()
    with Store(db) as store:
        stored = store.count_articles()
    return {
        "stored": stored,
        "seconds": round(elapsed, 2),
        "pages_per_second": round(stored / elapsed, 1),
        "busiest_site_requests_per_second": round(max(site_rate(site) for site in sites), 2),
        "crawler_cpu_seconds": round(children_cpu_seconds() - cpu_before, 1),  # start-up included
        "exit_statuses": statuses,
    }


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def site_rate(site: LoopbackSite) -> float:
    """Article requests per second to one site, from its first to its last."""
    times = [t for (path, _), t in zip(site.log, site.times) if path.startswith("/2026/")]
    return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 and times[-1] > times[0] else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=16)
    parser.add_argument("--articles", type=int, default=100, help="articles per site")
    parser.add_argument("--server-delay", type=float, default=0.3, help="seconds each article page takes to answer")
    parser.add_argument("--redis", default=os.environ.get("INCIDENTS_CRAWL_FRONTIER") or "redis://127.0.0.1:6379/0")
    parser.add_argument("--postgres", help="PostgreSQL server to make each run's store on (default: SQLite files)")
    args = parser.parse_args()
    gate = threading.Event()
    sites = build_sites(args.sites, args.articles, args.server_delay, gate)
    try:
        runs = {}
        with tempfile.TemporaryDirectory() as tmp:
            for n in (1, 2):
                with fresh_store(Path(tmp), args.postgres) as db:
                    runs[f"crawlers_{n}"] = crawl_with(n, sites, gate, args.redis, db, Path(tmp))
    finally:
        for site in sites:
            site.stop()
    figures = {
        "load_average_1min": round(os.getloadavg()[0], 1),
        "store": "postgresql" if args.postgres else "sqlite",
        "sites": args.sites,
        "articles": args.sites * args.articles,
        "server_delay_seconds": args.server_delay,
        **runs,
        "speedup": round(runs["crawlers_2"]["pages_per_second"] / runs["crawlers_1"]["pages_per_second"], 2),
    }
    print(json.dumps(figures))
    complete = all(run["stored"] == figures["articles"] and not any(run["exit_statuses"]) for run in runs.values())
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
