"""`incidents extract`: run the pipeline over every article not analysed by this version.

Articles stream from the store in batches (keyset paging), go through `nlp.pipe`
(with `n_process=workers`), and each batch's analyses are committed before the next
is read, so memory stays bounded and an interruption loses at most one batch.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from spacy.language import Language
from tqdm import tqdm

from incidents.errors import IncidentsError
from nlp.analyse import analyse_docs, article_doc
from nlp.pipeline import PIPELINE_VERSION, load_pipeline


@dataclass
class ExtractSummary:
    analysed: int = 0
    relevant: int = 0
    events: int = 0
    seconds: float = 0.0
    pipeline_version: str = PIPELINE_VERSION

    def report(self) -> str:
        if not self.analysed:
            return f"extract: nothing to do (every article analysed by pipeline {self.pipeline_version})"
        return (f"extract: {self.analysed} articles analysed ({self.relevant} relevant, {self.events} events) "
                f"in {self.seconds:.1f} s with pipeline {self.pipeline_version}")


def run_extract(store, *, workers: int = 1, batch_size: int = 32, progress: bool = True,
                model_name: str | None = None, nlp: Language | None = None, embed: bool = True) -> ExtractSummary:
    """Analyse every article that is new or was analysed by an older pipeline version."""
    if workers < 1 or batch_size < 1:
        raise IncidentsError(f"extract: --workers and --batch-size must be at least 1 "
                             f"(got {workers} and {batch_size})")
    summary = ExtractSummary()
    total = store.count_to_analyse(PIPELINE_VERSION)
    if not total:
        return summary
    started = time.perf_counter()
    nlp = nlp or load_pipeline(model_name)
    docs = nlp.pipe(_pending_docs(store, nlp, batch_size), as_tuples=True, batch_size=batch_size,
                    n_process=workers)
    with tqdm(total=total, unit="article", file=sys.stderr, disable=not progress, desc="extract") as bar:
        while batch := list(islice(docs, batch_size)):
            analyses = analyse_docs([doc for doc, _ in batch], embed=embed)
            store.save_analyses([(article_id, a) for (_, article_id), a in zip(batch, analyses)], PIPELINE_VERSION)
            summary.analysed += len(batch)
            summary.relevant += sum(a.relevant for a in analyses)
            summary.events += sum(len(a.events) for a in analyses)
            bar.update(len(batch))
    summary.seconds = time.perf_counter() - started
    return summary


def _pending_docs(store, nlp: Language, batch_size: int) -> Iterator[tuple]:
    """(Doc, article id) for each article still to analyse, read from the store lazily."""
    for articles in store.articles_to_analyse(PIPELINE_VERSION, batch_size):
        for article in articles:
            yield article_doc(nlp, article), article.id
