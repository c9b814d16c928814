"""Read-only queries the briefing (dashboard and weekly digest) needs."""
from __future__ import annotations


class BriefingStore:
    """Queries over incidents, events and articles for the briefing views."""
