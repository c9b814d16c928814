"""Long articles: only the first `extract_max_chars` characters are analysed, the summary
names every article cut short, and what the analysis finds in a long text is what it finds
in the same story told short. (Time against length is measured by bench/extract_length.py.)"""
from __future__ import annotations

import pytest

from incidents.app.cli import main
from incidents.model import Article
from nlp.analyse import make_doc
from nlp.extract import run_extract

STORY = ("Alibaba has banned its employees from using Claude Code, Anthropic's coding agent. "
         "The ban, effective 10 July, follows the discovery of hidden code.")
FILLER = "The weather in the valley stayed mild for most of the week, and the harvest went on as planned. "
LATE = "Italy's privacy regulator said on Friday that it had fined OpenAI 15 million euros."


def long_text(chars: int) -> str:
    """The story, then filler paragraphs up to `chars`, then a second story."""
    paragraphs = [STORY]
    while sum(len(p) + 2 for p in paragraphs) < chars:
        paragraphs.append(FILLER * 3)
    return "\n\n".join(paragraphs + [LATE])


@pytest.fixture
def long_store(store):
    short = store.add_article(Article(url="https://wire.example/short", title="Alibaba bans Claude Code",
                                      text=STORY, published="2026-07-08"))
    long = store.add_article(Article(url="https://wire.example/long", title="Alibaba bans Claude Code",
                                     text=long_text(30_000), published="2026-07-08"))
    return store, short.id, long.id


def test_text_beyond_the_cap_is_not_analysed_and_the_summary_says_so(long_store, nlp_pipeline):
    store, short_id, long_id = long_store
    summary = run_extract(store, progress=False, nlp=nlp_pipeline, embed=False, max_chars=5_000)
    assert summary.analysed == 2
    left = len("Alibaba bans Claude Code\n\n" + long_text(30_000))
    lines = summary.report().splitlines()
    assert len([line for line in lines if "not analysed" in line]) == 1
    assert lines[0].startswith(f"extract: article {long_id} (https://wire.example/long) analysed up to 5,000 "
                               f"characters; ")
    left_out = int(lines[0].split("; ")[1].split()[0].replace(",", ""))
    assert 0 <= left_out - (left - 5_000) < 40  # cut at the space before the cap
    found = store.analyses_for([short_id, long_id])
    assert [(e.type, e.actor, e.target) for e in found[long_id].events] == [("ban", "Alibaba", "Claude Code")]
    assert "OpenAI" not in {e.name for e in found[long_id].entities}  # the late story lies past the cap


def test_a_long_article_under_the_cap_reads_like_the_short_one(long_store, nlp_pipeline):
    store, short_id, long_id = long_store
    run_extract(store, progress=False, nlp=nlp_pipeline, embed=False, max_chars=100_000)
    found = store.analyses_for([short_id, long_id])

    def events(i):
        return {(e.type, e.actor, e.target, e.date) for e in found[i].events}
    assert events(short_id) <= events(long_id)
    assert any(e.type == "fine" and e.target == "OpenAI" for e in found[long_id].events)


def test_the_cap_cuts_between_words(nlp_pipeline):
    doc = make_doc(nlp_pipeline, "Title", "word " * 2_000, "2026-07-08", max_chars=1_003)
    assert doc.text.endswith("word") and len(doc.text) <= 1_003
    assert doc.user_data["unanalysed_chars"] == len("Title\n\n" + ("word " * 2_000).strip()) - len(doc.text)


def test_the_cap_is_a_setting_the_extract_command_reads(long_store, db_url, monkeypatch, capsys):
    monkeypatch.setenv("INCIDENTS_EXTRACT_MAX_CHARS", "4000")
    assert main(["extract", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "(https://wire.example/long) analysed up to 4,000 characters" in out
    assert "extract: 2 articles analysed" in out.splitlines()[-1]


def test_a_cap_too_small_to_read_a_story_is_one_line(long_store, db_url, monkeypatch, capsys):
    monkeypatch.setenv("INCIDENTS_EXTRACT_MAX_CHARS", "10")
    assert main(["extract", "--db", db_url]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "incidents: error: extract_max_chars: must be at least 1000 characters (got 10)"
