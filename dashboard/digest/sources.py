"""The articles behind each incident of the digest, for its "sources" links."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from incidents.webtext import linkable_url

MAX_SOURCES = 5
"""Sources listed per incident; the dashboard page has them all."""


@dataclass(frozen=True)
class Source:
    """One article reporting an incident, with the outlets that ran a syndicated copy of it."""

    outlet: str
    title: str
    url: str | None  # None when the stored URL is not a plain http(s) link
    published: str
    copied_by: tuple[str, ...] = ()


def incident_sources(store, incident_ids, limit: int = MAX_SOURCES) -> dict[str, list[Source]]:
    """Incident id -> the articles that reported it first first (at most `limit`), each
    syndicated copy folded into its original, from the query the Incident page lists."""
    found: dict[str, list[Source]] = {}
    for incident_id in dict.fromkeys(incident_ids):
        rows = store.incident_articles_listed(incident_id)  # oldest first
        ids = {r["id"] for r in rows}
        copies: dict[int, list[str]] = {}
        for r in rows:
            if r["duplicate_of"] in ids:
                copies.setdefault(r["duplicate_of"], []).append(_outlet(r))
        found[incident_id] = [
            Source(outlet=_outlet(r), title=r["title"] or r["url"], url=linkable_url(r["url"]),
                   published=(r["published"] or "")[:10], copied_by=tuple(dict.fromkeys(copies.get(r["id"], ()))))
            for r in rows if r["duplicate_of"] not in ids
        ][:limit]
    return found


def _outlet(row: dict) -> str:
    return row["outlet"] or _host(row["url"]) or "source"


def _host(url: str | None) -> str | None:
    try:
        return urlsplit((url or "").strip()).hostname
    except ValueError:  # a malformed address, e.g. an unclosed IPv6 bracket
        return None
