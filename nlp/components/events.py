"""incident_events: who did what to whom, read off the dependency parse.

Finds triggers from the event lexicon (data/nlp_events.json) and takes actor and target
from the parse: active ("X has banned Y"), passive ("Y was banned by X"), nominal ("X's
ban on Y", "X imposed a fine on Y", "allegations that Y stole X's ..."), and reported
speech ("researchers found hidden code in Y"). Negated, modal, planned, conditional and
questioned triggers are skipped. A definite mention without arguments ("The ban, effective
10 July") is kept as an anaphor so `incident_dates` can date the event it refers to.

The rules keep the events they find: they are precise on the phrasings they know.
Event frames (data/event_frames.json) propose every other (trigger, actor, target) a
sentence could state, and a trained scorer (data/event_scorer.json, nlp/scorer.py) decides
which of those the text asserts, with the rules' findings among its features: a phrasing
nobody wrote a rule for is still read. A story in which neither the rules nor the
threshold settle an event keeps its likeliest candidate if that is probable enough and
the headline names one of its parties (`EventScorer.accepts`). Without a scorer file the
rules' events are all.

Sets `doc._.events`: a list of dicts with type, actor, target, trigger, trigger_i,
sent_start, evidence, method, stance, date (None here), anaphor, now, and `score` (the
scorer's probability) on decided events.
"""
from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from incidents.model import GUESSED
from nlp.candidates import Candidate, party_list, propose

from nlp.clauses import (child, children, clause_verb, governing_subject, hearsay, is_hedged, is_passive,
                         report_verb_above, subject)
from nlp.event_merge import of_story_suit, suits_charges, with_plaintiffs, without_agency_doubles, without_doubles
from nlp.frames import FRAMES_PATH, Frames
from nlp.lists import row_key, spread_over_lists
from nlp.mentions import MentionResolver, joins_a_list
from nlp.phrasings import PhrasingRules
from nlp.resources import GAZETTEER_PATH, LEXICON_PATH, PLACES_PATH, demonyms, gazetteer, lexicon
from nlp.scorer import SCORER_PATH, EventScorer
from nlp.sentence_meaning import as_features, with_sentence_meaning
from nlp.stop_types import stop_type

TARGET_PREPS = ("from", "on", "against", "for", "to", "into", "over", "of", "in", "with")
DATA_NOUNS = {"data", "information", "code", "secret", "record", "file", "document", "detail",
              "conversation", "prompt", "credential", "source", "email", "key", "password", "history"}
SYSTEM_NOUNS = {"system", "server", "database", "network", "account", "infrastructure"} | DATA_NOUNS
USE_NOUNS = {"download", "use", "usage", "access", "sale", "service", "installation"}
# "The watchdog began its inquiry": unless the text says into what, into the story's subject.
STORY_SUBJECT_TYPES = ("investigation",)
THING_TARGETED = ("ban", "ban_lifted", "security_finding", "breach", "access_cutoff")
BAN_STATE_ADJECTIVES = {"unavailable", "inaccessible", "off-limits"}


