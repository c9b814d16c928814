"""The shared crawl frontier: crawler processes, on one machine or many, take their requests
from one queue and one seen-URL filter on Redis, and keep to one request rate per site
between them (the `crawl_frontier` setting turns it on; the `redis` extra installs it).

scrapy-redis does the queueing: its Scheduler with a priority queue (a sorted set) and its
seen filter (a set of request fingerprints), so a URL that one crawler queued is never queued
by another, and each queued request is taken by exactly one crawler. On top of it:

- Requests travel as JSON, never pickle, and whatever comes out of the queue is checked again
  as if a hostile page had written it: only this spider's callbacks, only the meta keys it
  sets (no proxy, no robots.txt opt-out), a source of this crawler's sources file, and a URL
  that crawlers.urls.why_refused accepts for that source. A refused entry is named in the
  summary and never fetched.
- Crawlers join a *round*: the first to join an empty frontier starts it afresh (empty queue
  and seen filter, so each run reads its listings again); the others join it. A crawler whose
  own work runs out waits while another is still busy (its pages may queue more), and leaves
  when the queue is empty and nobody is busy. A killed crawler drops out when its heartbeat
  expires; the requests it had taken are lost to this round, so no crawler of the round saves
  its listings' validators: the next run reads every listing in full and finds the pages that
  were not stored.
- One request rate per site: before a request goes out, SharedDelayMiddleware reserves the
  site's next free moment in Redis, spaced by the site's current download delay (AutoThrottle's
  or DOWNLOAD_DELAY), so N crawlers together send what one would, not N times as much.

Per process still: robots.txt (each crawler reads it once), the limit of requests in flight
per site (CONCURRENT_REQUESTS_PER_DOMAIN, which the shared delay makes rarely binding), retries'
back-off, the dead-host list, and the near-duplicate index of the crawl.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import uuid
from urllib.parse import urlsplit

import redis
from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.asyncio import call_later, create_looping_call
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from incidents.errors import IncidentsError

from .summary import record_failure
from .urls import why_refused

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0
"""How often a crawler tells the others it is alive (and busy, when it is)."""
EXPIRY_MS = 30_000
"""A crawler not heard from for this long has died: it no longer holds the round open."""
POLL_SECONDS = 0.5
"""How often a crawler waiting for the others looks for new requests in the queue."""
REFUSED_PER_CALL = 100
"""Refused queue entries skipped in one call before the scheduler yields to the engine."""


DELAY_MIDDLEWARE = ("crawlers.frontier.SharedDelayMiddleware", 120)
"""After robots.txt (100) and the dead-host list (110): only requests that will go out wait."""


def scrapy_settings(url: str, prefix: str, middlewares: dict) -> dict:
    """The Scrapy settings that put a crawl on the shared frontier at `url`, under the key
    `prefix`; `middlewares` are the crawl's downloader middlewares, the shared delay joins them."""
    return {
        "DOWNLOADER_MIDDLEWARES": {**middlewares, DELAY_MIDDLEWARE[0]: DELAY_MIDDLEWARE[1]},
        "FRONTIER_URL": url,
        "REDIS_URL": url,
        "SCHEDULER": "crawlers.frontier.SharedScheduler",
        "SCHEDULER_QUEUE_CLASS": "crawlers.frontier.CheckedQueue",
        "SCHEDULER_QUEUE_KEY": f"{prefix}:%(spider)s:requests",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:%(spider)s:seen",
        # the round, not one crawler's exit, decides when the queue and filter are emptied
        "SCHEDULER_PERSIST": True,
    }


def check_reachable(url: str) -> None:
    """IncidentsError in one line when the frontier's Redis cannot be used."""
    shown = display_url(url)
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
    except ValueError as exc:
        raise IncidentsError(f"crawl_frontier {shown}: not a Redis URL ({exc}); "
                             "e.g. redis://127.0.0.1:6379/0") from None
    try:
        client.ping()
    except redis.RedisError as exc:
        raise IncidentsError(f"crawl_frontier {shown}: cannot reach the shared crawl frontier ({exc})") from None
    finally:
        client.close()


