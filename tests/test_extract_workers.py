"""Many `incidents extract` workers over one store: each article analysed once, none lost
when a worker is killed, and `incidents link` one at a time (real PostgreSQL server, real
subprocesses with the real pipeline)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from crawlers.ingest import ingest_file
from graph.link import run_link
from incidents.export import export_jsonl
from incidents.store import Store
from incidents.store.claims import this_worker
from incidents.store.locks import run_lock
from nlp.extract import run_extract
from nlp.pipeline import PIPELINE_VERSION

REPO = Path(__file__).parent.parent
DEV_SET = REPO / "data" / "corpus" / "dev.jsonl"
SCORE = REPO.parent / "shared" / "eval" / "score.py"
"""The evaluation's scorer, beside the project's checkout (the exports are compared whole without it)."""

ANALYSIS_LOG = [
    # every write of an analysis, with the worker that held the article: the test's own record, not the tracker's
    "CREATE TABLE analysis_log (article_id integer NOT NULL, worker text)",
    "CREATE FUNCTION log_analysis() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "INSERT INTO analysis_log VALUES (NEW.id, NEW.claimed_by); RETURN NEW; END $$",
    "CREATE TRIGGER log_analysis AFTER UPDATE OF analysed_version ON articles FOR EACH ROW "
    "WHEN (NEW.analysed_version IS NOT NULL) EXECUTE FUNCTION log_analysis()",
]


def sql(url: str, statement: str, **params) -> list:
    engine = create_engine(url)
    with engine.begin() as conn:
        result = conn.execute(text(statement), params)
        rows = result.all() if result.returns_rows else []
    engine.dispose()
    return rows


def ingested_store(url: str, path: Path = DEV_SET) -> int:
    """Ingest the articles of `path` and start the analysis log; their count."""
    with Store(url) as store:
        assert not ingest_file(store, path).bad
        count = store.count_to_analyse(PIPELINE_VERSION)
    for statement in ANALYSIS_LOG:
        sql(url, statement)
    return count


def worker_name(pid: int) -> str:
    """The name a worker process on this host claims under."""
    return f"{this_worker().rpartition(':')[0]}:{pid}"


def extract_worker(url: str, *args: str) -> subprocess.Popen:
    """`incidents extract` over the store, as a process of its own."""
    return subprocess.Popen([sys.executable, "-m", "incidents.app.cli", "extract", "--db", url, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(proc: subprocess.Popen, timeout: float = 300) -> str:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    return out


def analyses_per_article(url: str) -> dict[int, int]:
    return dict(sql(url, "SELECT a.id, count(l.article_id) FROM articles a "
                         "LEFT JOIN analysis_log l ON l.article_id = a.id GROUP BY a.id"))


def linked_export(store: Store, folder: Path) -> list[dict]:
    run_link(store, folder / "graph.json")
    export_jsonl(store, str(folder / "out.jsonl"))
    return [json.loads(line) for line in (folder / "out.jsonl").read_text().splitlines()]


def scores(folder: Path) -> dict:
    done = subprocess.run([sys.executable, str(SCORE), str(DEV_SET), str(folder / "out.jsonl"), "--json"],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_two_extract_workers_started_together_analyse_each_article_once_and_score_as_sqlite_does(
        pg_url, tmp_path, nlp_pipeline):
    count = ingested_store(pg_url)
    workers = [extract_worker(pg_url, "--batch-size", "4") for _ in range(2)]
    reports = [finished(w) for w in workers]

    assert analyses_per_article(pg_url) == {i: 1 for i in range(1, count + 1)}
    shares = dict(sql(pg_url, "SELECT worker, count(*) FROM analysis_log GROUP BY worker"))
    assert sorted(shares) == sorted(worker_name(w.pid) for w in workers)  # both took a share
    assert sum(shares.values()) == count
    for worker, report in zip(workers, reports):  # and each says how many were its own
        assert f"extract: {shares[worker_name(worker.pid)]} articles analysed" in report

    (tmp_path / "pg").mkdir()
    (tmp_path / "sqlite").mkdir()
    with Store(pg_url) as store:
        on_postgres = linked_export(store, tmp_path / "pg")
    with Store(f"sqlite:///{tmp_path / 'sqlite' / 'incidents.db'}") as store:
        ingest_file(store, DEV_SET)
        run_extract(store, nlp=nlp_pipeline, progress=False)
        on_sqlite = linked_export(store, tmp_path / "sqlite")
    assert len(on_postgres) == count
    assert on_postgres == on_sqlite
    if SCORE.is_file():
        assert scores(tmp_path / "pg") == scores(tmp_path / "sqlite")


def test_a_worker_killed_mid_batch_loses_nothing(pg_url, tmp_path):
    first_ten = tmp_path / "ten.jsonl"
    first_ten.write_text("".join(DEV_SET.read_text().splitlines(keepends=True)[:10]))
    count = ingested_store(pg_url, first_ten)
    victim = extract_worker(pg_url, "--batch-size", "2")
    deadline = time.monotonic() + 240
    # kill it once it has stored a batch and holds the next one, claimed and not stored
    while not sql(pg_url, "SELECT 1 FROM analysis_log LIMIT 1") or not sql(
            pg_url, "SELECT 1 FROM articles WHERE claimed_until IS NOT NULL AND analysed_version IS NULL"):
        assert victim.poll() is None and time.monotonic() < deadline, "the worker ended before it could be killed"
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    held = sql(pg_url, "SELECT id FROM articles WHERE claimed_until IS NOT NULL AND analysed_version IS NULL")
    assert held  # its batch is still claimed by the dead worker
    analysed_before = sum(analyses_per_article(pg_url).values())
    assert 0 < analysed_before < count

    # the dead worker ran on this host, so its claim is taken at once, not when its lease ends
    out = finished(extract_worker(pg_url))
    assert f"{count - analysed_before} articles analysed" in out
    assert analyses_per_article(pg_url) == {i: 1 for i in range(1, count + 1)}
    assert sql(pg_url, "SELECT count(*) FROM articles WHERE analysed_version = :v", v=PIPELINE_VERSION) == [(count,)]
    assert sql(pg_url, "SELECT count(*) FROM articles WHERE claimed_until IS NOT NULL") == [(0,)]


# --- claiming, without the pipeline (both databases: db_url is a store on each, tests/conftest.py) ---

def stored_articles(url: str, count: int) -> None:
    from incidents.model import Article

    with Store(url) as store:
        for n in range(count):
            store.add_article(Article(url=f"https://example.com/{n}", title=f"Story {n}", text="Some text."))


def test_workers_claiming_at_once_each_get_different_articles_and_together_all(db_url):
    stored_articles(db_url, 120)
    taken: dict[str, list[int]] = {}

    def claim_all(worker: str) -> None:
        with Store(db_url) as store:
            taken[worker] = [a.id for batch in store.claimed_batches("v1", 5, worker) for a in batch]

    threads = [threading.Thread(target=claim_all, args=(f"elsewhere:{n}",)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [i for ids in taken.values() for i in ids]
    assert sorted(every) == list(range(1, 121))  # none twice, none left out
    with Store(db_url) as store:  # all held (by live leases): nothing left to claim
        assert store.claim_articles("v1", 5, "elsewhere:9") == []


def test_a_claim_is_taken_again_when_its_lease_ends_or_its_worker_on_this_host_is_gone(db_url):
    stored_articles(db_url, 4)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead_here = worker_name(gone.pid)
    with Store(db_url) as store:
        assert [a.id for a in store.claim_articles("v1", 2, "other-host:1", timedelta(seconds=1))] == [1, 2]
        assert [a.id for a in store.claim_articles("v1", 2, dead_here)] == [3, 4]
        assert [a.id for a in store.claim_articles("v1", 4, this_worker())] == [3, 4]  # its process has ended
        time.sleep(1.5)
        assert [a.id for a in store.claim_articles("v1", 4, this_worker())] == [1, 2]  # the lease ended
        store.release_claims(this_worker())
        assert [a.id for a in store.claim_articles("v1", 4, "other-host:2")] == [1, 2, 3, 4]


# --- one link at a time across machines (PostgreSQL) ---

HOLD = """
import sys, time
from incidents.store.locks import run_lock
with run_lock(sys.argv[1], "link"):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_second_link_on_postgresql_says_another_link_is_running_until_the_first_is_killed(pg_url):
    Store(pg_url).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, pg_url], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        done = subprocess.run([sys.executable, "-m", "incidents.app.cli", "link", "--db", pg_url],
                              capture_output=True, text=True, timeout=120)
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert f"another incidents link (pid {holder.pid}) is still working" in done.stderr
    assert "on this store; not starting link now" in done.stderr
    deadline = time.monotonic() + 10  # the server ends the killed holder's session, and its lock with it
    while True:
        try:
            with run_lock(pg_url, "link"):
                break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
