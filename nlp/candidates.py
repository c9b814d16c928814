"""Candidate events: every (trigger, actor, target) a sentence could state, with the features
the trained scorer (nlp/scorer.py) weighs to decide which ones the text asserts.

A candidate comes from a frame trigger (nlp/frames.py) and an ordered pair of mentions in
its sentence: named entities, and pronouns or "the company / the agency / the app" resolved
to a named entity of the story (nlp/mentions.py); every item of a list is a mention of its
own, and a list in the next sentence may name the targets of an event whose own sentence
names none (`listed_next`). The events the hand-written rules found are candidates too,
marked as such, so the scorer learns how far to trust each rule. Nothing here decides; it
only describes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from nlp.clauses import clause_verb, hearsay, is_hedged, is_passive
from nlp.frames import Frame, Frames, Trigger
from nlp.lists import is_list_item, list_root
from nlp.mentions import (COMPANY_NOUNS, GOVERNMENT_NOUNS, INSTITUTION_NOUNS, PRODUCT_NOUNS, REGULATOR_NOUNS,
                          MentionResolver)
from nlp.stop_types import CRAWLER

REFERRING_PRONOUNS = {"it", "they", "its", "their", "them", "he", "she", "his", "her"}
GENERIC_NOUNS = COMPANY_NOUNS | REGULATOR_NOUNS | GOVERNMENT_NOUNS | PRODUCT_NOUNS | INSTITUTION_NOUNS
DEFINITE = {"the", "this", "that", "its", "their"}
PHRASE_DEPS = ("compound", "poss", "amod", "nmod", "appos", "conj", "flat")
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
DOWN_DEPS = ("xcomp", "ccomp", "advcl", "conj", "acl", "relcl", "pcomp", "dobj", "attr")
MAX_PATH = 6
MAX_MENTIONS = 20
"""Mentions of one sentence considered as parties; a longer list is a list of names, and
its items beyond this many are rarely parties to the sentence's event."""


@dataclass(frozen=True)
class Mention:
    """A party a sentence names: its canonical name and type, the token heading it, and how
    it was found (a name, a resolved pronoun or description, or unnamed researchers)."""

    name: str
    type: str
    head: Token
    how: str


@dataclass(frozen=True)
class Party:
    """A mention as one trigger sees it: its slot, dependency path and kind of party."""

    mention: Mention
    slot: str
    path: str
    kind: str


@dataclass
class Candidate:
    type: str
    actor: Mention
    target: Mention
    trigger: Token
    features: dict[str, float] = field(default_factory=dict)
    rule_event: dict | None = None  # the rules' event dict, when the rules found it too
    kinds: tuple[str, str] = ("ORG", "ORG")  # what sort of party the actor and the target are
    own_product: bool = False  # the target is a product the actor makes
    vectors: dict = field(default_factory=dict)  # dense feature blocks, prefix -> vector (nlp/sentence_meaning.py)
    headlined: bool = False  # the headline names the actor or the target


def sentence_mentions(sent: Span, r: MentionResolver, finder_name: str, finder_nouns: set[str]) -> list[Mention]:
    """The parties a sentence names, each once per head token, in text order."""
    found: dict[int, Mention] = {}
    for ent in sent.ents:
        name = ent._.canonical
        if name and ent.root.i not in r.never_parties:
            found.setdefault(ent.root.i, Mention(name, r.entity_type(name) or ent.label_, ent.root, "name"))
    for tok in sent:
        if tok.i in r.ent_at or tok.i in found:
            continue
        if described := national_description(tok, r):  # its country says which; never another's
            found[tok.i] = Mention(described, "ORG", tok, "described")
        elif tok.lower_ in REFERRING_PRONOUNS and tok.pos_ == "PRON" or is_generic_description(tok):
            if tok.dep_ == "appos" and tok.head.i in r.ent_at:
                continue  # "Stability AI, the developer of Stable Diffusion" describes Stability AI
            names = r.names(tok)
            if names:
                found[tok.i] = Mention(names[0], r.entity_type(names[0]) or "ORG", tok, "resolved")
        elif tok.lemma_.lower() in finder_nouns and tok.pos_ == "NOUN" and not tok.ent_type_:
            found[tok.i] = Mention(finder_name, "ORG", tok, "finder")
        elif is_list_item(tok):  # "seven firms: A, B and C": the model misses many names in lists
            item = r.unlabelled(tok, listed=True)
            if item is not None:
                found[tok.i] = Mention(item[0], r.entity_type(item[0]) or item[1], tok, "listed")
    return [as_listed_product(found[i]) for i in sorted(found)][:MAX_MENTIONS]


