"""The incident graph as `incidents link` last wrote it, kept in the store (`incident_graph`).

In the store rather than in a file beside it, so every process that opens the store (link
workers, the dashboard, the API, on any machine) reads the same graph. The store keeps it as
the graph stage hands it over: node-link JSON text, with the format it is written in and the
incidents stamp it shows; what the JSON means is the graph stage's business (`graph.build`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import delete, select

from .schema import incident_graph

GRAPH_ROW = 1
"""The one row of `incident_graph`: a store has one incident graph."""


@dataclass
class SavedGraph:
    """The saved graph: node-link JSON in `format`, showing the incidents of `stamp`."""

    format: int
    stamp: str | None
    data: str
    updated: datetime


class IncidentGraphStore:
    """Reads and writes the one saved incident graph."""

    def saved_graph(self) -> SavedGraph | None:
        """The graph `incidents link` last saved, or None when none was ever saved."""
        with self.engine.connect() as conn:
            row = conn.execute(select(incident_graph).where(incident_graph.c.id == GRAPH_ROW)).first()
        if row is None:
            return None
        return SavedGraph(row.format, row.stamp, row.data, row.updated)

    def saved_graph_updated(self) -> datetime | None:
        """When the saved graph was last written (cheap: tells a reader's cache to reload)."""
        with self.engine.connect() as conn:
            return conn.execute(select(incident_graph.c.updated).where(incident_graph.c.id == GRAPH_ROW)).scalar()

    def save_graph(self, data: str, graph_format: int, stamp: str | None) -> None:
        """Replace the saved graph in one transaction: a reader sees the old one or the new one."""
        with self.engine.begin() as conn:
            conn.execute(delete(incident_graph).where(incident_graph.c.id == GRAPH_ROW))
            conn.execute(incident_graph.insert().values(id=GRAPH_ROW, format=graph_format, stamp=stamp, data=data,
                                                        updated=datetime.now(timezone.utc)))
