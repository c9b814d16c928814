"""incident_events: each event type read in active, passive and nominal phrasing, with
actor and target from the parse; negated, hypothetical and questioned events skipped."""
import pytest

PHRASINGS = [
    # (event type, phrasing, sentence, actor, target)
    ("ban", "active", "Deutsche Bank has banned its staff from using ChatGPT.", "Deutsche Bank", "ChatGPT"),
    ("ban", "passive", "Grok was banned by Turkey on Wednesday.", "Turkey", "Grok"),
    ("ban", "nominal", "Verizon announced a ban on Copilot for all engineers.", "Verizon", "Copilot"),
    ("ban_lifted", "active", "Italy lifted its ban on ChatGPT after OpenAI made changes.", "Italy", "ChatGPT"),
    ("ban_lifted", "passive", "The ban on DeepSeek was lifted by South Korea in April.", "South Korea", "DeepSeek"),
    ("ban_lifted", "nominal", "Italy announced the reinstatement of ChatGPT.", "Italy", "ChatGPT"),
    ("access_cutoff", "active", "OpenAI revoked Anthropic's access to its API.", "OpenAI", "Anthropic"),
    ("access_cutoff", "passive", "Windsurf was cut off from Claude by Anthropic.", "Anthropic", "Windsurf"),
    ("access_cutoff", "nominal", "Anthropic's cutoff of Windsurf surprised developers.", "Anthropic", "Windsurf"),
    ("allegation", "active", "OpenAI accused DeepSeek of distilling its models.", "OpenAI", "DeepSeek"),
    ("allegation", "passive", "DeepSeek was accused by OpenAI of copying its models.", "OpenAI", "DeepSeek"),
    ("allegation", "nominal", "OpenAI's allegations against DeepSeek grew louder.", "OpenAI", "DeepSeek"),
    ("lawsuit", "active", "The New York Times sued OpenAI over copyright.", "The New York Times", "OpenAI"),
    ("lawsuit", "passive", "OpenAI was sued by The New York Times in December.", "The New York Times", "OpenAI"),
    ("lawsuit", "nominal", "The New York Times filed a lawsuit against Microsoft.", "The New York Times", "Microsoft"),
    ("investigation", "active", "The FTC is investigating OpenAI over its data practices.",
     "Federal Trade Commission", "OpenAI"),
    ("investigation", "passive", "OpenAI is being investigated by the FTC.", "Federal Trade Commission", "OpenAI"),
    ("investigation", "nominal", "The CNIL opened an investigation into Mistral AI.", "CNIL", "Mistral AI"),
    ("security_finding", "active", "Security researchers found hidden code in Copilot.",
     "security researchers", "Copilot"),
    ("security_finding", "passive", "A backdoor was discovered in Cursor by security researchers.",
     "security researchers", "Cursor"),
    ("security_finding", "nominal", "The discovery that Copilot sends hidden telemetry alarmed users.",
     "security researchers", "Copilot"),
    ("breach", "active", "Engineers at Samsung leaked source code to ChatGPT.", "Samsung", "ChatGPT"),
    ("breach", "passive", "Customer data was leaked by Microsoft through Copilot.", "Microsoft", "Copilot"),
    ("breach", "nominal", "OpenAI suffered a breach of ChatGPT in March.", "OpenAI", "ChatGPT"),
    ("fine", "active", "The CNIL fined Google 150 million euros.", "CNIL", "Google"),
    ("fine", "passive", "Meta was fined by the Irish Data Protection Commission.", "Data Protection Commission",
     "Meta"),
    ("fine", "nominal", "The FTC imposed a $5 billion fine on Meta.", "Federal Trade Commission", "Meta"),
    ("settlement", "active", "Anthropic settled with Reddit over scraping.", "Anthropic", "Reddit"),
    ("settlement", "passive", "The dispute with Reddit was settled by Anthropic in March.", "Anthropic", "Reddit"),
    ("settlement", "nominal", "Anthropic reached a settlement with Reddit.", "Anthropic", "Reddit"),
]


