"""Who stops whom decides between a ban and an access cut-off (nlp/stop_types.py), whatever
the verb: the same "blocked" is a ban by an authority or a firm's IT department and a
cut-off by a vendor withdrawing its own service."""
import pytest

from nlp.stop_types import stop_type
from test_event_paraphrases import events_of

SENTENCES = [
    ("Italy's privacy watchdog blocked DeepSeek.", {("ban", "Garante", "DeepSeek")}),
    ("NASA blocked DeepSeek on agency devices.", {("ban", "NASA", "DeepSeek")}),
    # only a vendor can cut off access to its own service: anyone else cutting off a vendor bans it
    ("NASA has cut off access to DeepSeek, pointing to security worries.", {("ban", "NASA", "DeepSeek")}),
    ("OpenAI blocked access to its API in China.", {("access_cutoff", "OpenAI", "China")}),
    ("Anthropic cut off Windsurf's access to Claude.", {("access_cutoff", "Anthropic", "Windsurf")}),
    # the rules read "suspended" as a ban too; a vendor suspending a customer's account cuts it off
    ("OpenAI suspended Delphi's developer account on Friday night.", {("access_cutoff", "OpenAI", "Delphi")}),
    # a vendor stopping accounts on its own product stops their holders, not the product
    ("OpenAI banned several ChatGPT accounts tied to a Russian group.", set()),
    ("Apple removed several chatbot apps, including OpenCat and ChatGAi Plus, from its Chinese store.",
     {("ban", "Apple", "OpenCat"), ("ban", "Apple", "ChatGAi Plus")}),
]


@pytest.mark.parametrize("sentence,want", SENTENCES, ids=[s for s, _ in SENTENCES])
def test_the_parties_decide_between_a_ban_and_a_cutoff(analyse_text, sentence, want):
    got = {e for e in events_of(analyse_text(sentence)) if e[0] in ("ban", "access_cutoff")}
    assert got == want


@pytest.mark.parametrize("verb_type", ["ban", "access_cutoff"])
def test_an_authority_bans_and_a_vendor_cuts_off_its_customers_whatever_the_verb(verb_type):
    assert stop_type(verb_type, "regulator", "vendor") == "ban"
    assert stop_type(verb_type, "GPE", "PRODUCT") == "ban"
    assert stop_type(verb_type, "vendor", "GPE") == "access_cutoff"
    assert stop_type(verb_type, "platform", "ORG") == "access_cutoff"
    assert stop_type(verb_type, "customer", "PRODUCT") == "ban"
    assert stop_type(verb_type, "vendor", "vendor") == verb_type  # between two vendors the verb decides
    assert stop_type(verb_type, "ORG", "vendor") == "ban"  # a customer stopping a vendor
    assert stop_type(verb_type, "media", "vendor") == "ban"


def test_a_vendor_stopping_its_own_product_is_no_event_between_the_two():
    assert stop_type("ban", "vendor", "PRODUCT", own_product=True) is None
    assert stop_type("access_cutoff", "vendor", "PRODUCT", own_product=True) is None


def test_other_event_types_keep_their_type():
    assert stop_type("fine", "regulator", "vendor") == "fine"
    assert stop_type("lawsuit", "vendor", "GPE") == "lawsuit"
