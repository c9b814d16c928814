"""The store's run lock, held by `incidents run`, `link` and `correct` while they write.

A run holds an exclusive lock for the store (on PostgreSQL an advisory lock in the
database; otherwise a lock file beside the SQLite file, or in the temporary folder for
other databases), so a second run (or link) started while one is still going, on any
machine, stops at once with one line instead of writing into the same store.

On PostgreSQL the lock is a session advisory lock, which processes on every machine that
share the store see alike (a lock file only serialises one machine). The server releases a
session's locks when its connection ends, and the kernel a file's `flock` when its holder
exits, so a holder that crashes or is killed never leaves the store locked.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from ..errors import IncidentsError
from .base import _create_engine, display_url, is_postgresql, sqlite_path

RUN_LOCK = 0x1C1DE476
"""Advisory lock key of `incidents run`, `link` and `correct` (beside migrations.MIGRATION_LOCK)."""
HOLDER = text(
    "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
    "(SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND l.classid::text::bigint = :high AND l.objid::text::bigint = :low AND l.objsubid = 1")


@contextmanager
def advisory_run_lock(url: str, holder: str) -> Iterator[str | None]:
    """Take the store's run lock as `holder` (shown to whoever finds it taken), held for the
    block; yields None when taken, else the holder that has it."""
    engine = _create_engine(url)
    try:
        with engine.connect() as conn:
            # the connection's name is how a process that finds the lock taken learns who has it
            conn.execute(text("SELECT set_config('application_name', :name, false)"), {"name": holder[:63]})
            if conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": RUN_LOCK}).scalar_one():
                conn.commit()
                yield None
                return
            found = conn.execute(HOLDER, {"high": RUN_LOCK >> 32, "low": RUN_LOCK & 0xFFFFFFFF}).scalar()
            conn.rollback()
            yield found or "unknown"
    finally:
        engine.dispose()


def lock_path(db_url: str) -> Path:
    """The lock file of a store: `<db file>.lock`, or one per URL in the temporary folder."""
    db_file = sqlite_path(db_url)
    if db_file is not None:
        return db_file.with_name(db_file.name + ".lock")
    digest = hashlib.sha256(db_url.encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"incidents-{digest}.lock"


@contextmanager
def run_lock(db_url: str, command: str = "run"):
    """Hold the store's run lock while `command` (run, link) writes; IncidentsError naming the
    command that holds it when another one does.

    On PostgreSQL an advisory lock in the database, so processes on other machines see it
    too; otherwise an advisory `flock`. Either is released when the holder exits, even by a
    crash, so a stale lock never blocks the next run.
    """
    if is_postgresql(db_url):
        with advisory_run_lock(db_url, f"incidents {command} (pid {os.getpid()} on {socket.gethostname()})") as holder:
            if holder:
                holder = holder.replace(f" on {socket.gethostname()})", ")")  # as the lock file says it, on one host
                raise IncidentsError(f"{display_url(db_url)}: another {holder} is still working on this store; "
                                     f"not starting {command} now")
            yield None
        return
    path = lock_path(db_url)
    try:
        handle = open(path, "a+", encoding="utf-8")
    except OSError as exc:
        raise IncidentsError(f"{path}: cannot make the lock file ({exc.strerror or exc})") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            pid, _, holder = (handle.read().strip() or "unknown").partition(" ")
            raise IncidentsError(f"{path}: another incidents {holder or 'run'} (pid {pid}) is still working on "
                                 f"this store; not starting {command} now") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()} {command}")
        handle.flush()
        yield path
    finally:
        handle.close()
