"""The labelled corpus: stories rewritten from real reporting, with gold labels in the
schema of the shared eval README (the export schema plus `published_estimated`, `split`).

`python -m nlp.training.corpus FILE...` checks files and prints one line per problem.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from incidents.model import ENTITY_TYPES, EVENT_TYPES

ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = ROOT / "data" / "corpus"
EARLIER_BLIND_SETS = (ROOT / "tests" / "fixtures" / "eval" / "blind.jsonl",
                      ROOT / "tests" / "fixtures" / "eval" / "blind2.jsonl")
"""The first two blind sets: scored once each and tuned on since, so now training data.
The third (blind3) is never trained or tuned on."""
REQUIRED = ("id", "relevant", "outlet", "url", "published", "title", "text", "entities", "events")


def corpus_files(directory: Path = CORPUS_DIR) -> list[Path]:
    """The files the event scorer is trained and cross-validated on."""
    return sorted(directory.glob("*.jsonl")) + [p for p in EARLIER_BLIND_SETS if p.exists()]


def load_stories(paths) -> list[dict]:
    """Every story of the given files, in order."""
    stories = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            stories.extend(json.loads(line) for line in f if line.strip())
    return stories


def problems(story: dict) -> list[str]:
    """What is wrong with one labelled story (empty when it is well formed)."""
    found = [f"missing {key}" for key in REQUIRED if key not in story]
    if found:
        return found
    text = story["text"]
    names = set()
    for entity in story["entities"]:
        if entity.get("type") not in ENTITY_TYPES:
            found.append(f"entity {entity.get('name')!r}: type {entity.get('type')!r}")
        names.add(entity.get("name"))
        for mention in entity.get("mentions") or []:
            if mention not in text and mention not in story["title"]:
                found.append(f"entity {entity.get('name')!r}: mention {mention!r} not in the text")
    for event in story["events"]:
        where = f"event {event.get('type')} {event.get('actor')!r} -> {event.get('target')!r}"
        if event.get("type") not in EVENT_TYPES:
            found.append(f"{where}: unknown type")
        for role in ("actor", "target"):
            if event.get(role) not in names:
                found.append(f"{where}: {role} is not an entity's name")
        if event.get("evidence") not in text:
            found.append(f"{where}: evidence is not a sentence of the text")
        date = event.get("date")
        if date is not None and not (isinstance(date, str) and len(date) in (7, 10)):
            found.append(f"{where}: date {date!r} is not YYYY-MM or YYYY-MM-DD")
    if story["relevant"] and not story["events"]:
        found.append("relevant, but no event")
    if not story["relevant"] and story["events"]:
        found.append("not relevant, but has events")
    if story["relevant"] and not story.get("incident"):
        found.append("relevant, but no incident id")
    return found


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv] or corpus_files()
    stories, bad = [], 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    story = json.loads(line)
                except json.JSONDecodeError as exc:
                    print(f"{path}:{number}: not JSON ({exc.msg})")
                    bad += 1
                    continue
                stories.append(story)
                for problem in problems(story):
                    print(f"{path}:{number} ({story.get('id')}): {problem}")
                    bad += 1
    ids = Counter(s.get("id") for s in stories)
    for story_id, n in ids.items():
        if n > 1:
            print(f"id {story_id!r} used {n} times")
            bad += 1
    relevant = sum(bool(s.get("relevant")) for s in stories)
    outlets = len({s.get("outlet") for s in stories})
    events = sum(len(s.get("events") or []) for s in stories)
    print(f"{len(stories)} stories ({relevant} relevant), {events} events, {outlets} outlets, "
          f"{len({s.get('incident') for s in stories if s.get('incident')})} incidents; {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
