"""`incidents export FILE.jsonl`: every article as CONTRACT.md shapes it, analysis not done yet
as empty lists and nulls."""
from __future__ import annotations

import json

from incidents.app.cli import main
from incidents.model import Article
from incidents.store import Store

CONTRACT_KEYS = {"id", "url", "outlet", "title", "published", "relevant", "incident", "entities", "events"}


def test_export_writes_unanalysed_articles_with_empty_analysis_fields(tmp_path, db_url, capsys):
    with Store(db_url) as store:
        store.add_article(Article(url="https://wire.example/ban", ext_id="a001", outlet="Example Wire",
                                  title="Alibaba bans Claude Code", text="Alibaba has banned Claude Code.",
                                  published="2026-07-08"))
        crawled = store.add_article(Article(url="https://harbour.example/story", outlet="Harbour Tech", title="Crawled"))
    target = tmp_path / "out.jsonl"
    assert main(["export", str(target), "--db", db_url]) == 0
    assert "exported 2 articles" in capsys.readouterr().out

    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 2
    for record in records:
        assert CONTRACT_KEYS <= set(record)
        assert (record["relevant"], record["incident"], record["entities"], record["events"]) == (None, None, [], [])
    ingested, from_crawl = records
    assert (ingested["id"], ingested["url"], ingested["outlet"], ingested["published"]) == (
        "a001", "https://wire.example/ban", "Example Wire", "2026-07-08")
    assert from_crawl["id"] == str(crawled.id)  # no id given: the store's own


def test_export_to_stdout_with_a_dash(db_url, capsys):
    with Store(db_url) as store:
        store.add_article(Article(url="https://wire.example/ban", ext_id="a001", title="Ünïcode “quotes”"))
    assert main(["export", "-", "--db", db_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["title"] for line in lines] == ["Ünïcode “quotes”"]
