"""Incidents and which articles tell them."""
from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone

import numpy as np
from sqlalchemy import delete, select

from ..model import Incident
from .schema import incident_articles, incidents

INCIDENT_FIELDS = ("id", "title", "date", "main_type", "first_seen", "last_seen")


class IncidentStore:
    """Queries over the results of `incidents link`."""

    def save_incident(self, incident: Incident, members: Iterable[tuple[int, bool, float | None]],
                      centroid=None) -> None:
        """Create or replace an incident and its members: (article id, is primary, score)."""
        values = {f: getattr(incident, f) for f in INCIDENT_FIELDS}
        values.update(actors=json.dumps(incident.actors), targets=json.dumps(incident.targets),
                      updated=datetime.now(timezone.utc),
                      centroid=None if centroid is None else np.asarray(centroid, dtype="<f4").tobytes())
        with self.engine.begin() as conn:
            conn.execute(delete(incident_articles).where(incident_articles.c.incident_id == incident.id))
            conn.execute(delete(incidents).where(incidents.c.id == incident.id))
            conn.execute(incidents.insert().values(**values))
            rows = [{"incident_id": incident.id, "article_id": a, "is_primary": p, "score": s}
                    for a, p, s in members]
            if rows:
                conn.execute(incident_articles.insert(), rows)

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
