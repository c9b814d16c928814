"""The incident graph: building, saving, queries, exports and `incidents graph` commands."""
from __future__ import annotations

import csv
import doctest
import json
import subprocess
import sys

import networkx as nx
import pytest
from conftest import add_stories
from test_link import ALIBABA_1, ALIBABA_2, AUSTRALIA, SOUTH_KOREA, WINDSURF

from graph import queries
from graph.build import load_graph, open_graph, rebuild_graph
from graph.export import export_graph
from graph.link import run_link
from graph.resolve import UnknownEntity
from incidents.app.cli import main
from incidents.errors import IncidentsError
from incidents.model import Incident

SAMSUNG = {
    "title": "Samsung bans staff from using ChatGPT after a code leak",
    "lead": "Samsung has banned its employees from using generative AI tools such as ChatGPT after "
            "engineers uploaded sensitive source code to the chatbot.",
    "published": "2023-05-02", "outlet": "Example Wire",
    "entities": [("Samsung", "ORG"), ("ChatGPT", "PRODUCT", "OpenAI"), ("OpenAI", "ORG")],
    "events": [("ban", "Samsung", "ChatGPT", "2023-05-01")],
}


@pytest.fixture
def linked(store, sentence_embedder):
    """A store with five incidents linked, and its graph."""
    add_stories(store, sentence_embedder, {"a1": ALIBABA_1, "a2": ALIBABA_2, "au": AUSTRALIA,
                                           "kr": SOUTH_KOREA, "w": WINDSURF, "s": SAMSUNG})
    summary = run_link(store)
    return store, summary


def test_link_saves_the_graph_in_the_store_with_typed_nodes_and_edges(linked, tmp_path):
    store, summary = linked
    assert summary.graph_path is None and list(tmp_path.glob("*.json")) == []  # no file beside the store
    graph = load_graph(store)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (summary.graph_nodes, summary.graph_edges)
    kinds = dict(graph.nodes(data="kind"))
    assert kinds["Alibaba"] == "organisation" and kinds["Claude Code"] == "product"
    assert kinds["Australia"] == "country" and kinds["incident:alibaba-bans-claude-code-2026-07"] == "incident"
    types = {(u, v, a["type"]) for u, v, a in graph.edges(data=True)}
    assert ("Alibaba", "incident:alibaba-bans-claude-code-2026-07", "actor_in") in types
    assert ("Claude Code", "incident:alibaba-bans-claude-code-2026-07", "target_of") in types
    assert ("Claude Code", "Anthropic", "made_by") in types
    assert any(t == "reported_by" and u.startswith("incident:") and v.startswith("article:") for u, v, t in types)
    assert any(t == "mentioned_in" and u == "Samsung" for u, v, t in types)
    ban = graph.get_edge_data("Alibaba", "incident:alibaba-bans-claude-code-2026-07")["actor_in:ban:Claude Code:2026-07-10"]
    assert ban["date"] == "2026-07-10" and ban["evidence"] == "Alibaba ban Claude Code."


def test_the_graph_is_updated_incrementally_and_reopened_when_current(linked, sentence_embedder):
    store, summary = linked
    add_stories(store, sentence_embedder, {"kr2": {**SOUTH_KOREA, "title": "Seoul halts DeepSeek downloads",
                                                   "published": "2025-02-16", "outlet": "Korea Herald"}})
    run_link(store)
    graph = load_graph(store)
    assert graph.number_of_nodes() == summary.graph_nodes + 1  # the new article; its entities were there
    rebuilt = rebuild_graph(store)
    assert set(rebuilt.edges(keys=True)) == set(graph.edges(keys=True))
    reported = [v for _, v, t in graph.out_edges("incident:south-korea-bans-deepseek-2025-02", data="type")
                if t == "reported_by"]
    assert len(reported) == 2
    assert open_graph(store).number_of_edges() == graph.number_of_edges()


def test_only_link_writes_the_graph_a_reader_says_when_it_is_behind(linked, capsys):
    store, summary = linked
    saved = store.saved_graph()
    store.save_incident(Incident("late-incident", "Acme bans Widget", "2026-07-01", "ban", ["Acme"], ["Widget"]), [])
    graph = open_graph(store)
    assert graph.graph["stale"] and "incident:late-incident" not in graph
    assert store.saved_graph() == saved  # the reader wrote nothing
    assert main(["graph", "rank", "--db", store.url]) == 0
    assert "run `incidents link`" in capsys.readouterr().err
    run_link(store)
    assert not open_graph(store).graph["stale"]


