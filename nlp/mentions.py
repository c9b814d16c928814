"""Who a noun phrase names: the entity in it, or the entity a generic phrase refers to.

"Italy's data regulators" -> the Italian regulator of the gazetteer; "the Australian
Government" -> Australia; "the chatbot" -> the product last named; "staff at Samsung"
-> Samsung. Rules are general (heads, determiners, the parse), never about one story.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import Counter

from spacy.tokens import Doc, Span, Token

from incidents.parties import COURT
from nlp.clauses import child, clause_verb, subject
from nlp.dateline import dateline_tokens
from nlp.headline import body_writes, in_headline
from nlp.names import clean_surface, is_noise_name
from nlp.resources import Gazetteer, Lexicon, capitals

REGULATOR_NOUNS = {"regulator", "watchdog", "authority", "commission", "agency", "ministry", "department"}
GOVERNMENT_NOUNS = {"government", "administration", "cabinet"}
PRODUCT_NOUNS = {"chatbot", "app", "application", "tool", "model", "service", "platform", "technology",
                 "software", "assistant", "agent", "bot", "product", "system"}
COMPANY_NOUNS = {"company", "firm", "startup", "start-up", "developer", "lender", "bank", "insurer", "carrier",
                 "vendor", "lab", "maker", "group", "giant",
                 "provider", "manufacturer", "business", "rival", "competitor"}
# "the maker of ChatGPT" is the product's vendor
MAKER_NOUNS = {"maker", "developer", "creator", "owner", "vendor", "provider", "publisher"}
# "the chamber", "the same office": an institution the story already named
INSTITUTION_NOUNS = {"chamber", "office", "legislature", "parliament"}
PERSON_PRONOUNS = {"he", "she", "him", "his", "her"}
FIRM_NOUNS = {"company", "firm", "startup", "start-up", "vendor", "lender", "bank", "insurer"}  # never a person
# what a name not on file is, as a common noun beside it says: "Base44, a development platform",
# "the Common Crawl dataset" (a product); "Mumsnet, a website for parents", "Earnest, a student
# loan company" (an organisation)
SERVICE_NOUNS = PRODUCT_NOUNS | {"dataset", "database"}
OUTFIT_NOUNS = FIRM_NOUNS | {"website", "site", "network", "organisation", "organization", "nonprofit", "charity"}
DEFINITE = {"the", "this", "that", "these", "those", "its", "their"}
MODIFIER_DEPS = ("compound", "nmod", "amod")
RELATIVE = {"that", "which", "who", "whom"}
ARGUMENT_DEPS = ("nsubj", "nsubjpass", "dobj", "dative", "pobj", "conj", "attr")
# Children searched first for the entity a phrase names: an apposition or "of"/"at"
# phrase names the thing ("Qwen Lab", "staff at Samsung"), a possessor or modifier
# usually someone else ("Anthropic's agent").
CHILD_ORDER = {"appos": 0, "pobj": 1, "prep": 1, "dobj": 1, "conj": 2, "nmod": 3, "compound": 3,
               "amod": 4, "acl": 5, "relcl": 6, "poss": 4, "npadvmod": 6, "pcomp": 1, "dative": 1}
SKIP_DEPS = {"det", "punct", "cc", "case", "aux", "auxpass", "neg", "mark", "nummod", "quantmod", "advmod",
             "predet", "prt", "ccomp", "advcl", "parataxis"}


def head_word(tok: Token) -> str:
    """A head noun's lemma, hyphenated compounds whole ("start-up", "co-pilot")."""
    if tok.i >= 2 and tok.nbor(-1).text == "-" and not tok.nbor(-1).whitespace_:
        return f"{tok.nbor(-2).lower_}-{tok.lower_}"
    return tok.lemma_.lower()


