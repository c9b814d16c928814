"""incident_entity_spans: an entity covers the whole name the text wrote, so an event's
actor is the institution named, not the country or the role word beside it."""
import pytest


def names(doc):
    return {row["name"] for row in doc._.entities}


def events(doc):
    return {(e["type"], e["actor"], e["target"]) for e in doc._.events}


@pytest.mark.parametrize("text, whole, part", [
    ("The US Congress has told its staff not to use DeepSeek.", "US Congress", "Congress"),
    ("The U.S. Air Force barred its pilots from using ChatGPT.", "U.S. Air Force", "United States"),
    ("Thomson Reuters sued Ross Intelligence for copyright infringement.", "Thomson Reuters", "Reuters"),
])
def test_a_known_name_inside_a_longer_one_does_not_cut_it(analyse_text, text, whole, part):
    doc = analyse_text(text)
    assert whole in names(doc)
    assert part not in names(doc)
    assert any(e["actor"] == whole for e in doc._.events)


def test_a_name_the_model_stops_early_runs_on_to_its_head(analyse_text):
    doc = analyse_text("The ICO's enforcement action follows a joint investigation with the Office of the "
                       "Australian Information Commissioner.")
    assert "Office of the Australian Information Commissioner" in names(doc)
    assert "Office of the Australian Information" not in names(doc)


def test_a_name_the_model_ends_on_of_runs_on_to_the_place_it_names(analyse_text):
    doc = analyse_text("The suits, announced on Monday by the Recording Industry Association of America (RIAA), "
                       "name Suno and Udio.")
    assert "Recording Industry Association of America" in names(doc)
    assert not names(doc) & {"Recording Industry Association", "Recording Industry Association of"}


def test_a_name_joined_by_and_is_one_name_where_its_words_modify_each_other(analyse_text):
    doc = analyse_text("The Malaysian Communications and Multimedia Commission lifted its block on Grok on Friday.")
    assert "Malaysian Communications and Multimedia Commission" in names(doc)
    assert not names(doc) & {"Malaysian Communications", "Multimedia Commission"}


def test_a_place_like_name_listed_among_organisations_is_one(analyse_text):
    doc = analyse_text("Publishers including Condé Nast, The Atlantic and Forbes sued Cohere on Thursday.")
    assert events(doc) == {("lawsuit", a, "Cohere") for a in ("Condé Nast", "Atlantic", "Forbes")}
    assert "Atlantic" not in names(analyse_text("Ships crossed the Atlantic and the Pacific on Thursday."))


def test_two_names_joined_by_and_stay_two(analyse_text):
    doc = analyse_text("Google and Microsoft sued OpenAI.")
    assert {"Google", "Microsoft"} <= names(doc)
    assert events(doc) == {("lawsuit", "Google", "OpenAI"), ("lawsuit", "Microsoft", "OpenAI")}


def test_a_sum_of_money_is_no_part_of_a_name(analyse_text):
    doc = analyse_text("France's privacy regulator, the CNIL, has fined the facial recognition company "
                       "Clearview AI EUR 20 million for breaking privacy rules. Anthropic's Claude Opus 4 was "
                       "not fined.")
    assert ("fine", "CNIL", "Clearview AI") in events(doc)
    assert "Claude Opus 4" in names(doc)  # a model's number is part of its name


def test_a_number_no_year_can_be_is_part_of_a_name_not_a_date(analyse_text):
    doc = analyse_text("On Sept. 25 Microsoft said it had cut off services to Unit 8200, an Israeli military unit. "
                       "In 2023 the unit had grown.")
    assert "Unit 8200" in names(doc)
    assert [e.text for e in doc.ents if e.label_ == "DATE"] == ["Sept. 25", "2023"]


def test_an_organisations_name_runs_on_through_of(analyse_text):
    doc = analyse_text("The U.S. House of Representatives has barred congressional staffers from using "
                       "Microsoft's Copilot. The privacy watchdog Garante of Italy said nothing.")
    assert "U.S. House of Representatives" in names(doc) and "U.S. House" not in names(doc)
    # a place alone after "of" says where the organisation is, not what it is called
    assert {"Garante", "Italy"} <= names(doc)


