"""incident_gazetteer: an entity_ruler fed from the gazetteer data file.

Placed before `ner`, it labels known vendors, products, customers and regulators (the
small model alone finds products poorly) and sets each match's `ent_id_` to the
canonical name, which `incident_canonical` then uses.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.pipeline import EntityRuler

from nlp.resources import GAZETTEER_PATH, GazetteerEntry, read_gazetteer


def token_pattern(nlp: Language, form: str, case_sensitive: bool) -> list[dict]:
    """Match a name as written, or in any casing that is not all lower case.

    Requiring a capital keeps common words apart ("bard", "windsurf", "recall").
    """
    pattern = []
    for tok in nlp.make_doc(form):
        if case_sensitive or not tok.text.isalpha():
            pattern.append({"ORTH": tok.text} if case_sensitive else {"LOWER": tok.lower_})
        elif tok.text.islower():
            pattern.append({"LOWER": tok.lower_})
        else:
            pattern.append({"LOWER": tok.lower_, "IS_LOWER": False})
    return pattern


def entry_patterns(nlp: Language, entry: GazetteerEntry) -> list[dict]:
    return [
        {"label": entry.type, "pattern": token_pattern(nlp, form, entry.case_sensitive), "id": entry.name}
        for form in dict.fromkeys((entry.name, *entry.aliases))
    ]


@Language.factory(
    "incident_gazetteer",
    default_config={"path": str(GAZETTEER_PATH), "overwrite_ents": True},
    assigns=["doc.ents", "token.ent_type", "token.ent_iob"],
)
def make_gazetteer(nlp: Language, name: str, path: str, overwrite_ents: bool) -> EntityRuler:
    """An EntityRuler holding one pattern per name and alias of the gazetteer."""
    ruler = EntityRuler(nlp, name=name, overwrite_ents=overwrite_ents)
    patterns = [p for entry in read_gazetteer(path).entries for p in entry_patterns(nlp, entry)]
    ruler.add_patterns(patterns)
    return ruler
