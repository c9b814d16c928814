"""The read-only HTTP API over real HTTP: the same answers as the command line's --json,
pages, ETags and 304s, one-line errors, and a token wherever one is set."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
import requests

from incidents.app.cli import main

from api_server import api_server
from conftest import HOSTILE_TITLE, build_briefing_fixture

ALIBABA = "alibaba-bans-claude-code-2026-07"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The briefing fixture store and the API serving it: (db url, base url)."""
    from incidents.store import Store

    db_url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'incidents.db'}"
    with Store(db_url) as store:
        build_briefing_fixture(store)
    with api_server(db_url) as base:
        yield db_url, base


def cli_json(capsys, db_url: str, *argv: str):
    """What `incidents ARGV --json` prints, parsed."""
    capsys.readouterr()
    assert main([*argv, "--json", "--db", db_url]) == 0
    return json.loads(capsys.readouterr().out)


def get(base: str, path: str, **params):
    response = requests.get(base + path, params=params, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("path, params, argv", [
    ("/incidents", {}, ["list"]),
    ("/incidents", {"week": "2026-W28", "type": "ban"}, ["list", "--week", "2026-W28", "--type", "ban"]),
    ("/incidents", {"company": "Anthropic", "since": "2026-06", "until": "2026-06-30"},
     ["list", "--company", "Anthropic", "--since", "2026-06", "--until", "2026-06-30"]),
    ("/incidents", {"q": "claude", "limit": 1}, ["list", "--text", "claude", "--limit", "1"]),
    (f"/incidents/{ALIBABA}", {}, ["show", ALIBABA]),
    ("/entities", {"type": "ORG"}, ["entities", "--type", "ORG"]),
    ("/entities/Anthropic", {}, ["entity", "Anthropic"]),
    ("/search", {"q": "Alibaba Claude"}, ["search", "Alibaba Claude"]),
])
def test_api_answers_as_the_command_line_json(served, capsys, path, params, argv):
    db_url, base = served
    assert get(base, path, **params) == cli_json(capsys, db_url, *argv)


@pytest.mark.parametrize("path, params, argv", [
    ("/graph/neighbours", {"name": "Alibaba", "hops": 2}, ["graph", "neighbours", "Alibaba", "--hops", "2"]),
    ("/graph/paths", {"source": "Alibaba", "target": "Anthropic"}, ["graph", "paths", "Alibaba", "Anthropic"]),
    ("/graph/timeline", {"name": "Anthropic", "since": "2026-07"}, ["graph", "timeline", "Anthropic", "--since", "2026-07"]),
    ("/graph/rank", {"by": "pagerank", "top": 5}, ["graph", "rank", "--by", "pagerank", "--top", "5"]),
    ("/graph/between", {"first": "Alibaba", "second": "Claude Code"}, ["graph", "between", "Alibaba", "Claude Code"]),
    ("/graph/actions", {"vendor": "Anthropic", "action": "ban"}, ["graph", "actions", "Anthropic", "--action", "ban"]),
])
def test_graph_queries_answer_as_incidents_graph_json(served, capsys, path, params, argv):
    db_url, base = served
    answer = get(base, path, **params)
    expected = cli_json(capsys, db_url, *argv)
    assert expected, "the query should find something in the fixture"
    assert answer["items"] == expected and answer["total"] == len(expected)


def test_one_incident_has_its_events_with_evidence_and_articles(served):
    _, base = served
    found = get(base, f"/incidents/{ALIBABA}")
    assert found["incident"]["title"] == "Alibaba bans Claude Code"
    [ban_fact] = [f for f in found["facts"] if f["type"] == "ban"]  # two articles, one fact
    assert ban_fact["date"] == "2026-07-10" and ban_fact["outlets"] == ["Example Wire", "Kernel Post"]
    ban = [e for e in found["events"] if e["type"] == "ban"]
    assert {e["outlet"] for e in ban} == {"Example Wire", "Kernel Post"}
    assert all(e["evidence"] and e["url"].startswith("https://") for e in ban)
    assert [a["outlet"] for a in found["articles"]] == ["Example Wire", "Kernel Post"]
    article = get(base, f"/articles/{found['articles'][0]['id']}")
    assert article["id"] == "a1" and article["incident"] == ALIBABA  # the id `incidents export` writes


def test_lists_come_in_pages_with_the_total(served):
    _, base = served
    first, second = get(base, "/incidents", limit=3), get(base, "/incidents", limit=3, offset=3)
    assert first["total"] == second["total"] == 4
    assert len(first["items"]) == 3 and len(second["items"]) == 1
    assert {i["id"] for i in first["items"]}.isdisjoint(i["id"] for i in second["items"])
    too_many = requests.get(base + "/incidents", params={"limit": 100_000}, timeout=30)
    assert too_many.status_code == 422


def test_every_read_has_an_etag_and_an_unchanged_one_is_304(served):
    _, base = served
    for path in ("/incidents", f"/incidents/{ALIBABA}", "/entities", "/graph/rank", "/openapi.json"):
        first = requests.get(base + path, timeout=30)
        tag = first.headers["ETag"]
        again = requests.get(base + path, headers={"If-None-Match": tag}, timeout=30)
        assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == tag
    other = requests.get(base + "/incidents", params={"limit": 1}, timeout=30).headers["ETag"]
    assert other != requests.get(base + "/incidents", timeout=30).headers["ETag"]


def test_unknown_names_are_404_with_one_line_and_suggestions(served):
    _, base = served
    missing = requests.get(base + "/incidents/no-such-incident", timeout=30)
    assert missing.status_code == 404 and "no-such-incident" in missing.json()["detail"]
    typo = requests.get(base + "/graph/timeline", params={"name": "Anthropik"}, timeout=30)
    assert typo.status_code == 404 and typo.json()["suggestions"] == ["Anthropic"]
    week = requests.get(base + "/incidents", params={"week": "1800-W01"}, timeout=30)
    assert week.status_code == 400 and "1800-W01" in week.json()["detail"]


def test_web_text_is_data_in_json_never_markup(served):
    _, base = served
    response = requests.get(base + "/incidents", params={"q": "rogue"}, timeout=30)
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["items"][0]["title"] == HOSTILE_TITLE


def test_a_token_is_required_once_set(briefing_store, db_url):
    with api_server(db_url, env={"INCIDENTS_API_TOKEN": "s3cret"}) as base:
        refused = requests.get(base + "/incidents", timeout=30)
        assert refused.status_code == 401 and "token" in refused.json()["detail"]
        assert requests.get(base + "/openapi.json", timeout=30).status_code == 200  # the spec holds no data
        wrong = requests.get(base + "/incidents", headers={"Authorization": "Bearer nope"}, timeout=30)
        assert wrong.status_code == 401
        bearer = requests.get(base + "/incidents", headers={"Authorization": "Bearer s3cret"}, timeout=30)
        assert bearer.status_code == 200 and bearer.json()["total"] == 4
        basic = requests.get(base + "/incidents", auth=("feed-reader", "s3cret"), timeout=30)
        assert basic.status_code == 200


def test_listening_beyond_this_machine_needs_a_token(briefing_store, db_url, monkeypatch):
    monkeypatch.delenv("INCIDENTS_API_TOKEN", raising=False)
    result = subprocess.run([sys.executable, "-m", "incidents.app.cli", "serve-api", "--host", "0.0.0.0",
                             "--db", db_url], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "INCIDENTS_API_TOKEN" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_serving_a_missing_store_is_one_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "incidents.app.cli", "serve-api", "--db",
                             f"sqlite:///{tmp_path / 'missing.db'}"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "missing.db" in result.stderr and "Traceback" not in result.stderr


def test_a_postgresql_store_answers_as_the_sqlite_one(served, pg_url):
    from incidents.store import Store

    _, sqlite_base = served
    with Store(pg_url) as store:
        build_briefing_fixture(store)
    paths = ["/incidents", "/incidents?week=2026-W28&company=Alibaba", f"/incidents/{ALIBABA}",
             "/entities/Anthropic", "/search?q=claude", "/graph/rank"]
    with api_server(pg_url) as pg_base:
        for path in paths:
            assert requests.get(pg_base + path, timeout=30).json() == requests.get(sqlite_base + path, timeout=30).json()
