"""Briefing: the week's top story first, then what else moved, for a reader who has ten seconds.

Read top to bottom on any screen: the top story, the week's other new and escalated
incidents, those still developing in the last 30 days, then the figures against last week.
"""
import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.briefing import DEVELOPING_DAYS, parse_week, short_date
from dashboard.cards import STATUS_ICONS, incident_card, incident_link
from dashboard.downloads import download_buttons
from dashboard.escape import md
from incidents.errors import IncidentsError
from incidents.event_types import ESCALATION, label

LISTED = 12  # incidents per list; the rest are one click away on the Timeline

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
head.caption(f"{this.week.monday:%a %d %b} to {this.week.sunday:%a %d %b %Y}. "
             + (md(this.as_of.line) if this.as_of else ""))


def compact(cards: list, empty: str) -> None:
    """Each incident as its title (a link) and one line of what happened."""
    if not cards:
        st.caption(empty)
        return
    for card in cards[:LISTED]:
        incident_link(card.id, card.title, STATUS_ICONS.get(card.status))
        st.caption(md(card.brief))
    if len(cards) > LISTED:
        st.caption(f"and {len(cards) - LISTED} more; see the Timeline for all.")


top = this.top
st.subheader("Top story" if top and top.status != "ongoing" else "Latest story")
if top is None:
    st.info("Nothing reported yet: no incident has an article in this week or the 30 days before.",
            icon=":material/bedtime:")
else:
    incident_card(top)

others = [c for c in [*this.new, *this.escalated] if top is None or c.id != top.id]
week_line = f"This week: {len(this.new)} new, {len(this.escalated)} escalated"
if this.is_quiet:
    st.info("A quiet week: no new incidents, no escalations, and nothing takes effect "
            f"in the 7 days after {this.week}.", icon=":material/bedtime:")
elif others:
    st.subheader(week_line)
    compact(others, "")
else:
    st.caption(f"{week_line}: nothing else new or escalated.")

st.subheader(f"Still developing (last {DEVELOPING_DAYS} days)")
developing = [c for c in this.developing if top is None or c.id != top.id]
compact(developing, f"No other incident was reported in the {DEVELOPING_DAYS} days to {this.week.sunday:%d %b}.")
if this.earlier:
    st.caption("Before that:")
    compact(this.earlier, "")

st.divider()
new, escalated, upcoming, companies = st.columns(4)
new.metric("New incidents", len(this.new), len(this.new) - len(last.new), border=True)
escalated.metric("Escalations", len(this.escalated), len(this.escalated) - len(last.escalated),
                 delta_color="inverse", border=True, help=ESCALATION)
upcoming.metric("Taking effect in the next 7 days", len(this.upcoming), border=True)
companies.metric("Companies involved", len(this.companies), len(this.companies) - len(last.companies),
                 delta_color="off", border=True)

left, right = st.columns(2)
with left:
    st.subheader("Taking effect soon")
    if this.upcoming:
        for item in this.upcoming:
            incident_link(item.incident_id, f"{short_date(item.date)}: {label(item.event_type)}, "
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
        st.caption("No company was party to an incident this week.")

with st.expander("What counts as an escalation"):
    st.write(ESCALATION)

rows = [{"status": c.status, "id": c.id, "title": c.title, "date": c.date, "summary": c.summary, "lead": c.lead,
         "event_types": c.event_types, "outlets": c.outlets, "articles": c.article_count}
        for c in this.new + this.escalated]
download_buttons(rows, f"briefing-{this.week}", key="briefing_download", document=this.as_dict())
