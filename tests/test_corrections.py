"""Analysts' corrections (incidents/corrections.py, graph/correct.py, `incidents correct`):
they are logged with who, when and why, put in force at once, survive a new analysis and a
relink, and can be undone."""
from __future__ import annotations

import json

import pytest
from conftest import add_stories
from test_link import ALIBABA_1, ALIBABA_2, AUSTRALIA, SOUTH_KOREA

from graph import link as link_module
from graph.correct import Corrector
from graph.link import run_link
from incidents.app.cli import main

ALIBABA_FOLLOW_UP = {
    "title": "Alibaba staff lose access to Claude Code as ban takes effect",
    "lead": "Alibaba's ban on Claude Code took effect on Friday, and Alibaba says Anthropic accused it "
            "of copying the agent's code, which it denies.",
    "published": "2026-07-11", "outlet": "Relay Dispatch",
    "entities": [("Alibaba", "ORG"), ("Claude Code", "PRODUCT", "Anthropic"), ("Anthropic", "ORG")],
    "events": [("ban", "Alibaba", "Claude Code", "2026-07-10"), ("allegation", "Anthropic", "Alibaba", "2026-06")],
}
ALIBABA = "alibaba-bans-claude-code-2026-07"
AU, KR = "australia-bans-deepseek-2025-02", "south-korea-bans-deepseek-2025-02"


@pytest.fixture
def linked(store, sentence_embedder):
    """Three incidents from four articles: Alibaba's ban (two), Australia's and South Korea's."""
    ids = add_stories(store, sentence_embedder, {"a1": ALIBABA_1, "a2": ALIBABA_2, "au": AUSTRALIA, "kr": SOUTH_KOREA})
    run_link(store)
    assert store.incident_ids() == {ALIBABA, AU, KR}
    return ids


@pytest.fixture
def corrector(store):
    return Corrector(store, "dana")


def placed(store, ids) -> dict[str, list[str]]:
    """article key -> the incidents it is in."""
    return {key: sorted(store.incidents_of([article_id])) for key, article_id in ids.items()}


def facts_of(store, article_id) -> list[tuple]:
    return [(e.type, e.actor, e.target, e.date) for e in store.analyses_for([article_id])[article_id].events]


def reanalyse_and_relink(store, monkeypatch, ids) -> None:
    """What a new pipeline version and a new linker version do: every article analysed again
    (as the machine finds it, which never includes a correction) and everything relinked."""
    machine = store.machine_analyses_for(ids.values())
    store.save_analyses(machine.items(), "test-next")
    run_link(store)
    monkeypatch.setattr(link_module, "LINKER_VERSION", "link-test-next")
    assert run_link(store).relinked_all


# --- incidents ---

def test_merge_moves_the_articles_and_the_old_id_redirects(store, linked, corrector):
    made = corrector.merge(KR, AU, reason="one wave of bans")
    assert placed(store, linked)["kr"] == [AU] and placed(store, linked)["au"] == [AU]
    assert KR not in store.incident_ids()
    assert store.incident_redirect(KR) == AU
    [entry] = store.correction_log()
    assert (entry.id, entry.kind, entry.who, entry.reason) == (made.id, "merge", "dana", "one wave of bans")
    assert entry.created is not None and entry.new == {"into": AU}
    # a merged-away id still names the incident in later corrections
    corrector.retitle(KR, "DeepSeek banned in Australia and South Korea")
    assert store.load_incidents([AU])[0].title == "DeepSeek banned in Australia and South Korea"


def test_merge_and_retitle_survive_a_new_analysis_and_a_relink(store, linked, corrector, monkeypatch):
    corrector.merge(KR, AU)
    corrector.retitle(AU, "DeepSeek banned in Australia and South Korea")
    reanalyse_and_relink(store, monkeypatch, linked)
    assert placed(store, linked)["kr"] == placed(store, linked)["au"] == [AU]
    assert store.load_incidents([AU])[0].title == "DeepSeek banned in Australia and South Korea"
    assert KR not in store.incident_ids()


def test_news_of_a_merged_away_incident_joins_the_one_it_was_merged_into(store, linked, corrector,
                                                                         sentence_embedder):
    corrector.merge(KR, AU)
    again = add_stories(store, sentence_embedder, {"kr2": {**SOUTH_KOREA, "published": "2025-02-16",
                                                            "title": "Seoul halts DeepSeek downloads"}})
    run_link(store)
    assert store.incidents_of(again.values()) == {AU}
    assert KR not in store.incident_ids()


def test_move_an_article_to_another_incident_and_to_a_new_one(store, linked, corrector, monkeypatch):
    corrector.move("a2", to=AU)
    assert placed(store, linked)["a2"] == [AU] and placed(store, linked)["a1"] == [ALIBABA]
    made = corrector.move("a1", new=True)
    new_id = made.new["new"]
    assert new_id not in (ALIBABA, AU, KR)
    assert placed(store, linked)["a1"] == [new_id]
    reanalyse_and_relink(store, monkeypatch, linked)
    assert placed(store, linked)["a1"] == [new_id] and placed(store, linked)["a2"] == [AU]


