"""Reading articles and stored incidents back from the store as the linker's objects."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from incidents.model import Analysis

from .claims import LEAD_CHARS, ArticleView, article_view
from .cluster import IncidentState


@dataclass
class Loaded:
    """Articles read for one link run: their views, analyses and store rows, by id."""

    views: dict[int, ArticleView] = field(default_factory=dict)
    analyses: dict[int, Analysis] = field(default_factory=dict)
    rows: dict[int, dict] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)  # article id -> why it could not be read

    def forget(self, article_id: int) -> None:
        """Drop what was read of an article, so the next `read` reads it again."""
        for table in (self.views, self.analyses, self.rows, self.failed):
            table.pop(article_id, None)

    def read(self, store, article_ids: Iterable[int], batch: int = 500) -> None:
        """Load the articles not loaded yet, a batch at a time."""
        wanted = [i for i in dict.fromkeys(article_ids) if i not in self.rows]
        for start in range(0, len(wanted), batch):
            chunk = wanted[start:start + batch]
            rows = store.link_inputs(chunk, LEAD_CHARS + 60)
            analyses = store.analyses_for(chunk)
            for article_id in chunk:
                row, analysis = rows.get(article_id), analyses.get(article_id)
                if row is None or analysis is None:
                    continue
                self.rows[article_id] = row
                try:
                    view = article_view(article_id, row["title"], row["lead"], row["published"], row["outlet"],
                                        analysis, row.get("duplicate_of"))
                except Exception as exc:  # noqa: BLE001 - one odd record (a year-1 date) must not stop linking
                    self.failed[article_id] = f"{type(exc).__name__}: {exc}"
                    continue
                self.analyses[article_id] = analysis
                self.views[article_id] = view


def load_states(store, members: dict[str, list[tuple[int, bool, float | None]]],
                loaded: Loaded) -> list[IncidentState]:
    """Stored incidents rebuilt from their members, marked unchanged."""
    loaded.read(store, [a for rows in members.values() for a, _, _ in rows])
    states = []
    for incident_id, rows in members.items():
        state = IncidentState(id=incident_id)
        for article_id, primary, score in rows:
            view = loaded.views.get(article_id)
            if view is not None:
                state.add(view, score if score is not None else 1.0, primary)
        state.changed = False
        states.append(state)
    return states
