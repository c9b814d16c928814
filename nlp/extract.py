"""`incidents extract`: run the pipeline over every article not analysed by this version.

Articles are claimed from the store in batches (incidents.store.claims), go through
`nlp.pipe` (with `n_process=workers`), and each batch's analyses are committed as it is
done, so memory stays bounded and an interruption loses at most the batches in flight,
which the store gives to the next worker. Several `incidents extract` processes, on one
machine or many, can so share one store: each article is analysed by one of them.
Only the first `extract_max_chars` characters of an article are analysed (time and memory
grow with length); the summary names every article cut short. An article whose analysis
fails is set aside and named, and the others go on.

Most of a general news feed is off-topic, so clearly off-topic articles skip the full
pipeline and are stored at once as analysed and not relevant, without entities or events:
an article that never mentions AI (not embedded either: embedding is the costly step), and
one whose title-and-lead embedding the relevance gate (nlp.relevance.RelevanceGate) scores
as off-topic (its embedding kept). The others go through `nlp.pipe` as before, with the
embedding already made. Without embeddings (`embed=False`) there is no gate.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc
from tqdm import tqdm

from incidents.errors import IncidentsError
from incidents.model import Analysis, Article
from incidents.store.claims import this_worker
from nlp.analyse import analyse_doc, article_doc, default_max_chars, lead_text, named_entities
from nlp.pipeline import PIPELINE_VERSION, load_pipeline
from nlp.embed import get_embedder
from nlp.relevance import RelevanceGate, may_mention_ai, relevance_gate


@dataclass
class ExtractSummary:
    analysed: int = 0
    skipped: int = 0  # of those analysed: off-topic by the relevance gate, not through the full pipeline
    relevant: int = 0
    events: int = 0
    seconds: float = 0.0
    pipeline_version: str = PIPELINE_VERSION
    max_chars: int = 0
    cut_short: list[tuple[int, str, int]] = field(default_factory=list)  # (id, url, characters left out)
    set_aside: list[tuple[int, str, str]] = field(default_factory=list)  # (id, url, why)

    def report(self) -> str:
        lines = [f"extract: set aside article {i} ({url}): {why}" for i, url, why in self.set_aside]
        lines += [f"extract: article {i} ({url}) analysed up to {self.max_chars:,} characters; "
                  f"{left:,} more not analysed (extract_max_chars)" for i, url, left in self.cut_short]
        if not self.analysed:
            lines.append(f"extract: nothing to do (every article analysed by pipeline {self.pipeline_version} "
                         "or claimed by another extract worker)"
                         if not self.set_aside else "extract: no article analysed")
        else:
            lines.append(f"extract: {self.analysed} articles analysed ({self.relevant} relevant, {self.events} events; "
                         f"{self.skipped} off-topic by the relevance gate) "
                         f"in {self.seconds:.1f} s with pipeline {self.pipeline_version}"
                         + (f"; {len(self.set_aside)} set aside" if self.set_aside else ""))
        return "\n".join(lines)


def run_extract(store, *, workers: int = 1, batch_size: int = 32, progress: bool = True,
                model_name: str | None = None, nlp: Language | None = None, embed: bool = True,
                max_chars: int | None = None) -> ExtractSummary:
    """Analyse every article that is new or was analysed by an older pipeline version."""
    if workers < 1 or batch_size < 1:
        raise IncidentsError(f"extract: --workers and --batch-size must be at least 1 "
                             f"(got {workers} and {batch_size})")
    max_chars = max_chars or default_max_chars()
    if max_chars < 1000:
        raise IncidentsError(f"extract_max_chars: must be at least 1000 characters (got {max_chars})")
    summary = ExtractSummary(max_chars=max_chars)
    total = store.count_to_analyse(PIPELINE_VERSION)
    if not total:
        return summary
    started = time.perf_counter()
    nlp = nlp or load_pipeline(model_name)
    # the project's components (the ones that read what a page wrote) drop a Doc they fail on;
    # nlp.set_error_handler would also reach the parser, which cannot take one (spaCy 3.8)
    nlp.default_error_handler = _report_failed_doc
    worker = this_worker()
    with tqdm(total=total, unit="article", file=sys.stderr, disable=not progress, desc="extract") as bar:
        def store_done(done: list[tuple[int, Analysis]]) -> None:
            store.save_analyses(done, PIPELINE_VERSION)
            store.renew_claims(worker)  # still at work: what it holds stays its own
            summary.analysed += len(done)
            summary.relevant += sum(a.relevant for _, a in done)
            summary.events += sum(len(a.events) for _, a in done)
            bar.update(len(done))

        pending = _Pending(store, nlp, batch_size, max_chars, embed, relevance_gate() if embed else None,
                           summary, store_done, worker)
        try:
            docs = nlp.pipe(pending.docs_for_pipeline(), as_tuples=True, batch_size=batch_size, n_process=workers)
            while batch := list(islice(docs, batch_size)):
                store_done(_analyse_batch(batch, pending, summary))
        finally:
            store.release_claims(worker)  # what was set aside (or not reached) goes to the next run
    summary.set_aside += [(i, url, "the pipeline failed on it (see the line above)") for i, url in pending.urls.items()
                          if i not in {x for x, _, _ in summary.set_aside}]
    summary.seconds = time.perf_counter() - started
    return summary


@dataclass
class _Pending:
    """Claims the articles to analyse from the store for `worker`, embeds their title and lead,
    stores the ones the relevance gate finds off-topic (through `store_done`), and hands the
    rest to `nlp.pipe`. `urls` and `vectors` hold what is known of articles handed on and not yet
    stored: whatever is left of `urls` at the end was set aside by the pipeline."""

    store: object
    nlp: Language
    batch_size: int
    max_chars: int
    embed: bool
    gate: RelevanceGate | None
    summary: ExtractSummary
    store_done: Callable[[list[tuple[int, Analysis]]], None]
    worker: str
    urls: dict[int, str] = field(default_factory=dict)
    vectors: dict[int, object] = field(default_factory=dict)

    def docs_for_pipeline(self) -> Iterator[tuple]:
        """(tokenised Doc, article id) of each article the full pipeline must read."""
        for articles in self.store.claimed_batches(PIPELINE_VERSION, self.batch_size, self.worker):
            docs = [article_doc(self.nlp, a, self.max_chars) for a in articles]
            off_topic = []
            for article, doc, vector in zip(articles, docs, self._lead_vectors(docs, articles)):
                if vector is _FAILED:
                    continue
                if vector is _NEVER_MENTIONS_AI:
                    off_topic.append((article.id, doc, Analysis(relevant=False)))
                    continue
                score = float(self.gate.probabilities([vector])[0]) if self.gate else None
                if score is not None and score < self.gate.threshold:
                    off_topic.append((article.id, doc, _off_topic_analysis(score, vector)))
                    continue
                self.urls[article.id] = article.url
                self.vectors[article.id] = vector
                yield doc, article.id
            if off_topic:
                self.summary.skipped += len(off_topic)
                self.store_done(with_entities(self.nlp, off_topic))

    def _lead_vectors(self, docs: list[Doc], articles: list[Article]) -> list:
        """Title-and-lead embeddings in one batch, each article's or a marker: with the gate on,
        an article that never mentions AI is not embedded (`relevance` could never pass it, and
        embedding is the costly step); one whose text cannot be embedded is set aside."""
        if not self.embed:
            return [None] * len(docs)
        wanted = [i for i, d in enumerate(docs) if not self.gate or may_mention_ai(d)]
        vectors: list = [_NEVER_MENTIONS_AI] * len(docs)
        try:
            found = list(get_embedder().embed([lead_text(docs[i]) for i in wanted]))
        except Exception:  # noqa: BLE001 - find the article at fault, one at a time
            found = [self._lead_vector(docs[i], articles[i]) for i in wanted]
        for i, vector in zip(wanted, found):
            vectors[i] = vector
        return vectors

    def _lead_vector(self, doc: Doc, article: Article):
        try:
            return get_embedder().embed([lead_text(doc)])[0]
        except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the others
            self.summary.set_aside.append((article.id, article.url, f"{type(exc).__name__}: {exc}"))
            return _FAILED


_FAILED = object()
"""In place of the embedding of an article that could not be embedded."""
_NEVER_MENTIONS_AI = object()
"""In place of the embedding of an article the gate skips unembedded."""


def _off_topic_analysis(score: float, vector) -> Analysis:
    """What is stored for an article the gate finds off-topic (`score`, its gate probability):
    not relevant, its embedding kept for semantic search, no events (its entities: `with_entities`)."""
    return Analysis(relevant=False, relevance_score=round(score, 4), embedding=[float(x) for x in vector])


def with_entities(nlp: Language, off_topic: list[tuple[int, Doc, Analysis]]) -> list[tuple[int, Analysis]]:
    """The off-topic articles' analyses, each with the entities it names (`named_entities`)."""
    found = named_entities(nlp, [doc for _, doc, _ in off_topic])
    return [(article_id, replace(analysis, entities=entities))
            for (article_id, _, analysis), entities in zip(off_topic, found)]


