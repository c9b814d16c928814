"""The weekly briefing: what the Briefing page and the digest email both render.

Plain Python over the store's briefing queries, no Streamlit, so the digest can use it
as it is. A week is an ISO week (Monday to Sunday); "new" incidents were first seen in
the week; "escalated" ones are older incidents that a fact first reported in the week
escalates (`incidents.event_types.ESCALATION` says what that means).

>>> parse_week("2026-W47")
IsoWeek(year=2026, week=47, monday=datetime.date(2026, 11, 16), sunday=datetime.date(2026, 11, 22))
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from functools import cached_property

from incidents.errors import IncidentsError
from incidents.event_types import ESCALATION
from incidents.facts import Fact, consolidate, escalated
from incidents.outline import Outline, short_date  # noqa: F401 - short_date: the pages' date wording
from incidents.parties import Involvement, default_gate, involvement

COMPANY_TYPES = ("ORG", "PRODUCT")
"""Entity types counted among the most involved companies: organisations and their products."""

TOP_COMPANIES = 8
"""How many of the most involved companies a briefing lists."""

UPCOMING_DAYS = 7
"""How far past the week the briefing looks for dates when something takes effect."""

DEVELOPING_DAYS = 30
"""Incidents reported in this many days up to the week's end are still developing."""

RECENT_SHOWN = 6
"""Fewer developing incidents than this are topped up with the latest before them, so a
quiet month is not an empty page."""

_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)


@dataclass(frozen=True)
class IsoWeek:
    """An ISO week, Monday to Sunday; `str()` gives `YYYY-Www`."""

    year: int
    week: int
    monday: date
    sunday: date

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        """The week a day falls in."""
        year, week, weekday = day.isocalendar()
        monday = day - timedelta(days=weekday - 1)
        return cls(year, week, monday, monday + timedelta(days=6))

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    def previous(self) -> IsoWeek:
        return IsoWeek.of(self.monday - timedelta(days=7))

    def following(self) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(days=7))

    @property
    def start(self) -> str:
        """First day as `YYYY-MM-DD` (inclusive bound for ISO date/datetime strings)."""
        return self.monday.isoformat()

    @property
    def end(self) -> str:
        """The Monday after, as `YYYY-MM-DD` (exclusive bound)."""
        return (self.sunday + timedelta(days=1)).isoformat()


def parse_week(text: str) -> IsoWeek:
    """`2026-W47` (or `2026W47`, any case) as an IsoWeek; IncidentsError naming the value otherwise."""
    match = _WEEK.fullmatch((text or "").strip())
    try:
        if not match:
            raise ValueError
        return IsoWeek.of(date.fromisocalendar(int(match[1]), int(match[2]), 1))
    except (ValueError, OverflowError):  # year 9999: its last week ends after date.max
        raise IncidentsError(f"week {text!r}: expected an ISO week such as 2026-W47") from None


def current_week(today: date | None = None) -> IsoWeek:
    return IsoWeek.of(today or date.today())


def last_complete_week(today: date | None = None) -> IsoWeek:
    """The week before the current one (the current one is not over until Sunday night)."""
    return current_week(today).previous()


