"""Schema migrations of the store, with Alembic: the revisions in `versions/`, applied on open.

A new store is created by running every revision; an existing one is upgraded from the
revision in its `alembic_version` table. A store written before Alembic kept a schema
version (1 to 3) in `meta`: it is stamped at the matching revision first, then upgraded.
Developers add a revision as the README's developer notes say; `schema.py` shows the tables
as they are at the head revision, and a test checks that the two agree.
"""
from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from ...errors import IncidentsError

SCRIPTS = Path(__file__).parent
LEGACY_REVISIONS = {1: "0001", 2: "0002", 3: "0003"}
"""Revision matching each schema version of a store written before Alembic."""
MIGRATION_LOCK = 0x1C1DE475
"""PostgreSQL advisory lock key: processes opening one store together migrate it one at a time."""


def alembic_config(conn: Connection | None = None) -> Config:
    """Alembic's configuration for the shipped scripts, running on `conn` when given."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    if conn is not None:
        config.attributes["connection"] = conn
    return config


@functools.cache
def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The revision this tracker's code reads and writes."""
    return scripts().get_current_head()


def found_revision(conn: Connection) -> str | None:
    """The revision of an existing store (a legacy version mapped to its revision); None when empty."""
    revision = MigrationContext.configure(conn).get_current_revision()
    return revision if revision is not None else _legacy_revision(conn)


def _legacy_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("meta"):
        return None
    row = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).first()
    if row is None:
        return None
    version = int(row[0])
    if version not in LEGACY_REVISIONS:
        raise IncidentsError(f"store schema version {version} without an Alembic revision; "
                             "this tracker cannot tell what it holds")
    return LEGACY_REVISIONS[version]


def upgrade(conn: Connection) -> tuple[str | None, str]:
    """Create or upgrade the schema in the transaction of `conn`; returns (revision found, revision now)."""
    head = head_revision()
    found = found_revision(conn)
    if found == head:
        return found, head
    if conn.dialect.name == "postgresql":
        # held to the end of the transaction; whoever waited sees the schema already upgraded
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        found = found_revision(conn)
        if found == head:
            return found, head
    if found is not None and not _known(found):
        raise IncidentsError(f"store schema revision {found} is newer than this tracker ({head}); upgrade incidents")
    config = alembic_config(conn)
    if found is not None and MigrationContext.configure(conn).get_current_revision() is None:
        command.stamp(config, found)
    command.upgrade(config, "head")
    return found, head


def _known(revision: str) -> bool:
    try:
        return scripts().get_revision(revision) is not None
    except CommandError:  # not among this tracker's revisions
        return False