class EventMatcher(PhrasingRules):
    def __init__(self, lexicon_path: str, gazetteer_path: str, places_path: str,
                 frames_path: str = str(FRAMES_PATH), scorer_path: str = str(SCORER_PATH)):
        self.lex = lexicon(lexicon_path)
        self.gazetteer = gazetteer(gazetteer_path)
        self.demonyms = demonyms(places_path)
        self.frames = Frames(frames_path)
        self.scorer = EventScorer.from_disk(scorer_path) if scorer_path and Path(scorer_path).exists() else None
        self.collect = False  # training: keep every candidate with its features in doc.user_data

    def __call__(self, doc: Doc) -> Doc:
        if doc._.entities is None:
            doc._.entities = []
        resolver = MentionResolver(doc, self.gazetteer, self.lex, self.demonyms)
        doc._.trigger_count = 0
        found: list[dict] = []
        seen: set[tuple] = set()  # keys of `found`: a set, as scanning the list was quadratic in length
        for sent in doc.sents:
            for tok in sent:
                for event in self.events_at(tok, resolver, found):
                    if self.key(event) not in seen:
                        seen.add(self.key(event))
                        found.append(event)
                        if event["target"]:
                            resolver.note_target(event["target"])
                        if event["actor"] and event["target"]:
                            resolver.note_actor(event["actor"])
        rule_events = without_agency_doubles(with_plaintiffs(suits_charges(found)), self.gazetteer)
        if self.scorer is None and not self.collect:
            doc._.events = rule_events
            return doc
        candidates = propose(doc, resolver, self.frames, rule_events, self.lex)
        with_sentence_meaning(candidates)
        if self.collect:
            doc.user_data["event_candidates"] = [candidate_row(c) for c in candidates]
        if self.scorer is None:
            doc._.events = rule_events
            return doc
        scores = [self.scorer.probability(c.features, c.vectors) for c in candidates]
        doc._.event_score = max(scores, default=0.0)
        doc._.events = self.decide(rule_events, candidates, scores, resolver)
        return doc

    def decide(self, rule_events: list[dict], candidates: list[Candidate], scores: list[float],
               r: MentionResolver) -> list[dict]:
        """The rules' events, the other candidates the scorer accepts (measured by
        cross-validation: rules plus the model beat either alone on unseen incidents; with
        nothing else told, the story's likeliest candidate if the headline names a party),
        and the same event for every other item of a list one of its parties is in."""
        kept = list(rule_events)
        rows = [candidate_place(c) for c in candidates]
        stands, guessed = self.scorer.accepts([c.rule_event is not None for c in candidates], scores,
                                              [c.headlined for c in candidates], told=bool(rule_events))
        accepted = spread_over_lists({row_key(row) for row, ok in zip(rows, stands) if ok}, rows)
        for cand, row, score in zip(candidates, rows, scores):
            if cand.rule_event is not None or row_key(row) not in accepted:
                continue
            event = self.event(cand.type, cand.trigger, cand.actor.name, cand.target.name,
                               GUESSED if guessed else "model")
            event["stance"] = "alleged" if hearsay(cand.trigger, self.lex) else "reported"
            event["score"] = round(score, 4)
            for mention in (cand.actor, cand.target):
                if mention.how == "finder":
                    r.add_entity(mention.name, "ORG", mention.head.text)
                elif mention.how == "listed":  # an unlabelled list item becomes an entity once in an event
                    r.add_entity(*r.unlabelled(mention.head, listed=True))
            kept.append(event)
        decided = without_doubles(list(typed_by_parties(kept, candidates, r).values()), self.gazetteer)
        return sorted(decided, key=lambda e: (e["sent_start"], e["trigger_i"]))

    @staticmethod
    def key(event: dict) -> tuple:
        """What makes two found events the same one."""
        return tuple(event[k] for k in ("type", "actor", "target", "trigger_i"))

    # -- find --------------------------------------------------------------------
    def events_at(self, tok: Token, r: MentionResolver, found: list[dict]) -> list[dict]:
        lemma = self.lex.lemma(tok)
        if tok.pos_ == "AUX" and tok.dep_ == "aux" and self.lex.verb_lemma(tok) and tok.head.pos_ == "VERB":
            events = self.verb_events(tok, r, structure=tok.head)  # "reported finding[AUX] concealed code"
        elif tok.pos_ == "VERB":
            lifted = self.lifted(tok, r, found) if lemma in self.lex.words["lift_verbs"] else []
            events = (lifted or self.ordered_state(tok, r) or self.verb_events(tok, r)
                      or self.ordered_to_drop(tok, r) or self.reported_flaw(tok, r) or self.claimed_wrong(tok, r)
                      or self.lost_access(tok, r) or self.disclosed_flaw(tok, r, found))
        elif tok.pos_ in ("NOUN", "PROPN") and lemma in self.lex.words["evidence_nouns"]:
            events = self.evidence_claim(tok, r)
        elif tok.pos_ == "NOUN" and lemma in self.lex.words["bringer_nouns"]:
            events = self.named_plaintiffs(tok, r, found)
        elif tok.pos_ in ("NOUN", "PROPN") and (lemma in self.lex.nouns or self.is_step(tok) or self.brought_suit(tok)):
            events = self.noun_events(tok, r, found)
        elif tok.lower_ in BAN_STATE_ADJECTIVES and tok.head.lemma_ == "make":
            events = self.made_unavailable(tok, r)
        else:
            return []
        # "told staff not to use X" negates the use, not the order: an order is hedged where it is given
        asserted = tok.head if events and events[0]["method"] == "ordered" and tok.dep_ == "xcomp" else tok
        if not events or is_hedged(asserted, self.lex):
            return []
        stance = "alleged" if hearsay(tok, self.lex) else "reported"
        for e in events:
            e.setdefault("stance", stance)
        return events

    def verb_type(self, tok: Token) -> str | None:
        lemma = self.lex.lemma(tok) if tok.pos_ != "AUX" else self.lex.verb_lemma(tok)
        prts = {c.lower_ for c in tok.children if c.dep_ in ("prt", "advmod")} | self.loose_particles(tok)
        for etype, verbs in self.lex.particle_verbs.items():
            if lemma in verbs and prts & set(verbs[lemma]):
                return self.access_or(etype, tok)
        etype = self.lex.verbs.get(lemma)
        if etype is None:
            etype = next((t for t, verbs in self.lex.particle_verbs.items()
                          if lemma in verbs and not verbs[lemma]), None)
        if etype is None or (lemma == "cut" and not self.has_access_object(tok)):
            return None
        return self.access_or(etype, tok)

    @staticmethod
    def loose_particles(tok: Token, window: int = 12) -> set[str]:
        """Particles the parser hung elsewhere ("cutting X, a tool, off from"): a particle-like
        word after the verb, before any other verb."""
        found = set()
        for t in tok.doc[tok.i + 1:min(tok.i + window, tok.sent.end)]:
            if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound"):
                break
            if t.pos_ in ("ADP", "ADV", "PART") and t.dep_ in ("prt", "advmod", "prep"):
                found.add(t.lower_)
        return found

    def access_or(self, etype: str, tok: Token) -> str:
        """Restricting or cutting someone's *access* is an access cut-off, not a ban."""
        if etype in ("ban", "access_cutoff") and self.has_access_object(tok):
            return "access_cutoff"
        return etype

    def has_access_object(self, tok: Token) -> bool:
        obj = child(tok, "dobj", "nsubjpass")
        return obj is not None and self.lex.lemma(obj) in self.lex.words["access_nouns"]

    # -- verbs -------------------------------------------------------------------
    def verb_events(self, trigger: Token, r: MentionResolver, structure: Token | None = None) -> list[dict]:
        """Events of a trigger verb; `structure` is the verb whose arguments to read when
        the parser hung the trigger under another one."""
        etype = self.verb_type(trigger)
        if etype == "allegation" and self.inside_lawsuit(trigger):
            return []
        tok = structure if structure is not None else trigger
        if etype is None or not self.verb_fits(etype, tok, r, self.lex.verb_lemma(trigger) or self.lex.lemma(trigger)):
            return []
        trigger.doc._.trigger_count += 1  # read as an event word, whether or not its parties are named
        passive = is_passive(tok)
        targets = self.verb_targets(etype, tok, r, passive)
        actors = self.verb_actors(etype, tok, r, passive, set(targets))
        if etype == "security_finding" and not targets:
            targets = self.product_near(tok, r, set(actors))
        if etype == "breach" and not targets:
            targets = self.products_of(actors, tok, r)
        if etype == "settlement" and not targets and actors:
            targets = self.payees(tok, r, set(actors))  # "agreed to pay Reddit $20m to settle"
        if etype == "settlement" and not targets and actors:
            suit = child(tok, "dobj")
            if suit is not None and self.lex.lemma(suit) in self.lex.words["suit_nouns"]:
                targets = self.plaintiffs(suit, r, set(actors))
            if not targets:
                return self.settling_suits(trigger, actors)
        if etype == "allegation" and self.suit_speaks(tok):
            # "The complaint accuses X of ...": the lawsuit's charge, brought by the suit's plaintiff
            return [dict(self.event("lawsuit", trigger, None, t, "suit"), suit_accuses=True) for t in targets]
        if etype == "access_cutoff" and self.access_to_a_thing(tok, actors):
            etype = "ban"  # "blocked access to DeepSeek on its networks": banning the product
        return self.pairs(etype, trigger, actors, targets, "passive" if passive else "active", r)

    def access_to_a_thing(self, tok: Token, actors: list[str]) -> bool:
        """"access to X" with no one whose access it is: X itself is shut out, unless the
        actor makes X (then it cuts its customers off)."""
        access = child(tok, "dobj", "nsubjpass")
        if access is None or self.lex.lemma(access) not in self.lex.words["access_nouns"]:
            return False
        if child(access, "poss") is not None or self.prep(access, "for") or self.prep(tok, "for"):
            return False
        things = [child(p, "pobj") for p in self.prep(access, "to")]
        if not things or things[0] is None:
            return False
        thing = things[0]
        vendor = getattr(self.gazetteer.by_name.get(thing.text), "vendor", None)
        return thing.pos_ == "PROPN" and vendor not in actors and thing.text not in actors

    def payees(self, tok: Token, r: MentionResolver, exclude: set[str]) -> list[str]:
        """Whom a settling party pays: the recipient of the "pay" the settlement hangs from."""
        pay = next((t for t in (tok, tok.head) if self.lex.lemma(t) == "pay"), None)
        recipient = child(pay, "dative") if pay is not None else None
        if recipient is None and pay is not None:
            recipient = next(iter(self.prep_objects(pay, ("to",))), None)
        return r.names(recipient, exclude) if recipient is not None else []

    def suit_defendants(self, suit: Token, r: MentionResolver) -> list[str]:
        """"The lawsuit also names X as a defendant": who a suit is said to be against."""
        verb = suit.head if suit.dep_ == "nsubj" else None
        if verb is None or not any(o.lemma_.lower() == "defendant" for p in self.prep(verb, "as") for o in children(p, "pobj")):
            return []
        return r.names(child(verb, "dobj"))

    def is_settled(self, suit: Token) -> bool:
        """"settled the lawsuit brought by X": the suit is what the settlement settles, told
        as the settlement's counter-parties, not as a lawsuit of its own."""
        return suit.dep_ in ("dobj", "nsubjpass") and self.lex.verbs.get(self.lex.verb_lemma(suit.head) or "") == "settlement"

    def settling_suits(self, tok: Token, payers: list[str]) -> list[dict]:
        """"X agreed to a settlement", naming no counter-party: X settles with whoever sued it
        in the story (event_merge.with_plaintiffs names them once the whole story is read)."""
        return [dict(self.event("settlement", tok, a, None, "suit"), settles_suit_against=a) for a in payers]

    def is_idiom_object(self, tok: Token) -> bool:
        """"pull the plug on X": the object belongs to the idiom, the target follows "on"."""
        return self.lex.lemma(tok) in self.lex.words["idiom_objects"] and bool(self.prep(tok.head, "on"))

    def plaintiffs(self, suit: Token, r: MentionResolver, exclude: set[str]) -> list[str]:
        """"a class action brought by A and B": who brought the suit."""
        for clause in children(suit, "acl", "relcl"):
            agents = self.prep_objects(clause, ("by",))
            if agents:
                return r.names(agents[0], exclude)
        return []

    def suit_bringers(self, suit: Token, r: MentionResolver) -> list[str]:
        """Who brought a suit the sentence names only by its plaintiffs: "the lawsuit brought
        by A and B", "the actors behind the suit are A and B", "the suit, whose plaintiffs
        include A"."""
        named = self.plaintiffs(suit, r, set())
        if named:
            return named
        for verb in bringers_said(suit, self.lex.words["bringer_nouns"]):
            if self.lex.lemma(verb) in ("be", "include"):
                names = r.names(child(verb, "attr", "dobj"))
                if names:
                    return names
        return []

    def story_defendants(self, tok: Token, r: MentionResolver, found: list[dict], plaintiffs: set[str]) -> list[str]:
        """Who the story's lawsuit is against: the defendants of the first suit it names, or
        else the organisation most in view before `tok` (never a plaintiff or an outlet)."""
        targets = [t for t in story_sides(found)[1] if t not in plaintiffs]
        if targets:
            return targets
        defendant = r.most_salient_before(tok.i, lambda n: r.entity_type(n) == "ORG", plaintiffs | media_names(r))
        return [defendant] if defendant else []

    def inside_lawsuit(self, tok: Token) -> bool:
        """"X sued Y, accusing it of ...": the accusation is the lawsuit's, not an allegation."""
        head = tok.head
        if tok.dep_ not in ("advcl", "xcomp", "conj", "acl") or head.i == tok.i:
            return False
        verb_type = self.lex.verbs.get(self.lex.verb_lemma(head) or "")
        nouns = [head] + [c for c in head.children if c.dep_ in ("dobj", "attr")]
        return verb_type == "lawsuit" or any(self.lex.nouns.get(self.lex.lemma(n)) == "lawsuit" for n in nouns)

    def suit_speaks(self, tok: Token) -> bool:
        """The verb's subject is a lawsuit: "the suit accuses", or "it accuses" right after one."""
        subj = child(tok, "nsubj")
        if subj is None:
            return False
        if self.lex.nouns.get(self.lex.lemma(subj)) == "lawsuit":
            return True
        if subj.lower_ != "it" or tok.sent.start == 0:
            return False
        before = tok.doc[tok.sent.start - 1].sent
        return any(self.lex.nouns.get(self.lex.lemma(t)) == "lawsuit" for t in list(before) + list(tok.doc[tok.sent.start:subj.i]))

    def verb_fits(self, etype: str, tok: Token, r: MentionResolver, lemma: str) -> bool:
        """Verbs that are events only with the right kind of object ("found hidden code")."""
        obj = child(tok, "dobj", "nsubjpass")
        if etype == "security_finding":
            if obj is not None and self.security_object(obj):
                return True
            clause = child(tok, "ccomp")
            clause_obj = child(clause, "dobj") if clause is not None else None
            if clause_obj is not None and self.security_object(clause_obj):
                subj = child(clause, "nsubj", "nsubjpass")  # "found that Copilot sends ...", not "that staff ..."
                return subj is not None and any(r.is_product_like(n) for n in r.names(subj))
            subj = child(tok, "nsubjpass")
            return subj is not None and any(r.is_product_like(n) for n in r.names(subj)) and any(
                self.security_object(t) for t in tok.sent)
        if etype == "breach":
            nouns = SYSTEM_NOUNS if lemma == "breach" else DATA_NOUNS
            # "exposed 38 terabytes of private data": the amount's "of" names what leaked
            leaked = [obj] + self.prep_objects(obj, ("of",)) if obj is not None else []
            return any(self.lex.lemma(o) in nouns or o.lower_ in nouns for o in leaked)
        if etype in ("ban", "access_cutoff") and obj is not None and self.lex.lemma(obj) in self.lex.words["non_ban_objects"]:
            return False  # blocking a deal or a bill is not banning a product
        if lemma == "stop":
            return bool(self.prep(tok, "from")) or (obj is not None and self.lex.lemma(obj) in USE_NOUNS)
        if lemma in self.lex.words["from_verbs"]:  # "pulled X from the store", "pulled the plug on X"
            return bool(self.prep(tok, "from")) or (obj is not None and self.is_idiom_object(obj))
        return True

    def security_object(self, tok: Token) -> bool:
        """"hidden code", "a flaw", "an exposed database": what a security finding finds."""
        words = self.lex.words["security_objects"]

        def is_one(t: Token) -> bool:
            return t.lower_ in words or self.lex.lemma(t) in words

        return is_one(tok) or any(is_one(c) for c in tok.children if c.dep_ in ("compound", "amod"))

    @staticmethod
    def prep(tok: Token, *words: str) -> list[Token]:
        """tok's prepositions among words; "together with B" joins B to a party, never names a target."""
        return [c for c in tok.children if c.dep_ in ("prep", "agent") and c.lower_ in words and not joins_a_list(c)]

    def prep_objects(self, tok: Token, words=TARGET_PREPS) -> list[Token]:
        """Objects of a word's prepositions; "from using X" gives X."""
        out = []
        for p in self.prep(tok, *words):
            obj = child(p, "pobj")
            if obj is not None:
                out.append(obj)
            comp = child(p, "pcomp")
            if comp is not None:
                # "into how X trains its model" is about X; "from using X" about X
                named = child(comp, "nsubj")  # not "into whether it can ...": that is the prober
                out.extend(x for x in (named if named is not None and named.pos_ != "PRON" else None,
                                       child(comp, "dobj"), child(comp, "nsubjpass")) if x is not None)
                out.extend(self.prep_objects(comp))
        return out

    def verb_targets(self, etype: str, tok: Token, r: MentionResolver, passive: bool) -> list[str]:
        candidates = []
        if passive:
            candidates.append(child(tok, "nsubjpass"))
        else:
            candidates.append(child(tok, "dobj"))
            candidates.append(child(tok, "dative"))
        obj = candidates[0]
        if obj is not None and self.is_idiom_object(obj):
            candidates = self.prep_objects(tok, ("on",))
        elif etype == "access_cutoff" and obj is not None and self.lex.lemma(obj) == "access":
            candidates = [child(obj, "poss")] + self.prep_objects(obj, ("for", "to")) + self.prep_objects(tok, ("for",))
        elif etype == "breach":
            places = ("to", "into", "through", "via", "on", "from", "in")
            candidates = self.prep_objects(tok, places)
            # "exposed data to X" with "to" read as a dative; "exposed 12 gigabytes of data on X"
            candidates += [o for d in tok.children if d.dep_ == "dative" and d.lower_ == "to"
                           for o in d.children if o.dep_ == "pobj"]
            candidates += self.prep_objects(obj, places) if obj is not None else []
            # "leaked data to ChatGPT" misread as an infinitive "to ChatGPT"
            candidates += [c for c in tok.children if c.dep_ in ("advcl", "xcomp") and c.i in r.ent_at
                           and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]
            # "exposed chat histories to other ChatGPT users": the system is the users' product
            candidates = [next((m for m in c.children if m.dep_ in ("amod", "compound") and m.i in r.ent_at), c)
                          if c is not None and r.is_people(c) else c for c in candidates]
        elif etype in ("security_finding",):
            candidates = [obj] + self.prep_objects(tok, ("in",))
            clause = child(tok, "ccomp")
            if clause is not None:
                candidates.insert(0, child(clause, "nsubj", "nsubjpass"))
        elif etype in ("allegation", "investigation") and child(tok, "ccomp") is not None and obj is None:
            clause = child(tok, "ccomp")
            candidates = [child(clause, "nsubj", "nsubjpass"), clause]
        elif obj is None or r.is_people(obj):
            candidates = candidates[1:] + self.prep_objects(tok) + (self.prep_objects(obj) if obj is not None else [])
            # "banned or limited staff use of X": the parser may coordinate the object with the verb
            candidates += [c for c in tok.children if c.dep_ == "conj" and c.pos_ == "NOUN"]
        elif etype in ("settlement", "lawsuit", "fine"):
            candidates += self.prep_objects(tok, ("with", "against", "on"))  # "settled its suit with X"
        subj = self.acting_subject(tok, r) if not passive else None
        doer = set(r.names(subj)) if subj is not None and subj.pos_ != "PRON" else set()
        for cand in candidates:
            if cand is None or r.is_people(cand):
                continue
            names = r.names(cand, doer)  # "Anthropic cut its access": "its" is not Anthropic
            if names:
                return names
        return []

    def acting_subject(self, tok: Token, r: MentionResolver) -> Token | None:
        """The verb's subject; for "the regulator's order to suspend Y", whose order it is."""
        subj = subject(tok)
        if subj is not None and subj.i not in r.ent_at and self.lex.lemma(subj) in self.lex.words["decision_nouns"]:
            subj = child(subj, "poss") or next(iter(self.prep_objects(subj, ("by",))), None) or subj
        return subj

    def verb_actors(self, etype: str, tok: Token, r: MentionResolver, passive: bool, targets: set[str]) -> list[str]:
        if passive:
            agents = self.prep_objects(tok, ("by",))
            if agents and etype == "security_finding" and self.lex.lemma(agents[0]) in self.lex.words["finder_nouns"]:
                return r.names(agents[0], targets) or [self.finder(r)]
            if agents:
                return r.names(agents[0], targets)
            if etype == "security_finding":
                return [self.finder(r)]
            report = report_verb_above(tok, self.lex)
            return r.names(subject(report), targets) if report is not None else []
        subj = self.acting_subject(tok, r)
        if etype == "security_finding" and (subj is None or self.lex.lemma(subj) in self.lex.words["finder_nouns"]):
            names = r.names(subj, targets) if subj is not None else []
            return (names or self.finders_employer(subj, r, targets) or self.named_finder_before(subj, r, targets)
                    or [self.finder(r)])
        names = r.names(subj, targets) if subj is not None else []
        if not names and (subj is None or r.is_people(subj)) and etype in ("ban", "breach"):
            upper = governing_subject(clause_verb(subj.head) if subj is not None else tok)
            names = r.names(upper, targets) if upper is not None else []
        if not names and etype == "breach" and subj is not None and targets and (
                subj.lower_ in ("which", "that") or self.security_object(subj)):
            # "a bug ..., which exposed users' data to ChatGPT users": the system's maker leaked it
            names = [v for v in (r.vendor_of(t) for t in targets) if v][:1]
        if not names and etype == "breach" and subj is not None and r.is_people(subj) and targets:
            # "Engineers pasted code into X": unnamed staff work for the story's company, not X's maker
            makers = {getattr(self.gazetteer.by_name.get(t), "vendor", None) for t in targets}
            employer = r.most_salient_before(tok.i, lambda n: r.entity_type(n) == "ORG",
                                             set(targets) | makers | media_names(r))
            names = [employer] if employer else []
        return names

    def finders_employer(self, subj: Token | None, r: MentionResolver, exclude: set[str]) -> list[str]:
        """"Researchers at Wiz discovered ...": the firm they work for, even if the model missed its name."""
        employers = self.prep_objects(subj, ("at", "from", "with")) if subj is not None else []
        return r.names(employers[0], exclude) if employers else []

    def named_finder_before(self, subj: Token | None, r: MentionResolver, exclude: set[str]) -> list[str]:
        """"The researchers also found ..." after "Oakspur's researchers" or "researchers at
        Oakspur": the researchers the story already named."""
        if subj is None or not any(c.lower_ in ("the", "these", "those") for c in subj.children):
            return []
        for t in reversed(subj.doc[:subj.i]):
            if self.lex.lemma(t) in self.lex.words["finder_nouns"]:
                employer = child(t, "poss") or next(iter(self.prep_objects(t, ("at", "from", "with"))), None)
                names = r.names(employer, exclude) if employer is not None else []
                if names:
                    return names
        return []


    # -- nouns -------------------------------------------------------------------
    def is_step(self, tok: Token) -> bool:
        """"comparable steps", "a similar move": the same kind of event by someone else."""
        return self.lex.lemma(tok) in self.lex.words["step_nouns"] and any(
            c.lower_ in self.lex.words["step_adjectives"] for c in tok.children if c.dep_ == "amod")

    def noun_events(self, tok: Token, r: MentionResolver, found: list[dict]) -> list[dict]:
        if tok.dep_ == "compound" and tok.head.pos_ != "VERB":  # "ban list"; not "the ban[compound] kicks in"
            return []
        step = self.is_step(tok)
        etype = self.lex.nouns.get(self.lex.lemma(tok)) or ("lawsuit" if self.brought_suit(tok) else None)
        if etype is not None:
            tok.doc._.trigger_count += 1
        if etype == "security_finding" and not any(c.dep_ in ("acl", "ccomp", "relcl") for c in tok.children):
            return []
        light = tok.head if tok.dep_ in ("dobj", "attr", "nsubjpass", "pobj") else None
        if light is not None and light.dep_ == "prep":
            light = light.head  # "hit with a fine", "slap X with a fine"
        if light is not None and not self.carries_noun(light):
            light = None
        targets = self.noun_targets(etype, tok, light, r)
        actors = self.noun_actors(etype, tok, light, r, set(targets))
        if etype == "allegation" and not actors:
            actors = self.wronged_party(tok, r, set(targets))
        if etype == "security_finding" and targets and not actors:
            actors = [self.finder(r)]
        if etype == "breach" and actors and not targets:
            # "the breach it suffered": of its own product, the one the story names
            targets = self.products_of(actors, tok, r) or [p for p in (r.product_of(a, tok.i) for a in actors) if p][:1]
        if etype in STORY_SUBJECT_TYPES and actors and not targets and not step and light is not None and (any(
                c.dep_ == "poss" and c.lower_ == "its" for c in tok.children) or self.opened(light)):
            subject_of_story = r.most_salient_before(tok.i, lambda n: r.entity_type(n) in ("ORG", "PRODUCT"),
                                                     set(actors) | media_names(r))
            targets = [subject_of_story] if subject_of_story else []
        if etype == "lawsuit" and not actors and not targets and (defendants := self.suit_defendants(tok, r)):
            # "The lawsuit also names X as a defendant": brought by the story's plaintiffs
            return of_story_suit(self.pairs(etype, tok, story_sides(found)[0], defendants, "nominal", r))
        brought = (etype == "lawsuit" and not actors and not targets and not self.is_settled(tok)
                   and bool(actors := self.suit_bringers(tok, r)))
        if etype == "lawsuit" and actors and not targets and (brought or light is not None and (
                is_passive(light) or self.lex.lemma(light) in self.lex.words["bringing_verbs"])) \
                and any(c.lower_ == "the" for c in tok.children):
            # "The lawsuit was filed by X", "X brought the case", "the actors behind the suit are X":
            # the story's lawsuit, against its subject
            return of_story_suit(self.pairs(etype, tok, actors, self.story_defendants(tok, r, found, set(actors)),
                                            "nominal", r))
        if step or (etype and actors and not targets and any(
                c.lower_ in self.lex.words["step_adjectives"] for c in tok.children)):
            main = next((e for e in found if not e.get("anaphor") and e.get("target")), None)
            if main is None or not actors:
                return []
            etype, targets = main["type"], [main["target"]]
        if etype is None:
            return []
        if etype == "settlement" and actors and not targets:
            return self.settling_suits(tok, actors)
        if not actors and not targets and any(c.lower_ in ("the", "that", "this") or c.dep_ == "poss"
                                              for c in tok.children):
            return [self.event(etype, tok, None, None, "anaphor", anaphor=True)]
        return self.pairs(etype, tok, actors, targets, "nominal", r)

    def carries_noun(self, verb: Token) -> bool:
        """A verb whose subject does what its object names: "imposed a fine", "lodged a complaint"."""
        lemma = self.lex.lemma(verb)
        return lemma in self.lex.words["light_verbs"] or lemma in self.lex.words["bringing_verbs"]

    def brought_suit(self, tok: Token) -> bool:
        """"brought the case", "an action was filed": a word that names a suit only when
        someone brings it (not "in this case", "took action")."""
        return (self.lex.lemma(tok) in self.lex.words["suit_nouns"] and tok.dep_ in ("dobj", "nsubjpass")
                and self.lex.lemma(tok.head) in self.lex.words["bringing_verbs"])

    @staticmethod
    def opened(light: Token) -> bool:
        """"said it had opened an investigation": a regulator opening one in a story about someone."""
        return light.lemma_.lower() in ("open", "launch") and light.tag_ in ("VBN", "VBD", "VBZ")

    def noun_targets(self, etype, tok: Token, light: Token | None, r: MentionResolver) -> list[str]:
        candidates = self.prep_objects(tok, ("on", "against", "into", "of", "over", "for", "to", "in", "with"))
        candidates += [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"]  # "the TikTok ban"
        for clause in children(tok, "relcl", "acl"):  # "the inquiry X opened into Y"
            candidates += self.prep_objects(clause, ("into", "on", "against"))
        if etype in ("allegation", "security_finding", "investigation"):
            for clause in children(tok, "acl", "ccomp", "relcl"):
                if any(c.dep_ == "mark" for c in clause.children) or etype != "investigation":
                    candidates.insert(0, child(clause, "nsubj", "nsubjpass"))
        if light is not None:
            if self.lex.lemma(light) == "hit" and tok.head.dep_ == "prep":
                candidates.insert(0, child(light, "nsubj", "nsubjpass"))
            candidates += [c for c in (child(light, "dobj"), child(light, "dative")) if c is not None and c != tok]
            candidates += self.prep_objects(light, ("on", "against", "into", "to", "with", "over"))
        for cand in candidates:
            if cand is None or cand == tok:
                continue
            names = r.names(cand)
            if names:
                return names
        return []

    def noun_actors(self, etype, tok: Token, light: Token | None, r: MentionResolver, targets: set[str]) -> list[str]:
        poss = child(tok, "poss")
        if poss is not None:
            names = r.names(poss, targets)
            if names:
                return names
        by = self.prep_objects(tok, ("by",))
        if by:
            return r.names(by[0], targets)
        for clause in children(tok, "relcl"):  # "the breach it suffered", "a fine Meta paid"
            if self.carries_noun(clause):
                names = r.names(child(clause, "nsubj"), targets)
                if names:
                    return names
        if light is not None and is_passive(light) and self.prep_objects(light, ("by",)):
            # "the lawsuit was filed by X (together with Y)"
            agents = r.names(self.prep_objects(light, ("by",))[0], targets)
            return agents + [n for n in r.names_joined_with(light, targets) if n not in agents]
        if light is not None and not (self.lex.lemma(light) == "hit" and tok.head.dep_ == "prep"):
            subj = subject(light)
            if subj is not None and not r.is_people(subj):
                return r.names(subj, targets)
        return []

    def wronged_party(self, tok: Token, r: MentionResolver, targets: set[str]) -> list[str]:
        """"allegations that Y stole X's models": unless someone else is named, X alleges."""
        for clause in children(tok, "acl", "ccomp", "relcl"):
            for t in clause.subtree:
                if t.dep_ == "poss":
                    names = r.names(t, targets)
                    if names:
                        return names
        return []

    def lifted(self, tok: Token, r: MentionResolver, found: list[dict]) -> list[dict]:
        """"lifted its ban on X", "That ban has since been lifted"."""
        ban = child(tok, "dobj", "nsubjpass")
        if ban is None or self.lex.nouns.get(self.lex.lemma(ban)) != "ban":
            return []
        on = self.prep_objects(ban, ("on", "against", "of")) + self.prep_objects(tok, ("on", "against"))
        targets = r.names(on[0]) if on else []
        actors = r.names(subject(tok), set(targets)) if not is_passive(tok) else []
        if is_passive(tok):
            agents = self.prep_objects(tok, ("by",))
            actors = r.names(agents[0], set(targets)) if agents else []
        if not actors or not targets:
            previous = [e for e in found if e["type"] == "ban" and e.get("actor")
                        and (not targets or e["target"] in targets) and (not actors or e["actor"] in actors)]
            if not previous:
                return []
            actors, targets = [previous[-1]["actor"]], [previous[-1]["target"]]
        return self.pairs("ban_lifted", tok, actors, targets, "lifted")

    # -- emit --------------------------------------------------------------------
    def pairs(self, etype: str, tok: Token, actors: list[str], targets: list[str], method: str,
              r: MentionResolver | None = None) -> list[dict]:
        """One event per named actor-target pair (a place is not what is banned or found)."""
        if r is not None and etype in THING_TARGETED:
            targets = [t for t in targets if r.entity_type(t) != "GPE"]
        return [self.event(etype, tok, a, t, method) for a in actors for t in targets if a != t]

    @staticmethod
    def event(etype: str, tok: Token, actor, target, method: str, anaphor: bool = False) -> dict:
        sent: Span = tok.sent
        verb = clause_verb(tok)
        while verb.dep_ == "xcomp" and verb.head.pos_ in ("VERB", "AUX"):
            verb = verb.head  # "has told staff to stop using X": the tense is the telling's
        now = told_as_news(verb, sent)
        return {"type": etype, "actor": actor, "target": target, "trigger": tok.text, "trigger_i": tok.i,
                "sent_start": sent.start_char, "evidence": sent.text.strip(), "method": method,
                "date": None, "anaphor": anaphor, "now": bool(now)}


def story_sides(found: list[dict]) -> tuple[list[str], list[str]]:
    """The plaintiffs and the defendants of the first lawsuit the story names."""
    first = next((e for e in found if e["type"] == "lawsuit" and e["actor"] and e["target"]), None)
    if first is None:
        return [], []
    same_suit = [e for e in found if e["type"] == "lawsuit" and e["trigger_i"] == first["trigger_i"]]
    return (list(dict.fromkeys(e["actor"] for e in same_suit if e["actor"])),
            list(dict.fromkeys(e["target"] for e in same_suit if e["target"])))


def bringers_said(suit: Token, bringer_nouns: list[str]):
    """The verbs that say who is behind a suit: "the actors behind the suit [are]", "the
    suit, whose plaintiffs [include]"."""
    holder = suit.head.head if suit.dep_ == "pobj" and suit.head.lower_ == "behind" else None
    if holder is not None and holder.dep_ == "nsubj":
        yield holder.head
    for clause in children(suit, "relcl"):
        subj = child(clause, "nsubj")
        if subj is not None and subj.lemma_.lower() in bringer_nouns and any(c.lower_ == "whose" for c in subj.children):
            yield clause


def told_as_news(verb: Token, sent: Span) -> bool:
    """Whether the event is the story's news, of the telling's day unless a date says otherwise:
    told in the present, present perfect or progressive ("has banned", "is barring"), or in
    the simple past in the headline or the lead ("Taiwan barred DeepSeek"). A past perfect or
    a later paragraph's past ("had banned a rival app") is background, never given that day."""
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lower_ in ("had", "'d") for c in aux):
        return False
    if any(c.lower_ in ("has", "have", "'s") for c in aux) or verb.tag_ in ("VBZ", "VBP"):
        return True
    if verb.tag_ == "VBG" and any(c.lower_ in ("is", "are", "am", "'re") for c in aux):
        return True
    return verb.tag_ == "VBD" and not aux and in_lead(sent)


