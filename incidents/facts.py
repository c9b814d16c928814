"""Facts: what an incident says happened, each once, with every article that says it.

Articles repeat each other. Three outlets report one ban; a syndicated copy repeats an
outlet word for word; one story dates the ban "10 July", another "in July", a third says
only that Alibaba "has banned" it. A *fact* is one (type, actor, target, date) of an
incident with every sentence that states it (`Mention`) and the articles that carry it
(`Source`, a syndicated copy folded into its original). Views show facts, never one box
per article that repeats one.

Dates are merged by how much they say: every day a text names is a fact of its own;
a month-only date joins a day of that month, a day estimated from the publication date
("has banned") joins the nearest named day within `ESTIMATE_SLACK`, and an undated
mention joins the first fact of its kind. A mention that finds nothing to join opens a
fact with its own date.

One party named two ways by the incident's articles ("US Navy", "Navy") is one party
(`incidents.names.canonical_names`); a fact goes by the name most of its sentences use.
The key of a fact is (type, actor key, target key, date), names compared by
`incidents.names.name_key`: stable while the incident's articles stay the same, so
corrections can name a fact by it.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from .event_types import EVENT_TYPE, escalates, label, severity
from .model import iso_day
from .names import canonical_names, name_key, name_list

__all__ = ["LEAD_CHARS", "Fact", "Mention", "Source", "consolidate", "escalated", "fact_headline", "fact_outline", "main_fact", "step_parties"]

LEAD_CHARS = 700
"""How much of an article's text, after the title, is its lead: a fact stated there is what
the article is about."""

ESTIMATE_SLACK = timedelta(days=31)
"""How far a day estimated from a publication date may lie from a named day and be the same event."""

ESTIMATE_AHEAD = timedelta(days=7)
"""How far after an estimated day a named day may lie and be the same event (an estimate
is the publication day: the event came before it, or is announced for just after)."""

HEADLINE_NAMES = 2
"""Parties a headline names on one side before "and N others"."""

STANCE_ORDER = ("reported", "alleged", "denied")
"""A fact takes the firmest stance any of its sentences has."""


@dataclass(frozen=True)
class Mention:
    """One sentence of one article stating an event."""

    type: str
    actor: str
    target: str
    date: str | None = None  # YYYY-MM-DD or YYYY-MM
    evidence: str = ""
    article_id: int | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date or datetime
    url: str | None = None
    title: str | None = None
    duplicate_of: int | None = None  # the article this one is a syndicated copy of
    date_basis: str | None = None  # "text" or "published" (estimated from the publication day)
    stance: str = "reported"
    position: int | None = None  # character offset of the sentence in the article
    lead: bool = False  # stated in the article's lead: what the article is about
    order: int = 0  # place among the article's events, in the order they were found (the text's)

    @property
    def group(self) -> tuple[str, str, str]:
            return (self.type, name_key(self.actor), name_key(self.target))

    @property
    def precision(self) -> str:
        """`day` (a day the text names), `estimate` (a publication day), `month` or `none`."""
        if not self.date:
            return "none"
        if len(self.date) == 7:
            return "month"
        return "estimate" if self.date_basis == "published" else "day"


@dataclass(frozen=True)
class Source:
    """An article that carries a fact, with the syndicated copies of it that other outlets ran."""

    article_id: int | None
    outlet: str | None
    title: str | None
    url: str | None
    published: str | None
    evidence: str  # the first sentence of the article stating the fact
    copies: tuple[Source, ...] = ()


@dataclass
class Fact:
    """One (type, actor, target, date) of an incident, with every sentence stating it."""

    type: str
    actor: str
    target: str
    date: str | None
    mentions: list[Mention] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str, str | None]:
        """(type, actor key, target key, date): names a fact within its incident."""
        return (self.type, name_key(self.actor), name_key(self.target), self.date)

    @property
    def id(self) -> str:
        """The key as one string: `ban|alibaba|claude code|2026-07-10`."""
        return "|".join(part or "" for part in self.key)

    @property
    def label(self) -> str:
        return label(self.type)

    @property
    def severity(self) -> int:
        return severity(self.type)

    @property
    def dated(self) -> bool:
        return self.date is not None

    @property
    def estimated(self) -> bool:
        """Dated only by the publication day of the articles stating it."""
        return bool(self.date) and all(m.precision in ("estimate", "none") for m in self.mentions)

    @property
    def stance(self) -> str:
        return min((m.stance for m in self.mentions), key=_stance_rank, default="reported")

    @property
    def sources(self) -> list[Source]:
        """The articles stating the fact, first published first; a syndicated copy is
        folded into its original (the copy counts once, with the original)."""
        return _sources(self.mentions)

    @property
    def outlets(self) -> list[str]:
        """Outlets carrying the fact: originals first, in order of publication, then those
        that ran a copy."""
        sources = self.sources
        names = [s.outlet for s in sources] + [c.outlet for s in sources for c in s.copies]
        return list(dict.fromkeys(n for n in names if n))

    @property
    def article_ids(self) -> list[int]:
        return list(dict.fromkeys(m.article_id for m in self.mentions if m.article_id is not None))

    @property
    def evidence(self) -> str:
        """The sentence of the first article that states it."""
        sources = self.sources
        return sources[0].evidence if sources else ""

    @property
    def first_reported(self) -> str | None:
        """The earliest publication (ISO) of an article stating it."""
        days = sorted(m.published for m in self.mentions if m.published)
        return days[0] if days else None

    @property
    def lead_sources(self) -> int:
        """Articles (copies counted with their original) that lead with the fact."""
        return len(_sources([m for m in self.mentions if m.lead]))

    @property
    def headline(self) -> str:
        return EVENT_TYPE[self.type].headline(self.actor, self.target) if self.type in EVENT_TYPE else \
            f"{self.actor} {label(self.type)} {self.target}"

    def as_dict(self) -> dict:
        """Plain data (JSON-ready) for exports, downloads and the graph."""
        return {"id": self.id, "type": self.type, "actor": self.actor, "target": self.target, "date": self.date,
                "estimated": self.estimated, "stance": self.stance, "evidence": self.evidence,
                "first_reported": self.first_reported, "outlets": self.outlets, "articles": self.article_ids,
                "sources": [{"article": s.article_id, "outlet": s.outlet, "title": s.title, "url": s.url,
                             "published": s.published, "evidence": s.evidence,
                             "copies": [{"article": c.article_id, "outlet": c.outlet, "url": c.url}
                                        for c in s.copies]} for s in self.sources]}


def consolidate(mentions: Iterable[Mention]) -> list[Fact]:
    """The facts the mentions of one incident state, in date order (undated last).

    >>> ban = dict(type="ban", actor="Alibaba", target="Claude Code")
    >>> facts = consolidate([Mention(**ban, date="2026-07-10", article_id=1, outlet="Wire"),
    ...                      Mention(**ban, date="2026-07", article_id=2, outlet="Post"),
    ...                      Mention(**ban, date="2026-07-09", date_basis="published", article_id=3, outlet="Copy",
    ...                              duplicate_of=2),
    ...                      Mention(type="ban", actor="alibaba", target="Claude Code", article_id=4),
    ...                      Mention(type="ban", actor="Alibaba", target="Anthropic's Claude Code", article_id=5)])
    >>> [(f.actor, f.date, f.article_ids, f.outlets) for f in facts]
    [('Alibaba', '2026-07-10', [1, 2, 3, 4, 5], ['Wire', 'Post', 'Copy'])]
    """
    stated = [m for m in mentions if m.type and m.actor and m.target]
    party = canonical_names(k for m in stated for k in m.group[1:])
    groups: dict[tuple, list[Mention]] = {}
    for m in stated:
        kind, actor, target = m.group
        groups.setdefault((kind, party[actor], party[target]), []).append(m)
    facts = [fact for group in groups.values() for fact in _facts_of(group)]
    return sorted(facts, key=_fact_order)


def _facts_of(mentions: list[Mention]) -> list[Fact]:
    """One (type, actor, target)'s mentions as facts, merged by date as the module says."""
    if len(mentions) == 1:  # most are said once: nothing to merge
        m = mentions[0]
        return [Fact(type=m.type, actor=m.actor, target=m.target, date=m.date, mentions=[m])]
    facts: dict[str | None, list[Mention]] = {}
    by: dict[str, list[Mention]] = {"day": [], "month": [], "estimate": [], "none": []}
    for m in mentions:
        by[m.precision].append(m)
    for m in by["day"]:
        facts.setdefault(m.date, []).append(m)
    for m in by["month"]:
        days = sorted(d for d in facts if d and d[:7] == m.date)
        facts.setdefault(days[0] if days else m.date, []).append(m)
    for m in sorted(by["estimate"], key=lambda m: m.date):
        facts.setdefault(_estimate_joins(m.date, list(facts)) or m.date, []).append(m)
    for m in by["none"]:
        dated = sorted((d for d in facts if d), key=_date_order)
        facts.setdefault(dated[0] if dated else None, []).append(m)
    return [Fact(type=ms[0].type, actor=_most_said([m.actor for m in ms]), target=_most_said([m.target for m in ms]),
                 date=day, mentions=ms) for day, ms in facts.items()]


