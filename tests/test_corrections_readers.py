"""Readers see analysts' corrections: the incident page says what was corrected, by whom and
when; a merged-away id opens the incident it went into; the briefing, digest, company
picker and rankings leave hidden entities out; exports carry the corrected values; the
Timeline lists a corrected incident as its card tells it."""
from __future__ import annotations

import email
import json
from email import policy

import requests
import streamlit as st
from api_server import api_server
from sqlalchemy import text
from test_corrections import ALIBABA, AU, KR, corrector, linked, reanalyse_and_relink  # noqa: F401 - fixtures
from test_dashboard import open_app, texts

from dashboard.briefing import build_briefing, incident_cards, parse_week
from incidents.app.cli import main
from incidents.event_types import label


def test_incident_page_shows_corrected_title_and_facts_with_who_and_when(store, linked, corrector, db_url,
                                                                         monkeypatch):
    monkeypatch.setenv("INCIDENTS_DB", db_url)
    corrector.retitle(ALIBABA, "Alibaba bars Claude Code from its offices", reason="the headline says so")
    corrector.fact_change(ALIBABA, "allegation", "Anthropic", "Alibaba", None, {"date": "2026-06-20"})
    at = open_app("incident", id=ALIBABA)
    assert not at.exception
    assert at.title[0].value == "Alibaba bars Claude Code from its offices"
    captions = texts(at, "caption")
    assert any(c.startswith(":material/edit: Title corrected by dana on 20") for c in captions)
    fixed = [c for c in captions if c.startswith(":material/edit: corrected by dana")]
    assert len(fixed) == 1 and "2026\\-06\\-20" in fixed[0]
    log = [m for m in texts(at, "markdown") if "dana" in m]
    assert any("retitled" in m and "(the headline says so)" in m for m in log)


def test_a_fact_correction_follows_its_article_into_another_incident(store, linked, corrector, db_url, monkeypatch):
    """A relink (or a move) may file the article that states a corrected fact under another
    incident; that incident's page then shows the fact as corrected, with who and when."""
    monkeypatch.setenv("INCIDENTS_DB", db_url)
    corrector.fact_change(ALIBABA, "allegation", "Anthropic", "Alibaba", None, {"date": "2026-06-20"})
    elsewhere = corrector.move("a1", new=True).new["new"]
    at = open_app("incident", id=elsewhere)
    assert not at.exception
    fixed = [c for c in texts(at, "caption") if c.startswith(":material/edit: corrected by dana")]
    assert len(fixed) == 1 and "2026\\-06\\-20" in fixed[0]


def test_the_timeline_lists_a_corrected_incident_as_its_card_tells_it_at_once_and_after_a_relink(
        store, linked, corrector, db_url, monkeypatch):
    monkeypatch.setenv("INCIDENTS_DB", db_url)

    def listed() -> dict:
        with store.engine.connect() as conn:  # the Timeline reads what the link stored, worked out nothing
            assert conn.execute(text("SELECT id FROM incidents WHERE outline IS NULL")).all() == []
        st.cache_data.clear()  # what "Reload data" does (or five minutes)
        at = open_app("timeline")
        assert not at.exception
        rows = at.dataframe[0].value
        row = rows[rows["id"] == ALIBABA].iloc[0]
        return {**row[["title", "summary", "date", "article_count"]].to_dict(), "facts": list(row["event_types"])}

    def told() -> dict:
        [card] = incident_cards(store, [ALIBABA])  # from its facts, as the Incident page and Briefing read it
        return {"title": card.title, "summary": card.summary, "date": card.date, "article_count": card.article_count,
                "facts": [label(t) for t in card.event_types]}

    before = listed()
    assert before["summary"].startswith("Ban, 10 Jul 2026: Alibaba bans Claude Code")
    corrector.retitle(ALIBABA, "Alibaba bars Claude Code from its offices")
    corrector.fact_change(ALIBABA, "ban", "Alibaba", "Claude Code", "2026-07-10", {"date": "2026-07-09"})
    now = listed()
    assert now["title"] == "Alibaba bars Claude Code from its offices"
    assert now["summary"].startswith("Ban, 9 Jul 2026: Alibaba bans Claude Code")
    assert now == told()
    reanalyse_and_relink(store, monkeypatch, linked)  # a new pipeline and a new linker version
    assert listed() == now == told()


def test_a_merged_away_id_opens_the_incident_it_was_merged_into(store, linked, corrector, db_url, monkeypatch):
    monkeypatch.setenv("INCIDENTS_DB", db_url)
    corrector.merge(KR, AU)
    at = open_app("incident", id=KR)  # e.g. a link in a digest sent before the merge
    assert not at.exception
    assert at.query_params["id"] == AU
    assert at.title[0].value == store.load_incidents([AU])[0].title
    assert "was merged into this incident by dana" in at.info[0].value


def test_hidden_entities_leave_executive_views_but_not_the_record(store, linked, corrector, db_url,
                                                                  monkeypatch, capsys, tmp_path):
    week = parse_week("2026-W28")
    assert "Anthropic" in [c.name for c in build_briefing(store, week).companies]
    corrector.entity_hide("Anthropic")
    assert "Anthropic" not in [c.name for c in build_briefing(store, week).companies]
    assert main(["graph", "rank", "--json", "--db", db_url]) == 0
    assert "Anthropic" not in [r["name"] for r in json.loads(capsys.readouterr().out)]
    monkeypatch.setenv("INCIDENTS_DB", db_url)
    at = open_app("company")
    assert not at.exception and "Anthropic" not in at.selectbox[0].options
    out = tmp_path / "articles.jsonl"
    assert main(["export", str(out), "--db", db_url]) == 0
    assert any(e["name"] == "Anthropic" for r in map(json.loads, out.read_text().splitlines()) for e in r["entities"])


def test_exports_and_the_digest_carry_corrected_values(store, linked, corrector, db_url, tmp_path):
    corrector.merge(KR, AU)
    corrector.retitle(AU, "DeepSeek barred by two governments")
    corrector.entity_merge("South Korea", "Australia")
    out = tmp_path / "articles.jsonl"
    assert main(["export", str(out), "--db", db_url]) == 0
    rows = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert rows["kr"]["incident"] == rows["au"]["incident"] == AU
    assert rows["kr"]["events"][0]["actor"] == "Australia"
    assert "South Korea" not in [e["name"] for e in rows["kr"]["entities"]]
    mail = tmp_path / "digest.eml"
    assert main(["digest", "--week", "2025-W06", "--out", str(mail), "--db", db_url]) == 0
    body = email.message_from_bytes(mail.read_bytes(), policy=policy.default).get_body(("plain",)).get_content()
    assert "DeepSeek barred by two governments" in body


def test_the_api_and_incidents_show_answer_a_merged_away_id_with_the_kept_incident(store, linked, corrector, db_url,
                                                                                   capsys):
    corrector.merge(KR, AU)
    capsys.readouterr()
    assert main(["show", KR, "--json", "--db", db_url]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["incident"]["id"] == AU
    with api_server(db_url) as base:
        answer = requests.get(f"{base}/incidents/{KR}", timeout=30)
    assert answer.status_code == 200 and answer.json() == shown
