"""Cost of recognising a syndicated copy: one `NearDuplicateIndex.find` per new article.

Fills the index with random 64-bit fingerprints (as a store of that many originals would),
then times lookups of fingerprints a few bits from a stored one and of unrelated ones.
Prints one JSON line: milliseconds per lookup (p50, p95) at each size, and the memory the
index takes.

    python3 bench/near_duplicates.py [--sizes 10000 100000 1000000] [--lookups 200]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawlers.simhash import NearDuplicateIndex  # noqa: E402


def measure(size: int, lookups: int, rng: random.Random) -> dict:
    prints = [rng.getrandbits(64) for _ in range(size)]
    started = time.perf_counter()
    index = NearDuplicateIndex(known=enumerate(prints, start=1))
    built = time.perf_counter() - started
    times, found = [], 0
    for n in range(lookups):
        probe = prints[rng.randrange(size)] ^ (1 << rng.randrange(64)) if n % 2 == 0 else rng.getrandbits(64)
        start = time.perf_counter()
        found += index.find(probe) is not None
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"size": size, "build_s": round(built, 2), "find_ms_p50": round(times[len(times) // 2], 3),
            "find_ms_p95": round(times[int(len(times) * 0.95)], 3), "copies_found": found, "lookups": lookups,
            "index_mb": round((index._ids.nbytes + index._prints.nbytes) / 2**20, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--lookups", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(0)
    print(json.dumps({"near_duplicate_index": [measure(size, args.lookups, rng) for size in args.sizes]}))


if __name__ == "__main__":
    main()
