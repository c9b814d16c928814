"""Analysts' corrections from the dashboard: forms on the Incident, Company and Search pages,
where a mistake is seen, and the log of what was corrected with an undo for each entry.

Each form calls the same `graph.correct.Corrector` as `incidents correct`, on a store opened
for writing only when a correction is made, under the store's run lock (a running
`incidents run` is waited for by no one: the form says so). Who: the signed-in user where the
dashboard has one (Streamlit's `st.user`), else the `analyst` setting, else the login name.
"""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard import data
from dashboard.escape import md
from incidents.config import load_settings
from incidents.corrections import analyst_name
from incidents.errors import IncidentsError
from incidents.event_types import label
from incidents.model import ENTITY_TYPES, EVENT_TYPES

FLASH = "corrections_flash"
"""Session key of the message a correction leaves for the page it reruns."""


def who() -> str:
    """The signed-in user's name (or email) where the dashboard has sign-in, else the settings' analyst."""
    try:
        user = st.user
        if user.get("is_logged_in"):
            return str(user.get("name") or user.get("email") or user.get("sub"))
    except Exception:  # noqa: BLE001 - no sign-in configured
        pass
    return analyst_name(load_settings())


@st.cache_resource(max_entries=4)
def _writer(url: str):
    """The store opened for writing, once per process, only when a correction is made."""
    from incidents.store import Store
    return Store(url)


def correct(url: str, make: Callable) -> None:
    """Make one correction (`make` takes a Corrector and returns the log entry), then read
    everything again; a mistake (an unknown name, a store another command is writing) is shown."""
    from graph.correct import Corrector
    from incidents.store.locks import run_lock

    try:
        with run_lock(url, "correct"):
            made = make(Corrector(_writer(url), who(), load_settings().graph_path or None))
    except IncidentsError as exc:
        st.error(f"Not corrected: {md(str(exc))}", icon=":material/error:")
        return
    st.session_state[FLASH] = f"Correction {made.id} by {made.who}: {made.describe()}"
    st.cache_data.clear()
    data.incident_graph.clear()
    st.rerun()


def show_flash() -> None:
    """The message the last correction left, once."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(md(message), icon=":material/check_circle:")


def log_with_undo(url: str, entries: list[dict], key: str) -> None:
    """Correction log entries, each with an undo button."""
    for entry in entries:
        text, undo = st.columns([6, 1], vertical_alignment="center")
        why = f" ({md(entry['reason'])})" if entry["reason"] else ""
        text.markdown(f"**{entry['id']}** · {md(entry['who'])}, {entry['when'][:16].replace('T', ' ')}: "
                      f"{md(entry['text'])}{why}")
        if undo.button("Undo", key=f"{key}_undo_{entry['id']}", icon=":material/undo:"):
            correct(url, lambda c, n=entry["id"]: c.undo(n))


# --- the Incident page ---

def incident_forms(url: str, card, articles: list[dict], entries: list[dict]) -> None:
    """Retitle, merge, move an article, correct one of the incident's facts, add a missed
    one; the incident's log with undo."""
    others = {row["id"]: row["title"] for row in data.incident_choices(url) if row["id"] != card.id}
    with st.expander("Correct this incident", icon=":material/edit:"):
        title_tab, merge_tab, article_tab, fact_tab, add_tab = st.tabs(
            ["Title", "Merge", "Articles", "Facts", "Missed fact"])
        with title_tab, st.form("incident_retitle"):
            title = st.text_input("New title", value=card.title)
            reason = st.text_input("Why (optional)", key="incident_retitle_reason")
            if st.form_submit_button("Retitle"):
                correct(url, lambda c: c.retitle(card.id, title, reason or None))
        with merge_tab, st.form("incident_merge"):
            into = st.selectbox("Merge this incident into", list(others), index=None,
                                format_func=lambda i: f"{others[i]} ({i})", placeholder="type to find an incident")
            reason = st.text_input("Why (optional)", key="incident_merge_reason")
            if st.form_submit_button("Merge"):
                if into:
                    correct(url, lambda c: c.merge(card.id, into, reason or None))
                else:
                    st.warning("Choose the incident to merge this one into.")
        with article_tab:
            _article_form(url, "incident_article", articles, others)
        with fact_tab:
            _fact_form(url, card.id, card.facts)
        with add_tab, st.form("incident_fact_add"):
            kind = st.selectbox("Type", EVENT_TYPES, key="incident_add_type")
            actor = st.text_input("Actor (an entity's name)", key="incident_add_actor")
            target = st.text_input("Target (an entity's name)", key="incident_add_target")
            day = st.text_input("Date (YYYY-MM-DD or YYYY-MM; empty if unknown)", key="incident_add_date")
            evidence = st.text_area("The sentence of an article that states it", key="incident_add_evidence")
            if st.form_submit_button("Add fact"):
                correct(url, lambda c: c.fact_add(card.id, kind, actor, target, day.strip() or None, evidence))
    if entries:
        with st.expander(f"Corrections ({len(entries)})", icon=":material/edit_note:"):
            log_with_undo(url, entries, "incident")


