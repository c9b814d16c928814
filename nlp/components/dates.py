"""incident_dates: each event's date, resolved against the publication date.

The date expression of the evidence sentence nearest the trigger in the parse wins
("said on Friday that it had fined": Friday). An event that is the story's news
(`nlp.components.events.told_as_news`: the present, present perfect or progressive, or the
simple past of the headline or lead) without a date happened on the article's news day: the
latest day the text itself names in the week up to publication, else the publication date.
An anaphor ("The ban, effective 10 July") gives its date to the event it refers to.
Needs `doc._.published` (ISO date); without it, or with one out of range, no event is dated.
A date out of range (`incidents.model.date_in_range`) leaves its event undated.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from incidents.model import parse_published
from nlp.dates import WEEKDAYS, is_duration, resolve, search
from nlp.resources import lexicon

_DAY_WORDS = re.compile(r"\b(" + "|".join(list(WEEKDAYS) + ["yesterday", "today"]) + r")\b", re.IGNORECASE)


def tree_distance(a: Token, b: Token) -> int:
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    index_b = {t.i: n for n, t in enumerate(up_b)}
    for n, t in enumerate(up_a):
        if t.i in index_b:
            return n + index_b[t.i]
    return len(up_a) + len(up_b)


def describes_something_else(date_head: Token, trigger: Token) -> bool:
    """"A notice reported this week shows X telling staff to quit Y": the date hangs from a
    clause that modifies the subject of a clause above the trigger, so it dates the notice.
    ("The order, issued on 31 March, accused ...": the order is the trigger's own subject;
    "... in a letter it sent in June": the letter is how the trigger happened.)"""
    chain = {t.i for t in (trigger, *trigger.ancestors)}
    own = {t.i for t in trigger.subtree}
    for t in (date_head, *date_head.ancestors):
        if t.i in chain:
            return False
        if t.dep_ in ("acl", "relcl") and t.head.i not in own and t.head.dep_ in ("nsubj", "nsubjpass"):
            return True
    return False


FORWARD_WORDS = ("from", "effective", "starting", "until")


def dates_another_event(date_head: Token, trigger: Token, triggers: set[int]) -> bool:
    """"banned X after engineers leaked code last month": a date in a clause whose own verb is
    another event's trigger (or an event verb of the lexicon) dates that event."""
    chain = {t.i for t in (trigger, *trigger.ancestors)}
    for t in (date_head, *date_head.ancestors):
        if t.i in chain:
            return False
        if t.pos_ == "VERB" and (t.i in triggers or lexicon().verb_lemma(t) is not None):
            return True
    return False


def dates_the_report(date_head: Token, trigger: Token) -> bool:
    """"confirmed on Thursday that it has banned": the date hangs from the verb that reports
    the event, above the trigger."""
    ancestors = {t.i for t in trigger.ancestors}
    verb = next((t for t in (date_head, *date_head.ancestors) if t.pos_ == "VERB"), None)
    return verb is not None and verb.i in ancestors and verb.i != trigger.i


def resolve_span(ent: Span, published: date) -> str | None:
    """A DATE entity's value; dateparser only for forms with digits the rules miss."""
    text = ent.text
    before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
    if before in ("on", "in") and ent.start > 1 and ent.doc[ent.start - 2].lower_ == "effect":
        before = "effective"  # "takes effect on Friday" is a Friday to come
    if before in FORWARD_WORDS:
        text = f"{before} {text}"  # "from Friday" looks ahead; the model leaves "from" outside the date
    if is_duration(text):
        return None
    value = resolve(text, published)
    if value is None and re.search(r"\d", text) and not re.fullmatch(r"\D*(19|20)\d\d\D*", text):
        value = search(text, published)
    return value


