"""What a crawl did, counted in Scrapy's stats collector and summed up at the end of the run.

Spider, pipelines and extensions count through these helpers, so every number of the
end-of-run report and the progress line has one key, defined here.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from incidents.model import date_range_text

FETCHED = "response_received_count"  # Scrapy's own count of responses received
STORED = "incidents/stored"
NEAR_DUPLICATES = "incidents/near_duplicates"  # stored, marked as a copy of an earlier article
DUPLICATES = "incidents/duplicates"  # not stored: the same URL or text is stored already
SKIPPED_KNOWN = "incidents/skipped/known"  # article links not requested: seen in an earlier run
SKIPPED_ROBOTS = "incidents/skipped/robots"  # links robots.txt forbids
UNCHANGED = "incidents/unchanged"  # feeds, sitemaps and section pages that answered 304
DATES_DROPPED = "incidents/dates_dropped"  # dates out of range (model.date_in_range) in listings or pages
FAILED = "incidents/failed"
FAILURES = "incidents/failures"  # list of (reason, url)

MAX_NAMED_FAILURES = 50
"""The report names this many failed URLs; the rest are counted by reason."""


def count(stats, key: str, by: int = 1) -> None:
    stats.inc_value(key, by)


def record_failure(stats, reason: str, url: str) -> None:
    """Count a page that could not be fetched or used, and remember why."""
    stats.inc_value(FAILED)
    failures = stats.get_value(FAILURES)
    if failures is None:
        failures = []
        stats.set_value(FAILURES, failures)
    failures.append((reason, url))


@dataclass
class CrawlSummary:
    """The end-of-run report: what was fetched, stored, skipped, and what failed and why."""

    fetched: int = 0
    stored: int = 0
    near_duplicates: int = 0
    duplicates: int = 0
    skipped_known: int = 0
    skipped_robots: int = 0
    unchanged: int = 0
    dates_dropped: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    errors_logged: int = 0  # unexpected errors Scrapy logged (a bug, not a bad page)
    retries: int = 0  # attempts retried so far (Scrapy's retry/count): a slow or dead host shows here first
    finish_reason: str | None = None
    elapsed: float | None = None

    @classmethod
    def from_stats(cls, stats: dict) -> CrawlSummary:
        return cls(
            fetched=stats.get(FETCHED, 0), stored=stats.get(STORED, 0),
            near_duplicates=stats.get(NEAR_DUPLICATES, 0), duplicates=stats.get(DUPLICATES, 0),
            skipped_known=stats.get(SKIPPED_KNOWN, 0), skipped_robots=stats.get(SKIPPED_ROBOTS, 0),
            unchanged=stats.get(UNCHANGED, 0), dates_dropped=stats.get(DATES_DROPPED, 0),
            failures=list(stats.get(FAILURES, [])),
            errors_logged=stats.get("log_count/ERROR", 0), retries=stats.get("retry/count", 0), finish_reason=stats.get("finish_reason"), elapsed=stats.get("elapsed_time_seconds"),
        )

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def skipped(self) -> int:
        return self.skipped_known + self.skipped_robots

    def report(self) -> str:
        lines = [
            f"crawl {self.finish_reason or 'ended'}: {self.fetched} pages fetched, "
            f"{self.stored} articles stored ({self.near_duplicates} of them copies of an earlier story), "
            f"{self.duplicates} duplicates dropped, {self.skipped} skipped "
            f"({self.skipped_known} seen before, {self.skipped_robots} disallowed by robots.txt), "
            f"{self.unchanged} listings unchanged, {self.failed} failed"
        ]
        if self.failures:
            by_reason = Counter(reason for reason, _ in self.failures)
            lines.append("failed: " + ", ".join(f"{n} {reason}" for reason, n in by_reason.most_common()))
            for reason, url in self.failures[:MAX_NAMED_FAILURES]:
                lines.append(f"  {reason}: {url}")
            if self.failed > MAX_NAMED_FAILURES:
                lines.append(f"  ... and {self.failed - MAX_NAMED_FAILURES} more")
        if self.dates_dropped:
            lines.append(f"{self.dates_dropped} dates outside {date_range_text()} dropped "
                         "(their articles kept, undated or with another date they gave)")
        if self.errors_logged:
            lines.append(f"{self.errors_logged} unexpected errors were logged above")
        return "\n".join(lines)

    def progress(self) -> str:
        return (f"crawl: {self.fetched} pages fetched, {self.stored} stored, "
                f"{self.skipped + self.duplicates} skipped, {self.failed} failed"
                + (f", {self.retries} retries" if self.retries else ""))
