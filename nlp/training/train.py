"""Train the event scorer on the labelled corpus, and measure it by cross-validation split
by incident.

    python -m nlp.training.train                 # k-fold figures, then data/event_scorer.json
    python -m nlp.training.train --folds 10 --no-write

Every story of data/corpus/*.jsonl runs through the real pipeline with the scorer off; the
event component keeps every candidate with its features. A candidate is positive when its
(type, actor, target) is a gold event of its story. Folds never split an incident, so a
figure is always measured on incidents the model did not see. The threshold is the most
precise of those whose pooled cross-validated F1 the held-out incidents cannot tell from the
best (`--threshold` ships another of those, e.g. one that keeps the paraphrase families of
tests/test_event_paraphrases.py at their floors); the model written is then fitted on
everything. Needs the `train` extra (scikit-learn).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import statistics
import sys
from datetime import date
from pathlib import Path

from nlp.event_merge import without_doubles
from nlp.lists import row_key, spread_over_lists
from nlp.resources import gazetteer
from nlp.scorer import SCORER_PATH, EventScorer
from nlp.stop_types import stop_type
from nlp.training.corpus import corpus_files, load_stories
from nlp.training.labels import GoldEvents, prf

THRESHOLDS = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97]
DEFAULT_C = 0.3
RESAMPLES = 200  # bootstrap resamples of the held-out incidents, to tell thresholds apart


def collect(stories: list[dict], batch_size: int = 16) -> list[list[dict]]:
    """Each story's candidates (dicts with type, actor, target, features, rule)."""
    from nlp.analyse import make_doc
    from nlp.pipeline import load_pipeline

    nlp = load_pipeline()
    events = nlp.get_pipe("incident_events")
    events.scorer, events.collect = None, True
    docs = (make_doc(nlp, s.get("title"), s.get("text"), s.get("published")) for s in stories)
    return [doc.user_data.get("event_candidates", []) for doc in nlp.pipe(docs, batch_size=batch_size)]


def cached_candidates(stories: list[dict], cache: Path | None) -> list[list[dict]]:
    """Candidates of every story, parsing only stories the cache (keyed by id and text) lacks."""
    known = pickle.loads(cache.read_bytes()) if cache and cache.exists() else {}
    missing = [s for s in stories if story_key(s) not in known]
    if missing:
        known.update(zip(map(story_key, missing), collect(missing)))
        if cache:
            cache.write_bytes(pickle.dumps(known))
    return [known[story_key(s)] for s in stories]


def story_key(story: dict) -> tuple[str, str]:
    """A story's id and the fingerprint of what the pipeline reads (stable across processes,
    unlike hash(), so a cache written by one run serves the next)."""
    text = f"{story.get('title') or ''}\n{story.get('text') or ''}"
    return story["id"], hashlib.sha256(text.encode("utf-8")).hexdigest()


def labelled(stories: list[dict], candidates: list[list[dict]]) -> list[list[tuple[dict, int]]]:
    """Each candidate with 1 when it states a gold event of its story."""
    aliases = {e.name: e.aliases for e in gazetteer().entries if e.aliases}
    out = []
    for story, cands in zip(stories, candidates):
        gold = GoldEvents(story) if story.get("relevant") else GoldEvents({})
        out.append([(c, int(states_gold_event(c, gold, aliases))) for c in cands])
    return out


def states_gold_event(cand: dict, gold: GoldEvents, aliases: dict[str, tuple[str, ...]]) -> bool:
    """Whether a candidate's (type, actor, target) is a gold event, a name the gazetteer
    knows matching through any of its aliases: the tracker's "Garante" is the gold "Garante
    per la protezione dei dati personali" whichever of the two the story's labeller wrote."""
    return any(gold.matches(cand["type"], actor, target)
               for actor in (cand["actor"], *aliases.get(cand["actor"], ()))
               for target in (cand["target"], *aliases.get(cand["target"], ())))


def groups_of(stories: list[dict]) -> list[str]:
    return [s.get("incident") or f"story:{s['id']}" for s in stories]


