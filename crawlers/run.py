"""Run the crawl in this process: `crawl(settings, sources_path)` returns the run's summary.

Scrapy's AsyncCrawlerProcess runs it, on the asyncio Twisted reactor by default (Scrapy's
production HTTP/1.1 downloader). A Twisted reactor cannot be started twice, so with it the
crawl runs once per process, as `incidents crawl`, `run` and `demo` do; the NLP stage may
follow in the same process. With `TWISTED_REACTOR_ENABLED = false` under `[scrapy]` in the
config file, Scrapy runs on plain asyncio instead (its aiohttp downloader, still marked
experimental) and the crawl may run again in the same process.

Every stored article is committed as it is stored: a crawl stopped at any point keeps what
it stored, and the next run goes on from there. The first Ctrl-C stops gracefully (the
summary is still printed); a second one aborts.
"""
from __future__ import annotations

import logging
from pathlib import Path

from scrapy.crawler import AsyncCrawlerProcess
from scrapy.settings import Settings
from scrapy.settings import default_settings as scrapy_defaults
from scrapy.utils.reactor import is_reactor_installed

from incidents.errors import IncidentsError
from incidents.store import Store

from . import settings as crawl_defaults
from .sources import load_sources
from .spiders.news import NewsSpider
from .summary import CrawlSummary

CONFIG_SECTION = "scrapy"
"""Table of the tracker's config file whose keys override Scrapy settings."""


def crawl(settings, sources_path: str | Path, overrides: dict | None = None) -> CrawlSummary:
    """Crawl every source of the sources file into the store at `settings.db`."""
    sources = load_sources(sources_path)
    Store(settings.db).close()  # a bad --db fails here, in one line, before Scrapy starts
    scrapy_settings = scrapy_settings_for(settings, overrides)
    if scrapy_settings.getbool("TWISTED_REACTOR_ENABLED") and is_reactor_installed():
        raise IncidentsError(
            "a Twisted reactor is already installed in this process (an earlier crawl, or an import of "
            "twisted.internet.reactor); run the crawl in its own process, or set "
            f"TWISTED_REACTOR_ENABLED = false under [{CONFIG_SECTION}] in the config file")
    process = AsyncCrawlerProcess(scrapy_settings)
    # A site without a reachable robots.txt makes Scrapy log a traceback; the failure of the
    # page itself is named in the summary, in one line.
    logging.getLogger("scrapy.downloadermiddlewares.robotstxt").setLevel(logging.CRITICAL)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, sources=sources)
    process.start()
    return CrawlSummary.from_stats(crawler.stats.get_stats())


def scrapy_settings_for(settings, overrides: dict | None = None) -> Settings:
    """crawlers/settings.py, then the tracker's settings, then `[scrapy]` of the config file."""
    result = Settings()
    result.setmodule(crawl_defaults, priority="project")
    result.set("INCIDENTS_DB", settings.db, priority="cmdline")
    result.set("USER_AGENT", settings.user_agent, priority="cmdline")
    where = f"{settings.source or 'config'}: [{CONFIG_SECTION}]"
    for key, value in {**settings.section(CONFIG_SECTION), **(overrides or {})}.items():
        if not (hasattr(scrapy_defaults, key) or hasattr(crawl_defaults, key)):
            raise IncidentsError(f"{where}: unknown Scrapy setting {key!r}")
        check_scrapy_value(key, value, where)
        result.set(key, value, priority="cmdline")
    if settings.crawl_frontier:
        frontier = shared_frontier(settings.crawl_frontier)
        result.update(frontier.scrapy_settings(settings.crawl_frontier, result.get("FRONTIER_KEY"),
                                               result.getdict("DOWNLOADER_MIDDLEWARES")), priority="cmdline")
    return result


def shared_frontier(url: str):
    """crawlers.frontier, once the `redis` extra is found installed and the frontier answers."""
    try:
        from . import frontier
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in ("redis", "scrapy_redis"):
            raise
        raise IncidentsError("crawl_frontier is set, and a shared crawl frontier needs the redis extra "
                             "(pip install 'incidents[redis]')") from None
    frontier.check_reachable(url)
    return frontier


def check_scrapy_value(key: str, value, where: str) -> None:
    """IncidentsError when a value is not of the kind its default has (Scrapy itself would
    fail on it only once the crawl had started, with a traceback and nothing done)."""
    default = getattr(crawl_defaults, key, getattr(scrapy_defaults, key, None))
    kinds = ((bool, Settings.getbool, "true or false"), ((int, float), Settings.getfloat, "a number"),
             (dict, Settings.getdict, "a table"), ((list, tuple), Settings.getlist, "a list"),
             (str, None, "a string"))
    for kind, read, wanted in kinds:
        if not isinstance(default, kind):
            continue
        try:
            if read is None and not isinstance(value, str):
                raise TypeError(value)
            if read is not None:
                read(Settings({key: value}), key)
        except (TypeError, ValueError, AttributeError):
            raise IncidentsError(f"{where}: {key} = {value!r} should be {wanted}") from None
        break
    if key == "LOG_LEVEL" and not isinstance(logging.getLevelName(str(value)), int):
        raise IncidentsError(f"{where}: LOG_LEVEL = {value!r} should be DEBUG, INFO, WARNING, ERROR or CRITICAL")
