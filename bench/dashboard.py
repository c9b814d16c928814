"""Time to first full render of the dashboard's Briefing and Timeline pages with 10,000 incidents.

Builds a synthetic store (two years of incidents among 200 companies, 20 outlets) in a
temporary folder, then runs each page with Streamlit's AppTest, first with every cache
empty (what the first reader after a restart waits for) and then warm (every later
reader). Prints one line per measurement and, last, one JSON object.

    python3 bench/dashboard.py [--incidents 10000] [--keep DIR]

With `--screenshot FILE.png` it instead serves the dashboard on 127.0.0.1 over the store
`--db URL` (e.g. after `incidents demo --no-dashboard`), opens `--page` in headless
Chromium and saves what it shows (the README's docs/dashboard.png is made this way).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

# This file is named like the `dashboard` package it measures: keep its own folder off the
# import path, or `import dashboard` would find this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

AIM_SECONDS = 2.0
APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
ESCALATING_OR_NOT = ("ban", "access_cutoff", "allegation", "lawsuit", "investigation", "security_finding",
                     "breach", "fine", "settlement", "ban_lifted")


def build_store(url: str, incidents: int, seed: int = 7) -> dict:
    """A store of `incidents` incidents of 1-3 articles each, spread over the two years before today."""
    from incidents.model import Analysis, Article, Entity, Event, Incident
    from incidents.store import Store

    rng = random.Random(seed)
    companies = [f"Company {n:03d}" for n in range(200)]
    products = [(f"Product {n:03d}", companies[n % 200]) for n in range(100)]
    outlets = [f"Outlet {n:02d}" for n in range(20)]
    start = date.today() - timedelta(days=730)
    articles = 0
    with Store(url) as store:
        analyses, planned = [], []
        for n in range(incidents):
            day = start + timedelta(days=rng.randrange(730))
            kind = rng.choice(ESCALATING_OR_NOT)
            actor = rng.choice(companies)
            others = [c for c in rng.sample(companies, 2) if c != actor]
            target_name, vendor = rng.choice(products) if rng.random() < 0.4 else (others[0], None)
            members = []
            for k in range(rng.randint(1, 3)):
                published = (day + timedelta(days=rng.randrange(0, 20) if k else 0)).isoformat()
                stored = store.add_article(Article(url=f"https://news{n % 20}.example/{n}/{k}",
                                                   outlet=rng.choice(outlets),
                                                   title=f"{actor} {kind.replace('_', ' ')} {target_name} ({n}.{k})",
                                                   text=f"{actor} and {target_name}.", published=published))
                events = [Event(type=kind if k == 0 else rng.choice(ESCALATING_OR_NOT), actor=actor, target=target_name,
                                date=(day + timedelta(days=rng.randrange(0, 30))).isoformat(),
                                evidence=f"{actor} {kind} {target_name}.")]
                ents = [Entity(actor, "ORG", [actor]), Entity(target_name, "PRODUCT" if vendor else "ORG",
                                                              [target_name], vendor=vendor)]
                analyses.append((stored.id, Analysis(relevant=True, relevance_score=0.9, entities=ents, events=events)))
                members.append((stored.id, published))
                articles += 1
            planned.append((Incident(f"incident-{n:05d}", f"{actor} {kind.replace('_', ' ')} {target_name}",
                                     day.isoformat(), kind, [actor], [target_name],
                                     first_seen=min(p for _, p in members), last_seen=max(p for _, p in members)),
                            [(a, True, 1.0) for a, _ in members]))
        store.save_analyses(analyses, "bench")
        # one write, as a link run makes it (each incident's outline worked out in batches)
        store.save_link([(incident, members, None) for incident, members in planned], [], [], "bench")
    return {"incidents": incidents, "articles": articles}


def time_page(page: str | None, query: dict, cold: bool) -> float:
    """Seconds for one full script run of a page; cold empties every cache first."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    if cold:
        st.cache_data.clear()
        st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=300)
    if page:
        at.switch_page(page)
    at.query_params.update(query)
    began = time.perf_counter()
    at.run()
    took = time.perf_counter() - began
    if at.exception:
        raise SystemExit(f"{page or 'briefing'}: {at.exception[0].message}")
    return took


def screenshot(db_url: str, page: str, expect: list[str], out: Path, height: int) -> None:
    """Serve the dashboard over `db_url`, open `page` in headless Chromium, save a PNG."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from test_browser import Chromium, free_port, serve  # the browser test's own driver

    port = free_port()
    server = serve(db_url, port)
    browser = Chromium(1400, height)
    try:
        browser.open(f"http://127.0.0.1:{port}{page}", expect, timeout=120)
        browser.screenshot(out)
    finally:
        browser.close()
        server.terminate()
        server.wait(timeout=15)
    print(json.dumps({"screenshot": str(out), "page": page, "bytes": out.stat().st_size}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--keep", metavar="DIR", help="build (or reuse) the store in DIR instead of a temporary folder")
    parser.add_argument("--screenshot", metavar="FILE.png", type=Path, help="save a screenshot instead of timing")
    parser.add_argument("--db", metavar="URL", help="store to photograph (default: $INCIDENTS_DB)")
    parser.add_argument("--page", default="/", help="page and query to photograph (default: the Briefing)")
    parser.add_argument("--expect", action="append", default=[], metavar="TEXT",
                        help="text that must be on the page before the picture is taken (repeatable)")
    parser.add_argument("--height", type=int, default=1500, help="window height in pixels")
    args = parser.parse_args(argv)
    if args.screenshot:
        screenshot(args.db or os.environ["INCIDENTS_DB"], args.page, args.expect or ["Briefing"], args.screenshot,
                   args.height)
        return 0

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    folder.mkdir(parents=True, exist_ok=True)
    db_file = folder / f"dashboard-{args.incidents}.db"
    url = f"sqlite:///{db_file}"
    began = time.perf_counter()
    if db_file.exists() and args.keep:
        from incidents.store import Store
        with Store(url) as store:
            sizes = {"incidents": store.count_incidents(), "articles": store.count_articles()}
    else:
        sizes = build_store(url, args.incidents)
    print(f"store: {sizes['incidents']:,} incidents, {sizes['articles']:,} articles "
          f"({time.perf_counter() - began:.1f} s to build)", file=sys.stderr)

    os.environ["INCIDENTS_DB"] = url
    from dashboard.briefing import last_complete_week
    week = str(last_complete_week())
    result = {"incidents": sizes["incidents"], "articles": sizes["articles"], "week": week, "aim_s": AIM_SECONDS}
    for name, page, query in (("briefing", None, {"week": week}), ("timeline", "app_pages/timeline.py", {})):
        for state in ("cold", "warm"):
            took = time_page(page, query, cold=state == "cold")
            result[f"{name}_{state}_s"] = round(took, 3)
            print(f"{name} {state}: {took:.2f} s", file=sys.stderr)
    result["within_aim"] = all(result[f"{n}_cold_s"] < AIM_SECONDS for n in ("briefing", "timeline"))
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
