"""The sources file (CONTRACT.md): which outlets to crawl and where their articles are listed.

```toml
[[sources]]
name = "Example Wire"
feeds = ["https://example.com/feed.xml"]
sitemaps = ["https://example.com/sitemap.xml"]
start_urls = ["https://example.com/tech/"]
allow = ["/20\\d\\d/"]
```
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from incidents.config import read_toml
from incidents.errors import IncidentsError

URL_LISTS = ("feeds", "sitemaps", "start_urls")
"""Where a source's article links come from; a source needs at least one of them."""
KNOWN_KEYS = ("name", *URL_LISTS, "allow")


@dataclass(frozen=True)
class Source:
    """One outlet: its name and where its article links are found."""

    name: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    start_urls: tuple[str, ...] = ()
    allow: tuple[re.Pattern, ...] = field(default=(), compare=False)

    def allows(self, url: str) -> bool:
        """Whether an article link matches the source's `allow` patterns (all pass without any)."""
        return not self.allow or any(p.search(url) for p in self.allow)

    def config(self) -> dict:
        """The entry as plain data, as the store keeps it."""
        return {"feeds": list(self.feeds), "sitemaps": list(self.sitemaps),
                "start_urls": list(self.start_urls), "allow": [p.pattern for p in self.allow]}


def load_sources(path: str | Path) -> list[Source]:
    """Every source of a sources file; a bad file or entry raises IncidentsError naming it."""
    path = Path(path)
    data = read_toml(path, "sources file")
    entries = data.get("sources")
    if not isinstance(entries, list) or not entries:
        raise IncidentsError(f"{path}: no [[sources]] entries")
    sources = [_source(entry, f"{path}: [[sources]] #{number}") for number, entry in enumerate(entries, 1)]
    names = [s.name for s in sources]
    for name in names:
        if names.count(name) > 1:
            raise IncidentsError(f"{path}: source name {name!r} appears more than once")
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
    return Source(name=name.strip(), allow=allow, **lists)


def _string_list(value, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise IncidentsError(f"{where}: expected a list of strings")
    return value


def _url_list(value, where: str) -> list[str]:
    urls = _string_list(value, where)
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise IncidentsError(f"{where}: {url!r} is not an http(s) URL")
    return urls


def _pattern(pattern: str, where: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise IncidentsError(f"{where}: bad regex {pattern!r} ({exc})") from None