def test_a_graph_linked_by_one_process_is_read_by_another(store, sentence_embedder):
    add_stories(store, sentence_embedder, {"a1": ALIBABA_1, "a2": ALIBABA_2, "w": WINDSURF})
    linker = subprocess.run([sys.executable, "-m", "incidents.app.cli", "link", "--db", store.url],
                            capture_output=True, text=True, timeout=300)
    assert linker.returncode == 0, linker.stderr
    assert "edges in the store" in linker.stdout
    reader = subprocess.run([sys.executable, "-m", "incidents.app.cli", "graph", "rank", "--json", "--db", store.url],
                            capture_output=True, text=True, timeout=300)
    assert reader.returncode == 0, reader.stderr
    assert "run `incidents link`" not in reader.stderr  # the graph the other process saved, current
    graph = load_graph(store)
    assert not open_graph(store).graph["stale"] and "incident:anthropic-cuts-off-windsurf-2025-06" in graph
    assert json.loads(reader.stdout) == queries.rank(graph)


def test_the_graph_path_setting_exports_the_saved_graph_to_a_file(store, sentence_embedder, tmp_path):
    add_stories(store, sentence_embedder, {"a1": ALIBABA_1, "w": WINDSURF})
    summary = run_link(store, tmp_path / "graph.json")
    assert summary.graph_path == tmp_path / "graph.json"
    exported = nx.node_link_graph(json.loads(summary.graph_path.read_text()), directed=True, multigraph=True,
                                  edges="edges")
    assert set(exported.edges(keys=True)) == set(load_graph(store).edges(keys=True))


def test_neighbours_within_k_hops_with_filters(linked):
    graph = open_graph(linked[0])
    near = queries.neighbours(graph, "DeepSeek", k=2, node_types=["country"])
    assert [n["name"] for n in near] == ["Australia", "South Korea"]
    assert queries.neighbours(graph, "DeepSeek", k=2, node_types=["country"], start="2025-02-10") == \
        [{"name": "South Korea", "kind": "country", "label": "South Korea", "distance": 2}]
    assert queries.neighbours(graph, "DeepSeek", k=2, node_types=["country"], event_types=["fine"]) == []
    one_hop = {n["name"] for n in queries.neighbours(graph, "Alibaba")}
    assert one_hop == {"incident:alibaba-bans-claude-code-2026-07"}
    with_articles = {n["kind"] for n in queries.neighbours(graph, "Alibaba", include_articles=True)}
    assert "article" in with_articles


def test_paths_between_two_entities_name_the_incidents_on_them(linked):
    graph = open_graph(linked[0])
    [path] = queries.paths(graph, "Alibaba", "Anthropic")
    assert path["nodes"][0] == "Alibaba" and path["nodes"][-1] == "Anthropic"
    assert [i["incident"] for i in path["incidents"]] == ["alibaba-bans-claude-code-2026-07"]
    assert queries.paths(graph, "Samsung", "Windsurf") == []


def test_timeline_between_and_actions(linked):
    graph = open_graph(linked[0])
    line = queries.timeline(graph, "Alibaba")
    assert [(e["date"], e["event_type"], e["role"]) for e in line] == \
        [("2026-06", "allegation", "target"), ("2026-07-10", "ban", "actor")]
    assert queries.timeline(graph, "Alibaba", start="2026-07") == line[1:]
    [shared] = queries.between(graph, "Anthropic", "Windsurf")
    assert shared["incident"] == "anthropic-cuts-off-windsurf-2025-06"
    assert shared["roles"] == {"Anthropic": ["actor in access_cutoff"], "Windsurf": ["target of access_cutoff"]}
    bans = queries.actions(graph, "Anthropic", "ban")
    assert [(a["actor"], a["target"], a["date"]) for a in bans] == [("Alibaba", "Claude Code", "2026-07-10")]
    assert queries.actions(graph, "OpenAI", "ban")[0]["actor"] == "Samsung"
    assert queries.actions(graph, "OpenAI", "ban", end="2022-12") == []