@dataclass
class IncidentCard:
    """One incident as a card shows it: title, what happened, its facts, who reported it."""

    id: str
    title: str
    date: str | None
    main_type: str | None
    actors: list[str]
    targets: list[str]
    outlets: list[str]  # those that reported it first first; copy-only outlets last
    article_count: int
    first_seen: str | None
    last_seen: str | None
    status: str = "ongoing"  # "new" | "escalated" | "ongoing" relative to the briefing's week
    facts: list[Fact] = field(default_factory=list)  # each once, in date order
    copies: int = 0  # member articles that are syndicated copies of another member
    copy_outlets: list[str] = field(default_factory=list)  # outlets that only ran a copy

    @cached_property
    def outline(self) -> Outline:
        """What the card says, worked out from its facts (`incidents.outline`)."""
        return Outline(self.title, self.main_type, self.actors, self.targets, self.facts)

    @property
    def event_types(self) -> list[str]:
        """Types of its facts, each once, in the order they were first reported."""
        return self.outline.event_types

    @property
    def effective(self) -> list[tuple[str, str]]:
        """(event type, date) of each dated fact that is not denied, by date."""
        return self.outline.effective

    @property
    def main(self) -> Fact | None:
        """The fact the title tells (the link stage chose it; its headline is the title)."""
        return self.outline.main

    @property
    def who_to_whom(self) -> str:
        """`Alibaba -> Claude Code` for its main fact, or its parties when it has none."""
        return self.outline.who_to_whom

    @property
    def lead(self) -> str:
        """What happened, in one sentence of the evidence: the main fact's first source's."""
        return self.outline.lead

    @property
    def summary(self) -> str:
        """One line: the main fact framed by its type, with its date, and how much else there is."""
        return self.outline.summary

    @property
    def brief(self) -> str:
        """The summary without the headline, for a line under the title."""
        return self.outline.brief

    @property
    def outlet_count(self) -> int:
        """Outlets that reported it themselves (a syndicated copy counts with its original)."""
        return len(self.outlets) - len(self.copy_outlets)

    def as_dict(self) -> dict:
        """JSON-ready, the facts as `Fact.as_dict` gives them."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "facts"}
        data.update(facts=[f.as_dict() for f in self.facts], event_types=self.event_types, summary=self.summary,
                    lead=self.lead, who_to_whom=self.who_to_whom)
        return data


@dataclass
class Upcoming:
    """An event dated in the days after the week: a ban that takes effect next Monday."""

    date: str
    event_type: str
    actor: str
    target: str
    incident_id: str
    incident_title: str


@dataclass
class CompanyInvolvement:
    """How many incidents a company was named in this week and the week before."""

    name: str
    type: str
    this_week: int
    last_week: int

    @property
    def change(self) -> int:
        return self.this_week - self.last_week


@dataclass
class DataAsOf:
    """How fresh the briefing's data is: the last crawl, the week's articles, failing sources."""

    last_crawl: str | None  # ISO date and time a page or listing was last fetched; None: never crawled
    newest_article: str | None  # latest publication in the store
    articles_this_week: int
    sources: int
    failing: list[str]  # names of sources none of whose listings the last crawl could read

    @property
    def line(self) -> str:
        """"Data as of 2026-11-20 06:00 (last crawl): 12 articles this week; 1 of 4 sources failing: X"."""
        when = (f"{self.last_crawl.replace('T', ' ')} (last crawl)" if self.last_crawl
                else f"{(self.newest_article or 'no article')[:10]} (newest article; never crawled)")
        week = f"{self.articles_this_week} article{'s' * (self.articles_this_week != 1)} published this week"
        if not self.sources:
            health = "no crawl sources configured"
        elif self.failing:
            health = f"{len(self.failing)} of {self.sources} sources failing: {', '.join(self.failing)}"
        else:
            health = f"all {self.sources} sources read"
        return f"Data as of {when}; {week}; {health}."


@dataclass
class Briefing:
    """Everything a weekly briefing says about one week."""

    week: IsoWeek
    new: list[IncidentCard]
    escalated: list[IncidentCard]
    upcoming: list[Upcoming]
    companies: list[CompanyInvolvement]
    developing: list[IncidentCard] = field(default_factory=list)  # reported in the last 30 days, not new or escalated
    earlier: list[IncidentCard] = field(default_factory=list)  # the latest before that, when few are developing
    as_of: DataAsOf | None = None

    @property
    def top(self) -> IncidentCard | None:
        """The week's top story: the most widely reported new or escalated incident, else the
        latest developing one."""
        ranked = by_importance([*self.new, *self.escalated])
        return ranked[0] if ranked else (self.developing[0] if self.developing else None)

    @property
    def is_quiet(self) -> bool:
        """Nothing new, nothing escalated, nothing about to take effect."""
        return not (self.new or self.escalated or self.upcoming)

    @property
    def previous_week(self) -> IsoWeek:
        return self.week.previous()

    def as_dict(self) -> dict:
        """Plain JSON-ready data (weeks as `YYYY-Www`), e.g. for a download or a template."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in ("new", "escalated", "developing", "earlier"):
            data[name] = [c.as_dict() for c in data[name]]
        data.update(week=str(self.week), previous_week=str(self.previous_week), is_quiet=self.is_quiet,
                    upcoming=[vars(u) for u in self.upcoming], companies=[vars(c) for c in self.companies],
                    as_of=vars(self.as_of) if self.as_of else None, top=self.top.id if self.top else None,
                    escalation=ESCALATION)
        return data


