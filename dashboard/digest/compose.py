"""The digest message of one week for one recipient, built from the shared Briefing.

The message is multipart/alternative: plain text, then HTML that is multipart/related with
the timeline PNG it shows through a `cid:` reference.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from urllib.parse import quote

from incidents.model import ESCALATING_TYPES

from .render import event_label, nice_date, render_html, render_text
from .sources import Source


@dataclass
class RankedIncident:
    """An incident of the week with its number in the digest and what the templates show."""

    rank: int
    card: object  # dashboard.briefing.IncidentCard
    summary: str
    url: str
    sources: list[Source] = field(default_factory=list)


@dataclass
class FollowedChange:
    """What happened this week to one company or product a recipient follows."""

    name: str
    incidents: list[RankedIncident]
    upcoming: list
    this_week: int | None = None
    last_week: int | None = None


def incident_url(dashboard_url: str, incident_id: str) -> str:
    """The incident's page on the dashboard."""
    return f"{dashboard_url.rstrip('/')}/incident?id={quote(incident_id, safe='')}"


def rank_incidents(briefing, sources: dict[str, list[Source]], dashboard_url: str) -> list[RankedIncident]:
    """New incidents, then escalated ones, numbered in that order (the chart uses the numbers)."""
    cards = [*briefing.new, *briefing.escalated]
    return [RankedIncident(rank, card, summary_line(card), incident_url(dashboard_url, card.id),
                           sources.get(card.id, []))
            for rank, card in enumerate(cards, start=1)]


def summary_line(card) -> str:
    """One line on what the incident is: what changed, since when, how widely reported."""
    reported = f"{card.article_count} article{'s' if card.article_count != 1 else ''}"
    if card.outlets:
        reported += f" from {len(card.outlets)} outlet{'s' if len(card.outlets) != 1 else ''}"
    since = nice_date(card.first_seen)
    if card.status == "escalated":
        raised = [event_label(t) for t in card.event_types if t in ESCALATING_TYPES]
        return f"Escalated this week ({', '.join(raised) or 'new step'}); first reported {since}; {reported}."
    what = ", ".join(event_label(t) for t in card.event_types) or "incident"
    return f"New {what}, first reported {since}; {reported}."


def followed_changes(briefing, ranked: list[RankedIncident], follow) -> list[FollowedChange]:
    """For each followed name: the week's incidents naming it, what takes effect next week, counts."""
    changes = []
    for name in follow:
        key = name.casefold()

        def names(*groups):
            return {n.casefold() for group in groups for n in group}

        involvement = next((c for c in briefing.companies if c.name.casefold() == key), None)
        changes.append(FollowedChange(
            name=name,
            incidents=[r for r in ranked if key in names(r.card.actors, r.card.targets)],
            upcoming=[u for u in briefing.upcoming if key in names([u.actor, u.target])],
            this_week=involvement.this_week if involvement else None,
            last_week=involvement.last_week if involvement else None,
        ))
    return changes


def subject(briefing) -> str:
    if briefing.is_quiet:
        return f"Incident digest {briefing.week}: a quiet week"
    parts = [f"{len(briefing.new)} new", f"{len(briefing.escalated)} escalated"]
    if briefing.upcoming:
        parts.append(f"{len(briefing.upcoming)} upcoming")  # short: a long Subject is folded
    return f"Incident digest {briefing.week}: {', '.join(parts)}"


def digest_context(briefing, recipient, sources, dashboard_url: str, chart_cid: str | None) -> dict:
    """Everything the two templates show."""
    ranked = rank_incidents(briefing, sources, dashboard_url)
    week = briefing.week
    return {
        "subject": subject(briefing),
        "week": str(week),
        "week_span": f"{nice_date(week.monday)} to {nice_date(week.sunday)}",
        "next_week": str(week.following()),
        "previous_week": str(week.previous()),
        "quiet": briefing.is_quiet,
        "recipient_name": recipient.name if recipient else "",
        "followed": followed_changes(briefing, ranked, recipient.follow) if recipient else [],
        "new": [r for r in ranked if r.card.status == "new"],
        "escalated": [r for r in ranked if r.card.status == "escalated"],
        "upcoming": briefing.upcoming,
        "upcoming_urls": {u.incident_id: incident_url(dashboard_url, u.incident_id) for u in briefing.upcoming},
        "companies": briefing.companies,
        "chart_cid": chart_cid,
        "dashboard_url": dashboard_url,
    }


def compose_message(briefing, recipient, sender: str, *, sources: dict[str, list[Source]],
                    dashboard_url: str, chart_png: bytes | None) -> EmailMessage:
    """The digest as an email ready to send or write; `recipient` None leaves To: empty."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "incidents.invalid"
    chart_cid = make_msgid("timeline", domain=domain) if chart_png and not briefing.is_quiet else None
    context = digest_context(briefing, recipient, sources, dashboard_url, chart_cid and chart_cid[1:-1])
    message = EmailMessage()
    message["Subject"] = context["subject"]
    message["From"] = sender
    if recipient is not None:
        message["To"] = recipient.header
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid("digest", domain=domain)
    message["X-Incidents-Week"] = str(briefing.week)
    message.set_content(render_text(context))
    message.add_alternative(render_html(context), subtype="html")
    if chart_cid:
        html_part = message.get_payload()[1]
        html_part.add_related(chart_png, "image", "png", cid=chart_cid, filename="timeline.png",
                              disposition="inline")
    return message
