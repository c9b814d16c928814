"""Linking analysed articles into incidents (graph/link.py, graph/cluster.py)."""
from __future__ import annotations

import json

import pytest
from conftest import add_stories

from graph import link as link_module
from graph.link import run_link
from incidents.export import export_jsonl

ALIBABA_1 = {
    "title": "Alibaba bans Claude Code after hidden tracking code surfaced",
    "lead": "Alibaba has banned its employees from using Claude Code, Anthropic's coding agent, "
            "after security researchers found hidden code that identifies Chinese users.",
    "published": "2026-07-08", "outlet": "Example Wire",
    "entities": [("Alibaba", "ORG"), ("Claude Code", "PRODUCT", "Anthropic"), ("Anthropic", "ORG")],
    "events": [("ban", "Alibaba", "Claude Code", "2026-07-10"), ("allegation", "Anthropic", "Alibaba", "2026-06")],
}
ALIBABA_2 = {
    "title": "Alibaba orders staff off Anthropic's coding agent",
    "lead": "From 10 July, engineers at the Chinese e-commerce giant may no longer use the Claude Code "
            "assistant at work, the company told employees in an internal memo.",
    "published": "2026-07-09", "outlet": "Kernel Post",
    "entities": [("Alibaba", "ORG"), ("Claude Code", "PRODUCT", "Anthropic"), ("Anthropic", "ORG")],
    "events": [("ban", "Alibaba", "Claude Code", "2026-07-10")],
}
AUSTRALIA = {
    "title": "Australia bans DeepSeek on government devices, citing security risk",
    "lead": "Australia has banned DeepSeek from all government devices over security concerns, "
            "the Department of Home Affairs said on Tuesday.",
    "published": "2025-02-04", "outlet": "Reuters",
    "entities": [("Australia", "GPE"), ("DeepSeek", "ORG")],
    "events": [("ban", "Australia", "DeepSeek", "2025-02-04")],
}
SOUTH_KOREA = {
    "title": "South Korea suspends new downloads of DeepSeek over privacy concerns",
    "lead": "South Korea has suspended new downloads of the Chinese chatbot DeepSeek from local app stores "
            "while it reviews how the app handles personal data.",
    "published": "2025-02-15", "outlet": "Yonhap",
    "entities": [("South Korea", "GPE"), ("DeepSeek", "ORG")],
    "events": [("ban", "South Korea", "DeepSeek", "2025-02-15")],
}
SOUTH_KOREA_LIFTED = {
    "title": "DeepSeek returns to South Korean app stores after two months",
    "lead": "The Chinese chatbot is available for download again in South Korea, where it was suspended "
            "in February while regulators examined its privacy practices.",
    "published": "2025-04-29", "outlet": "Aju Press",
    "entities": [("South Korea", "GPE"), ("DeepSeek", "ORG")],
    "events": [("ban_lifted", "South Korea", "DeepSeek", "2025-04-28"), ("ban", "South Korea", "DeepSeek", "2025-02")],
}
WINDSURF = {
    "title": "Anthropic cuts Windsurf's access to Claude models",
    "lead": "Anthropic has cut off the coding start-up Windsurf's first-party access to its Claude models "
            "with less than a week's notice.",
    "published": "2025-06-04", "outlet": "Example Wire",
    "entities": [("Anthropic", "ORG"), ("Windsurf", "ORG"), ("Claude", "PRODUCT", "Anthropic")],
    "events": [("access_cutoff", "Anthropic", "Windsurf", "2025-06-03")],
}
OPENAI_CUT = {
    "title": "Anthropic revokes OpenAI's access to Claude",
    "lead": "Anthropic has cut off OpenAI's access to its Claude models, saying the rival broke its "
            "terms of service by using them ahead of a model launch.",
    "published": "2025-08-02", "outlet": "Example Wire",
    "entities": [("Anthropic", "ORG"), ("OpenAI", "ORG"), ("Claude", "PRODUCT", "Anthropic")],
    "events": [("access_cutoff", "Anthropic", "OpenAI", "2025-08-01")],
}
OFF_TOPIC = {
    "title": "Start-up races to put data centres in orbit",
    "lead": "A space company says it will launch a solar-powered data centre next year.",
    "published": "2026-07-07", "entities": [("Starcloud", "ORG")], "events": [], "relevant": False,
}