def in_lead(sent: Span) -> bool:
    """The headline or the story's first sentence."""
    title_chars = sent.doc.user_data.get("title_chars", 0)
    if sent.start_char < title_chars:
        return True
    previous = sent.doc[sent.start - 1].sent if sent.start > 0 else None
    return previous is None or previous.start_char < title_chars


def typed_by_parties(events: list[dict], candidates: list[Candidate], r: MentionResolver) -> dict[tuple, dict]:
    """The events with each ban or cut-off typed by who stops whom (nlp/stop_types.py), once
    each where a ban and a cut-off of one pair by one trigger become the same event, and
    none where a vendor stops its own product."""
    kinds: dict[str, str] = {}
    for cand in candidates:
        kinds.setdefault(cand.actor.name, cand.kinds[0])
        kinds.setdefault(cand.target.name, cand.kinds[1])
    typed: dict[tuple, dict] = {}
    for event in events:
        if event["actor"] and event["target"]:
            event["type"] = stop_type(event["type"], *(kinds.get(n) or r.entity_type(n) for n in
                                                       (event["actor"], event["target"])),
                                      own_product=r.makes(event["actor"], event["target"]))
        if event["type"]:
            typed.setdefault(EventMatcher.key(event), event)
    return typed


def media_names(r: MentionResolver) -> set[str]:
    """Outlets and platforms that report a story are not its subject."""
    return {e.name for e in r.gazetteer.entries if e.kind in ("media", "platform")}