def test_a_role_word_is_not_part_of_a_name(analyse_text):
    doc = analyse_text("Plaintiffs Mac Pierce, Niki Hughes and Sean Hughes filed the class action complaint "
                       "against Photobucket Inc. on Dec. 13.")
    assert "Mac Pierce" in names(doc) and "Plaintiffs Mac Pierce" not in names(doc)
    assert ("lawsuit", "Mac Pierce", "Photobucket") in events(doc)


def test_an_institution_on_file_keeps_its_own_name(analyse_text):
    doc = analyse_text("The U.S. Federal Trade Commission fined OpenAI on Monday.")
    assert ("fine", "Federal Trade Commission", "OpenAI") in events(doc)


def test_the_pentagon_is_not_the_whole_military(analyse_text):
    doc = analyse_text("The Pentagon has cut off access to DeepSeek over national security worries.")
    assert events(doc) == {("ban", "Pentagon", "DeepSeek")}


def test_a_persons_role_is_not_an_organisation(analyse_text):
    doc = analyse_text("At a Senate hearing on Thursday, Microsoft Vice Chairman and President Brad Smith said "
                       "Microsoft employees are forbidden from using the DeepSeek chatbot.")
    assert not any("Chairman" in (e["actor"] or "") for e in doc._.events)
    assert not any("Chairman" in row["name"] for row in doc._.entities)


def test_words_describing_a_known_firm_are_not_part_of_its_name(analyse_text):
    doc = analyse_text("Regulators questioned AI Company DeepSeek on Monday. Italy fined Chinese AI Startup "
                       "DeepSeek on Tuesday.")
    assert "DeepSeek" in names(doc)
    assert not any("Company" in n or "Startup" in n for n in names(doc))
    assert ("fine", "Italy", "DeepSeek") in events(doc)


@pytest.mark.parametrize("text, description", [
    ("Leading US AI companies say DeepSeek copied their models.", "US AI"),
    ("DeepSeek, known for matching U.S. AI models at lower cost, was banned by the Pentagon.", "U.S. AI"),
    ("Chinese AI firms face new scrutiny from the Commerce Department.", "Chinese AI"),
])
def test_words_that_only_describe_name_no_organisation(analyse_text, text, description):
    """"US AI companies" are no company called "US AI": no entity, so no party of an event."""
    doc = analyse_text(text)
    assert description not in names(doc)
    assert all(description not in (e["actor"], e["target"]) for e in doc._.events)


@pytest.mark.parametrize("text, whole, acronym, name", [
    ("On Monday, the Australian Competition and Consumer Commission (ACCC) said it had sued Microsoft. "
     "The ACCC says Microsoft misled 2.7 million subscribers.", "Australian Competition and Consumer Commission", "ACCC",
     "ACCC"),
    ("The Department of Justice (DOJ) sued Google on Tuesday.", "Department of Justice", "DOJ", "Department of Justice"),
])
def test_an_acronym_in_brackets_spells_the_whole_name_and_is_another_name_of_it(analyse_text, text, whole, acronym,
                                                                                name):
    """One entity, by the form the story writes more often (the full name when they tie)."""
    doc = analyse_text(text)
    rows = [r for r in doc._.entities if {whole, acronym} & {r["name"], *r["mentions"]}]
    assert len(rows) == 1 and {whole, acronym} <= {rows[0]["name"], *rows[0]["mentions"]}
    assert rows[0]["name"] == name
    assert {e["actor"] for e in doc._.events} == {name}


