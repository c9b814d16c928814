"""incident_canonical: one canonical name per entity, and the article's entity table.

Sets `span._.canonical` on every entity of an exported type and `doc._.entities` to
`[{name, type, mentions, vendor}]`: "Alibaba Group", "Alibaba's" and "ALIBABA" become
Alibaba; a product carries its vendor from the gazetteer; "Shihipar" joins "Thariq
Shihipar"; an acronym in brackets joins the name before it.
"""
from __future__ import annotations

from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc, Span

from incidents.model import ENTITY_TYPES
from nlp.mentions import REGULATOR_NOUNS, follows_the, kind_described_by
from nlp.names import canonical_name, clean_surface, cut_at_possessive, has_company_suffix, is_noise_name, is_surname_of
from nlp.resources import GAZETTEER_PATH, LEXICON_PATH, PLACES_PATH, gazetteer, lexicon, demonyms

# The small model's labels that can still name one of our types once canonicalised
# ("the Australian Government" comes out ORG or GPE; a product often WORK_OF_ART).
LABEL_MAP = {"ORG": "ORG", "PRODUCT": "PRODUCT", "PERSON": "PERSON", "GPE": "GPE", "NORP": None,
             "WORK_OF_ART": "PRODUCT", "FAC": "ORG"}


class CanonicalNames:
    def __init__(self, gazetteer_path: str, lexicon_path: str, places_path: str):
        self.gazetteer = gazetteer(gazetteer_path)
        self.lexicon = lexicon(lexicon_path)
        self.demonyms = demonyms(places_path)

    def __call__(self, doc: Doc) -> Doc:
        kept = [ent for ent in doc.ents if self.keeps(ent)]
        names = {}
        for ent in kept:
            names[ent] = self.name_and_type(ent)
        self.merge_surnames(names)
        self.merge_short_forms(names, doc.user_data.get("title_chars", 0), self.known_places())
        self.merge_bracketed_acronyms(doc, names)
        table: dict[str, dict] = {}
        types: dict[str, Counter] = {}
        for ent, (name, etype) in names.items():
            ent._.canonical = name
            row = table.setdefault(name, {"name": name, "type": etype, "mentions": [], "vendor": None})
            if ent.text not in row["mentions"]:
                row["mentions"].append(ent.text)
            types.setdefault(name, Counter())[etype] += 1
        described = self.types_described(names)
        for name, row in table.items():
            entry = self.gazetteer.by_name.get(name)
            row["type"] = entry.type if entry else described.get(name) or types[name].most_common(1)[0][0]
            row["vendor"] = entry.vendor if entry else None
        doc._.entities = list(table.values())
        return doc

    def types_described(self, names: dict[Span, tuple[str, str]]) -> dict[str, str]:
        """"Base44, an AI-powered development platform", "the chatbot Kora", "Halvane, a
        startup": what a name not on file is, as the noun in apposition with it says (the model
        took Base44 for a place and Kora for a person). A known place stays one; a full name
        stays a person's."""
        places = self.known_places()
        found = {}
        for ent, (name, etype) in names.items():
            said = described_as(ent)
            if ent.ent_id_ or said is None or said == etype or name in places \
                    or etype == "PERSON" and " " in name:
                continue
            found[name] = said
        return found

    def keeps(self, ent: Span) -> bool:
        """Whether an entity span names something of an exported type (not noise)."""
        if ent.ent_id_:
            return True
        if LABEL_MAP.get(ent.label_) is None and not self.is_government(ent):
            return False
        if len(ent) > 7 or opens_with_a_plural_noun(ent):
            return False
        return not is_noise_name(ent.text, self.lexicon, self.demonyms)

    def is_government(self, ent: Span) -> bool:
        return any(t.lower_ == "government" for t in ent)

    def name_and_type(self, ent: Span) -> tuple[str, str]:
        if ent.ent_id_:
            entry = self.gazetteer.by_name.get(ent.ent_id_)
            etype = entry.type if entry else ent.label_
            maker = self.unknown_maker(ent)
            if maker is not None and etype == "PRODUCT":  # "Tidewell Copilot" is not Microsoft's Copilot
                return f"{maker.text} {clean_surface(ent.text)}", etype
            return ent.ent_id_, etype
        shared = self.shared_surname(ent)
        if shared:
            return shared, "PERSON"
        regulator = self.regulator_named_by_remit(ent)
        if regulator is not None:
            return regulator.name, regulator.type
        name, forced = canonical_name(cut_at_possessive(ent.text, self.lexicon), self.gazetteer, self.demonyms)
        etype = forced or LABEL_MAP.get(ent.label_) or "ORG"
        if etype == "PERSON" and " " in name and self.lexicon.has("org_name_words", name.split()[-1].lower()):
            etype = "ORG"  # "Fjellbyte Labs", "Halden Quantum": the last word makes it a firm
        if etype in ("PERSON", "PRODUCT", "GPE") and has_company_suffix(ent.text):
            etype = "ORG"
        return name, etype if etype in ENTITY_TYPES else "ORG"

    @staticmethod
    def shared_surname(ent: Span) -> str | None:
        """"Matt and Maria Raine": a lone given name joined to a full name shares its surname."""
        doc = ent.doc
        if ent.label_ != "PERSON" or len(ent) != 1 or ent.end + 1 >= len(doc) or doc[ent.end].lower_ != "and":
            return None
        partner = next((e for e in doc.ents if e.start == ent.end + 1), None)
        if partner is None or partner.label_ != "PERSON" or len(partner) != 2:
            return None
        return f"{ent.text} {partner[-1].text}"

    def regulator_named_by_remit(self, ent: Span):
        """"France's Competition Authority", "the Greek Data Protection Authority": a name that
        only describes a regulator's remit, qualified by a country, is that country's regulator
        of that remit when the gazetteer knows it (else the name stays as written)."""
        words = [t for t in ent if t.lower_ not in ("the", "of", "for", "and")]
        country = self.demonyms.get(words[0].text) if words else None
        if country:
            words = words[1:]
        describes_remit = bool(words) and words[-1].lower_ in REGULATOR_NOUNS and all(
            t.lower_ in REGULATOR_NOUNS or t.lower_ in self.gazetteer.remit_words for t in words)
        if not describes_remit and len(words) != 1:
            return None  # neither a remit described nor one acronym: no need to look for a country
        country = country or self.country_before(ent)
        if not country:
            return None
        if describes_remit:
            return self.gazetteer.regulator_of(country, {t.lower_ for t in words})
        return self.regulator_by_initials(words[0].text, country)

    def regulator_by_initials(self, acronym: str, country: str):
        """"Italy's DPA", "the Dutch DPA": an acronym that spells a remit and a regulator's
        noun (Data Protection Authority) is that country's regulator of that remit."""
        if not (acronym.isalpha() and acronym.isupper() and 2 <= len(acronym) <= 5):
            return None
        entry = self.gazetteer.regulator_of(country)
        if entry is None or acronym.lower()[-1] not in {noun[0] for noun in REGULATOR_NOUNS}:
            return None
        remit_initials = {word[0] for word in entry.remit}
        return entry if all(letter in remit_initials for letter in acronym.lower()[:-1]) else None

    def country_before(self, ent: Span) -> str | None:
        """The country qualifying a name from before it: "France's", "the Greek regulator"."""
        doc, i = ent.doc, ent.start - 1
        while i >= 0 and doc[i].lower_ in REGULATOR_NOUNS:
            i -= 1
        if i < 0:
            return None
        if doc[i].tag_ == "POS" and i > 0 and doc[i - 1].ent_type_ == "GPE":
            place = doc[i - 1]
            start = next(e.start for e in doc.ents if e.start <= place.i < e.end)
            return doc[start:place.i + 1].text
        return self.demonyms.get(doc[i].text)

    @staticmethod
    def unknown_maker(ent: Span):
        """A capitalised word no entity claims just before a known product's name, as in
        "Tidewell Copilot": another maker's product of the same name."""
        if ent.start == 0:
            return None
        prev = ent.doc[ent.start - 1]
        if (prev.pos_ != "PROPN" or not prev.text[:1].isupper() or prev.ent_type_ or prev.is_sent_start
                or prev.dep_ not in ("compound", "nmod") or prev.head.i not in range(ent.start, ent.end)):
            return None
        return prev

    @staticmethod
    def merge_surnames(names: dict[Span, tuple[str, str]]) -> None:
        full = [n for n, t in names.values() if t == "PERSON" and " " in n]
        for ent, (name, etype) in names.items():
            # the model often labels a lone surname ORG: the full name decides
            if " " not in name and not ent.ent_id_:
                match = next((f for f in full if is_surname_of(name, f)), None)
                if match:
                    names[ent] = (match, "PERSON")

    def known_places(self) -> set[str]:
        """Countries and places the data files name: never a firm's short name."""
        return set(self.demonyms.values()) | {e.name for e in self.gazetteer.entries if e.type == "GPE"}

    @staticmethod
    def merge_short_forms(names: dict[Span, tuple[str, str]], title_chars: int = 0,
                          places: set[str] = frozenset()) -> None:
        """"Getty" after "Getty Images": a one-word organisation name that starts a longer one
        (names the gazetteer knows, such as Google and Google DeepMind, stay apart), or, after
        "the", ends one ("the Authority" after "the Italian Data Protection Authority", "The
        Times" after "The New York Times"). The model
        often calls an unknown firm's short name a place ("Oakspur"); a known place stays one."""
        first_seen: dict[str, int] = {}
        last_words: dict[str, dict[str, int]] = {}  # "Authority" -> {"Garante": where first written}
        for ent, (n, t) in names.items():
            if t == "ORG" and " " in n and not ent.ent_id_:
                first_seen.setdefault(n, ent.start)
            words = clean_surface(ent.text).split() if t == "ORG" else []
            if len(words) > 1:
                last_words.setdefault(words[-1], {}).setdefault(n, ent.start)
        for ent, (name, etype) in names.items():
            if (etype in ("ORG", "PERSON") or etype == "GPE" and name not in places) and " " not in name \
                    and not ent.ent_id_:
                # the full name comes first in a story, the short form after it (or in the headline)
                in_title = ent.start_char < title_chars
                matches = [n for n, start in first_seen.items()
                           if n.split()[0] == name and (start < ent.start or in_title)]
                if not matches and is_definite(ent):
                    matches = [n for n, start in last_words.get(name, {}).items() if start < ent.start or in_title]
                if len(matches) == 1:  # "Halvane" beside "Halvane AI" and "Halvane Assist" stays
                    names[ent] = (matches[0], "ORG")

    @staticmethod
    def merge_bracketed_acronyms(doc: Doc, names: dict[Span, tuple[str, str]]) -> None:
        """"Global Privacy Assembly (GPA)": the acronym is another name of the entity, in every
        mention; the entity goes by the form the story writes more often (the press calls the
        Australian Competition and Consumer Commission the ACCC once it has said so), the
        full name when they tie."""
        by_start = {ent.start: ent for ent in names}
        for ent in list(names):
            end = ent.end
            if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
                acr = doc[end + 1]
                if acr.text.isupper() and acr.i in by_start and acr.text[0] == names[ent][0][:1]:  # not "the ..."
                    full, short = names[ent], names[by_start[acr.i]]
                    forms = [other for other, (name, _) in names.items() if name in (full[0], short[0])]
                    written = Counter(names[other][0] for other in forms)
                    chosen = (short[0], full[1]) if written[short[0]] > written[full[0]] else full
                    for other in forms:
                        names[other] = chosen


