"""The project's spaCy components; importing this package registers their factories."""
from . import canonical, dates, events, gazetteer, stance  # noqa: F401
