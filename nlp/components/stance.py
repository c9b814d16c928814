"""incident_stance: how the text presents each event.

`reported` (stated as fact), `alleged` (hearsay: "reportedly", "X claims that ...";
set by incident_events), or `denied`: "Alibaba denied the allegations" marks the
events that accuse Alibaba (its allegations first) as denied.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from nlp.clauses import child, is_hedged, subject
from nlp.mentions import MentionResolver
from nlp.resources import GAZETTEER_PATH, LEXICON_PATH, PLACES_PATH, demonyms, gazetteer, lexicon


ACCUSATIONS = ("allegation", "lawsuit")


class EventStance:
    def __init__(self, lexicon_path: str, gazetteer_path: str, places_path: str):
        self.lex = lexicon(lexicon_path)
        self.gazetteer = gazetteer(gazetteer_path)
        self.demonyms = demonyms(places_path)

    def __call__(self, doc: Doc) -> Doc:
        events = [e for e in doc._.events or [] if not e["anaphor"]]
        if not events:
            return doc
        resolver = None
        for tok in doc:
            if tok.pos_ == "VERB" and self.lex.lemma(tok) in self.lex.words["deny_verbs"] and self.denies(tok):
                resolver = resolver or MentionResolver(doc, self.gazetteer, self.lex, self.demonyms)
                obj = child(tok, "dobj")
                charge = obj is not None and self.lex.lemma(obj) in self.lex.words["deny_objects"]
                for denier in resolver.names(subject(tok)):
                    self.mark_denied(events, denier, tok, ACCUSATIONS if charge else None)
        return doc

    def denies(self, verb: Token) -> bool:
        """A real denial of a charge or a claim: not negated ("did not deny") nor hedged."""
        if is_hedged(verb, self.lex):
            return False
        obj = child(verb, "dobj")
        return child(verb, "ccomp") is not None or (
            obj is not None and self.lex.lemma(obj) in self.lex.words["deny_objects"])

    @staticmethod
    def mark_denied(events: list[dict], denier: str, verb: Token, types: tuple[str, ...] | None) -> None:
        """"X denied the charge" answers an accusation against X; "X denied that it ..."
        may answer any event that X is the target of."""
        accused = [e for e in events if e["target"] == denier and e["trigger_i"] < verb.i
                   and (types is None or e["type"] in types)]
        accused.sort(key=lambda e: (e["type"] != "allegation", -e["trigger_i"]))
        if accused:
            accused[0]["stance"] = "denied"
            accused[0]["denial"] = verb.sent.text.strip()


@Language.factory(
    "incident_stance",
    default_config={"lexicon": str(LEXICON_PATH), "gazetteer": str(GAZETTEER_PATH), "places": str(PLACES_PATH)},
    assigns=["doc._.events"],
    requires=["doc._.events"],
)
def make_stance(nlp: Language, name: str, lexicon: str, gazetteer: str, places: str) -> EventStance:
    return EventStance(lexicon, gazetteer, places)
