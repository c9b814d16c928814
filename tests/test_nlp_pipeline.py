"""load_pipeline: the statistical model plus the project's components, built once."""
import pytest
from spacy.tokens import Doc

from incidents.errors import IncidentsError
from nlp.analyse import make_doc
from nlp.pipeline import load_pipeline
from nlp.scorer import SCORER_PATH, EventScorer

TEXTS = [("Alibaba bans Claude Code", "Alibaba has banned its staff from using Claude Code from 10 July."),
         ("Regulator fines OpenAI", "Italy's privacy regulator fined OpenAI on Friday."),
         ("Quiet week", "Nothing happened at the office this week.")]


def events(doc):
    return [(e["type"], e["actor"], e["target"], e["date"]) for e in doc._.events if not e["anaphor"]]


def test_components_in_order(nlp_pipeline):
    names = nlp_pipeline.pipe_names
    assert names.index("incident_paragraphs") < names.index("parser")
    assert names.index("incident_gazetteer") < names.index("ner")
    assert names[-4:] == ["incident_canonical", "incident_events", "incident_dates", "incident_stance"]


def test_headline_is_its_own_sentence(nlp_pipeline):
    doc = nlp_pipeline(make_doc(nlp_pipeline, "Alibaba bans Claude Code", "Staff were told on Monday.", None))
    assert [s.text.strip() for s in doc.sents] == ["Alibaba bans Claude Code", "Staff were told on Monday."]


def test_unknown_model_is_a_user_error(monkeypatch):
    monkeypatch.setenv("INCIDENTS_SPACY_MODEL", "en_core_web_nonexistent")
    with pytest.raises(IncidentsError, match="en_core_web_nonexistent"):
        load_pipeline()


def test_missing_event_scorer_file_is_a_user_error(monkeypatch, tmp_path):
    monkeypatch.setenv("INCIDENTS_EVENT_SCORER", str(tmp_path / "nowhere.json"))
    with pytest.raises(IncidentsError, match="nowhere.json"):
        load_pipeline()


def test_event_scorer_setting_chooses_the_scorer(monkeypatch, tmp_path):
    shipped = EventScorer.from_disk(SCORER_PATH)
    shipped.threshold, shipped.meta = 1.01, {"note": "accepts nothing"}  # only the rules' events stand
    shipped.to_disk(tmp_path / "strict.json")
    monkeypatch.setenv("INCIDENTS_EVENT_SCORER", str(tmp_path / "strict.json"))
    nlp = load_pipeline()
    assert nlp.get_pipe("incident_events").scorer.meta == {"note": "accepts nothing"}
    doc = nlp(make_doc(nlp, *TEXTS[0], "2026-07-08"))
    assert all(e["method"] != "model" for e in doc._.events)


def test_two_processes_give_the_same_results_as_one(nlp_pipeline):
    docs = lambda: [make_doc(nlp_pipeline, t, x, "2026-07-08") for t, x in TEXTS]  # noqa: E731
    one = [events(d) for d in nlp_pipeline.pipe(docs(), n_process=1)]
    two = [events(d) for d in nlp_pipeline.pipe(docs(), n_process=2, batch_size=1)]
    assert one == two
    assert ("ban", "Alibaba", "Claude Code", "2026-07-10") in one[0]
    assert one[2] == []


def test_results_survive_doc_serialisation(nlp_pipeline):
    doc = nlp_pipeline(make_doc(nlp_pipeline, *TEXTS[0], "2026-07-08"))
    again = Doc(nlp_pipeline.vocab).from_bytes(doc.to_bytes())
    assert events(again) == events(doc) and again._.entities == doc._.entities
