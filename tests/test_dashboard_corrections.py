"""Corrections from the dashboard's forms (Streamlit's AppTest): the Incident, Company and
Search pages make them as `incidents correct` does, record who made them, show a mistake
as a message, and undo them from the log."""
from __future__ import annotations

import pytest
from test_corrections import ALIBABA, AU, KR, linked, placed  # noqa: F401 - fixtures
from test_dashboard import open_app, texts

from dashboard.escape import md


@pytest.fixture
def app(store, linked, db_url, monkeypatch):
    """The linked fixture store, as the dashboard finds it; corrections are made as "Dana"."""
    monkeypatch.setenv("INCIDENTS_DB", db_url)
    monkeypatch.setenv("INCIDENTS_ANALYST", "Dana")
    return store


def widget(elements, label):
    return next(e for e in elements if e.label == label)


def submit(at, label):
    widget(at.button, label).click()
    return at.run()


def test_merge_from_the_incident_page_opens_the_kept_incident(app, linked):
    at = open_app("incident", id=KR)
    widget(at.selectbox, "Merge this incident into").set_value(AU)
    at = submit(at, "Merge")
    assert not at.exception
    assert at.query_params["id"] == AU  # the merged-away id led on to the kept one
    assert placed(app, linked)["kr"] == [AU]
    assert "Correction 1 by Dana" in at.success[0].value
    [entry] = app.correction_log()
    assert (entry.kind, entry.who) == ("merge", "Dana")


def test_retitle_and_fact_fix_from_the_incident_page_then_undo(app, linked):
    at = open_app("incident", id=ALIBABA)
    widget(at.text_input, "New title").set_value("Alibaba bars Claude Code")
    at = submit(at, "Retitle")
    assert at.title[0].value == "Alibaba bars Claude Code"
    widget(at.selectbox, "Fact").set_value(("allegation", "Anthropic", "Alibaba", "2026-06"))
    widget(at.radio, "Correction").set_value("reject")
    at = submit(at, "Correct fact")
    assert not at.exception
    assert not any("allegation" in t for t in texts(at, "text") if "Anthropic" in t)
    assert [c.kind for c in app.correction_log()] == ["retitle", "fact_reject"]
    at.button(key="incident_undo_2").click()  # the fact rejection's undo, from the log
    at = at.run()
    assert [c.kind for c in app.correction_log()][-1] == "undo"
    assert ("allegation", "Anthropic", "Alibaba", "2026-06") in [
        (e.type, e.actor, e.target, e.date) for e in app.analyses_for([linked["a1"]])[linked["a1"]].events]


def test_a_mistake_in_a_form_is_a_message_and_nothing_is_recorded(app):
    at = open_app("incident", id=ALIBABA)
    widget(at.text_input, "Actor (an entity's name)").set_value("Alibabba")
    widget(at.text_input, "Target (an entity's name)").set_value("Claude Code")
    widget(at.text_area, "The sentence of an article that states it").set_value("Alibaba has banned its employees")
    at = submit(at, "Add fact")
    assert not at.exception
    assert md("did you mean: Alibaba?") in at.error[0].value  # shown as text, not markup
    assert app.correction_log() == []


def test_entity_merge_and_hide_from_the_company_page(app, linked):
    at = open_app("company", name="Anthropic")
    widget(at.selectbox, "Anthropic is the same as").set_value("Alibaba")
    at = submit(at, "Merge entity")
    assert not at.exception
    assert app.entity("Anthropic") is None
    assert [c.kind for c in app.correction_log()] == ["entity_merge"]
    at = open_app("company", name="Alibaba")
    at.button(key="company_hide").click()
    at = at.run()
    assert app.hidden_entity_names() == {"Alibaba"}


def test_move_an_article_from_the_search_page(app, linked):
    at = open_app("search", q="Alibaba")
    widget(at.toggle, "Semantic").set_value(False)
    at = at.run()
    article = widget(at.selectbox, "Article")
    article.set_value("a2")
    widget(at.radio, "It belongs").set_value("new")
    at = submit(at, "Correct article")
    assert not at.exception
    [entry] = app.correction_log()
    assert entry.kind == "move" and entry.new["new"] not in (ALIBABA, AU, KR)
    assert placed(app, linked)["a2"] == [entry.new["new"]]