def _estimate_joins(estimate: str, dates: list[str | None]) -> str | None:
    """The fact date an estimated day belongs to: the nearest day in reach, else its month."""
    day = iso_day(estimate)
    near = []
    for d in dates:
        other = iso_day(d) if d and len(d) == 10 else None
        if other and day - ESTIMATE_SLACK <= other <= day + ESTIMATE_AHEAD:
            near.append((abs((other - day).days), d))
    if near:
        return min(near)[1]
    return estimate[:7] if estimate[:7] in dates else None


def _most_said(names: list[str]) -> str:
    """The form of a name most mentions use (the first seen on a tie)."""
    if len(set(names)) == 1:
        return names[0]
    counts = Counter(names)
    return max(counts, key=lambda n: counts[n])


def _stance_rank(stance: str) -> int:
    return STANCE_ORDER.index(stance) if stance in STANCE_ORDER else len(STANCE_ORDER)


def _date_order(value: str | None) -> tuple:
    """Undated last; a month-only date at its first day."""
    if not value:
        return (1, date.max)
    day = iso_day(value if len(value) != 7 else value + "-01")
    return (0, day or date.max, len(value) == 7)


def _fact_order(fact: Fact) -> tuple:
    return (*_date_order(fact.date), -fact.severity, name_key(fact.actor), name_key(fact.target))


