"""incident_gazetteer: known vendors, products and regulators labelled before `ner`."""
import pytest
import spacy

from incidents.errors import IncidentsError


@pytest.fixture
def ruler_nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("incident_gazetteer")
    return nlp


def labels(doc):
    return [(e.text, e.label_, e.ent_id_) for e in doc.ents]


def test_products_and_companies_are_labelled_with_canonical_ids(ruler_nlp):
    doc = ruler_nlp("Staff moved from ChatGPT Enterprise to Claude Code, Anthropic's agent.")
    assert labels(doc) == [("ChatGPT Enterprise", "PRODUCT", "ChatGPT"), ("Claude Code", "PRODUCT", "Claude Code"),
                           ("Anthropic", "ORG", "Anthropic")]


def test_any_casing_but_all_lower_case_matches(ruler_nlp):
    assert labels(ruler_nlp("DEEPSEEK and Deepseek")) == [("DEEPSEEK", "ORG", "DeepSeek"),
                                                         ("Deepseek", "ORG", "DeepSeek")]
    assert labels(ruler_nlp("a bard sang while we windsurf")) == []


def test_case_sensitive_entries_match_exactly(ruler_nlp):
    assert labels(ruler_nlp("a post on X"))[0][1:] == ("PRODUCT", "X")
    assert labels(ruler_nlp("x marks the spot")) == []


def test_runs_before_ner_in_the_full_pipeline(nlp_pipeline):
    names = nlp_pipeline.pipe_names
    assert names.index("incident_gazetteer") < names.index("ner")
    doc = nlp_pipeline("Anthropic released Claude Code.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Anthropic", "ORG"), ("Claude Code", "PRODUCT")]


def test_user_extends_the_gazetteer_without_code(tmp_path):
    path = tmp_path / "gazetteer.jsonl"
    path.write_text('{"name": "Halvane Assist", "type": "PRODUCT", "aliases": ["Halvane"], "vendor": "Halvane AI"}\n')
    nlp = spacy.blank("en")
    nlp.add_pipe("incident_gazetteer", config={"path": str(path)})
    assert labels(nlp("We tried Halvane today.")) == [("Halvane", "PRODUCT", "Halvane Assist")]


def test_bad_gazetteer_line_names_file_and_line(tmp_path):
    path = tmp_path / "gazetteer.jsonl"
    path.write_text('{"name": "A", "type": "ORG"}\n{"name": "B", "type": "COMPANY"}\n')
    nlp = spacy.blank("en")
    with pytest.raises(IncidentsError, match=r"gazetteer.jsonl:2: bad gazetteer entry"):
        nlp.add_pipe("incident_gazetteer", config={"path": str(path)})


@pytest.mark.filterwarnings("ignore:.*does not have any patterns")
def test_serialisation_round_trip(ruler_nlp, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    other = spacy.blank("en")
    other.add_pipe("incident_gazetteer", config={"path": str(empty)})
    assert labels(other("Anthropic")) == []
    other.from_bytes(ruler_nlp.to_bytes())
    assert labels(other("Anthropic")) == [("Anthropic", "ORG", "Anthropic")]
