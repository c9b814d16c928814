"""No single record stops `extract`, `link` or the digest: it is set aside, named by id and
URL, and the rest goes on. Real stores in tmp_path, the real pipeline and CLI; the one bad
record is made to fail where the brief says any failure may come from."""
from __future__ import annotations

from datetime import date

import pytest
from conftest import add_stories
from test_link import ALIBABA_1, ALIBABA_2, AUSTRALIA

import graph.members
import nlp.analyse
from incidents.app.cli import main
from incidents.model import Article
from incidents.store import Store
from nlp.components.dates import EventDates
from nlp.extract import run_extract

POISON = "Zzyzx"  # a word only the bad record holds


@pytest.fixture
def three_stories(db_url, sentence_embedder):
    with Store(db_url) as store:
        return add_stories(store, sentence_embedder, {"a1": ALIBABA_1, "a2": ALIBABA_2, "au": AUSTRALIA})


def test_link_sets_aside_an_article_it_cannot_read_and_links_the_rest(db_url, three_stories, monkeypatch, capsys):
    real = graph.members.article_view

    def fails_on_one(article_id, *args):
        if article_id == three_stories["a2"]:
            raise OverflowError("date value out of range")
        return real(article_id, *args)

    monkeypatch.setattr(graph.members, "article_view", fails_on_one)
    assert main(["link", "--db", db_url]) == 0
    out = capsys.readouterr().out
    aside = [line for line in out.splitlines() if "set aside" in line]
    assert aside == [f"link: set aside article {three_stories['a2']} (https://news.example/a2): "
                     "OverflowError: date value out of range"]
    with Store(db_url) as store:
        linked = store.primary_incidents(three_stories.values())
    assert set(linked) == {three_stories["a1"], three_stories["au"]}


def test_link_sets_aside_an_article_the_clustering_fails_on(db_url, three_stories, monkeypatch, capsys):
    import graph.cluster

    real = graph.cluster.Clusterer.add

    def fails_on_one(self, view):
        if view.id == three_stories["au"]:
            raise ValueError("odd record")
        return real(self, view)

    monkeypatch.setattr(graph.cluster.Clusterer, "add", fails_on_one)
    assert main(["link", "--db", db_url]) == 0
    assert f"set aside article {three_stories['au']} (https://news.example/au): ValueError: odd record" \
        in capsys.readouterr().out
    with Store(db_url) as store:
        assert set(store.primary_incidents(three_stories.values())) == {three_stories["a1"], three_stories["a2"]}


@pytest.mark.parametrize("week", ["9999-W52", "9999-W01", "1989-W52", f"{date.today().year + 2}-W10"])
def test_digest_for_a_week_outside_the_believable_range_is_one_line(db_url, three_stories, week, tmp_path, capsys):
    assert main(["digest", "--week", week, "--out", str(tmp_path / "d.eml"), "--db", db_url]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("incidents: error: week ") and "\n" not in err and "Traceback" not in err
    assert not (tmp_path / "d.eml").exists()


# --- extract ---

@pytest.fixture
def store_with_poison(store):
    texts = [("https://wire.example/ok-1", "Alibaba has banned Claude Code."),
             ("https://wire.example/bad", f"{POISON} has banned Claude Code."),
             ("https://wire.example/ok-2", "Italy fined OpenAI 15 million euros.")]
    ids = [store.add_article(Article(url=u, title="Story", text=t, published="2026-07-08")).id for u, t in texts]
    return store, ids


def test_extract_sets_aside_an_article_whose_analysis_fails(store_with_poison, nlp_pipeline, monkeypatch):
    store, ids = store_with_poison
    real = nlp.analyse.relevance

    def fails_on_poison(doc, *args):
        if POISON in doc.text:
            raise OverflowError("date value out of range")
        return real(doc, *args)

    monkeypatch.setattr(nlp.analyse, "relevance", fails_on_poison)
    summary = run_extract(store, progress=False, nlp=nlp_pipeline, embed=False, batch_size=8)
    assert summary.analysed == 2
    assert summary.set_aside == [(ids[1], "https://wire.example/bad", "OverflowError: date value out of range")]
    assert f"extract: set aside article {ids[1]} (https://wire.example/bad)" in summary.report()
    assert set(store.analyses_for(ids)) == {ids[0], ids[2]}


def test_extract_sets_aside_an_article_a_component_fails_on(store_with_poison, nlp_pipeline, monkeypatch, capsys):
    store, ids = store_with_poison
    real = EventDates.__call__

    def fails_on_poison(self, doc):
        if POISON in doc.text:
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, doc)

    monkeypatch.setattr(EventDates, "__call__", fails_on_poison)
    summary = run_extract(store, progress=False, nlp=nlp_pipeline, embed=False, batch_size=8)
    assert summary.analysed == 2
    assert [(i, url) for i, url, _ in summary.set_aside] == [(ids[1], "https://wire.example/bad")]
    assert f"article {ids[1]} set aside: incident_dates failed (RecursionError" in capsys.readouterr().err
    assert set(store.analyses_for(ids)) == {ids[0], ids[2]}
