"""Alerts of new facts about followed companies, received by a real SMTP server (aiosmtpd)
and real webhook receivers over HTTP on 127.0.0.1."""
from __future__ import annotations

import email
import email.policy
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from incidents.app.cli import main
from incidents.config import load_settings

from api_server import free_port

SENDER = "Alerts <alerts@example.com>"


class Mailbox:
    """An aiosmtpd handler keeping every message."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self):
        return [email.message_from_bytes(e.original_content, policy=email.policy.default) for e in self.envelopes]


class Receiver:
    """A webhook endpoint on 127.0.0.1 keeping every JSON body; it first answers `failures`
    requests with 503 (-1: always)."""

    def __init__(self, failures: int = 0):
        self.bodies, self.failures, self.attempts = [], failures, 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.attempts += 1
                if receiver.failures:
                    receiver.failures -= 1 if receiver.failures > 0 else 0
                    self.send_response(503)
                    self.end_headers()
                    return
                receiver.bodies.append(json.loads(body))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/services/T0/B0/s3cretpath"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoints(tmp_path, monkeypatch, briefing_store, db_url):
    """A mailbox, a Slack-style and a Teams-style receiver, and a config file following:
    the mailbox Anthropic (and so its product Claude Code), Slack Alibaba, Teams Cursor."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    slack, teams = Receiver(), Receiver()
    config = tmp_path / "incidents.toml"
    config.write_text(f'''
alerts_from = "{SENDER}"
dashboard_url = "https://dash.example"

[[alerts.recipients]]
email = "soc@example.com"
follow = ["anthropic"]

[[alerts.recipients]]
webhook = "{slack.url}"
follow = ["Alibaba"]

[[alerts.recipients]]
webhook = "{teams.url}"
format = "teams"
follow = ["Cursor"]
''')
    monkeypatch.chdir(tmp_path)
    for name in ("INCIDENTS_SMTP_USER", "INCIDENTS_SMTP_PASSWORD", "INCIDENTS_SMTP_SSL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INCIDENTS_CONFIG", str(config))
    monkeypatch.setenv("INCIDENTS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("INCIDENTS_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("INCIDENTS_SMTP_STARTTLS", "false")
    yield mailbox, slack, teams
    controller.stop()
    slack.close()
    teams.close()


def test_followers_get_new_facts_by_email_and_webhook(endpoints, db_url, capsys):
    mailbox, slack, teams = endpoints
    assert main(["alerts", "--db", db_url]) == 0
    assert "sent to 3 of 3 endpoints" in capsys.readouterr().out
    [message] = mailbox.messages()
    assert message["To"] == "soc@example.com" and message["From"] == SENDER
    text = message.get_body(("plain",)).get_content()
    assert "Anthropic: access cut-off -> DeepSeek (2026-07-15)" in text
    assert "Alibaba: ban -> Claude Code (2026-07-10)" in text  # Claude Code is Anthropic's product
    assert text.count("Alibaba: ban -> Claude Code") == 1  # two articles, one fact
    assert "FTC" not in text
    [slack_body] = slack.bodies
    assert "*Alibaba: ban -&gt; Claude Code (2026-07-10)*" in slack_body["text"]
    assert "<https://dash.example/incident?id=alibaba-bans-claude-code-2026-07|" in slack_body["text"]
    [card] = teams.bodies
    assert card["@type"] == "MessageCard" and card["sections"][0]["activityTitle"].startswith("&lt;img src=x")


def test_each_fact_reaches_each_follower_once(endpoints, db_url, capsys):
    mailbox, slack, teams = endpoints
    assert main(["alerts", "--db", db_url]) == 0
    assert main(["alerts", "--db", db_url]) == 0
    assert "0 new facts sent to 0 of 3 endpoints" in capsys.readouterr().out
    assert len(mailbox.messages()) == 1 and len(slack.bodies) == 1 and len(teams.bodies) == 1


def test_hostile_text_is_escaped_in_every_alert(endpoints, db_url):
    mailbox, slack, teams = endpoints
    from incidents.model import Analysis, Article, Entity, Event
    from incidents.store import Store

    nasty = "<a href=http://evil.example>click</a> & <!here> \u202eevil\x1b[2J"
    with Store(db_url) as store:
        article = store.add_article(Article(url="https://wire.example/nasty", outlet="<b>Outlet</b>",
                                            title=nasty, text=nasty, published="2026-07-09")).id
        store.save_analyses([(article, Analysis(relevant=True, entities=[Entity("Alibaba", "ORG", ["Alibaba"])],
                                                events=[Event("breach", nasty, "Alibaba", nasty),
                                                        Event("breach", nasty, "Claude Code", nasty)]))], "t")
        members = store.incident_members(ids=["alibaba-bans-claude-code-2026-07"])
        store.save_incident(store.load_incidents(["alibaba-bans-claude-code-2026-07"])[0],
                            members["alibaba-bans-claude-code-2026-07"] + [(article, True, 1.0)])
    assert main(["alerts", "--db", db_url]) == 0
    slack_text = slack.bodies[0]["text"]
    assert "&lt;a href=http://evil.example&gt;click&lt;/a&gt; &amp; &lt;!here&gt;" in slack_text
    assert "<a href" not in slack_text and "<!here>" not in slack_text
    assert "\u202e" not in slack_text and "\x1b" not in slack_text
    html_part = mailbox.messages()[0].get_body(("html",)).get_content()
    assert "&lt;a href=http://evil.example&gt;click&lt;/a&gt; &amp;" in html_part
    assert "<a href=http://evil" not in html_part and "<b>Outlet</b>" not in html_part
    assert "\u202e" not in html_part and "\x1b" not in html_part


def test_a_failing_webhook_is_retried_reported_and_kept_for_the_next_run(endpoints, db_url, briefing_store):
    from dashboard.alerts.followers import Follower, resolve_followers
    from dashboard.alerts.send import send_alerts

    mailbox, slack, _ = endpoints
    flaky, dead = Receiver(failures=2), Receiver(failures=-1)
    try:
        settings = load_settings()
        followers = [*resolve_followers(settings)[:1],
                     *(Follower(webhook=r.url, follow=("Alibaba",)) for r in (flaky, dead))]
        summary = send_alerts(briefing_store, settings, followers=followers, delays=(0.01, 0.01))
        assert flaky.attempts == 3 and len(flaky.bodies) == 1  # two 503s, then delivered
        assert dead.attempts == 3 and not dead.bodies
        assert len(mailbox.messages()) == 1  # the others are served all the same
        [(who, reason)] = summary.failed.items()
        assert who == f"webhook 127.0.0.1:{dead.server.server_address[1]}"
        assert "503" in reason and "3 attempts" in reason and "s3cretpath" not in summary.report()
        dead.failures = 0  # back up: the next run delivers what it missed, and only that
        again = send_alerts(briefing_store, settings, followers=followers, delays=(0.01, 0.01))
        assert len(dead.bodies) == 1 and not again.failed and list(again.sent.values()) == [1]
        assert len(flaky.bodies) == 1
    finally:
        flaky.close()
        dead.close()


def test_a_dead_smtp_server_never_fails_the_run(endpoints, db_url, monkeypatch):
    from incidents.app.runner import alerts_report
    from incidents.store import Store

    monkeypatch.setenv("INCIDENTS_SMTP_PORT", str(free_port()))  # nothing listens there
    monkeypatch.setattr("dashboard.alerts.webhook.RETRY_DELAYS", (0.01, 0.01))
    with Store(db_url) as store:
        report = alerts_report(store, load_settings())
    assert "sent to 2 of 3 endpoints" in report and "failed: soc@example.com: SMTP server 127.0.0.1" in report


def test_a_follower_without_an_endpoint_is_one_line(tmp_path, monkeypatch, db_url, briefing_store, capsys):
    config = tmp_path / "bad.toml"
    config.write_text('[[alerts.recipients]]\nfollow = ["Anthropic"]\n')
    assert main(["alerts", "--db", db_url, "--config", str(config)]) == 2
    err = capsys.readouterr().err.strip()
    assert "entry 1" in err and "email" in err and "\n" not in err


def test_one_fact_dated_two_ways_is_one_alert_item(endpoints, db_url, briefing_store, capsys):
    """A second outlet dating Alibaba's ban only "in July" states the same fact as the first's
    "10 July": the alert names it once, dated to the day, as the incident page does."""
    from sqlalchemy import update

    from incidents.store.schema import articles, events
    with briefing_store.engine.begin() as conn:
        second = conn.execute(articles.select().where(articles.c.title == "Alibaba bars staff from Anthropic's coding agent")
                              ).one().id
        conn.execute(update(events).where(events.c.article_id == second, events.c.type == "ban").values(date="2026-07"))
    mailbox, slack, _ = endpoints
    assert main(["alerts", "--db", db_url]) == 0
    text = mailbox.messages()[0].get_body(("plain",)).get_content()
    assert text.count("Alibaba: ban -> Claude Code") == 1
    assert "Alibaba: ban -> Claude Code (2026-07-10)" in text
    assert slack.bodies[0]["text"].count("ban -&gt; Claude Code") == 1
