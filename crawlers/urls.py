"""Canonical article URLs, so one story is stored once whatever link led to it."""
from __future__ import annotations

import ipaddress
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


CRAWLABLE_SCHEMES = ("http", "https")
"""The only schemes the crawler fetches: file, ftp, s3 and data URLs are never followed."""


def same_site(a: str, b: str) -> bool:
    """Whether two URLs are on the same site (host and port, ignoring www./m./amp.)."""
    return site_of(a) == site_of(b)


def site_of(url: str) -> str:
    """The site a URL is on: host and port, lower-cased, without a www./m./amp. prefix."""
    return site_of_host(urlsplit(url).netloc)


def site_of_host(netloc: str) -> str:
    host = netloc.strip().lower().rsplit("@", 1)[-1]
    for prefix in MOBILE_PREFIXES:
        if host.startswith(prefix):
            return host[len(prefix):]
    return host


def is_private_host(host: str | None) -> bool:
    """Whether a host names this machine or a private, loopback, link-local or reserved
    network (the cloud metadata address 169.254.169.254 among them)."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def is_web_address(url: str) -> bool:
    """Whether a URL is http(s) with a host: the only kind the tracker fetches or stores."""
    parts = urlsplit(url)
    return parts.scheme.lower() in CRAWLABLE_SCHEMES and bool(parts.hostname)


def why_refused(url: str, source) -> str | None:
    """Why the crawler must not fetch `url` for `source`, or None when it may.

    This is the one place that decides a safe URL: only http(s); only the source's own
    sites (the hosts of its listings and of its `hosts` list), so a hostile feed, sitemap or
    redirect cannot send the crawler elsewhere; and never a private, loopback or link-local
    address unless the source's own listings are on one.
    """
    parts = urlsplit(url)
    if not is_web_address(url):
        return f"not an http(s) URL ({parts.scheme or 'no scheme'})"
    if site_of(url) not in source.sites and site_of_host(parts.hostname) not in source.sites:
        return f"off-site host {parts.netloc.lower()}"
    if is_private_host(parts.hostname) and not source.on_private_network:
        return f"private address {parts.hostname}"
    return None


def page_canonical_url(page_url: str, declared: str | None) -> str:
    """The URL to store a page under: its rel=canonical when that is on the same site, else its own.

    A syndicated copy often declares the original outlet's URL as canonical; taking it would
    file the copy under the original and lose which outlet carried it, so cross-site
    canonicals are ignored (near-duplicate detection links the two instead).
    """
    if declared:
        absolute = urljoin(page_url, declared.strip())
        if is_web_address(absolute) and same_site(absolute, page_url):
            return canonical_url(absolute)
    return canonical_url(page_url)