class MentionResolver:
    """Resolves argument tokens of one Doc to canonical entity names."""

    def __init__(self, doc: Doc, gazetteer: Gazetteer, lexicon: Lexicon, demonyms: dict[str, str]):
        self.doc = doc
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.demonyms = demonyms
        self.ent_at: dict[int, tuple[str, str]] = {}
        self.span_at: dict[int, Span] = {}
        self.types = {row["name"]: row["type"] for row in doc._.entities or []}
        # where the story was filed ("ROME (AP) —"), a country that only says which dollar
        # ("U.S. $22 million"), a name that describes another ("US-based Clearview AI"), a court
        # (where a case is heard): entities of the story, never a party nor an antecedent
        self.never_parties = dateline_tokens(doc) | currency_qualifiers(doc) | describing_names(doc) | courts(doc)
        for ent in doc.ents:
            if ent._.canonical and ent.root.i not in self.never_parties:
                for t in ent:
                    self.ent_at[t.i] = (ent._.canonical, self.types.get(ent._.canonical, ent.label_))
                    self.span_at[t.i] = ent
        self.index_positions()
        self.targeted: Counter = Counter()
        self.acted: Counter = Counter()
        gpes = Counter(n for n, t in self.ent_at.values() if t == "GPE")
        self.salient_country = gpes.most_common(1)[0][0] if gpes else None

    def index_positions(self) -> None:
        """Where each name is mentioned, in token order, so that every "named before token i"
        question is a binary search rather than a scan of the whole story (long articles
        would otherwise take time growing with the square of their length)."""
        self.positions = sorted(self.ent_at)
        self.name_positions: dict[str, list[int]] = {}
        self.first_located: dict[str, int] = {}  # place -> first mention only as a location ("in Rome")
        self.first_acting: dict[str, int] = {}  # place -> first mention as anything else
        for j in self.positions:
            name, etype = self.ent_at[j]
            self.name_positions.setdefault(name, []).append(j)
            if etype == "GPE":
                root = self.span_at[j].root
                where = root.dep_ == "pobj" and root.head.lower_ in ("in", "at")
                (self.first_located if where else self.first_acting).setdefault(name, j)

    def positions_between(self, start: int, end: int) -> list[int]:
        """Token indices inside entities, start <= i < end, in order."""
        return self.positions[bisect_left(self.positions, start):bisect_left(self.positions, end)]

    # -- public -----------------------------------------------------------------
    def names(self, tok: Token | None, exclude: set[str] = frozenset()) -> list[str]:
        """Canonical names an argument headed by `tok` refers to (several when coordinated)."""
        if tok is None:
            return []
        relative = tok.lower_ in RELATIVE
        tok = self.antecedent(tok)
        if tok.i in self.never_parties:
            return []  # "MILAN : Italy's regulator said": the parser's subject is where it was filed
        if self.named_after_place(tok):
            name = self.unlabelled_name(tok)  # "the US Navy" is an organisation, not the US
            if name and name not in exclude:
                return [name]
        # the antecedent's own relative clause is where the argument came from, not its name
        first = self.behind(tok) or self.first_entity_token(tok, skip=("relcl",) if relative else ())
        if first is None:
            name = (self.unlabelled_name(tok) or self.generic(tok, exclude, specific=relative)
                    or self.generic_inside(tok, exclude) or self.unlabelled_inside(tok))
            return [name] if name and name not in exclude else []
        names = self.with_conjuncts(first)
        if tok.dep_ == "nsubj":  # "Warner, along with Sony Music, sued": the parser hangs the list from the verb
            names += [n for n in self.names_joined_with(tok.head, exclude, before=tok.head.i) if n not in names]
        if head_word(tok) in GOVERNMENT_NOUNS:  # "Prime Minister Albanese's government" is Australia's
            names = [self.polity_of(first) or n for n in names]
        for listed in self.misparsed_list(first):
            names = [n for n in self.with_conjuncts(listed) if n not in names] + names
        if (head_word(tok) in MAKER_NOUNS or self.behind(tok) == first) and first.i != tok.i:
            names = [self.vendor_of(n) or n for n in names]
        if head_word(tok) in PRODUCT_NOUNS and first.dep_ == "poss":
            product = self.product_of(names[0], tok.i)  # "OpenAI's chatbot" is ChatGPT
            names = [product] if product else names
        for appos in (c for c in tok.children if c.dep_ == "appos"
                      and head_word(c) not in MAKER_NOUNS | COMPANY_NOUNS | PRODUCT_NOUNS):
            # "Luka, the developer of Replika" describes Luka: the product is no second party
            # a list parsed as appositions: "parts of X, the state of Texas, Italy and Taiwan"
            listed = appos if appos.i in self.ent_at else next(
                (o for p in appos.children if p.dep_ == "prep" and p.lower_ == "of"
                 for o in p.children if o.dep_ == "pobj" and o.i in self.ent_at), None)
            if listed is not None:
                names += [n for n in self.with_conjuncts(listed) if n not in names]
        return [n for n in names if n not in exclude]

    def unlabelled_name(self, tok: Token) -> str | None:
        """A proper noun the model left unlabelled ("Corvexa cut off ..."): an organisation."""
        found = self.unlabelled(tok)
        if found is None:
            return None
        self.add_entity(*found)
        return found[0]

    def unlabelled(self, tok: Token, listed: bool = False) -> tuple[str, str, str] | None:
        """(name, type, surface) of a proper noun the model left unlabelled, without
        recording it as an entity of the story. A capitalised list item inside a sentence is
        a name whatever its tag ("RedNote and Lemon8": the tagger calls Lemon8 a plural noun)."""
        proper = tok.pos_ == "PROPN" or listed and tok.pos_ in ("NOUN", "X") and not tok.is_sent_start
        if not proper or not tok.text[:1].isupper() or tok.is_sent_start and tok.dep_ in MODIFIER_DEPS:
            return None  # "Security researchers": a capital that starts a sentence says nothing
        if tok.ent_type_ and not (tok.ent_type_ == "NORP" and tok.text not in self.demonyms):
            return None  # the small model calls many unknown firms NORP ("Corvexa")
        if self.lexicon.has("role_titles", tok.lower_):
            return None  # "Microsoft Vice Chairman": a person's role, not a firm
        parts = [c for c in tok.lefts if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN"] + [tok]
        if in_headline(tok) and not body_writes(self.doc, [t.text for t in parts]):
            return None  # "Faces a Fresh Copyright Suit": a headline capitalises every word
        surface = " ".join(t.text for t in parts)
        if is_noise_name(surface, self.lexicon, self.demonyms):
            return None
        name = clean_surface(surface)
        entry = self.gazetteer.lookup(name)
        fuller = [n for n, t in self.types.items() if t == "ORG" and n.startswith(name + " ")]
        if not fuller and len(parts) == 1 and follows_the(tok):
            fuller = self.ending_with(name)  # "The Commission" after "the European Commission"
        name = entry.name if entry else fuller[0] if len(fuller) == 1 else name  # "Getty": Getty Images
        return name, entry.type if entry else "ORG", surface

    def ending_with(self, word: str) -> list[str]:
        """Organisations of the story one of whose written names of several words ends with `word`."""
        return [row["name"] for row in self.doc._.entities or [] if row["type"] == "ORG"
                and any(" " in form and form.split()[-1] == word for form in (row["name"], *row["mentions"]))]

    def behind(self, tok: Token) -> Token | None:
        """"the company behind Replika" (wherever the parser hangs "behind"): the product named."""
        if head_word(tok) not in COMPANY_NOUNS or tok.i + 2 >= len(self.doc) or tok.nbor().lower_ != "behind":
            return None
        obj = child(tok.nbor(), "pobj")
        return obj if obj is not None and obj.i in self.ent_at else None

    def named_after_place(self, tok: Token) -> bool:
        """A proper noun the model left unlabelled whose modifier is a place ("US Navy")."""
        return (tok.pos_ == "PROPN" and tok.i not in self.ent_at and not self.regulator_or_government(tok)
                and any(c.dep_ == "compound" and self.ent_at.get(c.i, ("", ""))[1] == "GPE" for c in tok.lefts))

    def polity_of(self, tok: Token) -> str | None:
        """The polity an official's title names ("Texas Governor Greg Abbott": Texas), for the
        government that official leads; the official named acts as themselves."""
        span = self.span_at.get(tok.i)
        if span is None or self.ent_at[tok.i][1] != "PERSON":
            return None
        titles = [t for t in self.doc[max(span.start - 3, 0):span.start]
                  if self.lexicon.has("official_titles", t.lower_)]
        if not titles:
            return None
        for t in self.doc[max(span.start - 5, 0):titles[0].i]:
            hit = self.ent_at.get(t.i)
            if hit and hit[1] == "GPE":
                return hit[0]
            if t.text in self.demonyms:
                return self.demonyms[t.text]
        return None

    def unlabelled_inside(self, tok: Token) -> str | None:
        """"fined Clearview AI 30.5 million euros": an unlabelled name that modifies the head."""
        for t in tok.children:
            if t.dep_ in ("nmod", "compound", "appos") and t.pos_ == "PROPN":
                name = self.unlabelled_name(t)
                if name:
                    return name
        return None

    def misparsed_list(self, first: Token) -> list[Token]:
        """"using ChatGPT and GitHub Copilot" read as "[ChatGPT and GitHub] Copilot": a named
        modifier that starts a coordination inside another name is a list item of its own."""
        span = self.span_at.get(first.i)
        if span is None:
            return []
        return [c for t in span for c in t.lefts
                if c.dep_ in ("nmod", "compound") and c.i in self.ent_at and c.i not in range(span.start, span.end)
                and self.ent_at[c.i][0] != self.ent_at[first.i][0] and any(x.dep_ == "cc" for x in c.children)]

    def with_conjuncts(self, first: Token) -> list[str]:
        names = [self.ent_at[first.i][0]]
        for conj in [*first.conjuncts, *joined_with(first)]:
            other = conj if conj.i in self.ent_at else self.first_entity_token(conj, depth=2)
            if other is not None and self.ent_at[other.i][0] not in names:
                names.append(self.ent_at[other.i][0])
        return names

    def names_joined_with(self, verb: Token, exclude: set[str], before: int | None = None) -> list[str]:
        """"was filed by A together with B": B, a party beside the verb's agent (only the items
        written before token `before`, when given: "A, along with B, sued")."""
        return list(dict.fromkeys(n for item in joined_with(verb) if before is None or item.i < before
                                  for n in self.names(item, exclude)))

    def generic_inside(self, tok: Token, exclude: set[str]) -> str | None:
        """"generative AI tools such as the chatbot": a definite phrase inside the argument."""
        for t in tok.subtree:
            example = t.dep_ == "pobj" and t.head.lower_ in ("as", "like", "including")
            if t != tok and (example or t.dep_ == "appos") and t.pos_ == "NOUN":
                name = self.generic(t, exclude)
                if name:
                    return name
        return None

    def entity_type(self, name: str) -> str | None:
        return self.types.get(name)

    def is_people(self, tok: Token) -> bool:
        """"employees", "staff", "government departments": who a ban is imposed on."""
        return tok.i not in self.ent_at and self.lexicon.has("people_nouns", tok.lemma_)

    def is_product_like(self, name: str) -> bool:
        entry = self.gazetteer.by_name.get(name)
        return self.types.get(name) == "PRODUCT" or bool(entry and entry.kind == "vendor")

    def nearest(self, i: int, sent, predicate) -> str | None:
        """The entity nearest token i within a sentence that satisfies predicate(name)."""
        best = None
        for j in self.positions_between(sent.start, sent.end):
            name = self.ent_at[j][0]
            if predicate(name):
                if best is None or abs(j - i) < abs(best[0] - i):
                    best = (j, name)
        return best[1] if best else None

    def last_before(self, i: int, predicate, exclude: set[str] = frozenset()) -> str | None:
        """The entity named most recently before token i that satisfies predicate(name)."""
        for j in reversed(self.positions_between(0, i)):
            name = self.ent_at[j][0]
            if name not in exclude and predicate(name):
                return name
        return None

    def most_salient_before(self, i: int, predicate, exclude: set[str] = frozenset()) -> str | None:
        """Of the entities named before token i that satisfy predicate, the story's subject:
        the one most often the target of an event so far, then the one named most often
        ("the app" in a story about DeepSeek that mentions Google Play once), then the latest."""
        counts: dict[str, tuple[int, int, int]] = {}  # name -> (targeted, tokens named before i, last)
        for name, where in self.name_positions.items():
            n = bisect_left(where, i)
            if n and name not in exclude and predicate(name):
                counts[name] = (self.targeted[name], n, where[n - 1])
        return max(counts, key=counts.get) if counts else None

    def most_active_before(self, i: int, exclude: set[str]) -> str | None:
        """The organisation named before token i that has acted in the most events so far."""
        # a description in the sentence that already named X is someone other than X
        words = {t.text for t in self.doc[self.doc[i].sent.start:i]}  # names the model missed count too
        here = {n for n in self.acted if n.split()[0] in words}
        ranked = [n for n, c in self.acted.most_common() if self.named_before(n, i) and n not in exclude | here
                  and self.types.get(n) == "ORG" and c > self.targeted[n] and not self.is_authority(n)]
        return ranked[0] if ranked else None

    def named_before(self, name: str, i: int) -> bool:
        where = self.name_positions.get(name)
        return bool(where) and where[0] < i

    def is_authority(self, name: str) -> bool:
        """A regulator, agency or outlet: never "the company" that acts."""
        entry = self.gazetteer.by_name.get(name)
        return bool(entry and entry.kind == "media") or self.is_public_body(name)

    def is_public_body(self, name: str) -> bool:
        """A regulator, agency or government: never "the company" at all (an outlet may be)."""
        entry = self.gazetteer.by_name.get(name)
        return bool(entry and entry.kind in ("regulator", "agency")) or any(
            w.lower() in REGULATOR_NOUNS | GOVERNMENT_NOUNS for w in name.split())

    def vendor_of(self, product: str) -> str | None:
        """The vendor the gazetteer gives a product, if any."""
        entry = self.gazetteer.by_name.get(product)
        return entry.vendor if entry is not None and entry.type == "PRODUCT" else None

    def makes(self, maker: str, product: str) -> bool:
        """Whether the gazetteer gives `product` as `maker`'s (OpenAI makes ChatGPT)."""
        return self.vendor_of(product) == maker

    def product_of(self, vendor: str, i: int) -> str | None:
        """The vendor's product this story names most, if the gazetteer links one."""
        return self.most_salient_before(
            len(self.doc), lambda n: getattr(self.gazetteer.by_name.get(n), "vendor", None) == vendor)

    def note_actor(self, name: str) -> None:
        """Record that an event's actor is `name` ("the company" acting is likelier the story's actor)."""
        self.acted[name] += 1

    def note_target(self, name: str) -> None:
        """Record that an event targets `name` (the story's subject for coreference)."""
        self.targeted[name] += 1

    def add_entity(self, name: str, etype: str, mention: str) -> None:
        """Record an entity only an event found (e.g. the unnamed researchers)."""
        table = self.doc._.entities
        for row in table:
            if row["name"] == name:
                if mention not in row["mentions"]:
                    row["mentions"].append(mention)
                return
        table.append({"name": name, "type": etype, "mentions": [mention], "vendor": None})
        self.types[name] = etype

    # -- steps --------------------------------------------------------------------
    @staticmethod
    def antecedent(tok: Token) -> Token:
        """A relative pronoun stands for the noun its clause modifies."""
        if tok.lower_ in RELATIVE and tok.head.dep_ == "relcl":
            return tok.head.head
        return tok

    def first_entity_token(self, tok: Token, depth: int = 4, skip: tuple[str, ...] = ()) -> Token | None:
        """Breadth-first over the phrase, in CHILD_ORDER, for a token inside an entity."""
        if tok.i in self.ent_at:
            return tok
        if self.regulator_or_government(tok):
            return None  # "Italy's regulators" is not Italy
        level = [tok]
        for _ in range(depth):
            # a gerund clause ("the start-up, accused of harvesting X's answers") says what was done,
            # not who the phrase names
            children = [c for t in level for c in t.children if c.dep_ not in SKIP_DEPS and c.dep_ not in skip
                        and not (c.dep_ == "pcomp" and c.pos_ == "VERB" or self.verbal_noun(c))]
            children.sort(key=lambda c: CHILD_ORDER.get(c.dep_, 5))
            for c in children:
                if c.i in self.ent_at:
                    root = self.span_at[c.i].root
                    if (root.dep_ in ("compound", "amod", "nmod") and self.is_place_like(c.i)
                            and (head_word(root.head) in COMPANY_NOUNS | PRODUCT_NOUNS
                                 or self.someone_from(root.head))):
                        continue  # "the Oslo start-up", "a Florida mother" are not places
                    if (root.dep_ == "pobj" and root.head.lower_ in ("in", "across", "throughout")
                            and self.is_place_like(c.i) and head_word(root.head.head) in PRODUCT_NOUNS):
                        continue  # "blocked the app in Italy": where, not what
                    return c
            level = children
            if not level:
                break
        return None

    @staticmethod
    def someone_from(head: Token) -> bool:
        """"a Florida mother", "a Texas man": an indefinite common noun a place only locates."""
        return head.pos_ == "NOUN" and any(d.lower_ in ("a", "an") for d in head.children if d.dep_ == "det")

    @staticmethod
    def verbal_noun(tok: Token) -> bool:
        """A gerund the tagger called a noun ("of harvesting Q3's answers"): it has an object."""
        return tok.pos_ == "NOUN" and tok.lower_.endswith("ing") and any(c.dep_ == "dobj" for c in tok.children)

    def is_place_like(self, i: int) -> bool:
        """A place, or a one-word name the model called a firm that the gazetteer does not know
        ("the Oslo company": firms are rarely named by a bare modifier, places often are)."""
        name, etype = self.ent_at[i]
        span = self.span_at[i]
        return etype == "GPE" or (etype == "ORG" and len(span) == 1 and not span.ent_id_
                                  and self.gazetteer.lookup(name) is None
                                  and any(t.lower_ == "the" for t in span.root.head.children))

    @staticmethod
    def phrase(tok: Token) -> str:
        """The noun phrase a head word stands for, without its article or clauses."""
        words = [t for t in tok.subtree if t.i <= tok.i and t.dep_ not in ("det", "punct")]
        return " ".join(t.text for t in words) if words and words[-1].i == tok.i else tok.text

    def regulator_or_government(self, tok: Token) -> bool:
        return tok.lemma_.lower() in REGULATOR_NOUNS | GOVERNMENT_NOUNS and tok.pos_ in ("NOUN", "PROPN")

    def generic(self, tok: Token, exclude: set[str], specific: bool = False) -> str | None:
        """A phrase without a name: a government, a regulator, a pronoun, "the chatbot"."""
        lemma = head_word(tok)
        if tok.pos_ == "PRON" and tok.lower_ in ("it", "its", "they", "their"):
            return self.pronoun(tok, exclude)
        if tok.pos_ == "PRON" and tok.lower_ in PERSON_PRONOUNS:
            return self.person_pronoun(tok, exclude)
        if lemma in GOVERNMENT_NOUNS:
            return self.country_in(tok) or self.salient_country
        if lemma in REGULATOR_NOUNS:
            return self.regulator(tok, exclude)
        # "the company", or "a company that Anthropic accused": a particular one
        determined = specific or any(c.lower_ in DEFINITE for c in tok.children)
        if not determined or tok.tag_ in ("NNS", "NNPS"):
            return None  # "the two companies" names no one in particular
        if lemma in PRODUCT_NOUNS:
            return self.most_salient_before(tok.i, self.is_product_like, exclude)
        if (lemma in COMPANY_NOUNS and (not specific or lemma in FIRM_NOUNS)) or (lemma in INSTITUTION_NOUNS
                                                                              and not specific):
            reported = self.reporting_subject(tok, exclude)  # "X has cut Y off, the company confirmed": X
            if reported:
                return reported
            if tok.dep_ == "nsubj" and self.acted:
                acting = self.most_active_before(tok.i, exclude)
                if acting:
                    return acting  # "In June, the company cut X off": the story's actor, not its target
            return self.most_salient_before(
                tok.i, lambda n: self.types.get(n) == "ORG" and not (lemma in FIRM_NOUNS and self.is_public_body(n)), exclude)
        return None

    def pronoun(self, tok: Token, exclude: set[str]) -> str | None:
        """"it" is the subject of the clause it hangs from, or of the clause above ("X said
        it had fined", "after concluding its inquiry, X ..."); else, for "it", the
        organisation last named. Names in `exclude` (the other party) are passed over."""
        verb = clause_verb(tok.head if tok.dep_ == "poss" else tok)
        for _ in range(3):
            subj = subject(verb)
            if subj is not None and subj.i != tok.i and subj.pos_ != "PRON":
                names = self.names(subj, exclude)
                if names:
                    return names[0]
            if verb.head.i == verb.i:
                break
            verb = clause_verb(verb.head)
        if tok.lower_ not in ("it", "its"):
            return None  # "they" is too often someone unnamed
        if tok.dep_ == "nsubj":
            earlier = self.subject_before(tok, exclude)  # "X is strict; it fined Y": X, not a name inside
            if earlier:
                return earlier
        # a place named as where something happened ("a court in San Francisco") is no antecedent
        return self.last_before(tok.i, lambda n: self.types.get(n) in ("ORG", "GPE"),
                                set(exclude) | self.locations_before(tok.i))

    def person_pronoun(self, tok: Token, exclude: set[str]) -> str | None:
        """"she", "his": the person who is the subject of the clause above ("X said she had
        sued"), else the person last named before it."""
        is_person = lambda n: self.types.get(n) == "PERSON"  # noqa: E731
        verb = clause_verb(tok.head if tok.dep_ == "poss" else tok)
        while verb.head.i != verb.i:
            verb = clause_verb(verb.head)
            subj = subject(verb)
            if subj is not None and subj.pos_ != "PRON":
                names = [n for n in self.names(subj, exclude) if is_person(n)]
                if names:
                    return names[0]
        return self.last_before(tok.i, is_person, exclude)

    def reporting_subject(self, tok: Token, exclude: set[str]) -> str | None:
        """"X did Y, the company said": the subject of the reported clause before it."""
        verb = tok.head
        if tok.dep_ != "nsubj" or not self.lexicon.has("report_verbs", verb.lemma_.lower()):
            return None
        clause = next((c for c in verb.children if c.dep_ == "ccomp" and c.i < tok.i), None)
        subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None) if clause else None
        if subj is None or subj.pos_ == "PRON":
            return None
        names = [n for n in self.names(subj, exclude) if self.types.get(n) == "ORG"]
        return names[0] if names else None

    def subject_before(self, tok: Token, exclude: set[str]) -> str | None:
        """The organisation or country last named as a subject in this sentence before tok."""
        for t in reversed(self.doc[tok.sent.start:tok.i]):
            if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ != "PRON":
                names = [n for n in self.names(t, exclude) if self.types.get(n) in ("ORG", "GPE")]
                if names:
                    return names[0]
        return None

    def locations_before(self, i: int) -> set[str]:
        """Places named before token i only as locations ("in San Francisco")."""
        acting = {name for name, j in self.first_acting.items() if j < i}
        return {name for name, j in self.first_located.items() if j < i} - acting

    def country_in(self, tok: Token) -> str | None:
        """A country named inside a phrase: "Italy's", "the Australian", "of South Korea"."""
        words = [t for t in tok.subtree]
        for t in words:
            hit = self.ent_at.get(t.i)
            if hit and hit[1] == "GPE":
                return hit[0]
        for t in words:
            for phrase in (f"{t.text} {t.nbor().text}" if t.i + 1 < len(self.doc) else "", t.text):
                if phrase in self.demonyms:
                    return self.demonyms[phrase]
        return None

    def regulator(self, tok: Token, exclude: set[str]) -> str | None:
        """"Italy's data regulators", "the watchdog", "the commission": the regulator meant."""
        country = self.country_in(tok)
        if country is None and any(c.lower_ == "local" or c.dep_ == "poss" and c.lemma_.lower() in ("country", "nation")
                                   for c in tok.children):
            country = self.salient_country  # "local regulators", "the country's watchdog"
        described_as = {c.lower_ for c in tok.children if c.dep_ in ("amod", "compound", "nmod")}
        entry = self.gazetteer.regulator_of(country, described_as) if country else None
        if entry is None and country in capitals():
            country = capitals()[country]  # "Rome's privacy watchdog" is Italy's
            entry = self.gazetteer.regulator_of(country, described_as)
        if entry is not None:
            self.add_entity(entry.name, entry.type, self.phrase(tok))
            return entry.name
        definite = any(c.lower_ in DEFINITE or c.dep_ == "poss" for c in tok.children)
        if country is not None and definite:
            # no regulator on file: the one the story names, else "Italy's regulators" act for Italy
            return self.named_regulator(described_as, exclude) or country
        if any(c.lower_ in DEFINITE for c in tok.children):
            word = tok.lemma_.lower()

            def is_regulator(name: str) -> bool:
                e = self.gazetteer.by_name.get(name)
                return bool(e and e.kind in ("regulator", "agency") and self.gazetteer.fits(e, described_as)) \
                    or word in name.lower() or e is None and any(w.lower() in REGULATOR_NOUNS for w in name.split())

            found = self.last_before(tok.i, is_regulator, exclude)
            if found:
                return found
            entry = self.gazetteer.regulator_of(self.salient_country, described_as)
            return entry.name if entry else None
        return None

    def named_regulator(self, described_as: set[str], exclude: set[str]) -> str | None:
        """The one body the story names as a regulator ("... Commission", "... Authority")
        whose name has the description's words ("competition" of "Australia's competition
        regulator"), wherever it is named: a description of a regulator not on file."""
        written = {row["name"]: [row["name"], *row["mentions"]] for row in self.doc._.entities or []}

        def fits(name: str) -> bool:  # by any form the story writes: the ACCC is also its full name
            words = {w.lower() for form in written.get(name, [name]) for w in form.split()}
            return (name not in exclude and self.types.get(name) == "ORG" and bool(words & REGULATOR_NOUNS)
                    and described_as <= words and not self.gazetteer.by_name.get(name))

        found = [name for name in self.name_positions if fits(name)]
        return found[0] if len(found) == 1 else None


