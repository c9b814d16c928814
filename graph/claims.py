"""What the linker compares: an article reduced to its vector, dates and claims.

A claim is one event as "who did what to whom, when". The claims an article leads
with (in its title or first paragraphs) and that happened around its publication are
its *main* claims: they say which incident the article tells. Claims dated long before
publication are background (a 2023 ban recalled in a 2024 story) and never decide.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from incidents.facts import LEAD_CHARS
from incidents.model import Analysis, Event, parse_published
from incidents.names import name_key

CURRENT_BEFORE = timedelta(days=45)
CURRENT_AFTER = timedelta(days=45)
"""An event dated within this span around publication is news, not background."""


@dataclass(frozen=True)
class Claim:
    """One event of an article, with names reduced to keys for comparison."""

    type: str
    actor: str
    target: str
    date: str | None
    actor_name: str
    target_name: str
    evidence: str
    main: bool = False
    current: bool = True
    date_basis: str | None = None
    stance: str = "reported"
    position: int | None = None  # character offset of the evidence in the text

    @property
    def pair(self) -> tuple[str, str]:
        return (self.actor, self.target)


@dataclass
class ArticleView:
    """An analysed article as the linker sees it."""

    id: int
    published: date | None
    outlet: str | None
    title: str
    vector: np.ndarray | None
    claims: list[Claim] = field(default_factory=list)
    entity_keys: set[str] = field(default_factory=set)  # every ORG, PRODUCT, GPE, PERSON named
    title_keys: set[str] = field(default_factory=set)  # the entities the title names
    title_places: set[str] = field(default_factory=set)  # the countries and regions among them
    duplicate_of: int | None = None  # the article this one is a syndicated copy of

    @property
    def main_claims(self) -> list[Claim]:
        return [c for c in self.claims if c.main]

    @property
    def main_pairs(self) -> set[tuple[str, str]]:
        return {c.pair for c in self.main_claims}

    @property
    def pairs(self) -> set[tuple[str, str]]:
        return {c.pair for c in self.claims if c.current}

    @property
    def day(self) -> date | None:
        """The day the article speaks from: its publication, else its earliest main event."""
        if self.published:
            return self.published
        dates = [d for d in (event_day(c.date) for c in self.main_claims) if d]
        return min(dates) if dates else None


def article_view(article_id: int, title: str | None, lead: str | None, published: str | None,
                 outlet: str | None, analysis: Analysis, duplicate_of: int | None = None) -> ArticleView:
    """Reduce an article and its analysis to what the linker compares."""
    pub = parse_published(published)
    title = title or ""
    lead = lead or ""
    in_title = [e for e in analysis.entities if any(_names_in(m, title) for m in [e.name, *e.mentions])]
    title_keys = {name_key(e.name) for e in in_title}
    claims = [_claim(ev, pub, lead, title_keys) for ev in analysis.events
              if ev.actor and ev.target and ev.settled]  # a guess places no article
    claims = _choose_main(claims)
    vector = None
    if analysis.embedding is not None:
        vector = np.asarray(analysis.embedding, dtype=np.float32)
        norm = float(np.linalg.norm(vector))
        vector = vector / norm if norm else None
    return ArticleView(
        id=article_id, published=pub, outlet=outlet, title=title, vector=vector, claims=claims,
        entity_keys={name_key(e.name) for e in analysis.entities}, title_keys=title_keys,
        title_places={name_key(e.name) for e in in_title if e.type == "GPE"}, duplicate_of=duplicate_of,
    )


def event_day(value: str | None) -> date | None:
    """The day of an event date (`YYYY-MM-DD`, or `YYYY-MM` read as the 15th)."""
    if not value:
        return None
    try:
        if len(value) == 7:
            return date.fromisoformat(value + "-15")
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def month_span(value: str | None) -> tuple[date, date] | None:
    """First and last day an event date may mean (a whole month for `YYYY-MM`)."""
    day = event_day(value)
    if day is None:
        return None
    if value and len(value) == 7:
        start = day.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return start, end
    return day, day


def _claim(event: Event, published: date | None, lead: str, title_keys: set[str]) -> Claim:
    actor, target = name_key(event.actor), name_key(event.target)
    in_lead = _in_lead(event, lead) or (actor in title_keys and target in title_keys)
    return Claim(type=event.type, actor=actor, target=target, date=event.date,
                 actor_name=event.actor, target_name=event.target, evidence=event.evidence or "",
                 main=in_lead, current=_is_current(event.date, published), date_basis=event.date_basis,
                 stance=event.stance or "reported", position=event.sentence_start)


def _choose_main(claims: list[Claim]) -> list[Claim]:
    """Main claims: current ones in the lead; else all current ones; else none (an article
    that only recalls old events is placed by its wording, never by what it recalls)."""
    lead = [c for c in claims if c.main and c.current]
    chosen = lead or [c for c in claims if c.current]
    keep = {id(c) for c in chosen}
    return [Claim(**{**c.__dict__, "main": id(c) in keep}) for c in claims]


def _in_lead(event: Event, lead: str) -> bool:
    if event.sentence_start is not None:
        return event.sentence_start < LEAD_CHARS
    evidence = (event.evidence or "").strip()
    return bool(evidence) and evidence[:60] in lead


def _is_current(value: str | None, published: date | None) -> bool:
    span = month_span(value)
    if span is None or published is None:
        return True
    start, end = span
    return end >= published - CURRENT_BEFORE and start <= published + CURRENT_AFTER


def _names_in(name: str, title: str) -> bool:
    return bool(name) and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", title, re.IGNORECASE) is not None
