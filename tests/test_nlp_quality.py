"""Event phrasings that held-out news writes and the first rules missed: bans ordered into
a state, a company ordered to stop, restored access, hidden code reported in a product,
"has evidence X used", "pulls the plug on", settlements with a suit's named plaintiffs,
"the maker of X", and dates that look ahead ("from Friday"). Sentences are our own."""
import pytest

CASES = [
    # (what it covers, text, published, (type, actor, target))
    ("order into a state", "The Department of Justice ordered the Gemini app removed from all staff laptops.",
     "2026-03-04", ("ban", "Department of Justice", "Gemini")),
    ("order a company to stop", "On Monday the CNIL ordered Mistral AI to stop processing the voice recordings of users.",
     "2026-03-04", ("ban", "CNIL", "Mistral AI")),
    ("restored access", "Perplexity restored access to Claude for its Pro subscribers on Thursday.",
     "2026-03-06", ("ban_lifted", "Perplexity", "Claude")),
    ("reported hidden code", "Researchers at Kestrel Labs said on Tuesday that Cursor contains a hidden backdoor.",
     "2026-03-04", ("security_finding", "Kestrel Labs", "Cursor")),
    ("unnamed finders report", "Security researchers reported last week that Codex includes an undisclosed tracking module.",
     "2026-03-04", ("security_finding", "security researchers", "Codex")),
    ("has evidence X used", "Google says it has evidence Moonshot AI used Gemini outputs to train its model",
     "2026-03-04", ("allegation", "Google", "Moonshot AI")),
    ("there is evidence", "Meta said there was clear evidence that MiniMax had copied its Llama weights.",
     "2026-03-04", ("allegation", "Meta", "MiniMax")),
    ("pull the plug on", "Deutsche Bank pulls the plug on Copilot for its traders", "2026-03-04",
     ("ban", "Deutsche Bank", "Copilot")),
    ("told not to use it", "DeepSeek is popular. Taiwan told its public agencies not to use it.", "2026-03-04",
     ("ban", "Taiwan", "DeepSeek")),
    ("unnamed staff leak", "Walmart has restricted Gemini for staff. Engineers pasted confidential source code "
     "into ChatGPT last month.", "2026-03-04", ("breach", "Walmart", "ChatGPT")),
    ("pay Y to settle", "Stability AI agreed to pay Getty Images 9 million dollars to settle the dispute.",
     "2026-03-04", ("settlement", "Stability AI", "Getty Images")),
    ("ordered it blocked", "DeepSeek vanished from app stores after the Garante ordered it blocked.", "2026-03-04",
     ("ban", "Garante", "DeepSeek")),
    ("access to a product blocked", "The Pentagon blocked access to DeepSeek on its networks.", "2026-03-04",
     ("ban", "Pentagon", "DeepSeek")),
    ("claims Y copied", "Anthropic claims Moonshot AI copied the outputs of Claude.", "2026-03-04",
     ("allegation", "Anthropic", "Moonshot AI")),
    ("believes the <place> company", "Cohere cut off Veldra Labs on Monday. Cohere believes the Oslo company "
     "used hidden accounts to copy its model.", "2026-03-04", ("allegation", "Cohere", "Veldra Labs")),
    ("leaked via", "Samsung employees leaked source code via ChatGPT.", "2026-03-04",
     ("breach", "Samsung", "ChatGPT")),
    ("list misread as one name", "Apple restricts employees from using ChatGPT and GitHub Copilot.", "2026-03-04",
     ("ban", "Apple", "ChatGPT")),
    ("removed from a store", "Google removed DeepSeek from its Play Store in South Korea.", "2026-03-04",
     ("ban", "Google", "DeepSeek")),
    ("leak misread as infinitive", "Samsung staff leaked sensitive data to ChatGPT three times in 20 days.",
     "2026-03-04", ("breach", "Samsung", "ChatGPT")),
    ("the regulator's order to", "The CNIL questioned Mistral AI. The regulator's order to suspend Le Chat took "
     "effect immediately.", "2026-03-04", ("ban", "CNIL", "Le Chat")),
    ("the maker of X", "The Garante fined the maker of Sora 5 million euros.", "2026-03-04",
     ("fine", "Garante", "OpenAI")),
    ("researchers at an unknown firm", "Researchers at Quillmark found an exposed Mistral AI server on Monday.",
     "2026-03-04", ("security_finding", "Quillmark", "Mistral AI")),
    ("a place-named organisation", "The US Army told its soldiers on Friday not to use DeepSeek.", "2026-03-04",
     ("ban", "US Army", "DeepSeek")),
    ("the <product> maker", "The iPhone maker has told engineers not to use Cursor.", "2026-03-04",
     ("ban", "Apple", "Cursor")),
    ("a capital's watchdog", "Paris's privacy watchdog fined Mistral AI on Thursday.", "2026-03-04",
     ("fine", "CNIL", "Mistral AI")),
    ("a watchdog by its remit", "The US securities regulator fined Delphia on Monday for misleading investors.",
     "2026-03-04", ("fine", "Securities and Exchange Commission", "Delphia")),
    ("the company behind X", "The CNIL has fined the company behind Sora, a video app, 2 million euros.", "2026-03-04",
     ("fine", "CNIL", "OpenAI")),
    ("lost access to Y's models", "Cursor lost access to Google's Gemini models on Monday.", "2026-03-04",
     ("access_cutoff", "Google", "Cursor")),
    ("X filed the lawsuit", "A father has sued Midjourney. John Roe filed the lawsuit on Monday in a court in Boston.",
     "2026-03-04", ("lawsuit", "John Roe", "Midjourney")),
    ("a probe into how X does", "The CNIL opened an inquiry into how Mistral AI trains the model behind Le Chat.",
     "2026-03-04", ("investigation", "CNIL", "Mistral AI")),
    ("it after a clause about X", "The CNIL is among the EU's strictest regulators; it fined Mistral AI in May.",
     "2026-03-04", ("fine", "CNIL", "Mistral AI")),
    ("a publicly accessible store", "Researchers at Upwind said they had found a publicly accessible server "
     "belonging to Mistral AI.", "2026-03-04", ("security_finding", "Upwind", "Mistral AI")),
    ("the complaint accuses X", "The Authors Guild sued Meta in May. The complaint accuses Mistral AI of helping "
     "it copy books.", "2026-03-04", ("lawsuit", "Authors Guild", "Mistral AI")),
    ("it accuses, of a lawsuit", "A father has sued Perplexity. John Roe filed the suit on Monday. It accuses "
     "Perplexity and Amazon of negligence.", "2026-03-04", ("lawsuit", "John Roe", "Amazon")),
    ("a dotted name stays whole", "Jane Roe sued Character.AI and Google on Monday.", "2026-03-04",
     ("lawsuit", "Jane Roe", "Google")),
    ("X did Y, the company said, accusing its rival", "Google has cut off Perplexity's access to Gemini, the "
     "company said on Monday, accusing its rival of scraping its answers.", "2026-03-04",
     ("allegation", "Google", "Perplexity")),
    ("blocked the app in <place>", "The CNIL questioned Mistral AI about Le Chat. Last year the regulator briefly "
     "blocked the app in France.", "2026-03-04", ("ban", "CNIL", "Le Chat")),
    ("proceedings brought against", "The ruling follows proceedings Reddit brought against Perplexity in "
     "New York in March.", "2026-03-04", ("lawsuit", "Reddit", "Perplexity")),
    ("the company is never a regulator", "Clearview AI scraped billions of photos. The Hellenic Data Protection "
     "Authority said on Wednesday that the practice was illegal. The HDPA, as the Hellenic Data Protection Authority "
     "is known, fined the company 20 million euros.", "2022-07-14",
     ("fine", "Hellenic Data Protection Authority", "Clearview AI")),
    ("the company that has been acting", "Google cut off Perplexity's access to Gemini on Friday. Perplexity was "
     "furious. In March, the company cut Cursor's access to Gemini as well.", "2026-03-04",
     ("access_cutoff", "Google", "Cursor")),
    ("a paragraph's first name", "Perplexity drops Claude\n\nCursor lost access to Anthropic's Claude models after "
     "the lab concluded that its engineers had broken the rules by using the chatbot, Wired reported.",
     "2026-03-04", ("access_cutoff", "Anthropic", "Cursor")),
    ("exposed an amount of data on", "Google's cloud team exposed 12 gigabytes of customer data on Hugging Face "
     "last spring.", "2026-03-04", ("breach", "Google", "Hugging Face")),
    ("a bug which exposed data to <product> users", "Regulators asked about a glitch that Anthropic fixed in May, "
     "which exposed some users' prompts to other Claude users.", "2026-03-04", ("breach", "Anthropic", "Claude")),
    ("disclosed a flaw in", "Kestrel Labs has disclosed a prompt injection flaw in Gemini that could leak files.",
     "2026-03-04", ("security_finding", "Kestrel Labs", "Gemini")),
    ("reported the problem to", "Kestrel Labs reported the problem to Mistral AI in April.", "2026-03-04",
     ("security_finding", "Kestrel Labs", "Mistral AI")),
    ("the chamber restricted staff use of", "The Senate banned Gemini on Monday. In 2024 the chamber restricted "
     "staff use of Claude.", "2026-03-04", ("ban", "Senate", "Claude")),
    ("put guardrails on", "The Senate banned Gemini on Monday. Last year the same office put guardrails on "
     "Perplexity, allowing only a paid tier.", "2026-03-04", ("ban", "Senate", "Perplexity")),
]

