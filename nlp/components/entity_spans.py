"""incident_entity_spans: entity spans that cover the whole name the text wrote.

The gazetteer ruler runs before `ner`, and the model then labels around what the ruler
fixed, so a known name inside a longer one cuts that name in two: "U.S." (a country on
file) leaves "Congress" on its own, "Reuters" leaves "Thomson" outside. The model also
stops a long name early ("the Office of the Australian Information" | "Commissioner") and
starts a name at a role word ("Plaintiffs Mac Pierce"). Each repair reads the parse, never
a phrase list:
- a country on file that modifies an institution's name is part of it ("U.S. Congress",
  "US Air Force"), unless that institution is itself on file (the FTC stays the FTC);
- a proper noun compounded onto a known organisation's name from the left is part of it
  ("Thomson Reuters");
- a name whose last word modifies a capitalised word just after it runs on to that word, and
  an organisation's name runs on through "of" and the capitalised words after it, and through
  "and" to an organisation's name its last word modifies ("Communications and Multimedia Commission");
- a name the model ended on "of" goes on through the capitalised words after it; a sum of
  money ("Clearview AI EUR 20 million") is no part of a name;
- a lone number the model took for a date that no year can be is a name with the capitalised
  word before it ("Unit 8200");
- a place-like name listed among organisations is one ("Condé Nast, The Atlantic and Forbes");
- a leading word that names a role ("Plaintiffs", "Staff") is not part of a name, nor one
  that describes the firm ("AI Company DeepSeek");
- words that only describe ("US AI" of "US AI companies", "Chinese AI", "Generative AI")
  name no organisation or product: the span is dropped;
- an acronym in brackets spells the name before it: "the Australian Competition and Consumer
  Commission (ACCC)" is one organisation whatever the model cut, and the acronym is one too
  (incident_canonical makes it another name of the first);
- a proper noun the model left out is a name when a common noun says what it is: in apposition
  ("Mumsnet, a website for parents", "Earnest, a student loan company") or as the noun it
  modifies ("the Common Crawl dataset"), a product or an organisation as that noun says;
- a headline capitalises every word, so a name the model found there is one only as far as the
  body writes it with its capitals too: "Center for Investigative Reporting Takes" is the
  Center for Investigative Reporting, "Launches Probe Into" is none (names on file stay).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from nlp.headline import in_headline, is_name_word, longest_name_the_body_writes
from nlp.mentions import COMPANY_NOUNS, GOVERNMENT_NOUNS, PRODUCT_NOUNS, REGULATOR_NOUNS, kind_described_by
from nlp.resources import GAZETTEER_PATH, LEXICON_PATH, PLACES_PATH, demonyms, gazetteer, lexicon

MODIFIER_DEPS = ("compound", "nmod", "amod")
SCALE_WORDS = {"million", "billion", "trillion", "bn", "mn"}
DESCRIPTION_NOUNS = COMPANY_NOUNS | PRODUCT_NOUNS | REGULATOR_NOUNS | GOVERNMENT_NOUNS


class EntitySpans:
    def __init__(self, lexicon_path: str, places_path: str, gazetteer_path: str):
        self.lexicon = lexicon(lexicon_path)
        self.demonyms = demonyms(places_path)
        self.gazetteer = gazetteer(gazetteer_path)

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        parts = [part for ent in ents for part in self.titled_person(ent)]
        repaired = [r for r in map(self.repaired, parts) if not self.only_describes(r)]
        repaired += [span for span in names_spelled_by_acronyms(doc) if span not in repaired]
        repaired += names_a_noun_describes(doc, self.is_common_word)
        repaired = [span for span in map(self.as_the_body_writes, repaired) if span is not None]
        if repaired != ents:
            doc.ents = filter_spans(repaired)
            for ent in set(repaired) - set(ents):
                for tok in ent:
                    tok.ent_id_ = ""  # a longer name is not the known name it contains
        return doc

    @staticmethod
    def as_the_body_writes(ent: Span) -> Span | None:
        """A name the model found in the headline, as far as the body writes it (names on
        file and places as they are)."""
        if not in_headline(ent) or ent.ent_id_ or ent.label_ not in ("ORG", "PERSON", "PRODUCT", "WORK_OF_ART"):
            return ent
        return longest_name_the_body_writes(ent)

    def titled_person(self, ent: Span) -> list[Span]:
        """"ACCC Chair Gina Cass-Gottlieb": a person's name the model ran on over a title and
        the body before it is the name after the title, and the body an organisation of its
        own; one span as it was otherwise."""
        if ent.label_ != "PERSON":
            return [ent]
        title = next((t for t in reversed(ent[:-1]) if self.is_title(t)), None)
        if title is None or not any(is_name_word(t) for t in ent.doc[title.i + 1:ent.end]):
            return [ent]
        person = [Span(ent.doc, title.i + 1, ent.end, label="PERSON")]
        if title.i > ent.start and all(is_name_word(t) for t in ent.doc[ent.start:title.i]):
            return [Span(ent.doc, ent.start, title.i, label="ORG")] + person
        return person

    def is_title(self, tok: Token) -> bool:
        word = tok.lower_
        return self.lexicon.has("role_titles", word) or self.lexicon.has("official_titles", word)

    def repaired(self, ent: Span) -> Span:
        if ent.label_ == "LOC" and listed_among_organisations(ent):
            return Span(ent.doc, ent.start, ent.end, label="ORG")
        if ent.label_ == "DATE" and not could_be_a_year(ent):
            return numbered_name(ent) or ent
        if ent.label_ == "GPE" and ent.ent_id_:
            institution = self.with_institution(ent)
            return with_of_name(institution) if institution else ent
        if ent.label_ not in ("ORG", "PERSON", "PRODUCT", "WORK_OF_ART"):
            return ent
        if ent.ent_id_:
            return self.with_left_name(ent) if ent.label_ == "ORG" else ent
        if ent.label_ != "PERSON":
            ent = without_amount(through_dangling_of(self.without_description(ent)))
        ent = self.without_role_word(self.run_on(ent))
        return with_of_name(ent) if ent.label_ == "ORG" else ent

    def only_describes(self, ent: Span) -> bool:
        """An organisation or product "named" by common words and at most a place on file:
        "US AI", "Chinese AI", "Generative AI"."""
        if ent.label_ not in ("ORG", "PRODUCT", "PERSON") or ent.ent_id_:
            return False
        named = [t for t in ent if not self.is_common_word(t) and not t.is_punct]
        if not named:
            return True
        if ent.label_ == "PERSON":
            return False
        entry = self.gazetteer.lookup(ent.doc[named[0].i:named[-1].i + 1].text)
        return entry is not None and entry.type == "GPE" and len(named) < len(ent)

    def without_description(self, ent: Span) -> Span:
        """"AI Company DeepSeek", "Chinese Startup DeepSeek": capitalised words that describe a
        firm on file are no part of its name."""
        start = ent.start
        while start < ent.end and self.is_common_word(ent.doc[start]):
            start += 1
        if start == ent.end or self.gazetteer.lookup(ent.doc[start:ent.end].text) is None:
            return ent  # "AI Studio", "Ministry of Digital Affairs": the words may be the name's
        return Span(ent.doc, start, ent.end, label=ent.label_)

    def with_institution(self, ent: Span) -> Span | None:
        """"U.S." + "Congress": the country and the institution it modifies, as one name
        ("U.S." + "AI" is no institution)."""
        doc = ent.doc
        head = ent.root.head
        if ent.root.dep_ not in MODIFIER_DEPS or head.i < ent.end or not is_name_word(head):
            return None
        if any(not is_name_word(t) for t in doc[ent.end:head.i + 1]) \
                or all(self.is_common_word(t) for t in doc[ent.end:head.i + 1]):
            return None
        end = head.i + 1
        if head.ent_type_:
            nxt = next((e for e in doc.ents if e.start <= head.i < e.end), None)
            if nxt is None or nxt.ent_id_ or nxt.label_ != "ORG":
                return None  # an institution on file keeps its own name; a person is no institution
            end = max(end, nxt.end)
        return Span(doc, ent.start, end, label="ORG")

    def with_left_name(self, ent: Span) -> Span:
        """"Thomson" + "Reuters": a proper noun compounded onto a known name from the left (a
        headline's capitals make no name of "Chinese AI Company DeepSeek", nor do common words)."""
        start = ent.start
        if ent.start_char < ent.doc.user_data.get("title_chars", 0):
            return ent
        while start > ent.sent.start:
            prev = ent.doc[start - 1]
            if prev.ent_type_ or prev.dep_ != "compound" or prev.head.i not in range(start, ent.end) \
                    or not is_name_word(prev) or self.is_common_word(prev):
                break
            start -= 1
        return ent if start == ent.start else Span(ent.doc, start, ent.end, label=ent.label_)

    def is_common_word(self, tok: Token) -> bool:
        """"Company", "Chatbot", "AI", "Chinese": a capitalised common word, no part of a name."""
        word = tok.lower_
        return (word in DESCRIPTION_NOUNS or tok.text in self.demonyms or self.lexicon.has("ai_terms", word)
                or self.lexicon.has("people_nouns", word))

    @staticmethod
    def run_on(ent: Span) -> Span:
        """"the Office of the Australian Information" + "Commissioner": a name whose last word
        modifies the capitalised word after it goes on to that word."""
        end = ent.end
        doc = ent.doc
        while end < len(doc) and end < ent.sent.end and not doc[end].ent_type_ and is_name_word(doc[end]) \
                and doc[end - 1].dep_ in MODIFIER_DEPS and doc[end - 1].head.i == end:
            end += 1
        end = through_coordinated_name(doc, end)
        return ent if end == ent.end else Span(doc, ent.start, end, label=ent.label_)

    def without_role_word(self, ent: Span) -> Span:
        """"Plaintiffs Mac Pierce" is Mac Pierce."""
        first = ent[0]
        word = first.lower_
        if len(ent) > 2 and first.is_title and (self.lexicon.has("people_nouns", word)
                                                or self.lexicon.has("people_nouns", word.removesuffix("s"))):
            return Span(ent.doc, ent.start + 1, ent.end, label=ent.label_)
        return ent


def names_a_noun_describes(doc: Doc, is_common_word) -> list[Span]:
    """Proper nouns outside every entity that a common noun describes, as products or
    organisations (headline words are capitalised whatever they are: never read there)."""
    title_chars = doc.user_data.get("title_chars", 0)
    found = []
    for tok in doc:
        if tok.ent_type_ or not is_name_word(tok) or tok.idx < title_chars or is_common_word(tok):
            continue
        noun = next((c for c in tok.children if c.dep_ == "appos" and c.pos_ == "NOUN"), None)
        if noun is None and tok.dep_ == "compound" and tok.head.pos_ == "NOUN" and tok.head.i == tok.i + 1 \
                and not tok.is_sent_start:
            noun = tok.head  # "the Common Crawl dataset"
        kind = kind_described_by(noun) if noun is not None else None
        if kind is None:
            continue
        start = tok.i
        while start > tok.sent.start and doc[start - 1].dep_ == "compound" and is_name_word(doc[start - 1]) \
                and not doc[start - 1].ent_type_:
            start -= 1
        if doc[start].is_sent_start and noun.dep_ != "appos":
            continue  # a sentence's first word is capitalised whatever it is
        found.append(Span(doc, start, tok.i + 1, label=kind))
    return found


NAME_JOINERS = {"and", "&", "of", "for", "the", "on", "'s", "’s", "de", "des", "du", "la", "le"}


def names_spelled_by_acronyms(doc: Doc) -> list[Span]:
    """Each "Long Name (ACRONYM)" where the acronym's letters are the initials of the name's
    capitalised words (or of all its words but "the" and "'s": "Department of Justice (DOJ)"):
    the shortest such name, and the acronym, as organisations (filter_spans then prefers them
    to the shorter pieces the model found)."""
    found = []
    for tok in doc[2:-1]:
        opening, closing = doc[tok.i - 1], doc[tok.i + 1]
        if opening.text != "(" or closing.text != ")" or not is_acronym(tok.text):
            continue
        start = spelled_start(doc, opening.i, tok.text.lower())
        if start is not None:
            label = next((e.label_ for e in doc.ents if e.start <= opening.i - 1 < e.end
                          and e.label_ in ("ORG", "PRODUCT")), "ORG")
            found += [Span(doc, start, opening.i, label=label), Span(doc, tok.i, tok.i + 1, label=label)]
    return found


def is_acronym(text: str) -> bool:
    return 2 <= len(text) <= 8 and text.isalpha() and text.isupper()


def spelled_start(doc: Doc, end: int, letters: str) -> int | None:
    """Where the name that ends before token `end` and whose initials spell `letters` starts."""
    start = end
    while start > doc[end - 1].sent.start and (doc[start - 1].text[:1].isupper() or doc[start - 1].lower_ in NAME_JOINERS):
        start -= 1
        words = doc[start:end]
        if not words[0].text[:1].isupper() or words[0].lower_ in NAME_JOINERS:
            continue
        capitals = "".join(t.text[0] for t in words if t.text[:1].isupper()).lower()
        initials = "".join(t.text[0] for t in words if t.lower_ not in ("the", "'s", "’s")).lower()
        if letters in (capitals, initials):
            return start
        if len(capitals) > len(letters):
            return None
    return None


def listed_among_organisations(ent: Span) -> bool:
    """"Condé Nast, The Atlantic and Forbes": a place-like name (the model's LOC) listed
    between organisations is one of them; the items of a list are of one kind."""
    root = ent.root
    neighbours = [root.head] if root.dep_ in ("conj", "appos") else []
    neighbours += [t for t in root.children if t.dep_ in ("conj", "appos")]
    return any(t.ent_type_ == "ORG" for t in neighbours)


def through_coordinated_name(doc: Doc, end: int) -> int:
    """"the Malaysian Communications" + "and" + "Multimedia Commission": a name whose last word
    modifies a word of an organisation's name after "and" is one name with it ("Google and
    Microsoft" are two: neither modifies the other)."""
    if end + 1 >= len(doc) or doc[end].lower_ not in ("and", "&") or doc[end - 1].dep_ not in MODIFIER_DEPS:
        return end
    after = next((e for e in doc.ents if e.start == end + 1), None)
    if after is None or after.label_ != "ORG" or after.ent_id_ or doc[end - 1].head.i not in range(after.start, after.end):
        return end
    return after.end


def with_of_name(ent: Span) -> Span:
    """"U.S. House" + "of Representatives", "Department" + "of Education": an organisation's
    name goes on through "of" when capitalised words follow it (a country among them too:
    "Chief Administrative Officer of the United States House of Representatives"), never
    into another organisation, person or product."""
    doc, end = ent.doc, ent.end
    while end + 1 < ent.sent.end and doc[end].lower_ == "of" and doc[end].head.i == end - 1:
        start = end + 1 + (doc[end + 1].lower_ == "the")
        stop = end_of_name_words(doc, start, ent.sent.end)
        if stop == start or stop - start == 1 and doc[start].ent_type_ == "GPE":
            break  # "Garante of Italy": a place alone after "of" is where, not a name's end
        end = stop
    return ent if end == ent.end else Span(doc, ent.start, end, label=ent.label_)


def through_dangling_of(ent: Span) -> Span:
    """"the Recording Industry Association of" + "America": a name the model ended on "of"
    goes on through the capitalised words after it (a place among them), or, with none,
    ends before the "of"."""
    if len(ent) < 2 or ent[-1].lower_ != "of":
        return ent
    doc, end = ent.doc, end_of_name_words(ent.doc, ent.end, ent.sent.end)
    if end == ent.end:
        return Span(doc, ent.start, ent.end - 1, label=ent.label_)
    return Span(doc, ent.start, end, label=ent.label_)


def without_amount(ent: Span) -> Span:
    """"Clearview AI EUR 20 million": a sum of money is never part of a name; the name ends
    before it, and before the currency code that opens it."""
    doc = ent.doc
    for tok in ent[1:]:
        if tok.is_currency or tok.like_num and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in SCALE_WORDS:
            end = tok.i
            if end - 1 > ent.start and doc[end - 1].is_upper and len(doc[end - 1].text) == 3:
                end -= 1  # the ISO code of "EUR 20 million"
            return Span(doc, ent.start, end, label=ent.label_)
    return ent


def could_be_a_year(ent: Span) -> bool:
    """A lone number is a date only as a year ("in 2023"); "8200" of "Unit 8200" is none."""
    if len(ent) != 1 or not ent[0].is_digit:
        return True
    return 1000 <= int(ent[0].text) <= 2199


def numbered_name(ent: Span) -> Span | None:
    """"Unit 8200": a capitalised word no entity claims, with the number after it, is a name."""
    doc = ent.doc
    if ent.start == 0:
        return None
    word = doc[ent.start - 1]
    if word.ent_type_ or not is_name_word(word) or word.is_sent_start:
        return None
    return Span(doc, word.i, ent.end, label="ORG")


def end_of_name_words(doc: Doc, start: int, limit: int) -> int:
    """Where the capitalised words from `start` end (before `limit`): a place may be among
    them, another organisation, person or product may not."""
    end = start
    while end < limit and is_name_word(doc[end]) and doc[end].ent_type_ in ("", "GPE"):
        end += 1
    return end


@Language.factory(
    "incident_entity_spans",
    default_config={"lexicon": str(LEXICON_PATH), "places": str(PLACES_PATH), "gazetteer": str(GAZETTEER_PATH)},
    assigns=["doc.ents"],
)
def make_entity_spans(nlp: Language, name: str, lexicon: str, places: str, gazetteer: str) -> EntitySpans:
    return EntitySpans(lexicon, places, gazetteer)
