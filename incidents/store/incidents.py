"""Incidents and which articles tell them."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from .schema import incident_articles


class IncidentStore:
    """Queries over the results of `incidents link`."""

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
