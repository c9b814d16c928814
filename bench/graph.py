"""Benchmark of the link stage: clustering synthetic articles, and query latency on a big graph.

    python3 bench/graph.py [--articles 10000] [--nodes 100000] [--queries 50]

Articles are synthetic but shaped like real ones: each incident has a random topic
vector, one to six articles whose title-and-lead vectors are noisy copies of it, a main
claim (actor, type, target) from pools of 2,000 organisations and 800 products, and dates
over two years. The graph has the node and edge types of `graph/build.py`. The last line
printed is one JSON object with every figure.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph import queries  # noqa: E402
from graph.claims import ArticleView, Claim  # noqa: E402
from graph.cluster import Clusterer, sort_key  # noqa: E402
from incidents.model import EVENT_TYPES  # noqa: E402

DIM = 384
START = date(2025, 1, 1)


def synthetic_articles(n: int, seed: int = 0) -> tuple[list[ArticleView], dict[int, int]]:
    """Articles and the true incident of each."""
    rng = np.random.default_rng(seed)
    pick = random.Random(seed)
    views, truth, incident = [], {}, 0
    while len(views) < n:
        topic = rng.standard_normal(DIM).astype(np.float32)
        actor, target = f"org {pick.randrange(2000)}", f"product {pick.randrange(800)}"
        kind = pick.choice(EVENT_TYPES)
        day = START + timedelta(days=pick.randrange(730))
        for _ in range(min(pick.randint(1, 6), n - len(views))):
            vector = topic + rng.standard_normal(DIM).astype(np.float32) * 0.9
            vector /= np.linalg.norm(vector)
            published = day + timedelta(days=pick.randrange(5))
            claim = Claim(kind, actor, target, day.isoformat(), actor, target, "", main=True)
            views.append(ArticleView(id=len(views) + 1, published=published, outlet=f"outlet {pick.randrange(50)}",
                                     title="", vector=vector, claims=[claim], entity_keys={actor, target},
                                     title_keys={actor, target}))
            truth[len(views)] = incident
        incident += 1
    return views, truth


def bcubed_f1(truth: dict[int, int], predicted: dict[int, str]) -> float:
    gold, pred = {}, {}
    for a in truth:
        gold.setdefault(truth[a], set()).add(a)
        pred.setdefault(predicted[a], set()).add(a)
    p = statistics.fmean(len(pred[predicted[a]] & gold[truth[a]]) / len(pred[predicted[a]]) for a in truth)
    r = statistics.fmean(len(pred[predicted[a]] & gold[truth[a]]) / len(gold[truth[a]]) for a in truth)
    return 2 * p * r / (p + r)


def bench_clustering(n: int) -> dict:
    views, truth = synthetic_articles(n)
    tracemalloc.start()
    started = time.perf_counter()
    clusterer = Clusterer()
    primary = {v.id: clusterer.add(v)[0] for v in sorted(views, key=sort_key)}
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"articles": n, "incidents": len(clusterer.states), "true_incidents": len(set(truth.values())),
            "cluster_seconds": round(seconds, 2), "articles_per_second": round(n / seconds, 1),
            "cluster_peak_mb": round(peak / 2**20, 1), "synthetic_bcubed_f1": round(bcubed_f1(truth, primary), 4)}


def synthetic_graph(nodes: int, seed: int = 1) -> nx.MultiDiGraph:
    """About `nodes` nodes: 15% entities, 25% incidents, 60% articles, typed as in graph/build.py."""
    pick = random.Random(seed)
    graph = nx.MultiDiGraph()
    n_entities, n_incidents = nodes * 15 // 100, nodes * 25 // 100
    n_articles = nodes - n_entities - n_incidents
    kinds = ("organisation", "organisation", "product", "person", "country")
    entities = [f"entity {i}" for i in range(n_entities)]
    for name in entities:
        graph.add_node(name, kind=pick.choice(kinds), label=name, aliases=[])
    orgs = [e for e in entities if graph.nodes[e]["kind"] == "organisation"]
    for e in entities:
        if graph.nodes[e]["kind"] == "product":
            graph.add_edge(e, pick.choice(orgs), key="made_by", type="made_by", date=None)
    for i in range(n_articles):
        day = (START + timedelta(days=pick.randrange(730))).isoformat()
        graph.add_node(f"article:{i}", kind="article", label=f"article {i}", published=day)
        for e in pick.sample(entities, 4):
            graph.add_edge(e, f"article:{i}", key="mentioned_in", type="mentioned_in", date=day)
    for i in range(n_incidents):
        node = f"incident:{i}"
        day = (START + timedelta(days=pick.randrange(730))).isoformat()
        graph.add_node(node, kind="incident", label=f"incident {i}", date=day)
        for a in pick.sample(range(n_articles), 2):
            graph.add_edge(node, f"article:{a}", key="reported_by", type="reported_by", date=day)
        for _ in range(pick.randint(1, 3)):
            actor, target, kind = pick.choice(entities), pick.choice(entities), pick.choice(EVENT_TYPES)
            attrs = {"event_type": kind, "date": day, "evidence": "", "article": 0}
            graph.add_edge(actor, node, key=f"actor_in:{kind}:{target}", type="actor_in", counterpart=target, **attrs)
            graph.add_edge(target, node, key=f"target_of:{kind}:{actor}", type="target_of", counterpart=actor, **attrs)
    return graph


def latency(fn, args_list) -> dict:
    times = []
    for args in args_list:
        started = time.perf_counter()
        fn(*args)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2)}


def bench_queries(nodes: int, count: int) -> dict:
    started = time.perf_counter()
    graph = synthetic_graph(nodes)
    built = time.perf_counter() - started
    pick = random.Random(2)
    entities = [n for n, k in graph.nodes(data="kind") if k not in ("incident", "article")]
    orgs = [n for n in entities if graph.nodes[n]["kind"] == "organisation"]
    names = [pick.choice(entities) for _ in range(count)]
    pairs = [(pick.choice(entities), pick.choice(entities)) for _ in range(count)]
    g = graph
    out = {"graph_nodes": g.number_of_nodes(), "graph_edges": g.number_of_edges(), "graph_build_seconds": round(built, 1)}
    out["neighbours_k2"] = latency(lambda n: queries.neighbours(g, n, k=2), [(n,) for n in names])
    out["paths"] = latency(lambda a, b: queries.paths(g, a, b, limit=5), pairs)
    out["timeline"] = latency(lambda n: queries.timeline(g, n), [(n,) for n in names])
    out["between"] = latency(lambda a, b: queries.between(g, a, b), pairs)
    out["actions"] = latency(lambda v: queries.actions(g, v, "ban"), [(pick.choice(orgs),) for _ in range(count)])
    out["rank_involvement_year"] = latency(lambda: queries.rank(g, start="2025-01", end="2025-12"), [()] * 5)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    result = bench_clustering(args.articles)
    print(f"clustering: {result}", flush=True)
    result.update(bench_queries(args.nodes, args.queries))
    result["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
