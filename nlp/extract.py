"""`incidents extract`: run the pipeline over every article not analysed by this version.

Articles stream from the store in batches (keyset paging), go through `nlp.pipe`
(with `n_process=workers`), and each batch's analyses are committed before the next
is read, so memory stays bounded and an interruption loses at most one batch.
Only the first `extract_max_chars` characters of an article are analysed (time and memory
grow with length); the summary names every article cut short. An article whose analysis
fails is set aside and named, and the others go on.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from spacy.language import Language
from tqdm import tqdm

from incidents.errors import IncidentsError
from nlp.analyse import analyse_docs, article_doc, default_max_chars
from nlp.pipeline import PIPELINE_VERSION, load_pipeline


@dataclass
class ExtractSummary:
    analysed: int = 0
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
            lines.append(f"extract: nothing to do (every article analysed by pipeline {self.pipeline_version})"
                         if not self.set_aside else "extract: no article analysed")
        else:
            lines.append(f"extract: {self.analysed} articles analysed ({self.relevant} relevant, {self.events} events) "
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
    urls: dict[int, str] = {}  # articles read and not yet analysed: whatever is left was set aside
    docs = nlp.pipe(_pending_docs(store, nlp, batch_size, max_chars, urls), as_tuples=True,
                    batch_size=batch_size, n_process=workers)
    with tqdm(total=total, unit="article", file=sys.stderr, disable=not progress, desc="extract") as bar:
        while batch := list(islice(docs, batch_size)):
            done = _analyse_batch(batch, embed, urls, summary)
            store.save_analyses(done, PIPELINE_VERSION)
            summary.analysed += len(done)
            summary.relevant += sum(a.relevant for _, a in done)
            summary.events += sum(len(a.events) for _, a in done)
            bar.update(len(batch))
    summary.set_aside += [(i, url, "the pipeline failed on it (see the line above)") for i, url in urls.items()
                          if i not in {x for x, _, _ in summary.set_aside}]
    summary.seconds = time.perf_counter() - started
    return summary


def _analyse_batch(batch: list[tuple], embed: bool, urls: dict[int, str], summary: ExtractSummary) -> list[tuple]:
    """(article id, Analysis) for each processed Doc; one that fails is set aside, the rest kept."""
    try:
        analyses = analyse_docs([doc for doc, _ in batch], embed=embed)
    except Exception:  # noqa: BLE001 - find the article at fault, one at a time
        analyses = [_analyse_one(doc, article_id, embed, urls, summary) for doc, article_id in batch]
    done = []
    for (doc, article_id), analysis in zip(batch, analyses):
        url = urls.pop(article_id, "")
        if analysis is None:
            continue
        left = doc.user_data.get("unanalysed_chars", 0)
        if left:
            summary.cut_short.append((article_id, url, left))
        done.append((article_id, analysis))
    return done


def _analyse_one(doc, article_id: int, embed: bool, urls: dict[int, str], summary: ExtractSummary):
    try:
        return analyse_docs([doc], embed=embed)[0]
    except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the others
        summary.set_aside.append((article_id, urls.get(article_id, ""), f"{type(exc).__name__}: {exc}"))
        return None


def _report_failed_doc(component: str, proc, docs: list, exc: Exception) -> None:
    """spaCy's error handler: the Docs a component failed on are dropped from the stream,
    named here (this may run in a worker process); the summary names them again."""
    for doc in docs:
        print(f"extract: article {getattr(doc, '_context', '?')} set aside: {component} failed "
              f"({type(exc).__name__}: {exc})", file=sys.stderr)


def _pending_docs(store, nlp: Language, batch_size: int, max_chars: int, urls: dict[int, str]) -> Iterator[tuple]:
    """(Doc, article id) for each article still to analyse, read from the store lazily."""
    for articles in store.articles_to_analyse(PIPELINE_VERSION, batch_size):
        for article in articles:
            urls[article.id] = article.url
            yield article_doc(nlp, article, max_chars), article.id
