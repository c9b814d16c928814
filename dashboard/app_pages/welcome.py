"""First run: the store holds no incidents yet; say how to get some."""
import streamlit as st

from dashboard import data

counts = data.store_counts(data.store_url())

st.title("Welcome to the incident tracker")
st.write("The store has no incidents yet, so there is nothing to brief on. "
         "Any of these fills it; then press **Reload data** in the sidebar.")
if counts["articles"]:
    st.info(f"The store holds {counts['articles']:,} articles but no incidents: "
            "analyse and group them with `incidents extract` and `incidents link`.")
st.subheader("Try it on the bundled sample news")
st.code("incidents demo", language="bash")
st.caption("Crawls a small sample news site served on 127.0.0.1, extracts, links, and opens this dashboard.")
st.subheader("Track real sources")
st.code("incidents run --sources sources.toml     # crawl, extract and link in one go", language="bash")
st.subheader("Or bring your own articles")
st.code("incidents ingest articles.jsonl\nincidents extract\nincidents link", language="bash")
st.caption(f"Store: {data.store_label(data.store_url())}")
