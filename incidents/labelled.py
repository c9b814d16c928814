"""`incidents export --labelled FILE`: the articles analysts corrected, as labelled stories.

Each article whose labels a correction set (its facts, entities, relevance, or the incident
it belongs to) is written in the labelled schema of the shared eval README: the export
schema plus `published_estimated` and `split` ("corrections"), with the corrected facts as
gold. Put the file in `data/corpus/` and the event model is trained and measured on it
(`python -m nlp.training.train`); `python -m nlp.training.corpus FILE` checks it first.
"""
from __future__ import annotations

import json

from .corrections import ENTITY_ATTRIBUTE_KINDS, IncidentRules, in_force
from .export import article_record, open_output, record_id

SPLIT = "corrections"
"""The `split` of a story an analyst's correction labelled."""


def labelled_article_ids(store) -> list[int]:
    """Articles whose labels a correction in force set, in id order."""
    log = store.correction_log()
    touched = set(store.corrected_article_ids()) | set(IncidentRules.from_log(log).pins)
    for c in in_force(log):
        if c.kind in ENTITY_ATTRIBUTE_KINDS:
            touched |= store.articles_naming(c.subject)
    return sorted(touched)


def labelled_record(record: dict, entity_types: dict[str, str]) -> dict:
    """An export record as a labelled story: gold parties are entities of the story, an
    article out of scope has no events, and every mention is one the text holds."""
    text, title = record.get("text") or "", record.get("title") or ""
    entities = [{**e, "mentions": [m for m in e["mentions"] if m in text or m in title]} for e in record["entities"]]
    events = record["events"] if record["relevant"] else []
    named = {e["name"] for e in entities}
    for event in events:
        for role in ("actor", "target"):
            if event[role] not in named:
                named.add(event[role])
                entities.append({"name": event[role], "type": entity_types.get(event[role], "ORG"),
                                 "mentions": [event[role]] if event[role] in text else []})
    return {**record, "entities": entities, "events": events, "published_estimated": False, "split": SPLIT}


def export_labelled(store, target: str) -> int:
    """Write every article a correction labelled to `target` (a path, or - for stdout); returns the count."""
    ids = labelled_article_ids(store)
    given_ids = store.given_ids()
    count = 0
    with open_output(target) as out:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            analyses = store.analyses_for(chunk)
            incidents = store.primary_incidents(chunk)
            types = {e.name: e.type for a in analyses.values() for e in a.entities}
            for article_id in chunk:
                article = store.get_article(article_id)
                if article is None or article_id not in analyses:
                    continue
                record = article_record(article, analyses[article_id], incidents.get(article_id),
                                        record_id(article, given_ids))
                types.update({n: (store.entity(n) or {}).get("type", "ORG") for n in _parties(record) - set(types)})
                out.write(json.dumps(labelled_record(record, types), ensure_ascii=False) + "\n")
                count += 1
    return count


def _parties(record: dict) -> set[str]:
    return {e[role] for e in record["events"] for role in ("actor", "target")}