def _sources(mentions: list[Mention]) -> list[Source]:
    """Articles of these mentions as sources: the first sentence each states; copies folded
    into their original when the original is among them."""
    first: dict[int | None, Mention] = {}
    for m in sorted(mentions, key=lambda m: (m.position is None, m.position or 0)):
        first.setdefault(m.article_id, m)
    ordered = sorted(first.values(), key=lambda m: (m.published or "9999", m.article_id or 0))
    copies: dict[int | None, list[Mention]] = {}
    originals = []
    for m in ordered:
        if m.duplicate_of is not None and m.duplicate_of in first:
            copies.setdefault(m.duplicate_of, []).append(m)
        else:
            originals.append(m)
    return [_source(m, tuple(_source(c) for c in copies.get(m.article_id, ()))) for m in originals]


def _source(m: Mention, copies: tuple[Source, ...] = ()) -> Source:
    return Source(m.article_id, m.outlet, m.title, m.url, m.published, m.evidence, copies)


# --- what an incident is about -----------------------------------------------------------


def main_fact(facts: list[Fact]) -> Fact | None:
    """The fact that names the incident: the one most of its articles lead with; then the
    one most articles state; then one the text dates (news, not background recalled
    undated); then the gravest; then the one stated earliest in a text.

    A fact with the same party on both sides, or one that is denied, names nothing while
    any other fact is there.
    """
    candidates = [f for f in facts if f.stance != "denied" and name_key(f.actor) != name_key(f.target)] or facts
    if not candidates:
        return None
    return min(candidates, key=lambda f: (-f.lead_sources, -len(f.sources), f.estimated or not f.dated,
                                          -f.severity, _earliest_position(f), _fact_order(f)))


