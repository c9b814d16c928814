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
EVENT_WEIGHT = 0.35
SIMILARITY_FLOOR = 0.15  # below this the story is about something else, whatever it names
SIMILARITY_SPAN = 0.35
RELEVANCE_THRESHOLD = 0.5


@lru_cache(maxsize=1)
def topic_vectors() -> np.ndarray:
    from nlp.embed import get_embedder

    return get_embedder().embed(list(TOPICS))


def similarity(vector) -> float | None:
    if vector is None:
        return None
    return float(np.max(topic_vectors() @ np.asarray(vector, dtype=np.float32)))


def relevance(doc: Doc, events: list[Event], entities: list[Entity], vector=None) -> float:
    """A score in [0, 1]; RELEVANCE_THRESHOLD and above counts as relevant."""
    ai_parties = {e.name for e in entities if e.vendor or e.type == "PRODUCT"}
    ai_parties |= {e.vendor for e in entities if e.vendor}
    strong = [e for e in events if e.actor in ai_parties or e.target in ai_parties]
    event_score = min(1.0, EVENT_WEIGHT * len(strong) + 0.15 * (len(events) - len(strong)))
    sim = similarity(vector)
    if sim is None:
        return event_score
    topic_score = min(1.0, max(0.0, (sim - SIMILARITY_FLOOR) / SIMILARITY_SPAN))
    return 0.5 * topic_score + 0.5 * event_score if events else 0.8 * topic_score
