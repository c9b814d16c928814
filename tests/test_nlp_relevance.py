"""Relevance: AI security and AI vendor disputes in, other technology news out."""
from nlp.analyse import analyse_docs

ON_TOPIC = ("Bank bars staff from ChatGPT after code leak",
            "Deutsche Bank has banned its employees from using ChatGPT after engineers leaked source code "
            "to the chatbot. The ban takes effect on Monday, the bank said.")
OFF_TOPIC = ("Chipmaker opens new fab in Arizona",
             "The company opened a new semiconductor plant in Arizona on Tuesday. The factory will employ "
             "3,000 people and produce chips for phones and cars from next year.")


def test_on_topic_story_is_relevant_and_off_topic_is_not(nlp_pipeline, sentence_embedder):
    from nlp.analyse import make_doc

    docs = list(nlp_pipeline.pipe([make_doc(nlp_pipeline, t, x, "2026-07-08") for t, x in (ON_TOPIC, OFF_TOPIC)]))
    on, off = analyse_docs(docs)
    assert on.relevant and not off.relevant
    assert on.relevance_score > off.relevance_score
    assert len(on.embedding) == 384 and off.embedding is not None


def test_a_tech_dispute_that_never_mentions_ai_is_not_relevant(nlp_pipeline, sentence_embedder):
    from nlp.analyse import make_doc

    title, text = ("EU fines Google over shopping search",
                   "The European Commission fined Google 2.4 billion euros on Tuesday for favouring its own "
                   "shopping service in search results. Google said it would appeal.")
    (analysis,) = analyse_docs([nlp_pipeline(make_doc(nlp_pipeline, title, text, "2026-07-08"))])
    assert [(e.type, e.actor, e.target) for e in analysis.events] == [("fine", "European Commission", "Google")]
    assert not analysis.relevant


def test_an_in_scope_story_whose_parties_stay_unsettled_is_still_relevant(nlp_pipeline, sentence_embedder):
    """The scorer half believes the block ("the Italian privacy authority has switched off
    ChatGPT") without settling who did it: the story reports an event in scope, so it is
    relevant with no event listed; a funding story stays out."""
    from nlp.analyse import make_doc

    blocked = ("ChatGPT switched off in Italy over privacy fears",
               "According to the Associated Press, the Italian privacy authority has temporarily switched off "
               "OpenAI's ChatGPT over possible violations of European data protection rules. The restriction "
               "bars the chatbot from processing Italian users' data until it respects privacy.")
    funding = ("Mistral AI raises $645 million",
               "French tech startup Mistral AI has raised 600 million euros in a new funding round, as money keeps "
               "flowing into the artificial intelligence race.")
    docs = list(nlp_pipeline.pipe([make_doc(nlp_pipeline, t, x, "2026-07-08") for t, x in (blocked, funding)]))
    on, off = analyse_docs(docs)
    assert on.events == [] and on.relevant
    assert not off.relevant
