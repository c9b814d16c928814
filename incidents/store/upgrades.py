"""Work a schema revision leaves to the tracker's own code: a revision must not import it, so
it sets a flag in `meta` and the next `incidents link` does the work once."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select

from .schema import incidents, meta


def redo_every_incident_once(engine, flag: str, redo: Callable[[object, list[str]], None]) -> int:
    """When a revision set `flag`, apply `redo(conn, ids)` to every stored incident and clear
    the flag, in one transaction; how many incidents it touched (0 when not flagged)."""
    with engine.begin() as conn:
        if conn.execute(select(meta.c.value).where(meta.c.key == flag)).first() is None:
            return 0
        ids = list(conn.execute(select(incidents.c.id)).scalars())
        redo(conn, ids)
        conn.execute(delete(meta).where(meta.c.key == flag))
    return len(ids)