def summarise_stored(store, incident_id):
    from graph.describe import summarise
    from graph.members import Loaded, load_states

    [state] = load_states(store, store.incident_members(ids=[incident_id]), Loaded())
    return summarise(state).lifecycle


def incidents_by_key(store, ids) -> dict[str, list[str]]:
    """article key -> incident ids it belongs to."""
    members = store.incident_members()
    keys = {v: k for k, v in ids.items()}
    out: dict[str, list[str]] = {k: [] for k in ids}
    for incident_id, rows in members.items():
        for article_id, _, _ in rows:
            out[keys[article_id]].append(incident_id)
    return out


def test_one_story_told_in_different_words_is_one_incident_with_a_readable_id(store, sentence_embedder):
    ids = add_stories(store, sentence_embedder, {"a1": ALIBABA_1, "a2": ALIBABA_2})
    summary = run_link(store)
    assert incidents_by_key(store, ids) == {"a1": ["alibaba-bans-claude-code-2026-07"],
                                            "a2": ["alibaba-bans-claude-code-2026-07"]}
    assert summary.new_incidents == ["alibaba-bans-claude-code-2026-07"]
    assert "linked 2 articles" in summary.report()


def test_two_governments_banning_the_same_chatbot_days_apart_are_two_incidents(store, sentence_embedder):
    ids = add_stories(store, sentence_embedder, {"au": AUSTRALIA, "kr": SOUTH_KOREA})
    run_link(store)
    found = incidents_by_key(store, ids)
    assert found == {"au": ["australia-bans-deepseek-2025-02"], "kr": ["south-korea-bans-deepseek-2025-02"]}


def test_same_companies_in_different_months_stay_apart(store, sentence_embedder):
    ids = add_stories(store, sentence_embedder, {"w": WINDSURF, "o": OPENAI_CUT})
    run_link(store)
    found = incidents_by_key(store, ids)
    assert found["w"] != found["o"]
    assert found["o"] == ["anthropic-cuts-off-openai-2025-08"]


def test_a_follow_up_months_later_about_the_same_event_joins_its_incident(store, sentence_embedder):
    ids = add_stories(store, sentence_embedder, {"kr": SOUTH_KOREA, "later": SOUTH_KOREA_LIFTED, "au": AUSTRALIA})
    run_link(store)
    found = incidents_by_key(store, ids)
    assert found["later"] == found["kr"] == ["south-korea-bans-deepseek-2025-02"]
    story = store.load_incidents(["south-korea-bans-deepseek-2025-02"])[0]
    assert story.first_seen == "2025-02-15" and story.last_seen == "2025-04-29"


def test_incident_fields_and_irrelevant_articles_left_out(store, sentence_embedder, tmp_path):
    ids = add_stories(store, sentence_embedder, {"a1": ALIBABA_1, "a2": ALIBABA_2, "off": OFF_TOPIC})
    run_link(store)
    [incident] = store.load_incidents()
    assert incident.title == "Alibaba bans Claude Code"
    assert incident.main_type == "ban"
    assert incident.date == "2026-07-10"
    assert incident.actors == ["Alibaba"] and incident.targets == ["Claude Code"]
    assert (incident.first_seen, incident.last_seen) == ("2026-07-08", "2026-07-09")
    assert sorted(incident.article_ids) == sorted([ids["a1"], ids["a2"]])
    lifecycle = [(e["date"], e["type"]) for e in summarise_stored(store, incident.id)]
    assert lifecycle == [("2026-06", "allegation"), ("2026-07-10", "ban")]
    out = tmp_path / "out.jsonl"
    export_jsonl(store, str(out))
    exported = {r["id"]: r["incident"] for r in map(json.loads, out.read_text().splitlines())}
    assert exported == {"a1": incident.id, "a2": incident.id, "off": None}


def test_new_articles_join_existing_incidents_and_ids_stay_stable(store, sentence_embedder):
    first = add_stories(store, sentence_embedder, {"a1": ALIBABA_1, "au": AUSTRALIA})
    run_link(store)
    before = {i.id for i in store.load_incidents()}
    assert run_link(store).articles == 0  # nothing new: nothing done
    later = add_stories(store, sentence_embedder, {"a2": ALIBABA_2, "kr": SOUTH_KOREA})
    summary = run_link(store)
    assert summary.articles == 2
    assert summary.updated_incidents == ["alibaba-bans-claude-code-2026-07"]
    assert summary.new_incidents == ["south-korea-bans-deepseek-2025-02"]
    found = incidents_by_key(store, {**first, **later})
    assert found["a2"] == found["a1"]
    assert before <= {i.id for i in store.load_incidents()}


