"""Gold labels for candidates, and event P/R/F1 counted as the shared scorer counts them.

Names are compared the way ../shared/eval/score.py compares them (case, punctuation, a
leading "the", a possessive 's and company suffixes ignored; a name matches a gold entity
when it equals its name or one of its mentions), so what the model is trained towards is
what the evaluation rewards.
"""
from __future__ import annotations

import re

SUFFIXES = r"(inc|incorporated|corp|corporation|co|company|ltd|limited|llc|plc|group|holdings|gmbh|ag|sa)"


def norm(name: str | None) -> str:
    s = (name or "").lower().replace("\u2019", "'")
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^\w\s]", " ", s)
    s = re.sub(r"^\s*the\s+", "", s)
    s = re.sub(rf"(\s+{SUFFIXES})+\s*$", "", s)
    return " ".join(s.split())


class GoldEvents:
    """The gold events of one story, with the surface forms each of its entities may take."""

    def __init__(self, story: dict):
        self.events = list(story.get("events") or [])
        self.forms: dict[str, set[str]] = {}
        for entity in story.get("entities") or []:
            key = norm(entity.get("name"))
            self.forms[key] = {n for n in {key, *(norm(m) for m in entity.get("mentions") or [])} if n}

    def same(self, predicted: str, gold: str) -> bool:
        p = norm(predicted)
        return bool(p) and (p == norm(gold) or p in self.forms.get(norm(gold), set()))

    def matches(self, etype: str, actor: str, target: str) -> bool:
        """Whether a (type, actor, target) is one of the gold events."""
        return any(g["type"] == etype and self.same(actor, g["actor"]) and self.same(target, g["target"])
                   for g in self.events)

    def count(self, predicted: list[tuple[str, str, str]]) -> tuple[int, int, int]:
        """(matched, predicted, gold), each gold event matched at most once."""
        used: set[int] = set()
        matched = 0
        for etype, actor, target in predicted:
            for i, g in enumerate(self.events):
                if i not in used and g["type"] == etype and self.same(actor, g["actor"]) and self.same(target, g["target"]):
                    used.add(i)
                    matched += 1
                    break
        return matched, len(predicted), len(self.events)


def prf(matched: int, predicted: int, gold: int) -> dict[str, float]:
    p = matched / predicted if predicted else (1.0 if not gold else 0.0)
    r = matched / gold if gold else 1.0
    return {"p": round(p, 3), "r": round(r, 3), "f": round(2 * p * r / (p + r), 3) if p + r else 0.0}
