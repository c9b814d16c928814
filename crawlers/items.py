"""The item a spider hands to the pipelines: one fetched article page, filled in step by step."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class PageItem:
    """A fetched page of one source; the pipelines add what they find in it."""

    url: str  # the URL requested (after redirects: the final one)
    html: str = field(repr=False)
    outlet: str
    source_id: int | None = None
    listed_published: str | None = None  # the date the feed or sitemap gave, a fallback
    listed_title: str | None = None
    language_hint: str | None = None  # the Content-Language header
    fetched: datetime | None = None
    # set by ExtractPipeline:
    title: str | None = None
    text: str | None = None
    published: str | None = None
    published_time: str | None = None  # UTC ISO datetime, when the page gives the time of day
    language: str | None = None
    declared_canonical: str | None = None  # the page's rel=canonical, as written
    # set by CanonicalUrlPipeline:
    canonical_url: str | None = None
    # set by DedupPipeline:
    content_hash: str | None = None
    simhash: int | None = None
    duplicate_of: int | None = None
    replaces: int | None = None  # a stored article that turns out to be a later copy of this one
    # set by StorePipeline:
    id: int | None = None
