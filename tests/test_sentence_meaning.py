"""The event scorer reads what a candidate's sentence says of each of its parties: the same
name gets a different vector as the one who fines and as the one fined."""
import numpy as np


def candidates(nlp_pipeline, text: str) -> list[dict]:
    from nlp.analyse import make_doc

    events = nlp_pipeline.get_pipe("incident_events")
    events.collect = True
    try:
        doc = nlp_pipeline(make_doc(nlp_pipeline, None, text, "2026-07-08"))
    finally:
        events.collect = False
    return doc.user_data["event_candidates"]


def party_vector(cand: dict, prefix: str) -> np.ndarray:
    return np.array([cand["features"][f"{cand['type']}|{prefix}{k}"] for k in range(384)])


def one(cands: list[dict], etype: str, actor: str, target: str) -> dict:
    return next(c for c in cands if (c["type"], c["actor"], c["target"]) == (etype, actor, target))


def test_each_party_of_a_candidate_carries_its_word_in_context(nlp_pipeline):
    fined = one(candidates(nlp_pipeline, "The Garante fined OpenAI 15 million euros on Friday."), "fine", "Garante", "OpenAI")
    reversed_roles = one(candidates(nlp_pipeline, "OpenAI fined the Garante 15 million euros on Friday."),
                         "fine", "Garante", "OpenAI")

    for cand in (fined, reversed_roles):
        for prefix in ("avec", "tvec"):
            assert np.isclose(np.linalg.norm(party_vector(cand, prefix)), 1.0, atol=1e-4)
    # the same name, another role in the sentence: another vector
    assert party_vector(fined, "avec") @ party_vector(reversed_roles, "avec") < 0.99
    assert fined["features"]["fine|meaning0"] != reversed_roles["features"]["fine|meaning0"]


def test_the_extractor_scores_a_candidate_as_training_saw_it(nlp_pipeline):
    """Dense blocks are scored as one dot product at run time and expanded into features for
    training: both must give the same probability, or the measured threshold means nothing."""
    from nlp.analyse import make_doc
    from nlp.candidates import propose
    from nlp.components.events import candidate_row
    from nlp.mentions import MentionResolver
    from nlp.sentence_meaning import with_sentence_meaning

    events = nlp_pipeline.get_pipe("incident_events")
    doc = nlp_pipeline(make_doc(nlp_pipeline, None, "The Garante fined OpenAI 15 million euros on Friday. "
                                "Samsung told its engineers to stop using ChatGPT.", "2026-07-08"))
    resolver = MentionResolver(doc, events.gazetteer, events.lex, events.demonyms)
    cands = propose(doc, resolver, events.frames, [], events.lex)
    with_sentence_meaning(cands)
    assert cands and all(c.vectors for c in cands)
    for cand in cands:
        assert abs(events.scorer.probability(cand.features, cand.vectors)
                   - events.scorer.probability(candidate_row(cand)["features"])) < 1e-5