def build_briefing(store, week: IsoWeek) -> Briefing:
    """The briefing of one week, read from the store.

    New incidents were first reported in the week; escalated ones are older incidents whose
    facts first reported in the week escalate them (`incidents.event_types.ESCALATION`);
    developing ones are the others reported in the `DEVELOPING_DAYS` up to the week's end,
    latest first, topped up with the latest before them to `RECENT_SHOWN`.
    """
    after = week.sunday + timedelta(days=1)
    since = (after - timedelta(days=DEVELOPING_DAYS)).isoformat()
    new_ids = store.incident_ids_first_seen(week.start, week.end)
    reported = store.incident_ids_reported(week.start, week.end)
    recent = store.incident_ids_reported(since, week.end)
    cards = {c.id: c for c in incident_cards(store, [*new_ids, *reported, *recent])}
    for i in new_ids:
        cards[i].status = "new"
    escalated_ids = [i for i in reported if i not in new_ids and (cards[i].first_seen or "") < week.start
                     and escalated(cards[i].facts, week.start, week.end)]
    for i in escalated_ids:
        cards[i].status = "escalated"
    developing = sorted((cards[i] for i in recent if cards[i].status == "ongoing"),
                        key=lambda c: (c.last_seen or "", c.id), reverse=True)
    earlier = []
    if len(developing) < RECENT_SHOWN:
        earlier = incident_cards(store, store.incident_ids_latest(since, RECENT_SHOWN - len(developing)))
        earlier.sort(key=lambda c: (c.last_seen or "", c.id), reverse=True)
    return Briefing(
        week=week,
        new=by_importance(cards[i] for i in new_ids),
        escalated=by_importance(cards[i] for i in escalated_ids),
        upcoming=upcoming_facts(store, after, after + timedelta(days=UPCOMING_DAYS - 1)),
        companies=most_involved_companies(store, week),
        developing=developing,
        earlier=earlier,
        as_of=data_as_of(store, week),
    )


def upcoming_facts(store, first: date, last: date) -> list[Upcoming]:
    """Facts dated on a day in [first, last] (not denied), by date."""
    ids = list(dict.fromkeys(row["incident_id"] for row in store.dated_events_between(first.isoformat(),
                                                                                     last.isoformat())))
    found = []
    for card in incident_cards(store, ids):
        for f in card.facts:
            if f.date and len(f.date) == 10 and first.isoformat() <= f.date <= last.isoformat() \
                    and f.stance != "denied":
                found.append(Upcoming(f.date, f.type, f.actor, f.target, card.id, card.title))
    return sorted(found, key=lambda u: (u.date, u.event_type, u.actor, u.target))


def data_as_of(store, week: IsoWeek) -> DataAsOf:
    health = store.crawl_health()
    return DataAsOf(last_crawl=health["last_crawl"], newest_article=health["newest_article"],
                    articles_this_week=store.count_published(week.start, week.end), sources=health["sources"],
                    failing=health["failing"])


def incident_cards(store, ids=None, clean=None) -> list[IncidentCard]:
    """Cards of these incidents (all when None), with their facts, status "ongoing", in the
    store's order; `clean` (e.g. `webtext.shown`) applies to what is read before the cards
    are made of it."""
    clean = clean or (lambda value: value)
    mentions = clean(store.incident_mentions(ids))
    return [IncidentCard(**summary, facts=consolidate(mentions.get(summary["id"], [])))
            for summary in clean(store.incident_summaries(ids, outline=False))]


def by_importance(cards) -> list[IncidentCard]:
    """Most widely reported first, then the most recent (sorts are stable: last key first)."""
    ordered = sorted(cards, key=lambda c: c.id)
    ordered.sort(key=lambda c: c.date or "", reverse=True)
    ordered.sort(key=lambda c: (-c.outlet_count, -c.article_count))
    return ordered


def most_involved_companies(store, week: IsoWeek, limit: int = TOP_COMPANIES) -> list[CompanyInvolvement]:
    """The parties (`incidents.parties`) in the most incidents reported this week, with
    last week's count beside: companies and products that are actor or target of a fact."""
    gate = party_gate(store)
    now = involvement(store.fact_parties(week.start, week.end), gate, COMPANY_TYPES)
    before = involvement(store.fact_parties(week.previous().start, week.previous().end), gate, COMPANY_TYPES)
    rows = [CompanyInvolvement(p.name, p.type, len(p.incidents), len(before[p.name].incidents) if p.name in before else 0)
            for p in now.values()]
    rows.sort(key=lambda c: (-c.this_week, -c.last_week, c.name))
    return rows[:limit]


def party_gate(store):
    """The party gate seeing every stored name and outlet (to tell fragments and outlets), and
    the names analysts hid from executive views."""
    return default_gate().seeing(store.entity_names_and_types(), store.outlet_names(), store.hidden_entity_names())


def party_totals(store, types=None) -> list[Involvement]:
    """Every party (of these entity types) with the incidents it is actor or target in, most first."""
    found = involvement(store.fact_parties(), party_gate(store), types)
    return sorted(found.values(), key=lambda p: (-len(p.incidents), p.name))
