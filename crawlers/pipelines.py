"""Item pipelines, one step each, in the order ITEM_PIPELINES gives them (settings.py):
extract the article, settle its canonical URL, detect duplicates, store it.

The work itself lives in plain modules (extract.py, urls.py, simhash.py) and the store;
each pipeline only applies it to the item and decides whether the item goes on.
"""
from __future__ import annotations

from scrapy import signals
from scrapy.exceptions import DropItem

from incidents.model import Article
from incidents.store import Store, content_hash

from .extract import extract_page
from .simhash import NearDuplicateIndex, from_hex, simhash, to_hex
from .summary import DATES_DROPPED, DUPLICATES, NEAR_DUPLICATES, STORED, count, record_failure
from .urls import page_canonical_url


class ExtractPipeline:
    """Title, body text, publication date and language of the page; drops pages with no article."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        page = extract_page(item.html, item.url, language_hint=item.language_hint)
        item.html = ""  # the page is done with; items waiting in the pipeline stay small
        if page.refused_date:
            count(self.stats, DATES_DROPPED)
        if not page.is_article:
            record_failure(self.stats, "no article text", item.url)
            raise DropItem(f"no article text: {item.url}", log_level="INFO")
        item.title = page.title or item.listed_title
        item.text = page.text
        item.published = page.published or item.listed_published  # the page's own date first
        item.published_time = page.published_time
        item.language = page.language
        item.declared_canonical = page.canonical
        return item


class CanonicalUrlPipeline:
    """The URL the story is stored under: its same-site rel=canonical, else its own, cleaned."""

    def process_item(self, item):
        item.canonical_url = page_canonical_url(item.url, item.declared_canonical)
        return item


class DedupPipeline:
    """Drops a story stored already (same canonical URL, or same text from the same outlet);
    marks a copy of another outlet's story (same or nearly the same text) with `duplicate_of`,
    so it is stored, with its outlet, as the same text. The copy published first is the
    original, whichever the crawl met first."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.max_distance = crawler.settings.getint("NEAR_DUPLICATE_MAX_DISTANCE")
        self.store: Store | None = None
        self.index: NearDuplicateIndex | None = None
        self.published_times: dict[int, str] = {}  # article id -> UTC publication instant, this crawl

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_scraped, signal=signals.item_scraped)
        return pipeline

    def open_spider(self):
        self.store = Store(self.crawler.settings["INCIDENTS_DB"])
        known = ((article_id, from_hex(value)) for article_id, value in self.store.simhashes())
        self.index = NearDuplicateIndex(self.max_distance, known)

    def close_spider(self):
        self.store.close()

    def process_item(self, item):
        if self.store.known_urls([item.canonical_url]):
            count(self.stats, DUPLICATES)
            raise DropItem(f"duplicate URL: {item.canonical_url}", log_level="INFO")
        item.content_hash = content_hash(item.text)
        item.simhash = simhash(item.text)
        same_text = self.store.original_with_hash(item.content_hash)
        if same_text is not None and same_text[1] == item.outlet:
            count(self.stats, DUPLICATES)
            raise DropItem(f"duplicate text: {item.url}", log_level="INFO")
        match = same_text[0] if same_text else None
        if match is None and item.simhash is not None:
            match = self.index.find(item.simhash)
        if match is not None:
            if self.published_before(item, match):
                item.replaces = match  # the stored one is the later copy
            else:
                item.duplicate_of = match
        return item

    def published_before(self, item, article_id: int) -> bool:
        """Whether the new page was published strictly before a stored article (time of day
        when both pages give it, else the day)."""
        theirs = self.published_times.get(article_id)
        if item.published_time and theirs:
            return item.published_time < theirs
        other = self.store.get_article(article_id)
        mine, their_day = (item.published or "")[:10], ((other.published if other else None) or "")[:10]
        return bool(mine and their_day and mine < their_day)

    def item_scraped(self, item, response, spider) -> None:
        """A stored original joins the index, so a later copy in this crawl is recognised."""
        if item.id is None or item.duplicate_of is not None or item.simhash is None:
            return
        if item.replaces is not None:
            self.index.remove(item.replaces)
        self.index.add(item.id, item.simhash)
        if item.published_time:
            self.published_times[item.id] = item.published_time


class StorePipeline:
    """Stores the article; each one is committed as it is stored, so a stopped crawl keeps it."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self.store = Store(self.crawler.settings["INCIDENTS_DB"])

    def close_spider(self):
        self.store.close()

    def process_item(self, item):
        article = Article(
            url=item.canonical_url, outlet=item.outlet, title=item.title, text=item.text,
            published=item.published, language=item.language, fetched=item.fetched,
            duplicate_of=item.duplicate_of, content_hash=item.content_hash,
        )
        stored = self.store.add_article(
            article, source_id=item.source_id, simhash=to_hex(item.simhash) if item.simhash is not None else None)
        if not stored.created:
            count(self.stats, DUPLICATES)
            raise DropItem(f"duplicate URL: {item.canonical_url}", log_level="INFO")
        item.id = stored.id
        count(self.stats, STORED)
        if item.duplicate_of is not None:
            count(self.stats, NEAR_DUPLICATES)
        if item.replaces is not None:
            self.store.mark_duplicate(item.replaces, original_id=item.id)
            count(self.stats, NEAR_DUPLICATES)
        return item
