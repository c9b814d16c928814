"""Briefing: this week against last week, for a reader who has two minutes."""
import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.briefing import parse_week
from dashboard.cards import incident_card, incident_link
from dashboard.downloads import download_buttons
from incidents.errors import IncidentsError

CARDS_SHOWN = 12  # cards per section; the rest are one click away on the Timeline

url = data.store_url()
weeks = data.week_choices(url)
chosen = st.query_params.get("week") or data.default_week(url)
try:
    chosen = str(parse_week(chosen))
except IncidentsError as exc:
    st.warning(f"{exc}; showing {data.default_week(url)} instead.")
    chosen = data.default_week(url)
if chosen not in weeks:
    weeks = sorted({*weeks, chosen}, reverse=True)

head, picker = st.columns([3, 1], vertical_alignment="bottom")
week = picker.selectbox("Week", weeks, index=weeks.index(chosen), key="briefing_week")
st.query_params["week"] = week  # the address names the week, so a briefing link can be shared

this = data.briefing(url, week)
last = data.briefing(url, str(this.previous_week))
head.title(f"Briefing, week {this.week}")
head.caption(f"{this.week.monday:%a %d %b} to {this.week.sunday:%a %d %b %Y}, compared with the week before "
             f"({this.previous_week})")

new, escalated, upcoming, companies = st.columns(4)
new.metric("New incidents", len(this.new), len(this.new) - len(last.new), border=True)
escalated.metric("Escalations", len(this.escalated), len(this.escalated) - len(last.escalated),
                 delta_color="inverse", border=True)
upcoming.metric("Taking effect in the next 7 days", len(this.upcoming), border=True)
companies.metric("Companies involved", len(this.companies), len(this.companies) - len(last.companies),
                 delta_color="off", border=True)

if this.is_quiet:
    st.info("A quiet week: no new incidents, no escalations, and nothing takes effect "
            f"in the 7 days after {this.week}.",
            icon=":material/bedtime:")


def card_section(title: str, cards: list, empty: str) -> None:
    st.subheader(f"{title} ({len(cards)})")
    if not cards:
        st.caption(empty)
        return
    columns = st.columns(2)
    for n, card in enumerate(cards[:CARDS_SHOWN]):
        with columns[n % 2]:
            incident_card(card)
    if len(cards) > CARDS_SHOWN:
        st.caption(f"and {len(cards) - CARDS_SHOWN} more, most widely reported shown first; see the Timeline for all.")


card_section("New incidents", this.new, "No incident was first reported this week.")
card_section("Escalations", this.escalated, "No older incident gained a ban, access cut-off, lawsuit or fine.")

left, right = st.columns(2)
with left:
    st.subheader("Taking effect soon")
    if this.upcoming:
        for item in this.upcoming:
            incident_link(item.incident_id, f"{item.date}: {item.event_type.replace('_', ' ')}, "
                                            f"{item.actor} -> {item.target}", ":material/event:")
    else:
        st.caption("Nothing dated in the 7 days after this week.")
with right:
    st.subheader("Most involved companies")
    if this.companies:
        st.dataframe(
            pd.DataFrame([{"company": c.name, "this week": c.this_week, "last week": c.last_week,
                           "change": c.change} for c in this.companies]),
            hide_index=True, width="stretch",
            column_config={"this week": st.column_config.ProgressColumn(
                "this week", format="%d", min_value=0, max_value=max(c.this_week for c in this.companies))})
    else:
        st.caption("No company was named in an incident this week.")

st.divider()
rows = [{"status": c.status, "id": c.id, "title": c.title, "date": c.date, "who_to_whom": c.who_to_whom,
         "event_types": c.event_types, "outlets": c.outlets, "articles": c.article_count}
        for c in this.new + this.escalated]
download_buttons(rows, f"briefing-{this.week}", key="briefing_download", document=this.as_dict())
