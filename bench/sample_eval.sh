#!/usr/bin/env bash
# Score the tracker on the bundled sample news web (a second development set), end to end:
# crawl the sample web into a throw-away store, extract, link, export, then score the export
# against data/sample_web/gold.jsonl with the shared score.py.
#
# Usage: bash bench/sample_eval.sh [score.py arguments, e.g. --json or --min-event-f1 0.7]
#   (from the project's root; SCORE=path/to/score.py overrides ../shared/eval/score.py)
#
# The sample web is served on random 127.0.0.1 ports and store ids depend on crawl order,
# so bench/sample_eval.py rewrites each exported row to the manifest's article id and
# its url to the path (matched by outlet name + path). gold.jsonl uses those same ids and
# paths, so score.py pairs rows by id whatever ports or order a run gets.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
score=${SCORE:-$root/../shared/eval/score.py}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="sqlite:///$tmp/sw.db"
# `demo --no-dashboard` crawls, extracts and links the sample web, then stops.
incidents demo --no-dashboard --db "$db" >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log"; exit 1; }
grep -E '^(crawl|extract|linked)' "$tmp/demo.log" || true
incidents export "$tmp/out.jsonl" --db "$db" >/dev/null
python3 "$root/bench/sample_eval.py" "$tmp/out.jsonl" "$tmp/stable.jsonl"
if [ -n "${KEEP_EXPORT:-}" ]; then cp "$tmp/stable.jsonl" "$KEEP_EXPORT"; fi
python3 "$score" "$root/data/sample_web/gold.jsonl" "$tmp/stable.jsonl" "$@"
