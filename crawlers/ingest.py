"""`incidents ingest`: store articles given as JSON lines, as CONTRACT.md describes them.

The file is read line by line, and each line decoded on its own, so a bad line (not JSON,
wrong types, a stray non-UTF-8 byte, a `javascript:` URL, an id already used for another
article) costs only itself: it is named by its number and reason, and every good line is
stored.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from incidents.errors import IncidentsError
from incidents.model import Article, date_range_text, iso_day, parse_published

from .extract import extract_page
from .urls import canonical_url, is_web_address

UTF8_BOM = b"\xef\xbb\xbf"
"""Editors on Windows start UTF-8 files with it; it is no part of the first line."""

TEXT_FIELDS = ("outlet", "title", "text", "html", "published")
"""Optional fields of an input line that must be strings when present (CONTRACT.md)."""

SHOWN_CHARS = 80
"""A value quoted in a message is cut to this many characters."""


class BadLine(ValueError):
    """A line that cannot become an article; the message says why."""


@dataclass
class IngestSummary:
    path: Path
    stored: int = 0
    already: int = 0
    bad: list[str] = field(default_factory=list)
    dates_dropped: int = 0

    def report(self) -> str:
        line = f"{self.path}: {self.stored} stored, {self.already} already stored, {len(self.bad)} bad lines"
        if self.dates_dropped:
            line += f", {self.dates_dropped} dates out of range dropped"
        return line


def ingest_file(store, path: Path, *, warn=None) -> IngestSummary:
    """Store every good line of `path`; a bad line is reported with its number and skipped."""
    warn = warn or (lambda message: print(message, file=sys.stderr))
    summary = IngestSummary(path)
    for number, raw in _lines(path):
        try:
            article, refused_date = article_from_line(decode_line(raw))
            created = store_article(store, article)
        except BadLine as exc:
            summary.bad.append(f"{path}:{number}: {exc}")
            warn(f"{path}:{number}: skipped: {exc}")
            continue
        if refused_date:
            summary.dates_dropped += 1
            warn(f"{path}:{number}: published {_shown(refused_date)} is outside {date_range_text()}; "
                 "stored without it")
        if created:
            summary.stored += 1
        else:
            summary.already += 1
    return summary


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of every non-blank line; bytes, so one bad byte spoils only its line."""
    try:
        with open(path, "rb") as f:
            first = True
            for number, raw in enumerate(f, 1):
                if number == 1:
                    raw = raw.removeprefix(UTF8_BOM)
                if not raw.strip():
                    continue
                if first and raw.lstrip().startswith(b"["):
                    raise IncidentsError(f"{path}: a JSON array, not JSON lines (write one article object a line)")
                first = False
                yield number, raw
    except OSError as exc:
        raise IncidentsError(f"{path}: cannot read ({exc.strerror or exc})") from None


def decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadLine(f"not UTF-8 (byte {exc.start + 1} of the line)") from None


def article_from_line(line: str) -> tuple[Article, str | None]:
    """The article a JSON line describes, and the date it gave out of range (dropped), if any.
    `html` is run through the crawler's extraction."""
    row = _json_object(line)
    url = checked_url(row.get("url"))
    ext_id = _ext_id(row.get("id"))
    fields = {name: _optional_string(row, name) for name in TEXT_FIELDS}
    title, text = fields["title"], fields["text"]
    published, refused = _published(fields["published"])
    language = None
    if not text and fields["html"]:
        page = extract_page(fields["html"], url)
        title, text, language = title or page.title, page.text, page.language
        published, refused = published or page.published, refused or page.refused_date
    article = Article(url=canonical_url(url), ext_id=ext_id, outlet=fields["outlet"], title=title,
                      text=text, published=published, language=language)
    return article, refused


def _published(value: str | None) -> tuple[str | None, str | None]:
    """(the date if in range, the date if out of range); unreadable is a bad line."""
    if value is None:
        return None, None
    if iso_day(value) is None:
        raise BadLine(f"published {_shown(value)} is not an ISO date")
    if parse_published(value) is None:
        return None, value
    return value, None


def store_article(store, article: Article) -> bool:
    """Store the article; True when new, False when it is stored already. An id or URL that
    the store holds for another article is a bad line: storing would silently lose this one."""
    stored = store.add_article(article)
    if stored.created:
        return True
    existing = store.get_article(stored.id)
    if article.ext_id and existing.ext_id == article.ext_id and existing.url != article.url:
        raise BadLine(f"id {_shown(article.ext_id)} is already used by another article ({existing.url})")
    if article.ext_id and existing.ext_id and existing.ext_id != article.ext_id:
        raise BadLine(f"url is already stored with id {_shown(existing.ext_id)}")
    return False


def checked_url(value) -> str:
    """The line's URL, if it is an http(s) address with a host; `javascript:`, `data:` or
    `file:` URLs are no articles and must not reach the dashboard as links."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise BadLine("no url")
    if not isinstance(value, str):
        raise BadLine(f"url is {_json_type(value)}, not a string")
    try:
        urlsplit(value.strip()).port  # noqa: B018 - raises on a port that is no number
    except ValueError:
        raise BadLine(f"url {_shown(value)} is malformed") from None
    if not is_web_address(value.strip()):
        raise BadLine(f"url {_shown(value)} is not an http(s) address with a host")
    return value


def _json_object(line: str) -> dict:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not JSON ({exc.msg} at column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:  # a number too long to read, nesting too deep
        raise BadLine(f"not readable JSON ({type(exc).__name__})") from None
    if not isinstance(row, dict):
        raise BadLine("not a JSON object")
    return row


def _ext_id(value) -> str | None:
    if value is None or value == "":  # a blank id is no id
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise BadLine(f"id is {_json_type(value)}, not a string or integer")
    return str(value)


def _optional_string(row: dict, name: str) -> str | None:
    value = row.get(name)
    if value is not None and not isinstance(value, str):
        raise BadLine(f"{name} is {_json_type(value)}, not a string")
    return value


def _json_type(value) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    return {dict: "an object", list: "a list"}.get(type(value), type(value).__name__)


def _shown(value: str) -> str:
    return repr(value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "...")
