"""Event frames (data/event_frames.json): which words may state which event type, and
which grammatical slots its actor and target usually fill. Triggers are found with spaCy's
Matcher, built from the data; nothing here knows a particular phrasing."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.matcher import Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from incidents.errors import IncidentsError
from incidents.model import EVENT_TYPES
from nlp.resources import DATA_DIR, read_json

FRAMES_PATH = DATA_DIR / "event_frames.json"
USES = {"verbs": ("VERB", "AUX"), "nouns": ("NOUN", "PROPN"), "adjectives": None, "phrases": None}
"""How a frame's word classes are matched: verbs and nouns by lemma and part of speech,
adjectives (and words the tagger often mistags) by their lower-cased form, phrases by lemmas."""


@dataclass(frozen=True)
class Frame:
    type: str
    actor_slots: frozenset[str]
    target_slots: frozenset[str]


@dataclass(frozen=True)
class Trigger:
    token: Token
    type: str
    use: str  # verbs, nouns, adjectives or phrases


class Frames:
    """The frames of every event type and a Matcher that finds their triggers in a Doc."""

    def __init__(self, path: str | Path = FRAMES_PATH):
        self.data = read_frames(str(path))
        self.frames = {t: Frame(t, frozenset(f.get("actor_slots", ())), frozenset(f.get("target_slots", ())))
                       for t, f in self.data["types"].items()}
        self._matchers: dict[int, Matcher] = {}

    def matcher(self, vocab: Vocab) -> Matcher:
        key = id(vocab)
        if key not in self._matchers:
            self._matchers[key] = build_matcher(vocab, self.data["types"])
        return self._matchers[key]

    def triggers(self, doc: Doc) -> list[Trigger]:
        """Every (token, type) a frame's words mark, in text order, each once."""
        matcher = self.matcher(doc.vocab)
        seen: dict[tuple[int, str], Trigger] = {}
        for match_id, start, _end in matcher(doc):
            etype, use = doc.vocab.strings[match_id].split("|")
            seen.setdefault((start, etype), Trigger(doc[start], etype, use))
        return sorted(seen.values(), key=lambda t: (t.token.i, t.type))


def build_matcher(vocab: Vocab, types: dict) -> Matcher:
    matcher = Matcher(vocab)
    for etype, frame in types.items():
        for use, pos in USES.items():
            words = frame.get(use) or []
            if not words:
                continue
            key = f"{etype}|{use}"
            if use == "phrases":
                matcher.add(key, [[{"LEMMA": w} if w.isalpha() else {"ORTH": w} for w in phrase] for phrase in words])
            elif pos is None:
                matcher.add(key, [[{"LOWER": {"IN": words}}]])
            else:
                matcher.add(key, [[{"LEMMA": {"IN": words}, "POS": {"IN": list(pos)}}],
                                  [{"LOWER": {"IN": words}, "POS": {"IN": list(pos)}}]])
    return matcher


@lru_cache(maxsize=4)
def read_frames(path: str) -> dict:
    data = read_json(path, "the event frames file")
    unknown = sorted(set(data.get("types", {})) - set(EVENT_TYPES))
    if unknown:
        raise IncidentsError(f"{path}: unknown event type {unknown[0]!r}")
    return data
