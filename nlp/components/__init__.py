"""The project's spaCy components; importing this package registers their factories."""
from . import canonical, dates, entity_spans, events, gazetteer, paragraphs, stance  # noqa: F401
