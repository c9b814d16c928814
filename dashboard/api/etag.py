"""ETags on every read: a strong tag of the answer's bytes, and 304 Not Modified when the
client's If-None-Match already names it.

The tag is a hash of the body, so it changes exactly when the answer does, whatever
changed the store; a client polling an unchanged list gets an empty 304.
"""
from __future__ import annotations

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

KEPT_ON_304 = ("etag", "cache-control", "vary", "content-location", "expires", "date")
"""Headers a 304 repeats (RFC 9110, 15.4.5); the rest describe a body it does not have."""


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an If-None-Match header names this tag (weak comparison, RFC 9110 13.1.2)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return tag in wanted


class ETagMiddleware:
    """Buffers each successful GET answer, tags it, and answers 304 when the tag matches."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if_none_match = Headers(scope=scope).get("if-none-match")
        start: Message | None = None
        chunks: list[bytes] = []

        async def tagging_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                if start["status"] != 200:
                    await send(message)
                return
            if start is None or start["status"] != 200 or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            tag = etag_of(body)
            headers = MutableHeaders(raw=list(start["headers"]))
            headers["etag"] = tag
            headers.setdefault("cache-control", "no-cache")  # may be stored, but asked about each time
            if matches(if_none_match, tag):
                kept = [(k, v) for k, v in headers.raw if k.decode("latin-1").lower() in KEPT_ON_304]
                await send({"type": "http.response.start", "status": 304, "headers": kept})
                await send({"type": "http.response.body", "body": b""})
                return
            await send({**start, "headers": headers.raw})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, tagging_send)