def test_an_article_marked_irrelevant_leaves_its_incident_until_marked_relevant(store, linked, corrector, monkeypatch):
    corrector.relevance("a2", False)
    assert placed(store, linked)["a2"] == [] and not store.analyses_for([linked["a2"]])[linked["a2"]].relevant
    reanalyse_and_relink(store, monkeypatch, linked)
    assert placed(store, linked)["a2"] == []
    corrector.relevance("a2", True)
    assert placed(store, linked)["a2"] == [ALIBABA]


# --- facts ---

def test_fact_corrections_hold_through_a_new_analysis_and_a_new_article(store, linked, corrector,
                                                                         monkeypatch, sentence_embedder):
    a1 = linked["a1"]
    corrector.fact_change(ALIBABA, "allegation", "Anthropic", "Alibaba", None, {"date": "2026-06-20"})
    assert ("allegation", "Anthropic", "Alibaba", "2026-06-20") in facts_of(store, a1)
    corrector.fact_reject(ALIBABA, "allegation", "Anthropic", "Alibaba", "2026-06-20")
    assert [f[0] for f in facts_of(store, a1)] == ["ban"]
    corrector.fact_add(ALIBABA, "security_finding", "Anthropic", "Claude Code", "2026-07-07",
                       evidence="Alibaba has banned its employees from using Claude Code,")
    assert ("security_finding", "Anthropic", "Claude Code", "2026-07-07") in facts_of(store, a1)
    reanalyse_and_relink(store, monkeypatch, linked)
    assert sorted(f[0] for f in facts_of(store, a1)) == ["ban", "security_finding"]
    # a new article of the incident repeating the rejected fact does not bring it back
    later = add_stories(store, sentence_embedder, {"a3": ALIBABA_FOLLOW_UP})
    run_link(store)
    assert store.incidents_of(later.values()) == {ALIBABA}
    assert facts_of(store, later["a3"]) == [("ban", "Alibaba", "Claude Code", "2026-07-10")]
    # the machine's own analysis is kept, and an undo brings its fact back (with the date
    # correction still in force, on the new article too)
    reject = next(c for c in store.correction_log() if c.kind == "fact_reject")
    corrector.undo(reject.id)
    assert ("allegation", "Anthropic", "Alibaba", "2026-06-20") in facts_of(store, a1)
    assert ("allegation", "Anthropic", "Alibaba", "2026-06-20") in facts_of(store, later["a3"])


def test_a_fact_is_corrected_in_every_article_stating_it_whatever_its_date_says(store, sentence_embedder, corrector):
    # one fact (incidents.facts): "10 July" in one story, "July" in another, undated in a third
    in_july = {**ALIBABA_2, "events": [("ban", "Alibaba", "Claude Code", "2026-07")]}
    ids = add_stories(store, sentence_embedder, {"a1": ALIBABA_1, "a2": in_july})
    run_link(store)
    corrector.fact_change(ALIBABA, "ban", "alibaba", "CLAUDE CODE", None, {"date": "2026-07-11"})  # names as facts compare them
    [entry] = store.correction_log()
    assert entry.fact["date"] == "2026-07-10" and sorted(entry.old["articles"]) == sorted(ids.values())
    for key in ("a1", "a2"):
        assert ("ban", "Alibaba", "Claude Code", "2026-07-11") in facts_of(store, ids[key])
    undated = {**ALIBABA_FOLLOW_UP, "events": [("ban", "Alibaba", "Claude Code", None)]}
    later = add_stories(store, sentence_embedder, {"a3": undated})
    run_link(store)
    assert store.incidents_of(later.values()) == {ALIBABA}
    assert facts_of(store, later["a3"]) == [("ban", "Alibaba", "Claude Code", "2026-07-11")]


def test_a_missed_fact_needs_a_sentence_of_the_incident(store, linked, corrector):
    with pytest.raises(Exception, match="evidence sentence is not in any article"):
        corrector.fact_add(ALIBABA, "ban", "Alibaba", "Claude Code", None, evidence="Nobody wrote this.")
    with pytest.raises(Exception, match="not a fact of the incident"):
        corrector.fact_reject(ALIBABA, "fine", "Alibaba", "Claude Code", None)
    assert store.correction_log() == []


# --- entities ---

def test_entity_merge_holds_through_a_new_analysis_and_undo_restores_it(store, linked, corrector, monkeypatch):
    corrector.entity_merge("Australia", "South Korea")  # absurd, but it shows every mention moving
    au = linked["au"]
    names = [e.name for e in store.analyses_for([au])[au].entities]
    assert "Australia" not in names and "South Korea" in names
    assert facts_of(store, au) == [("ban", "South Korea", "DeepSeek", "2025-02-04")]
    assert store.entity("Australia") is None
    reanalyse_and_relink(store, monkeypatch, linked)
    assert facts_of(store, au) == [("ban", "South Korea", "DeepSeek", "2025-02-04")]
    corrector.undo(store.correction_log()[0].id)
    assert facts_of(store, au) == [("ban", "Australia", "DeepSeek", "2025-02-04")]
    assert store.entity("Australia")["type"] == "GPE"


