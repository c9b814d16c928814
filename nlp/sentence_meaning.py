"""What a candidate's sentence means, and what it says of each party, as features for the
event scorer.

The frames and the parse say which words could state an event and where its parties sit;
they cannot tell "ordered OpenAI to stop processing data" (a ban) from "ordered OpenAI to
run an awareness campaign" (no event), or a phrasing no lexicon lists from an unrelated
one. A sentence encoder (all-MiniLM-L6-v2, nlp/embed.py) can:
- the sentence's embedding, each dimension conjoined with the candidate's event type;
- the contextual vector of each party's word in that sentence (the actor's and the
  target's, conjoined with the type too): the encoder has read the whole sentence into
  them, so "fined by the watchdog" and "the watchdog was fined" give the watchdog
  different vectors where a bag of words gives the same;
- the contextual vector of the trigger word, conjoined with the type: "blocked" asserted,
  reported, planned or asked for reads differently in context, where its lemma is one.
The scorer learns from the corpus which meanings go with which type and role. Measured by
cross-validation split by incident, as every scorer feature is (`python -m nlp.training.train`).

Each distinct sentence is encoded once per Doc (one pass gives both), and only sentences
that hold a candidate: a handful per relevant article.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from nlp.candidates import Candidate, Mention

FEATURE = "meaning"
ROLES = (("actor", "avec"), ("target", "tvec"))
"""Each party's feature prefix."""
TRIGGER = "gvec"


def with_sentence_meaning(candidates: list[Candidate]) -> None:
    """Gives every candidate the embedding of its trigger's sentence and the vectors of its
    parties' words as dense blocks, each conjoined with the candidate's type (one feature
    per dimension: the scorer takes a block as one dot product)."""
    sentences = {cand.trigger.sent.start: cand.trigger.sent for cand in candidates}
    if not sentences:
        return
    from nlp.embed import get_embedder

    encoded = dict(zip(sentences, get_embedder().embed_tokens([s.text.strip() for s in sentences.values()])))
    for cand in candidates:
        sent = cand.trigger.sent
        vector, pieces, offsets = encoded[sent.start]
        cand.vectors[f"{cand.type}|{FEATURE}"] = vector
        for role, prefix in ROLES:
            party = party_vector(getattr(cand, role), sent, pieces, offsets)
            if party is not None:
                cand.vectors[f"{cand.type}|{prefix}"] = party
        trigger = token_vector(cand.trigger, sent, pieces, offsets)
        if trigger is not None:
            cand.vectors[f"{cand.type}|{TRIGGER}"] = trigger


def as_features(vectors: dict[str, np.ndarray]) -> dict[str, float]:
    """Dense blocks as the sparse features they stand for (`prefix0`, `prefix1`, ...), for training."""
    return {f"{prefix}{k}": float(x) for prefix, vector in vectors.items() for k, x in enumerate(vector)}


def party_vector(mention: Mention, sent: Span, pieces: np.ndarray, offsets: list) -> np.ndarray | None:
    """The unit-length mean of the word pieces of the party's head word, when that word is
    in the sentence (a party only the rules found, or named in another sentence, has none)."""
    if mention.how == "rule":
        return None
    return token_vector(mention.head, sent, pieces, offsets)


def token_vector(tok: Token, sent: Span, pieces: np.ndarray, offsets: list) -> np.ndarray | None:
    """The unit-length mean of a word's pieces in its sentence's encoding (None: the word is
    not in the sentence, or past the encoder's length limit)."""
    if not sent.start <= tok.i < sent.end:
        return None
    start = tok.idx - sent.start_char - (len(sent.text) - len(sent.text.lstrip()))  # offsets are of the stripped text
    end = start + len(tok.text)
    rows = [k for k, (s, e) in enumerate(offsets) if e > s and s < end and e > start]
    if not rows:
        return None  # past the encoder's length limit
    mean = pieces[rows].mean(axis=0)
    return mean / (np.linalg.norm(mean) or 1.0)
