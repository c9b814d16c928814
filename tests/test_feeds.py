"""Atom feeds of the API, read over real HTTP by a real feed parser (feedparser)."""
from __future__ import annotations

import feedparser
import pytest
import requests

from api_server import api_server
from conftest import build_briefing_fixture

NASTY = "Leak \x1b[31m<b>&amp;</b> ]]> \u202eedoC edualC\u202c & \x00 \"quoted\" <![CDATA[x]]>"
"""A title a hostile page could give: markup, an entity, a CDATA end, an ANSI escape, a bidi
override and a NUL that XML forbids."""


@pytest.fixture(scope="module")
def feeds(tmp_path_factory):
    from incidents.model import Incident
    from incidents.store import Store

    folder = tmp_path_factory.mktemp("feeds")
    db_url = f"sqlite:///{folder / 'incidents.db'}"
    with Store(db_url) as store:
        build_briefing_fixture(store)
        store.save_incident(Incident("nasty-2026-07", NASTY, "2026-07-02", "breach", ["Cursor"], ["Cursor"],
                                     first_seen="2026-07-02", last_seen="2026-07-02"), [])
    config = folder / "incidents.toml"
    config.write_text('dashboard_url = "https://dash.example"\n\n'
                      '[searches.coding-agents]\nq = "claude"\n\n'
                      '[searches.anthropic-cutoffs]\ncompany = "Anthropic"\ntype = "access_cutoff"\n')
    with api_server(db_url, env={"INCIDENTS_CONFIG": str(config)}) as base:
        yield base


def read(base: str, path: str):
    response = requests.get(base + path, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed, response


def test_incidents_feed_is_valid_atom_with_every_incident(feeds):
    parsed, _ = read(feeds, "/feeds/incidents.atom")
    assert len(parsed.entries) == 5
    titles = {e.title for e in parsed.entries}
    assert {"Alibaba bans Claude Code", "FTC investigates OpenAI"} <= titles
    alibaba = next(e for e in parsed.entries if e.title == "Alibaba bans Claude Code")
    assert alibaba.link == "https://dash.example/incident?id=alibaba-bans-claude-code-2026-07"
    assert alibaba.id.startswith("urn:uuid:") and alibaba.updated_parsed and alibaba.published.startswith("2026-07-08")
    assert "Alibaba -> Claude Code" in alibaba.summary and {t.term for t in alibaba.tags} == {"ban", "security_finding"}
    assert parsed.feed.links[0].href == feeds + "/feeds/incidents.atom"


def test_entry_ids_stay_the_same_between_reads(feeds):
    first, _ = read(feeds, "/feeds/incidents.atom")
    again, _ = read(feeds, "/feeds/incidents.atom")
    assert [e.id for e in first.entries] == [e.id for e in again.entries]
    assert len({e.id for e in first.entries}) == 5


def test_a_feed_per_company_per_event_type_and_per_saved_search(feeds):
    by_company, _ = read(feeds, "/feeds/entities/DeepSeek.atom")
    assert [e.title for e in by_company.entries] == ["Anthropic accuses DeepSeek of distillation"]
    by_type, _ = read(feeds, "/feeds/types/investigation.atom")
    assert [e.title for e in by_type.entries] == ["FTC investigates OpenAI"]
    saved, _ = read(feeds, "/feeds/searches/coding-agents.atom")
    assert [e.title for e in saved.entries] == ["Alibaba bans Claude Code"]
    both, _ = read(feeds, "/feeds/searches/anthropic-cutoffs.atom")
    assert [e.title for e in both.entries] == ["Anthropic accuses DeepSeek of distillation"]
    assert "Saved search: coding-agents" == saved.feed.title


def test_hostile_titles_arrive_as_plain_text(feeds):
    parsed, response = read(feeds, "/feeds/incidents.atom")
    raw = response.content
    assert b"<script" not in raw and b"<b>" not in raw and b"\x1b" not in raw and b"\x00" not in raw
    assert "\u202e".encode() not in raw
    nasty = next(e for e in parsed.entries if e.title.startswith("Leak"))
    assert nasty.title_detail.type == "text/plain"
    assert nasty.title == 'Leak [31m<b>&amp;</b> ]]> edoC edualC &  "quoted" <![CDATA[x]]>'  # as written, minus controls
    rogue = next(e for e in parsed.entries if "Rogue" in e.title)
    assert "<script>alert(1)</script>" in rogue.title  # the words, shown as text, not run


def test_unknown_feeds_are_404_with_one_line(feeds):
    missing = requests.get(feeds + "/feeds/entities/Nobody.atom", timeout=30)
    assert missing.status_code == 404 and "Nobody" in missing.json()["detail"]
    unsaved = requests.get(feeds + "/feeds/searches/nope.atom", timeout=30)
    assert unsaved.status_code == 404 and "anthropic-cutoffs, coding-agents" in unsaved.json()["detail"]
    wrong_type = requests.get(feeds + "/feeds/types/coup.atom", timeout=30)
    assert wrong_type.status_code == 400


def test_feeds_carry_etags(feeds):
    first = requests.get(feeds + "/feeds/incidents.atom", timeout=30)
    again = requests.get(feeds + "/feeds/incidents.atom", headers={"If-None-Match": first.headers["ETag"]}, timeout=30)
    assert again.status_code == 304
