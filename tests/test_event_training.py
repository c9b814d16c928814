"""The labelled corpus and the event scorer built from it: the corpus is well formed, the
shipped scorer loads and knows every event type, and one command rebuilds it."""
import json

import pytest

from incidents.model import EVENT_TYPES
from nlp.scorer import SCORER_PATH, EventScorer
from nlp.training.corpus import NEVER_TRAINED, corpus_files, load_stories, problems
from nlp.training.corpus import main as check_corpus
from nlp.training.train import main as train
from nlp.training.train import NotTied, at_threshold, most_precise_of, shared_by_incidents, tied_with_the_best


def test_every_labelled_story_is_well_formed():
    stories = load_stories(corpus_files())
    assert len(stories) >= 200
    assert sum(not s["relevant"] for s in stories) >= 40
    assert {s["id"]: problems(s) for s in stories if problems(s)} == {}


def test_checking_a_labelled_file_that_is_not_there_says_so_in_one_line(tmp_path, capsys):
    assert check_corpus([str(tmp_path / "stories.jsonl")]) == 2
    assert capsys.readouterr().err.strip() == f"corpus: no such file: {tmp_path / 'stories.jsonl'}"


def test_the_blind_sets_are_never_training_data():
    assert not any(path.name.startswith(NEVER_TRAINED) for path in corpus_files())
    assert set(NEVER_TRAINED) >= {"blind3", "blind4", "blind5", "blind6", "blind7", "blind8", "blind9", "blind10", "blind11", "blind12", "blind13", "blind14", "blind15", "blind16", "blind17", "blind18", "blind19", "blind20"}


def test_the_shipped_scorer_weighs_every_event_type():
    scorer = EventScorer.from_disk(SCORER_PATH)
    assert 0 < scorer.threshold < 1
    assert all(f"type={t}" in scorer.weights for t in EVENT_TYPES)
    assert scorer.meta["cv_event"]["f"] > 0


def test_one_command_rebuilds_the_scorer_from_labelled_stories(tmp_path):
    stories = [s for s in load_stories(corpus_files()) if s["id"].startswith(("cl-0", "cb-0"))][:24]
    corpus = tmp_path / "small.jsonl"
    corpus.write_text("".join(json.dumps(s) + "\n" for s in stories))
    out = tmp_path / "scorer.json"

    assert train([str(corpus), "--folds", "2", "--out", str(out)]) == 0

    scorer = EventScorer.from_disk(out)
    assert scorer.meta["stories"] == len(stories) and scorer.meta["folds"] == 2
    assert scorer.weights and scorer.threshold in (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97)


def held_out(matched: int, predicted: int, stories: int = 40) -> list[tuple]:
    """Held-out stories, one incident and one gold event each: (incident, (matched, predicted, gold))."""
    return [(f"inc{k}", (int(k < matched), int(k < predicted), 1)) for k in range(stories)]


def curve_of(per_story: dict) -> dict:
    from nlp.training.labels import prf
    return {t: prf(*[sum(c[i] for _, c in rows) for i in range(3)]) for t, rows in per_story.items()}


def test_the_shipped_threshold_is_the_most_precise_the_held_out_stories_cannot_tell_from_the_best():
    # two matched events fewer, four wrong ones fewer: F1 0.686 against 0.667 on 40 stories is a tie
    per_story = {0.8: held_out(matched=24, predicted=30), 0.93: held_out(matched=22, predicted=26)}
    curve = curve_of(per_story)
    assert curve[0.8]["f"] > curve[0.93]["f"] and curve[0.93]["p"] > curve[0.8]["p"]
    assert most_precise_of(tied_with_the_best(per_story, curve), curve) == 0.93


def test_a_threshold_clearly_worse_is_no_tie():
    per_story = {0.8: held_out(matched=30, predicted=35), 0.97: held_out(matched=5, predicted=5)}
    curve = curve_of(per_story)
    assert most_precise_of(tied_with_the_best(per_story, curve), curve) == 0.8


def test_a_threshold_shipped_by_hand_must_be_tied_and_brings_its_own_figures():
    cv = {"tied": {0.9: 0.01, 0.95: 0.012}, "rules_alone": {},
          "by_threshold": {t: {"p": t, "r": 1 - t, "f": 0.5} for t in (0.8, 0.9, 0.95)},
          "counts_by_threshold": {0.8: [9, 20, 30], 0.9: [8, 12, 30], 0.95: [7, 9, 30]},
          "held_out_by_threshold": {0.8: [(True, 0.9)], 0.9: [(True, 0.9)], 0.95: [(False, 0.9)]}}
    shipped = at_threshold(cv, 0.95)
    # relevance is then measured on the stories' verdicts at 0.95, not at the tie rule's pick
    assert (shipped["threshold"], shipped["counts"], shipped["held_out"]) == (0.95, [7, 9, 30], [(False, 0.9)])
    with pytest.raises(NotTied, match=r"threshold 0.8 is not tied with the best \(tied: 0.9, 0.95\)"):
        at_threshold(cv, 0.8)


def test_least_incidents_fits_only_features_that_several_incidents_show():
    rows = [[({"features": {"bias": 1.0, "lemma=ban": 1.0}}, 1)], [({"features": {"bias": 1.0, "lemma=ban": 1.0}}, 0)],
            [({"features": {"bias": 1.0, "actor=Halvane": 1.0}}, 1)]]
    assert shared_by_incidents(rows, ["a", "b", "c"], 2) == {"bias", "lemma=ban"}
    assert shared_by_incidents(rows, ["a", "a", "c"], 2) == {"bias"}  # two stories of one incident are one
    assert shared_by_incidents(rows, ["a", "b", "c"], 1) is None
