"""Canonical article URLs, so one story is stored once whatever link led to it."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid|_hsenc|_hsmi|"
    r"ref|ref_src|cmpid|ncid|sr_share|spm|at_medium|at_campaign|guccounter|output|"
    r"__twitter_impression|oly_anon_id|oly_enc_id|vero_id|mkt_tok|s_cid|rss|taid)$",
    re.IGNORECASE,
)
"""Query parameters that track a click and never change the page."""

MOBILE_PREFIXES = ("www.", "m.", "amp.", "mobile.")
"""Host prefixes under which a site serves the same pages."""


def canonical_url(url: str) -> str:
    """The URL with tracking parameters and the fragment dropped, scheme and host lower-cased."""
    parts = urlsplit(url.strip())
    # "&amp;" in a query is a feed that escaped its links twice; the page means "&".
    query = [(k, v) for k, v in parse_qsl(parts.query.replace("&amp;", "&"), keep_blank_values=True)
             if not TRACKING_PARAMS.match(k)]
    netloc = parts.netloc.lower()
    if parts.scheme == "http" and netloc.endswith(":80") or parts.scheme == "https" and netloc.endswith(":443"):
        netloc = netloc.rsplit(":", 1)[0]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))


def same_site(a: str, b: str) -> bool:
    """Whether two URLs are on the same site (host and port, ignoring www./m./amp.)."""
    return _site(a) == _site(b)


def _site(url: str) -> str:
    host = urlsplit(url).netloc.lower()
    for prefix in MOBILE_PREFIXES:
        if host.startswith(prefix):
            return host[len(prefix):]
    return host


def page_canonical_url(page_url: str, declared: str | None) -> str:
    """The URL to store a page under: its rel=canonical when that is on the same site, else its own.

    A syndicated copy often declares the original outlet's URL as canonical; taking it would
    file the copy under the original and lose which outlet carried it, so cross-site
    canonicals are ignored (near-duplicate detection links the two instead).
    """
    if declared:
        absolute = urljoin(page_url, declared.strip())
        if urlsplit(absolute).scheme in ("http", "https") and same_site(absolute, page_url):
            return canonical_url(absolute)
    return canonical_url(page_url)
