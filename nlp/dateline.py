"""A story's dateline: "ROME (AP) —", "New Delhi, February 5:", "SAN FRANCISCO, Jan 5 (Reuters) -".
The place says where the story was filed and the outlet who filed it, never who acted:
their tokens are no party to any event (they stay entities of the story)."""
from __future__ import annotations

import re

from spacy.tokens import Doc

DATELINE = re.compile(
    r"\s*(?P<place>[A-Z][\w.'’]*(?:[ -][A-Z][\w.'’]*){0,3})"  # ROME, New Delhi, SAN FRANCISCO
    r"(?:,\s*(?P<region>[A-Z][\w.]+(?: [A-Z][\w.]+)?)(?=\s*[(:—–-]))?"  # , Texas
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?"  # , February 5 / , Jan. 5, 2025
    r"(?:\s*\((?P<outlet>[^()\n]{1,40})\))?"  # (AP), (Reuters)
    r"\s*(?:—|–|-{1,2}|:)(?=\s|[A-Z])")  # the dash or colon that ends it


def dateline_tokens(doc: Doc) -> set[int]:
    """Indices of the tokens of the dateline that opens the story's text, if any (the text
    starts after the title: `title_chars` of make_doc)."""
    start = doc.user_data.get("title_chars", 0)
    match = DATELINE.match(doc.text, start)
    if match is None:
        return set()
    spans = [doc.char_span(match.start(g), match.end(g), alignment_mode="expand")
             for g in ("place", "region", "outlet") if match.group(g)]
    if any(span is None for span in spans) or not is_place(spans[0]):
        return set()
    return {i for span in spans for i in range(span.start, span.end)}


def is_place(span) -> bool:
    """"ROME", "New Delhi": a place by the entity model, or written in capitals as datelines
    are ("Google - the company" opens with a party, not a dateline)."""
    return all(t.ent_type_ in ("GPE", "LOC") for t in span) or (span.text.isupper() and len(span.text) > 2)
