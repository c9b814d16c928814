"""The stored incidents new articles could join, found through the store's index.

`cluster.match` joins an article to an incident in two ways only: they share a claim pair
(the incident within HORIZON of the article), or they read alike, at least WORDING_FLOOR,
and lie within SHORT_GAP of each other. An article without a vector, or an incident
without one, is given UNKNOWN_SIMILARITY, below WORDING_FLOOR, so only a pair joins them. The
store's index answers both questions for a batch of articles (incidents by pair; incidents
near in time, with their stored centroids), so a link run reads the incidents its
articles may join and none of the rest: its cost follows the new articles, not the store.
"""
from __future__ import annotations

import numpy as np

from .claims import ArticleView
from .cluster import HORIZON, SHORT_GAP, WORDING_FLOOR

SUM_SLACK = 0.02
"""Margin under WORDING_FLOOR for a stored centroid: the linker recomputes it from the
members, whose float32 sum in another order may differ in the last digits."""


def candidate_incidents(store, views: list[ArticleView]) -> set[str]:
    """Ids of the stored incidents any of these articles could join."""
    if not views:
        return set()
    found = store.incidents_near([(v.day, v.pairs | v.main_pairs) for v in views], near=SHORT_GAP, far=HORIZON)
    vectors = [v.vector for v in views if v.vector is not None]
    close = [(i, c) for i, c in sorted(found.close.items()) if c is not None]
    if not vectors or not close:
        return found.sharing
    similarity = np.stack([c for _, c in close]) @ np.stack(vectors).T
    alike = similarity.max(axis=1) >= WORDING_FLOOR - SUM_SLACK
    return found.sharing | {i for (i, _), keep in zip(close, alike) if keep}
