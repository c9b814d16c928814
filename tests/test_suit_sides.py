"""A lawsuit has two sides, and a story often names them in different sentences: the
defendant in the lead, the plaintiffs later ("the lawsuit brought by A and B", "the actors
behind the suit are A and B", "the suit, whose plaintiffs include A", "the plaintiffs include
A", "A is among the plaintiffs", "A and B brought the case", "the action was filed by A"), or
both in one with any verb that brings a suit ("A lodged a lawsuit against B"); a settlement
names its payer and leaves the counter-parties to the suit the story tells of.
Each story here asserts the exact set of lawsuit and settlement events: a missed plaintiff,
a pair nobody stated, or a settlement with no counter-party fails it.
"""
from test_event_paraphrases import events_of, same_events

STORIES = [
    ("Three novelists have taken Nvidia to court over its NeMo model. "
     "The lawsuit brought by authors Abdi Nazemian, Brian Keene and Stewart O'Nan says the books were copied.",
     {("lawsuit", a, "Nvidia") for a in ("Abdi Nazemian", "Brian Keene", "Stewart O'Nan")}),
    ("Two voice actors are suing ElevenLabs over its voice generator. "
     "The actors behind the complaint are Tony Justice and Anthony Bartolone.",
     {("lawsuit", a, "ElevenLabs") for a in ("Tony Justice", "Anthony Bartolone")}),
    ("Artists are suing Stability AI over its image model. "
     "The complaint was filed by Sarah Andersen together with Kelly McKernan and Karla Ortiz.",
     {("lawsuit", a, "Stability AI") for a in ("Sarah Andersen", "Kelly McKernan", "Karla Ortiz")}),
    ("Writers have taken Microsoft to court over its Megatron model. "
     "The Authors Guild backs the suit, whose plaintiffs include Kai Bird and Jia Tolentino.",
     {("lawsuit", a, "Microsoft") for a in ("Kai Bird", "Jia Tolentino")}),
    ("Fourteen publishers sued Cohere on Thursday. "
     "The plaintiffs include Condé Nast, Forbes and the Toronto Star.",
     {("lawsuit", a, "Cohere") for a in ("Condé Nast", "Forbes", "Toronto Star")}),
    ("Cohere was sued in New York on Thursday. Among the plaintiffs are Forbes and the Toronto Star.",
     {("lawsuit", a, "Cohere") for a in ("Forbes", "Toronto Star")}),
    ("Authors have taken OpenAI to court in New York. John Grisham is one of the plaintiffs.",
     {("lawsuit", "John Grisham", "OpenAI")}),
    ("Meta faces pressure over how it trained Llama. "
     "Authors Sarah Silverman and Richard Kadrey brought the case in July.",
     {("lawsuit", a, "Meta") for a in ("Sarah Silverman", "Richard Kadrey")}),
    ("Cohere is under fire from news publishers. Condé Nast and Forbes filed the action in federal court.",
     {("lawsuit", a, "Cohere") for a in ("Condé Nast", "Forbes")}),
    ("Cohere is under fire from news publishers. The action was filed by Condé Nast and Forbes on Thursday.",
     {("lawsuit", a, "Cohere") for a in ("Condé Nast", "Forbes")}),
    ("Anthropic agreed to pay $1.5 billion to settle a class action lawsuit by authors who said it pirated their "
     "books. Thriller writer Andrea Bartz and nonfiction authors Charles Graeber and Kirk Wallace Johnson brought "
     "the case last year.",
     {(t, *pair) for a in ("Andrea Bartz", "Charles Graeber", "Kirk Wallace Johnson")
      for t, *pair in (("lawsuit", a, "Anthropic"), ("settlement", "Anthropic", a))}),
    # any bringing verb carries the suit word's sides, not only the everyday "file" and "bring"
    ("The Authors Guild lodged a lawsuit against OpenAI in New York.", {("lawsuit", "Authors Guild", "OpenAI")}),
    ("Getty Images initiated legal action against Stability AI in January.",
     {("lawsuit", "Getty Images", "Stability AI")}),
    ("Cohere is under fire from news publishers. Condé Nast and Forbes lodged the action in federal court.",
     {("lawsuit", a, "Cohere") for a in ("Condé Nast", "Forbes")}),
    # a word that names a suit only when someone brings it, or a suit nobody brought
    ("Cohere is under fire from news publishers. Condé Nast took action to protect its journalism.", set()),
    ("Meta faces pressure over how it trained Llama. In this case, Sarah Silverman said she would wait.", set()),
    ("Meta faces pressure over how it trained Llama. Sarah Silverman did not bring the case, her lawyer said.", set()),
    ("Cohere is under fire from news publishers. Condé Nast could bring a case, lawyers said.", set()),
    ("Nvidia agreed to a $20 million settlement on Tuesday. "
     "The lawsuit brought by authors Abdi Nazemian and Brian Keene had accused the company of copying their books.",
     {("lawsuit", "Abdi Nazemian", "Nvidia"), ("lawsuit", "Brian Keene", "Nvidia"),
      ("settlement", "Nvidia", "Abdi Nazemian"), ("settlement", "Nvidia", "Brian Keene")}),
]


