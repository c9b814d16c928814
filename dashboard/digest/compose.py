"""The digest message of one week for one recipient, built from the shared Briefing.

The message is multipart/alternative: plain text, then HTML that is multipart/related with
the timeline PNG it shows through a `cid:` reference.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from urllib.parse import quote

from incidents.event_types import ESCALATION, TABLE

from .render import clean_text, nice_date, render_html, render_text
from .sources import Source


LEAD_CHARS = 320
"""An item's sentence of what happened is cut to this many characters (the dashboard has it whole)."""

MAX_FACTS = 5
"""Facts listed per incident; the dashboard page has them all."""

SUBJECT_TITLE_CHARS = 90
"""The top story's title is cut to this many characters in the Subject."""


@dataclass
class RankedIncident:
    """An incident of the week with its number in the digest and what the templates show."""

    rank: int
    card: object  # dashboard.briefing.IncidentCard
    summary: str
    url: str
    sources: list[Source] = field(default_factory=list)

    @property
    def lead(self) -> str:
        """What happened, in the sentence of the evidence that says it."""
        return cut(clean_text(self.card.lead), LEAD_CHARS)


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "\u2026"


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


def week_url(dashboard_url: str, week) -> str:
    """The dashboard's Briefing of the week."""
    return f"{dashboard_url.rstrip('/')}/?week={quote(str(week), safe='')}"


def ranked_cards(briefing) -> list:
    """The week's top story, then the other new incidents, then the escalated ones: the
    digest's numbering, which its items and its chart share."""
    cards = [*briefing.new, *briefing.escalated]
    top = briefing.top
    return [top, *(c for c in cards if c is not top)] if top in cards else cards


def rank_incidents(briefing, sources: dict[str, list[Source]], dashboard_url: str) -> list[RankedIncident]:
    """The week's incidents numbered as `ranked_cards` orders them."""
    cards = ranked_cards(briefing)
    return [RankedIncident(rank, card, summary_line(card), incident_url(dashboard_url, card.id),
                           sources.get(card.id, []))
            for rank, card in enumerate(cards, start=1)]


def summary_line(card) -> str:
    """One line on what the incident is: its main fact framed by type, and who reported it."""
    reported = f"{card.article_count} article{'s' if card.article_count != 1 else ''}"
    if card.outlets:
        reported += f" from {card.outlet_count} outlet{'s' if card.outlet_count != 1 else ''}"
    if card.copies:
        reported += f" (+{card.copies} syndicated cop{'ies' if card.copies != 1 else 'y'})"
    status = "Escalated this week" if card.status == "escalated" else "New this week"
    return f"{status}. {card.summary}. First reported {nice_date(card.first_seen)}; {reported}."


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
    """The week's top story and how many more: "Alibaba bans Claude Code, and 2 more: week 2026-W28"."""
    if briefing.is_quiet:
        return f"Incident digest {briefing.week}: a quiet week"
    stories = len(briefing.new) + len(briefing.escalated)
    top = briefing.top if stories else None
    if top is None:  # only dates to watch next week
        return f"Incident digest {briefing.week}: {len(briefing.upcoming)} taking effect next week"
    more = f", and {stories - 1} more" if stories > 1 else ""
    return f"{cut(clean_text(top.title), SUBJECT_TITLE_CHARS)}{more}: week {briefing.week}"


def digest_context(briefing, recipient, sources, dashboard_url: str, chart_cid: str | None) -> dict:
    """Everything the two templates show."""
    ranked = rank_incidents(briefing, sources, dashboard_url)
    week = briefing.week
    top = briefing.top
    return {
        "subject": subject(briefing),
        "week": str(week),
        "week_span": f"{nice_date(week.monday)} to {nice_date(week.sunday)}",
        "next_week": str(week.following()),
        "previous_week": str(week.previous()),
        "quiet": briefing.is_quiet,
        "recipient_name": recipient.name if recipient else "",
        "followed": followed_changes(briefing, ranked, recipient.follow) if recipient else [],
        "items": ranked,
        "max_facts": MAX_FACTS,
        "new": [r for r in ranked if r.card.status == "new"],
        "escalated": [r for r in ranked if r.card.status == "escalated"],
        "upcoming": briefing.upcoming,
        "upcoming_urls": {u.incident_id: incident_url(dashboard_url, u.incident_id) for u in briefing.upcoming},
        "companies": briefing.companies,
        "chart_cid": chart_cid,
        "dashboard_url": dashboard_url,
        "week_url": week_url(dashboard_url, week),
        "escalation": ESCALATION,
        "colours": {t.name: t.colour for t in TABLE},
        "top_id": top.id if top else None,
        "developing": [(c, incident_url(dashboard_url, c.id)) for c in briefing.developing],
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
