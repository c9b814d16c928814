"""An analyst's correction, checked, recorded in the log and put in force at once.

Each method checks the correction against the store (a mistyped id or name is one
`IncidentsError` naming it, with close names), appends it to the log, then redoes what it
changes: the analyses it reaches are stored again from the machine's own plus every
correction in force, and the linker places again the articles a merge or move concerns,
or describes again the incidents a fact, entity or title correction concerns. The
command line (`incidents correct ...`) and the dashboard's forms both call these methods.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from incidents.corrections import (
    ARTICLE_KINDS,
    ENTITY_ATTRIBUTE_KINDS,
    ENTITY_NAME_KINDS,
    FACT_FIELDS,
    FACT_KINDS,
    UNDO,
    AnalysisOverlay,
    Correction,
    IncidentRules,
    fact_subject,
    in_force,
    undone_ids,
)
from incidents.errors import IncidentsError
from incidents.facts import consolidate
from incidents.model import ENTITY_TYPES, EVENT_TYPES, date_value_in_range
from incidents.names import name_key

from .describe import new_incident_id
from .link import resummarise, run_link
from .members import Loaded

SUGGESTIONS = 5
TITLE_CHARS = 300
"""Longest title an analyst may give an incident."""

_DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?")


@dataclass
class Corrector:
    """Makes corrections on one store as one person (`who`)."""

    store: object
    who: str
    graph_path: str | Path | None = None

    # --- incidents ---

    def merge(self, source: str, into: str, reason: str | None = None) -> Correction:
        """Merge incident `source` into `into`: its articles join it, its id redirects to it."""
        source_id, into_id = self._incident(source), self._incident(into)
        if source_id == into_id:
            raise IncidentsError(f"incident {source!r}: cannot merge an incident into itself")
        members = self.store.incident_members(ids=[source_id, into_id])
        correction = Correction("merge", source_id, new={"into": into_id}, old={
            "title": self._title(source_id),
            "articles": _primary(members.get(source_id, [])),
            "into_articles": _primary(members.get(into_id, []))}, who=self.who, reason=reason)
        return self._record(correction, relink=[a for a, _, _ in members.get(source_id, [])])

    def retitle(self, incident_id: str, title: str, reason: str | None = None) -> Correction:
        kept = self._incident(incident_id)
        title = " ".join((title or "").split())
        if not title:
            raise IncidentsError(f"incident {incident_id!r}: the new title is empty")
        if len(title) > TITLE_CHARS:
            raise IncidentsError(f"incident {incident_id!r}: the new title has {len(title)} characters "
                                 f"(at most {TITLE_CHARS})")
        members = self.store.incident_members(ids=[kept]).get(kept, [])
        correction = Correction("retitle", kept, new={"title": title},
                                old={"title": self._title(kept), "articles": _primary(members)},
                                who=self.who, reason=reason)
        return self._record(correction, incidents=[kept])

    def move(self, article: str, to: str | None = None, new: bool = False, reason: str | None = None) -> Correction:
        """Move an article to incident `to`, or (`new`) to an incident of its own."""
        if bool(to) == bool(new):
            raise IncidentsError(f"article {article!r}: say where to move it: to an incident id or to a new one")
        article_id = self._article(article)
        analysis = self.store.analyses_for([article_id]).get(article_id)
        if analysis is None or not analysis.relevant:
            raise IncidentsError(f"article {article!r}: not analysed as relevant, so in no incident; "
                                 "mark it relevant first (incidents correct relevant)")
        now = sorted(self.store.incidents_of([article_id]))
        if new:
            target = {"new": self._new_incident_id(article_id)}
            to_articles = []
        else:
            to_id = self._incident(to)
            if now == [to_id]:
                raise IncidentsError(f"article {article!r}: already in incident {to_id!r} alone")
            target = {"to": to_id}
            to_articles = _primary(self.store.incident_members(ids=[to_id]).get(to_id, []))
        correction = Correction("move", str(article_id), new=target, who=self.who, reason=reason,
                                old={"article": article, "from": now, "to_articles": to_articles})
        return self._record(correction, relink=[article_id])

    # --- articles ---

    def relevance(self, article: str, relevant: bool, reason: str | None = None) -> Correction:
        """Mark an article in scope (`relevant`) or not."""
        article_id = self._article(article)
        analysis = self.store.analyses_for([article_id]).get(article_id)
        if analysis is None:
            raise IncidentsError(f"article {article!r}: not analysed yet (run incidents extract first)")
        if analysis.relevant == relevant:
            raise IncidentsError(f"article {article!r}: already {'relevant' if relevant else 'not relevant'}")
        correction = Correction("relevant" if relevant else "irrelevant", str(article_id),
                                old={"article": article, "relevant": analysis.relevant,
                                     "incidents": sorted(self.store.incidents_of([article_id]))},
                                new={"relevant": relevant}, who=self.who, reason=reason)
        return self._record(correction, reanalyse=[article_id], relink_changed=True)

    # --- facts ---

    def fact_change(self, incident_id: str, event_type: str, actor: str, target: str, date: str | None,
                    changes: dict, reason: str | None = None) -> Correction:
        """Change the type, actor, target or date of one fact of an incident."""
        kept, fact, record = self._fact(incident_id, event_type, actor, target, date)
        changes = {k: v for k, v in changes.items() if k in FACT_FIELDS and v is not None}
        if "date" in changes and changes["date"] in ("", "none", "undated"):
            changes["date"] = None
        if not changes:
            raise IncidentsError(f"fact {_fact_text(fact)}: give a new type, actor, target or date")
        new = dict(changes)
        self._check_fact_values(new, f"fact {_fact_text(fact)}")
        if all(fact[k] == new[k] for k in changes):
            raise IncidentsError(f"fact {_fact_text(fact)}: nothing would change")
        correction = Correction("fact_change", fact_subject(kept, *[fact[f] for f in FACT_FIELDS]), new=new,
                                old={**{k: fact[k] for k in changes}, **record}, who=self.who, reason=reason)
        return self._record(correction, reanalyse=record["articles"], incidents=[kept])

    def fact_reject(self, incident_id: str, event_type: str, actor: str, target: str, date: str | None,
                    reason: str | None = None) -> Correction:
        """Reject a fact of an incident: no article of it states that."""
        kept, fact, record = self._fact(incident_id, event_type, actor, target, date)
        correction = Correction("fact_reject", fact_subject(kept, *[fact[f] for f in FACT_FIELDS]),
                                old=record, who=self.who, reason=reason)
        return self._record(correction, reanalyse=record["articles"], incidents=[kept])

    def fact_add(self, incident_id: str, event_type: str, actor: str, target: str, date: str | None,
                 evidence: str, article: str | None = None, reason: str | None = None) -> Correction:
        """Add a fact the machine missed, with the sentence of an article of the incident that states it."""
        kept = self._incident(incident_id)
        values = {"type": event_type, "actor": actor, "target": target, "date": date or None}
        where = f"fact {_fact_text({'incident': kept, **values})}"
        self._check_fact_values(values, where)
        evidence = " ".join((evidence or "").split())
        if not evidence:
            raise IncidentsError(f"{where}: give the sentence that states it (--evidence)")
        members = [a for a, _, _ in self.store.incident_members(ids=[kept]).get(kept, [])]
        candidates = [self._article(article)] if article else members
        found = self.store.find_sentence(candidates, evidence)
        if found is None:
            scope = f"article {article!r}" if article else f"any article of incident {kept!r}"
            raise IncidentsError(f"{where}: the evidence sentence is not in {scope}")
        article_id, start, evidence = found
        correction = Correction("fact_add", fact_subject(kept, *[values[f] for f in FACT_FIELDS]),
                                new={"article": article_id, "evidence": evidence, "sentence_start": start,
                                     **{f"{role}_type": values[f"{role}_type"] for role in ("actor", "target")}},
                                old={"articles": []}, who=self.who, reason=reason)
        return self._record(correction, reanalyse=[article_id], incidents=[kept])

    # --- entities ---

    def entity_merge(self, name: str, into: str, reason: str | None = None) -> Correction:
        """Merge duplicate entity `name` into `into`: every mention and event of it becomes one of `into`."""
        source, target = self._entity(name), self._entity(into)
        if source["name"] == target["name"]:
            raise IncidentsError(f"entity {name!r}: cannot merge an entity into itself")
        correction = Correction("entity_merge", source["name"], new={"name": target["name"]},
                                old={"type": source["type"], "vendor": source["vendor"]}, who=self.who, reason=reason)
        return self._record(correction, reanalyse=self.store.articles_naming(source["name"]))

    def entity_rename(self, name: str, new_name: str, reason: str | None = None) -> Correction:
        source = self._entity(name)
        new_name = " ".join((new_name or "").split())
        if not new_name:
            raise IncidentsError(f"entity {name!r}: the new name is empty")
        if self.store.entity(new_name) is not None:
            raise IncidentsError(f"entity {new_name!r} exists already; merge into it (incidents correct entity-merge)")
        correction = Correction("entity_rename", source["name"], new={"name": new_name},
                                old={"type": source["type"], "vendor": source["vendor"]}, who=self.who, reason=reason)
        return self._record(correction, reanalyse=self.store.articles_naming(source["name"]))

    def entity_type(self, name: str, entity_type: str, reason: str | None = None) -> Correction:
        entity = self._entity(name)
        if entity_type not in ENTITY_TYPES:
            raise IncidentsError(f"entity {name!r}: type {entity_type!r} is not one of {', '.join(ENTITY_TYPES)}")
        if entity["type"] == entity_type:
            raise IncidentsError(f"entity {name!r}: already of type {entity_type}")
        correction = Correction("entity_type", entity["name"], new={"type": entity_type},
                                old={"type": entity["type"]}, who=self.who, reason=reason)
        return self._record(correction, entity=entity["name"])

    def entity_vendor(self, product: str, vendor: str, reason: str | None = None) -> Correction:
        """Link a product to the company that makes it."""
        entity, company = self._entity(product), self._entity(vendor)
        if entity["type"] != "PRODUCT":
            raise IncidentsError(f"entity {product!r}: a {entity['type']}, not a product (set its type first)")
        if company["type"] != "ORG":
            raise IncidentsError(f"entity {vendor!r}: a {company['type']}, not an organisation")
        correction = Correction("entity_vendor", entity["name"], new={"vendor": company["name"]},
                                old={"vendor": entity["vendor"]}, who=self.who, reason=reason)
        return self._record(correction, entity=entity["name"])

    def entity_hide(self, name: str, reason: str | None = None) -> Correction:
        """Hide an entity from executive views (briefing, digest, company picker, rankings); the record keeps it."""
        entity = self._entity(name)
        if entity["name"] in self.store.hidden_entity_names():
            raise IncidentsError(f"entity {name!r}: already hidden")
        return self._record(Correction("entity_hide", entity["name"], new={"hidden": True},
                                       old={"type": entity["type"]}, who=self.who, reason=reason))

    # --- the log ---

    def undo(self, correction_id: int, reason: str | None = None) -> Correction:
        """Undo a correction: a new entry of the log, and what it did is redone without it."""
        log = self.store.correction_log()
        found = next((c for c in log if c.id == correction_id), None)
        if found is None:
            raise IncidentsError(f"correction {correction_id}: no such correction (see incidents correct log)")
        if found.kind == UNDO:
            raise IncidentsError(f"correction {correction_id}: is an undo; make the correction again instead")
        if correction_id in undone_ids(log):
            raise IncidentsError(f"correction {correction_id}: already undone by {undone_ids(log)[correction_id]}")
        undo = Correction(UNDO, str(correction_id), old={"kind": found.kind, "what": found.describe()},
                          who=self.who, reason=reason)
        return self._record(undo, **self._effects_of(found, log))

    # --- checks ---

    def _incident(self, incident_id: str) -> str:
        """The stored incident an id names, merged-away ids followed."""
        ids = self.store.incident_ids()
        kept = IncidentRules.from_log(self.store.correction_log()).resolve((incident_id or "").strip())
        if kept in ids:
            return kept
        close = process.extract(incident_id, sorted(ids), scorer=fuzz.WRatio, limit=SUGGESTIONS, score_cutoff=60)
        hint = f"; did you mean: {', '.join(m for m, _, _ in close)}?" if close else ""
        raise IncidentsError(f"incident {incident_id!r}: no such incident{hint}")

    def _article(self, ref: str) -> int:
        found = self.store.article_id_for(str(ref).strip())
        if found is None:
            raise IncidentsError(f"article {ref!r}: no such article (give its id as `incidents export` writes it)")
        return found

    def _entity(self, name: str) -> dict:
        name = " ".join((name or "").split())
        found = self.store.entity(name)
        if found is not None:
            return found
        same = self.store.entity_names_like(name)
        if len(same) == 1:
            return self.store.entity(same[0])
        close = process.extract(name, self.store.entity_names(), scorer=fuzz.WRatio, limit=SUGGESTIONS,
                                score_cutoff=70)
        hint = f"; did you mean: {', '.join(m for m, _, _ in close)}?" if close else ""
        raise IncidentsError(f"entity {name!r}: no such entity{hint}")

    def _title(self, incident_id: str) -> str | None:
        found = self.store.load_incidents([incident_id])
        return found[0].title if found else None

    def _fact(self, incident_id: str, event_type: str, actor: str, target: str, date: str | None):
        """(incident id, the fact as the incident states it, what to record: the articles
        stating it and the dates of its siblings) of one fact of an incident (`incidents.facts`).
        A date may be the fact's or any one its articles give."""
        kept = self._incident(incident_id)
        facts = consolidate(self.store.incident_mentions([kept]).get(kept, []))
        group = (event_type, name_key(actor), name_key(target))
        same = [f for f in facts if (f.type, name_key(f.actor), name_key(f.target)) == group]
        matching = [f for f in same if not date or f.date == date or any(m.date == date for m in f.mentions)]
        where = f"fact {_fact_text({'incident': kept, 'type': event_type, 'actor': actor, 'target': target, 'date': date})}"
        if not matching:
            known = [_fact_text({"incident": kept, "type": f.type, "actor": f.actor, "target": f.target, "date": f.date})
                     for f in facts][:SUGGESTIONS]
            hint = f"; its facts include: {'; '.join(known)}" if known else "; it has no facts"
            raise IncidentsError(f"{where}: not a fact of the incident{hint}")
        if len(matching) > 1:
            raise IncidentsError(f"{where}: the incident states it on several dates "
                                 f"({', '.join(f.date or 'undated' for f in matching)}); give one with --date")
        [fact] = matching
        record = {"articles": fact.article_ids, "siblings": [f.date for f in same if f is not fact]}
        return kept, {"incident": kept, "type": fact.type, "actor": fact.actor, "target": fact.target,
                      "date": fact.date}, record

    def _check_fact_values(self, values: dict, where: str) -> None:
        """Type, date and parties of a fact as an analyst gave them; parties' types are added."""
        if "type" in values and values["type"] not in EVENT_TYPES:
            raise IncidentsError(f"{where}: type {values['type']!r} is not one of {', '.join(EVENT_TYPES)}")
        if values.get("date") and not (_DATE.fullmatch(values["date"]) and date_value_in_range(values["date"])):
            raise IncidentsError(f"{where}: date {values['date']!r} is not YYYY-MM-DD or YYYY-MM in a believable range")
        for role in ("actor", "target"):
            if role in values:
                entity = self._entity(values[role])
                values[role], values[f"{role}_type"] = entity["name"], entity["type"]

    def _new_incident_id(self, article_id: int) -> str:
        loaded = Loaded()
        loaded.read(self.store, [article_id])
        rules = self.store.incident_rules()
        taken = self.store.incident_ids() | set(rules.redirects) | set(rules.pins.values()) | set(rules.identities)
        view = loaded.views.get(article_id)
        if view is None:
            raise IncidentsError(f"article {article_id}: cannot be read for linking")
        return new_incident_id(view, taken)

    # --- putting it in force ---

    def _effects_of(self, c: Correction, log: list[Correction]) -> dict:
        """What making (or undoing) a correction must redo."""
        old, new = c.old or {}, c.new or {}
        if c.kind == "merge":
            members = self.store.incident_members(ids=[new["into"]]).get(new["into"], [])
            return {"relink": [*old.get("articles", []), *(a for a, _, _ in members)]}
        if c.kind == "move":
            return {"relink": [int(c.subject)]}
        if c.kind == "retitle":
            return {"incidents": [IncidentRules.from_log(log).resolve(c.subject)]}
        if c.kind in ARTICLE_KINDS:
            return {"reanalyse": [int(c.subject)], "relink_changed": True}
        if c.kind in FACT_KINDS:
            overlay = AnalysisOverlay(in_force(log), redirects=IncidentRules.from_log(log).redirects)
            incident = overlay.redirects.get(c.fact["incident"], c.fact["incident"])
            return {"reanalyse": c.fact_articles, "incidents": [incident]}
        if c.kind in ENTITY_NAME_KINDS:
            return {"reanalyse": self.store.articles_naming(new["name"]) | self.store.articles_naming(c.subject)}
        if c.kind in ENTITY_ATTRIBUTE_KINDS:
            return {"entity": c.subject}
        return {}

    def _record(self, correction: Correction, *, relink=(), reanalyse=(), incidents=(), entity: str | None = None,
                relink_changed: bool = False) -> Correction:
        """Append the correction, then redo what it changes."""
        self.store.add_correction(correction)
        touched_incidents = set(incidents)
        redrawn: set[int] = set()
        if reanalyse or entity:
            reach = set(reanalyse) | self.store.corrected_article_ids()
            if entity:
                reach |= self.store.articles_naming(entity)
            changed = self.store.reapply_corrections(reach, relink=relink_changed)
            redrawn = set(changed) | (self.store.articles_naming(entity) if entity else set())
            if not relink_changed:
                touched_incidents |= self.store.incidents_of(redrawn)
        if relink or relink_changed:
            self.store.mark_for_relink(relink)
            run_link(self.store, self.graph_path)  # describes the incidents the articles leave and join
        elif touched_incidents or redrawn:
            resummarise(self.store, touched_incidents, redrawn, self.graph_path)
        return correction


def _primary(members) -> list[int]:
    return sorted(a for a, primary, _ in members if primary)


def _fact_text(fact: dict) -> str:
    return (f"{fact.get('type')} {fact.get('actor')} -> {fact.get('target')} "
            f"({fact.get('date') or 'undated'}) in {fact.get('incident')}")
