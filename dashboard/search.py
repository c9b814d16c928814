"""Search over incidents and articles: the store's full-text search first (`Store.search_text`:
stemmed, best match first), then what is closest in meaning (the NLP stage's embeddings). The Search page and the HTTP API both
call `run_search`, so they find the same things. No Streamlit in here.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

RESULTS = 20
"""Matches per kind (incidents, articles)."""

MIN_SIMILARITY = 0.3
"""Below this cosine similarity a semantic match is noise."""


@dataclass
class Found:
    """Ids in the order found (keyword matches first), and the similarity of semantic ones."""

    incident_ids: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    scores: dict[tuple[str, object], float] = field(default_factory=dict)  # ("incident"|"article", id)


def semantic_index(store) -> dict:
    """Incident centroids and article vectors, each as ids plus a matrix of normalised rows."""
    centroids = store.incident_centroids()
    article_ids, vectors = store.article_vectors_all()
    return {"incident_ids": list(centroids),
            "incidents": np.vstack(list(centroids.values())) if centroids else np.zeros((0, 0), "<f4"),
            "article_ids": article_ids, "articles": vectors}


def nearest(ids: list, matrix: np.ndarray, vector: np.ndarray, limit: int = RESULTS,
            min_similarity: float = MIN_SIMILARITY) -> list[tuple]:
    """(id, similarity) of the rows closest to `vector`, best first, none below `min_similarity`."""
    if not len(ids):
        return []
    sims = matrix @ vector
    best = np.argsort(-sims, kind="stable")[:limit]
    return [(ids[i], float(sims[i])) for i in best if sims[i] >= min_similarity]


def run_search(store, query: str, *, index: dict | None = None, vector: np.ndarray | None = None,
               limit: int = RESULTS) -> Found:
    """Every word of `query` in incidents and articles; with the `index` and the query's
    `vector`, also the closest in meaning (after the keyword matches)."""
    found = Found()
    if not query.split():
        return found
    hits = store.search_text(query, limit)
    found.incident_ids, found.article_ids = hits.incidents, hits.articles
    if index is None or vector is None:
        return found
    near_incidents = nearest(index["incident_ids"], index["incidents"], vector, limit)
    near_articles = nearest(index["article_ids"], index["articles"], vector, limit)
    found.scores = {("incident", i): s for i, s in near_incidents} | {("article", i): s for i, s in near_articles}
    found.incident_ids = list(dict.fromkeys([*found.incident_ids, *(i for i, _ in near_incidents)]))
    found.article_ids = list(dict.fromkeys([*found.article_ids, *(i for i, _ in near_articles)]))
    return found
