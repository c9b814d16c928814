"""The party gate: executive views list organisations, products, people and governments that
take part in a fact, never places, courts, outlets, documents or fragments of names."""
from __future__ import annotations

import doctest

import networkx as nx
import pytest

import incidents.parties
from graph.queries import rank
from incidents.parties import default_gate, involvement

GATE = default_gate().seeing([("Conseil d'Etat", "ORG"), ("Conseil", "ORG"), ("Corvexa", "ORG"),
                              ("Corvexa Q3", "PRODUCT")], outlets=["The Circuit Wire"])


@pytest.mark.parametrize("name, kind, roles, why", [
    ("Oslo", "ORG", {("allegation", "target")}, "a place"),  # "the Oslo start-up", typed ORG by the model
    ("Italy", "GPE", {("ban", "actor")}, None),  # a government acting is a party
    ("United States", "GPE", {("access_cutoff", "target")}, "a place"),
    ("District Court", "ORG", {("ban", "actor")}, "a court"),
    ("Digital Services Act", "PRODUCT", {("investigation", "target")}, "a document"),
    ("Law No. 5651", "ORG", {("ban", "actor")}, "a document"),
    ("The Next Web", "ORG", {("allegation", "actor")}, "an outlet"),  # reporting someone's accusation
    ("The Circuit Wire", "ORG", {("allegation", "actor")}, "an outlet"),  # an outlet of the store
    ("The New York Times", "ORG", {("lawsuit", "actor")}, None),  # an outlet that sues is a party
    ("Conseil", "ORG", {("ban", "actor")}, "a fragment"),  # cut from "Conseil d'Etat"
    ("Corvexa", "ORG", {("access_cutoff", "actor")}, None),  # its product is named after it
    ("API", "ORG", {("access_cutoff", "target")}, "a fragment"),
    ("security researchers", "ORG", {("security_finding", "actor")}, "no named party"),
    ("Claude Code", "PRODUCT", {("ban", "target")}, None),
    ("Department of Justice", "ORG", {("ban", "actor")}, None),
    ("Justice Department", "ORG", {("investigation", "actor")}, None),
    ("Supreme Court Justice", "ORG", {("lawsuit", "target")}, "a court"),
    ("Anthropic", "ORG", set(), "in no fact"),
])
def test_the_gate_tells_parties_from_the_rest(name, kind, roles, why):
    assert GATE.why_not(name, kind, roles) == why


def test_involvement_counts_incidents_per_party_and_leaves_the_rest_out():
    rows = [{"incident_id": "a", "name": "Corvexa", "role": "actor", "event_type": "access_cutoff", "entity_type": "ORG"},
            {"incident_id": "b", "name": "Corvexa", "role": "target", "event_type": "lawsuit", "entity_type": "ORG"},
            {"incident_id": "a", "name": "Oslo", "role": "target", "event_type": "allegation", "entity_type": "ORG"},
            {"incident_id": "a", "name": "Corvexa Q3", "role": "target", "event_type": "ban", "entity_type": "PRODUCT"}]
    found = involvement(rows, GATE, ("ORG",))
    assert {n: sorted(p.incidents) for n, p in found.items()} == {"Corvexa": ["a", "b"]}


def test_graph_rank_leaves_out_places_and_outlets_unless_asked():
    graph = nx.MultiDiGraph()
    for name, kind, entity_type in [("Corvexa", "organisation", "ORG"), ("Fjellbyte Labs", "organisation", "ORG"),
                                    ("Oslo", "country", "GPE")]:
        graph.add_node(name, kind=kind, entity_type=entity_type)
    graph.add_node("incident:x", kind="incident")
    graph.add_edge("Corvexa", "incident:x", type="actor_in", event_type="allegation", articles=[1, 2])
    graph.add_edge("Fjellbyte Labs", "incident:x", type="target_of", event_type="allegation", articles=[1])
    graph.add_edge("Oslo", "incident:x", type="target_of", event_type="allegation", articles=[2])
    assert [r["name"] for r in rank(graph)] == ["Corvexa", "Fjellbyte Labs"]  # more articles first on a tie
    assert "Oslo" in [r["name"] for r in rank(graph, everyone=True)]


def test_examples_in_the_docstring_run():
    result = doctest.testmod(incidents.parties)
    assert result.attempted > 0 and result.failed == 0