def test_a_new_linker_version_relinks_everything_to_the_same_ids(store, sentence_embedder, monkeypatch):
    ids = add_stories(store, sentence_embedder, {"a1": ALIBABA_1, "a2": ALIBABA_2, "au": AUSTRALIA})
    run_link(store)
    before = incidents_by_key(store, ids)
    monkeypatch.setattr(link_module, "LINKER_VERSION", "link-test-next")
    summary = run_link(store)
    assert summary.relinked_all and summary.articles == 3
    assert incidents_by_key(store, ids) == before
    assert store.linker_versions() == {"link-test-next"}


def test_re_analysed_articles_keep_their_incident_ids(store, sentence_embedder):
    ids = add_stories(store, sentence_embedder, {"a1": ALIBABA_1, "a2": ALIBABA_2, "au": AUSTRALIA})
    run_link(store)
    before = incidents_by_key(store, ids)
    # A new NLP pipeline version analyses every article again; the stories are the same.
    store.save_analyses(store.analyses_for(ids.values()).items(), "test-2")
    summary = run_link(store)
    assert summary.articles == 3
    assert summary.new_incidents == [] and summary.removed_incidents == []
    assert incidents_by_key(store, ids) == before


def test_a_roundup_joins_both_incidents_it_reports_with_one_primary(store, sentence_embedder):
    taiwan = {**AUSTRALIA, "title": "Taiwan bans government agencies from using DeepSeek",
              "lead": "Taiwan has banned government departments from using DeepSeek's AI service, "
                      "citing security risks and the flow of data to China.",
              "published": "2025-02-03", "outlet": "Focus Taiwan",
              "entities": [("Taiwan", "GPE"), ("DeepSeek", "ORG")], "events": [("ban", "Taiwan", "DeepSeek", "2025-02-03")]}
    roundup = {"title": "Australia and Taiwan ban DeepSeek from government devices",
               "lead": "Australia on Tuesday banned DeepSeek from government devices, a day after Taiwan "
                       "barred its agencies from using the Chinese chatbot.",
               "published": "2025-02-05", "outlet": "Digest",
               "entities": [("Australia", "GPE"), ("Taiwan", "GPE"), ("DeepSeek", "ORG")],
               "events": [("ban", "Australia", "DeepSeek", "2025-02-04"), ("ban", "Taiwan", "DeepSeek", "2025-02-03")]}
    ids = add_stories(store, sentence_embedder, {"tw": taiwan, "au": AUSTRALIA, "both": roundup})
    run_link(store)
    found = incidents_by_key(store, ids)
    assert sorted(found["both"]) == sorted(found["au"] + found["tw"])
    primary = store.primary_incidents([ids["both"]])
    assert primary[ids["both"]] in found["both"]


@pytest.mark.parametrize("event_type, actor, target, expected", [
    ("ban", "Alibaba", "Claude Code", "Alibaba bans Claude Code"),
    ("security_finding", "security researchers", "Claude Code",
     "security researchers find a security flaw in Claude Code"),
    ("settlement", "Anthropic", "authors", "Anthropic pays authors to settle"),
    ("ban_lifted", "Garante", "ChatGPT", "Garante lifts its ban on ChatGPT"),
])
def test_incident_headline_agrees_with_its_actor(event_type, actor, target, expected):
    from incidents.event_types import EVENT_TYPE

    assert EVENT_TYPE[event_type].headline(actor, target) == expected


@pytest.mark.parametrize("event_type, actor, target, expected", [
    ("ban", "Alibaba", "Claude Code", "Alibaba bans Claude Code"),
    ("security_finding", "security researchers", "Claude Code", "security researchers find security issue in Claude Code"),
    ("settlement", "Anthropic", "authors", "Anthropic settles with authors"),
])
def test_incident_ids_keep_the_words_they_were_first_made_of(event_type, actor, target, expected):
    """Titles may be reworded; ids are made again on a relink and must not change."""
    from graph.describe import id_words

    assert id_words(event_type, actor, target) == expected