def display_url(url: str) -> str:
    """A Redis URL as shown to a person: any password hidden."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.rsplit("@", 1)[1]
    return scheme + sep + rest


class FrontierKeys:
    """The Redis keys of one frontier: `FRONTIER_KEY`:`spider`:... (crawlers with the same
    prefix and spider share them)."""

    def __init__(self, prefix: str, spider_name: str):
        base = f"{prefix}:{spider_name}"
        self.queue = f"{base}:requests"
        self.turns = CheckedQueue.turns_key(self.queue)
        self.seen = f"{base}:seen"
        self.crawlers = f"{base}:crawlers"  # sorted set: crawler id -> expiry (ms)
        self.busy = f"{base}:busy"  # sorted set: crawler id -> expiry (ms), while it has work
        self.parents = f"{base}:parents"  # hash: listing -> the listing that linked it
        self.recheck = f"{base}:recheck"  # set: listings with articles that failed for now
        self.lost = f"{base}:lost"  # set when a crawler of the round stopped answering

    def round_keys(self) -> list[str]:
        return [self.queue, self.turns, self.seen, self.parents, self.recheck, self.lost]


# Redis' own clock, so crawlers on machines whose clocks differ agree on "now" and "expired".
NOW_MS = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "

JOIN = NOW_MS + """
local died = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now) + redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local fresh = redis.call('ZCARD', KEYS[1]) == 0
if fresh then redis.call('DEL', unpack(KEYS, 3)) elseif died > 0 then redis.call('SET', KEYS[#KEYS], 1) end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
if fresh then return 1 end
return 0
"""
"""KEYS crawlers, busy, then the round's keys (the lost flag last); ARGV id, expiry. 1 when this
crawler starts the round; joining a round whose crawler died marks it lost."""

TAKE = NOW_MS + """
local taken = redis.call('ZPOPMIN', KEYS[1])
if taken[1] then redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1]) end
return taken[1]
"""
"""KEYS queue, busy; ARGV id, expiry. Takes the first request and marks the taker busy in one
step, so no other crawler can see an empty queue and nobody busy while a request is out."""

IDLE = NOW_MS + """
redis.call('ZREM', KEYS[2], ARGV[1])
local died = redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now) + redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if died > 0 then redis.call('SET', KEYS[4], 1) end
return redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[1])
"""
"""KEYS queue, busy, crawlers, lost; ARGV id. This crawler has no work left: how much work the
others still have. A crawler whose heartbeat expired died with requests it had taken: the
round is marked lost."""

RESERVE = NOW_MS + """
local delay = tonumber(ARGV[1])
if ARGV[2] == '0' then delay = tonumber(redis.call('HGET', KEYS[1], 'delay') or ARGV[1]) end
local at = math.max(now, tonumber(redis.call('HGET', KEYS[1], 'free') or '0'))
redis.call('HSET', KEYS[1], 'free', at + delay)
redis.call('PEXPIRE', KEYS[1], at + delay - now + 600000)
return at - now
"""
"""KEYS the site's hash; ARGV this crawler's delay for it (ms), 1 if measured here (else the site's
last measured delay is used). Reserves the site's next free moment: how many ms to wait."""


