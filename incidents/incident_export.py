"""`incidents export --incidents FILE`: one row per incident with its facts, parties, dates
and sources, for BI tools and spreadsheets; JSON lines, or CSV when FILE ends in .csv.

A fact is one (type, actor, target, date) of the incident, however many articles state it
(`incidents.facts`, as every view shows them), with the sentence of the first and every
source URL, the original before a syndicated copy. CSV cells pass through `csv_cell`, so a
title that starts with = + - @ is text in a spreadsheet, never a formula.
"""
from __future__ import annotations

import csv
import json

from .export import open_output
from .facts import Fact, consolidate
from .webtext import csv_cell

CSV_COLUMNS = ("id", "title", "date", "main_type", "first_seen", "last_seen", "actors", "targets", "event_types",
               "facts", "outlets", "article_count", "sources")


def incident_rows(store):
    """Each incident, oldest first, as a JSON-ready row."""
    mentions = store.incident_mentions()
    summaries = sorted(store.incident_summaries(None, mentions), key=lambda s: (s["date"] or s["first_seen"] or "", s["id"]))
    for summary in summaries:
        articles = store.incident_articles_listed(summary["id"])
        facts = consolidate(mentions.get(summary["id"], []))
        yield {
            **{k: summary[k] for k in ("id", "title", "date", "main_type", "first_seen", "last_seen", "actors",
                                       "targets", "event_types", "outlets", "article_count")},
            "facts": [fact_row(f) for f in facts],
            "sources": [{k: a[k] for k in ("url", "outlet", "title", "published")} | {"primary": bool(a["is_primary"])}
                        for a in articles],
        }


def fact_row(fact: Fact) -> dict:
    """A fact as a row holds it: what, who to whom, when, the first sentence, every source URL."""
    urls = [u for s in fact.sources for u in [s.url, *(c.url for c in s.copies)]]
    return {"type": fact.type, "actor": fact.actor, "target": fact.target, "date": fact.date, "stance": fact.stance,
            "evidence": fact.evidence, "outlets": fact.outlets, "sources": list(dict.fromkeys(u for u in urls if u))}


def export_incidents(store, target: str) -> int:
    """Write every incident to `target` (JSON lines, CSV for *.csv, - for stdout); returns the count."""
    count = 0
    with open_output(target) as out:
        if target.lower().endswith(".csv"):
            writer = csv.writer(out)
            writer.writerow(CSV_COLUMNS)
            for row in incident_rows(store):
                writer.writerow([csv_cell(_cell(name, row[name])) for name in CSV_COLUMNS])
                count += 1
        else:
            for row in incident_rows(store):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
    return count


def _cell(name: str, value):
    """A spreadsheet cell: facts as `ban: Alibaba -> Claude Code (2026-07-10)`, sources as URLs."""
    if name == "facts":
        return [f"{f['type']}: {f['actor']} -> {f['target']}" + (f" ({f['date']})" if f["date"] else "") for f in value]
    if name == "sources":
        return [s["url"] for s in value]
    return value