def as_listed_product(mention: Mention) -> Mention:
    """An item of a list of products ("chatbot apps, including OpenCat and ChatGAi Plus") is a
    product, whatever the entity model called it."""
    if mention.how not in ("name", "listed") or mention.type == "PRODUCT" or not lists_products(mention.head):
        return mention
    return Mention(mention.name, "PRODUCT", mention.head, mention.how)


def lists_products(tok: Token) -> bool:
    """Whether tok is an item of a list of products ("chatbot apps, including OpenCat and ChatGAi Plus")."""
    head = tok.doc[list_root(tok)]
    return head.i != tok.i and head.lemma_.lower() in PRODUCT_NOUNS


def is_generic_description(tok: Token) -> bool:
    """"the company", "the watchdog", "its app": a description that refers to a named party."""
    common_noun = tok.pos_ == "NOUN" or tok.pos_ == "PROPN" and tok.is_lower  # the tagger's "the start-up"
    return (common_noun and tok.lemma_.lower() in GENERIC_NOUNS
            and any(c.lower_ in DEFINITE and c.dep_ in ("det", "poss") for c in tok.children))


def national_description(tok: Token, r: MentionResolver) -> str | None:
    """"the Czech government": an authority named by a country the places data does not know,
    named by those words (a known country's government is the country, its watchdog the
    regulator on file, as the resolver says), never taken for the story's salient country."""
    if tok.lemma_.lower() not in GOVERNMENT_NOUNS | REGULATOR_NOUNS | INSTITUTION_NOUNS:
        return None
    country = next((c for c in tok.children if c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE")
                    and c.i < tok.i), None)
    if country is None or r.country_in(tok) is not None:
        return None
    return tok.doc[country.i:tok.i + 1].text


def slot(trigger: Token, tok: Token, bearer_verbs: frozenset[str] = frozenset()) -> str:
    """The grammatical slot a mention fills relative to the trigger (see data/event_frames.json)."""
    if is_bearer(trigger, phrase_head(tok), bearer_verbs):
        return "bearer>nsubj"
    marks = ""
    for _ in range(6):
        if tok.head == trigger and tok != trigger:
            return tok.dep_ + marks
        if tok.dep_ == "pobj" and tok.head.dep_ in ("prep", "agent"):
            prep = tok.head
            if prep.head == trigger:
                return f"{'agent' if is_agent(prep) else 'prep'}:{prep.lower_}>pobj{marks}"
            if prep.head.head == trigger and prep.head != trigger:
                if prep.lower_ == "by" and is_passive(trigger):
                    # "was fined $20m by X": the parser hangs the agent on the amount
                    return f"agent:by>pobj{marks}"
                return f"{prep.head.dep_}>prep:{prep.lower_}>pobj{marks}"
        if tok.dep_ in PHRASE_DEPS and tok.head != tok:
            if tok.dep_ == "poss" and not marks:
                marks = "~poss"
            tok = tok.head
            continue
        break
    if tok.dep_ in SUBJECT_DEPS and tok.head == trigger.head and trigger.dep_ in DOWN_DEPS:
        return f"gov>{tok.dep_}"
    if tok.head.head == trigger and tok.head.dep_ in DOWN_DEPS:
        return f"{tok.head.dep_}>{tok.dep_}"
    if tok.head.head.head == trigger and tok.head.dep_ in DOWN_DEPS and tok.head.head.dep_ in DOWN_DEPS:
        return f"{tok.head.head.dep_}>{tok.head.dep_}>{tok.dep_}"
    governor = trigger.head
    if tok.dep_ in SUBJECT_DEPS and governor.head == tok.head and governor.dep_ in DOWN_DEPS:
        return f"gov2>{tok.dep_}"
    return "other"


def is_agent(prep: Token) -> bool:
    """"was sued by X", "a lawsuit by X": who does what a passive verb or an event noun names."""
    return prep.dep_ == "agent" or prep.lower_ == "by" and prep.head.pos_ == "NOUN"


def phrase_head(tok: Token) -> Token:
    """The head of the noun phrase tok is part of: "Trade" in "the Federal Trade Commission"
    climbs to "Commission"; a possessive ("Meta's lawyers") stays where it is."""
    for _ in range(6):
        if tok.dep_ not in PHRASE_DEPS or tok.dep_ == "poss" or tok.head == tok:
            break
        tok = tok.head
    return tok