class SharedScheduler(Scheduler):
    """scrapy-redis' scheduler, taking part in a round of crawlers (see the module docstring)."""

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.prefix = crawler.settings.get("FRONTIER_KEY")
        return scheduler

    def open(self, spider):
        super().open(spider)
        self.keys = FrontierKeys(self.prefix, spider.name)
        self.me = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.take = self.server.register_script(TAKE)
        self.idle = self.server.register_script(IDLE)
        fresh = self.server.register_script(JOIN)(
            keys=[self.keys.crawlers, self.keys.busy, *self.keys.round_keys()], args=[self.me, EXPIRY_MS])
        logger.info("%s the shared crawl frontier %s as %s", "started" if fresh else "joined", self.prefix, self.me)
        self.crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        self.handed: list[Request] = []  # taken while the engine waited, on their way to it
        self.poll_call = None
        self.heartbeat = create_looping_call(self.beat)
        self.heartbeat.start(HEARTBEAT_SECONDS, now=False)

    def close(self, reason):
        if self.poll_call is not None:
            self.poll_call.cancel()
        if self.heartbeat.running:
            self.heartbeat.stop()
        self.server.zrem(self.keys.busy, self.me)
        self.server.zrem(self.keys.crawlers, self.me)

    def beat(self) -> None:
        """Alive, and busy while this crawler still has requests or pages of its own."""
        expiry = self.redis_now_ms() + EXPIRY_MS
        self.server.zadd(self.keys.crawlers, {self.me: expiry})
        if not self.crawler.engine.spider_is_idle():
            self.server.zadd(self.keys.busy, {self.me: expiry})

    def redis_now_ms(self) -> int:
        seconds, micros = self.server.time()
        return seconds * 1000 + micros // 1000

    def spider_idle(self, spider) -> None:
        """Nothing left here: wait while others still work (their pages may queue more), looking
        at the queue every POLL_SECONDS (the engine itself would look only every 5 s)."""
        if self.idle(keys=[self.keys.queue, self.keys.busy, self.keys.crawlers, self.keys.lost], args=[self.me]):
            if self.poll_call is None:
                self.poll_call = call_later(POLL_SECONDS, self.poll)
            raise DontCloseSpider

    def poll(self) -> None:
        """Hands a request that appeared in the queue to the waiting engine, which wakes it."""
        self.poll_call = None
        request = self.take_request()
        if request is None:
            self.poll_call = call_later(POLL_SECONDS, self.poll)
            return
        self.handed.append(request)
        self.crawler.engine.crawl(request)

    def enqueue_request(self, request):
        if any(request is handed for handed in self.handed):
            return True  # taken from the queue already; next_request gives it back
        if not request.dont_filter and self.df.request_seen(request):
            return False  # queued by this or another crawler of the round already
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self):
        if self.handed:
            return self.handed.pop(0)
        return self.take_request()

    def take_request(self) -> Request | None:
        """The first request of the shared queue that passes the checks; the refused are named."""
        for _ in range(REFUSED_PER_CALL):
            entry = self.take(keys=[self.keys.queue, self.keys.busy], args=[self.me, EXPIRY_MS])
            if entry is None:
                return None
            try:
                request = self.queue.decode(entry)
            except RefusedEntry as refused:
                record_failure(self.stats, f"refused: {refused.reason}", refused.url)
                continue
            self.stats.inc_value("scheduler/dequeued/redis")
            return request
        return None

    def has_pending_requests(self):
        return bool(self.handed) or len(self.queue) > 0


class RefusedEntry(Exception):
    """A queue entry this crawler will not fetch; `reason` and `url` go into the summary."""

    def __init__(self, reason: str, url: str):
        super().__init__(reason)
        self.reason = reason
        self.url = url


SPIDER_CALLBACKS = frozenset({"parse_listing", "parse_section", "parse_article"})
SPIDER_ERRBACKS = frozenset({"failed"})
HEADERS = ("If-None-Match", "If-Modified-Since", "Referer")
"""The request headers the spider (and Scrapy before queueing) set; the middlewares add the rest."""


def _text(value) -> bool:
    return isinstance(value, str)


def _number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _optional_text(value) -> bool:
    return value is None or _text(value)


def _texts(value) -> bool:
    return isinstance(value, list) and all(_text(v) for v in value)


def _numbers(value) -> bool:
    return isinstance(value, list) and all(_number(v) for v in value)


def _last_fetch(value) -> bool:
    return value is None or (isinstance(value, dict) and set(value) <= {"status", "etag", "last_modified"}
                             and all(v is None or _text(v) or _number(v) for v in value.values()))


