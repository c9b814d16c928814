"""The weekly briefing data the dashboard's Briefing page and the digest email render."""
from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import BRIEFING_WEEK, HOSTILE_TITLE

from dashboard.briefing import (
    IsoWeek,
    build_briefing,
    current_week,
    incident_cards,
    last_complete_week,
    parse_week,
)
from incidents.errors import IncidentsError


def test_parse_week_gives_monday_to_sunday():
    week = parse_week("2026-W47")
    assert (week.year, week.week) == (2026, 47)
    assert week.monday == date(2026, 11, 16) and week.sunday == date(2026, 11, 22)
    assert str(week) == "2026-W47"
    assert parse_week(" 2026w05 ") == parse_week("2026-W05")


@pytest.mark.parametrize("text", ["2026-47", "2026-W00", "2026-W54", "2025-W53", "next week", ""])
def test_parse_week_rejects_bad_text_naming_it(text):
    with pytest.raises(IncidentsError) as err:
        parse_week(text)
    assert repr(text) in str(err.value) and "2026-W47" in str(err.value)


def test_week_53_exists_only_in_long_years():
    assert parse_week("2026-W53").monday == date(2026, 12, 28)


def test_current_and_last_complete_week():
    wednesday = date(2026, 11, 25)
    assert str(current_week(wednesday)) == "2026-W48"
    assert str(last_complete_week(wednesday)) == "2026-W47"
    assert str(last_complete_week(date(2026, 1, 1))) == "2025-W52"
    assert IsoWeek.of(date(2026, 11, 22)).following() == current_week(wednesday)


def test_new_incident_is_the_one_first_seen_in_the_week(briefing_store):
    briefing = build_briefing(briefing_store, parse_week(BRIEFING_WEEK))
    assert [c.title for c in briefing.new] == ["Alibaba bans Claude Code"]
    card = briefing.new[0]
    assert card.status == "new"
    assert card.who_to_whom == "Alibaba -> Claude Code"
    assert card.event_types == ["ban", "security_finding"]
    assert card.outlets == ["Example Wire", "Kernel Post"] and card.article_count == 2
    assert card.effective == [("security_finding", "2026-07-07"), ("ban", "2026-07-10")]


def test_older_incident_gaining_an_access_cutoff_is_escalated(briefing_store):
    briefing = build_briefing(briefing_store, parse_week(BRIEFING_WEEK))
    assert [c.id for c in briefing.escalated] == ["anthropic-deepseek-distillation-2026-06"]
    assert briefing.escalated[0].status == "escalated"


def test_denied_lawsuit_and_mere_investigation_do_not_escalate(briefing_store):
    briefing = build_briefing(briefing_store, parse_week(BRIEFING_WEEK))
    shown = {c.id for c in briefing.new + briefing.escalated}
    assert "ftc-investigates-openai-2026-06" not in shown


def test_upcoming_lists_dates_taking_effect_the_week_after(briefing_store):
    briefing = build_briefing(briefing_store, parse_week(BRIEFING_WEEK))
    assert [(u.date, u.event_type, u.actor, u.target) for u in briefing.upcoming] == [
        ("2026-07-15", "access_cutoff", "Anthropic", "DeepSeek")]
    assert briefing.upcoming[0].incident_title == "Anthropic accuses DeepSeek of distillation"
    earlier = build_briefing(briefing_store, parse_week("2026-W27"))
    assert [(u.date, u.event_type) for u in earlier.upcoming] == [("2026-07-07", "security_finding"),
                                                                  ("2026-07-10", "ban")]


def test_companies_compare_this_week_with_last(briefing_store):
    briefing = build_briefing(briefing_store, parse_week(BRIEFING_WEEK))
    counts = {c.name: (c.this_week, c.last_week) for c in briefing.companies}
    # parties to a fact of the week: the ban story only names Anthropic, its cut-off makes it one
    assert counts == {"Alibaba": (1, 0), "Anthropic": (1, 0), "Claude Code": (1, 0), "DeepSeek": (1, 0),
                      "FTC": (1, 0), "OpenAI": (1, 0)}
    assert "security researchers" not in counts  # said, not named: no company
    before = build_briefing(briefing_store, parse_week("2026-W27"))
    last = {c.name: (c.this_week, c.last_week) for c in before.companies}
    assert last == {"Cursor": (1, 0)}


def test_week_before_shows_the_hostile_title_untouched_as_data(briefing_store):
    briefing = build_briefing(briefing_store, parse_week("2026-W27"))
    assert [c.title for c in briefing.new] == [HOSTILE_TITLE]


