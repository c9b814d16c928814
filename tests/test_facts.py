"""Facts: each (type, actor, target, date) of an incident once, with every source that states it;
the incident's title and escalations read from them; the one table of event types they use."""
from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest

import incidents.event_types
import incidents.facts
import incidents.names
import incidents.outline
from incidents.event_types import ESCALATION, EVENT_TYPE, EVENT_TYPES, TABLE, escalates
from incidents.facts import Mention, consolidate, escalated, fact_headline, main_fact

DATA = Path(__file__).parents[1] / "data"


def said(type_="ban", actor="Alibaba", target="Claude Code", **kw) -> Mention:
    return Mention(type=type_, actor=actor, target=target, **kw)


# --- one fact once ---

def test_a_fact_repeated_by_three_articles_and_a_copy_is_one_fact_with_its_sources():
    facts = consolidate([
        said(date="2026-07-10", article_id=1, outlet="Circuit Wire", published="2026-07-08", evidence="Alibaba bans it."),
        said(date="2026-07-10", article_id=2, outlet="ByteLedger", published="2026-07-09", evidence="The ban starts."),
        said(date="2026-07-10", article_id=3, outlet="Kernel Post", published="2026-07-09", duplicate_of=2,
             evidence="The ban starts."),
    ])
    assert len(facts) == 1
    fact = facts[0]
    assert fact.key == ("ban", "alibaba", "claude code", "2026-07-10")
    assert [s.outlet for s in fact.sources] == ["Circuit Wire", "ByteLedger"]  # the copy counts once
    assert [c.outlet for c in fact.sources[1].copies] == ["Kernel Post"]
    assert fact.outlets == ["Circuit Wire", "ByteLedger", "Kernel Post"]  # originals first
    assert fact.evidence == "Alibaba bans it." and fact.first_reported == "2026-07-08"


def test_a_copy_published_before_its_original_still_comes_after_it():
    fact = consolidate([said(article_id=7, outlet="Copycat", published="2026-07-01", duplicate_of=8),
                        said(article_id=8, outlet="Original", published="2026-07-02")])[0]
    assert [s.outlet for s in fact.sources] == ["Original"] and fact.outlets == ["Original", "Copycat"]


def test_dates_that_say_less_join_the_day_a_text_names():
    facts = consolidate([
        said(date="2026-07-10", article_id=1),
        said(date="2026-07", article_id=2),  # "in July"
        said(date="2026-07-09", date_basis="published", article_id=3),  # "has banned", dated by publication
        said(article_id=4),  # no date at all
    ])
    assert [(f.date, f.article_ids) for f in facts] == [("2026-07-10", [1, 2, 3, 4])]
    assert not facts[0].estimated


def test_two_days_a_text_names_are_two_facts_and_an_estimate_alone_is_marked():
    facts = consolidate([said(date="2026-03-31", article_id=1), said(date="2026-04-28", article_id=2),
                         said("allegation", "Anthropic", "Alibaba", date="2026-07-09", date_basis="published",
                              article_id=3)])
    assert [f.date for f in facts] == ["2026-03-31", "2026-04-28", "2026-07-09"]
    assert [f.estimated for f in facts] == [False, False, True]


def test_names_that_differ_only_in_case_or_possessive_are_one_party():
    facts = consolidate([said(actor="Alibaba", article_id=1), said(actor="alibaba's", article_id=2),
                         said(actor="Alibaba", article_id=3)])
    assert len(facts) == 1 and facts[0].actor == "Alibaba"


def test_undated_facts_come_last_and_a_fact_keeps_its_firmest_stance():
    facts = consolidate([said("lawsuit", "Authors", "Anthropic", stance="alleged", article_id=1),
                         said("lawsuit", "Authors", "Anthropic", stance="reported", article_id=2),
                         said(date="2025-09-05", article_id=1)])
    assert [f.type for f in facts] == ["ban", "lawsuit"] and facts[1].stance == "reported"


# --- what the incident is about ---

