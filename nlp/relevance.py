"""Is the story about AI security or a dispute between AI vendors and their customers?

A story is relevant when it reports at least one event in scope (a ban, lifted ban, access
cut-off, allegation, lawsuit, investigation, security finding, breach, fine or settlement)
involving AI vendors, AI products or their customers.

Before the full pipeline, `incidents extract` sends clearly off-topic articles past it:
those that never mention AI (`may_mention_ai`, which needs no model), and those whose
title-and-lead embedding the relevance gate (`RelevanceGate`, a logistic model trained on
the labelled corpus) scores far below every in-scope story (data/relevance_gate.json,
rebuilt by `python -m nlp.training.relevance`). After the pipeline, `relevance` combines
the events found with how close the title and lead are, in embedding space, to descriptions
of the stories the tracker is for; a story in which no event was settled is still relevant
when the same gate finds its lead more likely in scope than not (`likely_told`).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from incidents.errors import IncidentsError
from incidents.model import Entity, Event
from nlp.resources import DATA_DIR, gazetteer, lexicon


GATE_PATH = DATA_DIR / "relevance_gate.json"

TOPICS = (
    "A company bans its employees from using an AI chatbot or AI coding tool over security concerns.",
    "A government bans an AI app on official devices, citing national security and data privacy risks.",
    "A privacy regulator fines or investigates an AI company over its chatbot's handling of personal data.",
    "An AI vendor cuts off a rival's access to its models.",
    "An AI company accuses a rival of stealing its models through distillation.",
    "Security researchers find a vulnerability or hidden code in an AI tool.",
    "Sensitive data leaked through an AI chatbot in a data breach.",
    "A lawsuit against an AI company over copyright or data use, or a settlement.",
)
OFF_TOPICS = (
    "A startup signs a deal to bring AI agents to a customer.",
    "Companies race to build AI data centers and infrastructure.",
    "A lab unveils a new hardware device or scientific breakthrough.",
    "An AI company launches a new model or product feature.",
    "An AI startup raises funding from investors.",
)
"""Technology news the tracker is not for: the topic score is relative to these."""
RELEVANCE_THRESHOLD = 0.5
NOT_AI_CEILING = 0.45  # a story that never mentions AI stays below the threshold
SIGNAL_WEIGHT = 0.6  # the extraction's evidence; the rest is the embedding's
LIKELY_EVENT = 0.3  # an event candidate this probable says the story reports an event ...
ON_TOPIC = 0.5  # ... when its lead is at least as near the tracker's topics as other tech news
IN_SCOPE = 0.5  # the gate's probability above which a lead is more likely in scope than not


@lru_cache(maxsize=1)
def topic_vectors() -> tuple[np.ndarray, np.ndarray]:
    from nlp.embed import get_embedder

    embedder = get_embedder()
    return embedder.embed(list(TOPICS)), embedder.embed(list(OFF_TOPICS))


def topic_score(vector) -> float | None:
    """0.5 when the lead is as close to the tracker's topics as to other tech news; up
    to 1 when closer to the topics."""
    if vector is None:
        return None
    on, off = topic_vectors()
    v = np.asarray(vector, dtype=np.float32)
    return float(np.clip(0.5 + (np.max(on @ v) - np.max(off @ v)) / 0.3, 0.0, 1.0))


def signal_score(doc: Doc, events: list[Event], entities: list[Entity]) -> float:
    """Events found (more when a party is an AI vendor or product) and trigger words read."""
    ai_parties = {e.name for e in entities if e.vendor or e.type == "PRODUCT"}
    ai_parties |= {e.vendor for e in entities if e.vendor}
    strong = any(e.actor in ai_parties or e.target in ai_parties for e in events)
    return min(1.0, 0.4 * bool(events) + 0.3 * strong + 0.3 * (doc._.trigger_count or 0))


def mentions_ai(doc: Doc, entities: list[Entity]) -> bool:
    """Whether the story names AI at all: an AI word ("AI", "chatbot", "generative") or an
    AI product or lab of the gazetteer. A fine on Google's shopping service is not an AI story."""
    if has_ai_word(doc):
        return True
    known = gazetteer().by_name
    return any(e.name in known and known[e.name].ai for e in entities)


def has_ai_word(doc: Doc) -> bool:
    words = lexicon().words["ai_terms"]
    return any(t.lower_ in words for t in doc)


def may_mention_ai(doc: Doc) -> bool:
    """`mentions_ai` before the pipeline has run, on the tokenised text alone: true whenever
    `mentions_ai` could be, since an AI entity's name is looked up from words of the text
    (compared in lower case, as the gazetteer does)."""
    return has_ai_word(doc) or names_ai_on_file(doc.text)


def names_ai_on_file(text: str) -> bool:
    """Whether the text names an AI product or lab of the gazetteer (in lower case, spacing folded)."""
    return ai_names_pattern().search(" ".join(text.lower().split())) is not None


