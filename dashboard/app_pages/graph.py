"""Graph: an interactive network of an entity's neighbourhood in the incident graph."""
import streamlit as st

from dashboard import data
from dashboard.downloads import download_buttons
from dashboard.escape import md
from dashboard.network import draw, legend_chart
from graph.build import STALE_NOTE
from incidents.event_types import EVENT_TYPES, label

MAX_NODES = 150  # beyond this a network stops being readable

url = data.store_url()
names = data.graph_entities(url)
st.title("Graph")
if data.graph_is_stale(url):
    st.warning(f"The {STALE_NOTE}.", icon=":material/update:")
if not names:
    st.info("The incident graph has no entities yet: run `incidents link`.")
    st.stop()

wanted = st.query_params.get("entity")
controls = st.container(border=True)
pick, hop_box = controls.columns([3, 1])
centre = pick.selectbox("Entity", names, index=names.index(wanted) if wanted in names else 0, key="graph_entity")
hops = hop_box.slider("Hops", 1, 4, 2, key="graph_hops")
kind_box, type_box = controls.columns(2)
all_kinds = data.graph_kinds(url)
kinds = kind_box.multiselect("Node kinds", all_kinds, default=all_kinds, key="graph_kinds")
types = type_box.multiselect("Event types", EVENT_TYPES, format_func=label, key="graph_types",
                             placeholder="all event types")
st.query_params["entity"] = centre

found = data.neighbourhood(url, centre, hops, tuple(kinds), tuple(types) or None, MAX_NODES)
st.caption(f"{found['nodes']} nodes and {len(found['edges'])} links within {hops} hop{'s' * (hops > 1)} "
           f"of {md(centre)}" + (f" (the nearest {MAX_NODES} shown)" if found["nodes"] >= MAX_NODES else "")
           + ". Drag to move, scroll to zoom, click a node or link for its details.")

draw(found["elements"], height=560, key="graph_network")
if found["legend"]:
    st.altair_chart(legend_chart(found["legend"]), key="graph_legend")

download_buttons(found["edges"], f"graph-{centre}", key="graph_download",
                 document={"centre": centre, "hops": hops, "elements": found["elements"]})