def is_definite(ent: Span) -> bool:
    """"The Authority" as one span or "the" + "Commission": a short form (`follows_the`)."""
    return ent[0].lower_ == "the" or follows_the(ent[0])


def described_as(ent: Span) -> str | None:
    """PRODUCT or ORG, when a common noun in apposition with the name says which."""
    root = ent.root
    nouns = [t for t in root.children if t.dep_ == "appos" and not t.ent_type_]
    if root.dep_ == "appos" and not root.head.ent_type_:
        nouns.append(root.head)
    return next((kind for noun in nouns if noun.pos_ == "NOUN" and (kind := kind_described_by(noun))), None)


def opens_with_a_plural_noun(ent: Span) -> bool:
    """"Groups representing French newspapers ...", "Watchdogs in Italy ...": one word the
    tagger reads as a plural common noun, capitalised only because it opens the sentence."""
    word = ent[0]
    return len(ent) == 1 and word.is_sent_start and word.tag_ == "NNS" and word.is_alpha and word.text[1:].islower()


@Language.factory(
    "incident_canonical",
    default_config={"gazetteer": str(GAZETTEER_PATH), "lexicon": str(LEXICON_PATH), "places": str(PLACES_PATH)},
    assigns=["span._.canonical", "doc._.entities"],
)
def make_canonical(nlp: Language, name: str, gazetteer: str, lexicon: str, places: str) -> CanonicalNames:
    return CanonicalNames(gazetteer, lexicon, places)
