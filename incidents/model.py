"""The data model every stage shares: what an article, an entity, an event and an
incident are, and the closed vocabularies of CONTRACT.md, each defined once here."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

EVENT_TYPES = (
    "ban",
    "ban_lifted",
    "access_cutoff",
    "allegation",
    "lawsuit",
    "investigation",
    "security_finding",
    "breach",
    "fine",
    "settlement",
)
"""Event types of the export schema (CONTRACT.md), in no particular order."""

ESCALATING_TYPES = ("ban", "access_cutoff", "lawsuit", "fine")
"""Event types that make an incident an escalation when they appear in it."""

ENTITY_TYPES = ("ORG", "PRODUCT", "PERSON", "GPE")
"""Entity types of the export schema."""

STANCES = ("reported", "alleged", "denied")
"""How the text presents an event: as fact, as a claim, or as denied by someone."""


@dataclass
class Article:
    """One news article as collected, before any analysis."""

    url: str
    outlet: str | None = None
    title: str | None = None
    text: str | None = None
    published: str | None = None  # ISO date or datetime, as the page or feed gave it
    ext_id: str | None = None  # the caller's own id (ingest `id`), written back by export
    language: str | None = None
    fetched: datetime | None = None
    id: int | None = None  # the store's key, set once stored
    duplicate_of: int | None = None  # the article whose text this one repeats (syndication)
    content_hash: str | None = None

    @property
    def published_date(self) -> date | None:
        return parse_published(self.published)


@dataclass
class Entity:
    """A real-world thing an article names: its canonical name and the forms seen."""

    name: str
    type: str
    mentions: list[str] = field(default_factory=list)
    vendor: str | None = None  # for a PRODUCT, the canonical name of the company behind it


@dataclass
class Event:
    """Who did what to whom and when, with the sentence that says so."""

    type: str
    actor: str
    target: str
    evidence: str
    date: str | None = None  # YYYY-MM-DD or YYYY-MM
    stance: str = "reported"
    trigger: str | None = None  # the word that signalled the event ("banned", "ban", "accused")
    method: str | None = None  # which rule or model found it, for provenance
    sentence_start: int | None = None  # character offset of the evidence in the text


@dataclass
class Analysis:
    """What the NLP stage found in one article."""

    relevant: bool
    relevance_score: float = 0.0
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    embedding: list[float] | None = None  # title and lead, normalised sentence embedding


@dataclass
class Incident:
    """One real-world happening, told by one or more articles."""

    id: str
    title: str
    date: str | None
    main_type: str | None
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    first_seen: str | None = None
    last_seen: str | None = None


def parse_published(value: str | None) -> date | None:
    """The calendar day of an ISO date or datetime string; None when absent or unreadable."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
