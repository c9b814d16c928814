"""`incidents ingest`: store articles given as JSON lines, as CONTRACT.md describes them."""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from incidents.errors import IncidentsError
from incidents.model import Article, parse_published

from .extract import extract_page
from .urls import canonical_url


class BadLine(ValueError):
    """A line that cannot become an article; the message says why."""


@dataclass
class IngestSummary:
    path: Path
    stored: int = 0
    already: int = 0
    bad: list[str] = field(default_factory=list)

    def report(self) -> str:
        line = f"{self.path}: {self.stored} stored, {self.already} already stored, {len(self.bad)} bad lines"
        return line


def ingest_file(store, path: Path, *, warn=None) -> IngestSummary:
    """Store every good line of `path`; a bad line is reported with its number and skipped."""
    warn = warn or (lambda message: print(message, file=sys.stderr))
    summary = IngestSummary(path)
    for number, line in _lines(path):
        try:
            article = article_from_line(line)
        except BadLine as exc:
            summary.bad.append(f"{path}:{number}: {exc}")
            warn(f"{path}:{number}: skipped: {exc}")
            continue
        if store.add_article(article).created:
            summary.stored += 1
        else:
            summary.already += 1
    return summary


def _lines(path: Path):
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if line.strip():
                    yield number, line
    except OSError as exc:
        raise IncidentsError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise IncidentsError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def article_from_line(line: str) -> Article:
    """The article a JSON line describes; `html` is run through the crawler's extraction."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(row, dict):
        raise BadLine("not a JSON object")
    url = row.get("url")
    if not isinstance(url, str) or not url.strip():
        raise BadLine("no url")
    title, text, published = row.get("title"), row.get("text"), row.get("published")
    language = None
    if not text and row.get("html"):
        page = extract_page(row["html"], url)
        title, text, published = title or page.title, page.text, published or page.published
        language = page.language
    if published is not None and parse_published(str(published)) is None:
        raise BadLine(f"published {published!r} is not an ISO date")
    ext_id = row.get("id")
    return Article(
        url=canonical_url(url),
        ext_id=str(ext_id) if ext_id is not None else None,
        outlet=row.get("outlet"),
        title=title,
        text=text,
        published=str(published) if published is not None else None,
        language=language,
    )