def bearing_verb(trigger: Token, bearer_verbs: frozenset[str]) -> Token | None:
    """The verb whose subject undergoes an event noun: "X faces a lawsuit", "X drew a fine",
    "X came under investigation"."""
    if trigger.pos_ != "NOUN":
        return None
    if trigger.dep_ in ("dobj", "attr") and trigger.head.lemma_.lower() in bearer_verbs:
        return trigger.head
    if trigger.dep_ == "pobj" and trigger.head.lower_ == "under" and trigger.head.head.pos_ in ("VERB", "AUX"):
        return trigger.head.head
    return None


def is_bearer(trigger: Token, tok: Token, bearer_verbs: frozenset[str]) -> bool:
    """Whether tok is the subject of the verb through which it undergoes the event noun trigger."""
    verb = bearing_verb(trigger, bearer_verbs)
    return verb is not None and tok.head == verb and tok.dep_ in ("nsubj", "nsubjpass")


def dep_path(trigger: Token, tok: Token) -> str:
    """The dependency path from the trigger up to the common ancestor and down to the mention."""
    up_chain = [trigger, *trigger.ancestors]
    positions = {t.i: n for n, t in enumerate(up_chain)}
    down = []
    node = tok
    while node.i not in positions:
        down.append(node.dep_)
        if node.head == node or len(down) > MAX_PATH:
            return "far"
        node = node.head
    up = [t.dep_ for t in up_chain[:positions[node.i]]]
    if len(up) + len(down) > MAX_PATH:
        return "far"
    return "^".join(up) + "|" + "v".join(reversed(down))


def propose(doc: Doc, r: MentionResolver, frames: Frames, rule_events: list[dict], lexicon) -> list[Candidate]:
    """Every candidate event of the Doc, the rules' events among them, with features."""
    finder_name = lexicon.finder_name
    finder_nouns = set(lexicon.words["finder_nouns"])
    holder_nouns = {w for key in ("holder_nouns", "people_nouns", "access_nouns") for w in lexicon.words[key]}
    crawler_nouns = set(lexicon.words["crawler_nouns"])
    bearer_verbs = lexicon.words["bearer_verbs"]
    title_chars = doc.user_data.get("title_chars", 0)
    by_sentence: dict[int, list[Trigger]] = {}
    for trig in frames.triggers(doc):
        by_sentence.setdefault(trig.token.sent.start, []).append(trig)
    rules_by_key = {(e["type"], e["actor"], e["target"], e["sent_start"]): e
                    for e in rule_events if e.get("actor") and e.get("target") and not e.get("anaphor")}
    candidates: dict[tuple, Candidate] = {}
    mentions_by_sentence: dict[int, list[Mention]] = {}
    actors_by_sentence: dict[int, list[tuple[Trigger, Party, dict]]] = {}  # who acts each trigger, by frame
    # (sentence, type) where the rules or a frame slot find that type's target: no list after it adds targets
    targeted = {(e["sent_start"], e["type"]) for e in rules_by_key.values()}
    for triggers in by_sentence.values():
        sent = triggers[0].token.sent
        mentions = mentions_by_sentence[sent.start] = sentence_mentions(sent, r, finder_name, finder_nouns)
        kinds = [CRAWLER if sends_crawler(m.head, crawler_nouns) else party_kind(m, r) for m in mentions]
        holders = {m.head.i: h for m in mentions if (h := holder_of(m.head, holder_nouns)) is not None}
        context = sentence_context(sent, mentions, title_chars)
        heads = {m.head.i for m in mentions}
        for trig in triggers:
            if is_hedged(trig.token, lexicon) or is_being_lifted(trig, lexicon):
                continue  # negated, modal, planned, asked or undone: the text does not assert it
            # what depends on the trigger alone, or on one party alone, is computed once
            shared = trigger_features(trig, lexicon) | context | company_of(trig, triggers)
            parties = [Party(m, slot(trig.token, holders.get(m.head.i, m.head), bearer_verbs),
                             dep_path(trig.token, m.head), kind)
                       for m, kind in zip(mentions, kinds) if not describes_another_party(m.head, trig.token, heads)]
            frame = frames.frames[trig.type]
            if any(p.slot in frame.target_slots for p in parties):
                targeted.add((sent.start_char, trig.type))
            actors_by_sentence.setdefault(sent.start, []).extend(
                (trig, p, shared) for p in parties if p.slot in frame.actor_slots)
            for actor in parties:
                for target in parties:
                    if actor.mention.name == target.mention.name:
                        continue
                    key = (trig.type, actor.mention.name, target.mention.name, sent.start_char)
                    features = pair_features(trig, actor, target, frames.frames[trig.type], r) | shared
                    best = candidates.get(key)
                    if best is None or frame_fit(features) > frame_fit(best.features):
                        candidates[key] = Candidate(trig.type, actor.mention, target.mention, trig.token, features,
                                                    kinds=(actor.kind, target.kind),
                                                    own_product=r.makes(actor.mention.name, target.mention.name))
    for cand in listed_next(doc, r, frames, actors_by_sentence, targeted, mentions_by_sentence,
                            finder_name, finder_nouns):
        candidates.setdefault((cand.type, cand.actor.name, cand.target.name, cand.trigger.sent.start_char), cand)
    for key, event in rules_by_key.items():
        cand = candidates.get(key) or rule_only_candidate(doc, event, r, title_chars, finder_name)
        cand.rule_event = event
        cand.features.update({"rule": 1.0, f"rule={event['method']}": 1.0, f"{event['type']}|rule": 1.0,
                              f"{event['type']}|rule={event['method']}": 1.0})
        candidates[key] = cand
    rule_types: dict[tuple, set[str]] = {}
    for etype, *pair in rules_by_key:
        rule_types.setdefault(tuple(pair), set()).add(etype)
    ruled_triggers = {e["trigger_i"] for e in rules_by_key.values()}
    for cand in candidates.values():
        types = rule_types.get((cand.actor.name, cand.target.name, cand.trigger.sent.start_char), set())
        if cand.rule_event is None and types - {cand.type}:
            cand.features["rules_chose_other_type"] = 1.0
        if cand.rule_event is None and cand.trigger.i in ruled_triggers:
            cand.features["rules_read_this_word_otherwise"] = 1.0  # list siblings still follow (nlp/lists.py)
    headline_names = {ent._.canonical for ent in doc.ents if ent.start_char < title_chars}
    for cand in candidates.values():
        cand.headlined = bool({cand.actor.name, cand.target.name} & headline_names)  # not a feature: it did not help
    return list(candidates.values())