def _earliest_position(fact: Fact) -> int:
    positions = [m.position for m in fact.mentions if m.position is not None]
    return min(positions) if positions else 1 << 30


def fact_headline(main: Fact, facts: list[Fact], step: tuple[str, str, bool | None] | None = None) -> str:
    """The main fact as a headline naming every party its sentence names for the same step:
    "The New York Times sues OpenAI and Microsoft"; "Anthropic pays Andrea Bartz and 2
    others to settle". Parties of the same step told in other sentences (another
    government's ban) stay out of it. `step`: `step_parties(main, facts)`, if known."""
    actor, target, plural = step or step_parties(main, facts)
    kind = EVENT_TYPE.get(main.type)
    return kind.headline(actor, target, plural) if kind else main.headline


def step_parties(main: Fact, facts: list[Fact]) -> tuple[str, str, bool | None]:
    """(actors, targets, whether the actors are several) of the step the main fact's
    sentence tells: one actor and each target it names, or each actor against one target."""
    sentences = {_sentence(m) for m in main.mentions}
    told = []  # (where first said there, order, fact) of each fact of the main's type its sentences tell
    for n, f in enumerate(facts):
        if f.type == main.type:
            said = [_said_at(m) for m in f.mentions if _sentence(m) in sentences]
            if said:
                told.append((min(said), n, f))
    same_step = [f for _, _, f in sorted(told, key=lambda t: t[:2])]
    targets = [f.target for f in same_step if name_key(f.actor) == name_key(main.actor)]
    actors = [f.actor for f in same_step if name_key(f.target) == name_key(main.target)]
    if len(set(map(name_key, targets))) > 1 or len(set(map(name_key, actors))) <= 1:
        return main.actor, name_list(targets or [main.target], HEADLINE_NAMES), None
    return name_list(actors, HEADLINE_NAMES), main.target, True


def _sentence(m: Mention) -> tuple:
    return (m.article_id, m.position if m.position is not None else m.evidence)


def _said_at(m: Mention) -> tuple:
    """Where a party is said: by article, then by the order its events were found in."""
    return (m.article_id or 0, m.order)


def _same_day(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def fact_outline(facts: list[Fact]) -> dict:
    """`event_types` (in order of first report, then of the text) and `effective` [(type,
    date)] of the dated facts that are not denied, by date."""
    ordered = sorted(facts, key=lambda f: (f.first_reported or "9999", min(m.order for m in f.mentions)))
    effective = sorted({(f.type, f.date) for f in facts if f.date and f.stance != "denied"}, key=lambda td: (td[1], td[0]))
    return {"event_types": list(dict.fromkeys(f.type for f in ordered)), "effective": effective}


def escalated(facts: list[Fact], start: str, end: str) -> bool:
    """Whether the facts first reported in [start, end) (ISO days) escalate the incident
    (`incidents.event_types.ESCALATION`); a denied fact is no step at all."""
    before, new = set(), set()
    for f in facts:
        if f.stance == "denied" or not f.first_reported:
            continue
        if f.first_reported[:10] < start:
            before.add(f.type)
        elif f.first_reported[:10] < end:
            new.add(f.type)
    return escalates(before, new)
