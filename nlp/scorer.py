"""The event scorer: a logistic model over the sparse features of nlp/candidates.py,
trained on the labelled corpus by `python -m nlp.training.train` and shipped as
data/event_scorer.json (feature weights, bias, decision threshold, and how it was built).

Plain JSON and a dot product: no pickled objects, nothing to unpickle from a file, and no
scikit-learn needed to run it. Dense blocks of features (a sentence's embedding, a party's
vector: nlp/sentence_meaning.py) are scored as one numpy dot product each, with the weights
of a block gathered once; trained, they are the features `PREFIXk` like any other.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nlp.resources import DATA_DIR, read_json

SCORER_PATH = DATA_DIR / "event_scorer.json"
STORY_FLOOR = 0.7
"""How probable a story's best candidate must be to stand when nothing else in the story
clears the threshold: a story in scope tells at least one event, and its likeliest
candidate, if the headline names one of its parties, is the best guess which. The floor
was chosen on cross-validation by incident (README), where anything from 0.5 to 0.8 does
about as well."""


@dataclass
class EventScorer:
    weights: dict[str, float]
    bias: float = 0.0
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)
    _blocks: dict[tuple[str, int], np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def probability(self, features: dict[str, float], vectors: dict[str, np.ndarray] | None = None) -> float:
        """P(the candidate states an event) from its sparse features and its dense blocks
        (prefix -> vector: the same as the features `prefix0`, `prefix1`, ...)."""
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        for prefix, vector in (vectors or {}).items():
            z += float(self.block(prefix, len(vector)) @ vector)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def accepts(self, rules: list[bool], scores: list[float], headlined: list[bool],
                told: bool = False) -> tuple[list[bool], bool]:
        """Which of a story's candidates stand, and whether that is a guess: the rules' and
        those the threshold accepts; or, when there are none and the rules told no event
        either (`told`: an anaphor's event is no candidate), the likeliest one if it clears
        STORY_FLOOR and the headline names its actor or target (`headlined`): what a
        story is about is in its headline. A guess names which event a story tells if it
        tells one; it does not make the story relevant (nlp/relevance.py)."""
        settled = [rule or score >= self.threshold for rule, score in zip(rules, scores)]
        if told or any(settled) or not scores:
            return settled, False
        best = max(range(len(scores)), key=scores.__getitem__)
        if scores[best] < STORY_FLOOR or not headlined[best]:
            return settled, False
        return [i == best for i in range(len(scores))], True

    def block(self, prefix: str, size: int) -> np.ndarray:
        """The weights of the features prefix0 .. prefix{size-1}, gathered once."""
        key = (prefix, size)
        if key not in self._blocks:
            self._blocks[key] = np.array([self.weights.get(f"{prefix}{k}", 0.0) for k in range(size)], dtype=np.float32)
        return self._blocks[key]

    def to_disk(self, path: str | Path) -> None:
        data = {"bias": self.bias, "threshold": self.threshold, "meta": self.meta,
                "weights": {k: round(v, 5) for k, v in sorted(self.weights.items()) if abs(v) >= 1e-5}}
        Path(path).write_text(json.dumps(data, indent=0, sort_keys=False) + "\n", encoding="utf-8")

    @classmethod
    def from_disk(cls, path: str | Path) -> EventScorer:
        data = read_json(path, "the event scorer")
        return cls(weights=data["weights"], bias=data["bias"], threshold=data["threshold"], meta=data.get("meta", {}))
