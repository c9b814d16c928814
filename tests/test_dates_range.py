"""Dates outside 1990-01-01 .. one year after today never reach the store or later stages:
they are dropped where they enter (ingest, feeds, sitemaps, pages, NLP) and reported, and an
old row that holds one cannot stop `incidents link`."""
from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from conftest import add_stories
from crawl_site import LoopbackSite, article_page, article_text, rss_feed, sitemap
from test_crawl import run_crawl

from crawlers.extract import extract_page
from crawlers.listings import parse_listing
from crawlers.summary import DATES_DROPPED, CrawlSummary
from incidents.app.cli import main
from incidents.model import Article, Event, Incident, date_in_range, latest_date, parse_published
from incidents.store import Store
from nlp.dates import resolve

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize("day, believed", [
    (date(1, 1, 1), False), (date(1989, 12, 31), False), (date(1990, 1, 1), True), (date(2026, 7, 8), True),
    (date(2027, 11, 30), True), (date(2027, 12, 1), False), (date(9999, 12, 31), False)])
def test_the_range_runs_from_1990_to_one_year_after_today(day, believed):
    assert date_in_range(day, today=TODAY) is believed


def test_a_year_ahead_of_29_february_is_28_february():
    assert latest_date(date(2028, 2, 29)) == date(2029, 2, 28)


def test_ingest_drops_year_1_and_year_9999_dates_names_their_lines_and_stores_the_articles(tmp_path, db_url, capsys):
    source = tmp_path / "dates.jsonl"
    source.write_text("\n".join(json.dumps(row) for row in [
        {"id": "y1", "url": "https://wire.example/year-1", "text": "x", "published": "0001-01-01"},
        {"id": "ok", "url": "https://wire.example/fine", "text": "x", "published": "2026-07-08"},
        {"id": "y9999", "url": "https://wire.example/year-9999", "text": "x", "published": "9999-12-31T23:59:59Z"},
    ]) + "\n", encoding="utf-8")
    assert main(["ingest", str(source), "--db", db_url]) == 0  # every line stored: a dropped date is no bad line
    out, err = capsys.readouterr()
    assert f"{source}: 3 stored, 0 already stored, 0 bad lines, 2 dates out of range dropped" in out
    assert f"{source}:1: published '0001-01-01' is outside 1990-01-01 to " in err
    assert f"{source}:3: published '9999-12-31T23:59:59Z' is outside" in err
    engine = create_engine(db_url)
    with engine.connect() as conn:
        published = dict(conn.execute(text("SELECT ext_id, published FROM articles")).all())
    engine.dispose()
    assert published == {"y1": None, "ok": "2026-07-08", "y9999": None}


def test_feed_and_sitemap_dates_out_of_range_are_dropped_and_counted():
    feed = parse_listing(rss_feed([("https://a.example/1", "One", "Mon, 01 Jan 0001 00:00:00 GMT"),
                                   ("https://a.example/2", "Two", "Fri, 31 Dec 9999 23:59:59 GMT"),
                                   ("https://a.example/3", "Three", "Wed, 08 Jul 2026 10:00:00 GMT")]).encode())
    assert [e.published for e in feed.entries] == [None, None, "2026-07-08"]
    assert feed.dates_dropped == 2
    news_sitemap = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                    b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                    b"<url><loc>https://a.example/4</loc><lastmod>2026-07-09</lastmod><news:news>"
                    b"<news:publication_date>9999-01-01</news:publication_date></news:news></url>"
                    b"<url><loc>https://a.example/5</loc><lastmod>0001-01-01</lastmod></url></urlset>")
    listing = parse_listing(news_sitemap)
    assert [e.published for e in listing.entries] == ["2026-07-09", None]  # falls back to a sane lastmod
    assert listing.dates_dropped == 2


def test_a_page_dated_9999_keeps_its_text_but_not_its_date():
    html = article_page("A page from the far future", article_text(3), published="9999-12-31T10:00:00+00:00")
    page = extract_page(html, "https://a.example/2026/far-future.html")
    assert page.is_article
    assert page.published is None and page.published_time is None
    assert page.refused_date == "9999-12-31T10:00:00+00:00"


def test_the_crawl_summary_names_the_dates_dropped():
    report = CrawlSummary.from_stats({DATES_DROPPED: 3}).report()
    assert "3 dates outside 1990-01-01 to " in report