# Phrases that name one party, not two, or no party at all.
NOT_PARTIES = [
    ("a name that describes another", "Ziff Davis has gone to court against OpenAI, accusing the Microsoft-backed "
     "AI company of copyright infringement.", "2026-03-04", ("allegation", "Ziff Davis", "Microsoft")),
    ("a watchdog of another remit", "France's competition authority fined Google 250 million euros on Wednesday.",
     "2026-03-04", ("fine", "CNIL", "Google")),  # CNIL oversees data; an invented CNIL fine misleads
    ("X, the developer of Y", "The CNIL fined Stability AI, the London-based developer of the image model "
     "Stable Diffusion, 2 million euros.", "2026-03-04", ("fine", "CNIL", "Stable Diffusion")),
    ("a headline's family word", "Father sues Perplexity over daughter's death", "2026-03-04",
     ("lawsuit", "Father", "Perplexity")),
    ("a <place> person", "A Texas father has sued OpenAI over his daughter's death.", "2026-03-04",
     ("lawsuit", "Texas", "OpenAI")),
]


def triples(doc):
    return {(e["type"], e["actor"], e["target"]) for e in doc._.events if not e["anaphor"] and e["target"]}


@pytest.mark.parametrize("covers,text,published,expected", CASES, ids=[c[0] for c in CASES])
def test_phrasing_gives_the_event(analyse_text, covers, text, published, expected):
    assert expected in triples(analyse_text(text, published))


