"""The event scorer: a logistic model over the sparse features of nlp/candidates.py,
trained on the labelled corpus by `python -m nlp.training.train` and shipped as
data/event_scorer.json (feature weights, bias, decision threshold, and how it was built).

Plain JSON and a dot product: no pickled objects, nothing to unpickle from a file, and no
scikit-learn needed to run it.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from nlp.resources import DATA_DIR, read_json

SCORER_PATH = DATA_DIR / "event_scorer.json"


@dataclass
class EventScorer:
    weights: dict[str, float]
    bias: float = 0.0
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_disk(self, path: str | Path) -> None:
        data = {"bias": self.bias, "threshold": self.threshold, "meta": self.meta,
                "weights": {k: round(v, 5) for k, v in sorted(self.weights.items()) if abs(v) >= 1e-5}}
        Path(path).write_text(json.dumps(data, indent=0, sort_keys=False) + "\n", encoding="utf-8")

    @classmethod
    def from_disk(cls, path: str | Path) -> EventScorer:
        data = read_json(path, "the event scorer")
        return cls(weights=data["weights"], bias=data["bias"], threshold=data["threshold"], meta=data.get("meta", {}))
