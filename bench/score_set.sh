#!/usr/bin/env bash
# Score the tracker on a labelled set, end to end, in a throw-away store: ingest, extract,
# link, export, then ../shared/eval/score.py.
# Usage: bash bench/score_set.sh tests/fixtures/eval/blind3.jsonl [score.py arguments, e.g. --json]
#   (from the project's root; SCORE=path/to/score.py overrides ../shared/eval/score.py)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
gold=$(realpath "$1"); shift
score=${SCORE:-$root/../shared/eval/score.py}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export INCIDENTS_DB="sqlite:///$tmp/set.db"
incidents ingest "$gold" >/dev/null
incidents extract >/dev/null 2>&1
incidents link >/dev/null
incidents export "$tmp/out.jsonl" >/dev/null
python3 "$score" "$gold" "$tmp/out.jsonl" "$@"