META = {
    # the spider's own
    "source": _text, "kind": lambda v: v in ("feed", "sitemap", "section", "article"), "listing": _text,
    "page": _number, "last_fetch": _last_fetch, "listed_published": _optional_text,
    "listed_title": _optional_text, "handle_httpstatus_list": _numbers,
    # Scrapy's bookkeeping of a request on its way (depth, retries, redirects)
    "depth": _number, "retry_times": _number, "redirect_times": _number, "redirect_ttl": _number,
    "redirect_urls": _texts, "redirect_reasons": lambda v: isinstance(v, list) and all(_text(x) or _number(x) for x in v),
}
"""The meta keys a queued request may carry, and what each must hold. Every other key (a proxy,
a robots.txt opt-out, a download slot) is dropped: Scrapy's middlewares set their own again."""


class CheckedQueue(PriorityQueue):
    """scrapy-redis' priority queue, with requests as checked JSON instead of pickle, and the
    sites taking turns within a priority: a site's n-th request comes after every other
    site's (n-1)-th, so a crawler's requests in flight spread over the sites instead of all
    waiting for one site's next free moment (a sitemap queues a hundred links at once)."""

    TURNS = 10**9
    """Requests one site may queue in a round before its turns overtake the next priority."""

    @staticmethod
    def turns_key(queue_key: str) -> str:
        return f"{queue_key}:turns"

    def push(self, request):
        site = urlsplit(request.url).hostname or ""  # Scrapy's download slot
        turn = self.server.hincrby(self.turns_key(self.key), site, 1)
        self.server.zadd(self.key, {self._encode_request(request): -request.priority * self.TURNS + turn})

    def _encode_request(self, request):
        return json.dumps({
            "url": request.url,
            "callback": getattr(request.callback, "__name__", None),
            "errback": getattr(request.errback, "__name__", None),
            "priority": request.priority,
            "dont_filter": request.dont_filter,
            "headers": {name: request.headers.get(name).decode("latin-1")
                        for name in HEADERS if request.headers.get(name) is not None},
            "meta": {key: value for key, value in request.meta.items() if key in META},
        }, separators=(",", ":"))

    def _decode_request(self, encoded_request):
        return self.decode(encoded_request)

    def decode(self, entry: bytes | str) -> Request:
        """The request a queue entry describes, or RefusedEntry: it is checked as if anyone had
        written it."""
        try:
            data = json.loads(entry)  # bytes as Redis holds them: whatever anyone put there
        except (ValueError, UnicodeDecodeError):
            raise RefusedEntry("not a request of this crawler in the shared queue", "(unreadable entry)") from None
        if not isinstance(data, dict) or not _text(data.get("url")):
            raise RefusedEntry("not a request of this crawler in the shared queue", "(entry without a URL)")
        url = data["url"]
        meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
        sources = getattr(self.spider, "sources", {})
        source = sources.get(meta.get("source")) if _text(meta.get("source")) else None
        if source is None:
            raise RefusedEntry(f"source {meta.get('source')!r} is not in this crawler's sources file", url)
        reason = why_refused(url, source)
        if reason is not None:
            raise RefusedEntry(reason, url)
        callback, errback = data.get("callback"), data.get("errback")
        if callback not in SPIDER_CALLBACKS or errback not in SPIDER_ERRBACKS:
            raise RefusedEntry(f"callback {callback!r} / errback {errback!r} is not the spider's", url)
        bad = sorted(key for key, value in meta.items() if key in META and not META[key](value))
        if bad or not _number(data.get("priority", 0)):
            raise RefusedEntry(f"malformed queue entry ({', '.join(bad) or 'priority'})", url)
        headers = data.get("headers") if isinstance(data.get("headers"), dict) else {}
        return Request(
            url, callback=getattr(self.spider, callback), errback=getattr(self.spider, errback),
            priority=data.get("priority", 0), dont_filter=data.get("dont_filter") is True,
            headers={name: value for name, value in headers.items() if name in HEADERS and _text(value)},
            meta={key: value for key, value in meta.items() if key in META})