def listed_next(doc: Doc, r: MentionResolver, frames: Frames, actors_by_sentence: dict[int, list],
                targeted: set[tuple[int, str]], mentions_by_sentence: dict[int, list[Mention]],
                finder_name: str, finder_nouns: set[str]) -> list[Candidate]:
    """"Microsoft sued ten people. The complaint names them as A, B and C", "The FTC sent
    orders to seven firms: A, B, ...": a list in the sentence after a trigger may name the
    targets of the trigger's event when its own sentence names none, its actor the one that
    sentence gives. Each item is a candidate marked by its slot, "next_list", and by where
    the list sits in its sentence; the scorer learns how far such lists are the event's
    targets, and an accepted item spreads to its list (nlp/lists.py)."""
    found = []
    for start, actors in actors_by_sentence.items():
        sent = doc[start].sent
        if sent.end >= len(doc):
            continue
        following = doc[sent.end].sent
        if following.start in mentions_by_sentence:  # a sentence with triggers of its own: its parties are known
            mentions = mentions_by_sentence[following.start]
        else:
            mentions = sentence_mentions(following, r, finder_name, finder_nouns)
        lists: dict[int, list[Mention]] = {}
        for m in mentions:
            if is_list_item(m.head):
                lists.setdefault(list_root(m.head), []).append(m)
        items = [(m, list_place(doc[root])) for root, group in lists.items() if len(group) > 1 for m in group]
        for trig, actor, shared in actors:
            if (sent.start_char, trig.type) in targeted:
                continue  # the event's own sentence names its target: a list after it is other news
            t = trig.type
            for item, place in items:
                if item.name == actor.mention.name:
                    continue
                target = Party(item, "next_list", "next_list", party_kind(item, r))
                features = pair_features(trig, actor, target, frames.frames[t], r) | shared | {
                    "next_list": 1.0, f"{t}|next_list": 1.0,
                    **{f"next_list_{k}": 1.0 for k in place}, **{f"{t}|next_list_{k}": 1.0 for k in place}}
                found.append(Candidate(t, actor.mention, item, trig.token, features, kinds=(actor.kind, target.kind),
                                       own_product=r.makes(actor.mention.name, item.name)))
    return found


