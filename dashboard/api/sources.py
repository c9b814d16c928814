"""What the API reads from, opened once per server: the store (read-only), the incident
graph and the semantic index (each reloaded when `incidents link` or `extract` changed
the store), and the sentence embedder (loaded on the first semantic search).
"""
from __future__ import annotations

import threading

from incidents.store import Store


class Sources:
    """The store of `settings` and what is derived from it, shared by every request."""

    def __init__(self, settings):
        self.settings = settings
        self.store = Store(settings.db, read_only=True)
        self._lock = threading.Lock()
        self._graph = (None, None)  # (stamp, graph)
        self._index = (None, None)
        self._embedder = None

    def close(self) -> None:
        self.store.close()

    def graph(self):
        """The incident graph as `incidents graph` reads it, reloaded when incidents changed."""
        from graph.build import open_graph

        # the incidents and the saved graph: link writes the one, then the other
        stamp = (self.store.incident_stamp(), self.store.saved_graph_updated())
        with self._lock:
            if self._graph[0] != stamp:
                self._graph = (stamp, open_graph(self.store))
            return self._graph[1]

    def semantic_index(self) -> dict:
        """Incident centroids and article vectors (dashboard.search), reloaded when they changed."""
        from dashboard.search import semantic_index

        stamp = (self.store.incident_stamp(), self.store.count_articles())
        with self._lock:
            if self._index[0] != stamp:
                self._index = (stamp, semantic_index(self.store))
            return self._index[1]

    def embed(self, text: str):
        """The unit-length vector of a query, by the NLP stage's embedder."""
        with self._lock:
            if self._embedder is None:
                from nlp.embed import get_embedder
                self._embedder = get_embedder()
        return self._embedder.embed([text])[0]
