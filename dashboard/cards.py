"""An incident as a card: title (a link to its page), date, who -> whom, event chips, outlets."""
from __future__ import annotations

import streamlit as st

from dashboard.briefing import IncidentCard
from dashboard.escape import md
from incidents.model import EVENT_TYPES

INCIDENT_PAGE = "app_pages/incident.py"

CHIP_COLORS = {"ban": "red", "access_cutoff": "red", "lawsuit": "orange", "fine": "orange",
               "allegation": "violet", "investigation": "blue", "security_finding": "yellow",
               "breach": "red", "settlement": "green", "ban_lifted": "green"}
"""Badge colour of each event type: escalations red or orange, resolutions green."""

CHART_COLORS = {"red": "#d62728", "orange": "#ff7f0e", "violet": "#9467bd", "blue": "#1f77b4",
                "yellow": "#d4b106", "green": "#2ca02c", "gray": "#7f7f7f"}
"""The badge colours as chart colours, so a chart's legend matches the chips."""


def event_color_scale(types) -> tuple[list[str], list[str]]:
    """(domain, range) for a chart colouring these event types as the chips do."""
    domain = sorted(set(types))
    return domain, [CHART_COLORS[CHIP_COLORS.get(t, "gray")] for t in domain]


STATUS_ICONS = {"new": ":material/fiber_new:", "escalated": ":material/trending_up:",
                "ongoing": ":material/article:"}


def chips(event_types: list[str]) -> str:
    """Markdown badges for event types (names outside the vocabulary are escaped, in grey)."""
    return " ".join(f":{CHIP_COLORS.get(t, 'gray')}-badge[{label(t) if t in EVENT_TYPES else md(t)}]"
                    for t in event_types)


def label(event_type: str) -> str:
    """`access_cutoff` as a reader says it: `access cutoff`."""
    return event_type.replace("_", " ")


def incident_link(incident_id: str, title: str, icon: str | None = None) -> None:
    """A link to the incident's page, its title shown literally."""
    st.page_link(INCIDENT_PAGE, label=md(title) or md(incident_id), icon=icon, query_params={"id": incident_id})


def card_caption(card: IncidentCard) -> str:
    outlets = len(card.outlets)
    parts = [card.date or "date unknown", card.who_to_whom,
             f"{outlets} outlet{'s' * (outlets != 1)}, {card.article_count} article{'s' * (card.article_count != 1)}"]
    return " · ".join(md(p) for p in parts if p)


def card_from_row(row) -> IncidentCard:
    """The card of a row of `data.incident_table`."""
    return IncidentCard(**{name: row[name] for name in IncidentCard.__dataclass_fields__})


def incident_card(card: IncidentCard) -> None:
    with st.container(border=True):
        incident_link(card.id, card.title, STATUS_ICONS.get(card.status))
        if card.event_types:
            st.markdown(chips(card.event_types))
        st.caption(card_caption(card))