def triples(doc):
    return {(e["type"], e["actor"], e["target"]) for e in doc._.events if not e["anaphor"]}


@pytest.mark.parametrize("etype,phrasing,sentence,actor,target", PHRASINGS,
                         ids=[f"{p[0]}-{p[1]}" for p in PHRASINGS])
def test_event_is_read_with_actor_and_target(analyse_text, etype, phrasing, sentence, actor, target):
    assert (etype, actor, target) in triples(analyse_text(sentence))


def test_every_contract_event_type_is_covered():
    from incidents.model import EVENT_TYPES

    for etype in EVENT_TYPES:
        assert {p[1] for p in PHRASINGS if p[0] == etype} == {"active", "passive", "nominal"}


def test_event_keeps_trigger_and_evidence_sentence(analyse_text):
    doc = analyse_text("Markets fell. Deutsche Bank has banned its staff from using ChatGPT. Shares rose.")
    (event,) = [e for e in doc._.events if e["type"] == "ban"]
    assert event["evidence"] == "Deutsche Bank has banned its staff from using ChatGPT."
    assert event["trigger"] == "banned"
    assert doc.text[event["sent_start"]:].startswith("Deutsche Bank")


def test_one_event_per_named_target(analyse_text):
    doc = analyse_text("Samsung banned ChatGPT, Bard and Bing on company devices.")
    assert {("ban", "Samsung", t) for t in ("ChatGPT", "Bard", "Bing")} <= triples(doc)


@pytest.mark.parametrize("sentence", [
    "Samsung did not ban ChatGPT.",
    "Samsung never banned ChatGPT.",
    "Apple could ban ChatGPT next year.",
    "Apple might fine OpenAI.",
    "Apple is considering a ban on ChatGPT.",
    "Apple plans to ban Copilot.",
    "Will Apple ban ChatGPT?",
    "If Apple bans ChatGPT, staff will complain.",
])
def test_negated_hypothetical_and_questioned_events_are_not_events(analyse_text, sentence):
    assert triples(analyse_text(sentence)) == set()


def test_article_without_events(analyse_text):
    doc = analyse_text("Alibaba opened a new office in Singapore. The company hired 200 engineers there.")
    assert doc._.events == []


def test_government_resolves_to_its_country(analyse_text):
    doc = analyse_text("The Australian Government has barred DeepSeek from federal devices.")
    assert ("ban", "Australia", "DeepSeek") in triples(doc)


def test_regulator_phrase_resolves_to_gazetteer_regulator(analyse_text):
    doc = analyse_text("Italy's data protection regulator fined OpenAI 15 million euros.")
    assert ("fine", "Garante", "OpenAI") in triples(doc)


def test_definite_description_resolves_to_last_named_product(analyse_text):
    doc = analyse_text("Staff used ChatGPT at work. Then Samsung banned the chatbot on company phones.")
    assert ("ban", "Samsung", "ChatGPT") in triples(doc)


def test_she_or_he_is_the_person_named_before(analyse_text):
    doc = analyse_text("Sarah Silverman is a comedian and author. In July she sued OpenAI over her books.")
    assert ("lawsuit", "Sarah Silverman", "OpenAI") in triples(doc)
    doc = analyse_text("Meta hired Alexandr Wang. Alexandr Wang said he had sued Scale's rival Labelbox.")
    assert ("lawsuit", "Alexandr Wang", "Labelbox") in triples(doc)


def test_the_agent_of_a_passive_is_read_where_the_parser_hangs_it_on_the_amount(nlp_pipeline):
    from nlp.candidates import slot
    doc = nlp_pipeline("Clearview AI was fined twenty million euros by the Greek regulator.")
    fined, regulator = next(t for t in doc if t.lower_ == "fined"), next(t for t in doc if t.lower_ == "regulator")
    assert slot(fined, regulator) == "agent:by>pobj"


