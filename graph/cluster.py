"""Clustering articles into incidents, one article at a time.

Articles arrive in publication order. Each is compared with the open incidents near it
in time and joins the best one it matches, or opens a new one. A match needs more than
similar wording: the article and the incident must share who-did-what-to-whom (a claim
pair), or read alike *and* name a common party within a short window; and an article
whose lead claim has the incident's action and target but another actor (a second
government banning the same chatbot) is a different incident unless it reads almost
the same. An article that also tells a second incident's main claim joins that one too,
as a secondary member.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np

from incidents.model import date_in_range
from incidents.names import canonical_names

from .claims import ArticleView, Claim, event_day, month_span

SAME_STORY = 0.80
"""Cosine similarity of title and lead above which two texts tell one story whatever else."""

ALIKE = 0.50
"""Similarity that, with a shared party and a short gap, makes an article join (0.45 to 0.50
gave the best incidents by cross-validation on the corpus, where most articles this joins
have no event settled: "Slack restricts data access for third-party AI firms" beside
"Salesforce shuts rivals out of Slack data"; 0.60 split them)."""

BLIND_ALIKE = 0.70
"""Similarity that joins an article when neither it nor the incident names any entity."""

PAIR_ALIKE = 0.35
"""Similarity enough when the article and incident share a main claim pair."""

ANY_PAIR_ALIKE = 0.50
"""Similarity enough when they share any current claim pair."""

WORDING_FLOOR = min(SAME_STORY, ALIKE, BLIND_ALIKE)
"""The least similarity at which `match` joins an article to an incident that shares no
claim pair with it (and then only within SHORT_GAP)."""

SHORT_GAP = timedelta(days=14)
"""Publication gap within which wording and shared names may join an article."""

PAIR_GAP = timedelta(days=45)
"""Publication gap within which a shared claim pair joins an article."""

EVENT_SLACK = timedelta(days=31)
"""How far outside an incident's span a shared claim's event date may fall and still join."""

HORIZON = timedelta(days=400)
"""Incidents older than this before an article are not compared with it."""


@dataclass
class IncidentState:
    """An incident while linking: its members and what they claim, kept as running totals."""

    id: str
    members: dict[int, float] = field(default_factory=dict)  # article id -> match score
    primary: set[int] = field(default_factory=set)
    views: dict[int, ArticleView] = field(default_factory=dict)
    vector_sum: np.ndarray | None = None
    first: date | None = None
    last: date | None = None
    main_claims: Counter = field(default_factory=Counter)  # (type, actor, target) -> members
    pairs: Counter = field(default_factory=Counter)  # (actor, target) of current claims -> members
    entity_keys: Counter = field(default_factory=Counter)
    actors: Counter = field(default_factory=Counter)
    targets: Counter = field(default_factory=Counter)
    event_days: list[date] = field(default_factory=list)
    changed: bool = True

    def add(self, view: ArticleView, score: float, primary: bool) -> None:
        self.members[view.id] = score
        if primary:
            self.primary.add(view.id)
        self.views[view.id] = view
        if view.vector is not None:
            self.vector_sum = view.vector.copy() if self.vector_sum is None else self.vector_sum + view.vector
        day = view.day
        if day:
            self.first = min(self.first or day, day)
            self.last = max(self.last or day, day)
        for c in view.main_claims:
            self.main_claims[(c.type, c.actor, c.target)] += 1
            self.actors[c.actor] += 1
            self.targets[c.target] += 1
            if (d := event_day(c.date)) and date_in_range(d):  # a year-1 date would overflow the spans
                self.event_days.append(d)
        self.pairs.update({c.pair for c in view.claims if c.current})
        self.entity_keys.update(view.entity_keys)
        self.changed = True

    @property
    def centroid(self) -> np.ndarray | None:
        if self.vector_sum is None:
            return None
        norm = float(np.linalg.norm(self.vector_sum))
        return self.vector_sum / norm if norm else None

    @property
    def main_pairs(self) -> set[tuple[str, str]]:
        return {(a, t) for _, a, t in self.main_claims}

    @property
    def parties(self) -> set[str]:
        return set(self.actors) | set(self.targets)


@dataclass(frozen=True)
class Match:
    incident: IncidentState
    score: float
    strong: bool  # shares a main claim pair: enough to join as a secondary member


def match(view: ArticleView, incident: IncidentState, similarity: float) -> Match | None:
    """Whether the article belongs to the incident, and how well; None when it does not."""
    seen, known = named_alike(view, incident)
    gap = _gap(seen.day, incident)
    if gap is None:
        gap = timedelta(0)
    shared_main = seen.main_pairs & known.main_pairs
    if similarity >= SAME_STORY and gap <= SHORT_GAP:
        return Match(incident, similarity + (0.5 if shared_main else 0.3), bool(shared_main))
    if _conflicts(seen, known):
        return None
    if shared_main and similarity >= PAIR_ALIKE and (gap <= PAIR_GAP or _event_in_span(seen, shared_main, known)):
        return Match(incident, similarity + 0.5, True)
    shared_any = seen.pairs & set(known.pairs)
    if shared_any and similarity >= ANY_PAIR_ALIKE and gap <= PAIR_GAP:
        return Match(incident, similarity + 0.25, False)
    shares_party = bool((seen.title_keys | {k for c in seen.main_claims for k in c.pair})
                        & (known.parties | set(known.entity_keys)))
    # A headline naming a country the incident never mentions is another government's move.
    new_place = bool(seen.title_places - set(known.entity_keys))
    if shares_party and not new_place and similarity >= ALIKE and gap <= SHORT_GAP:
        return Match(incident, similarity, False)
    # Nothing but wording to go on (no entities found on either side): demand more of it.
    blind = not seen.entity_keys and not known.entity_keys
    if blind and similarity >= BLIND_ALIKE and gap <= SHORT_GAP:
        return Match(incident, similarity, False)
    return None


def named_alike(view: ArticleView, incident: IncidentState) -> tuple[ArticleView, IncidentState]:
    """The article and the incident with each party under one name ("US Navy" and "Navy",
    `incidents.names`), for comparing; both are returned unchanged when they name no party two ways."""
    claimed = {k for c in view.claims for k in c.pair} | view.title_keys
    canon = canonical_names(claimed | incident.parties | {k for pair in incident.pairs for k in pair})
    if all(k == v for k, v in canon.items()):
        return view, incident

    def name(key: str) -> str:
        return canon.get(key, key)

    def counted(counter: Counter, rename) -> Counter:
        out: Counter = Counter()
        for key, n in counter.items():
            out[rename(key)] += n
        return out

    view = replace(view, claims=[replace(c, actor=name(c.actor), target=name(c.target)) for c in view.claims],
                   title_keys={name(k) for k in view.title_keys}, entity_keys={name(k) for k in view.entity_keys},
                   title_places={name(k) for k in view.title_places})
    incident = replace(
        incident, main_claims=counted(incident.main_claims, lambda t: (t[0], name(t[1]), name(t[2]))),
        pairs=counted(incident.pairs, lambda p: (name(p[0]), name(p[1]))),
        actors=counted(incident.actors, name), targets=counted(incident.targets, name),
        entity_keys=counted(incident.entity_keys, name))
    return view, incident


def _gap(day: date | None, incident: IncidentState) -> timedelta | None:
    """How far the day lies outside the incident's span of publication days."""
    if day is None or incident.first is None:
        return None
    if day < incident.first:
        return incident.first - day
    if day > incident.last:
        return day - incident.last
    return timedelta(0)


