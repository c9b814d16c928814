"""The NLP stage's data files (gazetteer, event lexicon, place names): where they live
and how they are read. Users extend these files; no code change is needed."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from incidents.errors import IncidentsError
from incidents.model import ENTITY_TYPES

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GAZETTEER_PATH = DATA_DIR / "gazetteer.jsonl"
LEXICON_PATH = DATA_DIR / "nlp_events.json"
PLACES_PATH = DATA_DIR / "nlp_places.json"


@dataclass(frozen=True)
class GazetteerEntry:
    """One known thing: canonical name, type, other names, and who makes it."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    vendor: str | None = None
    kind: str | None = None  # vendor, customer, regulator, agency, media, platform
    country: str | None = None  # for regulators and agencies: whose
    case_sensitive: bool = False
    ai: bool = True  # an AI product or lab (products default to true, organisations to false)
    remit: tuple[str, ...] = ()  # for regulators: the words that say what they oversee ("privacy", "competition")


@dataclass
class Gazetteer:
    """All entries, with lookups by lower-cased name or alias."""

    entries: list[GazetteerEntry] = field(default_factory=list)

    def __post_init__(self):
        self.by_key = {}
        for e in self.entries:
            for form in (e.name, *e.aliases):
                self.by_key.setdefault(form.lower(), e)
        self.by_name = {e.name: e for e in self.entries}
        self.remit_words = frozenset(w for e in self.entries for w in e.remit)

    def lookup(self, text: str) -> GazetteerEntry | None:
        return self.by_key.get(text.lower())

    def regulator_of(self, country: str | None, described_as: set[str] = frozenset()) -> GazetteerEntry | None:
        """The regulator of a country the gazetteer knows, fit for a description's words:
        "Italy's privacy watchdog" is the Garante, "France's competition authority" no
        regulator on file (CNIL oversees data), "the US securities regulator" the SEC. With
        no word of a remit, the country's first (its data-protection regulator)."""
        for e in self.entries:
            if e.kind == "regulator" and country and e.country == country and self.fits(e, described_as):
                return e
        return None

    def fits(self, entry: GazetteerEntry, described_as: set[str]) -> bool:
        """Whether a description names no remit other than the entry's own."""
        return not (described_as & self.remit_words) - set(entry.remit)


