"""What analysts' corrections cost: each correction's latency, and what the corrections in
force add to a new analysis of every article and to a relink from scratch.

Builds a synthetic store (articles of incidents among 200 companies, analysed, no
embeddings) in a temporary folder and links it; times a full `save_analyses` (what
`incidents extract` writes for a new pipeline version) and a relink from scratch without
corrections; makes corrections through `graph.correct.Corrector` as the command line does
(entity merges, fact rejections, incident merges, retitles), timing each; then times the
same full analysis and relink with all of them in force, and how much of that relink the
linker spends following them (the rest is clustering data the corrections changed: without
embeddings the synthetic store is the linker's slowest case). Prints one JSON object.

    python3 bench/corrections.py [--articles 2000] [--corrections 40]
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TYPES = ("ban", "access_cutoff", "allegation", "lawsuit", "investigation", "security_finding", "fine")


def build(store, articles: int, seed: int = 11) -> list[tuple[int, object]]:
    """Stories of 1-3 articles each over two years; returns the analyses as stored."""
    from incidents.model import Analysis, Article, Entity, Event

    rng = random.Random(seed)
    companies = [f"Company {n:03d}" for n in range(200)]
    start = date(2025, 1, 1)
    analyses, n = [], 0
    while len(analyses) < articles:
        day = start + timedelta(days=rng.randrange(700))
        kind, actor, target = rng.choice(TYPES), *rng.sample(companies, 2)
        for k in range(rng.randint(1, 3)):
            title = f"{actor} {kind.replace('_', ' ')} {target} ({n}.{k})"
            evidence = f"{actor} {kind.replace('_', ' ')} {target}."
            stored = store.add_article(Article(url=f"https://news.example/{n}/{k}", outlet=f"Outlet {k}", title=title,
                                               text=f"{evidence} More.", published=(day + timedelta(days=k)).isoformat()))
            analyses.append((stored.id, Analysis(
                relevant=True, relevance_score=0.9,
                entities=[Entity(actor, "ORG", [actor]), Entity(target, "ORG", [target])],
                events=[Event(type=kind, actor=actor, target=target, date=day.isoformat(), evidence=evidence,
                              date_basis="text", sentence_start=0)])))
        n += 1
    store.save_analyses(analyses[:articles], "bench-1")
    return analyses[:articles]


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def relink_all(store, version: str) -> tuple[float, float]:
    """Seconds of a relink from scratch, and of them the seconds spent following corrections."""
    from graph import link

    spent = [0.0]

    def counted(step):
        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return step(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - started
        return run

    originals = link.follow_corrections, link.correct_new_facts
    link.follow_corrections, link.correct_new_facts = map(counted, originals)
    link.LINKER_VERSION = version
    try:
        return timed(lambda: link.run_link(store)), spent[0]
    finally:
        link.follow_corrections, link.correct_new_facts = originals


def make_corrections(store, count: int, seed: int = 5) -> dict[str, list[float]]:
    """`count` corrections of four kinds on random incidents and entities; seconds each, by kind."""
    from graph.correct import Corrector
    from incidents.facts import consolidate

    rng = random.Random(seed)
    corrector = Corrector(store, "bench")
    seconds: dict[str, list[float]] = {"entity_merge": [], "fact_reject": [], "merge": [], "retitle": []}
    companies = sorted({n for n, _ in store.entity_names_and_types()})
    for n in range(count):
        kind = list(seconds)[n % len(seconds)]
        ids = sorted(store.incident_ids())
        if kind == "entity_merge":
            name, into = rng.sample([c for c in companies if store.entity(c)], 2)
            seconds[kind].append(timed(lambda: corrector.entity_merge(name, into)))
        elif kind == "fact_reject":
            incident = rng.choice(ids)
            facts = consolidate(store.incident_mentions([incident]).get(incident, []))
            if facts:
                f = facts[0]
                seconds[kind].append(timed(lambda: corrector.fact_reject(incident, f.type, f.actor, f.target, f.date)))
        elif kind == "merge":
            source, into = rng.sample(ids, 2)
            seconds[kind].append(timed(lambda: corrector.merge(source, into)))
        else:
            incident = rng.choice(ids)
            seconds[kind].append(timed(lambda: corrector.retitle(incident, f"Retitled {n}")))
    return seconds


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--corrections", type=int, default=40)
    args = ap.parse_args(argv)

    from graph.link import run_link
    from incidents.store import Store

    with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{Path(tmp) / 'bench.db'}") as store:
        analyses = build(store, args.articles)
        first_link = timed(lambda: run_link(store))
        analyse_before = timed(lambda: store.save_analyses(analyses, "bench-2"))
        run_link(store)
        relink_before, _ = relink_all(store, "link-bench-2")
        seconds = make_corrections(store, args.corrections)
        analyse_after = timed(lambda: store.save_analyses(analyses, "bench-3"))
        run_link(store)
        relink_after, following = relink_all(store, "link-bench-3")
        every = [s for values in seconds.values() for s in values]
        result = {
            "articles": args.articles, "incidents": len(store.incident_ids()), "corrections": len(every),
            "corrected_articles": len(store.corrected_article_ids()), "first_link_s": round(first_link, 2),
            "correction_s_p50": round(statistics.median(every), 3),
            "correction_s_max": round(max(every), 3),
            "correction_s_p50_by_kind": {k: round(statistics.median(v), 3) for k, v in seconds.items() if v},
            "full_analysis_s": {"without": round(analyse_before, 2), "with": round(analyse_after, 2)},
            # the relinks differ in what they cluster too (an entity merge changes who did what)
            "relink_from_scratch_s": {"without": round(relink_before, 2), "with": round(relink_after, 2),
                                      "of_which_following_corrections": round(following, 3)},
        }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
