"""A small news web served on 127.0.0.1 for the crawl tests and the crawl benchmark.

`LoopbackSite` serves routes from memory with ETag / Last-Modified validators (answering a
matching conditional request with 304, as a real server does), optional delays, and a log of
every request, so tests can assert on what the crawler asked for.
"""
from __future__ import annotations

import hashlib
import json
import random
import threading
import time
from dataclasses import dataclass
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

LAST_MODIFIED = "Wed, 08 Jul 2026 10:00:00 GMT"

WORDS = """
vendor model agent coding security researchers found hidden tracking code users ban employees
dispute allegations distillation lawsuit regulator investigation breach data leaked exposure fine
settlement access revoked partner platform cloud service customers contract terms engineers
company statement spokesperson denied confirmed reported weeks months quarter market launch
product release update patch vulnerability disclosure audit compliance board executives risk
policy governance privacy consent tool workflow developers teams decision evidence court filing
damages claims license training outputs capability transfer competitor startup investors growth
revenue deal acquisition merger office region government ministry agency officials response
pressure trust scrutiny standards controls review analysts industry leaders strategy roadmap
infrastructure chips datacentre capacity energy costs pricing subscription enterprise adoption
""".split()


@dataclass
class Route:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0
    validators: bool = True
    location: str | None = None  # a redirect's target (may use {base})
    gate: threading.Event | None = None  # the answer waits until the test opens it


class LoopbackSite:
    """Routes by path; `base` is http://HOST:PORT once started. Another loopback address as
    `host` (127.0.0.2, ...) is another site to the crawler's per-site limits, as the same
    address on another port is not."""

    def __init__(self, host: str = "127.0.0.1"):
        self.host = host
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, int]] = []  # (path with query, status answered)
        self.times: list[float] = []  # time.monotonic() of each request, in the order of `log`
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.base = ""

    def add(self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8", **kwargs) -> None:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body, content_type, **kwargs)

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> str:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                site.answer(self)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer((self.host, 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.base = f"http://{self.host}:{self._server.server_address[1]}"
        return self.base

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()
            self.times.clear()

    def requested(self, path: str) -> int:
        """How many times a path (with its query) was requested."""
        return sum(1 for p, _ in self.log if p == path)

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        route = self.routes.get(path) or self.routes.get(urlsplit(path).path)
        if route is None:
            route = Route(b"<html><body><h1>Not found</h1></body></html>", status=404, validators=False)
        body = route.body.replace(b"{base}", self.base.encode())
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        status = route.status
        if route.validators and status == 200 and (
                handler.headers.get("If-None-Match") == etag or handler.headers.get("If-Modified-Since") == LAST_MODIFIED):
            status, body = 304, b""
        with self._lock:
            self.log.append((path, status))
            self.times.append(time.monotonic())
        if route.gate is not None:
            route.gate.wait(timeout=60)
        if route.delay:
            time.sleep(route.delay)
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", route.content_type)
            handler.send_header("Content-Length", str(len(body)))
            if route.location:
                handler.send_header("Location", route.location.replace("{base}", self.base))
            if route.validators:
                handler.send_header("ETag", etag)
                handler.send_header("Last-Modified", LAST_MODIFIED)
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up on this response (timeout, size limit)


def article_text(seed: int, paragraphs: int = 5) -> list[str]:
    """Paragraphs of distinct article-like text, the same for the same seed."""
    rng = random.Random(seed)
    result = []
    for _ in range(paragraphs):
        sentences = []
        for _ in range(rng.randint(3, 5)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(9, 16))]
            sentences.append(" ".join(words).capitalize() + ".")
        result.append(" ".join(sentences))
    return result


def article_page(title: str, paragraphs: list[str], *, style: str = "article", published: str | None = None,
                 canonical: str | None = None, charset: str = "utf-8", lang: str = "en") -> str:
    """An article page with site furniture around it, in one of three templates:
    `article` (<article>, date in a meta tag), `jsonld` (div soup, date in JSON-LD),
    `time` (date only in a <time> element)."""
    head = [f'<meta charset="{charset}">', f"<title>{escape(title)} | Test News</title>"]
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    if published and style == "article":
        head.append(f'<meta property="article:published_time" content="{published}">')
    if published and style == "jsonld":
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title, "datePublished": published}
        head.append(f'<script type="application/ld+json">{json.dumps(data)}</script>')
    body_paragraphs = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    dateline = f'<p class="dateline"><time datetime="{published}">{published}</time></p>' if published and style == "time" else ""
    nav = ('<header><nav><a href="/">Home</a> <a href="/tech/">Technology</a> <a href="/about/">About</a></nav></header>'
           '<div class="cookie-notice">We use cookies to improve your experience. Accept all cookies.</div>')
    footer = '<footer><p>© 2026 Test News. All rights reserved.</p></footer>'
    if style == "jsonld":
        main = f'<div class="wrap"><div class="hd"><h1>{escape(title)}</h1></div><div class="txt">{body_paragraphs}</div></div>'
    else:
        main = f"<main><article><h1>{escape(title)}</h1>{dateline}{body_paragraphs}</article></main>"
    return (f'<!DOCTYPE html><html lang="{lang}"><head>{"".join(head)}</head>'
            f"<body>{nav}{main}{footer}</body></html>")


def rss_feed(items: list[tuple[str, str, str | None]]) -> str:
    """RSS 2.0 with (link, title, RFC 822 pubDate) items; links may use {base}."""
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
        + (f"<pubDate>{date}</pubDate>" if date else "") + "</item>"
        for link, title, date in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test News</title>'
            f"<link>{{base}}/</link><description>Test</description>{entries}</channel></rss>")


def atom_feed(entries: list[tuple[str, str, str | None]]) -> str:
    body = "".join(
        f'<entry><title>{escape(title)}</title><link rel="alternate" href="{escape(link)}"/>'
        f"<id>{escape(link)}</id>" + (f"<published>{date}</published>" if date else "") + "</entry>"
        for link, title, date in entries)
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Test Atom</title><id>{{base}}/atom.xml</id>{body}</feed>")


def sitemap(urls: list[tuple[str, str | None]]) -> str:
    body = "".join(f"<url><loc>{escape(u)}</loc>" + (f"<lastmod>{d}</lastmod>" if d else "") + "</url>"
                   for u, d in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'


def sitemap_index(sitemaps: list[str]) -> str:
    body = "".join(f"<sitemap><loc>{escape(u)}</loc></sitemap>" for u in sitemaps)
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>'