def fit(rows: list[tuple[dict, int]], c: float, kept: set[str] | None = None):
    """The logistic scorer over the rows' features (only those in `kept`, when given)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([r["features"] if kept is None else {k: v for k, v in r["features"].items() if k in kept}
                                  for r, _ in rows])
    y = [label for _, label in rows]
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    model.fit(x, y)
    weights = dict(zip(vectorizer.get_feature_names_out(), model.coef_[0]))
    return EventScorer(weights={k: float(v) for k, v in weights.items()}, bias=float(model.intercept_[0]))


def shared_by_incidents(rows: list[list[tuple[dict, int]]], groups: list[str], least: int) -> set[str] | None:
    """The features that candidates of at least `least` different incidents carry (None: all).
    A feature only one incident shows says something about that incident, not about how
    news states events, and the folds cannot check it: it is left out of the fit."""
    if least <= 1:
        return None
    incidents: dict[str, set[str]] = {}
    for story_rows, group in zip(rows, groups):
        for cand, _ in story_rows:
            for name in cand["features"]:
                incidents.setdefault(name, set()).add(group)
    return {name for name, seen in incidents.items() if len(seen) >= least}


def decided(cands: list[dict], probabilities: list[float], threshold: float) -> tuple[list[tuple[str, str, str]], bool]:
    """The distinct (type, actor, target) of one story: the rules' events, the other
    candidates the scorer accepts (each candidate's probability given; `EventScorer.accepts`),
    and their list siblings, as the incident_events component decides; and whether they are
    the story's likeliest candidate only (a guess, which does not make the story relevant)."""
    stands, guessed = EventScorer(weights={}, threshold=threshold).accepts(
        [c["rule"] for c in cands], probabilities, [c.get("headlined", False) for c in cands])
    accepted = spread_over_lists({row_key(c) for c, ok in zip(cands, stands) if ok}, cands)
    events = [dict(zip(("type", "actor", "target"), t)) for t in {typed(c) for c in cands if row_key(c) in accepted} - {None}]
    return sorted((e["type"], e["actor"], e["target"]) for e in without_doubles(events, gazetteer())), guessed


def typed(row: dict) -> tuple[str, str, str] | None:
    """A candidate's (type, actor, target), its type decided by its parties as the component
    does (None: no event, a vendor stopping its own product)."""
    etype = stop_type(row["type"], *row["kinds"], own_product=row["own_product"])
    return (etype, row["actor"], row["target"]) if etype else None


def rules_only(cands: list[dict]) -> list[tuple[str, str, str]]:
    return sorted({typed(c) for c in cands if c["rule"]} - {None})


def cross_validate(stories, rows, folds: int, c: float, least: int = 1) -> dict:
    """Pooled event P/R/F1 over held-out folds (relevant stories only, as score.py counts),
    for every threshold, and for the rules alone."""
    from sklearn.model_selection import GroupKFold

    groups = groups_of(stories)
    totals = {t: [0, 0, 0] for t in THRESHOLDS}
    per_story: dict[float, list] = {t: [] for t in THRESHOLDS}  # (incident, counts) of each held-out story
    rule_totals = [0, 0, 0]
    held_out: dict[int, tuple[dict, float]] = {}  # story -> whether it has events at each threshold, its best candidate
    splitter = GroupKFold(n_splits=folds)
    for train_idx, test_idx in splitter.split(stories, groups=groups):
        kept = shared_by_incidents([rows[i] for i in train_idx], [groups[i] for i in train_idx], least)
        scorer = fit([row for i in train_idx for row in rows[i]], c, kept)
        for i in test_idx:
            cands = [r for r, _ in rows[i]]
            probabilities = [scorer.probability(r["features"]) for r in cands]
            verdicts = {t: decided(cands, probabilities, t) for t in THRESHOLDS}
            events = {t: found for t, (found, _) in verdicts.items()}
            held_out[i] = ({t: bool(found) and not guessed for t, (found, guessed) in verdicts.items()},
                           max(probabilities, default=0.0))
            if not stories[i].get("relevant"):
                continue
            gold = GoldEvents(stories[i])
            for t in THRESHOLDS:
                counts = gold.count(events[t])
                add(totals[t], counts)
                per_story[t].append((groups[i], counts))
            add(rule_totals, gold.count(rules_only(cands)))
    by_threshold = {t: prf(*v) for t, v in totals.items()}
    tied = tied_with_the_best(per_story, by_threshold)
    best = most_precise_of(tied, by_threshold)
    return at_threshold({"tied": {t: round(se, 4) for t, se in tied.items()}, "counts_by_threshold": totals,
                         "rules_alone": prf(*rule_totals), "by_threshold": by_threshold,
                         "held_out_by_threshold": {t: [(held_out[i][0][t], held_out[i][1]) for i in range(len(stories))]
                                                   for t in THRESHOLDS}}, best)


def at_threshold(cv: dict, threshold: float) -> dict:
    """The cross-validation's figures at one threshold, which must be tied with the best:
    the events, their counts and each story's held-out verdict (relevance is measured on
    those, so at the threshold shipped, not at the tie rule's pick)."""
    if threshold not in cv["tied"]:
        raise NotTied(f"threshold {threshold} is not tied with the best (tied: {', '.join(map(str, cv['tied']))})")
    return {**cv, "threshold": threshold, "event": cv["by_threshold"][threshold],
            "counts": cv["counts_by_threshold"][threshold], "held_out": cv["held_out_by_threshold"][threshold]}


class NotTied(ValueError):
    """A threshold the held-out stories can tell from the best."""


def tied_with_the_best(per_story: dict[float, list], by_threshold: dict[float, dict], seed: int = 0) -> dict[float, float]:
    """Each threshold whose F1 falls short of the best by no more than one standard error of
    that difference, with the standard error: the held-out incidents are resampled with
    replacement (each incident's stories together, as the folds split them) and every
    threshold is scored on the same resample, so the comparison is paired."""
    import random

    best = max(by_threshold, key=lambda t: by_threshold[t]["f"])
    incidents = sorted({group for group, _ in per_story[best]})
    counts = {t: {} for t in per_story}
    for t, rows in per_story.items():
        for group, c in rows:
            add(counts[t].setdefault(group, [0, 0, 0]), c)
    rng = random.Random(seed)
    gaps: dict[float, list[float]] = {t: [] for t in per_story}
    for _ in range(RESAMPLES):
        sample = rng.choices(incidents, k=len(incidents))
        f = {}
        for t in per_story:
            total = [0, 0, 0]
            for group in sample:
                add(total, counts[t].get(group, (0, 0, 0)))
            f[t] = prf(*total)["f"]
        for t in per_story:
            gaps[t].append(f[best] - f[t])
    ses = {t: statistics.stdev(g) for t, g in gaps.items()}
    return {t: se for t, se in ses.items() if by_threshold[best]["f"] - by_threshold[t]["f"] <= se}


def most_precise_of(tied: dict[float, float], by_threshold: dict[float, dict]) -> float:
    """Of thresholds the held-out stories cannot tell apart, the most precise: what an
    executive reads is better missing than wrong."""
    return max(tied, key=lambda t: by_threshold[t]["p"])


def relevance_accuracy(stories: list[dict], held_out: list[tuple[bool, float]]) -> dict:
    """How often a story's relevance is right when an event found makes it relevant and,
    with none, `nlp.relevance.likely_told` decides, each story's events, best candidate and
    relevance gate probability from folds that did not train on its incident; beside the
    rule without the gate and the oldest rule (relevant only when an event is found)."""
    from nlp.embed import get_embedder
    from nlp.relevance import likely_told, text_mentions_ai, topic_score
    from nlp.training import relevance

    leads = relevance.lead_texts(stories)
    vectors = get_embedder().embed(leads)  # as relevance.lead_vectors, the leads read once
    topics = [topic_score(v) for v in vectors]
    truth = [bool(s.get("relevant")) for s in stories]
    leads_about_ai = [text_mentions_ai(lead) for lead in leads]
    in_scope = [p if about_ai else None for p, about_ai in zip(gate_out_of_fold(stories, vectors, truth), leads_about_ai)]
    likely = [found or likely_told(best, topic, p)
              for (found, best), topic, p in zip(held_out, topics, in_scope)]
    without_gate = [found or likely_told(best, topic) for (found, best), topic in zip(held_out, topics)]
    only_found = [found for found, _ in held_out]

    def accuracy(predicted):
        return round(sum(p == t for p, t in zip(predicted, truth)) / len(truth), 3)

    return {"accuracy": accuracy(likely), "without_gate": accuracy(without_gate), "events_only": accuracy(only_found),
            "in_scope_missed": sum(t and not p for p, t in zip(likely, truth)),
            "off_topic_passed": sum(p and not t for p, t in zip(likely, truth))}


def gate_out_of_fold(stories: list[dict], vectors, truth: list[bool], most_folds: int = 10) -> list[float | None]:
    """Each story's relevance gate probability from folds that never saw its incident; None
    for all when the stories are too few to split (a handful in a test)."""
    import numpy as np

    from nlp.training import relevance

    groups = relevance.groups_of(stories)
    folds = min(most_folds, len(set(groups)), sum(truth), len(truth) - sum(truth))
    if folds < 2:
        return [None] * len(stories)
    return [float(p) for p in relevance.out_of_fold(vectors, np.array(truth, dtype=int), groups, folds)]


def add(total: list[int], part: tuple[int, int, int]) -> None:
    for i in range(3):
        total[i] += part[i]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Train and cross-validate the event scorer.")
    ap.add_argument("corpus", nargs="*", help="labelled JSON-lines files (default: data/corpus/*.jsonl)")
    ap.add_argument("--folds", type=int, default=5, help="k of the k-fold split by incident")
    ap.add_argument("--c", type=float, default=DEFAULT_C, help="inverse regularisation strength")
    ap.add_argument("--least-incidents", type=int, default=1,
                    help="fit only features that candidates of at least this many incidents carry")
    ap.add_argument("--cache", type=Path, help="keep the parsed candidates here and reuse them")
    ap.add_argument("--out", type=Path, default=SCORER_PATH)
    ap.add_argument("--no-write", action="store_true", help="only measure")
    ap.add_argument("--threshold", type=float, help="ship this threshold instead of the tie rule's pick; it must be "
                    "one the held-out stories cannot tell from the best (listed in cv_tied_thresholds)")
    args = ap.parse_args(argv)
    paths = [Path(p) for p in args.corpus] or corpus_files()
    stories = load_stories(paths)
    candidates = cached_candidates(stories, args.cache)
    rows = labelled(stories, candidates)
    cv = cross_validate(stories, rows, args.folds, args.c, args.least_incidents)
    if args.threshold is not None:
        try:
            cv = at_threshold(cv, args.threshold)
        except NotTied as exc:
            print(f"train: {exc}", file=sys.stderr)
            return 2
    n_incidents = len({s["incident"] for s in stories if s.get("incident")})
    summary = {"stories": len(stories), "relevant": sum(bool(s.get("relevant")) for s in stories),
               "incidents": n_incidents, "candidates": sum(len(r) for r in rows),
               "positives": sum(label for r in rows for _, label in r), "folds": args.folds, "c": args.c,
               "threshold": cv["threshold"], "cv_tied_thresholds": cv["tied"], "cv_event": cv["event"], "cv_rules_alone": cv["rules_alone"],
               "cv_relevance": relevance_accuracy(stories, cv["held_out"])}
    print(json.dumps(summary))
    if not args.no_write:
        kept = shared_by_incidents(rows, groups_of(stories), args.least_incidents)
        scorer = fit([row for r in rows for row in r], args.c, kept)
        scorer.threshold = cv["threshold"]
        scorer.meta = {**summary, "trained": date.today().isoformat(), "files": [p.name for p in paths]}
        scorer.to_disk(args.out)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