def test_settling_a_suit_settles_with_its_named_plaintiffs(analyse_text):
    doc = analyse_text("Stability AI agreed to pay 40 million dollars to settle a class action brought by "
                       "illustrators. The lawsuit was filed last year by the artists Mara Lindqvist and "
                       "Tomas Ferreira.", "2026-03-04")
    found = triples(doc)
    for artist in ("Mara Lindqvist", "Tomas Ferreira"):
        assert ("lawsuit", artist, "Stability AI") in found
        assert ("settlement", "Stability AI", artist) in found


def test_an_order_to_keep_using_is_not_a_ban(analyse_text):
    doc = analyse_text("The Department of Justice ordered the Gemini app kept on all staff laptops.", "2026-03-04")
    assert not [e for e in doc._.events if e["type"] == "ban"]


def test_no_evidence_is_no_allegation(analyse_text):
    doc = analyse_text("Google said it had no evidence that Moonshot AI used Gemini outputs.", "2026-03-04")
    assert not [e for e in doc._.events if e["type"] == "allegation"]


def test_a_ban_from_a_weekday_takes_effect_ahead(analyse_text):
    # published Wednesday 4 March 2026: "from Friday" is 6 March, not the Friday before
    doc = analyse_text("Walmart bans ChatGPT from Friday on all store computers.", "2026-03-04")
    assert [e["date"] for e in doc._.events if e["type"] == "ban"] == ["2026-03-06"]


