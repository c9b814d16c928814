"""Timeline: incidents over time in swimlanes, filtered; a selection opens the incident."""
import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.cards import INCIDENT_PAGE, event_color_scale
from dashboard.downloads import download_buttons
from incidents.event_types import EVENT_TYPES, label

LANES = 15  # swimlanes drawn at most (the busiest); the rest are summed up as "other"

url = data.store_url()
table = data.incident_table(url)

st.title("Timeline")
with st.container(border=True):
    lanes_by, dates = st.columns([1, 2])
    lane_kind = lanes_by.segmented_control("Swimlanes", ["company", "event type"], default="company",
                                           key="timeline_lanes")
    known = table["day"].dropna()
    first, last = (known.min().date(), known.max().date()) if len(known) else (None, None)
    span = dates.date_input("Date range", (first, last), min_value=first, max_value=last,
                            key="timeline_dates") if first else ()
    who, what, where = st.columns(3)
    companies = who.multiselect("Company", data.party_totals(url, ("ORG", "PRODUCT"))["name"].tolist(),
                                key="timeline_companies", placeholder="all companies")
    types = what.multiselect("Event type", EVENT_TYPES, format_func=label, key="timeline_types",
                             placeholder="all event types")
    outlets = where.multiselect("Outlet", sorted({o for os_ in table["outlets"] for o in os_}),
                                key="timeline_outlets", placeholder="all outlets")


def keep(frame: pd.DataFrame) -> pd.DataFrame:
    """The incidents that pass every filter."""
    mask = pd.Series(True, index=frame.index)
    if len(span) == 2 and tuple(span) != (first, last):  # the whole range keeps the undated too
        start, end = pd.Timestamp(span[0]), pd.Timestamp(span[1])
        mask &= frame["day"].between(start, end)
    if companies:
        wanted = set(companies)
        mask &= pd.Series([bool(wanted & {*a, *t}) for a, t in zip(frame["actors"], frame["targets"])],
                          index=frame.index)
    if types:
        mask &= frame["event_types"].map(lambda ts: bool(set(types) & set(ts)))
    if outlets:
        mask &= frame["outlets"].map(lambda os_: bool(set(outlets) & set(os_)))
    return frame[mask]


shown = keep(table)
st.caption(f"{len(shown):,} of {len(table):,} incidents")


def swimlanes(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """One row per incident and lane: each company it involves, or each event type it has."""
    column = "lane_names"
    if kind == "event type":
        lanes = frame.assign(**{column: frame["event_types"].map(lambda ts: [label(t) for t in ts] or ["(none)"])})
    else:
        lanes = frame.assign(**{column: [list(dict.fromkeys([*a, *t])) or ["(unknown)"]
                                         for a, t in zip(frame["actors"], frame["targets"])]})
    rows = lanes.explode(column).rename(columns={column: "lane"})
    top = rows["lane"].value_counts().index[:LANES]
    rows["lane"] = rows["lane"].where(rows["lane"].isin(top), "other")
    rows["main_event"] = rows["main_type"].map(lambda t: label(t) if isinstance(t, str) else "unknown")
    return rows[["id", "title", "day", "lane", "main_type", "main_event", "summary", "outlet_count"]].dropna(subset=["day"])


def lane_order(lanes: pd.DataFrame) -> list[str]:
    """Busiest lane first; "other" always last."""
    order = lanes["lane"].value_counts().index.tolist()
    return [lane for lane in order if lane != "other"] + (["other"] if "other" in order else [])


if shown.empty:
    st.info("No incident matches these filters.")
else:
    lanes = swimlanes(shown, lane_kind)
    pick = alt.selection_point(fields=["id"], name="pick", on="click")
    colors = event_color_scale(lanes["main_type"].fillna(""))
    chart = (
        alt.Chart(lanes)
        .mark_circle(opacity=0.75)
        .encode(
            x=alt.X("day:T", title=None),
            y=alt.Y("lane:N", title=None, sort=lane_order(lanes)),
            size=alt.Size("outlet_count:Q", title="outlets", scale=alt.Scale(range=[40, 400]),
                          legend=alt.Legend(format="d", tickMinStep=1)),
            color=alt.Color("main_event:N", title="main event",
                            scale=alt.Scale(domain=colors[0], range=colors[1])),
            tooltip=[alt.Tooltip("title:N"), alt.Tooltip("day:T", title="date"),
                     alt.Tooltip("summary:N", title="what happened"), alt.Tooltip("outlet_count:Q", title="outlets")],
        )
        .add_params(pick)
        .properties(height=max(220, 34 * lanes["lane"].nunique()))
    )
    event = st.altair_chart(chart, on_select="rerun", selection_mode="pick", key="timeline_chart")
    picked = (event or {}).get("selection", {}).get("pick") or []
    if picked and picked[0].get("id"):
        st.switch_page(INCIDENT_PAGE, query_params={"id": picked[0]["id"]})

    listing = shown.sort_values("day", ascending=False)[
        ["id", "date", "title", "summary", "event_types", "outlet_count", "article_count"]]
    listing = listing.assign(event_types=listing["event_types"].map(lambda ts: [label(t) for t in ts]))
    choice = st.dataframe(listing, hide_index=True, width="stretch", on_select="rerun",
                          selection_mode="single-row", key="timeline_table",
                          column_config={"id": None, "summary": "what happened", "outlet_count": "outlets",
                                         "article_count": "articles", "event_types": "facts"})
    rows = choice.selection.rows if choice else []
    if rows:
        st.switch_page(INCIDENT_PAGE, query_params={"id": listing.iloc[rows[0]]["id"]})
    undated = int(shown["day"].isna().sum())
    st.caption("Click a point or a row to open the incident."
               + (f" {undated} undated incident{'s are' if undated != 1 else ' is'} listed but not drawn." if undated else ""))
    download_buttons(listing.drop(columns=["outlet_count"]).assign(outlets=shown["outlets"]),
                     "incidents-timeline", key="timeline_download")
