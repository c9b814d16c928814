"""Incidents and which articles tell them."""
from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone

import numpy as np
from sqlalchemy import delete, func, or_, select, update

from ..model import Incident
from .incident_index import file_incidents, unfile_incidents
from .outlines import outline_incidents
from .schema import articles, incident_articles, incidents

INCIDENT_FIELDS = ("id", "title", "date", "main_type", "first_seen", "last_seen")


class IncidentStore:
    """Queries over the results of `incidents link`."""

    def save_incident(self, incident: Incident, members: Iterable[tuple[int, bool, float | None]],
                      centroid=None) -> None:
        """Create or replace an incident and its members: (article id, is primary, score)."""
        with self.engine.begin() as conn:
            _replace_incident(conn, incident, members, centroid)
            file_incidents(conn, [incident.id])
            outline_incidents(conn, [incident.id])

    def save_link(self, changed: Iterable[tuple[Incident, list, object]], removed: Iterable[str],
                  linked: Iterable[int], version: str, *, replace_all: bool = False) -> None:
        """Write one link run in one transaction: changed incidents as (incident, members,
        centroid), removed incident ids, and the articles now linked by `version`.

        With `replace_all` every incident stored before is dropped first (a relink).
        """
        with self.engine.begin() as conn:
            if replace_all:
                unfile_incidents(conn, None)
                conn.execute(delete(incident_articles))
                conn.execute(delete(incidents))
                conn.execute(update(articles).values(linked_version=None))
            removed = list(removed)
            unfile_incidents(conn, removed)
            for incident_id in removed:
                conn.execute(delete(incident_articles).where(incident_articles.c.incident_id == incident_id))
                conn.execute(delete(incidents).where(incidents.c.id == incident_id))
            written = []
            for incident, members, centroid in changed:
                _replace_incident(conn, incident, members, centroid)
                written.append(incident.id)
            file_incidents(conn, written)
            outline_incidents(conn, written)
            ids = list(linked)
            for start in range(0, len(ids), 500):
                conn.execute(update(articles).where(articles.c.id.in_(ids[start:start + 500]))
                             .values(linked_version=version))

    def articles_to_link(self, version: str | None) -> list[int]:
        """Analysed articles not yet linked by this linker version (all when None), in id order."""
        query = select(articles.c.id).where(articles.c.analysed_version.is_not(None))
        if version is not None:
            query = query.where(or_(articles.c.linked_version.is_(None), articles.c.linked_version != version))
        with self.engine.connect() as conn:
            return list(conn.execute(query.order_by(articles.c.id)).scalars())

    def linker_versions(self) -> set[str]:
        """The linker versions that linked the stored articles."""
        with self.engine.connect() as conn:
            return set(conn.execute(select(articles.c.linked_version).distinct()
                                    .where(articles.c.linked_version.is_not(None))).scalars())

    def linked_by_another(self, version: str) -> bool:
        """Whether a stored article was linked by another linker version (two index look-ups,
        where `linker_versions` reads the whole index)."""
        column = articles.c.linked_version
        with self.engine.connect() as conn:
            return any(conn.execute(select(articles.c.id).where(other).limit(1)).first() is not None
                       for other in (column < version, column > version))

    def link_inputs(self, article_ids: Iterable[int], lead_chars: int) -> dict[int, dict]:
        """Title, lead (the first `lead_chars` of the text), publication, outlet, relevance, URL and
        the article it is a syndicated copy of."""
        ids = list(article_ids)
        out: dict[int, dict] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                rows = conn.execute(select(
                    articles.c.id, articles.c.title, func.substr(articles.c.text, 1, lead_chars).label("lead"),
                    articles.c.published, articles.c.outlet, articles.c.relevant, articles.c.url,
                    articles.c.duplicate_of,
                ).where(articles.c.id.in_(ids[start:start + 500]))).all()
                out.update({r.id: dict(r._mapping) for r in rows})
        return out

    def incident_members(self, ids: Iterable[str] | None = None) -> dict[str, list[tuple[int, bool, float | None]]]:
        """Members (article id, is primary, score) of these incidents (of all when None)."""
        query = select(incident_articles.c.incident_id, incident_articles.c.article_id,
                       incident_articles.c.is_primary, incident_articles.c.score
                       ).join(incidents, incidents.c.id == incident_articles.c.incident_id)
        if ids is not None:
            query = query.where(incidents.c.id.in_(list(ids)))
        out: dict[str, list] = {}
        with self.engine.connect() as conn:
            for r in conn.execute(query.order_by(incident_articles.c.article_id)):
                out.setdefault(r.incident_id, []).append((r.article_id, bool(r.is_primary), r.score))
        return out

    def incident_ids(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(select(incidents.c.id)).scalars())

    def incident_exists(self, incident_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(incidents.c.id).where(incidents.c.id == incident_id)).first() is not None

    def incidents_of(self, article_ids: Iterable[int]) -> set[str]:
        """Ids of the incidents any of these articles belongs to."""
        ids = list(article_ids)
        found: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                found.update(conn.execute(select(incident_articles.c.incident_id).distinct().where(
                    incident_articles.c.article_id.in_(ids[start:start + 500]))).scalars())
        return found

    def incident_stamp(self) -> str:
        """Changes whenever incidents are written: how many, and the latest update."""
        with self.engine.connect() as conn:
            count, latest = conn.execute(select(func.count(), func.max(incidents.c.updated))).one()
        return f"{count}@{latest.isoformat() if hasattr(latest, 'isoformat') else latest}"

    def load_incidents(self, ids: Iterable[str] | None = None) -> list[Incident]:
        """Incidents (all, or these ids) with their article ids, oldest first."""
        query = select(incidents).order_by(incidents.c.date, incidents.c.id)
        if ids is not None:
            query = query.where(incidents.c.id.in_(list(ids)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            members = conn.execute(select(incident_articles.c.incident_id, incident_articles.c.article_id)
                                   .order_by(incident_articles.c.article_id)).all()
        by_incident: dict[str, list[int]] = {}
        for m in members:
            by_incident.setdefault(m.incident_id, []).append(m.article_id)
        return [
            Incident(**{f: r._mapping[f] for f in INCIDENT_FIELDS},
                     actors=json.loads(r.actors), targets=json.loads(r.targets),
                     article_ids=by_incident.get(r.id, []))
            for r in rows
        ]

    def incident_centroids(self) -> dict[str, np.ndarray]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(incidents.c.id, incidents.c.centroid)
                                .where(incidents.c.centroid.is_not(None))).all()
        return {r.id: np.frombuffer(r.centroid, dtype="<f4") for r in rows}

    def primary_incidents(self, article_ids: Iterable[int]) -> dict[int, str]:
        """The incident each article is mainly about, for those clustered into one."""
        ids = list(article_ids)
        if not ids:
            return {}
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(incident_articles.c.article_id, incident_articles.c.incident_id)
                .where(incident_articles.c.article_id.in_(ids), incident_articles.c.is_primary.is_(True))
            ).all()
        return {r.article_id: r.incident_id for r in rows}


def _replace_incident(conn, incident: Incident, members, centroid) -> None:
    values = {f: getattr(incident, f) for f in INCIDENT_FIELDS}
    values.update(actors=json.dumps(incident.actors), targets=json.dumps(incident.targets),
                  updated=datetime.now(timezone.utc),
                  centroid=None if centroid is None else np.asarray(centroid, dtype="<f4").tobytes())
    conn.execute(delete(incident_articles).where(incident_articles.c.incident_id == incident.id))
    conn.execute(delete(incidents).where(incidents.c.id == incident.id))
    conn.execute(incidents.insert().values(**values))
    rows = [{"incident_id": incident.id, "article_id": a, "is_primary": p, "score": s}
            for a, p, s in members]
    if rows:
        conn.execute(incident_articles.insert(), rows)
