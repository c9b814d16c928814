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
    """Incident id -> its most recent articles (at most `limit`), from the query the Incident page lists."""
    found: dict[str, list[Source]] = {}
    for incident_id in dict.fromkeys(incident_ids):
        rows = sorted(store.incident_articles_listed(incident_id),
                      key=lambda r: (r["published"] or "", r["id"]), reverse=True)
        found[incident_id] = [
            Source(outlet=r["outlet"] or _host(r["url"]) or "source", title=r["title"] or r["url"],
                   url=web_link(r["url"]), published=(r["published"] or "")[:10])
            for r in rows[:limit]
        ]
    return found


def web_link(url: str | None) -> str | None:
    """The URL when it is an http(s) link a mail client may open, else None (no javascript:, data:, ...)."""
    if not url:
        return None
    if not _host(url) or urlsplit(url.strip()).scheme.lower() not in ("http", "https"):
        return None
    if any(ord(c) < 33 or c in "<>\"'`\\" for c in url.strip()):
        return None
    return url.strip()


def _host(url: str | None) -> str | None:
    try:
        return urlsplit((url or "").strip()).hostname
    except ValueError:  # a malformed address, e.g. an unclosed IPv6 bracket
        return None
