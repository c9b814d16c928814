"""Analysts' corrections: what they are, and how they apply on top of the machine's analysis.

A correction is one row of an append-only log: its kind, what it corrects (`subject`), the
old and new value, who made it, when, and why. Nothing is edited in place: an undo is
another row naming the correction it undoes. The machine's own results are never
overwritten for good: each stage writes what it found, and the corrections in force are
applied again on top (`AnalysisOverlay` to one article's analysis, `IncidentRules` to the
linker's placing of articles), so a re-crawl, a new pipeline version or a relink never
undoes one.

Kinds, by what they correct:
- incidents: `merge` (an incident into another; the merged-away id redirects), `retitle`,
  `move` (an article to another incident or to a new one);
- articles: `irrelevant`, `relevant` (the story is, or is not, in scope);
- facts of an incident (`incidents.facts`: one per type, parties and date, however many
  articles state it), keyed by (incident, type, actor, target, date): `fact_change`,
  `fact_reject`, `fact_add` (a missed fact, with the sentence that states it);
- entities: `entity_merge`, `entity_rename`, `entity_type`, `entity_vendor` (a product's
  company), `entity_hide` (from executive views, never from the record).
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from .facts import Mention, consolidate
from .model import Analysis, Entity, Event
from .names import name_key

INCIDENT_KINDS = ("merge", "retitle", "move")
ARTICLE_KINDS = ("irrelevant", "relevant")
FACT_KINDS = ("fact_change", "fact_reject", "fact_add")
ENTITY_NAME_KINDS = ("entity_merge", "entity_rename")
ENTITY_ATTRIBUTE_KINDS = {"entity_type": "type", "entity_vendor": "vendor"}
"""Kinds that set a column of the entity itself, and which."""
ENTITY_KINDS = (*ENTITY_NAME_KINDS, *ENTITY_ATTRIBUTE_KINDS, "entity_hide")
UNDO = "undo"
KINDS = (*INCIDENT_KINDS, *ARTICLE_KINDS, *FACT_KINDS, *ENTITY_KINDS, UNDO)

FACT_FIELDS = ("type", "actor", "target", "date")
"""What names a fact within an incident (issue 11's facts are one per these four)."""

CORRECTED_METHOD = "correction"
"""The `method` of an event an analyst added: its provenance is the log, not a rule or model."""


@dataclass
class Correction:
    """One entry of the log. `old` and `new` are JSON-ready values; `subject` is a string
    (an incident id, an article's store id, an entity name, or a fact as JSON)."""

    kind: str
    subject: str
    new: object = None
    old: object = None
    who: str = ""
    reason: str | None = None
    id: int | None = None
    created: datetime | None = None

    def as_dict(self) -> dict:
        """The entry as `incidents correct log --json` prints it."""
        return {"id": self.id, "kind": self.kind, "subject": _subject_value(self.subject), "old": self.old,
                "new": self.new, "who": self.who, "when": self.created.isoformat() if self.created else None,
                "reason": self.reason}

    @property
    def fact(self) -> dict | None:
        """The fact a fact correction names: incident, type, actor, target, date."""
        return json.loads(self.subject) if self.kind in FACT_KINDS else None

    @property
    def fact_articles(self) -> set[int]:
        """The articles a fact correction was made on: those stating the fact then, or the one
        a missed fact was added to. The correction follows them wherever a relink files them."""
        if self.kind == "fact_add":
            return {int(self.new["article"])}
        return set((self.old or {}).get("articles") or []) if self.kind in FACT_KINDS else set()

    @property
    def undoes(self) -> int | None:
        return int(self.subject) if self.kind == UNDO else None

    def describe(self) -> str:
        """One line a person reads in the log: what changed, from what to what."""
        new, old = self.new if isinstance(self.new, dict) else {}, self.old if isinstance(self.old, dict) else {}
        subject = self.subject
        if self.kind == "merge":
            return f"merged incident {subject} into {new.get('into')}"
        if self.kind == "retitle":
            return f"retitled {subject}: “{old.get('title')}” -> “{new.get('title')}”"
        if self.kind == "move":
            where = f"a new incident {new['new']}" if new.get("new") else new.get("to")
            return f"moved article {old.get('article') or subject} from {', '.join(old.get('from') or []) or 'no incident'} to {where}"
        if self.kind in ARTICLE_KINDS:
            return f"marked article {old.get('article') or subject} {self.kind.replace('_', ' ')}"
        if self.kind in FACT_KINDS:
            fact = self.fact
            what = f"{fact['type']} {fact['actor']} -> {fact['target']} ({fact['date'] or 'undated'}) in {fact['incident']}"
            if self.kind == "fact_reject":
                return f"rejected fact {what}"
            if self.kind == "fact_add":
                return f"added fact {what}"
            changes = ", ".join(f"{k} “{fact[k]}” -> “{v}”" for k, v in new.items() if k in FACT_FIELDS)
            return f"changed fact {what}: {changes}"
        if self.kind in ENTITY_NAME_KINDS:
            verb = "merged entity “{}” into" if self.kind == "entity_merge" else "renamed entity “{}” to"
            return f"{verb.format(subject)} “{new.get('name')}”"
        if self.kind in ENTITY_ATTRIBUTE_KINDS:
            attr = ENTITY_ATTRIBUTE_KINDS[self.kind]
            return f"set {attr} of “{subject}”: {_quoted(old.get(attr))} -> {_quoted(new.get(attr))}"
        if self.kind == "entity_hide":
            return f"hid entity “{subject}” from executive views"
        if self.kind == UNDO:
            return f"undid correction {subject}"
        return f"{self.kind} {subject}"


def _quoted(value) -> str:
    return "none" if value is None else f"“{value}”"


def analyst_name(settings) -> str:
    """Who a correction is recorded as when no one is signed in: the `analyst` setting, else
    the login name of the user running the command or dashboard."""
    import getpass

    if settings.analyst:
        return settings.analyst
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _subject_value(subject: str):
    try:
        value = json.loads(subject)
    except ValueError:
        return subject
    return value if isinstance(value, dict) else subject


def fact_subject(incident_id: str, event_type: str, actor: str, target: str, date: str | None) -> str:
    """The subject of a fact correction: the fact's key as canonical JSON."""
    return json.dumps({"incident": incident_id, "type": event_type, "actor": actor, "target": target,
                       "date": date}, sort_keys=True, ensure_ascii=False)


def in_force(log: Iterable[Correction]) -> list[Correction]:
    """The corrections not undone, in the order they were made (undo rows left out)."""
    entries = list(log)
    undone = {c.undoes for c in entries if c.kind == UNDO}
    return sorted((c for c in entries if c.kind != UNDO and c.id not in undone), key=lambda c: c.id or 0)


def undone_ids(log: Iterable[Correction]) -> dict[int, int]:
    """Undone correction id -> the id of the undo."""
    return {c.undoes: c.id for c in log if c.kind == UNDO}


# --- facts and entities: the overlay on one article's analysis ---

@dataclass
class AnalysisOverlay:
    """The corrections in force that change articles' analyses, applied in the order made.

    `incident_articles` maps each incident a fact correction names to its articles now;
    with the articles recorded when the correction was made, they are the correction's reach.
    """

    corrections: list[Correction] = field(default_factory=list)
    incident_articles: dict[str, set[int]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    entity_log: bool = False  # the log holds entity corrections (their columns are set after writing)

    def __post_init__(self):
        self.corrections = [c for c in self.corrections
                            if c.kind in (*ARTICLE_KINDS, *FACT_KINDS, *ENTITY_NAME_KINDS)]

    def __bool__(self) -> bool:
        return bool(self.corrections)

    def apply(self, article_id: int, machine: Analysis) -> Analysis:
        """The article's analysis with every correction that reaches it applied (a copy)."""
        analysis = copy_analysis(machine)
        for c in self.corrections:
            if c.kind in ENTITY_NAME_KINDS:
                _rename_entity(analysis, c.subject, c.new["name"])
            elif c.kind in ARTICLE_KINDS:
                if int(c.subject) == article_id:
                    analysis.relevant = c.kind == "relevant"
            elif self.reaches(c, article_id):
                _FACT_APPLY[c.kind](analysis, c)
        return analysis

    def reaches(self, c: Correction, article_id: int) -> bool:
        """Whether a fact correction applies to this article."""
        if c.kind == "fact_add":
            return article_id in c.fact_articles
        incident = self.redirects.get(c.fact["incident"], c.fact["incident"])
        return article_id in c.fact_articles or article_id in self.incident_articles.get(incident, set())

    def fact_incidents(self) -> set[str]:
        """The incidents (redirects followed) whose articles fact corrections reach."""
        return {self.redirects.get(c.fact["incident"], c.fact["incident"])
                for c in self.corrections if c.kind in FACT_KINDS}

    def recorded_articles(self) -> set[int]:
        """Articles the corrections name directly (recorded when made)."""
        found: set[int] = set()
        for c in self.corrections:
            if c.kind in ARTICLE_KINDS:
                found.add(int(c.subject))
            found.update(c.fact_articles)
        return found

    def renamed(self) -> set[str]:
        """Entity names merged or renamed away."""
        return {c.subject for c in self.corrections if c.kind in ENTITY_NAME_KINDS}


def copy_analysis(analysis: Analysis) -> Analysis:
    """A deep copy of the parts a correction may change (the embedding is shared)."""
    return Analysis(relevant=analysis.relevant, relevance_score=analysis.relevance_score,
                    entities=[dataclasses.replace(e, mentions=list(e.mentions)) for e in analysis.entities],
                    events=[dataclasses.replace(e) for e in analysis.events], embedding=analysis.embedding)


def same_analysis(a: Analysis, b: Analysis) -> bool:
    """Equal in everything a correction may change."""
    return (a.relevant, a.entities, a.events) == (b.relevant, b.entities, b.events)


def analysis_to_json(analysis: Analysis) -> str:
    """The machine's analysis as kept beside a corrected article (no embedding)."""
    return json.dumps({"relevant": analysis.relevant, "relevance_score": analysis.relevance_score,
                       "entities": [dataclasses.asdict(e) for e in analysis.entities],
                       "events": [dataclasses.asdict(e) for e in analysis.events]}, ensure_ascii=False)


def analysis_from_json(text: str) -> Analysis:
    data = json.loads(text)
    return Analysis(relevant=data["relevant"], relevance_score=data.get("relevance_score") or 0.0,
                    entities=[Entity(**e) for e in data["entities"]], events=[Event(**e) for e in data["events"]])


def event_key(event: Event) -> tuple:
    return (event.type, event.actor, event.target, event.date)


def in_fact(event: Event, fact: dict, siblings: Iterable[str | None] = ()) -> bool:
    """Whether an article's event states this fact of its incident (`incidents.facts`): the
    same type and parties (names compared as facts compare them), and a date that the
    incident's consolidation puts with the fact's rather than with a sibling's (another fact
    of the same type and parties, by its date): a month-only "July" joins "10 July", an
    undated mention the first dated fact."""
    if (event.type, name_key(event.actor), name_key(event.target)) != \
            (fact["type"], name_key(fact["actor"]), name_key(fact["target"])):
        return False
    if event.date == fact["date"]:
        return True
    anchors = [Mention(fact["type"], fact["actor"], fact["target"], date=day, date_basis="text", article_id=-1 - n)
               for n, day in enumerate(dict.fromkeys([fact["date"], *siblings]))]
    stated = Mention(event.type, event.actor, event.target, date=event.date, date_basis=event.date_basis, article_id=0)
    together = next(f for f in consolidate([*anchors, stated]) if stated in f.mentions)
    return anchors[0] in together.mentions


def _matches(event: Event, c: Correction) -> bool:
    return in_fact(event, c.fact, (c.old or {}).get("siblings") or ())


def _change_fact(analysis: Analysis, c: Correction) -> None:
    changes = {k: v for k, v in c.new.items() if k in FACT_FIELDS}
    for event in analysis.events:
        if _matches(event, c):
            for key, value in changes.items():
                setattr(event, key, value)
            if "date" in changes:
                event.date_basis = "text" if changes["date"] else None
            event.method = CORRECTED_METHOD
    _ensure_parties(analysis, c.new)
    analysis.events = _unique_events(analysis.events)


def _reject_fact(analysis: Analysis, c: Correction) -> None:
    analysis.events = [e for e in analysis.events if not _matches(e, c)]


def _add_fact(analysis: Analysis, c: Correction) -> None:
    fact = c.fact
    event = Event(type=fact["type"], actor=fact["actor"], target=fact["target"], date=fact["date"],
                  date_basis="text" if fact["date"] else None, evidence=c.new["evidence"],
                  method=CORRECTED_METHOD, sentence_start=c.new.get("sentence_start"))
    if not any(event_key(e) == event_key(event) for e in analysis.events):
        analysis.events.append(event)
    _ensure_parties(analysis, {**fact, **c.new})


_FACT_APPLY = {"fact_change": _change_fact, "fact_reject": _reject_fact, "fact_add": _add_fact}


def _ensure_parties(analysis: Analysis, values: dict) -> None:
    """A corrected actor or target the article's entities lack is added as one (a labelled
    story's parties are entities of the story)."""
    known = {e.name for e in analysis.entities}
    for role in ("actor", "target"):
        name = values.get(role)
        if name and name not in known:
            analysis.entities.append(Entity(name, values.get(f"{role}_type") or "ORG", []))
            known.add(name)


def _unique_events(events: list[Event]) -> list[Event]:
    """One event per (type, actor, target, date) in an article: a corrected fact can
    become one the article already states."""
    seen, kept = set(), []
    for event in events:
        if event_key(event) not in seen:
            seen.add(event_key(event))
            kept.append(event)
    return kept


def _rename_entity(analysis: Analysis, old: str, new: str) -> None:
    """Every mention of `old` becomes one of `new` (merging into it when both are named)."""
    source = next((e for e in analysis.entities if e.name == old), None)
    if source is not None:
        into = next((e for e in analysis.entities if e.name == new), None)
        if into is None:
            source.name = new
        else:
            into.mentions.extend(m for m in source.mentions if m not in into.mentions)
            into.vendor = into.vendor or source.vendor
            analysis.entities.remove(source)
    for event in analysis.events:
        if event.actor == old:
            event.actor = new
        if event.target == old:
            event.target = new
    analysis.events = _unique_events(analysis.events)


# --- entities as a whole ---

def entity_names(log: Iterable[Correction]) -> dict[str, str]:
    """Every merged or renamed entity name -> the name it is now (chains followed)."""
    mapping = {c.subject: c.new["name"] for c in in_force(log) if c.kind in ENTITY_NAME_KINDS}
    return {name: _follow(mapping, name) for name in mapping}


def entity_attributes(log: Iterable[Correction]) -> dict[tuple[str, str], object]:
    """(entity name, column) -> the value it has now, for every column ever corrected.

    Undone to the last, a column returns to the machine's value: the old value recorded by
    the first correction of it (the NLP stage never changes an entity's type once stored).
    """
    entries = sorted(log, key=lambda c: c.id or 0)
    values: dict[tuple[str, str], object] = {}
    for c in entries:
        if c.kind in ENTITY_ATTRIBUTE_KINDS:
            attr = ENTITY_ATTRIBUTE_KINDS[c.kind]
            values.setdefault((c.subject, attr), (c.old or {}).get(attr))
    for c in in_force(entries):
        if c.kind in ENTITY_ATTRIBUTE_KINDS:
            attr = ENTITY_ATTRIBUTE_KINDS[c.kind]
            values[(c.subject, attr)] = c.new[attr]
    return values


def hidden_entities(log: Iterable[Correction]) -> set[str]:
    """Entity names hidden from executive views (under the name they have now)."""
    entries = list(log)
    names = entity_names(entries)
    return {names.get(c.subject, c.subject) for c in in_force(entries) if c.kind == "entity_hide"}


# --- incidents: the rules the linker follows ---

@dataclass
class IncidentRules:
    """What the corrections in force say about incidents, for the linker.

    pins: article id -> the incident it belongs to (merges and moves);
    redirects: merged-away incident id -> the id that holds its articles now;
    titles: incident id -> the title an analyst gave it;
    identities: incident id -> its articles when a correction named it, so the incident
    keeps its id when a relink from scratch would give its articles another.
    """

    pins: dict[int, str] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    identities: dict[str, set[int]] = field(default_factory=dict)

    @classmethod
    def from_log(cls, log: Iterable[Correction]) -> IncidentRules:
        rules = cls()
        for c in in_force(log):
            old, new = c.old or {}, c.new or {}
            if c.kind == "merge":
                rules.redirects[c.subject] = new["into"]
                for article_id in [*old.get("articles", []), *old.get("into_articles", [])]:
                    rules.pins[article_id] = new["into"]
                rules.identities.setdefault(new["into"], set()).update(old.get("into_articles", []))
            elif c.kind == "move":
                target = new.get("new") or new["to"]
                rules.pins[int(c.subject)] = target
                if new.get("to"):
                    rules.identities.setdefault(target, set()).update(old.get("to_articles", []))
            elif c.kind == "retitle":
                rules.titles[c.subject] = new["title"]
                rules.identities.setdefault(c.subject, set()).update(old.get("articles", []))
            elif c.kind in FACT_KINDS:
                incident = c.fact["incident"]
                rules.identities.setdefault(incident, set()).update(old.get("articles", []))
        rules._follow_redirects()
        return rules

    def _follow_redirects(self) -> None:
        self.redirects = {old: _follow(self.redirects, old) for old in self.redirects}
        self.pins = {a: self.resolve(i) for a, i in self.pins.items()}
        titles: dict[str, str] = {}
        for incident_id, title in self.titles.items():  # a later retitle of the kept id wins
            titles[self.resolve(incident_id)] = title
        self.titles = titles
        identities: dict[str, set[int]] = {}
        for incident_id, members in self.identities.items():
            identities.setdefault(self.resolve(incident_id), set()).update(members)
        self.identities = {i: m for i, m in identities.items() if i not in self.redirects}

    def resolve(self, incident_id: str) -> str:
        """The id an incident id stands for now (itself unless merged away)."""
        return self.redirects.get(incident_id, incident_id)


def _follow(mapping: dict[str, str], key: str) -> str:
    seen = {key}
    while key in mapping and mapping[key] not in seen:
        key = mapping[key]
        seen.add(key)
    return key


# --- what readers are told ---

def concerning(log: Iterable[Correction], incident_id: str, article_ids: Iterable[int] = (),
               entity_names_: Iterable[str] = ()) -> list[Correction]:
    """The corrections in force that shaped this incident: its title, what was merged into
    it or moved in or out, its facts, its articles' relevance, the entities it names."""
    entries = list(log)
    rules = IncidentRules.from_log(entries)
    articles, names = set(article_ids), set(entity_names_)
    found = []
    for c in in_force(entries):
        old, new = c.old or {}, c.new or {}
        if c.kind == "merge":
            hit = rules.resolve(new["into"]) == incident_id
        elif c.kind == "retitle":
            hit = rules.resolve(c.subject) == incident_id
        elif c.kind == "move":
            places = [new.get("new") or new.get("to"), *(old.get("from") or [])]
            hit = incident_id in {rules.resolve(p) for p in places if p}
        elif c.kind in ARTICLE_KINDS:
            hit = int(c.subject) in articles or incident_id in {rules.resolve(i) for i in old.get("incidents") or []}
        elif c.kind in FACT_KINDS:
            hit = rules.resolve(c.fact["incident"]) == incident_id or bool(c.fact_articles & articles)
        else:
            hit = c.subject in names or new.get("name") in names
        if hit:
            found.append(c)
    return found


def corrected_facts(corrections: Iterable[Correction]) -> dict[tuple, Correction]:
    """(type, actor, target, date) of each fact as an analyst left it -> the correction that did."""
    found: dict[tuple, Correction] = {}
    for c in corrections:
        if c.kind == "fact_change":
            fact = {**c.fact, **{k: v for k, v in c.new.items() if k in FACT_FIELDS}}
            found[tuple(fact[f] for f in FACT_FIELDS)] = c
        elif c.kind == "fact_add":
            found[tuple(c.fact[f] for f in FACT_FIELDS)] = c
    return found
