"""Who is a party: the gate every executive view applies to the names it lists.

Extraction finds more names than there are parties: the city a start-up is from ("the Oslo
start-up"), the court that heard a case, the outlet that reported it, the law it cites, a
word cut from a longer name ("Conseil" of "Conseil d'Etat"). "Most involved", the Company
picker, `incidents graph rank` and the digest list only *parties*: organisations, products,
people and governments that are actor or target of at least one fact, and that are none of
those. The gazetteer's companies, products and regulators always are (its outlets only when
they are more than the reporter of a story: an outlet that sues or is banned is a party).

>>> gate = PartyGate(known={"anthropic"}, outlets={"the circuit wire"})
>>> gate.why_not("Anthropic", "ORG", {("lawsuit", "target")})
>>> gate.why_not("Oslo", "GPE", {("allegation", "target")})
'a place'
>>> gate.why_not("District Court", "ORG", {("ban", "actor")})
'a court'
>>> gate.why_not("The Circuit Wire", "ORG", {("allegation", "actor")})
'an outlet'
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .names import name_key

__all__ = ["PartyGate", "default_gate", "involvement"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

COURT = re.compile(r"\b(court|courts|tribunal|judgeship|magistrates?|judges?)\b"
                   r"|(?<!of )\bjustices?\b(?! department| ministry)", re.IGNORECASE)
"""Courts decide; the parties are the ones before them (a Department of Justice is a party)."""

DOCUMENT = re.compile(r"\b(act|law|laws|regulation|directive|bill|decree|treaty|convention|charter|statute|"
                      r"ordinance|guidelines?|article \d+\w*|section \d+\w*|no\.? ?\d+)\b|^gdpr$", re.IGNORECASE)
"""Laws and documents a story cites ("Digital Services Act", "Article 8/A", "Law No. 5651")."""

REPORTING_TYPES = frozenset({"allegation"})
"""An outlet that only "accuses" is reporting someone's accusation, not making one."""


@dataclass(frozen=True)
class PartyGate:
    """The test of a name, given what is known around it.

    `known`: name keys of the gazetteer's parties (always parties); `media`: its outlets;
    `outlets`: name keys of the outlets that published the stored articles; `places`: name
    keys of known cities and countries; `names`: (type, name key) of the entities in
    view, to tell a fragment ("Conseil") from the name of the same type it was cut from
    ("Conseil d'Etat"); a product named after its vendor ("Corvexa Q3") is another type.
    """

    known: frozenset[str] | set[str] = frozenset()
    media: frozenset[str] | set[str] = frozenset()
    outlets: frozenset[str] | set[str] = frozenset()
    places: frozenset[str] | set[str] = frozenset()
    names: frozenset[str] | set[str] = frozenset()
    not_names: frozenset[str] | set[str] = field(default_factory=frozenset)
    hidden: frozenset[str] | set[str] = frozenset()  # name keys an analyst hid from executive views

    def why_not(self, name: str, entity_type: str | None, roles: Iterable[tuple[str, str]]) -> str | None:
        """Why the name is no party (one short phrase), or None when it is one.

        `roles`: (event type, "actor" or "target") of each fact it takes part in; a name
        in no fact is no party.
        """
        roles = set(roles)
        key = name_key(name)
        if not roles:
            return "in no fact"
        if not key or name[:1].islower():
            return "no named party"  # "security researchers", "authors": said, not named
        if key in self.hidden:
            return "hidden by an analyst"
        if key in self.outlets or key in self.media:
            if all(t in REPORTING_TYPES for t, _ in roles):
                return "an outlet"
            return None
        if (entity_type == "GPE" or key in self.places) and not any(role == "actor" for _, role in roles):
            return "a place"  # a government acts; a place is only where something happened
        if key in self.known:
            return None
        if COURT.search(name):
            return "a court"
        if DOCUMENT.search(name):
            return "a document"
        if key in self.not_names or self._fragment(key, entity_type):
            return "a fragment"
        return None

    def is_party(self, name: str, entity_type: str | None, roles: Iterable[tuple[str, str]]) -> bool:
        return self.why_not(name, entity_type, roles) is None

    def _fragment(self, key: str, entity_type: str | None) -> bool:
        """A one-word name, unknown to the gazetteer, that begins or ends a longer name of
        the same type in view ("Conseil" of "Conseil d'Etat", "Commission")."""
        if " " in key:
            return False
        return any(kind == entity_type and other != key and (other.startswith(key + " ") or other.endswith(" " + key))
                   for kind, other in self.names)

    def seeing(self, entities: Iterable[tuple[str, str | None]], outlets: Iterable[str] = (),
               hidden: Iterable[str] = ()) -> PartyGate:
        """The gate with these entities (name, type) and outlets in view, and these names hidden."""
        return PartyGate(self.known, self.media, frozenset(self.outlets) | {name_key(o) for o in outlets if o},
                         self.places, frozenset((kind, name_key(name)) for name, kind in entities), self.not_names,
                         frozenset(self.hidden) | {name_key(n) for n in hidden})


@lru_cache(maxsize=1)
def default_gate() -> PartyGate:
    """The gate built from the project's data: the gazetteer, the places list and the names
    the NLP stage never takes for entities."""
    known, media = set(), set()
    with open(DATA_DIR / "gazetteer.jsonl", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            entry = json.loads(line)
            keys = {name_key(n) for n in [entry["name"], *entry.get("aliases", [])]}
            (media if entry.get("kind") == "media" else known).update(keys)
    places_data = json.loads((DATA_DIR / "nlp_places.json").read_text(encoding="utf-8"))
    places = {name_key(n) for table in ("capitals", "demonyms") for pair in places_data[table].items() for n in pair}
    lexicon = json.loads((DATA_DIR / "nlp_events.json").read_text(encoding="utf-8"))
    return PartyGate(known=frozenset(known - media), media=frozenset(media), places=frozenset(places),
                     not_names=frozenset(name_key(n) for n in lexicon.get("not_entities", [])))


@dataclass(frozen=True)
class Involvement:
    """A party and the incidents it is actor or target in."""

    name: str
    type: str | None  # entity type (ORG, PRODUCT, PERSON, GPE), None when no entity was stored
    incidents: frozenset[str]


def involvement(rows: Iterable[dict], gate: PartyGate, types: Iterable[str] | None = None) -> dict[str, Involvement]:
    """Parties by name from rows of (incident_id, name, role, event_type, entity_type), as
    `Store.fact_parties` gives them; names the gate refuses, or of other entity types, left out.
    Spellings of one name (`name_key`) count as one, shown as the most frequent."""
    by_key: dict[str, dict] = {}
    for r in rows:
        entry = by_key.setdefault(name_key(r["name"]), {"names": {}, "types": {}, "roles": set(), "incidents": set()})
        entry["names"][r["name"]] = entry["names"].get(r["name"], 0) + 1
        if r.get("entity_type"):
            entry["types"][r["entity_type"]] = entry["types"].get(r["entity_type"], 0) + 1
        entry["roles"].add((r["event_type"], r["role"]))
        entry["incidents"].add(r["incident_id"])
    wanted = set(types) if types else None
    found = {}
    for entry in by_key.values():
        name = max(entry["names"], key=lambda n: (entry["names"][n], n))
        kind = max(entry["types"], key=lambda t: (entry["types"][t], t)) if entry["types"] else None
        if (wanted is None or kind in wanted) and gate.is_party(name, kind, entry["roles"]):
            found[name] = Involvement(name, kind, frozenset(entry["incidents"]))
    return found