def list_place(root: Token) -> tuple[str, str]:
    """Where a list sits in its sentence: its dependency and its clause's verb ("The orders
    went to seven firms: A, B" is a list of recipients; "Rivals such as A and B declined to
    comment" one of subjects that act on their own)."""
    return f"dep={root.dep_}", f"verb={clause_verb(root).lemma_.lower()}"


def describes_another_party(tok: Token, trigger: Token, party_heads: set[int]) -> bool:
    """"Penske Media, which owns Rolling Stone, sued Google", "OpenAI, the company run by Sam
    Altman, suspended ByteDance": a name inside a clause that describes another party is no
    argument of a trigger outside that clause."""
    while tok.head.i != tok.i:
        if tok.dep_ in ("relcl", "acl"):
            if tok.left_edge.i <= trigger.i <= tok.right_edge.i:
                return False
            described = tok.head
            # a participle on a product says who made it ("the McHire platform built by Paradox.ai"), which may be a party
            # "Cuba, where OpenAI does not offer its services" says what happens there, not who Cuba is
            circumstantial = any(c.lower_ in ("where", "when") for c in tok.children)
            return (tok.dep_ == "relcl" and described.i in party_heads and not circumstantial
                    or described.dep_ == "appos" and described.head.i in party_heads)
        tok = tok.head
    return False


def holder_of(tok: Token, holder_nouns: set[str]) -> Token | None:
    """"suspended the account of Delphi", "shuts down users in China", "employees of Stability
    AI": a party named through what it holds or who works for it fills that noun's slot."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in ("of", "at", "in", "from"):
        return None
    holder = prep.head
    return holder if holder.pos_ == "NOUN" and holder.lemma_.lower() in holder_nouns else None


def sends_crawler(tok: Token, crawler_nouns: set[str]) -> bool:
    """"OpenAI's web crawler", "the OpenAI crawler": the party is named as the owner of a crawler."""
    return tok.dep_ in ("poss", "compound", "nmod") and tok.head.pos_ == "NOUN" \
        and tok.head.lemma_.lower() in crawler_nouns


def is_being_lifted(trig: Trigger, lexicon) -> bool:
    """"Italy lifted its ban on ChatGPT": the sentence states the lifting (a ban_lifted of
    its own), not a ban, and its date is the lifting's."""
    tok = trig.token
    return (trig.type in ("ban", "access_cutoff") and tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "nsubjpass")
            and tok.head.lemma_.lower() in lexicon.words["lift_verbs"])


def company_of(trig: Trigger, triggers: list[Trigger]) -> dict[str, float]:
    """Whether another word of the sentence states the same type ("the lawsuit accuses X
    of ...": "accuses" is a lawsuit's only beside a suit word; alone it is an allegation)."""
    others = [t for t in triggers if t.type == trig.type and t.token.i != trig.token.i]
    return {f"{trig.type}|same_type_word": 1.0} if others else {f"{trig.type}|alone": 1.0}


def party_list(mention: Mention) -> int | None:
    """The list a party is an item of (nlp/lists.py); a party only the rules found has no
    token of its own and is in none."""
    return None if mention.how == "rule" else list_root(mention.head)


def frame_fit(features: dict[str, float]) -> float:
    return features.get("frame_actor", 0) + features.get("frame_target", 0) + features.get("frame_both", 0)


def rule_only_candidate(doc: Doc, event: dict, r: MentionResolver, title_chars: int, finder_name: str) -> Candidate:
    """A candidate for an event only the rules found (a phrasing no frame word marks)."""
    trigger = doc[event["trigger_i"]]

    def mention(name: str) -> Mention:
        return Mention(name, r.entity_type(name) or "ORG", trigger, "finder" if name == finder_name else "rule")

    features = {"bias": 1.0, f"type={event['type']}": 1.0, "rule_only": 1.0}
    if event["sent_start"] < title_chars:
        features["in_title"] = 1.0
    actor, target = mention(event["actor"]), mention(event["target"])
    return Candidate(event["type"], actor, target, trigger, features, kinds=(party_kind(actor, r), party_kind(target, r)),
                     own_product=r.makes(actor.name, target.name))


def sentence_context(sent: Span, mentions: list[Mention], title_chars: int) -> dict[str, float]:
    features = {"bias": 1.0, f"mentions={min(len(mentions), 6)}": 1.0}
    if sent.start_char < title_chars:
        features["in_title"] = 1.0
    if sent.text.rstrip().rstrip('"\u201d\'').endswith("?"):
        features["question"] = 1.0
    return features