def follows_the(tok: Token) -> bool:
    """"The Commission", "the Authority": a capitalised word after "the" is a longer name's short form."""
    return tok.i > 0 and tok.doc[tok.i - 1].lower_ == "the"


def kind_described_by(noun: Token) -> str | None:
    """PRODUCT or ORG, as a common noun describing a name says ("a platform", "a website")."""
    word = noun.lemma_.lower()
    if word in SERVICE_NOUNS:
        return "PRODUCT"
    return "ORG" if word in OUTFIT_NOUNS else None


def joins_a_list(prep: Token) -> bool:
    """"together with", "along with": a preposition that adds an item to a list."""
    return prep.lower_ == "with" and (prep.head.lower_ in ("together", "along")
                                       or any(c.lower_ in ("together", "along") for c in prep.children))


def joined_with(first: Token) -> list[Token]:
    """"A together with B and C", "A along with B": items of one list the parser hung from A
    (or from A's verb) by "with" instead of coordinating them; the parser hangs "with" under
    "along" as often as "along" under "with"."""
    preps = [prep for prep in first.children if prep.dep_ == "prep"]
    preps += [c for prep in preps if prep.lower_ in ("together", "along") for c in prep.children
              if c.dep_ == "prep" and c.lower_ == "with"]
    return [item for prep in preps if joins_a_list(prep)
            for obj in prep.children if obj.dep_ == "pobj" for item in (obj, *obj.conjuncts)]


def currency_qualifiers(doc: Doc) -> set[int]:
    """Tokens of a place that only says which currency: "(U.S. $19.9 million)". A place before an
    amount that is an argument ("pay Texas $1.4 billion") is the payee, not the currency."""
    return {t.i for ent in doc.ents if ent.label_ == "GPE" and ent.end < len(doc) and doc[ent.end].tag_ == "$"
            and ent.root.dep_ not in ARGUMENT_DEPS for t in ent}


def courts(doc: Doc) -> set[int]:
    """Tokens of a court's name ("San Francisco Superior Court"), as the party gate knows one."""
    return {t.i for ent in doc.ents if ent.label_ in ("ORG", "FAC") and COURT.search(ent.text) for t in ent}


def describing_names(doc: Doc) -> set[int]:
    """Tokens of a name that only describes the party after it: "US-based Clearview AI", "the
    Microsoft-backed AI company", "a China-linked cluster"."""
    return {t.i for ent in doc.ents if ent.end + 1 < len(doc) and doc[ent.end].tag_ == "HYPH"
            and doc[ent.end + 1].tag_ == "VBN" for t in ent}
