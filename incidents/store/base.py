"""The connection to the store: engine, SQLite pragmas, schema migration on open.

A store opened `read_only` (export, graph queries, a digest written to a file, the
dashboard) is never created, upgraded or written: a mistyped path is an error, and a
read-only file can be read. A writer creates a new SQLite file, but not a missing folder
(a mistyped folder is an error) except the default `data/` one.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from ..errors import IncidentsError
from .migrations import found_revision, head_revision, upgrade


DRIVER_PACKAGES = {"psycopg": "incidents[postgres]", "psycopg2": "psycopg2-binary", "MySQLdb": "mysqlclient",
                   "pymysql": "PyMySQL", "asyncpg": "asyncpg", "pyodbc": "pyodbc", "oracledb": "oracledb"}
"""What to install for a database driver module whose name differs from it (PostgreSQL: the extra)."""
DEFAULT_DRIVERS = {"postgresql": "postgresql+psycopg"}
"""The driver a URL without one gets: psycopg 3, which the `postgres` extra installs (SQLAlchemy
would pick psycopg2)."""


class StoreBase:
    """Owns the engine; the table families add their queries as mixins."""

    def __init__(self, url: str, read_only: bool = False):
        self.url = url
        self.read_only = read_only
        self.engine = _create_engine(url, read_only)
        try:
            if read_only:
                with self.engine.connect() as conn:
                    self.schema_found = self.schema_version = _readable_version(conn, url)
            else:
                with self.engine.begin() as conn:
                    self.schema_found, self.schema_version = upgrade(conn)
        except OperationalError as exc:
            self.engine.dispose()
            raise IncidentsError(f"{display_url(url)}: cannot open the store ({exc.orig})") from None
        except IncidentsError:
            self.engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def insert_ignoring_duplicates(conn, table, **values):
    """INSERT of one row that does nothing when its unique key is taken (ON CONFLICT DO NOTHING):
    on PostgreSQL it waits for a concurrent insert of the same key and then leaves it be."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # one writer assumed
        return table.insert().values(**values)
    return insert(table).values(**values).on_conflict_do_nothing()


def is_postgresql(url: str) -> bool:
    try:
        return make_url(url).get_backend_name() == "postgresql"
    except ArgumentError:
        return False


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, None for other databases or in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _readable_version(conn, url: str) -> str:
    """The schema revision of a store opened read-only; IncidentsError when it cannot be read as is."""
    found = found_revision(conn)
    if found is None:
        raise IncidentsError(f"{display_url(url)}: not an incidents store (no tables); check --db")
    if found != head_revision():
        raise IncidentsError(f"{display_url(url)}: store schema revision {found}, this tracker reads "
                             f"{head_revision()}; run a writing command (e.g. incidents link) to upgrade it first")
    return found


def _create_engine(url: str, read_only: bool = False) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise IncidentsError(f"--db {url!r}: not a database URL (e.g. sqlite:///data/incidents.db)") from None
    parsed = parsed.set(drivername=DEFAULT_DRIVERS.get(parsed.drivername, parsed.drivername))
    path = sqlite_path(url)
    if path is not None:
        _check_sqlite_path(path, read_only)
    try:
        if path is not None and read_only:
            # mode=ro: SQLite itself refuses to write, so a read never changes (or needs to
            # change) the file; a file without write permission opens fine
            engine = create_engine(parsed, future=True, creator=lambda: sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False))
        else:
            engine = create_engine(parsed, future=True)
    except NoSuchModuleError:
        raise IncidentsError(f"--db {display_url(url)}: unknown kind of database {parsed.drivername!r} "
                             "(e.g. sqlite:///data/incidents.db or postgresql+psycopg://host/db)") from None
    except ImportError as exc:
        module = (exc.name or str(exc)).split(".")[0]
        raise IncidentsError(f"--db {display_url(url)}: the database driver {module!r} is not installed "
                             f"(pip install '{DRIVER_PACKAGES.get(module, module)}')") from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_read_pragmas if read_only else _sqlite_pragmas)
    return engine


def _check_sqlite_path(path: Path, read_only: bool) -> None:
    """A reader needs the file; a writer needs its folder (only the default one is created)."""
    if read_only:
        if not path.is_file():
            raise IncidentsError(f"{path}: no store here (check --db or $INCIDENTS_DB)")
        return
    if path.parent.is_dir():
        return
    from ..config import default_of

    if sqlite_path(default_of("db")) != path:
        raise IncidentsError(f"{path.parent}: no such folder for the store {path.name} "
                             "(check --db, or create the folder for a new store)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IncidentsError(f"{path.parent}: cannot create the store's folder ({exc.strerror})") from None


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets the dashboard read while a crawl writes; the busy timeout makes a second
    # writer wait instead of failing at once.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_read_pragmas(dbapi_conn, _record) -> None:
    # a reader sets nothing that is stored in the file (journal_mode would be a write)
    dbapi_conn.execute("PRAGMA busy_timeout=30000")


def display_url(url: str) -> str:
    """The store's URL as shown to a person: any password hidden."""
    return make_url(url).render_as_string(hide_password=True)
