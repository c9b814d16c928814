"""Benchmark of the extraction stage: words per second of the full pipeline and of the
bare statistical model on the same texts, in one run, and peak memory.

    python3 bench/extract.py [--words 40000] [--input FILE.jsonl] [--batch-size 32] [--embed]

Texts are the bundled sample stories (data/sample_web/stories.toml, headline + body), or
the articles of an ingest-style JSON-lines file, repeated until --words is reached. The
last line printed is one JSON object with `pipeline_wps`, `model_wps`, `ratio` and the
rest of the figures. `--embed` also times the whole analysis (title-and-lead embeddings
and relevance, as `incidents extract` runs it).
"""
from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
import tomllib
from itertools import cycle
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from nlp.analyse import analyse_docs, make_doc  # noqa: E402
from nlp.pipeline import configured_model, load_pipeline  # noqa: E402

STORIES = ROOT / "data" / "sample_web" / "stories.toml"


def sample_articles(path: Path | None) -> list[dict]:
    if path is not None:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    stories = tomllib.loads(STORIES.read_text(encoding="utf-8"))["articles"]
    return [{"title": s["headline"], "text": s["body"], "published": str(s["published"])[:10]}
            for s in stories if "body" in s]  # a syndicated copy has no text of its own


def corpus(articles: list[dict], words: int) -> list[dict]:
    """Articles repeated in order until they hold at least `words` words."""
    out, total = [], 0
    for a in cycle(articles):
        out.append(a)
        total += len(f"{a.get('title') or ''} {a.get('text') or ''}".split())
        if total >= words:
            return out
    return out


def timed_pipe(nlp, docs, batch_size: int):
    start = time.perf_counter()
    processed = list(nlp.pipe(docs, batch_size=batch_size))
    return processed, time.perf_counter() - start


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=40000)
    ap.add_argument("--input", type=Path)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--embed", action="store_true", help="also time embeddings and relevance")
    a = ap.parse_args()

    articles = corpus(sample_articles(a.input), a.words)
    model_name = configured_model()
    full = load_pipeline(model_name)
    bare = spacy.load(model_name)

    def make(nlp):
        return [make_doc(nlp, x.get("title"), x.get("text"), x.get("published")) for x in articles]

    words = sum(1 for d in make(bare) for t in d if not (t.is_punct or t.is_space))

    timed_pipe(full, make(full)[:8], a.batch_size)  # warm up both before timing
    timed_pipe(bare, make(bare)[:8], a.batch_size)
    rss_before = peak_rss_mb()
    _, model_secs = timed_pipe(bare, make(bare), a.batch_size)
    gc.collect()
    docs, pipeline_secs = timed_pipe(full, make(full), a.batch_size)
    figures = {
        "articles": len(articles),
        "words": words,
        "model": model_name,
        "model_wps": round(words / model_secs),
        "pipeline_wps": round(words / pipeline_secs),
        "ratio": round(model_secs / pipeline_secs, 3),
        "events": sum(len(d._.events or []) for d in docs),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_before_timing_mb": round(rss_before, 1),
    }
    if a.embed:
        from nlp.embed import get_embedder

        get_embedder().embed(["warm up"])  # loading the model is not extraction time
        start = time.perf_counter()
        analyse_docs(docs)
        analyse_secs = time.perf_counter() - start
        figures["analyse_wps"] = round(words / (pipeline_secs + analyse_secs))
        figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print(f"{figures['articles']} articles, {words} words: model {figures['model_wps']} words/s, "
          f"full pipeline {figures['pipeline_wps']} words/s (ratio {figures['ratio']}), "
          f"peak memory {figures['peak_rss_mb']} MB")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
