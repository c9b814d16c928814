"""The articles behind each incident of the digest, for its "sources" links."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_SOURCES = 5
"""Sources listed per incident; the dashboard page has them all."""


@dataclass(frozen=True)
class Source:
    """One article reporting an incident."""

    outlet: str
    title: str
    url: str | None  # None when the stored URL is not a plain http(s) link
    published: str


def incident_sources(store, incident_ids, limit: int = MAX_SOURCES) -> dict[str, list[Source]]:
    """Incident id -> its most recent articles (at most `limit`), through the store's own reads."""
    found: dict[str, list[Source]] = {}
    for incident in store.load_incidents(incident_ids):
        articles = [a for a in (store.get_article(i) for i in incident.article_ids) if a]
        articles.sort(key=lambda a: a.published or "", reverse=True)
        found[incident.id] = [
            Source(outlet=a.outlet or urlsplit(a.url).hostname or "source", title=a.title or a.url,
                   url=web_link(a.url), published=(a.published or "")[:10])
            for a in articles[:limit]
        ]
    return found


def web_link(url: str | None) -> str | None:
    """The URL when it is an http(s) link a mail client may open, else None (no javascript:, data:, ...)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if any(ord(c) < 33 or c in "<>\"'`\\" for c in url.strip()):
        return None
    return url.strip()
