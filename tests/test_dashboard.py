"""The Streamlit dashboard, page by page, as a reader sees it (Streamlit's AppTest on a fixture store)."""
from __future__ import annotations

import html
import json
import socket
from pathlib import Path

import pyarrow as pa
import pytest
from conftest import BRIEFING_WEEK, HOSTILE_TITLE
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from dashboard.escape import md
from incidents.webtext import linkable_url
from dashboard.serve import check_port_free, dashboard_command
from incidents.errors import IncidentsError

APP = str(Path(__file__).parents[1] / "dashboard" / "app.py")


def open_app(page: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if page:
        at.switch_page(f"app_pages/{page}.py")
    at.query_params.update(query)
    return at.run()


def texts(at: AppTest, kind: str) -> list[str]:
    return [e.value for e in at.get(kind)]


def link_labels(at: AppTest) -> list[str]:
    return [e.proto.label for e in at.get("page_link")]


def chart_rows(at: AppTest, n: int = 0) -> list[dict]:
    """The data rows of the n-th Vega-Lite chart on the page."""
    chart = at.get("vega_lite_chart")[n].proto
    return pa.ipc.open_stream(chart.datasets[0].data.data).read_all().to_pylist()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def caption_with(at: AppTest, words: str) -> str:
    return next(c for c in texts(at, "caption") if words in c)


# --- first run and a broken store ---

def test_empty_store_shows_how_to_get_started(store, db_url, monkeypatch):
    monkeypatch.setenv("INCIDENTS_DB", db_url)
    at = open_app()
    assert not at.exception
    assert at.title[0].value == "Welcome to the incident tracker"
    assert "incidents demo" in [c.value for c in at.code]


def test_unusable_store_url_is_one_clear_message(monkeypatch):
    monkeypatch.setenv("INCIDENTS_DB", "not a database url")
    at = open_app()
    assert not at.exception
    assert "Cannot open the store" in at.error[0].value and "not a database URL" in at.error[0].value


# --- Briefing ---

def test_briefing_shows_the_weeks_new_and_escalated_incidents_as_cards(app_store):
    at = open_app(week=BRIEFING_WEEK)
    assert not at.exception
    assert at.title[0].value == f"Briefing, week {BRIEFING_WEEK}"
    assert metric(at, "New incidents") == "1" and metric(at, "Escalations") == "1"  # a denied lawsuit is none
    assert [h.value for h in at.subheader][:3] == ["Top story", "This week: 1 new, 1 escalated",
                                                   "Still developing (last 30 days)"]
    labels = link_labels(at)
    assert labels[:2] == ["Alibaba bans Claude Code", "Anthropic accuses DeepSeek of distillation"]  # top story first
    assert "FTC investigates OpenAI" in labels[2:4]  # reported this week, still developing
    assert "a1" in texts(at, "text")[0]  # the top story leads with the sentence that says it
    assert any("2 facts" in c and "2 outlets" in c for c in texts(at, "caption"))
    assert ":red-badge[ban]" in " ".join(texts(at, "markdown"))
    assert "Data as of" in caption_with(at, "Data as of") and "articles published this week" in caption_with(at, "Data as of")


def test_briefing_lists_what_takes_effect_next_week_and_the_busiest_companies(app_store):
    at = open_app(week=BRIEFING_WEEK)
    assert any("15 Jul 2026" in label and "access cut\\-off" in label for label in link_labels(at))
    companies = at.dataframe[0].value
    assert companies["company"].tolist()[:2] == ["Alibaba", "Anthropic"]  # parties to the week's facts
    assert companies.set_index("company").loc["Anthropic", "last week"] == 0


def test_picking_another_week_changes_the_briefing_and_the_address(app_store):
    at = open_app(week=BRIEFING_WEEK)
    at.selectbox(key="briefing_week").set_value("2026-W27").run()
    assert not at.exception
    assert at.title[0].value == "Briefing, week 2026-W27"
    assert at.query_params["week"] == "2026-W27"
    assert metric(at, "New incidents") == "1"
    assert md(HOSTILE_TITLE) in link_labels(at)


def test_a_quiet_week_says_so(app_store):
    at = open_app(week="2026-W40")
    assert any("A quiet week" in i.value for i in at.info)
    assert metric(at, "New incidents") == "0"


def test_a_bad_week_in_the_address_falls_back_with_a_warning(app_store):
    at = open_app(week="2026-W99")
    assert not at.exception
    assert "'2026-W99'" in at.warning[0].value
    assert at.title[0].value == f"Briefing, week {BRIEFING_WEEK}"  # the newest week with news


def test_briefing_offers_the_view_as_csv_and_json(app_store):
    at = open_app(week=BRIEFING_WEEK)
    assert [b.proto.label for b in at.get("download_button")] == ["Download CSV", "Download JSON"]


# --- Timeline ---

def test_timeline_draws_every_incident_in_company_swimlanes(app_store):
    at = open_app("timeline")
    assert not at.exception
    assert caption_with(at, "incidents") == "4 of 4 incidents"
    lanes = {row["lane"] for row in chart_rows(at)}
    assert {"Alibaba", "Claude Code", "Anthropic", "DeepSeek"} <= lanes


def test_timeline_swimlanes_by_event_type(app_store):
    at = open_app("timeline")
    at.button_group(key="timeline_lanes").set_value("event type").run()
    assert {row["lane"] for row in chart_rows(at)} == {"ban", "security finding", "allegation", "access cut-off",
                                                       "investigation", "lawsuit"}


@pytest.mark.parametrize("widget, value, expected", [
    ("timeline_companies", ["Alibaba"], "1 of 4 incidents"),
    ("timeline_types", ["security_finding"], "2 of 4 incidents"),
    ("timeline_outlets", ["Relay Dispatch"], "2 of 4 incidents"),
])
def test_timeline_filters_narrow_the_incidents(app_store, widget, value, expected):
    at = open_app("timeline")
    at.multiselect(key=widget).set_value(value).run()
    assert not at.exception
    assert caption_with(at, "incidents") == expected
    assert len(at.dataframe[0].value) == int(expected.split()[0])


def test_timeline_date_range_narrows_the_incidents(app_store):
    at = open_app("timeline")
    start, end = at.date_input(key="timeline_dates").value
    at.date_input(key="timeline_dates").set_value((end.replace(day=1), end)).run()
    assert caption_with(at, "incidents") == "1 of 4 incidents"
    assert at.dataframe[0].value["title"].tolist() == ["Alibaba bans Claude Code"]


def test_timeline_says_when_nothing_matches(app_store):
    at = open_app("timeline")
    at.multiselect(key="timeline_types").set_value(["settlement"]).run()
    assert "No incident matches" in at.info[0].value
    assert not at.get("vega_lite_chart")


# --- Incident ---

def test_incident_page_tells_the_story_with_dates_and_evidence(app_store):
    at = open_app("incident", id="anthropic-deepseek-distillation-2026-06")
    assert not at.exception
    assert at.title[0].value == "Anthropic accuses DeepSeek of distillation"
    dates = [m for m in texts(at, "markdown") if m.startswith("**") and "2026" in m]
    assert dates == ["**19 Jun 2026**", "**15 Jul 2026**"]  # the facts, in order
    assert texts(at, "text") == ["Anthropic allegation DeepSeek (b1).", "Anthropic access cutoff DeepSeek (b2)."]
    articles = at.dataframe[0].value
    assert articles["outlet"].tolist() == ["Example Wire", "Relay Dispatch"]
    assert articles["url"].tolist()[0] == "https://wire.example/anthropic-distillation"
    assert set(at.dataframe[1].value["name"]) == {"Anthropic", "DeepSeek"}
    assert "Alibaba bans Claude Code" in link_labels(at)  # related: both name Anthropic


def test_hostile_title_is_shown_as_text_not_markup(app_store):
    at = open_app("incident", id="rogue-plugin-2026-06")
    assert not at.exception
    assert at.title[0].value == md(HOSTILE_TITLE)
    rendered = MarkdownIt("commonmark").render(at.title[0].value)
    assert rendered == f"<p>{html.escape(HOSTILE_TITLE, quote=False)}</p>\n"


def test_unknown_incident_id_offers_a_picker(app_store):
    at = open_app("incident", id="no-such-incident")
    assert not at.exception
    assert "no\\-such\\-incident" in at.warning[0].value
    picker = at.selectbox(key="incident_pick")
    assert len(picker.options) == 4
    picker.set_value("ftc-investigates-openai-2026-06").run()
    assert at.title[0].value == "FTC investigates OpenAI"


# --- Company ---

def test_company_page_shows_incidents_counterparties_and_products(app_store):
    at = open_app("company", name="Anthropic")
    assert not at.exception
    assert at.header[0].value == "Anthropic"
    assert caption_with(at, "Named in") == "Named in 2 incidents"
    assert {"Alibaba bans Claude Code", "Anthropic accuses DeepSeek of distillation"} <= set(link_labels(at))
    parties = at.dataframe[0].value
    assert set(parties["counterparty"]) == {"DeepSeek"} and set(parties["type"]) == {"allegation", "access cut-off"}
    assert at.dataframe[1].value["name"].tolist() == ["Claude Code"]
    assert sum(row["count_main_type"] if "count_main_type" in row else 1 for row in chart_rows(at)) >= 1
    assert at.get("component_instance")  # the graph around it


def test_choosing_another_company(app_store):
    at = open_app("company", name="Anthropic")
    at.selectbox(key="company_name").set_value("FTC").run()
    assert at.header[0].value == "FTC"
    assert at.query_params["name"] == "FTC"
    assert "FTC investigates OpenAI" in link_labels(at)


# --- Graph ---

def graph_args(at: AppTest) -> dict:
    return json.loads(at.get("component_instance")[0].proto.json_args)


def test_graph_shows_an_entitys_neighbourhood_growing_with_hops(app_store):
    at = open_app("graph", entity="Anthropic")
    assert not at.exception
    at.slider(key="graph_hops").set_value(1).run()
    nodes = graph_args(at)["elements"]["nodes"]
    one_hop = {n["data"]["name"] for n in nodes}
    assert "Anthropic" in one_hop and "DeepSeek" not in one_hop
    assert sum(n["data"]["label"] == "incident" for n in nodes) == 1  # the one it acts in
    assert "Claude Code" in one_hop  # its product
    at.slider(key="graph_hops").set_value(2).run()
    two_hops = {n["data"]["name"] for n in graph_args(at)["elements"]["nodes"]}
    assert "DeepSeek" in two_hops and "Alibaba" not in two_hops  # Alibaba bans its product: 3 hops
    at.slider(key="graph_hops").set_value(3).run()
    assert "Alibaba" in {n["data"]["name"] for n in graph_args(at)["elements"]["nodes"]}


def test_graph_event_type_filter_drops_other_links(app_store):
    at = open_app("graph", entity="Anthropic")
    at.multiselect(key="graph_types").set_value(["access_cutoff"]).run()
    edges = graph_args(at)["elements"]["edges"]
    assert edges and {e["data"]["label"] for e in edges} <= {"access cut-off", "made_by"}


def test_graph_is_laid_out_around_the_chosen_entity_the_same_way_every_time(app_store):
    first = graph_args(open_app("graph", entity="Anthropic"))
    again = graph_args(open_app("graph", entity="Anthropic"))
    assert first["elements"] == again["elements"]  # a seeded layout: the same picture on every load
    assert first["layout"]["name"] == "preset"
    [centre] = [n for n in first["elements"]["nodes"] if n["data"].get("centre")]
    assert centre["data"]["name"] == "Anthropic" and centre["position"] == {"x": 0.0, "y": 0.0}
    others = [n["position"] for n in first["elements"]["nodes"] if not n["data"].get("centre")]
    assert others and all(abs(p["x"]) + abs(p["y"]) > 100 for p in others)  # on rings around it
    rules = {r["selector"]: r["style"] for r in first["style"]}
    assert rules["*"]["min-zoomed-font-size"] == 0  # names show at the first render, zoomed out or not
    assert rules["edge[label='access cut-off']"]["line-color"] == "#ff7f0e"  # the vocabulary's colour


def test_graph_has_a_legend_of_what_its_colours_mean(app_store):
    at = open_app("graph", entity="Anthropic")
    scale = json.loads(at.get("vega_lite_chart")[0].proto.spec)["layer"][0]["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"]))
    assert {"organisation", "incident", "allegation", "access cut-off"} <= set(colours)
    assert colours["access cut-off"] == "#ff7f0e" and len(set(colours.values())) == len(colours)


