"""incident_dates: every event's date resolved against the publication date."""
from datetime import date

import pytest

from nlp.dates import resolve

WEDNESDAY = "2026-07-08"  # publication day of most cases below


def ban_date(doc):
    (event,) = [e for e in doc._.events if e["type"] == "ban" and not e["anaphor"]]
    return event["date"]


@pytest.mark.parametrize("sentence,published,expected", [
    ("Alibaba will ban Claude Code from 10 July.", WEDNESDAY, "2026-07-10"),
    ("Alibaba banned Claude Code on Tuesday.", WEDNESDAY, "2026-07-07"),
    ("Alibaba banned Claude Code this week.", WEDNESDAY, "2026-07-06"),
    ("Alibaba banned Claude Code last month.", WEDNESDAY, "2026-06"),
    ("Alibaba banned Claude Code in April this year.", WEDNESDAY, "2026-04"),
    ("Alibaba banned Claude Code in March.", WEDNESDAY, "2026-03"),
    ("Samsung banned ChatGPT on 28 December.", "2026-01-03", "2025-12-28"),
    ("Samsung will ban ChatGPT from 5 January.", "2025-12-30", "2026-01-05"),
    ("Alibaba has banned Claude Code.", WEDNESDAY, WEDNESDAY),
    ("Alibaba banned Claude Code.", WEDNESDAY, WEDNESDAY),
    ("Alibaba spoke. It had banned Claude Code.", WEDNESDAY, None),
], ids=["day-month", "weekday", "this-week", "last-month", "month-this-year", "month-only",
        "back-across-new-year", "ahead-across-new-year", "present-perfect-is-now", "past-in-the-lead-is-now",
        "past-perfect-is-background"])
def test_event_date(analyse_text, sentence, published, expected):
    assert ban_date(analyse_text(sentence, published)) == expected


def test_effective_date_in_a_later_sentence_dates_the_event(analyse_text):
    doc = analyse_text("Alibaba has banned its staff from using Claude Code. The ban, effective 10 July, "
                       "covers every office.")
    assert ban_date(doc) == "2026-07-10"


def test_reporting_date_dates_the_reported_event(analyse_text):
    doc = analyse_text("Italy's privacy regulator said on Friday that it had fined OpenAI.", "2024-12-24")
    (event,) = [e for e in doc._.events if e["type"] == "fine"]
    assert event["date"] == "2024-12-20"


def test_a_week_named_later_does_not_replace_the_day_the_report_gives(analyse_text):
    friday = "2026-07-10"
    doc = analyse_text("Italy's regulator said on Thursday, July 9 that it has banned Claude Code. "
                       "The regulator decided the ban this week.", friday)
    assert ban_date(doc) == "2026-07-09"
    doc = analyse_text("Italy's regulator said on Thursday, July 9 that it has banned Claude Code. "
                       "The ban was imposed on Tuesday.", friday)
    assert ban_date(doc) == "2026-07-07"  # a day named for the ban itself still wins


def test_now_means_the_news_day_the_article_names(analyse_text):
    doc = analyse_text("Australia has banned DeepSeek. The minister signed the order on Tuesday evening.",
                       "2025-02-05")
    assert ban_date(doc) == "2025-02-04"


def test_no_publication_date_leaves_events_undated(analyse_text):
    doc = analyse_text("Alibaba banned Claude Code on 10 July.", None)
    assert ban_date(doc) is None


@pytest.mark.parametrize("expression,expected", [
    ("effective 10 July", "2026-07-10"),
    ("July 10", "2026-07-10"),
    ("10 July 2024", "2024-07-10"),
    ("last Saturday", "2026-07-04"),
    ("Wednesday", "2026-07-08"),
    ("yesterday", "2026-07-07"),
    ("last week", "2026-06-29"),
    ("late last month", "2026-06"),
    ("March the previous year", "2025-03"),
    ("early June 2025", "2025-06"),
    ("three days ago", "2026-07-05"),
    ("2026-05-01", "2026-05-01"),
    ("six months", None),
    ("2025", None),
])
def test_resolve_expression(expression, expected):
    assert resolve(expression, date(2026, 7, 8)) == expected


def test_date_of_a_source_does_not_date_the_event(analyse_text):
    doc = analyse_text("A notice reported this week shows Alibaba telling staff to quit Claude Code. "
                       "From July 10, when the ban kicks in, staff must use Qoder.", "2026-07-04")
    assert ban_date(doc) == "2026-07-10"


@pytest.mark.parametrize("expression,published,expected", [
    ("in July", date(2024, 6, 25), "2024-07"),  # "will start blocking access in July"
    ("in January", date(2024, 12, 10), "2025-01"),
    ("in March", date(2024, 4, 2), "2024-03"),
    ("in September", date(2024, 6, 1), "2023-09"),  # further ahead than two months: last year's
])
def test_a_bare_month_is_the_nearest_one_in_news_time(expression, published, expected):
    assert resolve(expression, published) == expected


def test_the_lead_in_the_past_or_the_progressive_is_the_news_days_estimate(analyse_text):
    doc = analyse_text("Taiwan barred DeepSeek from government devices. The island has long distrusted Chinese "
                       "technology. Italy banned ChatGPT over privacy. Anthropic is barring OpenAI "
                       "from using Claude.", "2025-02-03")
    found = {(e["actor"], e["target"]): (e["date"], e.get("date_basis")) for e in doc._.events}
    assert found[("Taiwan", "DeepSeek")] == ("2025-02-03", "published")  # the lead: the news, an estimate
    assert found[("Italy", "ChatGPT")] == (None, None)  # a later paragraph's past may be background
    assert found[("Anthropic", "OpenAI")] == ("2025-02-03", "published")


def test_the_event_a_definite_noun_names_again_keeps_its_date(analyse_text):
    """"The cutoff also reaches users in Cuba": the cutoff told before, of its date; a new
    sentence with no date does not make it the news day's."""
    doc = analyse_text("OpenAI will cut off API access in China on July 9. "
                       "The cutoff also reaches users in Cuba and Iran, where OpenAI does not offer its services.", WEDNESDAY)
    dates = {e["target"]: e["date"] for e in doc._.events if e["type"] == "access_cutoff" and e["target"]}
    assert dates.get("China") == "2026-07-09"
    assert dates.get("Cuba") == "2026-07-09"
    assert dates.get("Iran") == "2026-07-09"
