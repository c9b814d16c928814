"""`incidents run`: one run at a time per store."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest

from incidents.errors import IncidentsError
from incidents.store.locks import lock_path, run_lock

HOLD = """
import sys, time
from incidents.store.locks import run_lock
with run_lock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(60)
"""


@pytest.fixture
def lock_holder(db_url):
    """Another process holding the run lock of the store, as a running `incidents run` does."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, db_url], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    yield proc
    proc.kill()
    proc.wait()


@pytest.mark.sqlite_only(reason="a PostgreSQL store has no file to sit beside; its run lock is an advisory lock in the database")
def test_the_lock_file_sits_beside_the_sqlite_store(db_url, tmp_path):
    assert lock_path(db_url) == tmp_path / "incidents.db.lock"


def test_a_second_run_exits_2_with_one_line_while_the_first_holds_the_lock(db_url, tmp_path, lock_holder):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[sources]]\nname = "X"\nfeeds = ["http://127.0.0.1:9/feed.xml"]\n')
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "incidents.app.cli", "run", "--sources", str(sources), "--db", db_url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "another incidents run" in done.stderr and f"pid {lock_holder.pid}" in done.stderr
    assert done.stdout == ""  # nothing crawled, nothing written
    assert time.monotonic() - started < 60  # did not wait for the first run


def test_the_lock_is_free_again_when_the_holder_ends(db_url, backend, lock_holder):
    with pytest.raises(IncidentsError, match="still working on this store"):
        with run_lock(db_url):
            pass
    lock_holder.kill()
    lock_holder.wait()
    with run_lock(db_url) as path:  # a killed run leaves no stale lock behind: taken again at once
        # a lock file beside a SQLite store; PostgreSQL's advisory lock lives in the database
        assert path is None if backend == "postgresql" else path.exists()
