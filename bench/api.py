"""Latency of the HTTP API with 10,000 incidents: p50 and p99 per kind of request.

Builds the synthetic store of bench/dashboard.py (two years of incidents among 200
companies, 1-3 articles each) in a temporary folder, serves it with `incidents serve-api`
on 127.0.0.1, warms each route once (the first graph query loads the incident graph), then
sends each request `--rounds` times, one at a time, over one keep-alive connection.
Prints one line per route and, last, one JSON object.

    python3 bench/api.py [--incidents 10000] [--rounds 200] [--keep DIR]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]

ROUTES = {
    "incidents page": "/incidents?limit=50",
    "incidents, 10th page": "/incidents?limit=50&offset=450",
    "incidents of a company since a month": "/incidents?company=Company%20007&since=2025-01&limit=50",
    "incidents with words": "/incidents?q=ban%20Product&limit=50",
    "one incident": "/incidents/incident-04242",
    "entities page": "/entities?limit=50",
    "one entity": "/entities/Company%20007",
    "keyword search": "/search?q=Company%20007%20ban",
    "graph neighbours (2 hops)": "/graph/neighbours?name=Company%20007&hops=2&limit=50",
    "graph timeline": "/graph/timeline?name=Company%20007",
    "graph paths": "/graph/paths?source=Company%20007&target=Company%20099",
    "feed": "/feeds/incidents.atom",
    "unchanged page (304)": "/incidents?limit=50",
}


def build_store(url: str, incidents: int) -> dict:
    spec = importlib.util.spec_from_file_location("bench_dashboard", ROOT / "bench" / "dashboard.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_store(url, incidents)


def serve(db_url: str) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "incidents.app.cli", "serve-api", "--port", str(port),
                                "--db", db_url], cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            requests.get(base + "/openapi.json", timeout=2)
            return process, base
        except requests.ConnectionError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("serve-api did not start")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(base: str, rounds: int) -> dict:
    session = requests.Session()
    found = {}
    for name, path in ROUTES.items():
        started = time.perf_counter()
        first = session.get(base + path, timeout=300)
        warm_s = time.perf_counter() - started
        assert first.status_code == 200, (path, first.status_code, first.text[:200])
        headers = {"If-None-Match": first.headers["ETag"]} if "304" in name else {}
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            response = session.get(base + path, headers=headers, timeout=60)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == (304 if headers else 200), (path, response.status_code)
        found[name] = {"p50_ms": round(statistics.median(times), 1), "p99_ms": round(percentile(times, 0.99), 1),
                       "first_ms": round(warm_s * 1000, 1), "bytes": len(first.content)}
        print(f"{name:36s} p50 {found[name]['p50_ms']:7.1f} ms  p99 {found[name]['p99_ms']:7.1f} ms  "
              f"(first {found[name]['first_ms']:.0f} ms, {len(first.content):,} bytes)", flush=True)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=200, help="requests per route (default 200)")
    parser.add_argument("--keep", type=Path, help="build the store in this folder and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-api-"))
    folder.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{folder / 'bench.db'}"
    started = time.perf_counter()
    size = build_store(db_url, args.incidents) if not (folder / "bench.db").exists() else {"incidents": args.incidents}
    built_s = time.perf_counter() - started
    process, base = serve(db_url)
    try:
        routes = measure(base, args.rounds)
    finally:
        process.terminate()
        process.wait(timeout=30)
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    every = [r["p50_ms"] for r in routes.values()]
    print(json.dumps({"bench": "api", **size, "rounds": args.rounds, "store_built_s": round(built_s, 1),
                      "median_of_p50_ms": round(statistics.median(every), 1),
                      "worst_p99_ms": max(r["p99_ms"] for r in routes.values()), "routes": routes}))


if __name__ == "__main__":
    main()