def test_a_week_without_news_is_quiet(briefing_store):
    briefing = build_briefing(briefing_store, parse_week("2026-W40"))
    assert briefing.is_quiet and briefing.new == [] and briefing.escalated == [] and briefing.companies == []
    assert not build_briefing(briefing_store, parse_week(BRIEFING_WEEK)).is_quiet


def test_empty_store_gives_a_quiet_briefing(store):
    assert build_briefing(store, parse_week(BRIEFING_WEEK)).is_quiet


def test_briefing_as_dict_is_json_ready(briefing_store):
    data = json.loads(json.dumps(build_briefing(briefing_store, parse_week(BRIEFING_WEEK)).as_dict()))
    assert data["week"] == "2026-W28" and data["previous_week"] == "2026-W27"
    assert data["is_quiet"] is False
    assert data["new"][0]["title"] == "Alibaba bans Claude Code"


def test_incident_cards_of_all_incidents_are_ongoing(briefing_store):
    cards = incident_cards(briefing_store)
    assert len(cards) == 4 and {c.status for c in cards} == {"ongoing"}


def test_a_card_shows_each_fact_once_and_a_syndicated_copy_with_its_original(store):
    from incidents.model import Analysis, Article, Entity, Event, Incident

    def article(key, outlet, published, duplicate_of=None):
        return store.add_article(Article(url=f"https://{key}.example/ban", outlet=outlet, title="Alibaba bans Claude Code",
                                         text="Alibaba bans Claude Code.", published=published, ext_id=key,
                                         duplicate_of=duplicate_of)).id

    wire = article("wire", "Circuit Wire", "2026-07-08")
    ledger = article("ledger", "ByteLedger", "2026-07-09")
    copy = article("kernel", "Kernel Post", "2026-07-09", duplicate_of=ledger)
    ban = [Event("ban", "Alibaba", "Claude Code", "Alibaba bans Claude Code.", date="2026-07-10", sentence_start=0)]
    store.save_analyses([(i, Analysis(relevant=True, entities=[Entity("Alibaba", "ORG", ["Alibaba"])], events=ban))
                         for i in (wire, ledger, copy)], "test")
    store.save_incident(Incident("alibaba-bans-claude-code-2026-07", "Alibaba bans Claude Code", "2026-07-10", "ban",
                                 ["Alibaba"], ["Claude Code"], first_seen="2026-07-08", last_seen="2026-07-09"),
                        [(i, True, 1.0) for i in (wire, ledger, copy)])
    [card] = incident_cards(store)
    assert len(card.facts) == 1 and card.facts[0].outlets == ["Circuit Wire", "ByteLedger", "Kernel Post"]
    assert card.outlets == ["Circuit Wire", "ByteLedger", "Kernel Post"] and card.copies == 1
    assert card.outlet_count == 2  # the copy counts with its original
    assert card.summary == "Ban, 10 Jul 2026: Alibaba bans Claude Code" and card.lead == "Alibaba bans Claude Code."


def test_an_undated_article_gives_an_undated_fact_and_a_card_without_a_date(store):
    from incidents.model import Analysis, Article, Event, Incident

    aid = store.add_article(Article(url="https://wire.example/undated", outlet="Wire", title="Acme bans Widget",
                                    text="Acme bans Widget.", published=None)).id
    store.save_analyses([(aid, Analysis(relevant=True, events=[Event("ban", "Acme", "Widget", "Acme bans Widget.")]))],
                        "test")
    store.save_incident(Incident("acme-bans-widget-undated", "Acme bans Widget", None, "ban", ["Acme"], ["Widget"]),
                        [(aid, True, 1.0)])
    [card] = incident_cards(store)
    assert card.facts[0].date is None and card.facts[0].first_reported is None
    assert card.summary == "Ban: Acme bans Widget" and card.effective == []


def test_the_briefing_lists_what_is_still_developing_and_how_fresh_the_data_is(briefing_store):
    briefing = build_briefing(briefing_store, parse_week(BRIEFING_WEEK))
    assert briefing.top.title == "Alibaba bans Claude Code"  # the most widely reported of the week
    assert [c.id for c in briefing.developing] == ["ftc-investigates-openai-2026-06", "rogue-plugin-2026-06"]
    assert briefing.as_of.articles_this_week == 4 and briefing.as_of.last_crawl is None  # ingested, never crawled
    assert "never crawled" in briefing.as_of.line
    quiet = build_briefing(briefing_store, parse_week("2026-W40"))
    assert quiet.developing == [] and len(quiet.earlier) == 4  # a quiet month still shows the latest
