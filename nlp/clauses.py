"""Reading a clause off the dependency parse: its subject, object, voice, and whether it
asserts anything (negation, modality, hedges, questions, conditions)."""
from __future__ import annotations

from spacy.tokens import Token

from nlp.resources import Lexicon

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# Clauses whose missing subject is the subject of the clause they hang from.
INHERITS_SUBJECT = ("xcomp", "conj", "advcl", "pcomp", "acl", "relcl", "ccomp")


def child(tok: Token, *deps: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def clause_verb(tok: Token) -> Token:
    """The verb a token belongs to (the verb itself, or the one a noun hangs from)."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head != tok:
        tok = tok.head
    return tok


def subject(verb: Token) -> Token | None:
    """The subject of a verb, climbing to the governing clause when it has none of its own
    ("Alibaba will [forbid]", "decided to [suspend]", "By [cutting] X off, Anthropic ...")."""
    for _ in range(6):
        subj = child(verb, *SUBJECT_DEPS)
        if subj is not None:
            return subj
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head  # a participle's subject is the noun it modifies
        if verb.dep_ == "xcomp" and child(verb.head, "dobj") is not None:
            return child(verb.head, "dobj")  # "led the commission to open an inquiry"
        if verb.dep_ == "pcomp":
            verb = clause_verb(verb.head.head)
        elif verb.dep_ in INHERITS_SUBJECT and verb.head != verb:
            verb = verb.head
        else:
            return None
    return None


def governing_subject(verb: Token) -> Token | None:
    """The subject of the clause this one is subordinate to (its head's subject)."""
    head = verb.head
    if head == verb:
        return None
    return subject(clause_verb(head))


def report_verb_above(tok: Token, lexicon: Lexicon) -> Token | None:
    """The reporting verb ("said", "reported") whose complement holds tok, if any."""
    verb = clause_verb(tok)
    for _ in range(4):
        if verb.dep_ in ("ccomp", "xcomp", "conj") and verb.head != verb:
            verb = verb.head
            if lexicon.lemma(verb) in lexicon.words["report_verbs"]:
                return verb
        else:
            return None
    return None


def governors(tok: Token) -> list[Token]:
    """The trigger and the words it hangs from up to the clause that asserts it:
    "is [considering] a ban", "[plans] to ban", "[could] ban"."""
    chain = [tok]
    cur = tok
    while cur.head != cur and (cur.dep_ in ("xcomp", "dobj", "pobj", "prep", "attr", "nsubjpass", "acomp")
                                   or (cur.dep_ == "compound" and cur.pos_ == "NOUN")):
        cur = cur.head
        chain.append(cur)
    return chain


def is_hedged(tok: Token, lexicon: Lexicon) -> bool:
    """Negated, modal, planned, conditional or asked: the text does not assert the event."""
    if tok.sent.text.rstrip().rstrip('"\u201d\'').endswith("?"):
        return True
    for g in governors(tok):
        if g != tok and lexicon.lemma(g) in lexicon.words["hedge_verbs"]:
            return True
        if g != tok and lexicon.lemma(g) in lexicon.words["request_verbs"] and not asks_own_people(g, lexicon):
            return True
        for c in g.children:
            word = c.lower_
            if c.dep_ == "neg" or word in ("never", "no"):
                if c.dep_ == "neg" or c.dep_ == "det" and g == tok:
                    return True
            if c.dep_ == "aux" and word in lexicon.words["modals"]:
                if not (word == "would" and report_verb_above(g, lexicon) is not None):
                    return True
            if c.dep_ == "mark" and word in ("if", "unless", "whether"):
                return True
    return False


def asks_own_people(request: Token, lexicon: Lexicon) -> bool:
    """"asked its teachers to ban ChatGPT", "urged employees not to share code": a request to
    one's own people is an order; one to a named party ("asked Apple and Google to pull
    DeepSeek") or to anyone else ("called on the government to ban") asks for an act the text
    does not assert."""
    addressee = child(request, "dobj")
    if addressee is None:
        on = next((c for c in request.children if c.dep_ == "prep" and c.lower_ == "on"), None)
        addressee = child(on, "pobj") if on is not None else None
    if addressee is None or addressee.pos_ == "PROPN" or addressee.ent_type_:
        return False
    return lexicon.has("people_nouns", addressee.lemma_.lower()) or child(addressee, "poss") is not None


def hearsay(tok: Token, lexicon: Lexicon) -> bool:
    """"reportedly", "allegedly", or a clause someone only claims: reported, not established."""
    for g in governors(tok) + [clause_verb(tok)]:
        if any(c.lower_ in lexicon.words["hearsay_markers"] for c in g.children):
            return True
    verb = clause_verb(tok)
    if verb.dep_ == "ccomp" and lexicon.lemma(verb.head) in ("claim", "allege"):
        return True
    return False