def read_gazetteer(path: str | Path = GAZETTEER_PATH) -> Gazetteer:
    """Parse a gazetteer JSON-lines file; a bad line raises IncidentsError naming it."""
    entries = []
    for n, line in enumerate(_read_text(path).splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            row = json.loads(line)
            entries.append(_entry(row))
        except (ValueError, TypeError, KeyError) as exc:
            raise IncidentsError(f"{path}:{n}: bad gazetteer entry ({exc})") from None
    return Gazetteer(entries)


def _entry(row: dict) -> GazetteerEntry:
    if row["type"] not in ENTITY_TYPES:
        raise ValueError(f"type {row['type']!r} is not one of {', '.join(ENTITY_TYPES)}")
    return GazetteerEntry(
        name=row["name"], type=row["type"], aliases=tuple(row.get("aliases") or ()),
        vendor=row.get("vendor"), kind=row.get("kind"), country=row.get("country"),
        case_sensitive=bool(row.get("case_sensitive", False)), ai=bool(row.get("ai", row["type"] == "PRODUCT")),
        remit=tuple(w.lower() for w in row.get("remit") or ()),
    )


@dataclass(frozen=True)
class Lexicon:
    """Event triggers and the word lists the event rules consult (data/nlp_events.json)."""

    verbs: dict[str, str]  # lemma -> event type
    particle_verbs: dict[str, dict[str, tuple[str, ...]]]  # type -> lemma -> particles
    nouns: dict[str, str]  # lemma -> event type
    words: dict[str, frozenset[str]]  # named word lists
    finder_name: str

    def has(self, listname: str, word: str) -> bool:
        return word.lower() in self.words.get(listname, frozenset())

    @property
    def forms(self) -> dict[str, str]:
        """Regular inflections of every lexicon word -> the word, for when the model's
        lemmatizer misses one ("fined" -> "fin")."""
        if not hasattr(self, "_forms"):
            vocab = set(self.verbs) | set(self.nouns) | {w for ws in self.words.values() for w in ws}
            vocab |= {v for vs in self.particle_verbs.values() for v in vs}
            object.__setattr__(self, "_forms", {f: w for w in vocab for f in inflections(w)})
        return self._forms

    def verb_lemma(self, tok) -> str | None:
        """The trigger verb a token is a form of, whatever the tagger made of it."""
        if not hasattr(self, "_verb_forms"):
            object.__setattr__(self, "_verb_forms", {f: v for v in self.verbs for f in inflections(v)})
        lemma = tok.lemma_.lower()
        return lemma if lemma in self.verbs else self._verb_forms.get(tok.lower_)

    def lemma(self, tok) -> str:
        """The lexicon word a token is a form of, else the model's lemma (lower case)."""
        lemma = tok.lemma_.lower()
        return self.forms.get(tok.lower_, lemma) if lemma not in self.forms else lemma


def inflections(word: str) -> set[str]:
    """Regular English forms of a verb or noun: bans, banned, banning, fined, fines."""
    forms = {word, word + "s", word + "es", word + "ed", word + "ing", word + "d"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing", word + "d"}
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if len(word) > 2 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return forms


def read_lexicon(path: str | Path = LEXICON_PATH) -> Lexicon:
    try:
        data = json.loads(_read_text(path))
        verbs, nouns, particles = {}, {}, {}
        for etype, spec in data["types"].items():
            verbs.update({v: etype for v in spec.get("verbs", ())})
            nouns.update({v: etype for v in spec.get("nouns", ())})
            particles[etype] = {k: tuple(v) for k, v in spec.get("particle_verbs", {}).items()}
        words = {k: frozenset(w.lower() for w in v) for k, v in data.items() if isinstance(v, list)}
        return Lexicon(verbs, particles, nouns, words, data.get("finder_name", "security researchers"))
    except (ValueError, KeyError, AttributeError, TypeError) as exc:
        raise IncidentsError(f"{path}: bad event lexicon ({exc})") from None


def read_demonyms(path: str | Path = PLACES_PATH) -> dict[str, str]:
    try:
        return dict(json.loads(_read_text(path))["demonyms"])
    except (ValueError, KeyError, TypeError) as exc:
        raise IncidentsError(f"{path}: bad places file ({exc})") from None


def read_capitals(path: str | Path = PLACES_PATH) -> dict[str, str]:
    try:
        return dict(json.loads(_read_text(path)).get("capitals", {}))
    except (ValueError, TypeError) as exc:
        raise IncidentsError(f"{path}: bad places file ({exc})") from None


def read_json(path: str | Path, what: str) -> dict:
    """A JSON data file of the NLP stage; unreadable or invalid, one line naming it."""
    try:
        return json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise IncidentsError(f"{path}: {what} is not valid JSON (line {exc.lineno}: {exc.msg})") from None


def _read_text(path: str | Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise IncidentsError(f"{path}: cannot read NLP data file ({exc.strerror or exc})") from None


@lru_cache(maxsize=8)
def gazetteer(path: str = str(GAZETTEER_PATH)) -> Gazetteer:
    """The parsed gazetteer, read once per process."""
    return read_gazetteer(path)


@lru_cache(maxsize=8)
def lexicon(path: str = str(LEXICON_PATH)) -> Lexicon:
    return read_lexicon(path)


@lru_cache(maxsize=8)
def demonyms(path: str = str(PLACES_PATH)) -> dict[str, str]:
    return read_demonyms(path)


@lru_cache(maxsize=8)
def capitals(path: str = str(PLACES_PATH)) -> dict[str, str]:
    """Capital city -> its country ("Rome's watchdog" is Italy's)."""
    return read_capitals(path)
