"""What an incident says: its id, title, date, parties, outlets and lifecycle.

Everything here is derived from the incident's member articles, so it can be recomputed
whenever an article joins; only the id is fixed once, when the incident opens. The
lifecycle is the incident's facts (`incidents.facts`), and the title is its main fact.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass, field

from incidents.facts import Fact, Mention, consolidate, fact_headline, main_fact
from incidents.model import Incident

from .claims import ArticleView, Claim, event_day, month_span, name_key
from .cluster import IncidentState

ID_WORDS = {
    "ban": ("bans", "ban", "{target}"),
    "ban_lifted": ("lifts", "lift", "ban on {target}"),
    "access_cutoff": ("cuts off", "cut off", "{target}"),
    "allegation": ("accuses", "accuse", "{target}"),
    "lawsuit": ("sues", "sue", "{target}"),
    "investigation": ("investigates", "investigate", "{target}"),
    "security_finding": ("finds", "find", "security issue in {target}"),
    "breach": ("exposes", "expose", "data through {target}"),
    "fine": ("fines", "fine", "{target}"),
    "settlement": ("settles", "settle", "with {target}"),
}
"""The words an incident id is made of (from its first article's lead claim): the verb for
one actor, for several, and what follows. Frozen: a relink makes every id again from these
words, and the ids must come out as they were, so links in sent digests keep working.
Titles are worded by `incidents.event_types`, free to change."""

ID_ORDER = ("ban", "access_cutoff", "lawsuit", "fine")
"""Claim types an id prefers, in this order (frozen for the same reason)."""


def id_words(event_type: str, actor: str, target: str) -> str:
    """"Alibaba bans Claude Code"; "security researchers find security issue in Copilot"."""
    singular, plural, rest = ID_WORDS.get(event_type, ("", "", "{target}"))
    verb = plural if actor[:1].islower() and actor.endswith("s") else singular
    return " ".join(w for w in (actor, verb, rest.format(target=target)) if w)


SLUG_WORDS = 10


@dataclass
class IncidentSummary:
    """An incident as the store and the graph keep it."""

    incident: Incident
    outlets: list[str] = field(default_factory=list)
    lifecycle: list[dict] = field(default_factory=list)
    members: list[tuple[int, bool, float]] = field(default_factory=list)  # article, primary, score


def lead_claim(claims: list[Claim]) -> Claim | None:
    """The claim that names an incident: escalations first, then the order of the text."""
    if not claims:
        return None
    rank = {t: i for i, t in enumerate(ID_ORDER)}
    return min(enumerate(claims), key=lambda ic: (rank.get(ic[1].type, len(rank)), ic[0]))[1]


def new_incident_id(view: ArticleView, taken: Container[str]) -> str:
    """A readable id from the article's lead claim and month, made unique against `taken`."""
    claim = lead_claim(view.main_claims)
    if claim is not None:
        words = id_words(claim.type, claim.actor_name, claim.target_name)
        day = event_day(claim.date) or view.day
    else:
        words = view.title or f"article {view.id}"
        day = view.day
    base = "-".join(slug(words).split("-")[:SLUG_WORDS]) or "incident"
    base = f"{base}-{day:%Y-%m}" if day else f"{base}-undated"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def summarise(state: IncidentState) -> IncidentSummary:
    """The incident's title, date, parties, outlets and lifecycle from its members."""
    views = list(state.views.values())
    names = _display_names(views)
    facts = incident_facts(state, views)
    main = main_fact(facts)
    core = core_claims(state)
    if main is not None:
        title = _sentence_case(fact_headline(main, facts))
    else:
        title = min(views, key=lambda v: v.id).title if views else state.id
    lifecycle = [_lifecycle_entry(f) for f in facts]
    incident = Incident(
        id=state.id,
        title=title,
        date=_incident_date(lifecycle, core, state),
        main_type=main.type if main else None,
        actors=_ranked(core, 1, names),
        targets=_ranked(core, 2, names),
        article_ids=sorted(state.members),
        first_seen=state.first.isoformat() if state.first else None,
        last_seen=state.last.isoformat() if state.last else None,
    )
    outlets = sorted({v.outlet for v in views if v.outlet})
    members = [(aid, aid in state.primary, round(score, 4)) for aid, score in sorted(state.members.items())]
    return IncidentSummary(incident, outlets, lifecycle, members)


def titled(summary: IncidentSummary, titles: dict[str, str]) -> IncidentSummary:
    """The summary with the title an analyst gave the incident (`titles`: id -> title), if any."""
    if summary.incident.id in titles:
        summary.incident.title = titles[summary.incident.id]
    return summary


def incident_facts(state: IncidentState, views: list[ArticleView]) -> list[Fact]:
    """The incident's facts: its members' current claims plus any claim between the
    incident's main parties (the ban that a later lawsuit follows), each fact once."""
    main_pairs = state.main_pairs
    return consolidate(_mention(c, n, v) for v in sorted(views, key=lambda v: v.id) for n, c in enumerate(v.claims)
                       if c.current or c.pair in main_pairs)


def _mention(c: Claim, order: int, v: ArticleView) -> Mention:
    return Mention(type=c.type, actor=c.actor_name, target=c.target_name, date=c.date, evidence=c.evidence,
                   article_id=v.id, outlet=v.outlet, published=v.published.isoformat() if v.published else None,
                   title=v.title, duplicate_of=v.duplicate_of, date_basis=c.date_basis, stance=c.stance,
                   position=c.position, lead=c.main, order=order)


def _lifecycle_entry(fact: Fact) -> dict:
    """A fact as the graph keeps it on the incident node and its edges."""
    articles = fact.article_ids
    first = fact.sources[0].article_id if fact.sources else (articles[0] if articles else None)
    return {"date": fact.date, "dated": fact.dated, "type": fact.type, "actor": fact.actor, "target": fact.target,
            "evidence": fact.evidence, "article": first, "articles": articles, "outlets": fact.outlets,
            "stance": fact.stance, "fact": fact.id}


def core_claims(state: IncidentState) -> Counter:
    """The main claims most members lead with: what the incident is about, as opposed
    to what one article also mentions in its lead."""
    quorum = len(state.members) // 2 + 1
    core = Counter({k: n for k, n in state.main_claims.items() if n >= quorum})
    return core or state.main_claims


def _ranked(core: Counter, position: int, names: dict[str, str]) -> list[str]:
    totals: Counter = Counter()
    for key, n in core.items():
        totals[key[position]] += n
    return [names.get(k, k) for k, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]


def _incident_date(lifecycle: list[dict], core: Counter, state: IncidentState) -> str | None:
    """Earliest dated event between the incident's core parties, else its first publication."""
    pairs = {(a, t) for _, a, t in core}
    dated = [e for e in lifecycle if e["dated"]
             and (name_key(e["actor"]), name_key(e["target"])) in pairs]
    if dated:
        return min(dated, key=lambda e: _sort_day(e["date"]))["date"]
    return state.first.isoformat() if state.first else None


def _display_names(views: list[ArticleView]) -> dict[str, str]:
    counts: dict[str, Counter] = {}
    for v in views:
        for c in v.claims:
            counts.setdefault(c.actor, Counter())[c.actor_name] += 1
            counts.setdefault(c.target, Counter())[c.target_name] += 1
    return {k: c.most_common(1)[0][0] for k, c in counts.items()}


_FAR = event_day("9999-12-31")


def _sort_day(value: str | None):
    span = month_span(value)
    return span[0] if span else _FAR
