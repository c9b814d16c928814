"""What a candidate's sentence means, as features for the event scorer.

The frames and the parse say which words could state an event and where its parties sit;
they cannot tell "ordered OpenAI to stop processing data" (a ban) from "ordered OpenAI to
run an awareness campaign" (no event), or a phrasing no lexicon lists from an unrelated
one. A sentence embedding (all-MiniLM-L6-v2, nlp/embed.py) can: each dimension, conjoined
with the candidate's event type, is a feature, so the scorer learns from the corpus which
meanings go with which type. Measured by cross-validation split by incident, as every
scorer feature is (`python -m nlp.training.train`).

Each distinct sentence is embedded once per Doc, and only sentences that hold a candidate:
a handful per relevant article.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nlp.candidates import Candidate

FEATURE = "meaning"


def with_sentence_meaning(candidates: list[Candidate]) -> None:
    """Adds to every candidate the embedding of its trigger's sentence, one feature per
    dimension conjoined with the candidate's type."""
    sentences = {cand.trigger.sent.start: cand.trigger.sent.text.strip() for cand in candidates}
    if not sentences:
        return
    from nlp.embed import get_embedder

    vector_of = dict(zip(sentences, get_embedder().embed(list(sentences.values()))))
    for cand in candidates:
        vector = vector_of[cand.trigger.sent.start]
        cand.features.update({f"{cand.type}|{FEATURE}{k}": float(x) for k, x in enumerate(vector)})
