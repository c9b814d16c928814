"""The API over a held-out corpus (the third blind set, never used for tuning), tested over
real HTTP against its own OpenAPI spec by schemathesis: no server error and no answer
outside the schema in a bounded run; and its Atom feed read by feedparser."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
import requests

from api_server import api_server

BLIND3 = Path(__file__).parent / "fixtures" / "eval" / "blind3.jsonl"
EXAMPLES = 25
"""Generated requests per operation and phase: bounded, about a minute on this machine."""


@pytest.fixture(scope="session")
def held_out_db(tmp_path_factory) -> str:
    """A store holding blind3 ingested, extracted and linked by the command line (built once)."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('held-out') / 'blind3.db'}"
    for argv in (["ingest", str(BLIND3)], ["extract"], ["link"]):
        done = subprocess.run([sys.executable, "-m", "incidents.app.cli", *argv, "--db", db_url],
                              capture_output=True, text=True, timeout=1200)
        assert done.returncode == 0, done.stderr
    return db_url


@pytest.fixture(scope="module")
def held_out_api(held_out_db):
    with api_server(held_out_db) as base:
        yield base


def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_spec(held_out_api, tmp_path):
    # the first semantic search loads the embedding model: done here, not inside a timed request
    assert requests.get(held_out_api + "/search", params={"q": "ban", "semantic": "true"}, timeout=300).ok
    schemathesis = shutil.which("schemathesis") or pytest.fail("schemathesis is not installed (pip install -e '.[dev]')")
    done = subprocess.run([schemathesis, "run", f"{held_out_api}/openapi.json",
                           "-c", "not_a_server_error,response_schema_conformance", "-n", str(EXAMPLES),
                           "--seed", "13", "--generation-database", "none", "--request-timeout", "60",
                           "--no-color"],
                          capture_output=True, text=True, timeout=1200, cwd=tmp_path)  # its .schemathesis/ goes there
    report = done.stdout + done.stderr
    assert done.returncode == 0, report[-4000:]
    assert "generated" in report and " passed" in report


def test_the_incidents_feed_is_valid_atom_with_entries(held_out_api, held_out_db):
    response = requests.get(held_out_api + "/feeds/incidents.atom", timeout=60)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10" and len(parsed.entries) >= 10
    assert all(e.title and e.id.startswith("urn:uuid:") and e.updated_parsed for e in parsed.entries)
    listed = requests.get(held_out_api + "/incidents", params={"limit": 500}, timeout=60).json()
    assert len(parsed.entries) == min(listed["total"], 50)


def test_rank_over_the_held_out_corpus_answers_as_the_command_line(held_out_api, held_out_db):
    import json

    cli = subprocess.run([sys.executable, "-m", "incidents.app.cli", "graph", "rank", "--top", "30", "--json",
                          "--db", held_out_db], capture_output=True, text=True, timeout=300)
    api = requests.get(held_out_api + "/graph/rank", params={"top": 30}, timeout=60).json()
    assert api["items"] == json.loads(cli.stdout) and api["total"] == 30
