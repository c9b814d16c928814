"""`incidents export --incidents FILE`: one row per incident with its facts, parties, dates
and sources, for BI tools and spreadsheets; JSON lines, or CSV when FILE ends in .csv.

A fact is one (type, actor, target, date) of the incident, however many articles state it,
with the sentence of the first and every source URL. CSV cells pass through `csv_cell`, so a
title that starts with = + - @ is text in a spreadsheet, never a formula.
"""
from __future__ import annotations

import csv
import json

from .export import open_output
from .webtext import csv_cell

CSV_COLUMNS = ("id", "title", "date", "main_type", "first_seen", "last_seen", "actors", "targets", "event_types",
               "facts", "outlets", "article_count", "sources")


def incident_rows(store):
    """Each incident, oldest first, as a JSON-ready row."""
    summaries = sorted(store.incident_summaries(), key=lambda s: (s["date"] or s["first_seen"] or "", s["id"]))
    for summary in summaries:
        articles = store.incident_articles_listed(summary["id"])
        yield {
            **{k: summary[k] for k in ("id", "title", "date", "main_type", "first_seen", "last_seen", "actors",
                                       "targets", "event_types", "outlets", "article_count")},
            "facts": facts_of(store.incident_events(summary["id"])),
            "sources": [{k: a[k] for k in ("url", "outlet", "title", "published")} | {"primary": bool(a["is_primary"])}
                        for a in articles],
        }


def facts_of(events: list[dict]) -> list[dict]:
    """The incident's events, one per (type, actor, target, date), in the order given."""
    found: dict[tuple, dict] = {}
    for e in events:
        key = (e["type"], e["actor"], e["target"], e["date"])
        fact = found.setdefault(key, {"type": e["type"], "actor": e["actor"], "target": e["target"],
                                      "date": e["date"], "stance": e["stance"], "evidence": e["evidence"],
                                      "sources": []})
        if e["url"] not in fact["sources"]:
            fact["sources"].append(e["url"])
    return list(found.values())


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
