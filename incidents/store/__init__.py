"""The store: the single source of truth every stage reads from and writes back to.

This package is the only place with SQL. `Store(url)` opens (creating or migrating, with
Alembic) the database at a SQLAlchemy URL; each table family adds its queries from its own module.
"""
from __future__ import annotations

from .alerts import AlertStore
from .analysis import AnalysisStore
from .articles import ArticleStore, Stored, content_hash
from .base import StoreBase, display_url, is_postgresql, sqlite_path
from .briefing import BriefingStore
from .claims import ClaimStore
from .corrections import CorrectionStore
from .digests import DigestStore
from .incident_graph import IncidentGraphStore, SavedGraph
from .incident_index import IncidentIndexStore
from .incidents import IncidentStore
from .listing import IncidentFilter, ListingStore
from .migrations import head_revision
from .outlines import OutlineStore
from .search import SearchHits, SearchStore


class Store(ArticleStore, AnalysisStore, ClaimStore, IncidentStore, IncidentIndexStore, BriefingStore, OutlineStore,
            ListingStore, SearchStore, DigestStore, CorrectionStore, AlertStore, IncidentGraphStore, StoreBase):
    """One database of articles, analyses, incidents and their graph, sent digests and alerts, and analysts'
    corrections."""


__all__ = ["IncidentFilter", "SavedGraph", "SearchHits", "Store", "Stored", "content_hash", "display_url",
           "is_postgresql", "sqlite_path", "head_revision"]
