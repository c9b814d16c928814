"""Custom attributes the pipeline sets on Doc and Span, registered once.

Values are plain JSON-like data (str, int, dict, list) so a Doc keeps them through
`to_bytes`/`from_bytes` and across `nlp.pipe(n_process=N)` workers.
"""
from spacy.tokens import Doc, Span

DOC_EXTENSIONS = {
    "published": None,  # ISO date of publication, set before the pipeline runs
    "entities": None,  # canonical entity table: list of {name, type, mentions, vendor}
    "events": None,  # list of event dicts (see nlp/components/events.py)
    "news_day": None,  # ISO date the article's "now" refers to (see nlp/components/dates.py)
    "trigger_count": 0,  # event triggers read, asserted or not (a relevance signal)
    "event_score": 0.0,  # the event scorer's highest probability for any candidate (a relevance signal)
}
SPAN_EXTENSIONS = {
    "canonical": None,  # canonical name of an entity span
}


def register_extensions() -> None:
    """Register the project's extensions, leaving ones already registered alone."""
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


register_extensions()
