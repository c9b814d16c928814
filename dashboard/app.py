"""The briefing dashboard's entry point: opens the store, then routes to the pages.

Run it with `incidents dashboard` (which sets `$INCIDENTS_DB`), or
`INCIDENTS_DB=sqlite:///data/incidents.db streamlit run dashboard/app.py`.
"""
import streamlit as st

from dashboard import data
from incidents.errors import IncidentsError

st.set_page_config(page_title="Incidents briefing", page_icon=":material/crisis_alert:", layout="wide")

url = data.store_url()
try:
    counts = data.store_counts(url)
except IncidentsError as exc:
    st.error(f"Cannot open the store: {exc}")
    st.stop()

if counts["incidents"] == 0:
    pages = [st.Page("app_pages/welcome.py", title="Welcome", icon=":material/waving_hand:", default=True)]
else:
    pages = [
        st.Page("app_pages/briefing.py", title="Briefing", icon=":material/newspaper:", default=True),
        st.Page("app_pages/timeline.py", title="Timeline", icon=":material/timeline:"),
        st.Page("app_pages/incident.py", title="Incident", icon=":material/crisis_alert:"),
        st.Page("app_pages/company.py", title="Company", icon=":material/business:"),
        st.Page("app_pages/graph.py", title="Graph", icon=":material/hub:"),
        st.Page("app_pages/search.py", title="Search", icon=":material/search:"),
    ]

page = st.navigation(pages)
with st.sidebar:
    st.caption(f"{counts['incidents']:,} incidents from {counts['articles']:,} articles")
    if st.button("Reload data", icon=":material/refresh:", help="Read the store again (after a crawl or link run)"):
        st.cache_data.clear()
        st.rerun()
page.run()
