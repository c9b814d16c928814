"""incident_canonical: one canonical name per real-world thing, products linked to vendors."""
import pytest
import spacy

from nlp.names import canonical_name, clean_surface
from nlp.resources import demonyms, gazetteer


def entity(doc, name):
    return next(row for row in doc._.entities if row["name"] == name)


def test_company_spellings_become_one_entity(analyse_text):
    doc = analyse_text("Alibaba Group said on Monday it would act. Alibaba's engineers agreed. "
                       "ALIBABA banned Claude Code.")
    alibaba = entity(doc, "Alibaba")
    assert {"Alibaba Group", "Alibaba's", "ALIBABA"} <= set(alibaba["mentions"]) | {"Alibaba's"}
    assert [row["name"] for row in doc._.entities].count("Alibaba") == 1
    assert all(ent._.canonical == "Alibaba" for ent in doc.ents if "libaba" in ent.text.lower())


def test_product_is_linked_to_its_vendor(analyse_text):
    doc = analyse_text("Engineers switched from Claude Code to GitHub Copilot last year.")
    assert entity(doc, "Claude Code")["vendor"] == "Anthropic"
    assert entity(doc, "Claude Code")["type"] == "PRODUCT"
    assert entity(doc, "GitHub Copilot")["vendor"] == "Microsoft"


def test_surname_joins_full_name(analyse_text):
    doc = analyse_text("Anthropic engineer Thariq Shihipar explained the change. Shihipar said it was a test.")
    person = entity(doc, "Thariq Shihipar")
    assert person["type"] == "PERSON" and "Shihipar" in person["mentions"]
    assert not any(row["name"] == "Shihipar" for row in doc._.entities)


def test_a_regulator_named_by_its_remit_and_country_is_that_countrys_regulator(analyse_text):
    doc = analyse_text("France's Competition Authority said on Wednesday it was fining Google. "
                       "Clearview AI was fined by the Greek Data Protection Authority. "
                       "A Data Protection Authority elsewhere said nothing.")
    names = {row["name"] for row in doc._.entities}
    assert {"Autorité de la concurrence", "Hellenic Data Protection Authority"} <= names
    assert "Competition Authority" in entity(doc, "Autorité de la concurrence")["mentions"]
    # with no country to say whose, the description stays as written
    assert "Data Protection Authority" in names


def test_a_regulator_named_by_the_acronym_of_its_remit_is_that_countrys_regulator(analyse_text):
    doc = analyse_text("The Italian DPA fined OpenAI 15 million euros in December. "
                       "The ACLU, a US group, said nothing.")
    names = {row["name"] for row in doc._.entities}
    assert "Garante" in names and "DPA" not in names
    assert ("fine", "Garante", "OpenAI") in {(e["type"], e["actor"], e["target"]) for e in doc._.events}
    # an acronym that does not spell the country regulator's remit is another organisation
    assert "ACLU" in names


def test_a_given_name_joined_to_a_full_name_shares_its_surname(analyse_text):
    doc = analyse_text("Matt and Maria Raine sued OpenAI in August. Plaintiffs Alice and Bob said nothing.")
    names = {row["name"] for row in doc._.entities}
    assert {"Matt Raine", "Maria Raine"} <= names and "Matt" not in names


def test_noise_is_not_an_entity(analyse_text):
    doc = analyse_text("The AI model and its API were discussed by the CEO.")
    assert not any(row["name"] in ("AI", "API", "CEO") for row in doc._.entities)


def test_clean_surface_strips_suffix_possessive_article_and_shouting():
    assert clean_surface("Citigroup Inc.") == "Citigroup"
    assert clean_surface("JPMorgan Chase & Co.") == "JPMorgan Chase"
    assert clean_surface("Alibaba\u2019s") == "Alibaba"
    assert clean_surface("the Samsung Group") == "Samsung"
    assert clean_surface("ALIBABA") == "Alibaba"
    assert clean_surface("NIST") == "NIST"
    assert clean_surface('the "Godfathers of Deep Learning') == "Godfathers of Deep Learning"
    assert clean_surface('"Grok"') == '"Grok"'  # a quoted name keeps both its quotes or neither


def test_government_names_the_country():
    assert canonical_name("the South Korean government", gazetteer(), demonyms()) == ("South Korea", "GPE")
    assert canonical_name("Bank of America Corp.", gazetteer(), demonyms()) == ("Bank of America", "ORG")


def test_component_on_a_blank_pipeline_uses_gazetteer_ids():
    nlp = spacy.blank("en")
    nlp.add_pipe("incident_gazetteer")
    nlp.add_pipe("incident_canonical")
    doc = nlp("Alibaba Group dropped Google Bard.")
    assert {(r["name"], r["type"]) for r in doc._.entities} == {("Alibaba", "ORG"), ("Bard", "PRODUCT")}
    assert entity(doc, "Bard")["mentions"] == ["Google Bard"]


