"""The weekly briefing: what the Briefing page and the digest email both render.

Plain Python over the store's briefing queries, no Streamlit, so the digest can use it
as it is. A week is an ISO week (Monday to Sunday); "new" incidents were first seen in
the week; "escalated" ones are older incidents that gained a ban, access cut-off,
lawsuit or fine (`ESCALATING_TYPES`) in an article published in the week.

>>> parse_week("2026-W47")
IsoWeek(year=2026, week=47, monday=datetime.date(2026, 11, 16), sunday=datetime.date(2026, 11, 22))
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from incidents.errors import IncidentsError
from incidents.model import ESCALATING_TYPES

COMPANY_TYPES = ("ORG",)
"""Entity types counted among the most involved companies."""

TOP_COMPANIES = 8
"""How many of the most involved companies a briefing lists."""

UPCOMING_DAYS = 7
"""How far past the week the briefing looks for dates when something takes effect."""

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
    """One incident as a card shows it: title, date, who -> whom, event chips, outlets."""

    id: str
    title: str
    date: str | None
    main_type: str | None
    actors: list[str]
    targets: list[str]
    event_types: list[str]
    outlets: list[str]
    article_count: int
    first_seen: str | None
    last_seen: str | None
    status: str = "ongoing"  # "new" | "escalated" | "ongoing" relative to the briefing's week
    effective: list[tuple[str, str]] = field(default_factory=list)  # (event type, date), by date

    @property
    def who_to_whom(self) -> str:
        """`Alibaba -> Claude Code`, or just one side when the other is unknown."""
        sides = [", ".join(self.actors), ", ".join(self.targets)]
        return " -> ".join(s for s in sides if s)


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
class Briefing:
    """Everything a weekly briefing says about one week."""

    week: IsoWeek
    new: list[IncidentCard]
    escalated: list[IncidentCard]
    upcoming: list[Upcoming]
    companies: list[CompanyInvolvement]

    @property
    def is_quiet(self) -> bool:
        """Nothing new, nothing escalated, nothing about to take effect."""
        return not (self.new or self.escalated or self.upcoming)

    @property
    def previous_week(self) -> IsoWeek:
        return self.week.previous()

    def as_dict(self) -> dict:
        """Plain JSON-ready data (weeks as `YYYY-Www`), e.g. for a download or a template."""
        data = asdict(self)
        data.update(week=str(self.week), previous_week=str(self.previous_week), is_quiet=self.is_quiet)
        return data


def build_briefing(store, week: IsoWeek) -> Briefing:
    """The briefing of one week, read from the store."""
    new_ids = store.incident_ids_first_seen(week.start, week.end)
    escalated_ids = store.incident_ids_escalated(week.start, week.end, ESCALATING_TYPES)
    cards = {c.id: c for c in incident_cards(store, new_ids + escalated_ids)}
    for i in new_ids:
        cards[i].status = "new"
    for i in escalated_ids:
        cards[i].status = "escalated"
    after = week.sunday + timedelta(days=1)
    upcoming = [Upcoming(**row) for row in store.dated_events_between(
        after.isoformat(), (after + timedelta(days=UPCOMING_DAYS - 1)).isoformat())]
    return Briefing(
        week=week,
        new=by_importance(cards[i] for i in new_ids),
        escalated=by_importance(cards[i] for i in escalated_ids),
        upcoming=upcoming,
        companies=most_involved_companies(store, week),
    )


def incident_cards(store, ids=None) -> list[IncidentCard]:
    """Cards of these incidents (all when None), status "ongoing", in the store's order."""
    return [IncidentCard(**summary) for summary in store.incident_summaries(ids)]


def by_importance(cards) -> list[IncidentCard]:
    """Most widely reported first, then the most recent (sorts are stable: last key first)."""
    ordered = sorted(cards, key=lambda c: c.id)
    ordered.sort(key=lambda c: c.date or "", reverse=True)
    ordered.sort(key=lambda c: (-len(c.outlets), -c.article_count))
    return ordered


def most_involved_companies(store, week: IsoWeek, limit: int = TOP_COMPANIES) -> list[CompanyInvolvement]:
    """Companies named in the most incidents this week, with last week's count beside."""
    now = store.entity_incident_counts(week.start, week.end, COMPANY_TYPES)
    before = store.entity_incident_counts(week.previous().start, week.previous().end, COMPANY_TYPES)
    hidden = store.hidden_entity_names()  # an analyst's "not a company" (entity-hide)
    rows = [CompanyInvolvement(name, kind, count, before.get(name, (kind, 0))[1])
            for name, (kind, count) in now.items() if name not in hidden]
    rows.sort(key=lambda c: (-c.this_week, -c.last_week, c.name))
    return rows[:limit]

