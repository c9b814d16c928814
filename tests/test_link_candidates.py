"""Linking into a large store reads only the incidents new articles could join (graph/candidates.py,
incidents/store/incident_index.py), and places them as reading every incident would."""
from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
import pytest

from graph.link import run_link
from incidents.model import Analysis, Article, Entity, Event
from incidents.store import Store

DIM = 384
TYPES = ("ban", "lawsuit", "investigation", "fine", "access_cutoff")
END = date(2026, 6, 30)


def stories(days: int, seed: int = 3) -> list[dict]:
    """Articles of stories told over `days` days before END, in publication order: parties
    from small pools (the same pair recurs months apart, another actor does the same to a
    target), follow-ups months later about the same event, articles that share only a party
    and their wording with their story, and one in ten without a vector."""
    rng, pick = np.random.default_rng(seed), random.Random(seed)
    orgs, products = [f"Org {n}" for n in range(40)], [f"Product {n}" for n in range(30)]
    out = []
    for n in range(days * 2):
        start = END - timedelta(days=pick.randrange(days))
        topic = rng.standard_normal(DIM).astype(np.float32)
        kind, actor, target = pick.choice(TYPES), pick.choice(orgs), pick.choice(products)
        for k in range(pick.randint(1, 4)):
            day = start + timedelta(days=pick.choice([0, 1, 3, 6, 10]) if k else 0)
            event = (kind, actor, target, start)
            if k and pick.random() < 0.25:  # same party and wording, another claim
                event = (pick.choice(TYPES), actor, pick.choice(products), day)
            out.append(_article(f"{n}-{k}", day, event, topic, rng, pick))
        if pick.random() < 0.1:  # told again months later, about the same event
            out.append(_article(f"{n}-later", start + timedelta(days=pick.randint(60, 200)),
                                (kind, actor, target, start), topic, rng, pick))
    return sorted((a for a in out if a["day"] <= END), key=lambda a: (a["day"], a["key"]))


def _article(key, day, event, topic, rng, pick) -> dict:
    noise = pick.choice([0.5, 0.8, 1.2])
    vector = None if pick.random() < 0.1 else topic + rng.standard_normal(DIM).astype(np.float32) * noise
    return {"key": key, "day": day, "event": event, "vector": vector}


def store_articles(store: Store, articles: list[dict]) -> None:
    """Stored and analysed as `incidents extract` leaves them."""
    analyses = []
    for a in articles:
        kind, actor, target, when = a["event"]
        lead = f"{actor} {kind.replace('_', ' ')} {target}."
        stored = store.add_article(Article(url=f"https://news.example/{a['key']}", outlet="Wire", title=lead,
                                           text=lead + " More follows.", published=a["day"].isoformat()))
        vector = None if a["vector"] is None else (a["vector"] / np.linalg.norm(a["vector"])).tolist()
        analyses.append((stored.id, Analysis(
            relevant=True, relevance_score=0.9, embedding=vector,
            entities=[Entity(actor, "ORG", [actor]), Entity(target, "PRODUCT", [target])],
            events=[Event(type=kind, actor=actor, target=target, date=when.isoformat(), evidence=lead,
                          date_basis="text", sentence_start=0)])))
    store.save_analyses(analyses, "test-1")


def incidents_by_url(store: Store) -> dict[str, set[str]]:
    """Each incident's id and its articles, by URL (the store ids differ between stores)."""
    urls = {a.id: a.url for batch in store.iter_articles() for a in batch}
    return {inc.id: {urls[a] for a in inc.article_ids} for inc in store.load_incidents()}


NEW_DAYS = 7
"""The last week's articles are the new ones."""


def link_last_week(url: str, days: int) -> tuple[Store, object, int]:
    """A store of `days` days of stories, linked, then the last week's articles linked into it;
    returns the store, that last run's summary and how many incidents it held before."""
    told = stories(days)
    new_from = END - timedelta(days=NEW_DAYS - 1)
    last = [a for a in told if a["day"] >= new_from]
    store = Store(url)
    store_articles(store, [a for a in told if a["day"] < new_from])
    run_link(store)
    before = store.count_incidents()
    store_articles(store, last)
    return store, run_link(store), before


def test_new_articles_are_placed_as_a_link_of_the_whole_store_places_them(db_url, tmp_path):
    store, summary, before = link_last_week(db_url, 240)
    with store, Store(f"sqlite:///{tmp_path / 'whole.db'}") as whole:
        store_articles(whole, stories(240))
        run_link(whole)
        assert summary.updated_incidents and summary.new_incidents
        assert incidents_by_url(store) == incidents_by_url(whole)
        # about one stored incident read a new article, of the hundreds a scan would read
        assert summary.incidents_read <= 2 * summary.relevant and summary.incidents_read * 20 < before


