"""Search: keyword and semantic search over incidents and articles, incidents first."""
import numpy as np
import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.cards import card_from_row, incident_card, incident_link
from dashboard.downloads import download_buttons
from dashboard.escape import md, safe_url

RESULTS = 20  # per section
MIN_SIMILARITY = 0.3  # below this cosine similarity a semantic match is noise

url = data.store_url()
st.title("Search")
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

incident_ids, article_rows = data.keyword_search(url, query)
scores: dict = {}
if semantic:
    index = data.semantic_index(url)
    with st.spinner("Reading the query..."):
        vector = data.embed_query(query)

    def nearest(ids: list, matrix: np.ndarray) -> list[tuple]:
        if not len(ids):
            return []
        sims = matrix @ vector
        best = np.argsort(-sims)[:RESULTS]
        return [(ids[i], float(sims[i])) for i in best if sims[i] >= MIN_SIMILARITY]

    near_incidents = nearest(index["incident_ids"], index["incidents"])
    near_articles = nearest(index["article_ids"], index["articles"])
    scores = dict(near_incidents) | dict(near_articles)
    incident_ids = list(dict.fromkeys([*incident_ids, *(i for i, _ in near_incidents)]))
    seen = {r["id"] for r in article_rows}
    article_rows += data.article_listing(url, tuple(i for i, _ in near_articles if i not in seen))

table = data.incident_table(url).set_index("id", drop=False)
found = table.loc[[i for i in incident_ids if i in table.index]][:RESULTS]

st.subheader(f"Incidents ({len(found)})")
if found.empty:
    st.caption("No incident matches.")
for _, row in found.iterrows():
    incident_card(card_from_row(row))

articles = pd.DataFrame(article_rows[:RESULTS], columns=["id", "outlet", "title", "published", "url", "incident_id"])
st.subheader(f"Articles ({len(articles)})")
if articles.empty:
    st.caption("No article matches.")
for _, a in articles.iterrows():
    with st.container(border=True):
        link = safe_url(a["url"])
        title = md(a["title"] or a["url"])
        st.markdown(f"[{title}](<{link}>)" if link and not set(link) & set("<> \n") else title)
        st.caption(f"{md(a['outlet'] or 'unknown outlet')} · {md((a['published'] or '')[:10])}"
                   + (f" · similarity {scores[a['id']]:.2f}" if a["id"] in scores else ""))
        if a["incident_id"] in table.index:
            incident_link(a["incident_id"], f"Incident: {table.at[a['incident_id'], 'title']}", ":material/link:")

download_buttons(
    [{"kind": "incident", "id": r["id"], "title": r["title"], "date": r["date"], "url": None}
     for _, r in found.iterrows()]
    + [{"kind": "article", "id": a["id"], "title": a["title"], "date": a["published"], "url": a["url"]}
       for _, a in articles.iterrows()],
    f"search-{query[:40]}", key="search_download")
