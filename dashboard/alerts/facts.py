"""New facts and who follows them.

A fact is one (type, actor, target, date), however many articles repeat it: an alert
names it once, with the first article that stated it. A fact involves a company or
product when it is the actor or the target, or when a product of that company is.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone


@dataclass
class Fact:
    """One fact of a recent article, with the first article that states it."""

    type: str
    actor: str
    target: str
    date: str | None
    evidence: str
    url: str
    outlet: str | None
    title: str | None
    incident_id: str
    incident_title: str
    parties: set[str] = field(default_factory=set)  # case-folded names it involves (vendors too)

    @property
    def key(self) -> str:
        return fact_key(self.type, self.actor, self.target, self.date)


def fact_key(event_type: str, actor: str, target: str, date: str | None) -> str:
    """The fact's identity in the store: the same for every article that repeats it."""
    return hashlib.sha256("\x1f".join((event_type, actor, target, date or "")).encode("utf-8")).hexdigest()


def recent_facts(store, window_hours: float, now: datetime | None = None) -> list[Fact]:
    """Facts of the articles stored in the last `window_hours`, in the order first stated."""
    since = (now or datetime.now(timezone.utc)) - timedelta(hours=window_hours)
    found: dict[str, Fact] = {}
    for row in store.events_fetched_since(since):
        key = fact_key(row["type"], row["actor"], row["target"], row["date"])
        fact = found.get(key)
        if fact is None:
            fact = found[key] = Fact(type=row["type"], actor=row["actor"], target=row["target"], date=row["date"],
                                     evidence=row["evidence"], url=row["url"], outlet=row["outlet"],
                                     title=row["title"], incident_id=row["incident_id"],
                                     incident_title=row["incident_title"])
        fact.parties.update(n.casefold() for n in (row["actor"], row["target"], row["actor_vendor"],
                                                   row["target_vendor"]) if n)
    return list(found.values())


def followed(facts: list[Fact], follow: tuple[str, ...]) -> list[Fact]:
    """The facts involving any of the followed names (any case)."""
    names = {n.casefold() for n in follow}
    return [f for f in facts if f.parties & names]