def test_a_countrys_regulator_not_on_file_is_the_one_the_story_names_not_the_country(analyse_text):
    doc = analyse_text("Australia's competition regulator sued Microsoft on Monday, according to France 24. The "
                       "Australian Competition and Consumer Commission (ACCC) said it had lodged proceedings in the "
                       "Federal Court.")
    assert events(doc) == {("lawsuit", "Australian Competition and Consumer Commission", "Microsoft")}
    doc = analyse_text("Australia's competition regulator sued Microsoft on Monday. The Australian Competition and "
                       "Consumer Commission (ACCC) said it had lodged proceedings. The ACCC says Microsoft misled users.")
    assert ("lawsuit", "ACCC", "Microsoft") in events(doc) and not any(e[1] == "Australia" for e in events(doc))
    doc = analyse_text("Australia's competition regulator sued Microsoft on Monday, according to France 24.")
    assert events(doc) == {("lawsuit", "Australia", "Microsoft")}  # no body named: the country acts


@pytest.mark.parametrize("text, name, etype", [
    ("Mumsnet, a website for parents to network, is reported to be taking legal action against OpenAI.",
     "Mumsnet", "ORG"),
    ("Regulators fined Earnest, a student loan company, on Tuesday.", "Earnest", "ORG"),
    ("Truffle Security found nearly 12,000 valid API keys and passwords in the Common Crawl dataset.",
     "Common Crawl", "PRODUCT"),
])
def test_a_name_the_model_missed_is_one_when_a_noun_says_what_it_is(analyse_text, text, name, etype):
    assert {row["name"]: row["type"] for row in analyse_text(text)._.entities}.get(name) == etype


def test_capitalised_words_a_noun_follows_are_no_name_at_the_start_of_a_sentence(analyse_text):
    assert not names(analyse_text("Security researchers found a flaw in the chatbot on Monday.")) & {
        "Security", "Security researchers"}


def test_a_title_inside_a_persons_name_leaves_the_person_and_the_body_apart(analyse_text):
    doc = analyse_text("“This misled consumers,” said ACCC Chair Gina Cass-Gottlieb.")
    assert {"ACCC", "Gina Cass-Gottlieb"} <= names(doc)
    assert not any("Chair" in name for name in names(doc))



@pytest.mark.parametrize("title, text, name, fragments", [
    ("Center for Investigative Reporting Takes OpenAI and Microsoft to Court Over Copyright",
     "The Center for Investigative Reporting, the producer of Mother Jones, sued OpenAI and Microsoft on Thursday.",
     "Center for Investigative Reporting", {"Center for Investigative Reporting Takes"}),
    ("Spain Launches Probe Into ChatGPT Over Possible Data Protection Breach",
     "The Spanish Data Protection Agency said on Thursday that it will open an investigation into OpenAI.",
     "Spanish Data Protection Agency", {"Launches Probe Into", "Possible Data Protection Breach", "Data Protection",
                                        "Possible"}),
    ("Suno, Valued at $500m, Faces a Fresh Copyright Suit From Germany's GEMA",
     "GEMA filed the lawsuit against Suno with the Munich Regional Court on January 21.",
     "GEMA", {"Faces a Fresh Copyright Suit", "Fresh", "Fresh Copyright Suit"}),
])
def test_a_headline_capitalises_every_word_so_a_name_there_is_one_as_far_as_the_body_writes_it(
        analyse_text, title, text, name, fragments):
    doc = analyse_text(text, title=title)
    assert name in names(doc)
    assert not names(doc) & fragments
    assert not {party for e in doc._.events for party in (e["actor"], e["target"])} & fragments


def test_a_surname_in_the_headline_is_the_person_the_body_names_in_full(analyse_text):
    doc = analyse_text("Governor Glenn Youngkin today signed an order which bans DeepSeek from state devices.",
                       title="Youngkin bans DeepSeek on Virginia state devices")
    assert ("ban", "Glenn Youngkin", "DeepSeek") in events(doc) or ("ban", "Youngkin", "DeepSeek") in events(doc)


def test_a_list_item_joined_by_along_with_is_a_party_too(analyse_text):
    doc = analyse_text("The deal ends a legal fight that started last year, when Warner, along with Sony Music "
                       "and Universal Music, sued Suno and a similar company, Udio.")
    assert {("lawsuit", "Warner", "Suno"), ("lawsuit", "Sony Music", "Suno"),
            ("lawsuit", "Universal Music", "Suno")} <= events(doc)