@pytest.mark.parametrize("sentence, trigger, party, expected", [
    ("Meta faces a lawsuit from the authors.", "lawsuit", "Meta", "bearer>nsubj"),
    ("Clearview AI received a fine of 20 million euros.", "fine", "Clearview", "bearer>nsubj"),
    ("Replika came under investigation last year.", "investigation", "Replika", "bearer>nsubj"),
    ("Meta announced a lawsuit against the authors.", "lawsuit", "Meta", "gov>nsubj"),
    ("The lawsuit by the authors names Meta.", "lawsuit", "authors", "agent:by>pobj"),
])
def test_who_undergoes_a_noun_event_and_who_acts_it_by(nlp_pipeline, sentence, trigger, party, expected):
    """The subject of "faces", "received" or "came under" undergoes the event the noun names,
    unlike the subject of "announced"; "by" after an event noun names who acts it."""
    from nlp.candidates import slot
    from nlp.resources import lexicon
    doc = nlp_pipeline(sentence)
    trig, tok = next(t for t in doc if t.lower_ == trigger), next(t for t in doc if t.text == party)
    assert slot(trig, tok, lexicon().words["bearer_verbs"]) == expected


def test_allegation_that_names_the_wronged_party(analyse_text):
    doc = analyse_text("The feud centres on allegations that DeepSeek stole OpenAI's models.")
    assert ("allegation", "OpenAI", "DeepSeek") in triples(doc)


@pytest.mark.parametrize("sentence", [
    "Alibaba told its employees to stop using Claude Code.",
    "Alibaba ordered staff to uninstall Claude Code from their laptops.",
])
def test_ordering_staff_to_drop_a_product_is_a_ban(analyse_text, sentence):
    assert ("ban", "Alibaba", "Claude Code") in triples(analyse_text(sentence))


def test_relative_clause_argument_is_the_story_subject(analyse_text):
    doc = analyse_text("Alibaba banned Claude Code. Alibaba staff were told on Monday. The ban comes from a "
                       "company that Anthropic publicly accused of distillation.")
    assert ("allegation", "Anthropic", "Alibaba") in triples(doc)


def test_unlabelled_company_name_and_place_modifier(analyse_text):
    doc = analyse_text("Corvexa, the San Francisco developer of a language model, cut off API access "
                       "for Fjellbyte Labs.")
    assert {actor for _, actor, _ in triples(doc)} == {"Corvexa"}


def test_an_official_acts_as_themselves_and_their_government_for_the_polity(analyse_text):
    # the labelled stories name the governor, not the state, as the one who banned it
    doc = analyse_text("Texas Governor Greg Abbott on Friday banned DeepSeek from state devices.")
    assert ("ban", "Greg Abbott", "DeepSeek") in triples(doc)
    assert ("ban", "Texas", "DeepSeek") not in triples(doc)
    doc = analyse_text("Two years ago, the government of Prime Minister Anthony Albanese banned TikTok "
                       "from government devices in Australia.")
    assert ("ban", "Australia", "TikTok") in triples(doc)


def test_accusation_inside_a_lawsuit_is_the_lawsuit(analyse_text):
    doc = analyse_text("Getty Images sued Stability AI, accusing it of copying millions of photographs.")
    assert triples(doc) == {("lawsuit", "Getty Images", "Stability AI")}


def test_unlabelled_company_in_a_fine(analyse_text):
    doc = analyse_text("The CNIL fined Clearview AI 20 million euros.")
    assert ("fine", "CNIL", "Clearview AI") in triples(doc)


def test_blocking_a_deal_is_not_a_ban(analyse_text):
    doc = analyse_text("The Federal Trade Commission moved to block Microsoft's acquisition of Activision Blizzard.")
    assert not any(t[0] == "ban" for t in triples(doc))
