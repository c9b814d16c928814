"""Serve the bundled sample news web on loopback, one HTTP server per outlet.

Each folder of ``data/sample_web`` that holds a ``robots.txt`` is one outlet and
gets its own ``ThreadingHTTPServer`` on ``127.0.0.1`` with a port the OS picks:
robots.txt is per host, so a separate host:port per outlet makes each one a
separate site for the crawler.

The static files cannot know that port, so they write every absolute link as
``__BASE__/path``; the server replaces ``__BASE__`` in the text files it serves
with its own ``http://127.0.0.1:PORT``. Responses carry ``Last-Modified`` (the
file's mtime) and an ``ETag`` (a hash of the served bytes) and answer a matching
``If-None-Match`` or ``If-Modified-Since`` with 304, so conditional requests of
an incremental crawl can be seen working.

The sources file for the crawler is ``sources.toml.in`` with each ``{outlet}``
placeholder replaced by that outlet's base URL, written to a temporary folder.

Run ``python -m incidents.app.demo_site`` to browse the sample web by hand.
"""

from __future__ import annotations

import email.utils
import hashlib
import re
import tempfile
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from incidents.errors import IncidentsError

SAMPLE_WEB_DIR = Path(__file__).resolve().parents[2] / "data" / "sample_web"
BASE_PLACEHOLDER = b"__BASE__"
SOURCES_TEMPLATE = "sources.toml.in"

TEXT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
}
# Feeds are told apart by their root element, as a browser sniffing them would.
XML_ROOT_TYPES = ((b"<rss", "application/rss+xml"), (b"<feed", "application/atom+xml"))
UNKNOWN_PLACEHOLDER = re.compile(r"\{[a-z][a-z0-9_]*\}")


@dataclass(frozen=True)
class SampleWeb:
    """The running sample web: the sources file to crawl and each outlet's base URL.

    ``os.fspath(web)`` is the sources file, so the object can stand in for its path.
    """

    sources_path: Path
    base_urls: dict[str, str]

    def __fspath__(self) -> str:
        return str(self.sources_path)


def content_type(path: Path, body: bytes) -> str:
    """Content-Type for a served file: RSS and Atom feeds get their own XML types."""
    if path.suffix == ".xml":
        head = body[:512]
        for marker, mime in XML_ROOT_TYPES:
            if marker in head:
                return mime
        return "application/xml"
    return TEXT_TYPES.get(path.suffix, "application/octet-stream")


class OutletHandler(BaseHTTPRequestHandler):
    """Serves one outlet folder's static files with conditional-request support."""

    server_version = "SampleWeb/1.0"

    def __init__(self, *args, folder: Path, **kwargs):
        self.folder = folder
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def respond(self, send_body: bool) -> None:
        path = self.resolve_path()
        if path is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        body = path.read_bytes().replace(BASE_PLACEHOLDER, self.base_url().encode())
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        mtime = int(path.stat().st_mtime)
        if self.not_modified(etag, mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_validators(etag, mtime)
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type(path, body))
        self.send_header("Content-Length", str(len(body)))
        self.send_validators(etag, mtime)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def resolve_path(self) -> Path | None:
        """The file a URL path names, ``index.html`` for folders; None outside the folder."""
        relative = unquote(urlsplit(self.path).path).lstrip("/")
        candidate = (self.folder / relative).resolve()
        if candidate.is_dir():
            candidate = candidate / "index.html"
        if not candidate.is_file() or not candidate.is_relative_to(self.folder):
            return None
        return candidate

    def not_modified(self, etag: str, mtime: int) -> bool:
        """RFC 9110: If-None-Match wins over If-Modified-Since when both are sent."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*"
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = email.utils.parsedate_to_datetime(if_modified_since).timestamp()
            except (TypeError, ValueError):
                return False
            return mtime <= since
        return False

    def send_validators(self, etag: str, mtime: int) -> None:
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(mtime, usegmt=True))

    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def log_message(self, format: str, *args) -> None:
        """Quiet: the crawler reports what it fetched."""


def outlet_folders(root: Path) -> list[Path]:
    """Outlet folders under the sample web root: those holding a robots.txt."""
    folders = sorted(p.parent for p in root.glob("*/robots.txt"))
    if not folders:
        raise IncidentsError(f"sample web {root}: no outlet folder with a robots.txt")
    return folders


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve one folder on 127.0.0.1 with an OS-assigned port; yields its base URL."""
    handler = partial(OutletHandler, folder=folder.resolve())
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"sample-web-{folder.name}", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()


def write_sources(template: Path, base_urls: dict[str, str], out_dir: Path) -> Path:
    """Fill each ``{outlet}`` placeholder of the sources template with its base URL."""
    if not template.is_file():
        raise IncidentsError(f"sample web: sources template {template} is missing")
    text = template.read_text(encoding="utf-8")
    for slug, url in base_urls.items():
        text = text.replace("{" + slug + "}", url)
    leftover = UNKNOWN_PLACEHOLDER.search(text)
    if leftover:
        raise IncidentsError(f"{template}: placeholder {leftover.group()} names no outlet folder")
    path = out_dir / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


@contextmanager
def serve_sample_web(root: Path | None = None) -> Iterator[SampleWeb]:
    """Serve every outlet of the sample web; yields the sources file and base URLs.

    The servers stop and the temporary sources file is removed on exit.
    """
    root = Path(root) if root is not None else SAMPLE_WEB_DIR
    with ExitStack() as stack:
        base_urls = {folder.name: stack.enter_context(serve_folder(folder)) for folder in outlet_folders(root)}
        out_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sample-web-")))
        sources = write_sources(root / SOURCES_TEMPLATE, base_urls, out_dir)
        yield SampleWeb(sources_path=sources, base_urls=base_urls)


def main() -> None:
    """Serve the sample web until interrupted, printing where each outlet lives."""
    with serve_sample_web() as web:
        for slug, url in web.base_urls.items():
            print(f"{slug:16} {url}/")
        print(f"sources file: {web.sources_path}")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
