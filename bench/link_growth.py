"""How the time to link a new article grows with the store: 1,000, 10,000, 100,000 stored articles.

    python3 bench/link_growth.py [--sizes 1000,10000,100000] [--new 100] [--runs 3] [--per-day 100]
                                 [--databases sqlite,postgresql] [--graph]

A store grows by time: `--per-day` analysed articles a day (stories of one to six articles,
a main claim each from pools of 2,000 organisations and 800 products, 384-dimension vectors
that are noisy copies of the story's topic), so 100,000 articles span about 2.7 years.
The stored part is written in bulk, as `incidents extract` and `incidents link` would have
left it (their own methods go one article at a time: most of an hour at 100,000), and the
store files its incidents in its index once (`build_incident_index`, timed; on PostgreSQL
after an ANALYZE, as autovacuum would have run). Then, `--runs`
times at each size, `--new` articles of the next day (half follow-ups of stories of the last
ten days, half new stories) are stored and analysed through the store's API and linked with
`graph.link.run_link`; the figures are the median seconds per new article and how many
stored incidents the linker read. The incident graph's update is left out (it is its own
store's concern), unless `--graph`, which times it apart. On PostgreSQL (a fresh database on
$INCIDENTS_BENCH_POSTGRES, default postgresql+psycopg://postgres@127.0.0.1:5432) where the
server answers. The last line printed is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph import link as link_module  # noqa: E402
from incidents.model import EVENT_TYPES, Analysis, Article, Entity, Event  # noqa: E402
from incidents.store import Store  # noqa: E402
from incidents.store.schema import (  # noqa: E402
    article_vectors,
    articles,
    entities,
    events,
    incident_articles,
    incidents,
    meta,
    mentions,
)

DIM = 384
START = date(2023, 1, 2)
ORGS, PRODUCTS = 2000, 800
POSTGRES = os.environ.get("INCIDENTS_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
PIPELINE = "bench-1"


@dataclass
class Story:
    """One synthetic incident: who did what to whom, its topic, its articles' days and ids."""

    number: int
    kind: str
    actor: str
    target: str
    topic: np.ndarray
    day: date
    articles: list[int] = field(default_factory=list)


class Stream:
    """Stories in time order, `per_day` articles a day, and the analyses their articles get."""

    def __init__(self, per_day: int, seed: int = 0):
        self.rng = np.random.default_rng(seed)
        self.pick = random.Random(seed)
        self.per_day = per_day
        self.day, self.today = START, 0  # the day stories start on, and its articles so far
        self.stories: list[Story] = []

    def new_story(self, day: date) -> Story:
        story = Story(len(self.stories), self.pick.choice(EVENT_TYPES), f"Org {self.pick.randrange(ORGS)}",
                      f"Product {self.pick.randrange(PRODUCTS)}", self.rng.standard_normal(DIM).astype(np.float32), day)
        self.stories.append(story)
        return story

    def stories_for(self, count: int) -> list[tuple[Story, list[date]]]:
        """Whole stories of about `count` articles from the current day on, and their days."""
        told, planned = [], 0
        while planned < count:
            story = self.new_story(self.day)
            days = sorted(self.day + timedelta(days=self.pick.randrange(4)) for _ in range(self.pick.randint(1, 6)))
            told.append((story, days))
            planned += len(days)
            self.today += len(days)
            if self.today >= self.per_day:
                self.day, self.today = self.day + timedelta(days=1), 0
        return told

    def article(self, story: Story, day: date, n: int) -> tuple[Article, Analysis]:
        """An article of the story and its analysis, as the NLP stage stores them."""
        vector = story.topic + self.rng.standard_normal(DIM).astype(np.float32) * 0.9
        vector /= np.linalg.norm(vector)
        verb = story.kind.replace("_", " ")
        lead = f"{story.actor} {verb} {story.target}, people familiar with the matter said."
        article = Article(url=f"https://news.example/{story.number}/{n}-{uuid.uuid4().hex[:8]}",
                          outlet=f"Outlet {self.pick.randrange(300)}", title=f"{story.actor} and {story.target}: {verb}",
                          text=lead + " The story continues with background and reactions.", published=day.isoformat())
        analysis = Analysis(relevant=True, relevance_score=0.9,
                            entities=[Entity(story.actor, "ORG", [story.actor]),
                                      Entity(story.target, "PRODUCT", [story.target])],
                            events=[Event(type=story.kind, actor=story.actor, target=story.target, date=story.day.isoformat(),
                                          evidence=lead, date_basis="text", sentence_start=0)],
                            embedding=vector.tolist())
        return article, analysis


