"""A small incident graph for documentation examples and first experiments.

Three incidents: Alibaba bans Anthropic's Claude Code (after Anthropic's distillation
allegation), Samsung bans OpenAI's ChatGPT, and Italy's Garante fines OpenAI.
"""
from __future__ import annotations

import networkx as nx

from incidents.model import Analysis, Entity, Incident

from .build import GRAPH_FORMAT, add_article, add_incident
from .describe import IncidentSummary

_ENTITIES = {
    "Alibaba": Entity("Alibaba", "ORG", ["Alibaba", "Alibaba Group"]),
    "Anthropic": Entity("Anthropic", "ORG", ["Anthropic"]),
    "Claude Code": Entity("Claude Code", "PRODUCT", ["Claude Code"], vendor="Anthropic"),
    "Samsung": Entity("Samsung", "ORG", ["Samsung"]),
    "OpenAI": Entity("OpenAI", "ORG", ["OpenAI"]),
    "ChatGPT": Entity("ChatGPT", "PRODUCT", ["ChatGPT"], vendor="OpenAI"),
    "Garante": Entity("Garante", "ORG", ["Garante", "Italian data protection authority"]),
    "Italy": Entity("Italy", "GPE", ["Italy"]),
}

_ARTICLES = [
    # id, title, outlet, published, entities
    (1, "Alibaba bans Claude Code", "Wire A", "2026-07-08", ["Alibaba", "Claude Code", "Anthropic"]),
    (2, "Alibaba orders staff off Claude Code", "Wire B", "2026-07-09", ["Alibaba", "Claude Code", "Anthropic"]),
    (3, "Samsung bars staff from ChatGPT", "Wire A", "2023-05-02", ["Samsung", "ChatGPT", "OpenAI"]),
    (4, "Italy's Garante fines OpenAI", "Wire C", "2024-12-21", ["Garante", "Italy", "OpenAI", "ChatGPT"]),
]

_INCIDENTS = [
    # id, title, date, main type, members, lifecycle (date, type, actor, target, article)
    ("alibaba-bans-claude-code-2026-07", "Alibaba bans Claude Code", "2026-06", "ban", [1, 2],
     [("2026-06", "allegation", "Anthropic", "Alibaba", 1), ("2026-07-10", "ban", "Alibaba", "Claude Code", 1)]),
    ("samsung-bans-chatgpt-2023-05", "Samsung bans ChatGPT", "2023-05-01", "ban", [3],
     [("2023-05-01", "ban", "Samsung", "ChatGPT", 3)]),
    ("garante-fines-openai-2024-12", "Garante fines OpenAI", "2024-12-20", "fine", [4],
     [("2024-12-20", "fine", "Garante", "OpenAI", 4)]),
]


def example_graph() -> nx.MultiDiGraph:
    """The example incident graph (built with the same functions as the real one).

    Examples
    --------
    >>> g = example_graph()
    >>> sorted(n for n, kind in g.nodes(data="kind") if kind == "incident")[0]
    'incident:alibaba-bans-claude-code-2026-07'
    """
    graph = nx.MultiDiGraph(format=GRAPH_FORMAT)
    for article_id, title, outlet, published, names in _ARTICLES:
        row = {"title": title, "outlet": outlet, "published": published, "url": f"https://example.invalid/{article_id}"}
        add_article(graph, article_id, row, Analysis(relevant=True, entities=[_ENTITIES[n] for n in names]))
    for incident_id, title, day, kind, members, events in _INCIDENTS:
        lifecycle = [{"date": d, "dated": True, "type": t, "actor": a, "target": x,
                      "evidence": f"{a} {t} {x}.", "article": art, "articles": [art]} for d, t, a, x, art in events]
        actors = list(dict.fromkeys(e[2] for e in events))
        targets = list(dict.fromkeys(e[3] for e in events))
        published = [p for i, _, _, p, _ in _ARTICLES if i in members]
        incident = Incident(id=incident_id, title=title, date=day, main_type=kind, actors=actors, targets=targets,
                            article_ids=members, first_seen=min(published), last_seen=max(published))
        outlets = sorted({o for i, _, o, _, _ in _ARTICLES if i in members})
        add_incident(graph, IncidentSummary(incident, outlets, lifecycle, [(m, True, 1.0) for m in members]))
    return graph