class SharedDelayMiddleware:
    """Keeps all crawlers of the frontier together to one crawler's request rate per site:
    each request waits for the site's next free moment, reserved in Redis and spaced by the
    site's download delay: AutoThrottle's, adapted to the server's response times as it would
    be for one crawler (or DOWNLOAD_DELAY). A crawler that has no response from the site yet
    spaces by the delay the others last measured, not by AutoThrottle's cautious start.

    It sits after the scope check, robots.txt and the dead-host list, so only requests that will
    really go out take a moment; Scrapy's own per-site spacing still applies within a crawler.
    """

    def __init__(self, crawler, server):
        self.crawler = crawler
        self.server = server
        self.reserve = server.register_script(RESERVE)
        self.key_prefix = f"{crawler.settings.get('FRONTIER_KEY')}:site:"  # + site: its next free moment, delay (ms)
        settings = crawler.settings
        self.start_delay = max(settings.getfloat("DOWNLOAD_DELAY"), settings.getfloat("AUTOTHROTTLE_START_DELAY")
                               if settings.getbool("AUTOTHROTTLE_ENABLED") else 0.0)
        self.measured: set[str] = set()  # sites this crawler has had a response from

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, get_redis_from_settings(crawler.settings))

    async def process_request(self, request):
        site, delay = self.delay_for(request)
        if delay <= 0:
            return None
        wait_ms = self.reserve(keys=[self.key_prefix + site], args=[round(delay * 1000), int(site in self.measured)])
        if site not in self.measured:
            self.adopt_measured_delay(site)
        if wait_ms > 0:
            await asyncio.sleep(wait_ms / 1000)
        return None

    def adopt_measured_delay(self, site: str) -> None:
        """Starts this crawler's own spacing for a site at the delay the others measured, as
        AutoThrottle would have set it (else the moments reserved would wait for the slot)."""
        slot = self.crawler.engine.downloader.slots.get(site)
        shared = self.server.hget(self.key_prefix + site, "delay")
        if slot is not None and shared is not None:
            slot.delay = int(shared) / 1000

    def process_response(self, request, response):
        site, delay = self.delay_for(request)  # AutoThrottle has just adjusted it to this response
        self.measured.add(site)
        self.server.hset(self.key_prefix + site, "delay", round(delay * 1000))
        return response

    def delay_for(self, request) -> tuple[str, float]:
        """The request's site (Scrapy's download slot) and its current delay in this crawler."""
        downloader = self.crawler.engine.downloader
        site = downloader.get_slot_key(request)
        slot = downloader.slots.get(site)
        return site, slot.delay if slot is not None else self.start_delay


class SharedListings:
    """Which listing linked which, and which listings had articles fail for now, as every
    crawler of the round saw them: a listing is saved with its validators only when no
    crawler failed one of its articles, so the next run reads it in full and retries them."""

    def __init__(self, server, keys: FrontierKeys):
        self.server = server
        self.keys = keys

    @classmethod
    def from_crawler(cls, crawler, spider_name: str) -> SharedListings | None:
        """None when the crawl has no shared frontier."""
        if not crawler.settings.get("FRONTIER_URL"):
            return None
        return cls(get_redis_from_settings(crawler.settings), FrontierKeys(crawler.settings.get("FRONTIER_KEY"), spider_name))

    def add_parent(self, url: str, parent: str) -> None:
        self.server.hsetnx(self.keys.parents, url, parent)

    def add_recheck(self, listing: str) -> None:
        self.server.sadd(self.keys.recheck, listing)

    def parents(self) -> dict[str, str]:
        return {url.decode(): parent.decode() for url, parent in self.server.hgetall(self.keys.parents).items()}

    def rechecks(self) -> set[str]:
        return {url.decode() for url in self.server.smembers(self.keys.recheck)}

    def crawler_lost(self) -> bool:
        """Whether a crawler of the round died (its taken requests were never done)."""
        return bool(self.server.exists(self.keys.lost))
