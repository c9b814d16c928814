"""What an incident says: its id, title, date, parties, outlets and lifecycle.

Everything here is derived from the incident's member articles, so it can be recomputed
whenever an article joins; only the id is fixed once, when the incident opens.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from incidents.model import ESCALATING_TYPES, EVENT_TYPES, Incident

from .claims import ArticleView, Claim, event_day, month_span, name_key
from .cluster import IncidentState

HEADLINES = {
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
"""Headline of an incident from its main claim, one per event type: the verb for one
actor, the verb for several, and what follows it."""
assert set(HEADLINES) == set(EVENT_TYPES)


def headline(event_type: str, actor: str, target: str) -> str:
    """"Alibaba bans Claude Code"; "security researchers find security issue in Copilot"."""
    singular, plural, rest = HEADLINES[event_type]
    # Named parties take the singular; a common-noun party ("security researchers") is plural.
    verb = plural if actor[:1].islower() and actor.endswith("s") else singular
    return f"{actor} {verb} {rest.format(target=target)}"


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
    rank = {t: i for i, t in enumerate(ESCALATING_TYPES)}
    return min(enumerate(claims), key=lambda ic: (rank.get(ic[1].type, len(rank)), ic[0]))[1]


def new_incident_id(view: ArticleView, taken: set[str]) -> str:
    """A readable id from the article's lead claim and month, made unique against `taken`."""
    claim = lead_claim(view.main_claims)
    if claim is not None:
        words = headline(claim.type, claim.actor_name, claim.target_name)
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
    main = _main_claim(state, views)
    lifecycle = _lifecycle(state, views)
    core = core_claims(state)
    if main is not None:
        title = _sentence_case(headline(main.type, main.actor_name, main.target_name))
    else:
        title = min(views, key=lambda v: v.id).title if views else state.id
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


def _main_claim(state: IncidentState, views: list[ArticleView]) -> Claim | None:
    """The claim most members lead with; escalations win ties."""
    if not state.main_claims:
        return None
    rank = {t: i for i, t in enumerate(ESCALATING_TYPES)}
    key = min(state.main_claims, key=lambda k: (-state.main_claims[k], rank.get(k[0], len(rank)), k))
    for v in sorted(views, key=lambda v: v.id):
        for c in v.main_claims:
            if (c.type, c.actor, c.target) == key:
                return c
    return None


def _lifecycle(state: IncidentState, views: list[ArticleView]) -> list[dict]:
    """Every distinct event of the incident in date order, with its earliest evidence.

    An incident's events are its members' current claims plus any claim between the
    incident's main parties (the ban that a later lawsuit follows).
    """
    main_pairs = state.main_pairs
    found: dict[tuple, dict] = {}
    for v in sorted(views, key=lambda v: (v.day or v.published or _FAR, v.id)):
        for c in v.claims:
            if not (c.current or c.pair in main_pairs):
                continue
            key = (c.type, c.actor, c.target)
            day = event_day(c.date)
            when = c.date or (v.day.isoformat() if v.day else None)
            entry = found.get(key)
            if entry is None:
                found[key] = {"date": when, "dated": day is not None, "type": c.type, "actor": c.actor_name,
                              "target": c.target_name, "evidence": c.evidence, "article": v.id, "articles": [v.id]}
                continue
            if v.id not in entry["articles"]:
                entry["articles"].append(v.id)
            if day is not None and (not entry["dated"] or _sort_day(c.date) < _sort_day(entry["date"])):
                entry.update(date=c.date, dated=True, evidence=c.evidence, article=v.id)
    order = {t: i for i, t in enumerate(EVENT_TYPES)}
    return sorted(found.values(), key=lambda e: (_sort_day(e["date"]), order[e["type"]], e["actor"], e["target"]))


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
