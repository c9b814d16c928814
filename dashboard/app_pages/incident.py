"""Incident: its story as facts, each once with every source that states it; its articles,
who is named, what is related."""
import streamlit as st

from dashboard import data
from dashboard.briefing import short_date
from dashboard.cards import chips, incident_link
from dashboard.corrections import incident_forms, show_flash
from dashboard.downloads import download_buttons
from dashboard.escape import md
from incidents.event_types import label
from incidents.webtext import linkable_url

url = data.store_url()


def corrected(fact) -> dict | None:
    """The correction that left this fact so, if any: corrections name a fact by (type,
    actor, target, date) as an article stated it, so any of its sentences may carry one."""
    keys = [(fact.type, fact.actor, fact.target, fact.date),
            *((m.type, m.actor, m.target, m.date) for m in fact.mentions)]
    return next((corrections["facts"][k] for k in keys if k in corrections["facts"]), None)


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
    listed = data.incident_choices(url)
    titles = {row["id"]: row["title"] for row in listed}
    picked = st.selectbox("Open an incident", list(titles), index=None, format_func=lambda i: titles[i],
                          key="incident_pick", placeholder="type to find an incident")
    if picked:
        st.query_params["id"] = picked
        st.rerun()
    st.stop()

show_flash()
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
st.caption(" · ".join(md(p) for p in [short_date(card.date) or "date unknown", card.who_to_whom,
                                       f"first reported {short_date((card.first_seen or '')[:10]) or 'on an unknown date'}",
                                       f"last {short_date((card.last_seen or '')[:10]) or 'unknown'}",
                                       f"{card.outlet_count} outlet{'s' * (card.outlet_count != 1)}"
                                       + (f" (+{card.copies} syndicated)" if card.copies else "")] if p))


def sources_line(fact) -> str:
    """Who carries the fact: each outlet once, originals first, copies named as such."""
    parts = []
    for source in fact.sources:
        name = md(source.outlet or "unknown outlet")
        copies = ", ".join(md(c.outlet or "unknown outlet") for c in source.copies)
        parts.append(f"{name} ({md((source.published or 'undated')[:10])})"
                     + (f", copied by {copies}" if copies else ""))
    return "Reported by " + "; ".join(parts)


st.subheader("What happened, in order")
if not card.facts:
    st.caption("No event was extracted from its articles.")
for fact in card.facts:
    with st.container(border=True):
        when, what = st.columns([1, 5])
        when.markdown(f"**{md(short_date(fact.date) or 'undated')}**")
        if fact.estimated:
            when.caption("date estimated from publication")
        stance = "" if fact.stance == "reported" else f" ({md(fact.stance)})"
        what.markdown(f"{chips([fact.type])} **{md(fact.actor)}** -> **{md(fact.target)}**{stance}")
        what.text(fact.evidence)  # the sentence that states it, as plain text
        what.caption(sources_line(fact))
        others = [(s, m) for s in fact.sources for m in [s.evidence] if m and m != fact.evidence]
        if others:
            with what.expander(f"{len(others)} more source{'s' * (len(others) != 1)} in their own words"):
                for source, sentence in others:
                    st.caption(md(source.outlet or "unknown outlet"))
                    st.text(sentence)
        fixed = corrected(fact)
        if fixed:
            what.caption(f":material/edit: corrected by {md(fixed['who'])} on {fixed['when'][:10]}: {md(fixed['text'])}")

articles = data.incident_articles(url, card.id)
st.subheader(f"Articles ({len(articles)})")
st.dataframe(
    [{"published": (a["published"] or "")[:10], "outlet": a["outlet"] or "", "title": a["title"] or "",
      "copy of": a["copy_of"] or "", "url": linkable_url(a["url"])} for a in articles],
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
        st.caption(f"{md(short_date(r['date']))} · {r['shared']} {plural} in common")
    if not related:
        st.caption("None names the same companies or products.")

incident_forms(url, card, articles, corrections["entries"])

download_buttons([{"date": f.date, "type": label(f.type), "actor": f.actor, "target": f.target, "stance": f.stance,
                   "evidence": f.evidence, "outlets": f.outlets, "articles": f.article_ids} for f in card.facts],
                 f"incident-{card.id}", key="incident_download", document=card.as_dict() | {"articles": articles})