def test_a_name_ending_in_labs_is_an_organisation(analyse_text):
    doc = analyse_text("Halloran Labs said the flaw was fixed. Halloran later published a patch.", "2026-03-04")
    types = {row["name"]: row["type"] for row in doc._.entities}
    assert types.get("Halloran Labs") == "ORG"
    assert "Halloran" not in types  # the short form joins the full name


def test_another_makers_product_keeps_its_own_name(analyse_text):
    doc = analyse_text("Researchers at Kestrel Labs said on Tuesday that Brightleaf Copilot contains hidden "
                       "tracking code.", "2026-03-04")
    assert ("security_finding", "Kestrel Labs", "Brightleaf Copilot") in triples(doc)


def test_a_vendor_cutting_a_customer_off_is_still_a_cutoff(analyse_text):
    doc = analyse_text("Anthropic cut off OpenAI's access to Claude on Friday.", "2026-03-04")
    assert ("access_cutoff", "Anthropic", "OpenAI") in triples(doc)
    assert not [e for e in doc._.events if e["type"] == "ban"]


def test_saying_a_rival_did_something_ordinary_is_no_allegation(analyse_text):
    doc = analyse_text("OpenAI says DeepSeek released a new model on Monday.", "2026-03-04")
    assert not [e for e in doc._.events if e["type"] == "allegation"]


def test_a_departments_ban_beside_its_countrys_is_one_ban(analyse_text):
    doc = analyse_text("Australia banned DeepSeek from government devices on Tuesday. The Department of Home "
                       "Affairs ordered DeepSeek removed from every federal device.", "2026-03-04")
    bans = {(e["actor"], e["target"]) for e in doc._.events if e["type"] == "ban" and not e["anaphor"]}
    assert bans == {("Australia", "DeepSeek")}


def test_removing_a_part_from_a_product_is_no_ban(analyse_text):
    doc = analyse_text("Tidewell removed the module from Copilot on Monday.", "2026-03-04")
    assert not [e for e in doc._.events if e["type"] == "ban"]


def dates(doc, etype):
    return {(e["actor"], e["target"]): e["date"] for e in doc._.events if e["type"] == etype and not e["anaphor"]}


def test_a_date_in_a_clause_about_another_event_dates_that_event(analyse_text):
    doc = analyse_text("Walmart has told staff to stop using ChatGPT after engineers pasted source code into "
                       "ChatGPT last month.", "2026-03-04")
    assert dates(doc, "ban") == {("Walmart", "ChatGPT"): "2026-03-04"}
    assert dates(doc, "breach") == {("Walmart", "ChatGPT"): "2026-02"}


def test_when_a_ban_was_imposed_beats_when_it_was_confirmed(analyse_text):
    # Friday 13 March 2026: confirmed Thursday the 12th, imposed Wednesday the 11th
    doc = analyse_text("Deutsche Bank confirmed on Thursday that it has prohibited staff from using Gemini. "
                       "The ban was imposed on Wednesday.", "2026-03-13")
    assert dates(doc, "ban") == {("Deutsche Bank", "Gemini"): "2026-03-11"}