def test_a_crawl_of_year_1_and_year_9999_listings_stores_the_articles_undated(tmp_path):
    site = LoopbackSite()
    site.add("/robots.txt", "User-agent: *\n", content_type="text/plain")
    for n, slug in enumerate(("year-one", "year-9999", "sane")):
        site.add(f"/2026/{slug}.html", article_page(f"Story {slug}", article_text(40 + n)))  # the page gives no date
    site.add("/sitemap.xml", sitemap([("{base}/2026/year-one.html", "0001-01-01"),
                                      ("{base}/2026/sane.html", "2026-07-08")]), content_type="application/xml")
    site.add("/feed.xml", rss_feed([("{base}/2026/year-9999.html", "Far", "Fri, 31 Dec 9999 23:59:59 GMT")]),
             content_type="application/rss+xml")
    site.start()
    try:
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[sources]]\nname = "Odd Dates"\nfeeds = ["{site.base}/feed.xml"]\n'
                           f'sitemaps = ["{site.base}/sitemap.xml"]\n')
        result = run_crawl(tmp_path, f"sqlite:///{tmp_path / 'crawl.db'}", sources)
    finally:
        site.stop()
    assert result.returncode == 0, result.stderr
    stored = dict(sqlite3.connect(tmp_path / "crawl.db").execute("SELECT url, published FROM articles"))
    assert {url.rsplit("/", 1)[1]: day for url, day in stored.items()} == {
        "year-one.html": None, "year-9999.html": None, "sane.html": "2026-07-08"}


def test_an_old_row_holding_year_1_reads_as_undated_and_cannot_stop_link(tmp_path, db_url, sentence_embedder, capsys):
    from test_link import ALIBABA_1, ALIBABA_2

    with Store(db_url) as store:
        ids = add_stories(store, sentence_embedder, {"a1": ALIBABA_1, "a2": ALIBABA_2})
    engine = create_engine(db_url)
    with engine.begin() as conn:  # rows written before the range existed
        conn.execute(text("UPDATE articles SET published = '0001-01-01' WHERE id = :a1"), ids)
        conn.execute(text("UPDATE articles SET published = '9999-12-31T23:59:59' WHERE id = :a2"), ids)
        conn.execute(text("UPDATE events SET date = '9999-12' WHERE article_id = :a2"), ids)
    engine.dispose()
    with Store(db_url) as store:
        assert store.get_article(ids["a1"]).published is None
        assert [a.published for batch in store.iter_articles() for a in batch] == [None, None]
        assert [e.date for e in store.analyses_for([ids["a2"]])[ids["a2"]].events] == [None]
    assert main(["link", "--db", db_url]) == 0, capsys.readouterr().err
    assert parse_published("0001-01-01") is None


@pytest.mark.parametrize("expression", ["10 July 1985", "999999999 days ago", "1970-01"])
def test_nlp_dates_out_of_range_resolve_to_nothing(expression):
    assert resolve(expression, date(2026, 7, 8)) is None


def test_an_article_published_in_year_1_gets_events_but_no_dates(analyse_text):
    doc = analyse_text("Alibaba has banned Claude Code. The ban takes effect on 10 July.", published="0001-01-01")
    assert doc._.events
    assert all(event["date"] is None for event in doc._.events)


def test_an_event_dated_before_1990_is_undated(analyse_text):
    doc = analyse_text("Alibaba banned Claude Code on 10 July 1985.", published="2026-07-08")
    assert [event["date"] for event in doc._.events if event["type"] == "ban"] == [None]


def test_articles_events_and_incidents_never_carry_a_date_out_of_range():
    assert Article(url="https://a.example/1", published="0001-01-01").published is None
    assert Article(url="https://a.example/1", published="2026-07-08").published == "2026-07-08"
    assert Event("ban", "A", "B", "A banned B.", date="9999-12").date is None
    assert Event("ban", "A", "B", "A banned B.", date="2026-07").date == "2026-07"
    incident = Incident("a-bans-b", "A bans B", "0001-01", "ban", first_seen="0001-01-01", last_seen="2026-07-08")
    assert (incident.date, incident.first_seen, incident.last_seen) == (None, None, "2026-07-08")
