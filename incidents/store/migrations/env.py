"""Alembic environment of the store: runs the revisions in `versions/`.

The store passes its open connection in `config.attributes["connection"]` (see
`incidents.store.migrations.upgrade`); the `alembic` command line (a developer writing a
revision) connects to `-x db=URL`, else `$INCIDENTS_DB`, else the default store.
"""
from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from incidents.store.schema import compared, metadata


def store_url() -> str:
    from incidents.config import default_of

    return context.get_x_argument(as_dictionary=True).get("db") or os.environ.get("INCIDENTS_DB") or default_of("db")


def configure(**kwargs) -> None:
    # batch mode: SQLite cannot ALTER most things, so autogenerate writes table copies there
    context.configure(target_metadata=metadata, render_as_batch=True, compare_type=True, include_name=compared,
                      **kwargs)


def run_offline() -> None:
    """`alembic upgrade head --sql`: print the SQL for a database administrator to run."""
    configure(url=store_url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(store_url())
    with engine.begin() as connection:
        configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
