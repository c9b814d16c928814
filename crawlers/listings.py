"""Feeds (RSS 2.0, RSS 1.0, Atom) and XML sitemaps: the documents that list article links.

Parsed with lxml without entity expansion or network access (a feed is hostile input).
A malformed document is still read as far as lxml can recover it, and says so, so the
crawl can name it in its summary without losing the links it does hold.
"""
from __future__ import annotations

import gzip
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime

from lxml import etree

from incidents.model import parse_published

MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
"""A gzipped sitemap may not unpack to more than this (the sitemap protocol allows 50 MB)."""


@dataclass
class Entry:
    """One link of a listing, with what the listing says about it."""

    url: str
    published: str | None = None  # YYYY-MM-DD
    title: str | None = None
    refused_date: str | None = None  # a date the listing gave that is out of range, dropped


@dataclass
class Listing:
    """What a feed or sitemap lists: article links, or (a sitemap index) further sitemaps."""

    kind: str  # "feed", "sitemap" or "sitemap_index"
    entries: list[Entry] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    problem: str | None = None  # why the document is malformed, when it is

    @property
    def dates_dropped(self) -> int:
        """How many entries gave a date out of range (dropped; for the crawl summary)."""
        return sum(entry.refused_date is not None for entry in self.entries)


class NotAListing(ValueError):
    """The document is neither a feed nor a sitemap."""


def parse_listing(body: bytes) -> Listing:
    """The links of a feed, sitemap or sitemap index, told apart by the root element."""
    root, problem = _parse_xml(_gunzip(body))
    name = etree.QName(root).localname.lower()
    if name in ("rss", "rdf", "feed"):
        listing = Listing("feed", entries=_feed_entries(root))
    elif name == "urlset":
        listing = Listing("sitemap", entries=_sitemap_entries(root))
    elif name == "sitemapindex":
        listing = Listing("sitemap_index", sitemaps=_texts(root, "sitemap", "loc"))
    else:
        raise NotAListing(f"root element <{name}> is not a feed or sitemap")
    listing.problem = problem
    return listing


def _gunzip(body: bytes) -> bytes:
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as f:
            data = f.read(MAX_UNZIPPED_BYTES + 1)
    except (OSError, EOFError) as exc:
        raise NotAListing(f"bad gzip data ({exc})") from None
    if len(data) > MAX_UNZIPPED_BYTES:
        raise NotAListing(f"unpacks to more than {MAX_UNZIPPED_BYTES // 2**20} MB")
    return data


def _parse_xml(body: bytes):
    strict = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        return etree.fromstring(body, strict), None
    except etree.XMLSyntaxError as exc:
        problem = f"malformed XML ({exc.msg})" if getattr(exc, "msg", None) else "malformed XML"
    lenient = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, recover=True)
    root = etree.fromstring(body, lenient) if body.strip() else None
    if root is None:
        raise NotAListing(problem)
    return root, problem


def _children(node, name: str):
    return [child for child in node.iter() if isinstance(child.tag, str) and etree.QName(child).localname == name]


def _child_text(node, *names: str) -> str | None:
    for name in names:
        for child in node:
            if isinstance(child.tag, str) and etree.QName(child).localname == name and (child.text or "").strip():
                return child.text.strip()
    return None


def _texts(root, parent: str, name: str) -> list[str]:
    return [text for node in _children(root, parent) if (text := _child_text(node, name))]


def _feed_entries(root) -> list[Entry]:
    entries = []
    for item in _children(root, "item") + _children(root, "entry"):
        url = _entry_link(item)
        if url:
            published, refused = sane_date(
                _child_text(item, "pubDate", "published", "date", "issued", "updated", "modified"))
            entries.append(Entry(url, published, _child_text(item, "title"), refused))
    return entries


def _entry_link(item) -> str | None:
    for child in item:
        if not isinstance(child.tag, str) or etree.QName(child).localname != "link":
            continue
        if child.get("href") and child.get("rel", "alternate") == "alternate":
            return child.get("href").strip()  # Atom
        if (child.text or "").strip():
            return child.text.strip()  # RSS
    guid = next((c for c in item if isinstance(c.tag, str) and etree.QName(c).localname == "guid"), None)
    if guid is not None and guid.get("isPermaLink", "true") == "true" and (guid.text or "").startswith("http"):
        return guid.text.strip()
    return None


def _sitemap_entries(root) -> list[Entry]:
    entries = []
    for node in _children(root, "url"):
        url = _child_text(node, "loc")
        if not url:
            continue
        news = next(iter(_children(node, "news")), None)
        published = _child_text(news, "publication_date") if news is not None else None
        title = _child_text(news, "title") if news is not None else None
        # lastmod is when the page last changed: only a stand-in for the publication date.
        published, refused = sane_date(published, _child_text(node, "lastmod"))
        entries.append(Entry(url, published, title, refused))
    return entries


def sane_date(*values: str | None) -> tuple[str | None, str | None]:
    """(YYYY-MM-DD of the first readable value in range, the first value refused as out of
    range); a year-1 or year-9999 date is a slip of the site, never stored."""
    refused = None
    for value in values:
        day = iso_date(value)
        if day is None:
            continue
        if parse_published(day) is not None:
            return day, refused
        refused = refused or value.strip()
    return None, refused


def iso_date(value: str | None) -> str | None:
    """YYYY-MM-DD of an RFC 822 (RSS) or ISO 8601 (Atom, sitemap) date; None if unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        day = parsedate_to_datetime(value).date()
        written = re.search(r"\b\d{4}\b", value)
        if written and int(written[0]) != day.year:
            # RFC 822 reads a small year as two digits ("0001" as 2001); keep the year written
            day = day.replace(year=int(written[0]))
        return day.isoformat()
    except (TypeError, ValueError, IndexError):
        return None