def test_the_researchers_are_the_ones_already_named(analyse_text):
    doc = analyse_text("Researchers at Kestrel Labs published an audit of Cursor. The researchers also found "
                       "a flaw in Cursor.", "2026-03-04")
    assert ("security_finding", "Kestrel Labs", "Cursor") in triples(doc)
    assert ("security_finding", "security researchers", "Cursor") not in triples(doc)


def test_a_gerund_tagged_as_a_noun_does_not_name_the_accused(nlp_pipeline):
    """The small model sometimes tags "harvesting" in "accusing the start-up of harvesting
    Claude's answers" as a noun; the parse is given here so the test does not depend on it."""
    from spacy.tokens import Doc

    words = ["Anthropic", "cut", "off", "Veldra", "Labs", ",", "accusing", "the", "start-up", "of",
             "harvesting", "Claude", "'s", "answers", "."]
    lemmas = [w.lower() if i in (1, 2) else w for i, w in enumerate(words)]
    lemmas[6], lemmas[13] = "accuse", "answer"
    pos = ["PROPN", "VERB", "ADP", "PROPN", "PROPN", "PUNCT", "VERB", "DET", "NOUN", "ADP", "NOUN", "PROPN",
           "PART", "NOUN", "PUNCT"]
    heads = [1, 1, 1, 4, 1, 1, 1, 8, 6, 8, 9, 13, 11, 10, 1]
    deps = ["nsubj", "ROOT", "prt", "compound", "dobj", "punct", "advcl", "det", "dobj", "prep", "pobj", "poss",
            "case", "dobj", "punct"]
    ents = ["B-ORG", "O", "O", "B-ORG", "I-ORG"] + ["O"] * 6 + ["B-PRODUCT", "O", "O", "O"]
    doc = Doc(nlp_pipeline.vocab, words=words, lemmas=lemmas, pos=pos, heads=heads, deps=deps, ents=ents,
              sent_starts=[True] + [False] * 14)
    doc._.published = "2026-03-04"
    for name in ("incident_canonical", "incident_events"):
        doc = nlp_pipeline.get_pipe(name)(doc)
    assert ("allegation", "Anthropic", "Veldra Labs") in triples(doc)
    assert ("allegation", "Anthropic", "Claude") not in triples(doc)


def test_an_investigation_opened_without_saying_into_whom_is_into_the_storys_subject(analyse_text):
    doc = analyse_text("Mistral AI has faced complaints for months. On Monday the CNIL said it had opened an "
                       "investigation.", "2026-03-04")
    assert ("investigation", "CNIL", "Mistral AI") in triples(doc)
    doc = analyse_text("Mistral AI has faced complaints for months. The CNIL said it could open an investigation.",
                       "2026-03-04")
    assert not [e for e in doc._.events if e["type"] == "investigation" and e["target"]]


@pytest.mark.parametrize("covers,text,published,wrong", NOT_PARTIES, ids=[c[0] for c in NOT_PARTIES])
def test_phrase_names_no_second_party(analyse_text, covers, text, published, wrong):
    assert wrong not in triples(analyse_text(text, published))


def test_looking_into_whether_it_can_targets_no_one(analyse_text):
    doc = analyse_text("The Autoriteit Persoonsgegevens (AP) fined Clearview AI on Tuesday. The authority is also "
                       "looking into whether it can hold the company's directors personally liable.", "2026-03-04")
    assert not [e for e in doc._.events if e["type"] == "investigation" and e["target"]]


def test_a_sum_in_a_currency_code_is_no_organisation(analyse_text):
    doc = analyse_text("The CNIL slapped a EUR8m penalty on Mistral AI on Monday.", "2026-03-04")
    assert not [row for row in doc._.entities if row["name"].startswith("EUR")]
