"""From an article to a processed Doc, and from a Doc to the `Analysis` the store keeps."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from incidents.model import Analysis, Article, Entity, Event
from nlp import extensions  # noqa: F401
from nlp.relevance import relevance, reports_an_event
from nlp.resources import lexicon

TITLE_SEPARATOR = "\n\n"
FINDER = lexicon().finder_name


def article_text(title: str | None, text: str | None) -> str:
    """What the pipeline reads: the headline, a blank line, the body."""
    return TITLE_SEPARATOR.join(part.strip() for part in (title, text) if part and part.strip())


def make_doc(nlp: Language, title: str | None, text: str | None, published: str | None,
             max_chars: int | None = None) -> Doc:
    """A tokenised Doc carrying its publication date, ready for `nlp.pipe`.

    Only the first `max_chars` characters are analysed (default: the `extract_max_chars`
    setting); `doc.user_data["unanalysed_chars"]` says how many were left out.
    """
    full = article_text(title, text)
    # spaCy refuses texts over nlp.max_length characters; a story's facts are in its start
    limit = min(max_chars or default_max_chars(), nlp.max_length - 1)
    analysed = cut_at_word(full, limit)
    doc = nlp.make_doc(analysed)
    doc._.published = (published or "")[:10] or None
    doc.user_data["title_chars"] = len((title or "").strip())
    doc.user_data["unanalysed_chars"] = len(full) - len(analysed)
    return doc


def default_max_chars() -> int:
    from incidents.config import default_of

    return default_of("extract_max_chars")


def cut_at_word(text: str, limit: int) -> str:
    """The text's first `limit` characters, ending at a space rather than inside a word."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", limit // 2, limit + 1)
    return text[:cut if cut > 0 else limit]


def article_doc(nlp: Language, article: Article, max_chars: int | None = None) -> Doc:
    return make_doc(nlp, article.title, article.text, article.published, max_chars)


def lead_text(doc: Doc, words: int = 80) -> str:
    """Title and lead paragraph: what the story is about, for embeddings and clustering."""
    paragraphs = [p.strip() for p in doc.text.split("\n") if p.strip()]
    return " ".join(" ".join(paragraphs[:2]).split()[:words])


NAMES_ONLY = ("tok2vec", "incident_gazetteer", "ner", "incident_canonical")
"""The components that name an article's entities; the parser, the events and the dates
(more than half the pipeline's time) are left out for an article the relevance gate skips."""


def named_entities(nlp: Language, docs: list[Doc]) -> list[list[Entity]]:
    """The entities of articles that skip the full pipeline (the gazetteer's and the entity
    model's, canonically named), so a search by company finds them and their entities are on
    record. Runs the naming components one after another on these Docs only: the full
    pipeline may be working on other Docs at the same time."""
    for name in NAMES_ONLY:
        if name in nlp.pipe_names:
            component = nlp.get_pipe(name)
            docs = list(component.pipe(docs)) if hasattr(component, "pipe") else [component(d) for d in docs]
    return [entities_of(doc) for doc in docs]


def entities_of(doc: Doc) -> list[Entity]:
    """The Doc's entity table (`incident_canonical`) as the store keeps it."""
    return [Entity(name=r["name"], type=r["type"], mentions=list(r["mentions"]), vendor=r.get("vendor"))
            for r in doc._.entities or []]


def analyse_docs(docs: list[Doc], embed: bool = True) -> list[Analysis]:
    """Analyses of processed Docs; the title-and-lead embeddings are computed in one batch."""
    vectors = [None] * len(docs)
    if embed and docs:
        from nlp.embed import get_embedder

        vectors = list(get_embedder().embed([lead_text(d) for d in docs]))
    return [analyse_doc(d, v) for d, v in zip(docs, vectors)]


def analyse_doc(doc: Doc, vector=None) -> Analysis:
    """The article's entities, merged events, relevance and embedding (when given)."""
    entities = entities_of(doc)
    events = merge_events(doc)
    score = relevance(doc, events, entities, vector)
    return Analysis(relevant=reports_an_event(doc, events, entities, vector, score), relevance_score=round(score, 4),
                    entities=entities,
                    events=events, embedding=[float(x) for x in vector] if vector is not None else None)


def merge_events(doc: Doc) -> list[Event]:
    """One event per (type, actor, target): the first body sentence that states it as
    evidence, the most explicit date any mention gives, and the strongest stance."""
    title_chars = doc.user_data.get("title_chars", 0)
    merged: dict[tuple, list[dict]] = {}
    for e in doc._.events or []:
        if not e["anaphor"] and e["actor"] and e["target"]:
            merged.setdefault((e["type"], e["actor"], e["target"]), []).append(e)
    named_finders = {(t, tg) for (t, a, tg) in merged if t == "security_finding" and a != FINDER}
    out = []
    for (etype, actor, target), mentions in merged.items():
        if actor == FINDER and (etype, target) in named_finders:
            continue  # "researchers found ..." when the text names them elsewhere
        body = [m for m in mentions if m["sent_start"] >= title_chars] or mentions
        first = body[0]
        dated = [m for m in mentions if m.get("date_text")] or [m for m in mentions if m.get("date")]
        stances = {m.get("stance", "reported") for m in mentions}
        stance = "denied" if "denied" in stances else "reported" if "reported" in stances else "alleged"
        out.append(Event(type=etype, actor=actor, target=target, evidence=first["evidence"],
                         date=dated[0]["date"] if dated else None,
                         date_basis=dated[0].get("date_basis") if dated else None, stance=stance, trigger=first["trigger"],
                         method=first["method"], sentence_start=first["sent_start"]))
    return out
