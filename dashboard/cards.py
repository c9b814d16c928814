"""An incident as a card: title (a link to its page), what happened, its facts' chips, date, outlets."""
from __future__ import annotations

import streamlit as st

from dashboard.briefing import IncidentCard, short_date
from dashboard.escape import md
from incidents.event_types import EVENT_TYPE, badge, colour, label

INCIDENT_PAGE = "app_pages/incident.py"

STATUS_ICONS = {"new": ":material/fiber_new:", "escalated": ":material/trending_up:",
                "ongoing": ":material/article:"}

LEAD_CHARS = 220
"""A card's lead sentence is cut to this many characters (the Incident page has it whole)."""


def event_color_scale(types) -> tuple[list[str], list[str]]:
    """(domain, range) for a chart colouring these event types, by their labels, as every
    view does (anything outside the vocabulary reads "unknown", in grey)."""
    shown = {label(t) if t in EVENT_TYPE else "unknown": colour(t) for t in set(types)}
    domain = sorted(shown)
    return domain, [shown[d] for d in domain]


def chips(event_types: list[str]) -> str:
    """Markdown badges for event types, in each type's colour and words (a name outside the
    vocabulary is escaped, in grey)."""
    return " ".join(f":{badge(t)}-badge[{label(t) if t in EVENT_TYPE else md(t)}]" for t in event_types)


def incident_link(incident_id: str, title: str, icon: str | None = None) -> None:
    """A link to the incident's page, its title shown literally."""
    st.page_link(INCIDENT_PAGE, label=md(title) or md(incident_id), icon=icon, query_params={"id": incident_id})


def card_caption(card: IncidentCard) -> str:
    """Date, how many facts, and who reported it (a syndicated copy counted with its original)."""
    outlets = card.outlet_count
    facts = len(card.facts)
    parts = [short_date(card.date) or "date unknown",
             f"{facts} fact{'s' * (facts != 1)}" if facts else "",
             f"{outlets} outlet{'s' * (outlets != 1)}" + (f" (+{card.copies} syndicated cop{'ies' if card.copies != 1 else 'y'})"
                                                        if card.copies else "")]
    return " · ".join(md(p) for p in parts if p)


def lead_text(card: IncidentCard, limit: int = LEAD_CHARS) -> str:
    """The card's sentence of what happened, cut to `limit` characters."""
    text = " ".join(card.lead.split())
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "\u2026"


def incident_card(card: IncidentCard) -> None:
    with st.container(border=True):
        incident_link(card.id, card.title, STATUS_ICONS.get(card.status))
        if card.lead:
            st.text(lead_text(card))  # the evidence, as plain text
        if card.event_types:
            st.markdown(chips(card.event_types))
        st.caption(card_caption(card))
