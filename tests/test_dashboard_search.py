"""Semantic search on the dashboard, with the real sentence-transformers model."""
from __future__ import annotations

import numpy as np
import pytest
from test_dashboard import link_labels, open_app

from incidents.model import Incident


@pytest.fixture
def embedded_store(app_store, sentence_embedder):
    """The fixture store with article vectors and incident centroids, as extract and link store them."""
    store = app_store
    titles = {a.id: a.title for a in map(store.get_article, range(1, store.count_articles() + 1))}
    analyses = store.analyses_for(titles)
    vectors = dict(zip(titles, sentence_embedder.embed(list(titles.values()))))
    for article_id, analysis in analyses.items():
        analysis.embedding = vectors[article_id].tolist()
    store.save_analyses(analyses.items(), "fixture-1")
    for incident in store.load_incidents():
        centroid = np.mean([vectors[a] for a in incident.article_ids], axis=0)
        store.save_incident(Incident(**{**vars(incident)}), [(a, True, 1.0) for a in incident.article_ids],
                            centroid=centroid / np.linalg.norm(centroid))
    return store


def test_semantic_search_finds_a_story_told_in_other_words(embedded_store):
    query = "firm forbids its staff to use an AI programming assistant"
    at = open_app("search", q=query)
    at.toggle(key="search_semantic").set_value(False).run()
    assert [h.value for h in at.subheader] == ["Incidents (0)", "Articles (0)"]  # no word matches
    at.toggle(key="search_semantic").set_value(True).run()
    assert not at.exception
    assert link_labels(at)[0] == "Alibaba bans Claude Code"  # incidents first, best first
    assert any("similarity" in c.value for c in at.caption)
