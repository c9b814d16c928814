"""Crawl benchmark: a generated loopback news site of 2,000 articles, crawled for real.

    python3 bench/crawl.py [--articles 2000]

Serves the site on 127.0.0.1 (a sitemap listing every article, and an RSS feed of the newest
100), runs `incidents crawl` in a subprocess with the project's default settings (robots.txt,
AutoThrottle, per-domain concurrency, all item pipelines: extraction, canonical URL,
duplicate detection, storing into a temporary SQLite store), and prints one JSON object on
its last line: pages per second (wall time of the whole command, start-up included) and the
crawl process's peak memory.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the loopback site the crawl tests use

from crawl_site import LoopbackSite, article_page, article_text, rss_feed, sitemap  # noqa: E402
from incidents.store import Store  # noqa: E402


def build_site(articles: int) -> LoopbackSite:
    site = LoopbackSite()
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    for n in range(articles):
        day = 1 + n % 28
        site.add(f"/2026/07/{n}.html", article_page(f"Story {n}", article_text(n, paragraphs=8),
                                                    published=f"2026-07-{day:02d}"))
    site.add("/sitemap.xml", sitemap([(f"{{base}}/2026/07/{n}.html", None) for n in range(articles)]),
             content_type="application/xml")
    site.add("/feed.xml", rss_feed([(f"{{base}}/2026/07/{n}.html", f"Story {n}", None)
                                    for n in range(articles - 100, articles)]), content_type="application/rss+xml")
    return site


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    site = build_site(args.articles)
    site.start()
    with tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources.toml"
        sources.write_text(f'[[sources]]\nname = "Bench Daily"\nfeeds = ["{site.url("/feed.xml")}"]\n'
                           f'sitemaps = ["{site.url("/sitemap.xml")}"]\n')
        db_file = Path(tmp) / "bench.db"
        command = [sys.executable, "-m", "incidents.app.cli", "crawl", "--db", f"sqlite:///{db_file}", "--sources", str(sources)]
        started = time.perf_counter()
        result = subprocess.run(command, stdout=subprocess.PIPE, text=True, env={**os.environ, "INCIDENTS_CONFIG": ""})
        elapsed = time.perf_counter() - started
        site.stop()
        print(result.stdout.strip(), file=sys.stderr)
        with Store(f"sqlite:///{db_file}") as store:
            stored = store.count_articles()
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KB on Linux
    figures = {
        "articles": args.articles,
        "stored": stored,
        "requests": len(site.log),
        "seconds": round(elapsed, 2),
        "pages_per_second": round(stored / elapsed, 1),
        "pages_per_minute": round(stored / elapsed * 60),
        "peak_memory_mb": round(peak_kb / 1024, 1),
        "exit_status": result.returncode,
    }
    print(json.dumps(figures))
    return 0 if result.returncode == 0 and stored == args.articles else 1


if __name__ == "__main__":
    sys.exit(main())
