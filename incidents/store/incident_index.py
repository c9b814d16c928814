"""The index of incidents by what a new article could share with them, so `incidents link`
reads the few incidents an article may join instead of every incident in the store.

Each incident is filed under keys (table `incident_keys`):
    ``pair:<actor>|<target>``  a who-did-what-to-whom pair of an event of one of its articles,
                               each name reduced to `incidents.names.filing_key` (its last
                               letters), under which every other name of that party is filed
                               too ("US Navy", "U.S. Navy" and "Navy" all end "avy");
    ``week:<Monday>``          every week from its first to its last publication day;
    ``undated``                no day at all (such an incident is near every article).
An article looks up its own pairs (far back in time) and the weeks around its day (near
it); the rows found are narrowed to the exact windows by the incidents' spans. The keys are
rewritten with the incident, in the same transaction, whoever writes it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from sqlalchemy import delete, select

from ..model import iso_day
from ..names import filing_key, name_key
from .schema import events, incident_articles, incident_keys, incidents
from .upgrades import redo_every_incident_once

UNDATED = "undated"
BUILD_FLAG = "incident_index"
"""`meta` key a revision sets when the stored incidents are not filed yet (the next link files them)."""
CHUNK = 500

Pair = tuple[str, str]
Window = tuple[date, date] | None  # None: any day


def pair_key(actor: str, target: str) -> str:
    """The key of an (actor, target) pair of name keys."""
    return f"pair:{filing_key(actor)}|{filing_key(target)}"


def week_keys(first: date, last: date) -> list[str]:
    """The key of every week from `first` to `last` (weeks start on Monday)."""
    monday = first - timedelta(days=first.weekday())
    keys = []
    while monday <= last:
        keys.append(f"week:{monday.isoformat()}")
        monday += timedelta(days=7)
    return keys


def span_keys(first_seen: str | None, last_seen: str | None) -> list[str]:
    """The week keys of an incident's span of publication days, or `undated`."""
    first, last = iso_day(first_seen), iso_day(last_seen)
    if first is None or last is None:
        return [UNDATED]
    return week_keys(first, last)


@dataclass
class NearIncidents:
    """What the index found for some articles."""

    sharing: set[str] = field(default_factory=set)  # ids of incidents sharing a claim pair with one
    close: dict[str, np.ndarray | None] = field(default_factory=dict)  # near one in time: id -> centroid


class IncidentIndexStore:
    """Files incidents under their keys, and finds the ones near an article."""

    def incidents_near(self, articles: Iterable[tuple[date | None, Iterable[Pair]]],
                       near: timedelta, far: timedelta) -> NearIncidents:
        """The incidents that share a claim pair (name keys) with one of the articles and
        have a span within `far` of its day (at any time for an undated article), and those,
        with their centroids, whose span comes within `near` of an article's day or that
        have no day at all."""
        pair_windows: dict[str, set[Window]] = defaultdict(set)
        close_windows: dict[str, set[Window]] = defaultdict(set)
        close_windows[UNDATED].add(None)
        for day, pairs in articles:
            reach = None if day is None else (day - far, day + far)
            for actor, target in pairs:
                pair_windows[pair_key(actor, target)].add(reach)
            if day is not None:
                for key in week_keys(day - near, day + near):
                    close_windows[key].add((day - near, day + near))
        found = NearIncidents()
        with self.engine.connect() as conn:
            for r in _filed_under(conn, pair_windows, incidents.c.id):
                found.sharing.add(r.id)
            for r in _filed_under(conn, close_windows, incidents.c.id, incidents.c.centroid):
                found.close[r.id] = None if r.centroid is None else np.frombuffer(r.centroid, dtype="<f4")
        return found

    def build_incident_index(self) -> int:
        """File every stored incident when a revision asked for it (once, after an upgrade);
        returns how many were filed."""
        return redo_every_incident_once(self.engine, BUILD_FLAG, file_incidents)

    def incident_keys_of(self, incident_id: str) -> set[str]:
        """The keys an incident is filed under."""
        with self.engine.connect() as conn:
            return set(conn.execute(select(incident_keys.c.key)
                                    .where(incident_keys.c.incident_id == incident_id)).scalars())


def file_incidents(conn, incident_ids: Iterable[str]) -> None:
    """(Re)write the keys of these incidents from their stored span and their articles' events."""
    ids = list(dict.fromkeys(incident_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        keys: dict[str, set[str]] = {}
        for r in conn.execute(select(incidents.c.id, incidents.c.first_seen, incidents.c.last_seen)
                              .where(incidents.c.id.in_(chunk))):
            keys[r.id] = set(span_keys(r.first_seen, r.last_seen))
        for r in conn.execute(select(incident_articles.c.incident_id, events.c.actor, events.c.target).distinct()
                              .join(events, events.c.article_id == incident_articles.c.article_id)
                              .where(incident_articles.c.incident_id.in_(chunk))):
            actor, target = name_key(r.actor), name_key(r.target)
            if actor and target and r.incident_id in keys:
                keys[r.incident_id].add(pair_key(actor, target))
        conn.execute(delete(incident_keys).where(incident_keys.c.incident_id.in_(chunk)))
        rows = [{"incident_id": i, "key": k} for i, ks in keys.items() for k in sorted(ks)]
        if rows:
            conn.execute(incident_keys.insert(), rows)


def unfile_incidents(conn, incident_ids: Iterable[str] | None) -> None:
    """Drop the keys of these incidents (of all, when None)."""
    if incident_ids is None:
        conn.execute(delete(incident_keys))
        return
    ids = list(incident_ids)
    for start in range(0, len(ids), CHUNK):
        conn.execute(delete(incident_keys).where(incident_keys.c.incident_id.in_(ids[start:start + CHUNK])))


def _filed_under(conn, windows: dict[str, set[Window]], *columns):
    """Rows (the columns asked for) of the incidents filed under a key whose span meets one of
    that key's windows; an incident once."""
    keys, seen = sorted(windows), set()
    for start in range(0, len(keys), CHUNK):
        rows = conn.execute(select(incident_keys.c.key, incidents.c.first_seen, incidents.c.last_seen, *columns)
                            .join(incidents, incidents.c.id == incident_keys.c.incident_id)
                            .where(incident_keys.c.key.in_(keys[start:start + CHUNK])))
        for r in rows:
            if r.id not in seen and _within(iso_day(r.first_seen), iso_day(r.last_seen), windows[r.key]):
                seen.add(r.id)
                yield r


def _within(first: date | None, last: date | None, windows: set[Window]) -> bool:
    """Whether an incident's span meets one of the windows (an undated incident meets all)."""
    if first is None or last is None:
        return True
    return any(w is None or (last >= w[0] and first <= w[1]) for w in windows)
