"""`incidents export`: every article with its analysis, one JSON object a line (CONTRACT.md)."""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from .errors import IncidentsError
from .model import Analysis, Article

EXPORTED_EVENT_FIELDS = ("type", "actor", "target", "date", "date_basis", "evidence", "stance")


def article_record(article: Article, analysis: Analysis | None, incident: str | None,
                   record_id: str | None = None) -> dict:
    """The export object of one article; analysis not done yet shows as nulls and empty lists."""
    return {
        "id": record_id or article.ext_id or str(article.id),
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "published": article.published,
        "text": article.text,
        "relevant": analysis.relevant if analysis else None,
        "incident": incident,
        "entities": [{"name": e.name, "type": e.type, "mentions": e.mentions,
                      **({"vendor": e.vendor} if e.vendor else {})}
                     for e in (analysis.entities if analysis else [])],
        "events": [{k: asdict(ev)[k] for k in EXPORTED_EVENT_FIELDS}
                   for ev in (analysis.events if analysis else [])],
    }


def export_jsonl(store, target: str) -> int:
    """Write every stored article to `target` (a path, or - for stdout); returns the count."""
    count = 0
    given_ids = store.given_ids()
    with open_output(target) as out:
        for batch in store.iter_articles():
            ids = [a.id for a in batch]
            analyses = store.analyses_for(ids)
            incidents = store.primary_incidents(ids)
            for article in batch:
                record = article_record(article, analyses.get(article.id), incidents.get(article.id),
                                        record_id(article, given_ids))
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    return count


def record_id(article: Article, given_ids: set[str]) -> str:
    """The exported id: the one given at ingest, else the store's key, made unique.

    An ingested id such as "12" may equal the key of a crawled article; the ingested id is
    kept (scripts match on it), and the crawled article's id is changed instead, so no two
    records share an id. `given_ids` holds every id given at ingest (they are unique).
    """
    if article.ext_id:
        return article.ext_id
    candidate, suffix = str(article.id), 1
    while candidate in given_ids:
        candidate, suffix = f"{article.id}-{suffix}", suffix + 1
    return candidate


@contextmanager
def open_output(target: str):
    if target == "-":
        yield sys.stdout
        return
    path = Path(target)
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "w", encoding="utf-8") as out:
            yield out
        tmp.replace(path)  # a crash never leaves a half-written export under the real name
    except OSError as exc:
        raise IncidentsError(f"{target}: cannot write export ({exc.strerror or exc})") from None
