"""The store's run lock on PostgreSQL: a session advisory lock, which processes on every
machine that share the store see alike (a lock file only serialises one machine).

The server releases a session's locks when its connection ends, so a holder that crashes or
is killed never leaves the store locked.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from .base import _create_engine

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
