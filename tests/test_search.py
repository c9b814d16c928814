"""Full-text search: words found by their stem, whole words only, best match first (SQLite FTS5)."""
from __future__ import annotations

import doctest

import pytest
from sqlalchemy import create_engine

import incidents.store.search
from incidents.model import Article, Incident
from incidents.store import Store


@pytest.fixture
def searchable(store):
    ids = {}
    for key, title, text in [
        ("ban", "Italy bans ChatGPT over privacy", "The regulator said the chatbot must stop."),
        ("said", "Regulator said little", "A spokesperson said nothing more about the model."),
        ("body", "A quiet week", "Samsung banned the chatbot on work devices after a leak."),
    ]:
        ids[key] = store.add_article(Article(url=f"https://news.example/{key}", title=title, text=text,
                                             published="2026-07-08")).id
    store.save_incident(Incident("garante-bans-chatgpt", "Garante bans ChatGPT", "2026-07-08", "ban",
                                 ["Garante"], ["ChatGPT"]), [(ids["ban"], True, 1.0)])
    return store, ids


def test_a_word_finds_its_other_forms(searchable):
    store, ids = searchable
    hits = store.search_text("banned")
    assert set(hits.articles) == {ids["ban"], ids["body"]}  # "bans" and "banned" share a stem
    assert hits.incidents == ["garante-bans-chatgpt"]


def test_a_short_word_matches_whole_words_only(searchable):
    store, ids = searchable
    assert store.search_text("ai").articles == []  # not inside "said" or "privacy"
    assert store.search_text("said").articles != []


def test_a_word_in_the_title_ranks_first(searchable):
    store, ids = searchable
    assert store.search_text("ban chatbot").articles == [ids["ban"], ids["body"]]


@pytest.mark.parametrize("query", ['"', 'ban OR', 'NEAR(ban', '-ban', 'ban*', "chat'gpt", "(", ""])
def test_search_syntax_in_a_query_is_read_as_words(searchable, query):
    store, _ = searchable
    store.search_text(query)  # never an FTS5 syntax error


def test_the_index_follows_edits_and_relinks(searchable):
    store, ids = searchable
    store.save_incident(Incident("garante-bans-chatgpt", "Garante lifts its ban on ChatGPT", "2026-07-08", "ban_lifted",
                                 ["Garante"], ["ChatGPT"]), [(ids["ban"], True, 1.0)])
    assert store.search_text("lifts").incidents == ["garante-bans-chatgpt"]
    assert store.search_text("Garante").incidents == ["garante-bans-chatgpt"]  # replaced, not doubled


def test_a_store_upgraded_from_before_search_is_searchable_at_once(tmp_path):
    from alembic import command

    from incidents.store.migrations import alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0006")
        conn.exec_driver_sql("INSERT INTO articles (url, title, text) VALUES "
                             "('https://news.example/old', 'Samsung bans ChatGPT', 'Staff may not use it.')")
    engine.dispose()
    with Store(url) as store:
        assert len(store.search_text("banning").articles) == 1


def test_examples_in_the_docstrings_run():
    result = doctest.testmod(incidents.store.search)
    assert result.attempted > 0 and result.failed == 0


def test_search_words_are_words_not_operators(searchable):
    store, ids = searchable
    assert store.search_text("ban or xylophone").articles == []  # every word wanted, "or" no operator
    assert set(store.search_text("-banned").articles) == {ids["ban"], ids["body"]}  # "-" no negation


def test_postgresql_searches_through_its_text_search_indexes(searchable, backend):
    if backend != "postgresql":
        pytest.skip("PostgreSQL's own text search indexes")
    store, ids = searchable
    with store.engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a tiny table: make the planner show its choice
        from incidents.store.search import ARTICLE_TSVECTOR, INCIDENT_TSVECTOR

        for table, document, index in [("articles", ARTICLE_TSVECTOR, "ix_articles_search"),
                                       ("incidents", INCIDENT_TSVECTOR, "ix_incidents_search")]:
            plan = conn.exec_driver_sql(f"EXPLAIN SELECT id FROM {table} "
                                        f"WHERE {document} @@ websearch_to_tsquery('english', 'ban')").scalars().all()
            assert any(index in line for line in plan), plan
