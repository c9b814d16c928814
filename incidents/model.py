"""The data model every stage shares: what an article, an entity, an event and an
incident are, and the closed vocabularies of CONTRACT.md, each defined once here (the
event types, with all a reader is shown about them, in `incidents.event_types`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .event_types import EVENT_TYPES  # noqa: F401 - the schema's event types live in the one table of them

ENTITY_TYPES = ("ORG", "PRODUCT", "PERSON", "GPE")
"""Entity types of the export schema."""

STANCES = ("reported", "alleged", "denied")
"""How the text presents an event: as fact, as a claim, or as denied by someone."""


EARLIEST_DATE = date(1990, 1, 1)
"""No news date before this is believed: an older one is a slip (a year-1 sitemap `lastmod`)."""

YEARS_AHEAD = 1
"""Nor one more than this many years after today (announced dates, "takes effect next
year", reach a little ahead; year 9999 is a placeholder, not news)."""


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

    def __post_init__(self):
        # Whoever builds an article (an old store row, a caller that skipped the check) never
        # hands later stages a date out of range: one such date made every `link` overflow.
        self.published = without_date_out_of_range(self.published)

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


GUESSED = "likeliest"
"""The `method` of an event that stands only as its story's likeliest candidate (the event
scorer's guess, nlp/scorer.py): it names which event a story tells if it tells one, but
neither makes the story relevant nor places it in an incident."""


@dataclass
class Event:
    """Who did what to whom and when, with the sentence that says so."""

    type: str
    actor: str
    target: str
    evidence: str
    date: str | None = None  # YYYY-MM-DD or YYYY-MM
    date_basis: str | None = None  # "text" (an expression dates it) or "published" (estimated from the day)
    stance: str = "reported"
    trigger: str | None = None  # the word that signalled the event ("banned", "ban", "accused")
    method: str | None = None  # which rule or model found it, for provenance (GUESSED: see there)
    sentence_start: int | None = None  # character offset of the evidence in the text

    @property
    def settled(self) -> bool:
        """Whether the text settles the event (it is no story's mere guess, GUESSED)."""
        return self.method != GUESSED

    def __post_init__(self):
        self.date = without_date_out_of_range(self.date)  # as for Article: an old row reads undated


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

    def __post_init__(self):
        # as for Article: an incident stored from a bad date reads undated
        self.date = without_date_out_of_range(self.date)
        self.first_seen = without_date_out_of_range(self.first_seen)
        self.last_seen = without_date_out_of_range(self.last_seen)


def latest_date(today: date | None = None) -> date:
    """The last day a date may name: YEARS_AHEAD years after today."""
    today = today or date.today()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def date_in_range(day: date, today: date | None = None) -> bool:
    """Whether a date is one this project believes, from EARLIEST_DATE to YEARS_AHEAD years
    after today. Every stage asks this before it keeps a date from the web, a file or a text."""
    return EARLIEST_DATE <= day <= latest_date(today)


def date_range_text(today: date | None = None) -> str:
    """The range `date_in_range` accepts, for messages: "1990-01-01 to 2027-11-30"."""
    return f"{EARLIEST_DATE} to {latest_date(today)}"


def iso_day(value: str | None) -> date | None:
    """The calendar day of an ISO date or datetime string, whatever its year; None when
    absent or unreadable."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def date_value_in_range(value: str | None) -> str | None:
    """A date string of the model if it is readable and in range, else None."""
    day = _day_named(value)
    return value if day is not None and date_in_range(day) else None


def without_date_out_of_range(value: str | None) -> str | None:
    """The value, unless it is a readable date out of range: then None. (Text that is no
    date at all is left for the caller to judge.)"""
    day = _day_named(value)
    return None if day is not None and not date_in_range(day) else value


def _day_named(value: str | None) -> date | None:
    """The day an ISO date or datetime names, or the first day of a `YYYY-MM` month."""
    return iso_day(value + "-01" if value and len(value) == 7 else value)


def parse_published(value: str | None) -> date | None:
    """The calendar day of an ISO date or datetime string; None when absent, unreadable or
    out of range (`date_in_range`)."""
    day = iso_day(value)
    return day if day is not None and date_in_range(day) else None
