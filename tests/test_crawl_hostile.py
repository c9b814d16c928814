"""A hostile site cannot steer the crawler: real Scrapy (`incidents crawl` in a subprocess)
against a loopback outlet whose feed, sitemaps and redirects point elsewhere, while a second
loopback server records whether anything ever reached it."""
from __future__ import annotations

import sqlite3

import pytest

from crawl_site import LoopbackSite, article_page, article_text, rss_feed, sitemap, sitemap_index
from crawlers.sources import Source
from crawlers.urls import why_refused
from test_crawl import run_crawl


@pytest.fixture
def elsewhere():
    """Another host (another port on loopback) that no request should ever reach."""
    site = LoopbackSite()
    site.add("/robots.txt", "User-agent: *\n", content_type="text/plain")
    site.add("/2026/stolen.html", article_page("Stolen", article_text(50)))
    site.add("/2026/landing.html", article_page("Landing", article_text(51)))
    site.add("/sitemap.xml", sitemap([("{base}/2026/stolen.html", None)]), content_type="application/xml")
    site.start()
    yield site
    site.stop()


@pytest.fixture
def hostile(elsewhere, tmp_path):
    local_sitemap = tmp_path / "local-sitemap.xml"
    site = LoopbackSite()
    site.start()
    local_sitemap.write_text(sitemap([(f"{site.base}/2026/secret.html", None)]))
    site.add("/robots.txt", "User-agent: *\n", content_type="text/plain")
    site.add("/2026/good.html", article_page("Good", article_text(60), published="2026-07-05"))
    site.add("/2026/secret.html", article_page("Secret", article_text(61)))
    site.add("/2026/away.html", b"", status=302, location=f"{elsewhere.base}/2026/landing.html", validators=False)
    site.add("/2026/loop-a.html", b"", status=302, location="{base}/2026/loop-b.html", validators=False)
    site.add("/2026/loop-b.html", b"", status=302, location="{base}/2026/loop-a.html", validators=False)
    site.add("/rss.xml", rss_feed([
        ("{base}/2026/good.html", "Good", None),
        (f"{elsewhere.base}/2026/stolen.html", "Off-site entry", None),
        ("javascript:alert(document.cookie)", "Script", None),
        ("file:///etc/passwd", "Local file", None),
        ("data:text/html,<h1>hi</h1>", "Data URL", None),
        ("{base}/2026/away.html", "Redirects away", None),
        ("{base}/2026/loop-a.html", "Redirect loop", None),
        ("http://\u202eevil.example/2026/x.html", "Bidi override in a host", None),
    ]), content_type="application/rss+xml")
    site.add("/sitemap_index.xml", sitemap_index([local_sitemap.as_uri(), f"{elsewhere.base}/sitemap.xml"]),
             content_type="application/xml")
    yield site
    site.stop()


def crawl(tmp_path, hostile, extra: str = ""):
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[sources]]\nname = "Hostile"\nfeeds = ["{hostile.base}/rss.xml"]\n'
                       f'sitemaps = ["{hostile.base}/sitemap_index.xml"]\n{extra}')
    db = tmp_path / "c.db"
    result = run_crawl(tmp_path, f"sqlite:///{db}", sources)
    with sqlite3.connect(db) as conn:
        urls = {row[0] for row in conn.execute("SELECT url FROM articles")}
    return result, urls


def test_a_hostile_site_cannot_send_the_crawler_to_another_host_or_a_file(tmp_path, hostile, elsewhere):
    result, urls = crawl(tmp_path, hostile)

    assert result.returncode == 0, result.stderr
    assert elsewhere.log == [], "the crawler contacted a host the source never named"
    assert urls == {f"{hostile.base}/2026/good.html"}
    assert hostile.requested("/2026/secret.html") == 0, "a file: sitemap was opened"
    report = result.stdout + result.stderr
    assert f"refused: off-site host {elsewhere.base.split('//')[1]}: {elsewhere.base}/2026/stolen.html" in report
    assert f"refused: redirect to off-site host {elsewhere.base.split('//')[1]}" in report
    assert "refused: not an http(s) URL (javascript)" in report
    assert "refused: not an http(s) URL (file)" in report
    assert "refused: not an http(s) URL (data)" in report
    assert f"redirect loop: {hostile.base}/2026/loop-" in report
    assert "refused: off-site host evil.example: http://evil.example/2026/x.html" in report
    assert "\u202e" not in report, "a page's bidi override reached the terminal"


def test_hosts_the_source_names_may_be_followed(tmp_path, hostile, elsewhere):
    other = elsewhere.base.split("//")[1]
    result, urls = crawl(tmp_path, hostile, extra=f'hosts = ["{other}"]\n')

    assert result.returncode == 0, result.stderr
    assert f"{elsewhere.base}/2026/stolen.html" in urls
    assert f"{elsewhere.base}/2026/landing.html" in urls  # the redirect stays within named hosts
    assert not any(url.startswith(("file:", "javascript:", "data:")) for url in urls)


PUBLIC = Source(name="Wire", feeds=("https://news.example.com/feed.xml",), hosts=("cdn.example.net",))
ON_LOOPBACK = Source(name="Lab", feeds=("http://127.0.0.1:8080/feed.xml",))


