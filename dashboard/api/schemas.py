"""The shapes of the API's answers, from which FastAPI writes the OpenAPI spec.

Each model lists every field its resource function returns (`dashboard.api.resources`,
`graph.queries`), so what the spec promises is what the command line's `--json` prints.
"""
from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: `items` from position `offset`, at most `limit` of `total`."""

    total: int = Field(ge=0)
    offset: int = Field(ge=0)
    limit: int = Field(ge=1)
    items: list[T]


class Error(BaseModel):
    """What went wrong, in one line; close names when a name was not found."""

    detail: str
    suggestions: list[str] | None = None


# --- incidents ---


class IncidentSummary(BaseModel):
    id: str = Field(description="stable id, e.g. alibaba-bans-claude-code-2026-07")
    title: str
    date: str | None = Field(description="date of the earliest event, YYYY-MM[-DD]")
    main_type: str | None
    first_seen: str | None = Field(description="publication of its earliest article")
    last_seen: str | None = Field(description="publication of its latest article")
    actors: list[str]
    targets: list[str]
    event_types: list[str] = Field(description="types of its facts, in order of first report")
    outlets: list[str] = Field(description="those that reported it first first; outlets that only ran a "
                                           "syndicated copy last")
    copy_outlets: list[str] = Field(description="outlets that only ran a syndicated copy of another article")
    copies: int = Field(description="articles that are syndicated copies of another of its articles")
    article_count: int
    effective: list[list[str]] = Field(description="[event type, date] of its dated facts, by date")


class IncidentEvent(BaseModel):
    date: str | None
    type: str
    actor: str
    target: str
    stance: str
    evidence: str = Field(description="the sentence that states the event")
    article_id: int
    outlet: str | None
    title: str | None
    published: str | None
    url: str


class FactCopy(BaseModel):
    article: int | None
    outlet: str | None
    url: str | None


class FactSource(BaseModel):
    article: int | None
    outlet: str | None
    title: str | None
    url: str | None
    published: str | None
    evidence: str = Field(description="the first sentence of this article stating the fact")
    copies: list[FactCopy] = Field(description="syndicated copies of this article other outlets ran")


class Fact(BaseModel):
    """One (type, actor, target, date) of the incident, however many articles state it."""

    id: str
    type: str
    actor: str
    target: str
    date: str | None
    estimated: bool = Field(description="the date is estimated from a publication day")
    stance: str
    evidence: str
    first_reported: str | None
    outlets: list[str]
    articles: list[int]
    sources: list[FactSource]


class IncidentArticle(BaseModel):
    id: int
    outlet: str | None
    title: str | None
    published: str | None
    url: str
    is_primary: bool
    duplicate_of: int | None = Field(description="the article this one is a syndicated copy of, if any")


class NamedEntity(BaseModel):
    name: str
    type: str
    vendor: str | None
    articles: int


class RelatedIncident(BaseModel):
    id: str
    title: str
    date: str | None
    shared: int = Field(description="companies and products named by both")


class IncidentDetail(BaseModel):
    incident: IncidentSummary
    facts: list[Fact]
    events: list[IncidentEvent]
    articles: list[IncidentArticle]
    entities: list[NamedEntity]
    related: list[RelatedIncident]


# --- entities ---


class EntityTotal(BaseModel):
    name: str
    type: str
    vendor: str | None
    incidents: int


class Counterparty(BaseModel):
    counterparty: str
    role: Literal["actor", "target"]
    type: str
    events: int
    incidents: int


class Product(BaseModel):
    name: str
    articles: int


class EntityDetail(BaseModel):
    name: str
    type: str
    vendor: str | None
    incidents: list[str] = Field(description="ids of the incidents naming it, newest first")
    counterparties: list[Counterparty]
    products: list[Product]


# --- articles ---


class ArticleEntity(BaseModel):
    name: str
    type: str
    mentions: list[str]
    vendor: str | None = None


class ArticleEvent(BaseModel):
    type: str
    actor: str
    target: str
    date: str | None
    date_basis: str | None
    evidence: str
    stance: str


class ArticleRecord(BaseModel):
    """An article as `incidents export` writes it (CONTRACT.md)."""

    id: str
    url: str
    outlet: str | None
    title: str | None
    published: str | None
    text: str | None
    relevant: bool | None
    incident: str | None
    entities: list[ArticleEntity]
    events: list[ArticleEvent]


# --- search ---


class IncidentHit(BaseModel):
    id: str
    title: str
    date: str | None
    main_type: str | None
    score: float | None = Field(description="cosine similarity of a semantic match; null for a keyword match")


class ArticleHit(BaseModel):
    id: int
    outlet: str | None
    title: str | None
    published: str | None
    url: str
    incident_id: str | None
    score: float | None


class SearchResults(BaseModel):
    query: str
    semantic: bool
    incidents: list[IncidentHit]
    articles: list[ArticleHit]


# --- graph queries (graph.queries) ---


class Neighbour(BaseModel):
    name: str
    kind: str | None
    label: str | None
    distance: int


class IncidentBrief(BaseModel):
    incident: str
    title: str | None
    date: str | None
    main_type: str | None


class Step(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    types: list[str]
    event_types: list[str]


class Path(BaseModel):
    nodes: list[str]
    length: int
    steps: list[Step]
    incidents: list[IncidentBrief]


class TimelineEvent(BaseModel):
    date: str | None
    event_type: str | None
    role: Literal["actor", "target"]
    counterpart: str | None
    incident: str
    title: str | None
    evidence: str | None
    article: int | None


class Ranked(BaseModel):
    name: str
    kind: str | None
    score: float
    incidents: int
    articles: int = Field(description="articles stating its facts (the tie-break after incidents)")


class SharedIncident(IncidentBrief):
    roles: dict[str, list[str]] = Field(description="each entity's roles, e.g. 'actor in ban'")


class Action(BaseModel):
    actor: str | None
    actor_kind: str | None
    target: str
    action: str
    date: str | None
    incident: str
    title: str | None
    evidence: str | None
