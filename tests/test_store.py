"""The store as the crawl uses it: WAL, storing once, fetch records (migrations: test_migrations.py)."""
from __future__ import annotations

import sqlite3
import threading

import pytest

from incidents.model import Article
from incidents.store import Store, content_hash



@pytest.mark.sqlite_only(reason="WAL is SQLite's journal; PostgreSQL readers never wait for writers")
def test_sqlite_store_is_in_wal_mode_so_readers_do_not_wait_for_the_crawl(store, db_url):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_an_article_is_stored_once_by_url(store):
    first = store.add_article(Article(url="https://a.example/1", outlet="A", text="Some text."))
    again = store.add_article(Article(url="https://a.example/1", outlet="A", text="Changed text."))
    assert first.created and not again.created and again.id == first.id
    assert store.get_article(first.id).text == "Some text."


def test_original_with_hash_finds_the_first_article_with_that_text(store):
    first = store.add_article(Article(url="https://a.example/1", outlet="A", text="Same words here."))
    store.add_article(Article(url="https://b.example/1", outlet="B", text="same   WORDS here.", duplicate_of=first.id))
    assert store.original_with_hash(content_hash("Same words here.")) == (first.id, "A")
    assert store.original_with_hash(content_hash("other")) is None


def test_seen_pages_are_stored_articles_and_settled_article_fetches(store):
    store.add_article(Article(url="https://a.example/stored", text="x"))
    store.record_fetch("https://a.example/gone", "article", 404)
    store.record_fetch("https://a.example/feed.xml", "feed", 200, '"e"', None)
    urls = ["https://a.example/stored", "https://a.example/gone", "https://a.example/feed.xml", "https://a.example/new"]
    assert store.seen_pages(urls) == {"https://a.example/stored", "https://a.example/gone"}


def test_record_fetch_keeps_the_latest_validators(store):
    store.record_fetch("https://a.example/feed.xml", "feed", 200, '"one"', "Mon, 06 Jul 2026 10:00:00 GMT")
    store.record_fetch("https://a.example/feed.xml", "feed", 200, '"two"', None)
    fetch = store.get_fetch("https://a.example/feed.xml")
    assert (fetch["kind"], fetch["status"], fetch["etag"], fetch["last_modified"]) == ("feed", 200, '"two"', None)
    assert store.get_fetch("https://a.example/never") is None


def test_mark_duplicate_repoints_the_copies_of_a_story_found_to_be_a_copy_itself(store):
    later = store.add_article(Article(url="https://a.example/later", outlet="A", text="t"))
    copy_of_later = store.add_article(Article(url="https://c.example/c", outlet="C", text="t", duplicate_of=later.id))
    earlier = store.add_article(Article(url="https://b.example/earlier", outlet="B", text="t"))
    store.mark_duplicate(later.id, original_id=earlier.id)
    assert store.get_article(later.id).duplicate_of == earlier.id
    assert store.get_article(copy_of_later.id).duplicate_of == earlier.id
    assert store.get_article(earlier.id).duplicate_of is None


def test_crawlers_starting_together_each_find_their_source_stored_once(db_url):
    Store(db_url).close()
    for n in range(10):  # two crawlers of one sources file register the same outlets at once
        ready, found = threading.Barrier(2), []

        def start_crawler():
            with Store(db_url) as store:
                ready.wait()
                found.append(store.upsert_source(f"Outlet {n}", {"feeds": [f"https://outlet{n}.example/feed"]}))

        crawlers = [threading.Thread(target=start_crawler) for _ in range(2)]
        for crawler in crawlers:
            crawler.start()
        for crawler in crawlers:
            crawler.join()
        assert len(found) == 2 and found[0] == found[1], "neither crawler failed, both have the one source"
