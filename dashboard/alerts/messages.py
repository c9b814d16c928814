"""What an alert says, for each kind of endpoint: an email (plain text and HTML), a Slack
message, a Microsoft Teams card.

Web text (names, evidence, titles) loses control characters and bidi overrides
(`display_text`) and is escaped for where it lands: HTML entities in the email's HTML and
the Teams card, Slack's own three (& < >) in Slack text, so a hostile sentence can
neither format nor link anything.
"""
from __future__ import annotations

import html
from email.message import EmailMessage
from email.utils import make_msgid

from dashboard.digest.compose import incident_url
from dashboard.digest.render import event_label
from incidents.webtext import display_text

from .facts import NewFact

MOST_IN_SUBJECT = 70
"""Characters of the first fact's headline kept in an email subject."""


def headline(new: NewFact) -> str:
    """`Alibaba: ban -> Claude Code (2026-07-10)`, as plain text."""
    fact = new.fact
    when = f" ({fact.date})" if fact.date else ""
    return display_text(f"{fact.actor}: {event_label(fact.type)} -> {fact.target}{when}")


def email_message(facts: list[NewFact], recipient, sender: str, dashboard_url: str) -> EmailMessage:
    """One email listing the facts, newest knowledge first as found."""
    first = headline(facts[0])
    more = f", and {len(facts) - 1} more" if len(facts) > 1 else ""
    message = EmailMessage()
    message["Subject"] = f"Alert: {first[:MOST_IN_SUBJECT]}{more}"
    message["From"] = sender
    message["To"] = recipient.email
    message["Message-ID"] = make_msgid(domain="incidents.alerts")
    lines, items = [], []
    for fact in facts:
        link = incident_url(dashboard_url, fact.incident_id)
        said = fact.source
        source = display_text(f"{said.outlet or 'unknown outlet'}: {said.url}")
        lines.append(f"- {headline(fact)}\n  \"{display_text(said.evidence)}\"\n  {source}\n  Incident: "
                     f"{display_text(fact.incident_title)} {link}")
        items.append(f"<li><b>{html.escape(headline(fact))}</b><br>&ldquo;{html.escape(display_text(said.evidence))}"
                     f"&rdquo;<br><a href=\"{html.escape(said.url)}\">{html.escape(display_text(said.outlet or said.url))}"
                     f"</a> &middot; incident <a href=\"{html.escape(link)}\">"
                     f"{html.escape(display_text(fact.incident_title))}</a></li>")
    following = ", ".join(recipient.follow)
    message.set_content(f"New facts about what you follow ({following}):\n\n" + "\n\n".join(lines) + "\n")
    message.add_alternative(f"<p>New facts about what you follow ({html.escape(following)}):</p>"
                            f"<ul>{''.join(items)}</ul>", subtype="html")
    return message


def slack_payload(facts: list[NewFact], dashboard_url: str) -> dict:
    """Slack's incoming-webhook JSON: one `text` in mrkdwn, links in Slack's <url|label> form."""
    def esc(text) -> str:
        return display_text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    lines = [f"*{esc(headline(f))}*\n>{esc(f.source.evidence)}\n<{esc(f.source.url)}|{esc(f.source.outlet or 'source')}> · "
             f"<{esc(incident_url(dashboard_url, f.incident_id))}|{esc(f.incident_title)}>" for f in facts]
    return {"text": "\n\n".join(lines)}


def teams_payload(facts: list[NewFact], dashboard_url: str) -> dict:
    """A MessageCard, what Teams' incoming webhooks (and Power Automate's) accept."""
    def esc(text) -> str:
        return html.escape(display_text(text))

    return {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": esc(headline(facts[0])),
        "title": f"{len(facts)} new fact{'s' if len(facts) != 1 else ''} about what you follow",
        "sections": [{
            "activityTitle": esc(headline(f)),
            "text": f"&ldquo;{esc(f.source.evidence)}&rdquo;",
            "potentialAction": [
                {"@type": "OpenUri", "name": esc(f.source.outlet or "Source"),
                 "targets": [{"os": "default", "uri": f.source.url}]},
                {"@type": "OpenUri", "name": "Incident",
                 "targets": [{"os": "default", "uri": incident_url(dashboard_url, f.incident_id)}]},
            ],
        } for f in facts],
    }
