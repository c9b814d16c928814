"""incident_stance: an event is reported as fact, as a claim, or denied."""


def stances(doc):
    return {(e["type"], e["actor"], e["target"]): e["stance"] for e in doc._.events if not e["anaphor"]}


def test_plain_statement_is_reported(analyse_text):
    assert stances(analyse_text("Samsung banned ChatGPT.")) == {("ban", "Samsung", "ChatGPT"): "reported"}


def test_hearsay_is_alleged(analyse_text):
    doc = analyse_text("Alibaba has reportedly banned Claude Code.")
    assert stances(doc) == {("ban", "Alibaba", "Claude Code"): "alleged"}


def test_denial_attaches_to_the_allegation_it_denies(analyse_text):
    doc = analyse_text("Anthropic accused Alibaba of distillation. Alibaba denied the allegations.")
    (event,) = [e for e in doc._.events if e["type"] == "allegation" and not e["anaphor"]]
    assert event["stance"] == "denied"
    assert event["denial"] == "Alibaba denied the allegations."


def test_denial_by_someone_else_changes_nothing(analyse_text):
    doc = analyse_text("Anthropic accused Alibaba of distillation. Google denied the allegations.")
    assert stances(doc) == {("allegation", "Anthropic", "Alibaba"): "reported"}


def test_not_denying_is_not_a_denial(analyse_text):
    doc = analyse_text("Researchers accused Anthropic of hiding code. Anthropic did not deny the claim.")
    assert "denied" not in stances(doc).values()


def test_merged_event_keeps_the_denial(analyse_text):
    from nlp.analyse import merge_events

    doc = analyse_text("Anthropic accused Alibaba of distillation. Alibaba denied the allegations.")
    (event,) = merge_events(doc)
    assert (event.type, event.stance) == ("allegation", "denied")


def test_named_finder_replaces_the_unnamed_researchers(analyse_text):
    from nlp.analyse import merge_events

    doc = analyse_text("Researchers found hidden code in Copilot. Researchers at Kestrel Research said they had "
                       "discovered hidden code in Copilot last week.")
    actors = {e.actor for e in merge_events(doc) if e.type == "security_finding"}
    assert actors == {"Kestrel Research"}
