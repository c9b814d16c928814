"""`incidents extract`: incremental, batched, stored, and exported."""
import json

import pytest

import nlp.extract
from incidents.errors import IncidentsError
from incidents.model import Article
from nlp.extract import run_extract

STORIES = [
    ("https://wire.example/a", "Alibaba bans Claude Code",
     "Alibaba has banned its employees from using Claude Code, Anthropic's coding agent. The ban, effective "
     "10 July, follows the discovery of hidden code.", "2026-07-08"),
    ("https://wire.example/b", "Italy fines OpenAI",
     "Italy's privacy regulator said on Friday that it had fined OpenAI 15 million euros.", "2024-12-24"),
    ("https://wire.example/c", "New chip plant opens",
     "A chipmaker opened a plant in Arizona on Tuesday that will employ 3,000 people.", "2026-07-08"),
]


@pytest.fixture
def filled_store(store):
    for url, title, text, published in STORIES:
        store.add_article(Article(url=url, title=title, text=text, published=published))
    return store


def test_extract_stores_entities_events_and_relevance(filled_store, nlp_pipeline, sentence_embedder):
    summary = run_extract(filled_store, batch_size=2, progress=False, nlp=nlp_pipeline)
    assert (summary.analysed, summary.relevant) == (3, 2)
    found = filled_store.analyses_for([1, 2, 3])
    ban = [e for e in found[1].events if e.type == "ban"]
    assert [(e.actor, e.target, e.date, e.stance) for e in ban] == [("Alibaba", "Claude Code", "2026-07-10",
                                                                    "reported")]
    assert ban[0].evidence.startswith("Alibaba has banned its employees")
    assert {(e.name, e.type) for e in found[1].entities} >= {("Alibaba", "ORG"), ("Claude Code", "PRODUCT")}
    fine = [(e.type, e.actor, e.target, e.date) for e in found[2].events]
    assert fine == [("fine", "Garante", "OpenAI", "2024-12-20")]
    assert not found[3].relevant and found[3].events == []
    assert len(found[1].embedding) == 384


def test_extract_is_incremental_and_redoes_older_versions(filled_store, nlp_pipeline, sentence_embedder,
                                                          monkeypatch):
    assert run_extract(filled_store, progress=False, nlp=nlp_pipeline).analysed == 3
    again = run_extract(filled_store, progress=False, nlp=nlp_pipeline)
    assert again.analysed == 0 and "nothing to do" in again.report()
    filled_store.add_article(Article(url="https://wire.example/d", title="Samsung bars ChatGPT",
                                     text="Samsung banned ChatGPT on company phones.", published="2023-05-02"))
    assert run_extract(filled_store, progress=False, nlp=nlp_pipeline).analysed == 1
    monkeypatch.setattr(nlp.extract, "PIPELINE_VERSION", "test-next")
    assert run_extract(filled_store, progress=False, nlp=nlp_pipeline).analysed == 4


def test_bad_worker_count_is_a_user_error(filled_store):
    with pytest.raises(IncidentsError, match="--workers"):
        run_extract(filled_store, workers=0, progress=False)


def test_cli_extract_then_export(tmp_path, db_url, monkeypatch, capsys):
    from incidents.app.cli import main

    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps({"id": f"s{n}", "url": u, "title": t, "text": x, "published": p})
                                for n, (u, t, x, p) in enumerate(STORIES)))
    monkeypatch.setenv("INCIDENTS_DB", db_url)
    assert main(["ingest", str(source)]) == 0
    assert main(["extract", "--workers", "1", "--batch-size", "2"]) == 0
    assert "3 articles analysed" in capsys.readouterr().out
    out = tmp_path / "out.jsonl"
    assert main(["export", str(out)]) == 0
    rows = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert rows["s0"]["relevant"] is True and rows["s2"]["relevant"] is False
    assert {"type": "ban", "actor": "Alibaba", "target": "Claude Code"}.items() <= rows["s0"]["events"][0].items()
    assert rows["s0"]["events"][0]["date"] == "2026-07-10"
    assert any(e["name"] == "Claude Code" and e["type"] == "PRODUCT" for e in rows["s0"]["entities"])
