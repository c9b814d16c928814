"""The relevance gate: clearly off-topic articles skip the full pipeline, in-scope ones do not."""
import json
from pathlib import Path

import numpy as np
import pytest

from incidents.errors import IncidentsError
from incidents.model import Article
import nlp.extract
from nlp.extract import run_extract
from nlp.relevance import GATE_PATH, RelevanceGate, may_mention_ai, relevance_gate
from nlp.training.corpus import CORPUS_DIR, NEVER_TRAINED, load_stories

IN_SCOPE = ("https://wire.example/ban", "Alibaba bans Claude Code",
            "Alibaba has banned its employees from using Claude Code, Anthropic's coding agent. The ban, effective "
            "10 July, follows the discovery of hidden code.")
AI_FUNDING = ("https://wire.example/funding", "Vantora AI raises $200 million to build chatbots for retailers",
              "Vantora AI, a San Francisco start-up that builds customer-service chatbots, has raised $200 million "
              "in a Series C round led by Northgate Capital, valuing the company at $2 billion. The company said "
              "it would use the money to hire engineers and open an office in London.")
NO_AI_LAUNCH = ("https://wire.example/launch", "Dashly launches grocery delivery in ten more cities",
                "Dashly, a grocery delivery start-up, launched its service in ten more cities on Monday and said "
                "orders would arrive within 30 minutes. The company raised $50 million last spring.")


@pytest.fixture
def piped_ids(nlp_pipeline, monkeypatch):
    """The article ids `nlp.pipe` is given: the ones that go through the full pipeline."""
    seen, pipe = [], nlp_pipeline.pipe

    def spy(stream, **kwargs):
        if not kwargs.get("as_tuples"):
            return pipe(stream, **kwargs)  # spaCy's own inner call, without the ids

        def record():
            for doc, article_id in stream:
                seen.append(article_id)
                yield doc, article_id
        return pipe(record(), **kwargs)

    monkeypatch.setattr(nlp_pipeline, "pipe", spy)
    return seen


def add(store, *stories) -> list[int]:
    return [store.add_article(Article(url=u, title=t, text=x, published="2026-07-08")).id for u, t, x in stories]


def test_off_topic_articles_are_stored_not_relevant_without_the_full_pipeline(store, nlp_pipeline,
                                                                             sentence_embedder, piped_ids):
    ban, funding, launch = add(store, IN_SCOPE, AI_FUNDING, NO_AI_LAUNCH)
    summary = run_extract(store, progress=False, nlp=nlp_pipeline)
    assert piped_ids == [ban]
    assert (summary.analysed, summary.skipped, summary.relevant) == (3, 2, 1)
    assert "2 off-topic by the relevance gate" in summary.report()
    found = store.analyses_for([ban, funding, launch])
    for skipped in (funding, launch):
        assert not found[skipped].relevant and found[skipped].events == []
    assert "Vantora AI" in {e.name for e in found[funding].entities}  # not on file: the entity model named it
    assert found[funding].relevance_score < relevance_gate().threshold
    assert len(found[funding].embedding) == 384  # still found by semantic search
    assert found[launch].embedding is None and found[launch].relevance_score == 0  # never mentions AI
    assert run_extract(store, progress=False, nlp=nlp_pipeline).analysed == 0  # analysed, not pending


def test_a_skipped_article_still_records_the_companies_it_names(store, nlp_pipeline, sentence_embedder,
                                                                       piped_ids):
    (launch,) = add(store, ("https://wire.example/rival", "Dashly takes on Amazon in grocery delivery",
                            "Dashly, a grocery delivery start-up, launched its service in ten more cities on Monday, "
                            "taking on Amazon Fresh and Walmart. The company raised $50 million last spring."))
    assert run_extract(store, progress=False, nlp=nlp_pipeline).skipped == 1
    analysis = store.analyses_for([launch])[launch]
    assert piped_ids == [] and not analysis.relevant and analysis.events == []
    assert {"Amazon", "Walmart"} <= {e.name for e in analysis.entities}


def test_an_in_scope_article_still_gets_its_events(store, nlp_pipeline, sentence_embedder, piped_ids):
    (ban,) = add(store, IN_SCOPE)
    run_extract(store, progress=False, nlp=nlp_pipeline)
    analysis = store.analyses_for([ban])[ban]
    assert analysis.relevant
    assert [(e.type, e.actor, e.target) for e in analysis.events] == [("ban", "Alibaba", "Claude Code")]


def test_without_embeddings_there_is_no_gate(store, nlp_pipeline, piped_ids):
    ids = add(store, IN_SCOPE, NO_AI_LAUNCH)
    summary = run_extract(store, progress=False, nlp=nlp_pipeline, embed=False)
    assert piped_ids == ids and summary.skipped == 0


def test_a_story_that_never_mentions_ai_skips_the_pipeline_whatever_the_gate_says(store, nlp_pipeline,
                                                                                 piped_ids, monkeypatch):
    always_in_scope = RelevanceGate(weights=np.zeros(384), bias=30.0, threshold=0.2)
    monkeypatch.setattr(nlp.extract, "relevance_gate", lambda: always_in_scope)
    ban, launch = add(store, IN_SCOPE, NO_AI_LAUNCH)
    assert run_extract(store, progress=False, nlp=nlp_pipeline).skipped == 1
    assert piped_ids == [ban]


