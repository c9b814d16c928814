"""Incident: its story as dated events with their evidence, its articles, who is named, what is related."""
import streamlit as st

from dashboard import data
from dashboard.cards import chips, incident_link, label
from dashboard.downloads import download_buttons
from dashboard.escape import md, safe_url

url = data.store_url()


def fact_key(event) -> tuple:
    """An event row's (type, actor, target, date), an undated one's date None."""
    date = event["date"] if isinstance(event["date"], str) else None
    return (event["type"], event["actor"], event["target"], date)


wanted = st.query_params.get("id")
card = data.incident(url, wanted) if wanted else None

if card is None and wanted and (moved := data.incident_redirect(url, wanted)):
    # a merged-away id (in a digest already sent, a bookmark) opens the incident it was merged into
    st.session_state["incident_merged_from"] = moved["merge"]
    st.query_params["id"] = moved["id"]
    st.rerun()

if card is None:
    st.title("Incident")
    if wanted:
        st.warning(f"No incident with the id {md(wanted)}: it may have been merged by a later link run.")
    table = data.incident_table(url).sort_values("day", ascending=False)
    titles = dict(zip(table["id"], table["title"]))
    picked = st.selectbox("Open an incident", list(titles), index=None, format_func=lambda i: titles[i],
                          key="incident_pick", placeholder="type to find an incident")
    if picked:
        st.query_params["id"] = picked
        st.rerun()
    st.stop()

corrections = data.incident_corrections(url, card.id)
merged_from = st.session_state.pop("incident_merged_from", None)
if merged_from:
    st.info(f"{md(merged_from['subject'])} was merged into this incident by {md(merged_from['who'])} "
            f"on {merged_from['when'][:10]}.", icon=":material/merge:")
st.title(md(card.title))
if corrections["title"]:
    st.caption(f":material/edit: Title corrected by {md(corrections['title']['who'])} "
               f"on {corrections['title']['when'][:10]}")
st.markdown(chips(card.event_types))
st.caption(" · ".join(md(p) for p in [card.date or "date unknown", card.who_to_whom,
                                       f"first reported {(card.first_seen or '?')[:10]}",
                                       f"last {(card.last_seen or '?')[:10]}",
                                       f"{len(card.outlets)} outlets"] if p))

events = data.incident_events(url, card.id)
articles = data.incident_articles(url, card.id)

st.subheader("What happened, in order")
if events.empty:
    st.caption("No event was extracted from its articles.")
for _, e in events.iterrows():
    with st.container(border=True):
        when, what = st.columns([1, 5])
        when.markdown(f"**{md(e['date'] or 'undated')}**")
        stance = "" if e["stance"] == "reported" else f" ({md(e['stance'])})"
        what.markdown(f"{chips([e['type']])} **{md(e['actor'])}** -> **{md(e['target'])}**{stance}")
        what.text(e["evidence"])  # the sentence that states it, as plain text
        what.caption(f"{md(e['outlet'] or 'unknown outlet')}, {md((e['published'] or '')[:10])}: {md(e['title'])}")
        fixed = corrections["facts"].get(fact_key(e))
        if fixed:
            what.caption(f":material/edit: corrected by {md(fixed['who'])} on {fixed['when'][:10]}: {md(fixed['text'])}")

st.subheader(f"Articles ({len(articles)})")
st.dataframe(
    articles.assign(url=articles["url"].map(safe_url), published=articles["published"].str.slice(0, 10))
    [["published", "outlet", "title", "url"]],
    hide_index=True, width="stretch",
    column_config={"url": st.column_config.LinkColumn("link", display_text="open")})

left, right = st.columns(2)
with left:
    st.subheader("Who is named")
    st.dataframe(data.incident_entities(url, card.id), hide_index=True, width="stretch",
                 column_config={"articles": st.column_config.NumberColumn("articles naming it")})
with right:
    st.subheader("Related incidents")
    related = data.related_incidents(url, card.id)
    for r in related:
        incident_link(r["id"], r["title"], ":material/link:")
        plural = "companies or products" if r["shared"] != 1 else "company or product"
        st.caption(f"{md(r['date'] or '')} · {r['shared']} {plural} in common")
    if not related:
        st.caption("None names the same companies or products.")

if corrections["entries"]:
    with st.expander(f"Corrections ({len(corrections['entries'])})", icon=":material/edit_note:"):
        for entry in corrections["entries"]:
            why = f" ({md(entry['reason'])})" if entry["reason"] else ""
            st.markdown(f"**{entry['id']}** · {md(entry['who'])}, {entry['when'][:16].replace('T', ' ')}: "
                        f"{md(entry['text'])}{why}")

download_buttons(events.assign(type=events["type"].map(label)), f"incident-{card.id}", key="incident_download",
                 document={"incident": vars(card), "events": events.to_dict(orient="records"),
                           "articles": articles.to_dict(orient="records")})
