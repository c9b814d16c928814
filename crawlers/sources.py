"""The sources file (CONTRACT.md): which outlets to crawl and where their articles are listed.

```toml
[[sources]]
name = "Example Wire"
feeds = ["https://example.com/feed.xml"]
sitemaps = ["https://example.com/sitemap.xml"]
start_urls = ["https://example.com/tech/"]
allow = ["/20\\d\\d/"]
hosts = ["cdn.example.com"]   # optional: other hosts its listings may link or redirect to
```
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from incidents.config import read_toml
from incidents.errors import IncidentsError

from .urls import is_private_host, is_web_address, site_of, site_of_host

URL_LISTS = ("feeds", "sitemaps", "start_urls")
"""Where a source's article links come from; a source needs at least one of them."""
KNOWN_KEYS = ("name", *URL_LISTS, "allow", "hosts")


@dataclass(frozen=True)
class Source:
    """One outlet: its name and where its article links are found."""

    name: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    start_urls: tuple[str, ...] = ()
    allow: tuple[re.Pattern, ...] = field(default=(), compare=False)
    hosts: tuple[str, ...] = ()

    def allows(self, url: str) -> bool:
        """Whether an article link matches the source's `allow` patterns (all pass without any)."""
        return not self.allow or any(p.search(url) for p in self.allow)

    @cached_property
    def sites(self) -> frozenset[str]:
        """The sites the crawler may fetch from for this source: those of its listings and
        of its `hosts` list (crawlers.urls.why_refused decides with them)."""
        listed = {site_of(url) for url in (*self.feeds, *self.sitemaps, *self.start_urls)}
        return frozenset(listed | {site_of_host(host) for host in self.hosts})

    @cached_property
    def on_private_network(self) -> bool:
        """Whether the source's own listings are on a private or loopback address (a
        newsroom's intranet, a test site): only then may its links lead to one."""
        return any(is_private_host(urlsplit(url).hostname) for url in (*self.feeds, *self.sitemaps, *self.start_urls))

    def config(self) -> dict:
        """The entry as plain data, as the store keeps it."""
        return {"feeds": list(self.feeds), "sitemaps": list(self.sitemaps),
                "start_urls": list(self.start_urls), "allow": [p.pattern for p in self.allow],
                "hosts": list(self.hosts)}


def load_sources(path: str | Path) -> list[Source]:
    """Every source of a sources file; a bad file or entry raises IncidentsError naming it."""
    path = Path(path)
    data = read_toml(path, "sources file")
    entries = data.get("sources")
    if not isinstance(entries, list) or not entries:
        raise IncidentsError(f"{path}: no [[sources]] entries")
    sources = [_source(entry, f"{path}: [[sources]] #{number}") for number, entry in enumerate(entries, 1)]
    repeated = [name for name, n in Counter(s.name for s in sources).items() if n > 1]
    if repeated:
        raise IncidentsError(f"{path}: source name {repeated[0]!r} appears more than once")
    return sources


def _source(entry, where: str) -> Source:
    if not isinstance(entry, dict):
        raise IncidentsError(f"{where}: expected a table")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise IncidentsError(f"{where}: needs a name")
    where = f"{where} ({name})"
    unknown = sorted(set(entry) - set(KNOWN_KEYS))
    if unknown:
        raise IncidentsError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(KNOWN_KEYS)})")
    lists = {key: tuple(_url_list(entry.get(key, []), f"{where}: {key}")) for key in URL_LISTS}
    if not any(lists.values()):
        raise IncidentsError(f"{where}: needs at least one of {', '.join(URL_LISTS)}")
    allow = tuple(_pattern(p, f"{where}: allow") for p in _string_list(entry.get("allow", []), f"{where}: allow"))
    hosts = tuple(_host(h, f"{where}: hosts") for h in _string_list(entry.get("hosts", []), f"{where}: hosts"))
    return Source(name=name.strip(), allow=allow, hosts=hosts, **lists)


def _host(value: str, where: str) -> str:
    """A host name (with an optional port), not a URL: 'cdn.example.com'."""
    host = value.strip().lower()
    if not host or "/" in host or " " in host:
        raise IncidentsError(f"{where}: {value!r} is not a host name (write it without scheme or path)")
    return host


def _string_list(value, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise IncidentsError(f"{where}: expected a list of strings")
    return value


def _url_list(value, where: str) -> list[str]:
    urls = _string_list(value, where)
    for url in urls:
        if not is_web_address(url):
            raise IncidentsError(f"{where}: {url!r} is not an http(s) URL")
    return urls


def _pattern(pattern: str, where: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise IncidentsError(f"{where}: bad regex {pattern!r} ({exc})") from None