def candidate_row(cand: Candidate) -> dict:
    """A candidate as plain data with every feature, for training (doc.user_data survives
    nlp.pipe workers)."""
    return candidate_place(cand) | {"features": cand.features | as_features(cand.vectors)}


def candidate_place(cand: Candidate) -> dict:
    """What a candidate says and where, as plain data (nlp/lists.py reads these)."""
    return {"type": cand.type, "actor": cand.actor.name, "target": cand.target.name,
            "sent_start": cand.trigger.sent.start_char, "sent_end": cand.trigger.sent.end_char,
            "trigger_i": cand.trigger.i, "kinds": cand.kinds, "own_product": cand.own_product,
            "alist": party_list(cand.actor), "tlist": party_list(cand.target), "rule": cand.rule_event is not None,
            "headlined": cand.headlined}


@Language.factory(
    "incident_events",
    default_config={"lexicon": str(LEXICON_PATH), "gazetteer": str(GAZETTEER_PATH), "places": str(PLACES_PATH),
                    "frames": str(FRAMES_PATH), "scorer": str(SCORER_PATH)},
    assigns=["doc._.events"],
    requires=["token.dep", "token.lemma", "doc.ents"],
)
def make_events(nlp: Language, name: str, lexicon: str, gazetteer: str, places: str, frames: str,
                scorer: str) -> EventMatcher:
    return EventMatcher(lexicon, gazetteer, places, frames, scorer)