def test_entity_type_vendor_and_hide(store, linked, corrector):
    corrector.entity_type("DeepSeek", "PRODUCT")
    corrector.entity_vendor("DeepSeek", "Alibaba")  # any organisation will do for the test
    assert store.entity("DeepSeek") == {"name": "DeepSeek", "type": "PRODUCT", "vendor": "Alibaba"}
    corrector.entity_hide("Australia")
    assert store.hidden_entity_names() == {"Australia"}
    type_fix = store.correction_log()[0]
    corrector.undo(type_fix.id)
    assert store.entity("DeepSeek")["type"] == "ORG"


# --- the command line ---

def run(capsys, *argv) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_command_line_corrections_log_and_undo(store, linked, db_url, capsys, monkeypatch):
    monkeypatch.setenv("INCIDENTS_ANALYST", "Dana Analyst")
    status, out, _ = run(capsys, "correct", "merge", KR, AU, "--reason", "same wave", "--db", db_url, "--json")
    assert status == 0
    entry = json.loads(out)
    assert entry["kind"] == "merge" and entry["who"] == "Dana Analyst" and entry["reason"] == "same wave"
    assert entry["subject"] == KR and entry["new"] == {"into": AU} and entry["when"]
    status, out, _ = run(capsys, "correct", "retitle", AU, "DeepSeek bans", "--db", db_url)
    assert status == 0 and out.startswith("correction 2 by Dana Analyst: retitled")
    status, out, _ = run(capsys, "correct", "undo", "1", "--db", db_url)
    assert status == 0 and "undid correction 1" in out
    status, out, _ = run(capsys, "correct", "log", "--json", "--db", db_url)
    log = json.loads(out)
    assert [(e["id"], e["kind"], e["undone_by"]) for e in log] == [(1, "merge", 3), (2, "retitle", None), (3, "undo", None)]
    assert placed(store, linked)["kr"] == [KR]
    status, out, _ = run(capsys, "correct", "log", "--db", db_url)
    assert "[undone by 3]" in out.splitlines()[0] and "(same wave)" in out.splitlines()[0]


@pytest.mark.parametrize("argv, message", [
    (["merge", "south-korea-bans-deepsek-2025-02", AU], "did you mean: south-korea-bans-deepseek-2025-02"),
    (["merge", AU, AU], "cannot merge an incident into itself"),
    (["move", "nope", "--to", AU], "article 'nope': no such article"),
    (["entity-merge", "Australa", "South Korea"], "did you mean: Australia"),
    (["undo", "7"], "correction 7: no such correction"),
    (["retitle", AU, "   "], "the new title is empty"),
    (["fact-change", ALIBABA, "ban", "Alibaba", "Claude Code", "--set-date", "2026-13-45"], "is not YYYY-MM-DD"),
])
def test_command_line_mistakes_are_one_line_and_status_2(store, linked, db_url, capsys, argv, message):
    status, out, err = run(capsys, "correct", *argv, "--db", db_url)
    assert status == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err
    assert store.correction_log() == []


def test_undo_twice_is_refused(store, linked, db_url, capsys):
    assert run(capsys, "correct", "entity-hide", "Australia", "--db", db_url)[0] == 0
    assert run(capsys, "correct", "undo", "1", "--db", db_url)[0] == 0
    status, _, err = run(capsys, "correct", "undo", "1", "--db", db_url)
    assert status == 2 and "already undone by 2" in err
    status, _, err = run(capsys, "correct", "undo", "2", "--db", db_url)
    assert status == 2 and "is an undo" in err


def test_a_store_of_the_previous_revision_gains_the_log_and_keeps_its_incidents(db_url, linked, store):
    from sqlalchemy import create_engine, text

    from incidents.store import Store, head_revision

    store.close()
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE corrections"))
        conn.execute(text("DROP TABLE machine_analyses"))
        conn.execute(text("DROP TABLE alerts_sent"))  # later revisions' tables: a store of 0004 has none
        conn.execute(text("DROP INDEX ix_articles_claimed_until"))  # nor the claims of revision 0008
        conn.execute(text("ALTER TABLE articles DROP COLUMN claimed_by"))
        conn.execute(text("ALTER TABLE articles DROP COLUMN claimed_until"))
        conn.execute(text("DROP TABLE incident_keys"))  # nor the index of 0009
        conn.execute(text("DROP INDEX ix_incidents_updated"))
        conn.execute(text("DROP TABLE incident_graph"))  # nor the graph of 0012
        conn.execute(text("ALTER TABLE incidents DROP COLUMN outline"))  # nor the outlines of 0013
        conn.execute(text("UPDATE alembic_version SET version_num = '0004'"))
    engine.dispose()
    with Store(db_url) as upgraded:
        assert (upgraded.schema_found, upgraded.schema_version) == ("0004", head_revision())
        Corrector(upgraded, "dana").merge(KR, AU)
        assert upgraded.incident_redirect(KR) == AU and len(upgraded.incident_ids()) == 2