def _fact_form(url: str, incident_id: str, facts: list) -> None:
    """Change or reject one fact (each once, however many articles state it)."""
    keys = [(f.type, f.actor, f.target, f.date) for f in facts]
    if not keys:
        st.caption("No fact to correct; add a missed one.")
        return
    with st.form("incident_fact"):
        fact = st.selectbox("Fact", keys, format_func=_fact_label)
        action = st.radio("Correction", ["change", "reject"], horizontal=True,
                          format_func={"change": "change it", "reject": "reject it (no article states it)"}.get)
        kind = st.selectbox("Right type (for a change)", [None, *EVENT_TYPES], format_func=lambda t: t or "unchanged")
        actor = st.text_input("Right actor", placeholder="unchanged")
        target = st.text_input("Right target", placeholder="unchanged")
        day = st.text_input("Right date", placeholder="unchanged (YYYY-MM-DD, YYYY-MM or 'undated')")
        reason = st.text_input("Why (optional)", key="incident_fact_reason")
        if st.form_submit_button("Correct fact"):
            if action == "reject":
                correct(url, lambda c: c.fact_reject(incident_id, *fact, reason or None))
            else:
                changes = {"type": kind, "actor": actor.strip() or None, "target": target.strip() or None,
                           "date": day.strip() or None}
                correct(url, lambda c: c.fact_change(incident_id, *fact, changes, reason or None))


def _fact_label(key: tuple) -> str:
    kind, actor, target, date = key
    return f"{date or 'undated'}: {actor} {label(kind)} {target}"


def _article_form(url: str, key: str, articles: list[dict], incidents: dict[str, str]) -> None:
    """Move one of these articles (rows with `id` and `title`) to an incident or a new one,
    or mark it (not) relevant."""
    if not articles:
        st.caption("No article to correct.")
        return
    refs = data.article_refs(url, tuple(int(a["id"]) for a in articles))  # as exports name them
    titles = {refs[int(a["id"])]: a["title"] or refs[int(a["id"])] for a in articles}
    with st.form(key):
        article = st.selectbox("Article", list(titles), format_func=lambda a: f"{titles[a]} ({a})")
        action = st.radio("It belongs", ["move", "new", "irrelevant", "relevant"], horizontal=True,
                          format_func={"move": "to another incident", "new": "to a new incident of its own",
                                       "irrelevant": "to no incident: not relevant",
                                       "relevant": "in scope after all"}.get)
        into = st.selectbox("Incident (to move it to)", list(incidents), index=None,
                            format_func=lambda i: f"{incidents[i]} ({i})", placeholder="type to find an incident")
        reason = st.text_input("Why (optional)", key=f"{key}_reason")
        if st.form_submit_button("Correct article"):
            if action == "move":
                correct(url, lambda c: c.move(article, to=into, reason=reason or None))
            elif action == "new":
                correct(url, lambda c: c.move(article, new=True, reason=reason or None))
            else:
                correct(url, lambda c: c.relevance(article, action == "relevant", reason or None))


# --- the Search page ---

def search_forms(url: str, rows: list[dict]) -> None:
    """Correct one of the articles found: move it, or mark it (not) relevant."""
    with st.expander("Correct an article found", icon=":material/edit:"):
        _article_form(url, "search_article", rows, {r["id"]: r["title"] for r in data.incident_choices(url)})


# --- the Company page ---

def entity_forms(url: str, name: str) -> None:
    """Merge, rename, set the type, link a product, hide; the entity's log with undo."""
    types = data.entity_types(url)
    names = sorted(n for n in types if n != name)
    products = sorted(n for n, kind in types.items() if kind == "PRODUCT")
    with st.expander("Correct this company", icon=":material/edit:"):
        merge_tab, rename_tab, type_tab, product_tab, hide_tab = st.tabs(
            ["Merge", "Rename", "Type", "Products", "Hide"])
        with merge_tab, st.form("company_merge"):
            into = st.selectbox(f"{name} is the same as", names, index=None, placeholder="type to find an entity")
            reason = st.text_input("Why (optional)", key="company_merge_reason")
            if st.form_submit_button("Merge entity"):
                if into:
                    correct(url, lambda c: c.entity_merge(name, into, reason or None))
                else:
                    st.warning("Choose the entity it is the same as.")
        with rename_tab, st.form("company_rename"):
            new_name = st.text_input("Right name", value=name)
            if st.form_submit_button("Rename"):
                correct(url, lambda c: c.entity_rename(name, new_name))
        with type_tab, st.form("company_type"):
            kind = st.selectbox("It is a", ENTITY_TYPES, format_func={
                "ORG": "company or organisation", "PRODUCT": "product", "PERSON": "person",
                "GPE": "country or place"}.get)
            if st.form_submit_button("Set type"):
                correct(url, lambda c: c.entity_type(name, kind))
        with product_tab, st.form("company_product"):
            product = st.selectbox(f"A product {name} makes", products, index=None,
                                   placeholder="type to find a product")
            if st.form_submit_button("Link product"):
                if product:
                    correct(url, lambda c: c.entity_vendor(product, name))
                else:
                    st.warning("Choose the product.")
        with hide_tab:
            st.caption("Hidden from the Briefing, the digest, this picker and rankings; kept in the record.")
            if st.button("Hide from executive views", key="company_hide"):
                correct(url, lambda c: c.entity_hide(name))
    entries = data.entity_corrections(url, name)
    if entries:
        with st.expander(f"Corrections ({len(entries)})", icon=":material/edit_note:"):
            log_with_undo(url, entries, "company")