def trigger_features(trig: Trigger, lexicon) -> dict[str, float]:
    """Features of the trigger alone: its word, use and part of speech, its clause's verb,
    and whether the event is only hearsay."""
    t = trig.type
    tok = trig.token
    lemma = tok.lemma_.lower()
    f = {f"type={t}": 1.0, f"{t}|lemma={lemma}": 1.0, f"{t}|use={trig.use}": 1.0, f"{t}|pos={tok.pos_}": 1.0}
    if hearsay(tok, lexicon):
        f["hearsay"] = 1.0
    verb = clause_verb(tok)
    if verb is not tok:
        f[f"{t}|clause_verb={verb.lemma_.lower()}"] = 1.0
    return f


def pair_features(trig: Trigger, actor: Party, target: Party, frame: Frame, r: MentionResolver) -> dict[str, float]:
    """Features of one (actor, target) pair under a trigger: the slots and paths of both
    parties, what kinds of party they are, their order and distance, who makes what."""
    t = trig.type
    tok = trig.token
    lemma = tok.lemma_.lower()
    a_slot, t_slot = actor.slot, target.slot
    f = {
        f"{t}|aslot={a_slot}": 1.0,
        f"{t}|tslot={t_slot}": 1.0,
        f"{t}|slots={a_slot}|{t_slot}": 1.0,
        f"{t}|{lemma}|tslot={t_slot}": 1.0,
        f"{t}|{lemma}|aslot={a_slot}": 1.0,
        f"aslot={a_slot}": 1.0,
        f"tslot={t_slot}": 1.0,
        f"{t}|apath={actor.path}": 1.0,
        f"{t}|tpath={target.path}": 1.0,
        f"{t}|akind={actor.kind}": 1.0,
        f"{t}|tkind={target.kind}": 1.0,
        f"{t}|kinds={actor.kind}|{target.kind}": 1.0,
        f"{t}|{lemma}|akind={actor.kind}": 1.0,
        f"{t}|ahow={actor.mention.how}": 1.0,
        f"{t}|thow={target.mention.how}": 1.0,
        f"{t}|order={order(actor.mention.head, tok, target.mention.head)}": 1.0,
        f"adist={distance_bucket(actor.mention.head, tok)}": 1.0,
        f"tdist={distance_bucket(target.mention.head, tok)}": 1.0,
    }
    if a_slot in frame.actor_slots:
        f["frame_actor"] = 1.0
        f[f"{t}|frame_actor"] = 1.0
    if t_slot in frame.target_slots:
        f["frame_target"] = 1.0
        f[f"{t}|frame_target"] = 1.0
    if a_slot in frame.actor_slots and t_slot in frame.target_slots:
        f["frame_both"] = 1.0
        f[f"{t}|frame_both"] = 1.0
    if a_slot == "other" and t_slot == "other":
        f["neither_slotted"] = 1.0
    shared = shared_list(actor.mention, target.mention)
    if shared:
        f[shared] = 1.0  # "A, B and C restricted X": items of one list are peers, not actor and target
        f[f"{t}|{shared}"] = 1.0
    if r.makes(actor.mention.name, target.mention.name):
        f[f"{t}|actor_makes_target"] = 1.0
    if r.makes(target.mention.name, actor.mention.name):
        f[f"{t}|target_makes_actor"] = 1.0
    return f


def shared_list(actor: Mention, target: Mention) -> str | None:
    """Whether the two parties hang in one list: "list_peers" when both are its items,
    "list_head" when one is the noun the other is listed under (None: no list in common)."""
    root = party_list(actor)
    if root is None or root != party_list(target):
        return None
    return "list_head" if root in (actor.head.i, target.head.i) else "list_peers"


def party_kind(mention: Mention, r: MentionResolver) -> str:
    """What sort of party: the gazetteer's kind (vendor, regulator, agency, media...), else
    the entity type; unnamed researchers are their own kind."""
    if mention.how == "finder":
        return "finder"
    entry = r.gazetteer.by_name.get(mention.name)
    if entry is not None and entry.kind:
        return entry.kind
    if r.is_authority(mention.name):
        return "authority"
    return mention.type


def order(actor: Token, trigger: Token, target: Token) -> str:
    positions = sorted([(actor.i, "A"), (trigger.i, "T"), (target.i, "B")])
    return "".join(label for _, label in positions)


def distance_bucket(a: Token, b: Token) -> str:
    gap = abs(a.i - b.i)
    return "0-2" if gap <= 2 else "3-6" if gap <= 6 else "7-15" if gap <= 15 else "16+"
