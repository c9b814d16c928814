"""A Scrapy extension that writes a progress line to stderr every few seconds while crawling."""
from __future__ import annotations

import sys

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from .summary import CrawlSummary


class ProgressLine:
    """Every PROGRESS_INTERVAL seconds: pages fetched, articles stored, skipped, failed."""

    def __init__(self, stats, interval: float, stream=None):
        self.stats = stats
        self.interval = interval
        self.stream = stream or sys.stderr
        self.task = None

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("PROGRESS_INTERVAL")
        if not interval:
            raise NotConfigured
        extension = cls(crawler.stats, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider) -> None:
        self.task = create_looping_call(self.write)
        self.task.start(self.interval, now=False)

    def spider_closed(self, spider, reason) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()

    def write(self) -> None:
        print(CrawlSummary.from_stats(self.stats.get_stats()).progress(), file=self.stream, flush=True)