def _event_in_span(view: ArticleView, pairs: set, incident: IncidentState) -> bool:
    """A shared claim is dated within the incident's span (a follow-up months later)."""
    days = incident.event_days + [d for d in (incident.first, incident.last) if d]
    if not days:
        return False
    start, end = min(days) - EVENT_SLACK, max(days) + EVENT_SLACK
    for c in view.claims:
        span = month_span(c.date)
        if c.pair in pairs and span and span[1] >= start and span[0] <= end:
            return True
    return False


def _conflicts(view: ArticleView, incident: IncidentState) -> bool:
    """The article leads with the incident's action on the same party, by or against another.

    "Australia bans DeepSeek" against an incident "South Korea bans DeepSeek": same type,
    same target, an actor the incident never names as acting. Likewise same actor and
    type against a target the incident never names.
    """
    if view.main_pairs & incident.main_pairs:
        return False
    for c in view.main_claims:
        for (kind, actor, target) in incident.main_claims:
            if c.type != kind:
                continue
            if c.target == target and c.actor != actor and c.actor not in incident.actors:
                return True
            if c.actor == actor and c.target != target and c.target not in incident.targets:
                return True
    return False


class Clusterer:
    """Assigns articles to incidents; `states` holds every incident it knows."""

    def __init__(self, states: list[IncidentState] | None = None, new_id=None):
        self.states: dict[str, IncidentState] = {}
        self._new_id = new_id or (lambda view, taken: f"incident-{len(taken) + 1}")
        self._index = CentroidIndex()
        self._vectorless: set[str] = set()  # incidents none of whose articles has an embedding
        self._former: dict[int, set[str]] = {}  # article taken out -> the incidents it was in
        for state in states or []:
            self._put(state)

    def add(self, view: ArticleView) -> list[str]:
        """Place one article; returns the incident ids it joined, primary first."""
        matches = [m for m in (match(view, s, sim) for s, sim in self._candidates(view)) if m]
        matches.sort(key=lambda m: (-m.score, m.incident.id))
        if not matches:
            state = IncidentState(id=self._former_empty_id(view) or self._new_id(view, set(self.states)))
            state.add(view, 1.0, primary=True)
            self._put(state)
            return [state.id]
        best, rest = matches[0], matches[1:]
        joined = [best.incident.id]
        best.incident.add(view, best.score, primary=True)
        self._put(best.incident)
        for m in rest:
            if m.strong:
                m.incident.add(view, m.score, primary=False)
                self._put(m.incident)
                joined.append(m.incident.id)
        return joined

    def place(self, view: ArticleView, incident_id: str) -> list[str]:
        """Put an article where an analyst said it belongs (a merge or move), opening that
        incident when nothing holds it; it joins no other incident."""
        state = self.states.get(incident_id) or IncidentState(id=incident_id)
        state.add(view, 1.0, primary=True)
        self._put(state)
        return [incident_id]

    def fold(self, source: str, into: str) -> None:
        """Move every member of one incident into another (an analyst merged them)."""
        old = self.states.get(source)
        if old is None or not old.members:
            return
        target = self.states.get(into) or IncidentState(id=into)
        for aid, view in old.views.items():
            if aid not in target.members:
                target.add(view, old.members[aid], aid in old.primary)
        self._put(target)
        self._put(IncidentState(id=source))

    def rename(self, old_id: str, new_id: str) -> None:
        """Give an incident another id (one an analyst's correction names); placing is over."""
        state = self.states.pop(old_id)
        self._put(IncidentState(id=old_id))
        state.id, state.changed = new_id, True
        self._put(state)

    def remove(self, article_id: int) -> set[str]:
        """Take an article out of every incident (its analysis changed); returns those touched."""
        touched = {s.id for s in self.states.values() if article_id in s.members}
        self._former[article_id] = touched
        for incident_id in touched:
            old = self.states[incident_id]
            rebuilt = IncidentState(id=incident_id)
            for aid, view in old.views.items():
                if aid != article_id:
                    rebuilt.add(view, old.members[aid], aid in old.primary)
            self._put(rebuilt)
        return touched

    def _former_empty_id(self, view: ArticleView) -> str | None:
        """The id of an incident this article was taken out of and that nothing holds now.

        Re-analysed articles are taken out and placed again; the incident they open again
        keeps its id, so links to it (dashboard, digests sent) stay valid.
        """
        for incident_id in sorted(self._former.get(view.id, ())):
            if not self.states[incident_id].members:
                return incident_id
        return None

    def _put(self, state: IncidentState) -> None:
        self.states[state.id] = state
        if not state.members:
            self._vectorless.discard(state.id)
            self._index.clear(state.id)
        elif state.centroid is None:
            self._vectorless.add(state.id)
        else:
            self._vectorless.discard(state.id)
            self._index.update(state)

    def _candidates(self, view: ArticleView) -> list[tuple[IncidentState, float]]:
        """Incidents within the horizon that read at least remotely alike, with the similarity."""
        if view.vector is None:
            # Without a vector only the claims can decide: treat the wording as neutral.
            return [(s, UNKNOWN_SIMILARITY) for s in self.states.values() if _near(view.day, s)]
        found = [(self.states[i], sim) for i, sim in self._index.similar(view, PAIR_ALIKE)]
        found += [(self.states[i], UNKNOWN_SIMILARITY) for i in sorted(self._vectorless)
                  if _near(view.day, self.states[i])]
        return found