def test_short_form_joins_the_full_company_name(analyse_text):
    doc = analyse_text("Getty Images has settled its lawsuit with Stability AI. Getty had sued Stability AI in 2023.")
    assert [row["name"] for row in doc._.entities if row["name"].startswith("Getty")] == ["Getty Images"]
    assert "Getty" in entity(doc, "Getty Images")["mentions"]


def test_an_acronym_in_brackets_after_a_name_opening_with_the_is_that_name(analyse_text):
    doc = analyse_text("The Global Privacy Assembly (GPA) adopted a resolution on Tuesday.")
    rows = {row["name"]: row["mentions"] for row in doc._.entities}
    assert "GPA" in rows["Global Privacy Assembly"] and "GPA" not in rows


def test_list_punctuation_company_suffixes_and_sentence_capitals_make_no_name(analyse_text):
    doc = analyse_text("Bank of America Corp., Citigroup Inc. and Wells Fargo & Co. bar ChatGPT. "
                       "Other publishers, among them Forbes, Wired and Vox Media, have complained. "
                       "Dow Jones & Company sued Perplexity. Groups representing newspapers sued Google.")
    names = {row["name"] for row in doc._.entities}
    assert {"Wells Fargo", "Forbes", "Dow Jones"} <= names
    assert not names & {"Co.", "Forbes,", "Dow Jones &", "Groups"}


def test_clean_surface_drops_a_trailing_comma_and_a_dangling_ampersand():
    assert clean_surface("Forbes,") == "Forbes"
    assert clean_surface("Dow Jones & Company") == "Dow Jones"
    assert clean_surface("Procter & Gamble") == "Procter & Gamble"


def test_a_noun_in_apposition_says_what_an_unknown_name_is(analyse_text):
    doc = analyse_text("In late July 2025, Wiz Research revealed a critical security flaw in Base44, an AI-powered "
                       "application development platform. Italy's privacy watchdog banned Kora, an AI companion app, "
                       "on Friday. Kevin Beaumont, a security researcher, said so.")
    types = {row["name"]: row["type"] for row in doc._.entities}
    assert types["Base44"] == "PRODUCT" and types["Kora"] == "PRODUCT"
    assert types["Kevin Beaumont"] == "PERSON" and types["Italy"] == "GPE"
    assert ("ban", "Garante", "Kora") in {(e["type"], e["actor"], e["target"]) for e in doc._.events}
    doc = analyse_text("Wiz said it found a critical flaw in Base44, an AI-powered app development platform.")
    assert {(e["type"], e["actor"], e["target"]) for e in doc._.events} == {("security_finding", "Wiz", "Base44")}


@pytest.mark.parametrize("text, full, short", [
    ("The Italian Data Protection Authority announced the move on Thursday. The Authority, in addition to "
     "ordering the block, opened an investigation into DeepSeek.", "Garante", "Authority"),
    ("On December 9, the European Commission formally opened the case. The Commission is also examining YouTube.",
     "European Commission", "Commission"),
    ("In March 2025, a former contractor of the NSW Reconstruction Authority uploaded files to ChatGPT. The Authority "
     "disclosed the breach on Monday.", "NSW Reconstruction Authority", "Authority"),
])
def test_the_last_word_of_a_name_after_the_is_that_name(analyse_text, text, full, short):
    doc = analyse_text(text)
    names = {row["name"] for row in doc._.entities}
    assert full in names and short not in names
    assert short not in {party for e in doc._.events for party in (e["actor"], e["target"])}


def test_a_one_word_name_without_the_keeps_its_own_name(analyse_text):
    doc = analyse_text("Warner Music Group has settled its lawsuit with Suno. Suno will launch new models next year.")
    assert "Suno" in {row["name"] for row in doc._.entities}


def test_a_legal_form_makes_a_firm_whatever_the_model_typed(analyse_text):
    doc = analyse_text("The special master issued the order sanctioning K&L Gates LLP and Ellis George LLP on May 6.")
    types = {row["name"]: row["type"] for row in doc._.entities}
    assert types.get("K&L Gates") == "ORG" and types.get("Ellis George") == "ORG"


def test_a_vulnerability_identifier_and_technical_terms_are_no_entities(analyse_text):
    doc = analyse_text("Palo Alto Networks said CVE-2026-0628 let extensions inject HTML into the UI of Google's "
                       "Gemini panel and read the user's IP address.")
    names = {row["name"] for row in doc._.entities}
    assert "Palo Alto Networks" in names
    assert not {n for n in names if n.upper().startswith("CVE")} and not names & {"HTML", "UI", "IP"}