@pytest.mark.parametrize("url, source, refused", [
    ("https://news.example.com/2026/a.html", PUBLIC, None),
    ("https://www.news.example.com/2026/a.html", PUBLIC, None),
    ("https://cdn.example.net/a.html", PUBLIC, None),
    ("https://evil.example.org/a.html", PUBLIC, "off-site host evil.example.org"),
    ("http://169.254.169.254/latest/meta-data/", PUBLIC, "off-site host 169.254.169.254"),
    ("file:///etc/passwd", PUBLIC, "not an http(s) URL (file)"),
    ("ftp://news.example.com/x", PUBLIC, "not an http(s) URL (ftp)"),
    ("javascript:alert(1)", PUBLIC, "not an http(s) URL (javascript)"),
    ("http://127.0.0.1:8080/2026/a.html", ON_LOOPBACK, None),
    ("http://127.0.0.1:9999/2026/a.html", ON_LOOPBACK, "off-site host 127.0.0.1:9999"),
])
def test_one_function_decides_which_urls_a_source_may_fetch(url, source, refused):
    assert why_refused(url, source) == refused


def test_a_public_source_may_not_name_a_private_address_among_its_hosts():
    source = Source(name="Wire", feeds=("https://news.example.com/feed.xml",),
                    hosts=("169.254.169.254", "10.0.0.5", "localhost"))
    assert why_refused("http://169.254.169.254/latest/", source) == "private address 169.254.169.254"
    assert why_refused("http://10.0.0.5/x", source) == "private address 10.0.0.5"
    assert why_refused("http://localhost/x", source) == "private address localhost"


def test_a_section_without_allow_patterns_is_paged_through_to_the_end(tmp_path):
    site = LoopbackSite()
    site.start()
    try:
        site.add("/robots.txt", "User-agent: *\n", content_type="text/plain")
        for page, (story, nxt) in enumerate([("a", "/news/page/2"), ("b", "/news/page/3"), ("c", None)], 1):
            site.add(f"/2026/{story}.html", article_page(story.upper(), article_text(70 + page)))
            more = f'<a href="{nxt}">Next</a>' if nxt else ""
            site.add("/news/" if page == 1 else f"/news/page/{page}",
                     f'<html><body><h2><a href="/2026/{story}.html">{story}</a></h2>{more}</body></html>')
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[sources]]\nname = "Pages"\nstart_urls = ["{site.base}/news/"]\n')
        db = tmp_path / "p.db"
        result = run_crawl(tmp_path, f"sqlite:///{db}", sources)
        with sqlite3.connect(db) as conn:
            urls = {row[0] for row in conn.execute("SELECT url FROM articles")}
    finally:
        site.stop()
    assert result.returncode == 0, result.stderr
    assert {f"{site.base}/2026/{s}.html" for s in "abc"} <= urls
    assert not any("/news/" in url for url in urls), "a listing page was stored as an article"


def test_charset_lies_and_impossible_dates_neither_garble_nor_stop_anything(tmp_path):
    site = LoopbackSite()
    site.start()
    try:
        site.add("/robots.txt", "User-agent: *\n", content_type="text/plain")
        body = article_page("Café exposé", ["Le régulateur a infligé une amende à l'éditeur de l'application."] + article_text(80),
                            published="9999-12-31", charset="iso-8859-1")
        site.add("/2026/cafe.html", body.encode("utf-8"), content_type="text/html; charset=iso-8859-1")
        site.add("/2026/ancient.html", article_page("Ancient", article_text(81), published="0001-01-01"))
        site.add("/sitemap.xml", sitemap([("{base}/2026/cafe.html", "0001-01-01"), ("{base}/2026/ancient.html", "9999-01-01")]),
                 content_type="application/xml")
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[sources]]\nname = "Liar"\nsitemaps = ["{site.base}/sitemap.xml"]\n')
        db = tmp_path / "l.db"
        result = run_crawl(tmp_path, f"sqlite:///{db}", sources)
    finally:
        site.stop()
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute("SELECT url, published FROM articles"))
        text = conn.execute("SELECT text FROM articles WHERE url LIKE '%cafe%'").fetchone()[0]
    assert len(rows) == 2 and set(rows.values()) == {None}
    assert "Le régulateur a infligé" in text
    assert "dates outside" in result.stdout + result.stderr


def test_robots_txt_holds_for_every_request_waiting_for_it(tmp_path):
    """Several pages of a named host are requested before its (slow) robots.txt has answered:
    each one waits for it, and none it disallows is fetched (Scrapy 2.19 let all but the first
    waiter through)."""
    other = LoopbackSite("127.0.0.2")
    other.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain", delay=0.5)
    for n in range(4):
        other.add(f"/private/{n}.html", article_page(f"Private {n}", article_text(70 + n)))
    other.start()
    site = LoopbackSite()
    site.add("/robots.txt", "User-agent: *\n", content_type="text/plain")
    site.add("/rss.xml", rss_feed([(f"{other.base}/private/{n}.html", f"Private {n}", None) for n in range(4)]),
             content_type="application/rss+xml")
    site.start()
    try:
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[sources]]\nname = "Wire"\nfeeds = ["{site.base}/rss.xml"]\n'
                           f'hosts = ["{other.base.split("//")[1]}"]\n')
        result = run_crawl(tmp_path, f"sqlite:///{tmp_path / 'r.db'}", sources)
    finally:
        site.stop()
        other.stop()

    assert result.returncode == 0, result.stderr
    assert [path for path, _ in other.log] == ["/robots.txt"], "a page robots.txt disallows was fetched"
    assert "4 disallowed by robots.txt" in result.stdout
