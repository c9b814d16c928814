"""The connection to the store: engine, SQLite pragmas, schema upgrade on open."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from ..errors import IncidentsError
from .schema import upgrade


class StoreBase:
    """Owns the engine; the table families add their queries as mixins."""

    def __init__(self, url: str):
        self.url = url
        self.engine = _create_engine(url)
        try:
            with self.engine.begin() as conn:
                self.schema_found, self.schema_version = upgrade(conn)
        except OperationalError as exc:
            raise IncidentsError(f"{display_url(url)}: cannot open the store ({exc.orig})") from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, None for other databases or in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _create_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise IncidentsError(f"--db {url!r}: not a database URL (e.g. sqlite:///data/incidents.db)") from None
    path = sqlite_path(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise IncidentsError(f"{path.parent}: cannot create the store's folder ({exc.strerror})") from None
    engine = create_engine(parsed, future=True)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets the dashboard read while a crawl writes; the busy timeout makes a second
    # writer wait instead of failing at once.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def display_url(url: str) -> str:
    """The store's URL as shown to a person: any password hidden."""
    return make_url(url).render_as_string(hide_password=True)