def test_a_settlement_is_titled_as_who_pays_whom_not_as_the_lawsuit_it_ends():
    sentence = "Anthropic agreed to pay authors to settle."
    facts = consolidate([
        *(said("settlement", "Anthropic", who, date="2025-09-05", article_id=1, position=79, lead=True, order=n,
               evidence=sentence) for n, who in enumerate(["Andrea Bartz", "Charles Graeber", "Kirk Wallace Johnson"])),
        *(said("lawsuit", who, "Anthropic", article_id=1, position=636, lead=True, order=3 + n)
          for n, who in enumerate(["Andrea Bartz", "Charles Graeber", "Kirk Wallace Johnson"])),
    ])
    main = main_fact(facts)
    assert main.type == "settlement"
    assert fact_headline(main, facts) == "Anthropic pays Andrea Bartz and 2 others to settle"


def test_a_fact_with_one_party_on_both_sides_never_names_the_incident():
    facts = consolidate([said("lawsuit", "Anthropic", "Anthropic", article_id=1, lead=True, position=0),
                         said("settlement", "Anthropic", "authors", article_id=1, lead=True, position=90)])
    assert main_fact(facts).type == "settlement"


def test_the_headline_names_the_parties_of_its_own_sentence_only():
    nyt = "The New York Times sued OpenAI and Microsoft."
    facts = consolidate([
        said("lawsuit", "The New York Times", "OpenAI", article_id=1, position=10, order=0, evidence=nyt),
        said("lawsuit", "The New York Times", "Microsoft", article_id=1, position=10, order=1, evidence=nyt),
        said("ban", "Australia", "DeepSeek", article_id=2, position=5, order=0),
        said("ban", "Taiwan", "DeepSeek", article_id=2, position=900, order=1),  # another government, elsewhere
    ])
    lawsuit = next(f for f in facts if f.type == "lawsuit")
    ban = next(f for f in facts if f.actor == "Australia")
    assert fact_headline(lawsuit, facts) == "The New York Times sues OpenAI and Microsoft"
    assert fact_headline(ban, facts) == "Australia bans DeepSeek"


# --- escalation ---

def test_escalation_is_a_new_fact_graver_than_every_fact_before():
    before = said("allegation", "Anthropic", "Alibaba", article_id=1, published="2026-06-20", date="2026-06-19")
    ban = said(article_id=2, published="2026-07-08", date="2026-07-10")
    assert escalated(consolidate([before, ban]), "2026-07-06", "2026-07-13")
    assert not escalated(consolidate([before, ban]), "2026-07-13", "2026-07-20")  # nothing new that week


def test_lifting_a_ban_and_repeating_it_are_no_escalation():
    ban = said("ban", "Garante", "OpenAI", article_id=1, published="2023-03-31", date="2023-03-31")
    lifted = said("ban_lifted", "OpenAI", "ChatGPT", article_id=2, published="2023-04-28", date="2023-04-28")
    repeat = said("ban", "Garante", "OpenAI", article_id=2, published="2023-04-28", date="2023-04-28")
    assert not escalated(consolidate([ban, lifted, repeat]), "2023-04-24", "2023-05-01")
    assert escalates(set(), {"allegation"}) and not escalates({"fine"}, {"settlement"})


def test_escalation_has_one_written_definition_naming_the_order():
    assert "Lifting a ban and settling are resolutions, never escalations" in ESCALATION
    assert ESCALATION.index("allegation") < ESCALATION.index("ban") < ESCALATION.index("fine")


# --- the one table of event types ---

def test_every_event_type_has_its_own_colour_a_readable_label_and_an_icon():
    assert EVENT_TYPES == ("ban", "ban_lifted", "access_cutoff", "allegation", "lawsuit", "investigation",
                           "security_finding", "breach", "fine", "settlement")  # CONTRACT.md's order
    assert len({t.colour for t in TABLE}) == len(TABLE)  # ban, cut-off and breach no longer share a red
    assert all("_" not in t.label and t.icon.startswith(":material/") for t in TABLE)
    assert EVENT_TYPE["access_cutoff"].label == "access cut-off"


def test_the_nlp_frames_cover_exactly_the_types_of_the_table():
    frames = json.loads((DATA / "event_frames.json").read_text(encoding="utf-8"))
    assert set(frames["types"]) == set(EVENT_TYPES)


@pytest.mark.parametrize("module", [incidents.event_types, incidents.facts, incidents.names, incidents.outline])
def test_examples_in_the_docstrings_run(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
