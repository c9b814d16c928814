"""Every figure of ../shared/eval/score.py, measured on incidents the event scorer never saw.

    python3 bench/cross_validate.py                  # 5 folds split by incident, one JSON line
    python3 bench/cross_validate.py --folds 10 --cache /tmp/candidates.pkl
    python3 bench/cross_validate.py --keep /tmp/cv     # keep each fold's store and export
    python3 bench/cross_validate.py --relink /tmp/cv   # link and score those stores again

`--relink` measures a change to the linker in a minute: the folds' extractions are kept
as they were and only `link` and `export` run again, with the code as it is now.

`python -m nlp.training.train` measures events alone, candidate by candidate. This runs the
real commands instead: for each fold it fits the scorer on the other folds (as the training
command does, with the threshold it would ship), then ingests the fold's stories into an
empty store, extracts with that scorer (setting `event_scorer`), links and exports, and
scores all folds' exports together. So relevance, dates and incidents are out of fold too.
The relevance gate is fitted on the other folds too (setting `relevance_gate`).
Needs the `train` extra (scikit-learn). Takes about five minutes on two cores.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCORE = ROOT.parent / "shared" / "eval" / "score.py"


def run_fold(k: int, stories: list[dict], scorer, gate, work: Path) -> tuple[str, str]:
    """The fold's gold lines and the tracker's export of them."""
    fold = work / f"fold{k}"
    fold.mkdir()
    gold = fold / "gold.jsonl"
    gold.write_text("".join(json.dumps(s) + "\n" for s in stories), encoding="utf-8")
    scorer.to_disk(fold / "scorer.json")
    gate.to_disk(fold / "gate.json")
    env = dict(os.environ, INCIDENTS_DB=f"sqlite:///{fold}/store.db", INCIDENTS_EVENT_SCORER=str(fold / "scorer.json"),
               INCIDENTS_RELEVANCE_GATE=str(fold / "gate.json"))
    cli = [sys.executable, "-m", "incidents.app.cli"]
    for step in (["ingest", str(gold)], ["extract"], ["link"], ["export", str(fold / "out.jsonl")]):
        done = subprocess.run(cli + step, env=env, capture_output=True, text=True)
        if done.returncode and not only_copies_skipped(step[0], done.stderr):
            raise SystemExit(f"fold {k}: incidents {step[0]} failed: {done.stderr.strip().splitlines()[-1:]}")
    return gold.read_text(encoding="utf-8"), (fold / "out.jsonl").read_text(encoding="utf-8")


def relink_fold(fold: Path) -> tuple[str, str]:
    """A kept fold linked again from scratch by the current linker, and exported."""
    store = fold / "store.db"
    with sqlite3.connect(store) as conn:
        conn.execute("UPDATE articles SET linked_version = ''")
    env = dict(os.environ, INCIDENTS_DB=f"sqlite:///{store}")
    cli = [sys.executable, "-m", "incidents.app.cli"]
    for step in (["link"], ["export", str(fold / "out.jsonl")]):
        done = subprocess.run(cli + step, env=env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"{fold.name}: incidents {step[0]} failed: {done.stderr.strip().splitlines()[-1:]}")
    return (fold / "gold.jsonl").read_text(encoding="utf-8"), (fold / "out.jsonl").read_text(encoding="utf-8")


def only_copies_skipped(command: str, stderr: str) -> bool:
    """The corpus tells some stories twice under one URL (syndicated copies): ingest keeps the
    first and says so, which is no failure here."""
    lines = stderr.strip().splitlines()
    return command == "ingest" and all("url is already stored" in line for line in lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--cache", type=Path, help="parsed candidates, as `python -m nlp.training.train --cache`")
    ap.add_argument("--score", type=Path, default=SCORE, help="the shared scorer (default: ../shared/eval/score.py)")
    ap.add_argument("--threshold", type=float, help="the scorer's threshold, as `nlp.training.train --threshold` "
                    "ships it (default: the training command's own pick)")
    ap.add_argument("--keep", type=Path, help="keep each fold's store, gold and export in this new folder")
    ap.add_argument("--relink", type=Path, help="only link, export and score again the folds kept in this folder")
    args = ap.parse_args(argv)
    if args.relink:
        folds = sorted(args.relink.glob("fold*"), key=lambda f: int(f.name[4:]))
        if not folds:
            raise SystemExit(f"--relink {args.relink}: no fold kept there (make them with --keep)")
        golds, exports = zip(*(relink_fold(f) for f in folds))
        print(json.dumps({"benchmark": "cross_validate", "relinked": str(args.relink), "folds": len(folds),
                          **score_all(list(golds), list(exports), args.score, args.relink)}))
        return 0
    if args.keep and args.keep.exists():
        raise SystemExit(f"--keep {args.keep}: already exists (choose a new folder)")
    sys.path.insert(0, str(ROOT))
    from sklearn.model_selection import GroupKFold

    from nlp.training import relevance, train
    from nlp.training.corpus import corpus_files, load_stories

    stories = load_stories(corpus_files())
    rows = train.labelled(stories, train.cached_candidates(stories, args.cache))
    threshold = (args.threshold if args.threshold is not None
                 else train.cross_validate(stories, rows, args.folds, train.DEFAULT_C)["threshold"])
    golds, exports = [], []
    vectors = relevance.lead_vectors(stories)
    with tempfile.TemporaryDirectory() as tmp:
        folds = GroupKFold(n_splits=args.folds).split(stories, groups=train.groups_of(stories))
        for k, (trained_on, held_out) in enumerate(folds):
            scorer = train.fit([row for i in trained_on for row in rows[i]], train.DEFAULT_C)
            scorer.threshold = threshold
            gate = relevance.fit_gate([stories[i] for i in trained_on], vectors=vectors[trained_on])
            gold, export = run_fold(k, [stories[i] for i in held_out], scorer, gate, Path(tmp))
            golds.append(gold)
            exports.append(export)
        figures = score_all(golds, exports, args.score, Path(tmp))
        if args.keep:
            shutil.copytree(tmp, args.keep)
    print(json.dumps({"benchmark": "cross_validate", "stories": len(stories), "folds": args.folds,
                      "threshold": threshold, **figures}))
    return 0


def score_all(golds: list[str], exports: list[str], score: Path, work: Path) -> dict:
    """The shared scorer's figures over every fold's gold and export together."""
    (work / "gold.jsonl").write_text("".join(golds), encoding="utf-8")
    (work / "out.jsonl").write_text("".join(exports), encoding="utf-8")
    scored = subprocess.run([sys.executable, str(score), f"{work}/gold.jsonl", f"{work}/out.jsonl", "--json"],
                            capture_output=True, text=True, check=True)
    return json.loads(scored.stdout)


if __name__ == "__main__":
    sys.exit(main())
