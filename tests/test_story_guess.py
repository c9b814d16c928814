"""A story in scope tells at least one event: when neither the rules nor the scorer's
threshold settle one, the story's likeliest candidate stands as a guess if it is probable
enough and the headline names one of its parties. A guess never makes a story relevant."""
from dataclasses import replace

from graph.claims import article_view
from incidents.model import GUESSED, Analysis, Article, Entity, Event, Incident
from nlp.relevance import reports_an_event
from nlp.scorer import STORY_FLOOR, EventScorer

SCORER = EventScorer(weights={}, threshold=0.95)
JUST_BELOW = 0.9
assert STORY_FLOOR < JUST_BELOW < SCORER.threshold


def test_nothing_settled_keeps_the_likeliest_candidate_the_headline_names():
    stands, guessed = SCORER.accepts([False, False, False], [0.2, JUST_BELOW, 0.75], [True, True, True])
    assert (stands, guessed) == ([False, True, False], True)


def test_a_settled_event_leaves_no_room_for_a_guess():
    stands, guessed = SCORER.accepts([False, False], [0.97, JUST_BELOW], [False, True])
    assert (stands, guessed) == ([True, False], False)
    stands, guessed = SCORER.accepts([True, False], [0.1, JUST_BELOW], [False, True])
    assert (stands, guessed) == ([True, False], False)


def test_no_guess_when_the_rules_told_an_event_the_candidates_lack():
    assert SCORER.accepts([False], [JUST_BELOW], [True], told=True) == ([False], False)


def test_no_guess_about_parties_the_headline_does_not_name():
    assert SCORER.accepts([False, False], [JUST_BELOW, 0.3], [False, True]) == ([False, False], False)


def test_no_guess_below_the_floor():
    assert SCORER.accepts([False], [STORY_FLOOR - 0.05], [True]) == ([False], False)


def test_a_story_whose_headline_names_the_party_keeps_its_likeliest_event(analyse_text):
    body = "Google stopped serving Perplexity's search requests."  # scored between the floor and the threshold
    doc = analyse_text(body, "2026-03-04", title="Perplexity loses its search partner")
    assert [(e["type"], e["actor"], e["target"], e["method"]) for e in doc._.events] == [
        ("access_cutoff", "Google", "Perplexity", GUESSED)]
    assert analyse_text(body, "2026-03-04", title="A quiet week for search")._.events == []


def test_a_guess_does_not_make_a_story_relevant(analyse_text):
    doc = analyse_text("The council closed the road on Monday.", "2026-03-04", title="Council news")
    guess = Event(type="ban", actor="Council", target="Road", evidence=doc.text, method=GUESSED)
    assert not reports_an_event(doc, [guess], [], None, score=0.9)
    assert reports_an_event(doc, [replace(guess, method="model")], [], None, score=0.9)


def test_a_guess_places_no_article_in_an_incident():
    told = Event(type="access_cutoff", actor="Google", target="Perplexity", evidence="Google cut Perplexity off.",
                 date="2026-03-02", method="model")
    analysis = Analysis(relevant=True, relevance_score=0.9, entities=[], events=[told, replace(told, method=GUESSED)])
    view = article_view(1, "Perplexity loses its search partner", "Google cut Perplexity off.", "2026-03-04",
                        "Example News", analysis)
    assert [c.actor_name for c in view.claims] == ["Google"]
    alone = article_view(2, "Perplexity loses its search partner", "", "2026-03-04", "Example News",
                         replace(analysis, events=[replace(told, method=GUESSED)]))
    assert alone.claims == []


def test_a_guess_stays_with_its_article_and_out_of_the_incident(store):
    article = store.add_article(Article(url="https://news.example/guess", outlet="Wire", title="Perplexity loses its "
                                        "search partner", text="Google cut Perplexity off. Tidewell removed a module.",
                                        published="2026-03-04", ext_id="guess")).id
    told = Event(type="access_cutoff", actor="Google", target="Perplexity", evidence="Google cut Perplexity off.",
                 method="model")
    guess = Event(type="ban", actor="Tidewell", target="Copilot", evidence="Tidewell removed a module.", method=GUESSED)
    store.save_analyses([(article, Analysis(relevant=True, relevance_score=0.9, events=[told, guess],
                                            entities=[Entity(n, "ORG", [n]) for n in ("Google", "Perplexity", "Tidewell")]
                                            + [Entity("Copilot", "PRODUCT", ["Copilot"])]))], "test")
    store.save_incident(Incident("inc-1", "Google cuts off Perplexity", "2026-03-04", "access_cutoff", ["Google"],
                                 ["Perplexity"], first_seen="2026-03-04", last_seen="2026-03-04"), [(article, True, 1.0)])
    assert {e.actor for e in store.analyses_for([article])[article].events} == {"Google", "Tidewell"}
    assert [(m.actor, m.target) for m in store.incident_mentions(["inc-1"])["inc-1"]] == [("Google", "Perplexity")]
    assert {p["name"] for p in store.fact_parties()} == {"Google", "Perplexity"}
    assert [e["actor"] for e in store.incident_events("inc-1")] == ["Google"]
