"""`incidents link`: new analysed articles into incidents, then the incident graph updated.

Incremental: only articles not yet linked by this linker version are placed, against
the stored incidents they could join (found through the store's index, `candidates.py`:
a run costs what its new articles cost, whatever the store holds); an article whose
analysis changed is taken out of its incidents and placed again. A new linker version relinks everything. The store
is written in one transaction, so a crash leaves the previous incidents in place.
An article that cannot be linked (whatever it holds) is set aside and named; the rest
are linked.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from incidents.corrections import IncidentRules
from incidents.model import date_in_range, date_range_text

from .build import update_graph
from .claims import ArticleView
from .candidates import candidate_incidents
from .cluster import Clusterer, IncidentState, sort_key
from .describe import new_incident_id, summarise, titled
from .members import Loaded, load_states

LINKER_VERSION = "link-3"
"""Changing the clustering rules changes this, and the next run relinks every article.
link-2: titles and lifecycles from consolidated facts (`incidents.facts`).
link-3: one party under its several names ("US Navy", "Navy"; `incidents.names`), the
incident index files claim pairs so that each name finds the others, and an article that
names an incident's party joins it reading alike at 0.50, not 0.60; an article that only
recalls old events has no main claim (it took the first as one)."""


@dataclass
class LinkSummary:
    """What one link run did."""

    articles: int = 0
    relevant: int = 0
    new_incidents: list[str] = field(default_factory=list)
    updated_incidents: list[str] = field(default_factory=list)
    removed_incidents: list[str] = field(default_factory=list)
    relinked_all: bool = False
    incidents_read: int = 0  # stored incidents read to place the new articles among
    total_incidents: int = 0
    graph_path: Path | None = None  # the file the graph was also exported to (the `graph_path` setting)
    graph_nodes: int = 0
    graph_edges: int = 0
    set_aside: list[tuple[int, str, str]] = field(default_factory=list)  # (article id, url, why)

    def report(self) -> str:
        lines = [f"link: set aside article {i} ({url or 'no url'}): {why}" for i, url, why in self.set_aside]
        lines += [f"linked {self.articles} articles ({self.relevant} relevant)"
                 + (" - relinked everything for a new linker version" if self.relinked_all else ""),
                 f"incidents: {len(self.new_incidents)} new, {len(self.updated_incidents)} updated, "
                 f"{len(self.removed_incidents)} removed, {self.total_incidents} in all"]
        lines.append(f"graph: {self.graph_nodes} nodes, {self.graph_edges} edges in the store"
                     + (f", exported to {self.graph_path}" if self.graph_path is not None else ""))
        return "\n".join(lines)


def run_link(store, graph_path: str | Path | None = None) -> LinkSummary:
    """Cluster what is new into incidents, store them, and update the graph saved in the store
    (exported to `graph_path` too when given).

    Analysts' corrections are followed: an article merged or moved goes where they put it,
    a merged-away id is never given again, an incident they named keeps its id and title.
    """
    summary = LinkSummary()
    store.build_incident_index()
    store.build_incident_outlines()
    summary.relinked_all = store.linked_by_another(LINKER_VERSION)
    to_link = store.articles_to_link(None if summary.relinked_all else LINKER_VERSION)
    stamp_before = store.incident_stamp()
    rules = store.incident_rules()
    loaded = Loaded()
    loaded.read(store, to_link)
    new_views = _datable([loaded.views[i] for i in to_link if i in loaded.views and loaded.analyses[i].relevant],
                         loaded)
    summary.articles, summary.relevant = len(to_link), len(new_views)

    states = [] if summary.relinked_all else _nearby_states(store, to_link, new_views, loaded, rules)
    stored = {s.id for s in states}
    summary.incidents_read = len(states)
    # ids an analyst's correction names are never given to a new incident by chance
    taken = TakenIds(store, set(rules.redirects) | set(rules.pins.values()) | set(rules.identities),
                     ask_store=not summary.relinked_all)
    clusterer = Clusterer(states, new_id=lambda view, known: new_incident_id(view, taken.with_(known)))
    for article_id in to_link:
        clusterer.remove(article_id)
    for view in sorted(new_views, key=sort_key):
        try:
            if view.id in rules.pins:
                clusterer.place(view, rules.pins[view.id])
            else:
                clusterer.add(view)
        except Exception as exc:  # noqa: BLE001 - one article must not stop the others being linked
            clusterer.remove(view.id)
            loaded.failed[view.id] = f"{type(exc).__name__}: {exc}"
    follow_corrections(clusterer, rules, stored)
    correct_new_facts(store, clusterer, [v.id for v in new_views], loaded)

    changed, removed = _outcome(clusterer.states.values(), {s.id for s in states}, summary)
    summaries = [titled(summarise(s), rules.titles) for s in changed]
    store.save_link([(x.incident, x.members, s.centroid) for x, s in zip(summaries, changed)],
                    removed, to_link, LINKER_VERSION, replace_all=summary.relinked_all)
    summary.total_incidents = store.count_incidents()
    graph = update_graph(store, graph_path, summaries, removed, to_link, loaded,
                         stamp_before=None if summary.relinked_all else stamp_before)
    summary.graph_path = Path(graph_path) if graph_path else None
    summary.graph_nodes, summary.graph_edges = graph.number_of_nodes(), graph.number_of_edges()
    summary.set_aside = [(i, (loaded.rows.get(i) or {}).get("url") or "", why) for i, why in sorted(loaded.failed.items())]
    return summary


class TakenIds:
    """Incident ids a new incident must not get: `known` ones, and, unless relinking from
    scratch, every stored one (each asked of the store, so a run never reads them all)."""

    def __init__(self, store, known: set[str], ask_store: bool = True):
        self.store, self.known, self.ask_store = store, known, ask_store

    def with_(self, more: set[str]) -> TakenIds:
        return TakenIds(self.store, self.known | more, self.ask_store)

    def __contains__(self, incident_id: str) -> bool:
        return incident_id in self.known or (self.ask_store and self.store.incident_exists(incident_id))


def follow_corrections(clusterer: Clusterer, rules: IncidentRules, stored: set[str]) -> None:
    """After placing: what is left in a merged-away incident goes to the one it was merged
    into, and an incident an analyst named keeps its id when its articles now form one of
    another id (a relink from scratch, a new pipeline version)."""
    for source, into in sorted(rules.redirects.items()):
        clusterer.fold(source, into)
    for incident_id, recorded in sorted(rules.identities.items()):
        current = clusterer.states.get(incident_id)
        if current is not None and current.members:
            continue
        named = set(rules.identities) | set(rules.pins.values()) | stored
        best = max((s for s in clusterer.states.values() if s.id not in named and s.members),
                   key=lambda s: (len(recorded & set(s.members)), s.id), default=None)
        if best is not None and 2 * len(recorded & set(best.members)) >= len(best.members) > 0:
            clusterer.rename(best.id, incident_id)


def correct_new_facts(store, clusterer: Clusterer, placed: list[int], loaded: Loaded) -> None:
    """Articles that joined an incident whose facts an analyst corrected get the same
    corrections (a new article repeating a rejected fact must not bring it back)."""
    corrected = store.fact_corrected_incidents()
    if not corrected:
        return
    placed_now = set(placed)
    within = {aid: s.id for s in clusterer.states.values() if s.id in corrected
              for aid in s.primary if aid in placed_now}
    members: dict[str, set[int]] = {}
    for article_id, incident_id in within.items():
        members.setdefault(incident_id, set()).add(article_id)
    for article_id in store.reapply_corrections(within, members=members):
        clusterer.remove(article_id)
        loaded.forget(article_id)
        loaded.read(store, [article_id])
        if article_id in loaded.views:
            clusterer.place(loaded.views[article_id], within[article_id])


def _datable(views: list[ArticleView], loaded: Loaded) -> list[ArticleView]:
    """The views whose day is a believable date; the others are set aside (a sitemap's year 1
    would otherwise overflow the date arithmetic of every later run)."""
    kept = []
    for view in views:
        if view.day is None or date_in_range(view.day):
            kept.append(view)
        else:
            loaded.failed[view.id] = f"its date {view.day} is outside {date_range_text()}"
    return kept


def _nearby_states(store, to_link: list[int], views: list[ArticleView], loaded: Loaded,
                   rules: IncidentRules) -> list[IncidentState]:
    """Stored incidents the new articles could join, that hold articles to relink, or that
    an analyst put one of them in or merged one into; the rest of the store is not read."""
    pinned = {rules.pins[a] for a in to_link if a in rules.pins}
    wanted = (candidate_incidents(store, views) | store.incidents_of(to_link) | pinned
              | set(rules.redirects) | set(rules.redirects.values()))
    return load_states(store, store.incident_members(ids=sorted(wanted)), loaded) if wanted else []


def _outcome(states, stored: set[str], summary: LinkSummary) -> tuple[list[IncidentState], list[str]]:
    """Incidents to write and incident ids to delete, noted in the summary."""
    changed, removed = [], []
    for state in sorted(states, key=lambda s: s.id):
        if not state.changed:
            continue
        if not state.members:
            if state.id in stored:
                removed.append(state.id)
            continue
        changed.append(state)
        (summary.updated_incidents if state.id in stored else summary.new_incidents).append(state.id)
    summary.removed_incidents = removed
    return changed, removed


def resummarise(store, incident_ids, article_ids=(), graph_path: str | Path | None = None) -> list[str]:
    """Describe these incidents again from their stored members, which stay where they are
    (a fact, an entity or a title corrected); `article_ids` are redrawn in the graph.
    Returns the incident ids written."""
    rules = store.incident_rules()
    stamp_before = store.incident_stamp()
    loaded = Loaded()
    states = [s for s in load_states(store, store.incident_members(ids=sorted(set(incident_ids))), loaded) if s.members]
    summaries = [titled(summarise(s), rules.titles) for s in states]
    store.save_link([(x.incident, x.members, s.centroid) for x, s in zip(summaries, states)], [], [], LINKER_VERSION)
    redrawn = sorted(set(article_ids))
    loaded.read(store, redrawn)
    update_graph(store, graph_path, summaries, [], redrawn, loaded, stamp_before=stamp_before)
    return [x.incident.id for x in summaries]
