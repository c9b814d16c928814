"""New facts and who follows them.

An alert names facts, not articles: the articles stored in the alert window are read as
mentions of their incident's facts (`incidents.facts.consolidate`, as on the incident page),
so three outlets repeating a ban, or one dating it "in July" and another "10 July", make one
alert. A fact involves a company or product when it is the actor or the target, or when a
product of that company is.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from incidents.facts import Fact, Mention, Source, consolidate


@dataclass
class NewFact:
    """A fact that recent articles state, with its incident and the parties it involves."""

    fact: Fact
    incident_id: str
    incident_title: str
    parties: set[str] = field(default_factory=set)  # case-folded names it involves (vendors too)

    @property
    def key(self) -> str:
        return fact_key(self.fact.type, self.fact.actor, self.fact.target, self.fact.date)

    @property
    def source(self) -> Source:
        """The first article that states it (a syndicated copy gives way to its original)."""
        return self.fact.sources[0]


def fact_key(event_type: str, actor: str, target: str, date: str | None) -> str:
    """The fact's identity in the alerts sent: the same for every article that repeats it."""
    return hashlib.sha256("\x1f".join((event_type, actor, target, date or "")).encode("utf-8")).hexdigest()


def recent_facts(store, window_hours: float, now: datetime | None = None) -> list[NewFact]:
    """Facts stated by the articles stored in the last `window_hours`, each once, in the
    order first stated."""
    since = (now or datetime.now(timezone.utc)) - timedelta(hours=window_hours)
    rows = store.events_fetched_since(since)
    by_incident: dict[str, list[tuple[Mention, dict]]] = {}
    for row in rows:
        by_incident.setdefault(row["incident_id"], []).append((_mention(row), row))
    found: dict[str, NewFact] = {}
    for incident_id, said in by_incident.items():
        row_of = {id(mention): row for mention, row in said}
        for fact in consolidate(mention for mention, _ in said):
            rows_of_fact = [row_of[id(m)] for m in fact.mentions]
            new = NewFact(fact, incident_id, said[0][1]["incident_title"], _parties(rows_of_fact))
            found.setdefault(new.key, new)
    return sorted(found.values(), key=lambda f: min(f.fact.article_ids))  # rows come oldest article first


def _mention(row: dict) -> Mention:
    return Mention(type=row["type"], actor=row["actor"], target=row["target"], date=row["date"],
                   date_basis=row["date_basis"], evidence=row["evidence"] or "", stance=row["stance"] or "reported",
                   article_id=row["article_id"], url=row["url"], outlet=row["outlet"], title=row["title"],
                   published=str(row["published"]) if row["published"] else None,
                   duplicate_of=row["duplicate_of"])


def _parties(rows: list[dict]) -> set[str]:
    """Case-folded names a fact involves: its actor and target as each article names them,
    and the vendors of those."""
    names = {n for row in rows for n in (row["actor"], row["target"], row["actor_vendor"], row["target_vendor"])}
    return {n.casefold() for n in names if n}


def followed(facts: list[NewFact], follow: tuple[str, ...]) -> list[NewFact]:
    """The facts involving any of the followed names (any case)."""
    names = {n.casefold() for n in follow}
    return [f for f in facts if f.parties & names]
