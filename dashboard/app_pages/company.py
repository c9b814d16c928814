"""Company: its incidents over time, who it clashes with, its products, the graph around it."""
import altair as alt
import streamlit as st

from dashboard import data
from dashboard.cards import event_color_scale, incident_card
from dashboard.corrections import entity_forms, show_flash
from dashboard.downloads import download_buttons
from dashboard.escape import md
from dashboard.network import draw, legend_chart
from incidents.event_types import label

CARDS_SHOWN = 10  # latest incidents as cards; all of them are in the download

url = data.store_url()
totals = data.party_totals(url, ("ORG",))
st.title("Company")
if totals.empty:
    st.info("No company is a party to any incident yet.")
    st.stop()
names = totals["name"].tolist()
wanted = st.query_params.get("name")
name = st.selectbox("Company", names, index=names.index(wanted) if wanted in names else 0,
                    format_func=lambda n: f"{n} ({int(totals.set_index('name').at[n, 'incidents'])} incidents)",
                    key="company_name")
st.query_params["name"] = name

table = data.incident_table(url)
mine = table[table["id"].isin(data.company_incident_ids(url, name))].sort_values("day", ascending=False)
show_flash()
st.header(md(name))
st.caption(f"Named in {len(mine)} incident{'s' * (len(mine) != 1)}")
entity_forms(url, name)

st.subheader("Incidents over time")
per_month = mine.dropna(subset=["day"]).assign(
    month=lambda f: f["day"].dt.to_period("M").dt.to_timestamp(),
    main_event=lambda f: f["main_type"].map(lambda t: label(t) if isinstance(t, str) else "unknown"))
colors = event_color_scale(per_month["main_type"].fillna(""))
st.altair_chart(
    alt.Chart(per_month).mark_bar().encode(
        x=alt.X("yearmonth(month):T", title=None), y=alt.Y("count():Q", title="incidents"),
        color=alt.Color("main_event:N", title="main event", scale=alt.Scale(domain=colors[0], range=colors[1])),
        tooltip=[alt.Tooltip("yearmonth(month):T", title="month"), alt.Tooltip("count():Q", title="incidents"),
                 alt.Tooltip("main_event:N", title="main event")]),
    key="company_chart")
for _, row in mine.head(CARDS_SHOWN).iterrows():
    incident_card(data.incident(url, row["id"]))
if len(mine) > CARDS_SHOWN:
    st.caption(f"and {len(mine) - CARDS_SHOWN} older incidents (in the download below).")

left, right = st.columns(2)
with left:
    st.subheader("Counterparties")
    parties = data.counterparties(url, name)
    if parties.empty:
        st.caption("No event links it to another party.")
    else:
        st.dataframe(parties.assign(type=parties["type"].map(label),
                                    role=parties["role"].map({"actor": "it acted", "target": "acted on it"})),
                     hide_index=True, width="stretch")
with right:
    st.subheader("Products")
    made = data.products(url, name)
    if made.empty:
        st.caption("No product is attributed to it.")
    else:
        st.dataframe(made, hide_index=True, width="stretch",
                     column_config={"articles": st.column_config.NumberColumn("articles naming it")})

st.subheader("The graph around it")
if name in data.graph_entities(url):
    around = data.neighbourhood(url, name, 2, None, None, 60)
    draw(around["elements"], height=420, key="company_network")
    if around["legend"]:
        st.altair_chart(legend_chart(around["legend"]), key="company_legend")
    st.page_link("app_pages/graph.py", label="Explore in the Graph page", icon=":material/hub:",
                 query_params={"entity": name})
else:
    st.caption("Not in the incident graph yet (run `incidents link`).")

download_buttons(mine[["id", "date", "title", "summary", "event_types", "outlets", "article_count"]],
                 f"company-{name}", key="company_download")
