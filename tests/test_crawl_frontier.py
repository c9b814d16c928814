"""Crawlers sharing one frontier on Redis: real Scrapy (`incidents crawl` in subprocesses)
against loopback outlets, with the queue, seen-URL filter and per-site delay on the real
Redis server (each test under its own key prefix, deleted afterwards)."""
from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter

import pytest

from crawl_site import LoopbackSite, article_page, article_text, rss_feed, sitemap
from incidents.store import Store

redis = pytest.importorskip("redis", reason="the redis extra is not installed")

REDIS_URL = os.environ.get("INCIDENTS_TEST_REDIS", "redis://127.0.0.1:6379/0")
"""The Redis server the tests share a frontier on."""

CONFIG = """
[scrapy]
FRONTIER_KEY = "{prefix}"
AUTOTHROTTLE_START_DELAY = 0.05
RETRY_BACKOFF_BASE = 0.05
PROGRESS_INTERVAL = 0
{extra}
"""


@pytest.fixture
def frontier():
    """(Redis client, a key prefix of this test's own); every key under it is deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis server at {REDIS_URL}")
    prefix = f"incidents-test:{uuid.uuid4().hex[:12]}"
    yield client, prefix
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


def outlet(host: str, name: str, articles: int, gate: threading.Event, delay: float = 0.05,
           seed: int = 0) -> LoopbackSite:
    """An outlet on its own loopback address: a feed of half its articles and a sitemap of all,
    both answering only once `gate` opens (so every crawler has joined before work appears)."""
    site = LoopbackSite(host)
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    paths = [f"/2026/07/{name}-{n}.html" for n in range(articles)]
    for n, path in enumerate(paths):
        site.add(path, article_page(f"{name} story {n}", article_text(seed + n)), delay=delay)
    site.add("/private/leak.html", article_page("Private", article_text(99)))
    site.add("/feed.xml", rss_feed([("{base}" + path, f"{name} {n}", None) for n, path in enumerate(paths[::2])]),
             content_type="application/rss+xml", gate=gate)
    site.add("/sitemap.xml", sitemap([("{base}" + path, None) for path in paths]), content_type="application/xml",
             gate=gate)
    site.start()
    site.article_paths = set(paths)
    return site


@pytest.fixture
def outlets():
    gate = threading.Event()
    sites = [outlet("127.0.0.1", "north", 24, gate), outlet("127.0.0.2", "south", 24, gate, seed=1000)]
    yield gate, sites
    gate.set()
    for site in sites:
        site.stop()


def write_sources(tmp_path, sites) -> str:
    sources = tmp_path / "sources.toml"
    sources.write_text("".join(
        f'[[sources]]\nname = "Outlet {n}"\nfeeds = ["{site.base}/feed.xml"]\nsitemaps = ["{site.base}/sitemap.xml"]\n'
        for n, site in enumerate(sites)))
    return str(sources)


def start_crawler(tmp_path, db: str, sources: str, prefix: str, extra: str = "") -> subprocess.Popen:
    Store(db).close()  # the team's store exists before its crawlers start
    config = tmp_path / f"crawler-{uuid.uuid4().hex[:6]}.toml"
    config.write_text(CONFIG.format(prefix=prefix, extra=extra))
    return subprocess.Popen(
        [sys.executable, "-m", "incidents.app.cli", "crawl", "--config", str(config), "--db", db, "--sources", sources],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "INCIDENTS_CONFIG": "", "INCIDENTS_CRAWL_FRONTIER": REDIS_URL})


def wait_for_crawlers(client, prefix: str, count: int, processes, timeout: float = 90) -> None:
    """Until `count` crawlers have joined the frontier (each has opened its scheduler)."""
    deadline = time.monotonic() + timeout
    while client.zcard(f"{prefix}:news:crawlers") < count:
        for process in processes:
            if process.poll() is not None:
                pytest.fail(f"a crawler ended before joining: {process.communicate()}")
        if time.monotonic() > deadline:
            pytest.fail(f"{count} crawlers did not join the frontier within {timeout} s")
        time.sleep(0.1)


def finish(processes, timeout: float = 180) -> list[tuple[str, str]]:
    results = []
    for process in processes:
        out, err = process.communicate(timeout=timeout)
        assert process.returncode == 0, err
        results.append((out, err))
    return results


def stored(report: str) -> int:
    return int(re.search(r"(\d+) articles stored", report).group(1))


def stored_urls(db: str) -> list[str]:
    with Store(db) as store:
        return [article.url for batch in store.iter_articles() for article in batch]


def test_two_crawlers_sharing_a_frontier_fetch_each_url_once_and_store_each_page_once(
        tmp_path, db_url, frontier, outlets):
    client, prefix = frontier
    gate, sites = outlets
    sources = write_sources(tmp_path, sites)
    crawlers = [start_crawler(tmp_path, db_url, sources, prefix) for _ in range(2)]
    wait_for_crawlers(client, prefix, 2, crawlers)
    gate.set()
    (out_a, _), (out_b, _) = finish(crawlers)

    urls = stored_urls(db_url)
    expected = {site.base + path for site in sites for path in site.article_paths}
    assert sorted(urls) == sorted(expected), "each article stored exactly once"
    assert stored(out_a) > 0 and stored(out_b) > 0, f"both crawlers took work:\n{out_a}\n{out_b}"
    assert stored(out_a) + stored(out_b) == len(expected)
    for site in sites:
        requests = Counter(path for path, _ in site.log)
        assert requests.pop("/robots.txt") <= 2  # robots.txt is read by each crawler itself
        assert requests and set(requests.values()) == {1}, f"fetched more than once: {requests}"
        assert "/private/leak.html" not in requests


def test_a_crawler_killed_midway_loses_nothing_the_next_run_stores_the_rest(tmp_path, db_url, frontier):
    client, prefix = frontier
    gate = threading.Event()
    sites = [outlet("127.0.0.1", "east", 24, gate, delay=0.3), outlet("127.0.0.2", "west", 24, gate, delay=0.3,
                                                                        seed=1000)]
    try:
        sources = write_sources(tmp_path, sites)
        survivor, victim = [start_crawler(tmp_path, db_url, sources, prefix) for _ in range(2)]
        wait_for_crawlers(client, prefix, 2, [survivor, victim])
        gate.set()
        deadline = time.monotonic() + 120
        while len(stored_urls(db_url)) < 6 and time.monotonic() < deadline:
            time.sleep(0.2)
        victim.kill()  # SIGKILL: no goodbye, requests it had taken never done
        victim.communicate()
        [(out, _)] = finish([survivor])
        first_run = set(stored_urls(db_url))
        [(again, _)] = finish([start_crawler(tmp_path, db_url, sources, prefix)])
    finally:
        gate.set()
        for site in sites:
            site.stop()

    expected = {site.base + path for site in sites for path in site.article_paths}
    urls = stored_urls(db_url)
    assert len(first_run) < len(expected), "the killed crawler had taken pages it never stored"
    assert sorted(urls) == sorted(expected), f"first run stored {len(first_run)}; then:\n{again}"
    assert stored(again) == len(expected) - len(first_run)


def test_a_request_put_into_the_shared_queue_by_anyone_is_checked_again(tmp_path, db_url, frontier, outlets):
    client, prefix = frontier
    gate, sites = outlets
    elsewhere = LoopbackSite("127.0.0.3")
    elsewhere.add("/robots.txt", "User-agent: *\n", content_type="text/plain")
    elsewhere.add("/2026/stolen.html", article_page("Stolen", article_text(50)))
    elsewhere.start()
    marker = tmp_path / "unpickled"
    own = sites[0].base

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    def entry(url, **changes):
        data = {"url": url, "callback": "parse_article", "errback": "failed", "priority": 100,
                "dont_filter": False, "headers": {}, "meta": {"source": "Outlet 0", "kind": "article",
                                                               "listing": f"{own}/feed.xml"}}
        return json.dumps({**data, **changes})

    injected = [
        entry(f"{elsewhere.base}/2026/stolen.html"),
        entry("file:///etc/passwd"),
        entry(f"{own}/2026/07/north-1.html", callback="closed"),
        entry(f"{own}/private/leak.html", meta={"source": "Outlet 0", "kind": "article", "listing": own,
                                                 "dont_obey_robotstxt": True, "proxy": elsewhere.base}),
        pickle.dumps(Payload()),
    ]
    try:
        crawler = start_crawler(tmp_path, db_url, write_sources(tmp_path, sites), prefix)
        wait_for_crawlers(client, prefix, 1, [crawler])
        client.zadd(f"{prefix}:news:requests", {member: -10**12 for member in injected})  # first in line
        gate.set()
        [(out, err)] = finish([crawler])
    finally:
        elsewhere.stop()

    assert elsewhere.log == [], "a queued request reached a host the sources never named"
    assert not marker.exists(), "a queue entry was unpickled"
    assert sites[0].requested("/private/leak.html") == 0, f"a queued request opted out of robots.txt:\n{out}\n{err}"
    host = elsewhere.base.split("//")[1]
    assert f"refused: off-site host {host}: {elsewhere.base}/2026/stolen.html" in out
    assert "refused: not an http(s) URL (file): file:///etc/passwd" in out
    assert "refused: callback 'closed' / errback 'failed' is not the spider's" in out
    assert "refused: not a request of this crawler in the shared queue" in out
    assert len(stored_urls(db_url)) == 48, "the crawl itself went on"


def test_crawlers_sharing_a_frontier_keep_to_one_crawlers_rate_per_site(tmp_path, db_url, frontier):
    client, prefix = frontier
    gate = threading.Event()
    site = outlet("127.0.0.1", "slow", 16, gate, delay=0.0)
    delay = 0.25
    try:
        # a crawler takes as many requests as it may have in flight: 4 leaves some to the other
        extra = f"AUTOTHROTTLE_ENABLED = false\nDOWNLOAD_DELAY = {delay}\nCONCURRENT_REQUESTS = 4"
        sources = write_sources(tmp_path, [site])
        crawlers = [start_crawler(tmp_path, db_url, sources, prefix, extra) for _ in range(2)]
        wait_for_crawlers(client, prefix, 2, crawlers)
        gate.set()
        (out_a, _), (out_b, _) = finish(crawlers)
    finally:
        gate.set()
        site.stop()

    assert stored(out_a) + stored(out_b) == 16
    assert stored(out_a) > 0 and stored(out_b) > 0, f"both crawlers took work:\n{out_a}\n{out_b}"
    times = [t for (path, _), t in zip(site.log, site.times) if path in site.article_paths]
    spacing = (times[-1] - times[0]) / (len(times) - 1)
    # two crawlers each keeping DOWNLOAD_DELAY on their own would average delay / 2
    assert spacing >= 0.8 * delay, f"{spacing:.3f} s between requests to one site, DOWNLOAD_DELAY {delay}"


def run_cli(tmp_path, frontier_url: str, code: str = "") -> subprocess.CompletedProcess:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[sources]]\nname = "Wire"\nfeeds = ["http://127.0.0.1:9/feed.xml"]\n')
    script = (f"import sys\n{code}\nfrom incidents.app.cli import main\n"
              f"sys.exit(main(['crawl', '--db', 'sqlite:///{tmp_path}/c.db', '--sources', '{sources}']))")
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "INCIDENTS_CONFIG": "", "INCIDENTS_CRAWL_FRONTIER": frontier_url})


def test_a_frontier_that_does_not_answer_is_one_line(tmp_path):
    result = run_cli(tmp_path, "redis://:secret@127.0.0.1:9/0")

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "crawl_frontier redis://***@127.0.0.1:9/0: cannot reach the shared crawl frontier" in result.stderr
    assert "secret" not in result.stderr


def test_a_frontier_without_the_redis_extra_names_the_extra(tmp_path):
    result = run_cli(tmp_path, REDIS_URL, code="sys.modules['scrapy_redis'] = None  # as if not installed")

    assert result.returncode == 2
    assert result.stderr.strip() == ("incidents: error: crawl_frontier is set, and a shared crawl frontier needs the redis "
                                     "extra (pip install 'incidents[redis]')")
