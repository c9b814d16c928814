"""A dateline says where a story was filed and who filed it, never who acted: "ROME (AP) —"
makes neither Rome nor the AP a party, while a story that opens with a party's name and a
dash or colon keeps that party."""
from nlp.dateline import dateline_tokens


def parties(doc) -> set:
    return {name for e in doc._.events if not e["anaphor"] for name in (e["actor"], e["target"]) if name}


def test_the_place_and_outlet_of_a_dateline_are_no_parties(analyse_text):
    doc = analyse_text("ROME (AP) — Italy's data protection authority says it has imposed a fine on OpenAI.",
                       "2026-07-08", title="Italy fines OpenAI")
    assert ("fine", "OpenAI") in {(e["type"], e["target"]) for e in doc._.events}
    assert not parties(doc) & {"ROME", "Rome", "AP", "Associated Press"}


def test_a_dateline_with_a_day_is_no_actor_and_stays_an_entity(analyse_text):
    doc = analyse_text("New Delhi, February 5: The Finance Ministry has told its employees not to use ChatGPT.",
                       "2025-02-05", title="Finance Ministry bars AI tools")
    assert "New Delhi" not in parties(doc)
    assert ("ban", "ChatGPT") in {(e["type"], e["target"]) for e in doc._.events}
    assert "New Delhi" in {e["name"] for e in doc._.entities}


def test_a_story_opening_with_a_party_has_no_dateline(analyse_text):
    doc = analyse_text("Microsoft: the company has barred its staff from using DeepSeek.", "2026-07-08",
                       title="Microsoft bars DeepSeek")
    assert dateline_tokens(doc) == set()
    assert ("ban", "Microsoft", "DeepSeek") in {(e["type"], e["actor"], e["target"]) for e in doc._.events}


def test_a_dateline_the_parser_takes_for_a_subject_is_no_antecedent(analyse_text):
    # "MILAN : X said that it had blocked": the parse makes MILAN a subject of "said" too
    doc = analyse_text("MILAN : Italy's data protection authority said on Thursday that it had blocked the Chinese "
                       "artificial intelligence model DeepSeek.", "2025-01-30", title="Italy blocks DeepSeek")
    assert "Milan" not in parties(doc) and "MILAN" not in parties(doc)
    assert ("ban", "Garante", "DeepSeek") in {(e["type"], e["actor"], e["target"]) for e in doc._.events}


def test_a_country_that_only_names_a_currency_is_no_party(analyse_text):
    doc = analyse_text("Clearview AI collected faces from the web. Greece's data protection authority fined the "
                       "company 20 million euros (U.S. $19.9 million).", "2022-07-14", title="Greece fines Clearview AI")
    assert "United States" not in parties(doc)
    assert ("fine", "Clearview AI") in {(e["type"], e["target"]) for e in doc._.events}
