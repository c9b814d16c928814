"""Search: keyword and semantic search over incidents and articles, incidents first."""
import streamlit as st

from dashboard import data
from dashboard.cards import incident_card, incident_link
from dashboard.corrections import search_forms, show_flash
from dashboard.downloads import download_buttons
from dashboard.escape import md
from dashboard.search import RESULTS
from incidents.webtext import linkable_url

url = data.store_url()
st.title("Search")
show_flash()
query_box, mode_box = st.columns([3, 1], vertical_alignment="bottom")
query = query_box.text_input("Search incidents and articles", value=st.query_params.get("q", ""),
                             placeholder="e.g. Claude Code ban, distillation, leaked source code",
                             key="search_query").strip()
semantic = mode_box.toggle("Semantic", value=True, key="search_semantic",
                           help="Also find stories that say it in other words (loads a language model once)")
if not query:
    st.caption("Keyword search finds every word; semantic search finds stories that mean the same.")
    st.stop()
st.query_params["q"] = query

with st.spinner("Reading the query..." if semantic else "Searching..."):
    incident_ids, article_rows, scores = data.search(url, query, semantic)

table = data.incident_table(url).set_index("id", drop=False)
found = table.loc[[i for i in incident_ids if i in table.index]][:RESULTS]

st.subheader(f"Incidents ({len(found)})")
if found.empty:
    st.caption("No incident matches.")
for _, row in found.iterrows():
    incident_card(data.incident(url, row["id"]))

articles = article_rows[:RESULTS]  # plain rows: an undated article's date stays None, never NaN
st.subheader(f"Articles ({len(articles)})")
if not articles:
    st.caption("No article matches.")
for a in articles:
    with st.container(border=True):
        link = linkable_url(a["url"])
        title = md(a["title"] or a["url"])
        st.markdown(f"[{title}](<{link}>)" if link else title)
        st.caption(f"{md(a['outlet'] or 'unknown outlet')} · {md((a['published'] or 'undated')[:10])}"
                   + (f" · similarity {scores[a['id']]:.2f}" if a["id"] in scores else ""))
        if a["incident_id"] in table.index:
            incident_link(a["incident_id"], f"Incident: {table.at[a['incident_id'], 'title']}", ":material/link:")

if articles:
    search_forms(url, articles)

download_buttons(
    [{"kind": "incident", "id": r["id"], "title": r["title"], "date": r["date"], "url": None}
     for _, r in found.iterrows()]
    + [{"kind": "article", "id": a["id"], "title": a["title"], "date": a["published"], "url": a["url"]}
       for a in articles],
    f"search-{query[:40]}", key="search_download")