def test_graph_never_hands_markup_to_the_component(app_store):
    at = open_app("graph", entity="Cursor")
    raw = json.dumps(graph_args(at), ensure_ascii=False)
    assert "<img" not in raw and "\u2039img src=x onerror=alert(1)\u203a researchers" in raw


# --- Search ---

def test_keyword_search_lists_incidents_before_articles(app_store):
    at = open_app("search", q="Claude")
    at.toggle(key="search_semantic").set_value(False).run()
    assert not at.exception
    assert [h.value for h in at.subheader] == ["Incidents (1)", "Articles (2)"]
    assert link_labels(at)[0] == "Alibaba bans Claude Code"


def test_keyword_search_without_match_says_so(app_store):
    at = open_app("search", q="zebra")
    at.toggle(key="search_semantic").set_value(False).run()
    assert [c for c in texts(at, "caption") if "No" in c] == ["No incident matches.", "No article matches."]


# --- escaping helpers and the server command ---

@pytest.mark.parametrize("text", [HOSTILE_TITLE, "# heading", "1. list", "a_b_c *x* `code` $x$ :red[x]",
                                  "<img src=x onerror=alert(1)>", "| a | b |", "~~gone~~ > quote"])
def test_markdown_escape_renders_the_text_literally(text):
    assert MarkdownIt("commonmark").enable("strikethrough").render(md(text)) == \
        f"<p>{html.escape(text, quote=False)}</p>\n"


