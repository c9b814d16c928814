"""Is the story about AI security or a dispute between AI vendors and their customers?

Evidence from the extraction (events whose parties are known AI vendors or products)
combined with how close the title and lead are, in embedding space, to descriptions
of the stories the tracker is for.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from spacy.tokens import Doc

from incidents.model import Entity, Event
from nlp.resources import gazetteer, lexicon

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
    words = lexicon().words["ai_terms"]
    if any(t.lower_ in words for t in doc):
        return True
    known = gazetteer().by_name
    return any(e.name in known and known[e.name].ai for e in entities)


def relevance(doc: Doc, events: list[Event], entities: list[Entity], vector=None) -> float:
    """A score in [0, 1]; RELEVANCE_THRESHOLD and above counts as relevant."""
    signal = signal_score(doc, events, entities)
    topic = topic_score(vector)
    score = signal if topic is None else SIGNAL_WEIGHT * signal + (1 - SIGNAL_WEIGHT) * topic
    return score if mentions_ai(doc, entities) else min(score, NOT_AI_CEILING)
