"""The news spider: finds article links in feeds, sitemaps and section pages, and fetches them.

One spider serves every source of the sources file, so a story listed in a feed and on a
section page is requested once (Scrapy's duplicate filter) and near-duplicate detection
sees every outlet. Item pipelines decide what to keep (crawlers/pipelines.py).

Incremental by design: article links already stored (or settled in an earlier run) are not
requested again, and feeds, sitemaps and section pages are fetched with the validators of
their last fetch, so an unchanged one answers 304 and costs nothing.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

import scrapy
from scrapy import signals
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import TimeoutError as TwistedTimeoutError

from incidents.store import Store

from ..extract import decode_page
from ..items import PageItem
from ..listings import NotAListing, parse_listing
from ..middlewares import RefusedRequest, UnreachableHost
from ..sources import Source
from ..summary import DATES_DROPPED, SKIPPED_KNOWN, SKIPPED_ROBOTS, UNCHANGED, count, record_failure
from ..urls import canonical_url, same_site, why_refused

PERMANENT_STATUSES = (404, 410, 451)
"""Article pages answering these are not asked for again in later runs."""
NEXT_PAGE_TEXT = re.compile(r"^(next|older|more)(\s+(page|posts|stories|articles))?\s*[›»→>]*$|^[›»→]$", re.I)
REPLACEMENT_CHAR_SHARE = 0.01
"""A page whose decoded text has more U+FFFD than this share of characters is undecodable."""


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, sources: list[Source], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = {source.name: source for source in sources}
        self.store: Store | None = None
        self.source_ids: dict[str, int] = {}
        self.fresh_listings: dict[str, tuple[str, str | None, str | None]] = {}  # url -> kind, validators
        self.parent_listing: dict[str, str] = {}  # sitemap -> its index, section page -> the one linking it
        self.listings_to_recheck: set[str] = set()  # listings with articles that failed for now
        self.shared = None  # crawlers.frontier.SharedListings, when crawlers share a frontier

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if crawler.settings.get("FRONTIER_URL"):
            from ..frontier import SharedListings  # the redis extra, present when a frontier is set

            spider.shared = SharedListings.from_crawler(crawler, spider.name)
        crawler.signals.connect(spider.item_settled, signal=signals.item_scraped)
        crawler.signals.connect(spider.item_settled, signal=signals.item_dropped)
        return spider

    async def start(self):
        self.store = Store(self.settings["INCIDENTS_DB"])
        for source in self.sources.values():
            self.source_ids[source.name] = self.store.upsert_source(source.name, source.config())
        for source in self.sources.values():
            for url in source.feeds:
                yield self.listing_request(url, source, "feed")
            for url in source.sitemaps:
                yield self.listing_request(url, source, "sitemap")
            for url in source.start_urls:
                yield self.listing_request(url, source, "section")

    # -- feeds, sitemaps, section pages

    def listing_request(self, url: str, source: Source, kind: str, parent: str | None = None,
                        page: int = 1) -> scrapy.Request:
        """A conditional request for a feed, sitemap or section page."""
        if parent:
            self.parent_listing.setdefault(url, parent)
            if self.shared:
                self.shared.add_parent(url, parent)
        headers = {}
        last = self.store.get_fetch(url)
        if last and last["status"] in (200, 304):
            if last["etag"]:
                headers["If-None-Match"] = last["etag"]
            if last["last_modified"]:
                headers["If-Modified-Since"] = last["last_modified"]
        meta = {"source": source.name, "kind": kind, "listing": url, "page": page,
                "last_fetch": validators_of(last), "handle_httpstatus_list": [304]}
        callback = self.parse_section if kind == "section" else self.parse_listing
        return scrapy.Request(url, callback=callback, errback=self.failed, headers=headers, meta=meta)

    def parse_listing(self, response):
        source = self.sources[response.meta["source"]]
        if self.unchanged(response):
            return
        try:
            listing = parse_listing(response.body)
        except NotAListing as exc:
            record_failure(self.crawler.stats, f"not a feed or sitemap ({exc})", response.url)
            return
        if listing.problem:
            record_failure(self.crawler.stats, listing.problem, response.url)
        count(self.crawler.stats, DATES_DROPPED, listing.dates_dropped)
        self.remember_validators(response)
        for url in listing.sitemaps:
            yield self.listing_request(response.urljoin(url), source, "sitemap", parent=response.meta["listing"])
        yield from self.article_requests(source, [(response.urljoin(e.url), e.published, e.title)
                                                  for e in listing.entries], response.meta["listing"])

    def parse_section(self, response):
        source = self.sources[response.meta["source"]]
        if self.unchanged(response):
            return
        if not isinstance(response, HtmlResponse):
            record_failure(self.crawler.stats, f"section page is not HTML ({content_type(response)})", response.url)
            return
        self.remember_validators(response)
        links = LinkExtractor(allow=[p.pattern for p in source.allow]).extract_links(response)
        next_pages = next_page_links(response, source)
        # Without `allow` patterns every same-site link looks like an article; "next page"
        # links are listings, and fetched as articles they would never be paged through.
        articles = [(link.url, None, None) for link in links
                    if same_site(link.url, response.url) and link.url not in next_pages]
        yield from self.article_requests(source, articles, response.meta["listing"])
        if response.meta["page"] < self.settings.getint("SECTION_MAX_PAGES"):
            for url in next_pages:
                yield self.listing_request(url, source, "section", parent=response.meta["listing"],
                                           page=response.meta["page"] + 1)

    def unchanged(self, response) -> bool:
        """A 304: nothing new since the last fetch. Keeps the validators for next time."""
        if response.status != 304:
            return False
        last = response.meta["last_fetch"] or {}
        count(self.crawler.stats, UNCHANGED)
        self.store.record_fetch(response.meta["listing"], response.meta["kind"], 304,
                                last.get("etag"), last.get("last_modified"))
        return True

    def remember_validators(self, response) -> None:
        # Saved only when the crawl finishes (see closed): a crawl stopped midway must not
        # leave a 304 behind for a listing whose articles were not all fetched yet.
        etag = response.headers.get(b"ETag")
        modified = response.headers.get(b"Last-Modified")
        self.fresh_listings[response.meta["listing"]] = (
            response.meta["kind"], etag.decode("latin-1") if etag else None,
            modified.decode("latin-1") if modified else None)

    def article_requests(self, source: Source, links, listing: str):
        """Requests for the article links not seen before; (url, date, title) per link."""
        wanted: dict[str, tuple[str | None, str | None]] = {}
        for url, published, title in links:
            refusal = why_refused(url, source)
            if refusal is not None:
                record_failure(self.crawler.stats, f"refused: {refusal}", url)
            elif source.allows(url):
                wanted.setdefault(canonical_url(url), (published, title))
        seen = self.store.seen_pages(wanted)
        count(self.crawler.stats, SKIPPED_KNOWN, len(seen))
        for url, (published, title) in wanted.items():
            if url not in seen:
                meta = {"source": source.name, "kind": "article", "listing": listing,
                        "listed_published": published, "listed_title": title}
                yield scrapy.Request(url, callback=self.parse_article, errback=self.failed, meta=meta, priority=10)

    # -- article pages

    def parse_article(self, response):
        stats = self.crawler.stats
        if not isinstance(response, HtmlResponse):
            record_failure(stats, f"not HTML ({content_type(response)})", response.url)
            self.settle(response.request.url, response.status)
            return
        # A page may declare latin-1 and send UTF-8: decode_page reads the bytes as they are.
        html = decode_page(response.body, response.encoding)
        if is_undecodable(html):
            record_failure(stats, f"undecodable bytes (as {response.encoding})", response.url)
            self.settle(response.request.url, response.status)
            return
        meta = response.meta
        language = response.headers.get(b"Content-Language")
        yield PageItem(
            url=response.url, html=html, outlet=meta["source"],
            source_id=self.source_ids.get(meta["source"]),
            listed_published=meta.get("listed_published"), listed_title=meta.get("listed_title"),
            language_hint=language.decode("latin-1") if language else None,
            fetched=datetime.now(timezone.utc),
        )

    def item_settled(self, item, response, spider, **kwargs) -> None:
        """Stored or dropped: either way the page need not be fetched again."""
        if isinstance(item, PageItem) and response is not None:
            self.settle(response.request.url, response.status)
            if response.request.url != item.url:
                self.settle(item.url, response.status)

    def settle(self, url: str, status: int) -> None:
        self.store.record_fetch(canonical_url(url), "article", status)

    # -- failures

    def failed(self, failure) -> None:
        """Count and name a request that got no usable response; the crawl goes on."""
        request = failure.request
        stats = self.crawler.stats
        if failure.check(HttpError):
            status = failure.value.response.status
            record_failure(stats, f"HTTP {status}", request.url)
            permanent = status in PERMANENT_STATUSES
        elif failure.check(RefusedRequest):
            record_failure(stats, f"refused: {failure.value.reason}", request.url)
            permanent = True
        elif failure.check(UnreachableHost):
            record_failure(stats, failure.value.reason, request.url)
            permanent = False
        elif failure.check(IgnoreRequest) and str(failure.value) in ("redirect loop", "max redirections reached"):
            record_failure(stats, str(failure.value), request.url)
            permanent = False
        elif failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            count(stats, SKIPPED_ROBOTS)
            return
        elif failure.check(DownloadTimeoutError, TimeoutError, TwistedTimeoutError):
            record_failure(stats, "timeout", request.url)
            permanent = False
        elif failure.check(DownloadConnectionRefusedError):
            record_failure(stats, "connection refused", request.url)
            permanent = False
        elif failure.check(CannotResolveHostError):
            record_failure(stats, "host not found", request.url)
            permanent = False
        elif failure.check(ResponseDataLossError):
            record_failure(stats, "incomplete response", request.url)
            permanent = False
        elif failure.check(DownloadCancelledError) and "max size" in str(failure.value):
            limit = self.settings.getint("DOWNLOAD_MAXSIZE") // 2**20
            record_failure(stats, f"over the size limit ({limit} MB)", request.url)
            permanent = True
        else:
            record_failure(stats, f"{type(failure.value).__name__}: {failure.getErrorMessage()}"[:200], request.url)
            permanent = False
        if request.meta.get("kind") != "article":
            return
        if permanent:
            self.settle(request.url, 0)
        else:
            self.listings_to_recheck.add(request.meta["listing"])
            if self.shared:
                self.shared.add_recheck(request.meta["listing"])

    def closed(self, reason: str) -> None:
        if self.store is None:
            return
        if reason == "finished":
            recheck = self.listings_rechecked()
            for url, (kind, etag, modified) in self.fresh_listings.items():
                if url in recheck:
                    self.store.record_fetch(url, kind, 200)  # no validators: read it in full next time
                else:
                    self.store.record_fetch(url, kind, 200, etag, modified)
        self.store.close()

    def listings_rechecked(self) -> set[str]:
        """Listings to read in full next time: those with an article that failed for now (in
        any crawler of a shared frontier), and the listings that led to them; every listing
        when a crawler of the frontier died with requests it had taken."""
        parents, recheck = dict(self.parent_listing), set(self.listings_to_recheck)
        if self.shared and self.shared.crawler_lost():
            return set(self.fresh_listings)
        if self.shared:
            parents = {**self.shared.parents(), **parents}
            recheck |= self.shared.rechecks()
        for url in list(recheck):  # a sitemap to recheck means its index too
            walked = set()
            while url in parents and url not in walked:
                walked.add(url)
                url = parents[url]
                recheck.add(url)
        return recheck


def validators_of(last_fetch: dict | None) -> dict | None:
    """What a conditional request needs to know of a listing's last fetch (plain values: the
    request may travel through a shared frontier as JSON)."""
    if last_fetch is None:
        return None
    return {key: last_fetch[key] for key in ("status", "etag", "last_modified")}


def next_page_links(response, source: Source) -> list[str]:
    """Links to the next page of a section: rel=next, a 'next' class or label, or 'Older' text."""
    found = [response.urljoin(href) for href in response.xpath("//link[@rel='next']/@href").getall()]
    for anchor in response.xpath("//a[@href]"):
        rel = anchor.attrib.get("rel", "").lower().split()
        marks = " ".join([anchor.attrib.get("class", ""), anchor.attrib.get("aria-label", "")]).lower()
        text = " ".join(" ".join(anchor.xpath(".//text()").getall()).split())
        if "next" in rel or re.search(r"\bnext\b|\bolder\b", marks) or NEXT_PAGE_TEXT.match(text):
            found.append(response.urljoin(anchor.attrib["href"]))
    return [url for url in dict.fromkeys(found)
            if same_site(url, response.url) and not (source.allow and source.allows(url))]


def content_type(response) -> str:
    value = response.headers.get(b"Content-Type")
    return value.decode("latin-1").split(";")[0].strip() if value else "no content type"


def is_undecodable(text: str) -> bool:
    """Binary or wrongly declared bytes: NULs, or many characters lost in decoding."""
    if "\x00" in text[:4096]:
        return True
    return text.count("\ufffd") > max(10, len(text) * REPLACEMENT_CHAR_SHARE)