def test_only_web_addresses_become_links():
    assert linkable_url("https://a.example/x") == "https://a.example/x"
    assert linkable_url("javascript:alert(1)") is None and linkable_url("data:text/html,x") is None


def test_dashboard_serves_on_loopback_headless_without_telemetry():
    command = " ".join(dashboard_command(8765))
    assert "--server.address 127.0.0.1" in command and "--server.headless true" in command
    assert "--browser.gatherUsageStats false" in command and command.endswith("false")


def test_busy_port_is_one_clear_error():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(IncidentsError, match=f"--port {port}"):
            check_port_free(port)


def test_incidents_dashboard_serves_the_store_and_stops_on_sigterm(app_store, db_url):
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cli = subprocess.Popen([sys.executable, "-m", "incidents.app.cli", "--db", db_url, "dashboard", "--port", str(port)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    health = f"http://127.0.0.1:{port}/_stcore/health"
    try:
        for _ in range(150):
            try:
                if urllib.request.urlopen(health, timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the dashboard never answered")
    finally:
        cli.send_signal(signal.SIGTERM)
        assert cli.wait(timeout=30) == 0
    with pytest.raises(OSError):  # Streamlit went with it: nothing listens any more
        urllib.request.urlopen(health, timeout=1)
    assert f"http://127.0.0.1:{port}" in cli.stdout.read()
