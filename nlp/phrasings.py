"""Particular phrasings of events that the general verb and noun rules of
`incident_events` do not reach: orders ("X told staff to quit Y"), states ("X ordered Y
blocked"), reported flaws, claims of wrongdoing, evidence claims, lost access."""
from __future__ import annotations

from spacy.tokens import Token

from nlp.clauses import child, children, is_hedged, report_verb_above, subject
from nlp.event_merge import of_story_suit
from nlp.mentions import MentionResolver


class PhrasingRules:
    """Mixed into `EventMatcher`, whose helpers (`pairs`, `lex`, ...) the rules use."""

    def ordered_to_drop(self, tok: Token, r: MentionResolver) -> list[dict]:
        """"X told staff to quit Y", "X ordered employees to stop using Y": X bans Y."""
        order = tok.head
        refrain = self.lex.lemma(tok) == "use" and child(tok, "neg") is not None  # "told staff not to use Y"
        if (not (refrain or self.lex.lemma(tok) in self.lex.words["abandon_verbs"]) or tok.dep_ != "xcomp"
                or self.lex.lemma(order) not in self.lex.words["order_verbs"]):
            return []
        staff = child(order, "dobj", "dative")
        if staff is not None and not r.is_people(staff) and self.lex.lemma(tok) in self.lex.words["cease_verbs"]:
            # "ordered OpenAI to stop processing data": the company ordered to stop is banned
            targets = [t for t in r.names(staff) if r.entity_type(t) in ("ORG", "PRODUCT")]
            actors = r.names(subject(order), set(targets)) if targets else []
            if actors:
                tok.doc._.trigger_count += 1
            return self.pairs("ban", tok, actors, targets, "ordered", r)
        if staff is None or not r.is_people(staff):
            return []
        obj = child(tok, "dobj")
        using = child(tok, "xcomp")
        if using is not None and self.lex.lemma(using) == "use":
            obj = child(using, "dobj")
        if obj is not None and obj.lower_ in ("it", "them"):  # "told agencies not to use it": the product
            product = r.most_salient_before(tok.i, r.is_product_like)
            targets = [product] if product else []
        else:
            targets = [t for t in r.names(obj) if r.entity_type(t) != "GPE"] if obj is not None else []
        if not targets:
            return []
        tok.doc._.trigger_count += 1
        actors = r.names(subject(order), set(targets))
        return self.pairs("ban", tok, actors, targets, "ordered", r)

    def ordered_state(self, tok: Token, r: MentionResolver) -> list[dict]:
        """"X ordered the app blocked", "X ordered Y removed from devices": X bans Y."""
        lemma = self.lex.lemma(tok)
        if tok.tag_ not in ("VBN", "VBD") or not (lemma in self.lex.words["abandon_verbs"] or self.lex.verbs.get(lemma) == "ban"):
            return []
        if tok.dep_ == "acl" and tok.head.dep_ == "dobj":
            thing, order = tok.head, tok.head.head  # "ordered [the assistant] removed"
        elif tok.dep_ in ("ccomp", "oprd", "xcomp") and child(tok, "nsubj", "nsubjpass") is not None:
            thing, order = child(tok, "nsubj", "nsubjpass"), tok.head  # "ordered [the app] blocked"
        else:
            return []
        if self.lex.lemma(order) not in self.lex.words["order_verbs"] or r.is_people(thing):
            return []
        orderer = r.names(subject(order))
        targets = [t for t in r.names(thing, set(orderer)) if r.entity_type(t) != "GPE"]
        if not targets:
            return []
        tok.doc._.trigger_count += 1
        actors = [a for a in orderer if a not in targets]
        return self.pairs("ban", tok, actors, targets, "ordered", r)

    def reported_flaw(self, tok: Token, r: MentionResolver) -> list[dict]:
        """"Researchers said that Y contains hidden code": a security finding in Y."""
        if self.lex.lemma(tok) not in self.lex.words["report_verbs"]:
            return []
        clause = child(tok, "ccomp")
        if clause is None or self.lex.lemma(clause) not in self.lex.words["contain_verbs"]:
            return []
        found = [child(clause, "dobj")] + self.prep_objects(clause, ("with",))
        if not any(f is not None and self.security_object(f) for f in found):
            return []
        targets = [t for t in r.names(child(clause, "nsubj", "nsubjpass")) if r.is_product_like(t)]
        subj = subject(tok)
        if not targets or subj is None:
            return []
        tok.doc._.trigger_count += 1
        actors = r.names(subj, set(targets))
        if not actors and self.lex.lemma(subj) in self.lex.words["finder_nouns"]:
            # "researchers at Kestrel Labs": the firm they work for, even if the model missed its name
            employers = self.prep_objects(subj, ("at", "from", "with"))
            actors = (r.names(employers[0], set(targets)) if employers else []) or [self.finder(r)]
        return self.pairs("security_finding", clause, actors, targets, "reported", r)

    def claimed_wrong(self, tok: Token, r: MentionResolver) -> list[dict]:
        """"X says Y copied its models", "X claims Y used its outputs to distil ...": X alleges."""
        if self.lex.lemma(tok) not in self.lex.words["claim_verbs"] or self.lex.lemma(tok) == "allege":
            return []  # "allege" is a trigger verb of its own
        clause = child(tok, "ccomp")
        if clause is None or self.lex.lemma(clause) in self.lex.words["deny_verbs"]:
            return []
        wrong = [clause] + children(clause, "xcomp", "advcl")
        if not any(self.lex.lemma(v) in self.lex.words["wrongdoing_verbs"] for v in wrong):
            return []
        # the small model sometimes reads "Anthropic claims ..." as an adjective on a noun "claims"
        claimant = subject(tok) or next((c for c in tok.lefts if c.dep_ in ("amod", "compound") and c.i in r.ent_at),
                                        None)
        if claimant is None:
            return []
        accused = child(clause, "nsubj")
        targets = [t for t in r.names(accused) if r.entity_type(t) in ("ORG", "PERSON", "GPE")]
        actors = r.names(claimant, set(targets))
        if not targets or not actors:
            return []
        tok.doc._.trigger_count += 1
        return [dict(e, stance="alleged") for e in self.pairs("allegation", tok, actors, targets, "claimed", r)]

    def evidence_claim(self, tok: Token, r: MentionResolver) -> list[dict]:
        """"X says it has evidence (that) Y used its models": X alleges wrongdoing by Y."""
        clause = next((c for c in children(tok, "acl", "relcl", "ccomp") if child(c, "nsubj") is not None), None)
        if clause is None or tok.dep_ not in ("dobj", "attr"):
            return []
        targets = [t for t in r.names(child(clause, "nsubj")) if r.entity_type(t) in ("ORG", "PERSON")]
        if not targets:
            return []
        holder = subject(tok.head)
        if holder is None or holder.dep_ == "expl":  # "there is evidence ...": whoever says so
            report = report_verb_above(tok.head, self.lex)
            holder = subject(report) if report is not None else None
        actors = [a for a in r.names(holder, set(targets))] if holder is not None else []
        tok.doc._.trigger_count += 1
        return [dict(e, stance="alleged") for e in self.pairs("allegation", tok, actors, targets, "evidence", r)]

    def lost_access(self, tok: Token, r: MentionResolver) -> list[dict]:
        """"X lost access to Y's models": Y cut X off (the owner of what X reached)."""
        if self.lex.lemma(tok) not in self.lex.words["loss_verbs"] or not self.has_access_object(tok):
            return []
        access = child(tok, "dobj")
        # "lost access to Y's models", or "loses Claude access": the product named on the noun
        reached = next(iter(self.prep_objects(access, ("to",))), None) or child(access, "compound")
        if reached is None:
            return []
        owner = child(reached, "poss")
        owners = r.names(owner) if owner is not None else [r.vendor_of(n) for n in r.names(reached)]
        targets = [t for t in r.names(subject(tok)) if r.entity_type(t) == "ORG"]
        actors = [a for a in owners if a and r.entity_type(a) == "ORG" and a not in targets]
        if not actors or not targets:
            return []
        tok.doc._.trigger_count += 1
        return self.pairs("access_cutoff", tok, actors, targets, "lost", r)

    def disclosed_flaw(self, tok: Token, r: MentionResolver, found: list[dict]) -> list[dict]:
        """"X has disclosed a flaw in Y", "X reported the problem to Y": X's security finding in Y,
        unless X's finding is already told (then whom X reported it to is no second finding)."""
        obj = child(tok, "dobj")
        if self.lex.lemma(tok) not in self.lex.words["disclose_verbs"] or obj is None:
            return []
        told = self.prep_objects(tok, ("to",)) + self.prep_objects(obj, ("to",))  # "the problem to Y"
        if not (self.security_object(obj) or (told and self.lex.lemma(obj) in self.lex.words["problem_nouns"])):
            return []
        found_in = [t for o in self.prep_objects(obj, ("in",)) for t in r.names(o) if r.entity_type(t) != "GPE"]
        targets = found_in or [t for o in told[:1] for t in r.names(o) if r.entity_type(t) in ("ORG", "PRODUCT")]
        subj = subject(tok)
        actors = r.names(subj, set(targets)) if subj is not None else []
        if not actors and subj is not None and self.lex.lemma(subj) in self.lex.words["finder_nouns"]:
            actors = [self.finder(r)]
        if not found_in and any(e["type"] == "security_finding" and e["actor"] in actors for e in found):
            return []
        if not actors or not targets:
            return []
        tok.doc._.trigger_count += 1
        return self.pairs("security_finding", tok, actors, targets, "disclosed", r)

    def named_plaintiffs(self, tok: Token, r: MentionResolver, found: list[dict]) -> list[dict]:
        """"The plaintiffs include A and B", "A and B are among the plaintiffs", "A is one of
        the plaintiffs": each named party brings the story's lawsuit, against its defendants."""
        verb, named = self.naming_verb(tok), []
        if verb is None or is_hedged(verb, self.lex):  # "the plaintiffs do not include X"
            return []
        if tok.dep_ == "nsubj":
            named = r.names(child(verb, "dobj", "attr"))
        elif tok.dep_ == "pobj":
            named = r.names(subject(verb))
        defendants = self.story_defendants(tok, r, found, set(named)) if named else []
        if not defendants:
            return []
        tok.doc._.trigger_count += 1
        return of_story_suit(self.pairs("lawsuit", tok, named, defendants, "nominal", r))

    def naming_verb(self, tok: Token) -> Token | None:
        """The "be" or "include" that names who a plaintiff noun is: its clause when the noun
        is the subject, or the clause the "among" / "one of" phrase it ends hangs from."""
        verb = tok.head
        if tok.dep_ == "pobj" and tok.head.lower_ in ("among", "of"):
            verb = tok.head.head.head if tok.head.head.lower_ == "one" else tok.head.head
        elif tok.dep_ != "nsubj":
            return None
        return verb if self.lex.lemma(verb) in ("be", "include") else None

    def finder(self, r: MentionResolver) -> str:
        """The pseudo-organisation for an unnamed finder ("researchers found ...")."""
        r.add_entity(self.lex.finder_name, "ORG", self.lex.finder_name)
        return self.lex.finder_name

    def product_near(self, tok: Token, r: MentionResolver, exclude: set[str]) -> list[str]:
        is_product = lambda n: r.entity_type(n) == "PRODUCT" and n not in exclude  # noqa: E731
        name = r.nearest(tok.i, tok.sent, is_product) or r.nearest(
            tok.i, tok.sent, lambda n: r.is_product_like(n) and n not in exclude)
        name = name or r.last_before(tok.i, is_product, exclude)
        return [name] if name else []

    def products_of(self, actors: list[str], tok: Token, r: MentionResolver) -> list[str]:
        """A vendor's breach is of its own product, when the sentence names one."""
        vendors = set(actors)
        name = r.nearest(tok.i, tok.sent, lambda n: getattr(self.gazetteer.by_name.get(n), "vendor", None) in vendors)
        return [name] if name else []

    def made_unavailable(self, tok: Token, r: MentionResolver) -> list[dict]:
        verb = tok.head
        targets = r.names(child(verb, "dobj") or child(tok, "nsubj"))
        actors = r.names(subject(verb), set(targets))
        return self.pairs("ban", tok, actors, targets, "state")