def _analyse_batch(batch: list[tuple], pending: _Pending, summary: ExtractSummary) -> list[tuple]:
    """(article id, Analysis) for each processed Doc; one that fails is set aside, the rest kept."""
    done = []
    for doc, article_id in batch:
        url = pending.urls.pop(article_id, "")
        vector = pending.vectors.pop(article_id, None)
        analysis = _analyse_one(doc, vector, article_id, url, summary)
        if analysis is None:
            continue
        left = doc.user_data.get("unanalysed_chars", 0)
        if left:
            summary.cut_short.append((article_id, url, left))
        done.append((article_id, analysis))
    return done


def _analyse_one(doc: Doc, vector, article_id: int, url: str, summary: ExtractSummary) -> Analysis | None:
    try:
        return analyse_doc(doc, vector)
    except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the others
        summary.set_aside.append((article_id, url, f"{type(exc).__name__}: {exc}"))
        return None


def _report_failed_doc(component: str, proc, docs: list, exc: Exception) -> None:
    """spaCy's error handler: the Docs a component failed on are dropped from the stream,
    named here (this may run in a worker process); the summary names them again."""
    for doc in docs:
        print(f"extract: article {getattr(doc, '_context', '?')} set aside: {component} failed "
              f"({type(exc).__name__}: {exc})", file=sys.stderr)
