"""Downloader middleware: the crawl's scope (where a request may go), robots.txt for every
request, redirect loops named, hosts that cannot be reached given up on, and Scrapy's retries
with an exponential back-off between attempts."""
from __future__ import annotations

import asyncio
from urllib.parse import urljoin

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import (CannotResolveHostError, DownloadConnectionRefusedError, DownloadTimeoutError,
                               IgnoreRequest)
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import error as twisted_errors

from .urls import is_web_address, site_of, why_refused

REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class RefusedRequest(IgnoreRequest):
    """A request outside the crawl's scope; `reason` says why (the summary names it)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ScopeMiddleware:
    """Refuses every request a source's listings did not entitle the crawler to make.

    It runs before robots.txt is fetched and sees every request again after a redirect
    (Scrapy reschedules redirected requests through the whole chain), so a feed entry, a
    sitemap entry or a redirect to another host, a private address or a file is never
    contacted. crawlers.urls.why_refused decides.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        source = getattr(self.crawler.spider, "sources", {}).get(request.meta.get("source"))
        if source is None:
            if not is_web_address(request.url):
                raise RefusedRequest("not an http(s) URL")
            return None
        reason = why_refused(request.url, source)
        if reason is not None:
            if request.meta.get("redirect_urls"):
                reason = f"redirect to {reason}"
            raise RefusedRequest(reason)
        return None


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    """Scrapy's robots.txt check, for every request that waits for a site's robots.txt.

    In Scrapy 2.19 on the asyncio reactor, the requests waiting for a robots.txt being fetched
    share one Deferred, and Deferred.asFuture passes None down its chain: the first waiter gets
    the parser, every later one None, which Scrapy reads as "allow everything" (a feed listing
    several pages of a new host fetched the disallowed ones). Once the wait is over, the
    parser Scrapy stored for the site is the answer.
    """

    async def robot_parser(self, request):
        parser = await super().robot_parser(request)
        return self._parsers.get(urlparse_cached(request).netloc, parser)


UNREACHABLE = {
    CannotResolveHostError: "host not found",
    twisted_errors.DNSLookupError: "host not found",
    DownloadConnectionRefusedError: "connection refused",
    twisted_errors.ConnectionRefusedError: "connection refused",
    DownloadTimeoutError: "timeout",
    twisted_errors.TimeoutError: "timeout",
    twisted_errors.TCPTimedOutError: "timeout",
}


class UnreachableHost(IgnoreRequest):
    """A request to a host that already failed to answer in this crawl; `reason` says how."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class DeadHostMiddleware:
    """Gives up on a host for the rest of the crawl once a request to it has failed to
    connect through all of Scrapy's retries (host not found, refused, timed out).

    Without it every request to a dead host waits DOWNLOAD_TIMEOUT once per attempt: its
    robots.txt, then each listing and article, so a sources file with many dead outlets
    takes hours. It sits after RobotsTxtMiddleware and before the retries, so it sees the
    failure only once the retries are spent, and the requests that were waiting for that
    host's robots.txt are failed at once. The next crawl tries the host again.
    """

    def __init__(self):
        self.dead: dict[str, str] = {}

    def process_request(self, request):
        reason = self.dead.get(site_of(request.url))
        if reason is not None:
            raise UnreachableHost(f"host unreachable earlier in this crawl ({reason})")
        return None

    def process_exception(self, request, exception):
        reason = next((why for kind, why in UNREACHABLE.items() if isinstance(exception, kind)), None)
        if reason is not None:
            self.dead.setdefault(site_of(request.url), reason)
        return None


class RedirectLoopMiddleware:
    """Names a redirect that leads back to a URL of its own chain. Scrapy's duplicate filter
    would otherwise drop the looping request silently, and the page would vanish unreported.
    Sits just outside RedirectMiddleware, so it sees the 3xx response first."""

    def process_response(self, request, response):
        location = response.headers.get(b"Location")
        if response.status not in REDIRECT_STATUSES or not location:
            return response
        target = urljoin(request.url, location.decode("latin-1").strip())
        if target in (*request.meta.get("redirect_urls", ()), request.url):
            raise IgnoreRequest("redirect loop")
        return response


class BackoffRetryMiddleware(RetryMiddleware):
    """Retries as Scrapy does (RETRY_TIMES, RETRY_HTTP_CODES, RETRY_EXCEPTIONS), but waits
    RETRY_BACKOFF_BASE * 2**attempt seconds first (at most RETRY_BACKOFF_MAX, or the
    server's Retry-After when it asks for longer), so a struggling server gets room."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 0.5)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)

    async def process_response(self, request, response):
        result = super().process_response(request, response)
        if result is not response:
            await asyncio.sleep(self.delay(result, retry_after=response.headers.get(b"Retry-After")))
        return result

    async def process_exception(self, request, exception):
        result = super().process_exception(request, exception)
        if result is not None:
            await asyncio.sleep(self.delay(result))
        return result

    def delay(self, retry, retry_after: bytes | None = None) -> float:
        attempt = retry.meta.get("retry_times", 1)
        wait = min(self.backoff_base * 2 ** (attempt - 1), self.backoff_max)
        if retry_after and retry_after.strip().isdigit():
            wait = max(wait, min(float(retry_after), self.backoff_max))
        return wait
