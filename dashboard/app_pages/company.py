"""Company: its incidents over time, who it clashes with, its products, the graph around it."""
import altair as alt
import streamlit as st

from dashboard import data
from dashboard.cards import card_from_row, incident_card, label
from dashboard.downloads import download_buttons
from dashboard.escape import md
from dashboard.network import draw

CARDS_SHOWN = 10  # latest incidents as cards; all of them are in the download

url = data.store_url()
totals = data.entity_totals(url, ("ORG",))
totals = totals[~totals["name"].isin(data.hidden_entities(url))]  # hidden by an analyst
st.title("Company")
if totals.empty:
    st.info("No company is named in any incident yet.")
    st.stop()
names = totals["name"].tolist()
wanted = st.query_params.get("name")
name = st.selectbox("Company", names, index=names.index(wanted) if wanted in names else 0,
                    format_func=lambda n: f"{n} ({int(totals.set_index('name').at[n, 'incidents'])} incidents)",
                    key="company_name")
st.query_params["name"] = name

table = data.incident_table(url)
mine = table[table["id"].isin(data.company_incident_ids(url, name))].sort_values("day", ascending=False)
st.header(md(name))
st.caption(f"Named in {len(mine)} incident{'s' * (len(mine) != 1)}")

st.subheader("Incidents over time")
per_month = mine.dropna(subset=["day"]).assign(month=lambda f: f["day"].dt.to_period("M").dt.to_timestamp())
st.altair_chart(
    alt.Chart(per_month).mark_bar().encode(
        x=alt.X("yearmonth(month):T", title=None), y=alt.Y("count():Q", title="incidents"),
        color=alt.Color("main_type:N", title="main event"), tooltip=["yearmonth(month):T", "count():Q", "main_type:N"]),
    key="company_chart")
for _, row in mine.head(CARDS_SHOWN).iterrows():
    incident_card(card_from_row(row))
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
    st.page_link("app_pages/graph.py", label="Explore in the Graph page", icon=":material/hub:",
                 query_params={"entity": name})
else:
    st.caption("Not in the incident graph yet (run `incidents link`).")

download_buttons(mine[["id", "date", "title", "who_to_whom", "event_types", "outlets", "article_count"]],
                 f"company-{name}", key="company_download")
