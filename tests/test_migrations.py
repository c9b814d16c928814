"""Schema migrations with Alembic: a new store, and stores written before Alembic, on SQLite and PostgreSQL."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, inspect, select, text

from incidents.errors import IncidentsError
from incidents.model import Article
from incidents.store import Store, head_revision
from incidents.store.migrations import SCRIPTS, alembic_config, scripts
from incidents.store.schema import compared, is_search_table, metadata

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
SCHEMA_V1 = FIXTURES / "schema_v1.sql"
V1_ARTICLE_COLUMNS = "id, url, ext_id, source_id, outlet, title, text, content_hash, published, fetched"
TABLES_BEFORE_ALEMBIC = ("meta", "sources", "articles", "fetches", "entities", "mentions", "events",
                         "article_vectors", "incidents", "incident_articles", "digests_sent")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path) -> str:
    """A database with nothing in it yet, on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'incidents.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def v3_url(empty_url) -> str:
    """A populated store written by the tracker before Alembic (schema version 3), on each backend."""
    if empty_url.startswith("sqlite"):
        with sqlite3.connect(empty_url.removeprefix("sqlite:///")) as conn:
            conn.executescript((FIXTURES / "store_v3.sqlite.sql").read_text())
    else:
        import psycopg

        with psycopg.connect(empty_url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
            conn.execute((FIXTURES / "store_v3.postgres.sql").read_text())
    return empty_url


def previous_revision() -> str:
    """The revision before the head: what the tracker's previous release left in a store."""
    return scripts().get_revision(head_revision()).down_revision


@pytest.fixture
def previous_url(v3_url) -> str:
    """A populated store of the previous revision, on each backend: the store before Alembic
    upgraded as the previous tracker would, with a correction and a sent alert added."""
    engine = create_engine(v3_url)
    with engine.begin() as conn:
        config = alembic_config(conn)
        command.stamp(config, "0003")
        command.upgrade(config, previous_revision())
        conn.execute(text("INSERT INTO corrections (kind, subject, new_value, who, created) VALUES "
                          "('retitle', 'alibaba-bans-claude-code-2026-07', '\"Alibaba bars Claude Code\"', "
                          "'analyst', '2026-07-13 09:00:00+00:00')"))
        conn.execute(text("INSERT INTO alerts_sent (fact_key, recipient, sent) VALUES "
                          "('ban|Alibaba|Claude Code|2026-07-10', 'ciso@example.com', '2026-07-13 09:05:00+00:00')"))
    engine.dispose()
    return v3_url


def stored_tables(url: str) -> list[str]:
    """The tables of a store, without Alembic's own and the full-text indexes."""
    engine = create_engine(url)
    names = [n for n in inspect(engine).get_table_names() if n != "alembic_version" and not is_search_table(n)]
    engine.dispose()
    return names


def every_row(url: str, tables=TABLES_BEFORE_ALEMBIC, columns: dict[str, set[str]] | None = None
              ) -> dict[str, list[tuple]]:
    """Each table's rows (only the `columns` named for it, when given), in a stable order,
    read without the tracker's code."""
    engine = create_engine(url)
    reflected = MetaData()
    reflected.reflect(engine, only=list(tables))
    with engine.connect() as conn:
        rows = {name: sorted(map(tuple, conn.execute(select(*[c for c in table.c
                                                                 if columns is None or c.name in columns[name]]))),
                             key=repr)
                for name, table in reflected.tables.items() if name != "meta"}
    engine.dispose()
    return rows


def column_names(url: str, tables) -> dict[str, set[str]]:
    """The columns each of these tables has now."""
    engine = create_engine(url)
    found = inspect(engine)
    names = {t: {c["name"] for c in found.get_columns(t)} for t in tables}
    engine.dispose()
    return names


def schema_differences(url: str) -> list:
    """What Alembic's autogenerate finds between the database and `schema.py` (nothing, when they agree)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        found = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True,
                                                                        "include_name": compared}), metadata)
    engine.dispose()
    return found


def test_a_new_store_gets_every_revision_and_the_tables_the_code_expects(empty_url):
    with Store(empty_url) as store:
        assert (store.schema_found, store.schema_version) == (None, head_revision())
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head_revision()]
        assert store.add_article(Article(url="https://example.com/first", text="first")).created
    assert schema_differences(empty_url) == []
    with Store(empty_url) as again:
        assert again.schema_found == head_revision()
        assert again.count_articles() == 1


def test_a_populated_store_from_before_alembic_is_upgraded_keeping_every_row(v3_url):
    before, columns_before = every_row(v3_url), column_names(v3_url, TABLES_BEFORE_ALEMBIC)
    with Store(v3_url) as store:
        assert (store.schema_found, store.schema_version) == ("0003", head_revision())
        analysis = store.analyses_for([1])[1]
        assert [(e.type, e.date, e.date_basis) for e in analysis.events] == [("ban", "2026-07-10", "text")]
        assert [e.name for e in analysis.entities] == ["Alibaba", "Claude Code"]
        assert analysis.embedding[:2] == pytest.approx([0.6, 0.8])
        [incident] = store.load_incidents()
        assert (incident.id, incident.article_ids) == ("alibaba-bans-claude-code-2026-07", [1, 2])
        assert store.get_fetch("https://example.com/feed.xml")["etag"] == '"v3-etag"'
        assert set(store.digest_recipients_sent("2026-W28")) == {"ciso@example.com"}
        new = store.add_article(Article(url="https://example.com/after-upgrade", text="new"))
        assert (new.created, new.id) == (True, 4)  # the id sequence carried on
    after = every_row(v3_url, columns=columns_before)
    after["articles"] = [row for row in after["articles"] if row[0] != 4]
    assert after == before
    with Store(v3_url) as store, store.engine.connect() as conn:  # added since: empty in the old rows
        assert conn.execute(text("SELECT DISTINCT claimed_by, claimed_until FROM articles")).all() == [(None, None)]
    assert schema_differences(v3_url) == []


def test_a_populated_store_of_the_previous_revision_is_upgraded_keeping_every_row(previous_url):
    tables = stored_tables(previous_url)
    before, columns_before = every_row(previous_url, tables), column_names(previous_url, tables)
    assert before["corrections"] and before["alerts_sent"] and len(before["articles"]) == 3
    with Store(previous_url) as store:
        assert (store.schema_found, store.schema_version) == (previous_revision(), head_revision())
        assert store.search_text("banned").articles == [1]  # the stored rows are searchable at once
        assert store.load_incidents()[0].title == "Alibaba bans Claude Code"
        assert [c.kind for c in store.correction_log()] == ["retitle"]
    assert every_row(previous_url, tables, columns=columns_before) == before
    assert schema_differences(previous_url) == []


def test_an_upgraded_store_is_read_with_outlines_worked_out_until_the_next_link_stores_them_once(previous_url):
    def stored_outlines():
        engine = create_engine(previous_url)
        with engine.connect() as conn:
            found = conn.execute(text("SELECT outline FROM incidents")).scalars().all()
        engine.dispose()
        return found

    with Store(previous_url) as store:
        [listed] = store.incident_outlines()  # read before the link: worked out, not written
        assert stored_outlines() == [None]
        assert (listed["title"], listed["article_count"], listed["event_types"]) == \
            ("Alibaba bans Claude Code", 2, ["ban"])
        assert listed["summary"] == "Ban, 10 Jul 2026: Alibaba bans Claude Code"
        assert store.build_incident_outlines() == 1  # what `incidents link` does first
        assert store.build_incident_outlines() == 0  # once
        assert store.incident_outlines() == [listed]
    assert stored_outlines() != [None]


def test_a_tracker_from_before_alembic_would_refuse_an_upgraded_store(v3_url):
    Store(v3_url).close()
    engine = create_engine(v3_url)
    with engine.connect() as conn:
        # what the previous tracker read: a version above its own 3 made it stop with "upgrade incidents"
        assert int(conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar_one()) > 3
    engine.dispose()


def test_opening_a_version_1_database_upgrades_it_and_keeps_every_row(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(SCHEMA_V1.read_text())
        before = conn.execute(f"SELECT {V1_ARTICLE_COLUMNS} FROM articles ORDER BY id").fetchall()
    with Store(f"sqlite:///{path}") as store:
        assert (store.schema_found, store.schema_version) == ("0001", head_revision())
        columns = {c["name"] for c in inspect(store.engine).get_columns("articles")}
        assert {"language", "simhash", "duplicate_of", "analysed_version", "relevant", "linked_version"} <= columns
        assert {"entities", "mentions", "events", "incidents", "incident_articles"} <= set(inspect(store.engine).get_table_names())
        assert store.get_fetch("https://example.com/feed.xml")["etag"] == '"v1-etag"'
        assert store.get_article(3).ext_id == "ext-7"
        assert store.add_article(Article(url="https://example.com/new", text="new")).created
    with sqlite3.connect(path) as conn:
        after = conn.execute(f"SELECT {V1_ARTICLE_COLUMNS} FROM articles WHERE id <= 3 ORDER BY id").fetchall()
        assert after == before
        assert conn.execute("SELECT name FROM sources").fetchall() == [("Example Wire",)]
        with pytest.raises(sqlite3.IntegrityError):  # the given ids stay unique
            conn.execute("INSERT INTO articles (url, ext_id) VALUES ('https://example.com/copy', 'ext-7')")
    with Store(f"sqlite:///{path}") as again:
        assert again.schema_found == head_revision()
        assert again.count_articles() == 4


def test_a_reader_does_not_upgrade_an_old_store_and_says_which_command_does(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript((FIXTURES / "store_v3.sqlite.sql").read_text())
    with pytest.raises(IncidentsError, match="schema revision 0003.*run a writing command"):
        Store(f"sqlite:///{path}", read_only=True)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta").fetchall() == [("3",)]


def test_a_store_from_a_newer_tracker_is_refused_in_one_line(db_url):
    Store(db_url).close()
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'fffffff'"))
    engine.dispose()
    with pytest.raises(IncidentsError, match="revision fffffff is newer than this tracker"):
        Store(db_url)


def test_revisions_form_one_line_so_every_store_has_one_path_to_the_head():
    assert scripts().get_heads() == [head_revision()]
    line = [r.revision for r in scripts().walk_revisions()]
    assert line[-1] == "0001" and len(line) == len(set(line))


def test_an_installed_package_carries_its_migration_scripts(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(REPO / "incidents", source / "incidents", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path / "dist"), str(source)], check=True, capture_output=True)
    [wheel] = (tmp_path / "dist").glob("*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    wanted = {f"incidents/store/migrations/{p.relative_to(SCRIPTS).as_posix()}"
              for p in SCRIPTS.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert {"incidents/store/migrations/env.py", "incidents/store/migrations/script.py.mako"} <= wanted
    assert wanted <= shipped
