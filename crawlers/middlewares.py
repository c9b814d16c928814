"""Downloader middleware: Scrapy's retries, with an exponential back-off between attempts."""
from __future__ import annotations

import asyncio

from scrapy.downloadermiddlewares.retry import RetryMiddleware


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
