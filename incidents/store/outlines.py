"""Each incident's outline: who reported it and what its card says (`incidents.outline`),
worked out when the incident is written and kept with it (column `incidents.outline`, JSON).

A listing of every incident (the dashboard's Timeline, Company and Search pages) reads one
row an incident instead of consolidating every article's events again. The outline is
rewritten with the incident, in the same transaction, whoever writes it (a link run, a
relink, a correction's re-description), so it is never behind the incident. A store upgraded
to revision 0013 is marked in `meta`; its next `incidents link` outlines every incident
once, and readers work out the missing ones until then (never writing them).
"""
from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import bindparam, select, update

from ..facts import consolidate
from ..outline import Outline
from .briefing import SUMMARY_FIELDS, in_chunks, read_mentions, read_summaries
from .schema import incidents
from .upgrades import redo_every_incident_once

OUTLINE_FLAG = "incident_outline"
"""`meta` key revision 0013 sets when the stored incidents have no outline yet (the next link writes them)."""

REPORTING_FIELDS = ("outlets", "copy_outlets", "copies", "article_count")
"""Who reported an incident, as `BriefingStore.incident_summaries` gives it, kept in the outline too."""


class OutlineStore:
    """Reads the stored outlines; writes them once after an upgrade."""

    def incident_outlines(self) -> list[dict]:
        """Every incident as a listing shows it: the fields `incident_summaries` gives
        (`SUMMARY_FIELDS`, `actors`, `targets`, `REPORTING_FIELDS`) and what its card says
        (`incidents.outline.OUTLINE_FIELDS`), in the store's order."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(*(incidents.c[f] for f in SUMMARY_FIELDS), incidents.c.actors,
                                       incidents.c.targets, incidents.c.outline)).all()
            missing = outlines_of(conn, [r.id for r in rows if r.outline is None])
        found = []
        for *fields, actors, targets, stored in rows:  # by position: a row's mapping costs more than its JSON
            outline = missing[fields[0]] if stored is None else json.loads(stored)
            outline["effective"] = [tuple(pair) for pair in outline["effective"]]
            found.append({**dict(zip(SUMMARY_FIELDS, fields)), "actors": json.loads(actors),
                          "targets": json.loads(targets), **outline})
        return found

    def build_incident_outlines(self) -> int:
        """Outline every stored incident when a revision asked for it (once, after an upgrade);
        returns how many were outlined."""
        return redo_every_incident_once(self.engine, OUTLINE_FLAG, outline_incidents)


def outlines_of(conn, incident_ids: Iterable[str]) -> dict[str, dict]:
    """The outline of each of these incidents, worked out from its stored row, members and
    their events: `REPORTING_FIELDS` and `OUTLINE_FIELDS`, JSON-ready."""
    found: dict[str, dict] = {}
    for chunk in in_chunks(list(dict.fromkeys(incident_ids))):
        mentions = read_mentions(conn, chunk)
        for s in read_summaries(conn, chunk):
            facts = consolidate(mentions.get(s["id"], []))
            found[s["id"]] = {**{f: s[f] for f in REPORTING_FIELDS},
                              **Outline(s["title"], s["main_type"], s["actors"], s["targets"], facts).as_dict()}
    return found


def outline_incidents(conn, incident_ids: Iterable[str]) -> None:
    """(Re)write the outline of these incidents (called wherever incidents are written)."""
    rows = [{"outlined_id": i, "outline_json": json.dumps(o, ensure_ascii=False)}
            for i, o in outlines_of(conn, incident_ids).items()]
    if rows:
        conn.execute(update(incidents).where(incidents.c.id == bindparam("outlined_id"))
                     .values(outline=bindparam("outline_json")), rows)