@lru_cache(maxsize=1)
def ai_names_pattern() -> re.Pattern:
    forms = {f.lower() for e in gazetteer().entries if e.ai for f in (e.name, *e.aliases)}
    alternatives = "|".join(re.escape(" ".join(f.split())) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def reports_an_event(doc: Doc, events: list[Event], entities: list[Entity], vector, score: float) -> bool:
    """Relevant: the story reports an event in scope. Either one was found (and the score
    clears RELEVANCE_THRESHOLD), or, with no party settled (a story's likeliest candidate,
    kept as a guess, settles none), an event is likely told
    (`likely_told`) in a story about AI. `python -m nlp.training.train` measures the rule
    out of fold (README)."""
    if any(e.settled for e in events):
        return score >= RELEVANCE_THRESHOLD
    in_scope = in_scope_probability(vector) if lead_mentions_ai(doc) else None
    return likely_told(doc._.event_score or 0.0, topic_score(vector), in_scope) and mentions_ai(doc, entities)


def lead_mentions_ai(doc: Doc) -> bool:
    """Whether the title and lead, all the gate reads, name AI: the gate learnt AI stories'
    leads only, so its probability says nothing of a lead about something else (a jury's
    verdict in a story that mentions a chatbot further down)."""
    from nlp.analyse import lead_text  # nlp.analyse imports this module

    return text_mentions_ai(lead_text(doc))


def text_mentions_ai(text: str) -> bool:
    """`may_mention_ai` for plain text: an AI word, or an AI product or lab of the gazetteer."""
    words = lexicon().words["ai_terms"]
    return any(w in words for w in re.findall(r"\w+", text.lower())) or names_ai_on_file(text)


def likely_told(event_score: float, topic: float | None, in_scope: float | None = None) -> bool:
    """An event is likely told though none was settled: the relevance gate finds a lead about
    AI more likely in scope than not (`in_scope`, None for a lead that is not about AI; it
    learnt the labelled stories' leads: "Anthropic shuts out Chinese-owned entities" is one,
    whatever words the frames know), or the event scorer gives
    some candidate at least LIKELY_EVENT and the lead is at least as near the tracker's topics
    as other tech news."""
    if in_scope is not None and in_scope >= IN_SCOPE:
        return True
    return topic is not None and topic >= ON_TOPIC and event_score >= LIKELY_EVENT


def relevance(doc: Doc, events: list[Event], entities: list[Entity], vector=None) -> float:
    """A score in [0, 1]; RELEVANCE_THRESHOLD and above counts as relevant."""
    signal = signal_score(doc, events, entities)
    topic = topic_score(vector)
    score = signal if topic is None else SIGNAL_WEIGHT * signal + (1 - SIGNAL_WEIGHT) * topic
    return score if mentions_ai(doc, entities) else min(score, NOT_AI_CEILING)


@dataclass
class RelevanceGate:
    """A logistic model over the title-and-lead embedding: the probability that the story
    is in scope. Below `threshold` an article is clearly off-topic and skips the full pipeline;
    the threshold sits under every in-scope story of the corpus (see `meta` for how far)."""

    weights: np.ndarray
    bias: float
    threshold: float
    meta: dict = field(default_factory=dict)

    def probabilities(self, vectors) -> np.ndarray:
        z = np.asarray(vectors, dtype=np.float64) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))

    def off_topic(self, vectors) -> np.ndarray:
        """Which of these title-and-lead embeddings are clearly off-topic."""
        return self.probabilities(vectors) < self.threshold

    def to_disk(self, path: str | Path) -> None:
        data = {"threshold": self.threshold, "bias": self.bias, "meta": self.meta,
                "weights": [round(float(w), 6) for w in self.weights]}
        Path(path).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def from_disk(cls, path: str | Path) -> RelevanceGate:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            gate = cls(weights=np.asarray(data["weights"], dtype=np.float64), bias=float(data["bias"]),
                       threshold=float(data["threshold"]), meta=data.get("meta", {}))
        except OSError as exc:
            raise IncidentsError(f"{path}: cannot read the relevance gate ({exc.strerror or exc}); "
                                 f"rebuild it with python -m nlp.training.relevance") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise IncidentsError(f"{path}: not a relevance gate ({type(exc).__name__}: {exc})") from None
        from nlp.embed import DIMENSIONS

        if gate.weights.shape != (DIMENSIONS,) or not gate.threshold < RELEVANCE_THRESHOLD:
            raise IncidentsError(f"{path}: not a relevance gate ({gate.weights.shape[0]} weights, threshold "
                                 f"{gate.threshold}; expected {DIMENSIONS} and below {RELEVANCE_THRESHOLD})")
        return gate


@lru_cache(maxsize=1)
def relevance_gate() -> RelevanceGate:
    """The gate the `relevance_gate` setting names, else the shipped one."""
    from incidents.config import load_settings

    chosen = load_settings().relevance_gate
    if chosen and not Path(chosen).is_file():
        raise IncidentsError(f"relevance gate {chosen} (setting relevance_gate / $INCIDENTS_RELEVANCE_GATE) is not a file")
    return RelevanceGate.from_disk(chosen or GATE_PATH)


def in_scope_probability(vector) -> float | None:
    """The relevance gate's probability that a story with this title-and-lead embedding is in scope."""
    if vector is None:
        return None
    return float(relevance_gate().probabilities([np.asarray(vector, dtype=np.float64)])[0])