UNKNOWN_SIMILARITY = 0.5
"""Similarity assumed for an article without an embedding."""


def _near(day: date | None, s: IncidentState) -> bool:
    return day is None or s.last is None or (s.last >= day - HORIZON and s.first <= day + HORIZON)


class CentroidIndex:
    """Incident centroids as one matrix, so an article is compared with all in one product."""

    def __init__(self, dim: int | None = None):
        self.ids: list[str] = []
        self.rows: dict[str, int] = {}
        self.matrix = np.zeros((0, dim or 0), dtype=np.float32)
        self.first = np.zeros(0, dtype=np.int64)
        self.last = np.zeros(0, dtype=np.int64)

    def update(self, state: IncidentState) -> None:
        centroid = state.centroid
        if centroid is None:
            return
        row = self.rows.get(state.id)
        if row is None:
            row = self._append(state.id, centroid.shape[0])
        self.matrix[row] = centroid
        self.first[row] = state.first.toordinal() if state.first else 0
        self.last[row] = state.last.toordinal() if state.last else 0

    def clear(self, incident_id: str) -> None:
        """Never offer this incident again (it lost its last article)."""
        row = self.rows.get(incident_id)
        if row is not None:
            self.matrix[row] = 0.0

    def similar(self, view: ArticleView, floor: float) -> list[tuple[str, float]]:
        """(incident id, similarity) of the incidents near in time with similarity >= floor."""
        n = len(self.ids)
        if not n:
            return []
        sims = self.matrix[:n] @ view.vector
        keep = sims >= floor
        if view.day is not None:
            day, horizon = view.day.toordinal(), HORIZON.days
            undated = self.first[:n] == 0
            keep &= undated | ((self.last[:n] >= day - horizon) & (self.first[:n] <= day + horizon))
        return [(self.ids[i], float(sims[i])) for i in np.flatnonzero(keep)]

    def _append(self, incident_id: str, dim: int) -> int:
        row = len(self.ids)
        if row >= self.matrix.shape[0]:
            size = max(64, 2 * row)
            grown = np.zeros((size, dim), dtype=np.float32)
            if row:
                grown[:row] = self.matrix[:row]
            self.matrix = grown
            self.first = np.resize(self.first, size)
            self.last = np.resize(self.last, size)
        self.ids.append(incident_id)
        self.rows[incident_id] = row
        return row


def sort_key(view: ArticleView) -> tuple:
    """Articles are linked in publication order, undated ones last, then by id."""
    return (view.day is None, view.day or date.min, view.id)
