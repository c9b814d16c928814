"""Exports and screens any reader can open, whatever the web wrote into names and titles.

A store holds an incident whose parties are named with control characters, a right-to-left
override and spreadsheet formulas; `incidents graph export` must write GraphML and GEXF that
parse back, CSV whose formula cells are defused, and never leave a truncated file; the CLI,
the dashboard's data and the digest must show the names without the hidden characters.
"""
from __future__ import annotations

import csv
import email
import email.policy

import networkx as nx
import pytest
from conftest import add_stories
from lxml import etree

from graph.link import run_link
from incidents.app.cli import main

RLO = "\u202e"  # right-to-left override: "Acme\u202eevil" reads as "Acmelive"
FORMULA = '=HYPERLINK("http://evil.example","click")'
HOSTILE = {
    "rogue": {
        "title": f"Acme{RLO} bans Widget\x0b after a\x01 leak",
        "lead": "Acme has banned the Widget tool from its offices after a leak.",
        "published": "2026-07-08", "outlet": f"Wire\u2066{FORMULA}",
        "entities": [(f"Acme{RLO}\x0bCorp", "ORG"), (FORMULA, "PRODUCT"), ("@SUM(1+1)", "ORG")],
        "events": [("ban", f"Acme{RLO}\x0bCorp", FORMULA, "2026-07-10"),
                   ("allegation", "@SUM(1+1)", f"Acme{RLO}\x0bCorp", "2026-07-09")],
    },
}
HIDDEN = [RLO, "\u2066", "\x0b", "\x01"]


@pytest.fixture
def hostile_db(store, db_url, sentence_embedder):
    add_stories(store, sentence_embedder, HOSTILE)
    run_link(store)
    return db_url


def export(db_url, path, *extra) -> int:
    return main(["graph", "export", str(path), *extra, "--db", db_url])


def test_graphml_with_control_characters_parses_back(hostile_db, tmp_path):
    target = tmp_path / "g.graphml"
    assert export(hostile_db, target) == 0
    etree.parse(str(target))  # strict XML parser: raises on a forbidden character
    graph = nx.read_graphml(target)
    assert "Acme\u202eCorp" in graph  # the override is legal XML; the vertical tab is not
    assert not any(c in str(n) for n in graph for c in ("\x0b", "\x01"))
    assert any(d.get("kind") == "incident" for _, d in graph.nodes(data=True))


def test_gexf_with_control_characters_parses_back(hostile_db, tmp_path):
    target = tmp_path / "g.gexf"
    assert export(hostile_db, target) == 0
    etree.parse(str(target))
    graph = nx.read_gexf(target)
    assert graph.number_of_nodes() >= 4


def test_graph_csv_defuses_formula_cells(hostile_db, tmp_path):
    folder = tmp_path / "csv"
    assert export(hostile_db, folder, "--format", "csv") == 0
    cells = [cell for name in ("nodes.csv", "edges.csv")
             for row in csv.reader((folder / name).open(encoding="utf-8")) for cell in row]
    assert "'" + FORMULA in cells and "'@SUM(1+1)" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_dashboard_csv_downloads_use_the_same_defence():
    import pandas as pd

    from dashboard.downloads import to_csv

    rows = list(csv.reader(to_csv(pd.DataFrame({"name": [FORMULA, "-1+2", "Acme"]})).splitlines()))
    assert rows[1:] == [["'" + FORMULA], ["'-1+2"], ["Acme"]]


def test_a_failed_export_leaves_the_earlier_file_whole(hostile_db, tmp_path, monkeypatch):
    target = tmp_path / "g.graphml"
    assert export(hostile_db, target) == 0
    before = target.read_bytes()

    def breaks_halfway(graph, path, **kwargs):
        with open(path, "w", encoding="utf-8") as f:
            f.write("<?xml version='1.0'?><graphml><graph>")  # then the disk fills up
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(nx, "write_graphml", breaks_halfway)
    assert export(hostile_db, target) == 2
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []


def test_an_export_onto_a_folder_is_one_line_and_leaves_no_temporary_file(hostile_db, tmp_path, capsys):
    (tmp_path / "taken.gexf").mkdir()
    assert export(hostile_db, tmp_path / "taken.gexf") == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("incidents: error: ") and "\n" not in err and "taken.gexf" in err
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []


# --- what a reader is shown ---

def test_cli_tables_show_names_without_hidden_characters(hostile_db, capsys):
    assert main(["graph", "rank", "--db", hostile_db]) == 0
    out = capsys.readouterr().out
    assert "AcmeCorp" in out or "Acme Corp" in out
    assert not any(c in out for c in HIDDEN)


def test_digest_shows_titles_without_hidden_characters(hostile_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INCIDENTS_DIGEST_FROM", "Digest <digest@example.com>")
    out = tmp_path / "d.eml"
    assert main(["digest", "--week", "2026-W28", "--out", str(out), "--db", hostile_db]) == 0
    message = email.message_from_bytes(out.read_bytes(), policy=email.policy.default)
    text = message.get_body(("plain",)).get_content() + message.get_body(("html",)).get_content()
    assert "Acme bans Widget" in text
    assert not any(c in text for c in HIDDEN)


def test_dashboard_data_shows_titles_and_names_without_hidden_characters(hostile_db):
    from dashboard import data

    table = data.incident_table(hostile_db)
    shown = " ".join(map(str, table["title"])) + " ".join(map(str, table["who_to_whom"]))
    card = data.incident(hostile_db, table["id"][0])
    shown += " ".join(f"{f.actor} {f.target} {s.title} {s.outlet}" for f in card.facts for s in f.sources)
    assert "Acme bans Widget" in shown
    assert not any(c in shown for c in HIDDEN)
