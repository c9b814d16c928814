"""Train the relevance gate on the labelled corpus and measure it by cross-validation split
by incident.

    python -m nlp.training.relevance              # figures, then data/relevance_gate.json
    python -m nlp.training.relevance --no-write

Each story's title and lead (`nlp.analyse.lead_text`, as `incidents extract` reads them) is
embedded; a logistic regression learns in scope (the story's `relevant` label) against off
topic. The gate skips an article when its probability is below SAFETY times the lowest
out-of-fold probability of any in-scope story: recall comes first, the gate only saves time.
The figures printed are nested: each outer fold picks its threshold by that rule from its
own training stories alone, then counts the outer fold's in-scope stories it would have
skipped. Folds never split an incident. Needs scikit-learn (the `train` extra).
"""
from __future__ import annotations

import argparse
import sys
from datetime import date

import numpy as np

from incidents.errors import IncidentsError
from nlp.relevance import GATE_PATH, RelevanceGate
from nlp.training.corpus import NEVER_TRAINED, ROOT, corpus_files, load_stories

C = 1.0
SAFETY = 0.65
"""The threshold is this fraction of the lowest out-of-fold in-scope probability: a margin
for in-scope stories worded unlike any in the corpus (0.8 let one of 206 through in the
nested cross-validation, 0.65 none)."""
SEED = 0


def training_stories() -> tuple[list[dict], list[str]]:
    """The corpus stories and the files they come from; never a blind set kept blind."""
    paths = corpus_files()
    forbidden = [p for p in paths if p.name.startswith(NEVER_TRAINED)]
    if forbidden:
        raise IncidentsError(f"{forbidden[0]}: a blind set, never trained on")
    return load_stories(paths), [str(p.relative_to(ROOT)) for p in paths]


def lead_texts(stories: list[dict]) -> list[str]:
    """Each story's title and lead, exactly as `incidents extract` reads them."""
    import spacy

    from nlp.analyse import lead_text, make_doc

    tokenizer_only = spacy.blank("en")  # lead_text reads the text; no model is needed
    return [lead_text(make_doc(tokenizer_only, s.get("title"), s.get("text"), s.get("published"))) for s in stories]


def lead_vectors(stories: list[dict]) -> np.ndarray:
    """Title-and-lead embeddings, exactly as `incidents extract` computes them."""
    from nlp.embed import get_embedder

    return get_embedder().embed(lead_texts(stories))


def groups_of(stories: list[dict]) -> np.ndarray:
    return np.array([s.get("incident") or f"story:{s['id']}" for s in stories])


def fit(x: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(x, y)


def folds(y: np.ndarray, groups: np.ndarray, k: int):
    from sklearn.model_selection import StratifiedGroupKFold

    return StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=SEED).split(np.zeros(len(y)), y, groups)


def out_of_fold(x: np.ndarray, y: np.ndarray, groups: np.ndarray, k: int) -> np.ndarray:
    """Each story's probability from a model that never saw its incident."""
    scores = np.zeros(len(y))
    for train, test in folds(y, groups, k):
        scores[test] = fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    return scores


def threshold_for(scores: np.ndarray, y: np.ndarray) -> float:
    return SAFETY * float(scores[y == 1].min())


def nested_figures(x: np.ndarray, y: np.ndarray, groups: np.ndarray, k: int) -> dict:
    """In-scope stories wrongly skipped and off-topic stories skipped, each outer fold's
    threshold chosen on its training stories only."""
    missed, skipped = 0, 0
    for train, test in folds(y, groups, k):
        inner = out_of_fold(x[train], y[train], groups[train], k - 1)
        threshold = threshold_for(inner, y[train])
        probability = fit(x[train], y[train]).predict_proba(x[test])[:, 1]
        missed += int(((probability < threshold) & (y[test] == 1)).sum())
        skipped += int(((probability < threshold) & (y[test] == 0)).sum())
    positives, negatives = int(y.sum()), int((1 - y).sum())
    return {"in_scope": positives, "in_scope_skipped": missed, "recall": round(1 - missed / positives, 4),
            "off_topic": negatives, "off_topic_skipped": skipped}


def fit_gate(stories: list[dict], k: int = 10, vectors: np.ndarray | None = None) -> RelevanceGate:
    """A gate fitted on these stories, its threshold by the SAFETY rule from their out-of-fold
    probabilities."""
    x = lead_vectors(stories) if vectors is None else vectors
    y = np.array([int(bool(s.get("relevant"))) for s in stories])
    scores = out_of_fold(x, y, groups_of(stories), k)
    model = fit(x, y)
    return RelevanceGate(weights=model.coef_[0].astype(np.float64), bias=float(model.intercept_[0]),
                         threshold=round(threshold_for(scores, y), 4),
                         meta={"lowest_in_scope_out_of_fold": round(float(scores[y == 1].min()), 4)})


def train(k: int = 10) -> tuple[RelevanceGate, dict]:
    stories, files = training_stories()
    x = lead_vectors(stories)
    y = np.array([int(bool(s.get("relevant"))) for s in stories])
    groups = groups_of(stories)
    gate = fit_gate(stories, k, x)
    cv = nested_figures(x, y, groups, k)
    gate.meta = {"trained_on": files, "stories": len(stories), "in_scope": cv["in_scope"], "off_topic": cv["off_topic"],
                 "incidents": len({g for g in groups if not g.startswith("story:")}), "C": C, "folds": k,
                 "threshold_rule": f"{SAFETY} x the lowest out-of-fold in-scope probability", **gate.meta,
                 "cross_validated_by_incident": cv, "embedding": "all-MiniLM-L6-v2 of nlp.analyse.lead_text",
                 "built": date.today().isoformat()}
    return gate, cv


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description="train the relevance gate (data/relevance_gate.json)")
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--no-write", action="store_true", help="print the figures only")
    a = ap.parse_args(argv)
    gate, cv = train(a.folds)
    print(f"relevance gate: {gate.meta['stories']} stories; threshold {gate.threshold}; cross-validated by "
          f"incident ({a.folds} folds, nested): {cv['in_scope_skipped']} of {cv['in_scope']} in-scope stories "
          f"wrongly skipped (recall {cv['recall']}), {cv['off_topic_skipped']} of {cv['off_topic']} off-topic "
          f"AI stories skipped")
    if not a.no_write:
        gate.to_disk(GATE_PATH)
        print(f"written {GATE_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