def grow(store: Store, stream: Stream, count: int, entity_ids: dict[str, int]) -> float:
    """Add about `count` analysed and linked articles in bulk; returns the seconds filing them took."""
    told = stream.stories_for(count)
    written = [(story, stream.article(story, day, n)) for story, days in told for n, day in enumerate(days)]
    linked_at = datetime.now(timezone.utc)
    with store.engine.begin() as conn:
        names = sorted({e.name for _, (_, a) in written for e in a.entities} - set(entity_ids))
        known = select(entities.c.name, entities.c.id).where(entities.c.name.in_(names))
        entity_ids.update((r.name, r.id) for r in conn.execute(known))  # stored by a measured run
        if set(names) - set(entity_ids):
            conn.execute(entities.insert(), [{"name": n, "type": "ORG" if n.startswith("Org") else "PRODUCT"}
                                             for n in names if n not in entity_ids])
            entity_ids.update((r.name, r.id) for r in conn.execute(known))
        ids = conn.execute(articles.insert().returning(articles.c.id, sort_by_parameter_order=True), [
            {"url": a.url, "outlet": a.outlet, "title": a.title, "text": a.text, "published": a.published,
             "content_hash": uuid.uuid4().hex, "fetched": linked_at, "analysed_version": PIPELINE, "relevant": True,
             "relevance_score": an.relevance_score, "linked_version": link_module.LINKER_VERSION}
            for _, (a, an) in written]).scalars().all()
        conn.execute(mentions.insert(), [{"article_id": i, "entity_id": entity_ids[e.name], "surface": e.name,
                                          "position": p}
                                         for i, (_, (_, an)) in zip(ids, written) for p, e in enumerate(an.entities)])
        conn.execute(events.insert(), [{"article_id": i, "type": ev.type, "actor": ev.actor, "target": ev.target,
                                        "date": ev.date, "date_basis": ev.date_basis, "evidence": ev.evidence,
                                        "stance": ev.stance, "sentence_start": ev.sentence_start}
                                       for i, (_, (_, an)) in zip(ids, written) for ev in an.events])
        conn.execute(article_vectors.insert(), [
            {"article_id": i, "vector": np.asarray(an.embedding, dtype="<f4").tobytes()}
            for i, (_, (_, an)) in zip(ids, written)])
        members: dict[int, list[tuple[int, str, np.ndarray]]] = {}
        for i, (story, (a, an)) in zip(ids, written):
            members.setdefault(story.number, []).append((i, a.published, np.asarray(an.embedding, dtype=np.float32)))
            story.articles.append(i)
        conn.execute(incidents.insert(), [_incident_row(stream.stories[n], rows, linked_at) for n, rows in members.items()])
        conn.execute(incident_articles.insert(), [{"incident_id": _incident_id(n), "article_id": i, "is_primary": True,
                                                   "score": 1.0} for n, rows in members.items() for i, _, _ in rows])
        conn.execute(meta.delete().where(meta.c.key == "incident_index"))
        conn.execute(meta.insert().values(key="incident_index", value="bench"))
    if store.engine.dialect.name == "postgresql":
        with store.engine.begin() as conn:  # what autovacuum does to a store that grew: the planner's statistics
            conn.execute(text("ANALYZE"))
    started = time.perf_counter()
    store.build_incident_index()
    return time.perf_counter() - started


def _incident_id(number: int) -> str:
    return f"bench-story-{number}"


def _incident_row(story: Story, rows, updated: datetime) -> dict:
    days = sorted(p for _, p, _ in rows)
    centroid = np.sum([v for _, _, v in rows], axis=0)
    centroid /= np.linalg.norm(centroid)
    return {"id": _incident_id(story.number), "title": f"{story.actor} {story.kind} {story.target}",
            "date": story.day.isoformat(), "main_type": story.kind, "actors": json.dumps([story.actor]),
            "targets": json.dumps([story.target]), "first_seen": days[0], "last_seen": days[-1],
            "centroid": centroid.astype("<f4").tobytes(), "updated": updated}