def test_every_incident_is_filed_under_its_claim_pairs_and_weeks(store):
    store_articles(store, [
        {"key": "a", "day": date(2026, 3, 2), "event": ("ban", "Org A", "Product B", date(2026, 3, 1)), "vector": None},
        {"key": "b", "day": date(2026, 3, 12), "event": ("ban", "Org A", "Product B", date(2026, 3, 1)), "vector": None},
    ])
    run_link(store)
    [incident] = store.load_incidents()
    assert store.incident_keys_of(incident.id) == {"pair:rga|ctb", "week:2026-03-02", "week:2026-03-09"}


def test_a_store_of_the_previous_revision_files_its_incidents_at_the_next_link(db_url):
    import sqlite3

    from incidents.store import sqlite_path

    if not db_url.startswith("sqlite"):
        pytest.skip("the revision's upgrade on PostgreSQL is tests/test_migrations.py's")
    with Store(db_url) as store:
        store_articles(store, stories(30))
        run_link(store)
        placed = incidents_by_url(store)
    with sqlite3.connect(sqlite_path(db_url)) as conn:
        conn.execute("DROP TABLE incident_keys")
        conn.execute("DROP INDEX ix_incidents_updated")
        conn.execute("DROP TABLE incident_graph")  # nor the graph of 0012
        conn.execute("ALTER TABLE incidents DROP COLUMN outline")  # nor the outlines of 0013
        conn.execute("UPDATE alembic_version SET version_num = '0008'")
    with Store(db_url) as store:
        late = {"key": "late", "day": END + timedelta(days=1), "vector": None,
                "event": ("ban", "Org 1", "Product 1", END)}
        store_articles(store, [late])
        summary = run_link(store)
        assert summary.articles == 1 and not summary.relinked_all
        assert all(store.incident_keys_of(i) for i in placed)
        after = incidents_by_url(store)
        untouched = [i for i in placed if "https://news.example/late" not in after[i]]
        assert len(untouched) >= len(placed) - 1
        assert {i: after[i] for i in untouched} == {i: placed[i] for i in untouched}


def test_an_outlet_naming_a_party_its_own_way_joins_the_incident_in_a_later_run(store):
    """"U.S. Navy" and "Navy" are the "US Navy": the later articles find the incident through
    the index although they share no name key with it (no vectors: only the claims decide)."""
    store_articles(store, [{"key": "first", "day": date(2025, 1, 28), "event": ("ban", "US Navy", "DeepSeek", date(2025, 1, 24)), "vector": None}])
    run_link(store)
    store_articles(store, [
        {"key": "dotted", "day": date(2025, 1, 30), "event": ("ban", "U.S. Navy", "DeepSeek", date(2025, 1, 24)), "vector": None},
        {"key": "short", "day": date(2025, 2, 3), "event": ("ban", "Navy", "Deep Seek", date(2025, 1, 24)), "vector": None},
    ])
    summary = run_link(store)
    assert not summary.new_incidents
    assert list(incidents_by_url(store).values()) == [{f"https://news.example/{k}" for k in ("first", "dotted", "short")}]


def test_a_navy_of_another_country_banning_the_same_app_is_another_incident(store):
    store_articles(store, [
        {"key": "us", "day": date(2025, 1, 28), "event": ("ban", "US Navy", "DeepSeek", date(2025, 1, 24)), "vector": None},
        {"key": "it", "day": date(2025, 1, 30), "event": ("ban", "Italian Navy", "DeepSeek", date(2025, 1, 29)), "vector": None},
    ])
    run_link(store)
    assert sorted(map(sorted, incidents_by_url(store).values())) == [["https://news.example/it"], ["https://news.example/us"]]


def test_an_article_that_only_recalls_an_old_event_is_not_placed_by_it(store):
    """A Space Force story in October recalling Samsung's May ban of ChatGPT (the only event
    found in it) is no article of the Samsung incident."""
    store_articles(store, [
        {"key": "samsung", "day": date(2023, 5, 2), "event": ("ban", "Samsung", "ChatGPT", date(2023, 5, 1)), "vector": None},
        {"key": "space-force", "day": date(2023, 10, 12), "event": ("ban", "Samsung", "ChatGPT", date(2023, 5, 1)), "vector": None},
    ])
    run_link(store)
    assert sorted(map(sorted, incidents_by_url(store).values())) == [["https://news.example/samsung"],
                                                                    ["https://news.example/space-force"]]
