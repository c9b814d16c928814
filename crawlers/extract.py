"""Main text, title, date and canonical link of a news page, with trafilatura."""
from __future__ import annotations

from dataclasses import dataclass

import trafilatura


@dataclass
class ExtractedPage:
    title: str | None
    text: str | None
    published: str | None
    canonical: str | None
    language: str | None


def extract_page(html: str, url: str | None = None) -> ExtractedPage:
    """The article in a page: body without navigation, ads, related links or comments."""
    doc = trafilatura.bare_extraction(
        html, url=url, include_comments=False, include_tables=False, favor_precision=True,
        with_metadata=True,
    )
    if doc is None:
        return ExtractedPage(None, None, None, None, None)
    return ExtractedPage(
        title=doc.title, text=doc.text, published=doc.date, canonical=doc.url, language=doc.language,
    )
