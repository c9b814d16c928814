"""A host that never answers is given up on after one request's retries: the rest of its
pages are named in the summary at once instead of each waiting out every attempt."""
from __future__ import annotations

import socket
import sqlite3
import threading

import pytest

from crawl_site import LoopbackSite, article_page, article_text, rss_feed
from test_crawl import run_crawl

PAGES = 6


class SilentHost:
    """A TCP server on loopback that accepts connections and never says a word."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.base = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self.accept, daemon=True)

    def accept(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(conn)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.listener.close()
        for conn in self.connections:
            conn.close()


@pytest.fixture
def outlet_with_a_dead_mirror():
    with SilentHost() as dead:
        site = LoopbackSite()
        site.start()
        site.add("/robots.txt", "User-agent: *\n", content_type="text/plain")
        site.add("/2026/live.html", article_page("Live", article_text(80), published="2026-07-05"))
        entries = [("{base}/2026/live.html", "Live", None)]
        entries += [(f"{dead.base}/2026/story-{n}.html", f"Story {n}", None) for n in range(PAGES)]
        site.add("/rss.xml", rss_feed(entries), content_type="application/rss+xml")
        yield site, dead
        site.stop()


def test_a_dead_host_is_given_up_on_after_one_request(tmp_path, outlet_with_a_dead_mirror):
    site, dead = outlet_with_a_dead_mirror
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[sources]]\nname = "Mirrored"\nfeeds = ["{site.base}/rss.xml"]\n'
                       f'hosts = ["{dead.base.split("//")[1]}"]\n')
    db = tmp_path / "d.db"

    result = run_crawl(tmp_path, f"sqlite:///{db}", sources)

    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        urls = {row[0] for row in conn.execute("SELECT url FROM articles")}
    assert urls == {f"{site.base}/2026/live.html"}, "the live host's story was lost with the dead one"
    # robots.txt of the dead host costs its attempts (RETRY_TIMES 2: three); no page costs more
    assert len(dead.connections) <= 3, f"the dead host was tried {len(dead.connections)} times"
    report = result.stdout + result.stderr
    skipped = [n for n in range(PAGES) if f"{dead.base}/2026/story-{n}.html" in report]
    assert skipped == list(range(PAGES)), "every page of the dead host is named in the summary"
    assert "host unreachable earlier in this crawl (timeout)" in report