def link_new(store: Store, stream: Stream, count: int, graph_path: Path | None) -> dict:
    """Store and analyse `count` articles of the next day through the store's API, link them;
    seconds of the link (and of its graph update, when timed) and incidents read."""
    day = stream.day + timedelta(days=1)
    recent = [s for s in stream.stories if s.articles and (day - s.day).days <= 10]
    new = []
    for n in range(count):
        story = stream.pick.choice(recent) if n % 2 == 0 and recent else stream.new_story(day)
        new.append(stream.article(story, day, 100 + n))
    analyses = [(store.add_article(article).id, analysis) for article, analysis in new]
    store.save_analyses(analyses, PIPELINE)
    graph_seconds = [0.0]
    original = link_module.update_graph

    def graph_step(*args, **kwargs):
        if graph_path is None:
            return None
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            graph_seconds[0] += time.perf_counter() - started

    link_module.update_graph = graph_step
    try:
        started = time.perf_counter()
        summary = link_module.run_link(store, graph_path)
        seconds = time.perf_counter() - started - graph_seconds[0]
    finally:
        link_module.update_graph = original
    stream.day, stream.today = day + timedelta(days=1), 0
    assert summary.articles == count and not summary.set_aside, summary.report()
    return {"seconds": seconds, "graph_seconds": graph_seconds[0], "read": summary.incidents_read,
            "joined": len(summary.updated_incidents), "incidents": summary.total_incidents}


def measure(url: str, sizes: list[int], new: int, runs: int, per_day: int, graph_path: Path | None) -> list[dict]:
    stream, entity_ids, out = Stream(per_day), {}, []
    with Store(url) as store:
        for size in sizes:
            filing = grow(store, stream, size - store.count_articles(), entity_ids)
            stored = store.count_articles()
            results = [link_new(store, stream, new, graph_path) for _ in range(runs)]
            row = {"stored_articles": stored, "stored_incidents": results[0]["incidents"] - new,
                   "filing_s": round(filing, 2),
                   "ms_per_new_article": round(1000 * statistics.median(r["seconds"] for r in results) / new, 2),
                   "incidents_read": int(statistics.median(r["read"] for r in results)),
                   "joined_stored": int(statistics.median(r["joined"] for r in results))}
            if graph_path is not None:
                row["graph_ms_per_new_article"] = round(1000 * statistics.median(r["graph_seconds"] for r in results) / new, 2)
            print(json.dumps(row), file=sys.stderr)
            out.append(row)
    return out


@contextmanager
def database(kind: str, folder: Path):
    """A fresh store URL of this kind (None when its server does not answer), dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'growth.db'}"
        return
    try:
        import psycopg
        from sqlalchemy.engine import make_url

        server = make_url(POSTGRES)
        admin = psycopg.connect(host=server.host, port=server.port, user=server.username,
                                password=server.password, dbname="postgres", autocommit=True, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001 - no server, no driver: the figure is left out
        print(f"postgresql: left out ({exc})", file=sys.stderr)
        yield None
        return
    name = f"incidents_bench_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{POSTGRES}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="stored articles at each step, comma-separated")
    ap.add_argument("--new", type=int, default=100, help="new articles linked in each run")
    ap.add_argument("--runs", type=int, default=3, help="link runs at each size")
    ap.add_argument("--per-day", type=int, default=100, help="stored articles a day")
    ap.add_argument("--databases", default="sqlite,postgresql")
    ap.add_argument("--graph", action="store_true", help="also update the incident graph, timed apart")
    args = ap.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    result = {"new_per_run": args.new, "runs": args.runs, "per_day": args.per_day}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.databases.split(","):
            with database(kind, Path(tmp)) as url:
                if url is None:
                    result[kind] = None
                    continue
                graph_path = Path(tmp) / f"{kind}.graph.json" if args.graph else None
                started = time.perf_counter()
                result[kind] = measure(url, sizes, args.new, args.runs, args.per_day, graph_path)
                result[f"{kind}_total_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