class EventDates:
    def __call__(self, doc: Doc) -> Doc:
        published = _iso_date(doc._.published)
        if published is None or not doc._.events:
            return doc
        expressions = [(ent, v) for ent in doc.ents if ent.label_ == "DATE"
                       for v in [resolve_span(ent, published)] if v]
        news_day = self.news_day(expressions, published)
        doc._.news_day = news_day
        triggers = {e["trigger_i"] for e in doc._.events if not e["anaphor"]}
        by_sentence: dict[int, list] = {}  # sentence start -> its dates: each event looks at its own only
        for ent, v in expressions:
            by_sentence.setdefault(ent.sent.start, []).append((ent, v))
        by_year: dict[int, list] = {}  # sentence start -> the years its dates name, resolved or not
        for ent in doc.ents:
            if ent.label_ == "DATE":
                by_year.setdefault(ent.sent.start, []).extend(int(y) for y in _YEAR.findall(ent.text))
        for event in doc._.events:
            trigger = doc[event["trigger_i"]]
            in_sentence = [(ent, v) for ent, v in by_sentence.get(trigger.sent.start, [])
                           if not describes_something_else(ent.root, trigger)
                           and not dates_another_event(ent.root, trigger, triggers)]
            if in_sentence:
                ent, value = min(in_sentence, key=lambda ev: (tree_distance(ev[0].root, trigger),
                                                               abs(ev[0].start - trigger.i)))
                event["date"], event["date_text"], event["date_basis"] = value, ent.text, "text"
                event["date_of_report"] = dates_the_report(ent.root, trigger)
            elif event["now"] and not names_another_year(by_year.get(trigger.sent.start, ()), published):
                # "has banned": the event is of the telling's day, an estimate no expression states
                event["date"], event["date_text"], event["date_basis"] = news_day, None, "published"
        self.give_anaphor_dates(doc._.events)
        self.give_story_suit_date(doc._.events)
        self.give_referents_dates(doc, doc._.events)
        return doc

    @staticmethod
    def give_referents_dates(doc: Doc, events: list[dict]) -> None:
        """"The cutoff also reaches users in Cuba": an event named by a definite noun is the
        one the story has told of, by the same actor, and takes its date when its own
        sentence states none."""
        for n, event in enumerate(events):
            if event["anaphor"] or event.get("date_basis") == "text" or not names_a_known_event(doc[event["trigger_i"]]):
                continue
            told = next((e for e in reversed(events[:n]) if e["type"] == event["type"] and e["actor"] == event["actor"]
                         and not e["anaphor"] and e.get("date_basis") == "text"
                         and e["sent_start"] != event["sent_start"]), None)
            if told is not None:
                for key in ("date", "date_text", "date_basis"):
                    event[key] = told.get(key)

    @staticmethod
    def give_story_suit_date(events: list[dict]) -> None:
        """"The suit, whose plaintiffs include A": the story's suit, dated as the story's
        first lawsuit when the sentence states no date of its own."""
        first = next((e for e in events if e["type"] == "lawsuit" and e["actor"] and e["target"]
                      and not e["anaphor"] and not e.get("story_suit") and e.get("date")), None)
        if first is None:
            return
        for event in events:
            if event.get("story_suit") and event["type"] == "lawsuit" and event.get("date_basis") != "text":
                for key in ("date", "date_text", "date_basis"):
                    event[key] = first.get(key)

    @staticmethod
    def news_day(expressions, published: date) -> str:
        """The day "now" means: the latest weekday/yesterday/today named in the week before."""
        days = [v for ent, v in expressions if _DAY_WORDS.search(ent.text) and len(v) == 10
                and published - timedelta(days=6) <= date.fromisoformat(v) <= published]
        return max(days) if days else published.isoformat()

    @staticmethod
    def give_anaphor_dates(events: list[dict]) -> None:
        """"The ban, effective 10 July": the date belongs to the last ban named before."""
        for n, anaphor in enumerate(events):
            if not anaphor["anaphor"] or not anaphor.get("date_text"):
                continue
            for event in reversed(events[:n]):
                if event["type"] == anaphor["type"] and not event["anaphor"]:
                    # "The ban was imposed on Wednesday" beats "confirmed on Thursday that it has banned",
                    # but "decided this week to open the inquiry" is vaguer than "said on Friday, April 11"
                    if not event.get("date_text") or (event.get("date_of_report")
                                                      and not names_only_a_week(anaphor["date_text"])):
                        event["date"], event["date_text"] = anaphor["date"], anaphor["date_text"]
                        event["date_basis"] = "text"
                    break


def names_a_known_event(trigger: Token) -> bool:
    """"the cutoff", "this ban": a noun trigger the story has introduced before."""
    return trigger.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in trigger.children)


_YEAR = re.compile(r"\b(\d{4})\b")
_WEEK_ONLY = re.compile(r"\bweek\b", re.IGNORECASE)


def names_only_a_week(text: str) -> bool:
    """"this week", "last week": no day, though it resolves to the week's first."""
    return bool(_WEEK_ONLY.search(text)) and not _DAY_WORDS.search(text) and not re.search(r"\d", text)


def names_another_year(years, published: date) -> bool:
    """"banned it on 10 July 1985": a sentence that names a year other than the news's dates
    its event (out of range, so undated), and the news day is no estimate of it."""
    return any(y not in (published.year, published.year - 1) for y in years)


def _iso_date(value) -> date | None:
    # parse_published also refuses a publication date out of range: an article of year 1
    # gets no event dates rather than dates computed from a misreading (or an overflow).
    return parse_published(str(value)) if value else None


@Language.factory("incident_dates", assigns=["doc._.events", "doc._.news_day"], requires=["doc._.events"])
def make_dates(nlp: Language, name: str) -> EventDates:
    return EventDates()
