"""Facts new to the store, and which alert went to whom, so no one hears of a fact twice."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from .schema import SETTLED, alerts_sent, articles, entities, events, incident_articles, incidents


class AlertStore:
    """Queries over recent events and `alerts_sent`."""

    def events_fetched_since(self, since: datetime) -> list[dict]:
        """Events not denied in articles stored since `since` and clustered into an incident,
        oldest article first, each with its article, incident, and the vendors of its parties.

        Keys: type, actor, target, date, date_basis, evidence, stance, article_id, url, outlet,
        title, published, duplicate_of, incident_id, incident_title, actor_vendor, target_vendor.
        """
        actor, target = aliased(entities), aliased(entities)
        query = (
            select(events.c.type, events.c.actor, events.c.target, events.c.date, events.c.date_basis,
                   events.c.evidence, events.c.stance, articles.c.id.label("article_id"), articles.c.url,
                   articles.c.outlet, articles.c.title, articles.c.published, articles.c.duplicate_of,
                   incidents.c.id.label("incident_id"),
                   incidents.c.title.label("incident_title"), actor.c.vendor.label("actor_vendor"),
                   target.c.vendor.label("target_vendor"))
            .join(articles, articles.c.id == events.c.article_id)
            .join(incident_articles, and_(incident_articles.c.article_id == articles.c.id,
                                          incident_articles.c.is_primary.is_(True)))
            .join(incidents, incidents.c.id == incident_articles.c.incident_id)
            .outerjoin(actor, actor.c.name == events.c.actor)
            .outerjoin(target, target.c.name == events.c.target)
            .where(articles.c.fetched >= since, events.c.stance != "denied", SETTLED)
            .order_by(articles.c.id, events.c.id)
        )
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def alerted(self, recipient: str, fact_keys: Iterable[str]) -> set[str]:
        """Which of these facts `recipient` was already alerted to."""
        keys = list(fact_keys)
        found: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(keys), 500):
                found.update(conn.execute(select(alerts_sent.c.fact_key).where(
                    alerts_sent.c.recipient == recipient, alerts_sent.c.fact_key.in_(keys[start:start + 500]))
                ).scalars())
        return found

    def record_alerts(self, recipient: str, fact_keys: Iterable[str]) -> None:
        """Remember that these facts reached `recipient`; called only once the endpoint took them."""
        now = datetime.now(timezone.utc)
        with self.engine.begin() as conn:
            for key in dict.fromkeys(fact_keys):
                try:
                    with conn.begin_nested():
                        conn.execute(alerts_sent.insert().values(fact_key=key, recipient=recipient, sent=now))
                except IntegrityError:
                    pass  # a concurrent run recorded it first: it was sent, which is what counts