def test_rank_by_involvement_and_centrality_over_a_period(linked):
    graph = open_graph(linked[0])
    top = queries.rank(graph, top=3)
    # a tie in incidents goes to the main party of more of them: DeepSeek is banned in both of its own
    assert [(r["name"], r["score"]) for r in top[:2]] == [("DeepSeek", 2.0), ("Anthropic", 2.0)]
    assert top[1] == {"name": "Anthropic", "kind": "organisation", "score": 2.0, "incidents": 2, "articles": 2}
    in_2025 = queries.rank(graph, start="2025-01", end="2025-12", node_types=["country"])
    assert {r["name"] for r in in_2025} == {"Australia", "South Korea"}
    for by in ("degree", "betweenness", "pagerank"):
        ranked = queries.rank(graph, by=by, top=50)
        assert ranked == sorted(ranked, key=lambda r: -r["score"]) and ranked[0]["score"] > 0
    with pytest.raises(IncidentsError, match="unknown ranking"):
        queries.rank(graph, by="fame")


def test_unknown_names_raise_a_project_error_with_close_names(linked):
    graph = open_graph(linked[0])
    with pytest.raises(UnknownEntity) as caught:
        queries.timeline(graph, "Alibba")
    assert isinstance(caught.value, IncidentsError) and "Alibaba" in caught.value.suggestions
    assert queries.timeline(graph, "alibaba") == queries.timeline(graph, "Alibaba")  # case forgiven
    with pytest.raises(UnknownEntity, match="unknown incident"):
        queries.incident_story(graph, "no-such-incident")


def test_exports_read_back(linked, tmp_path):
    graph = open_graph(linked[0])
    back = nx.read_graphml(export_graph(graph, tmp_path / "g.graphml"))
    assert back.number_of_nodes() == graph.number_of_nodes() and back.number_of_edges() == graph.number_of_edges()
    assert back.nodes["Claude Code"]["kind"] == "product"
    gexf = nx.read_gexf(export_graph(graph, tmp_path / "g.gexf"))
    assert gexf.number_of_nodes() == graph.number_of_nodes()
    data = json.loads(export_graph(graph, tmp_path / "g.json").read_text())
    assert len(nx.node_link_graph(data, edges="edges")) == graph.number_of_nodes()
    folder = export_graph(graph, tmp_path / "csv", "csv")
    with open(folder / "nodes.csv", newline="") as f:
        nodes = list(csv.DictReader(f))
    with open(folder / "edges.csv", newline="") as f:
        edges = list(csv.DictReader(f))
    assert list(nodes[0])[:3] == ["id", "kind", "label"] and len(nodes) == graph.number_of_nodes()
    assert list(edges[0])[:5] == ["source", "target", "key", "type", "date"] and len(edges) == graph.number_of_edges()
    with pytest.raises(IncidentsError, match="unknown export format"):
        export_graph(graph, tmp_path / "g.xlsx")


def test_graph_commands_print_tables_json_and_one_line_errors(linked, db_url, tmp_path, capsys):
    assert main(["graph", "timeline", "Alibaba", "--db", db_url]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["date", "event_type", "role", "counterpart", "incident", "evidence"]
    assert table[2].startswith("2026-07-10  ban")
    assert main(["graph", "actions", "Anthropic", "--json", "--db", db_url]) == 0
    assert json.loads(capsys.readouterr().out)[0]["actor"] == "Alibaba"
    assert main(["graph", "neighbours", "Anthropik", "--db", db_url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "did you mean: Anthropic" in err
    assert main(["graph", "export", str(tmp_path / "out.gexf"), "--db", db_url]) == 0
    assert nx.read_gexf(tmp_path / "out.gexf").number_of_nodes() > 0
    for argv in (["paths", "Alibaba", "Anthropic"], ["rank", "--by", "pagerank"], ["between", "Alibaba", "Anthropic"],
                 ["incident", "alibaba-bans-claude-code-2026-07"], ["neighbours", "DeepSeek", "-k", "2"]):
        assert main(["graph", *argv, "--db", db_url]) == 0
        assert "alibaba" in capsys.readouterr().out.lower() or argv[0] == "neighbours"


def test_examples_in_the_graph_docstrings_run():
    import graph.example
    import graph.export
    import graph.queries
    import graph.resolve

    for module in (graph.queries, graph.resolve, graph.export, graph.example):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