def test_ai_names_of_the_gazetteer_count_as_mentioning_ai_in_any_case():
    import spacy

    from nlp.analyse import make_doc

    blank = spacy.blank("en")
    assert may_mention_ai(make_doc(blank, "Staff told to stop using CLAUDE  CODE", "No reason was given.", None))
    assert not may_mention_ai(make_doc(blank, "Staff told to stop using phones", "No reason was given.", None))


def test_every_in_scope_story_of_the_development_set_passes_the_gate(sentence_embedder):
    import spacy

    from nlp.analyse import lead_text, make_doc

    stories = [s for s in load_stories([CORPUS_DIR / "dev.jsonl"]) if s["relevant"]]
    docs = [make_doc(spacy.blank("en"), s["title"], s["text"], s["published"]) for s in stories]
    vectors = sentence_embedder.embed([lead_text(d) for d in docs])
    assert all(may_mention_ai(d) for d in docs)
    assert [s["id"] for s, off in zip(stories, relevance_gate().off_topic(vectors)) if off] == []


def test_the_shipped_weights_file_round_trips(tmp_path):
    shipped = RelevanceGate.from_disk(GATE_PATH)
    assert shipped.meta["cross_validated_by_incident"]["in_scope_skipped"] == 0
    assert not any(Path(f).name.startswith(NEVER_TRAINED) for f in shipped.meta["trained_on"])
    copy = tmp_path / "gate.json"
    shipped.to_disk(copy)
    again = RelevanceGate.from_disk(copy)
    assert (again.bias, again.threshold, again.meta) == (shipped.bias, shipped.threshold, shipped.meta)
    vectors = np.random.default_rng(0).normal(size=(5, 384))
    assert np.allclose(again.probabilities(vectors), shipped.probabilities(vectors), atol=1e-5)
    assert json.loads(copy.read_text())["weights"] == json.loads(GATE_PATH.read_text())["weights"]


@pytest.mark.parametrize("content, problem", [
    ("{not json", "not a relevance gate"),
    ('{"weights": [1, 2], "bias": 0, "threshold": 0.1}', "2 weights"),
    (None, "cannot read the relevance gate"),
])
def test_a_bad_weights_file_is_a_one_line_error(tmp_path, content, problem):
    path = tmp_path / "gate.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(IncidentsError, match=problem) as caught:
        RelevanceGate.from_disk(path)
    assert "\n" not in str(caught.value)


def test_the_gate_skips_no_story_the_relevance_rule_could_call_about_ai(nlp_pipeline):
    """`may_mention_ai` (before the pipeline) must hold wherever `mentions_ai` (after it) does."""
    from nlp.analyse import analyse_doc, make_doc
    from nlp.relevance import mentions_ai

    stories = load_stories([CORPUS_DIR / "dev.jsonl"])
    docs = [make_doc(nlp_pipeline, s["title"], s["text"], s["published"]) for s in stories]
    before = [may_mention_ai(d) for d in docs]
    after = [mentions_ai(d, analyse_doc(d).entities) for d in nlp_pipeline.pipe(docs)]
    assert [s["id"] for s, b, a in zip(stories, before, after) if a and not b] == []


@pytest.fixture
def gate_setting(monkeypatch, tmp_path):
    """Point the `relevance_gate` setting at a gate file; the cached gate is read again."""
    def choose(gate: RelevanceGate | None, name: str = "gate.json") -> None:
        if gate is not None:
            gate.to_disk(tmp_path / name)
        monkeypatch.setenv("INCIDENTS_RELEVANCE_GATE", str(tmp_path / name))
        relevance_gate.cache_clear()
    yield choose
    relevance_gate.cache_clear()


def test_an_ai_story_with_no_event_settled_is_relevant_when_the_gate_finds_its_lead_in_scope(
        store, nlp_pipeline, sentence_embedder, gate_setting):
    """Whatever words the frames know, a lead the gate learnt to find in scope keeps its story."""
    gate_setting(RelevanceGate(weights=np.zeros(384), bias=8.0, threshold=0.2))
    funding, launch = add(store, AI_FUNDING, NO_AI_LAUNCH)
    run_extract(store, progress=False, nlp=nlp_pipeline)
    found = store.analyses_for([funding, launch])
    assert found[funding].events == [] and found[funding].relevant
    assert not found[launch].relevant  # never mentions AI: no gate makes it relevant


def test_the_gate_says_nothing_of_a_lead_that_is_not_about_ai(store, nlp_pipeline, sentence_embedder, gate_setting):
    """A jury's verdict with a chatbot in its last paragraph: whatever the gate would say of its
    lead (it learnt AI stories' leads only), no event is told."""
    gate_setting(RelevanceGate(weights=np.zeros(384), bias=8.0, threshold=0.2))
    (verdict,) = add(store, ("https://wire.example/verdict", "Jury clears Hannah Berg of assault charges",
                             "A jury in Leeds cleared Hannah Berg of assault charges on Tuesday after a five-day trial.\n"
                             "The prosecution had said she struck a neighbour during a dispute over parking.\n"
                             "Court staff said the hearing's transcript was typed up with the help of an AI chatbot."))
    run_extract(store, progress=False, nlp=nlp_pipeline)
    assert not store.analyses_for([verdict])[verdict].relevant


def test_the_relevance_gate_setting_naming_no_file_is_one_line_of_error(gate_setting):
    gate_setting(None, name="nowhere.json")
    with pytest.raises(IncidentsError, match=r"relevance gate .*nowhere.json .*is not a file"):
        relevance_gate()