def suit_events(doc) -> set:
    return events_of(doc, "lawsuit") | events_of(doc, "settlement")


def test_the_plaintiffs_named_apart_from_the_defendant_each_sue_it(analyse_text):
    wrong = []
    for text, want in STORIES:
        got = suit_events(analyse_text(text, "2026-07-08"))
        if not same_events(got, want, analyse_text):
            wrong.append(f"{text!r}: got {sorted(got)}, want {sorted(want)}")
    assert not wrong, "\n".join(wrong)


def test_a_settlement_with_nobody_suing_the_payer_names_no_counter_party(analyse_text):
    doc = analyse_text("Acme Robotics agreed to a settlement on Tuesday, its chief executive said.", "2026-07-08")
    settlements = [e for e in doc._.events if e["type"] == "settlement" and not e["anaphor"]]
    assert settlements == []


def test_a_defendant_named_later_is_sued_by_the_story_s_plaintiffs(analyse_text):
    doc = analyse_text("Elon Musk has sued OpenAI over its shift to profit. "
                       "The lawsuit also names OpenAI president Greg Brockman as a defendant.", "2026-07-08")
    assert ("lawsuit", "Elon Musk", "Greg Brockman") in events_of(doc, "lawsuit")


def test_plaintiffs_named_beside_the_suit_take_the_suit_s_date(analyse_text):
    doc = analyse_text("Kai Bird sued Microsoft on 12 March over its Megatron model. "
                       "The Authors Guild backs the suit, whose plaintiffs also include Jia Tolentino.",
                       "2026-07-08")
    dates = {(e["actor"], e["target"]): e["date"] for e in doc._.events if e["type"] == "lawsuit" and e["actor"]}
    assert dates.get(("Kai Bird", "Microsoft")) == "2026-03-12"
    assert dates.get(("Jia Tolentino", "Microsoft")) == "2026-03-12"


def test_a_party_the_plaintiffs_do_not_include_sues_no_one(analyse_text):
    doc = analyse_text("Cohere was sued in New York on Thursday. The plaintiffs do not include Forbes, "
                       "and the Toronto Star is not among the plaintiffs either.", "2026-07-08")
    assert not {e for e in events_of(doc, "lawsuit") if e[1] in ("Forbes", "Toronto Star")}


def test_what_a_plaintiff_accuses_the_party_it_sues_of_is_the_suit(analyse_text):
    doc = analyse_text("Reddit sued Anthropic in San Francisco on Wednesday. "
                       "In a separate statement, Reddit accused Anthropic of scraping its site more than 100,000 times.",
                       "2026-07-08")
    assert events_of(doc, "lawsuit") == {("lawsuit", "Reddit", "Anthropic")}
    assert events_of(doc, "allegation") == set()


def test_an_accusation_against_someone_not_sued_stays_an_allegation(analyse_text):
    doc = analyse_text("Reddit sued Anthropic in San Francisco on Wednesday. "
                       "Reddit also accused Microsoft of scraping its site.", "2026-07-08")
    assert ("allegation", "Reddit", "Microsoft") in events_of(doc, "allegation")
