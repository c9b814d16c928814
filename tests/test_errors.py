"""Mistakes in settings and store URLs are one line and exit 2, never a traceback; commands
that only read never create or change a store."""
from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from incidents.app.cli import main
from incidents.model import Article
from incidents.store import Store


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert err.startswith("incidents: error: ") and "\n" not in err and "Traceback" not in err
    return err


# --- the [scrapy] table ---

@pytest.mark.parametrize("line, named", [
    ('CONCURRENT_REQUESTS = "many"', "CONCURRENT_REQUESTS = 'many' should be a number"),
    ('DOWNLOAD_TIMEOUT = [30]', "DOWNLOAD_TIMEOUT = [30] should be a number"),
    ('ROBOTSTXT_OBEY = "perhaps"', "ROBOTSTXT_OBEY = 'perhaps' should be true or false"),
    ("ITEM_PIPELINES = 3", "ITEM_PIPELINES = 3 should be a table"),
    ("USER_AGENT = 5", "USER_AGENT = 5 should be a string"),
    ('LOG_LEVEL = "LOUD"', "LOG_LEVEL = 'LOUD' should be DEBUG"),
])
def test_a_bad_value_in_the_scrapy_table_is_one_line_before_crawling(tmp_path, db_url, capsys, line, named):
    config = tmp_path / "incidents.toml"
    config.write_text(f"[scrapy]\n{line}\n")
    sources = tmp_path / "sources.toml"
    sources.write_text('[[sources]]\nname = "X"\nfeeds = ["http://127.0.0.1:9/feed.xml"]\n')
    assert main(["crawl", "--sources", str(sources), "--config", str(config), "--db", db_url]) == 2
    err = one_line_error(capsys)
    assert f"{config}: [scrapy]: {named}" in err


# --- store URLs ---

def test_an_unknown_kind_of_database_is_one_line(capsys):
    assert main(["export", "-", "--db", "nonsense://x"]) == 2
    assert "--db nonsense://x: unknown kind of database 'nonsense'" in one_line_error(capsys)


@pytest.mark.parametrize("url", ["postgresql+psycopg://digest:s3cret@db.example/news",
                                 "postgresql://digest:s3cret@db.example/news"])
def test_a_postgres_url_without_the_postgres_extra_names_the_extra_in_one_line(url):
    # a Python in which psycopg cannot be imported, as on a machine without the extra
    without_psycopg = ("import sys; sys.modules['psycopg'] = None; from incidents.app.cli import main; "
                       f"sys.exit(main(['ingest', '/dev/null', '--db', {url!r}]))")
    done = subprocess.run([sys.executable, "-c", without_psycopg], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    err = done.stderr.strip()
    assert "\n" not in err and "Traceback" not in err
    shown = url.replace("s3cret", "***")
    assert err == (f"incidents: error: --db {shown}: the database driver 'psycopg' is not installed "
                   "(pip install 'incidents[postgres]')")


def test_a_store_in_a_folder_that_does_not_exist_is_one_line(tmp_path, capsys):
    missing = tmp_path / "typo" / "incidents.db"
    assert main(["ingest", "/dev/null", "--db", f"sqlite:///{missing}"]) == 2
    assert f"{missing.parent}: no such folder" in one_line_error(capsys)
    assert not missing.parent.exists()


@pytest.mark.parametrize("argv", [["export", "-"], ["graph", "rank"], ["graph", "export", "g.graphml"],
                                  ["digest", "--week", "2026-W28", "--out", "d.eml"]])
def test_read_only_commands_never_create_a_store(tmp_path, monkeypatch, capsys, argv):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INCIDENTS_DIGEST_FROM", "digest@example.com")
    mistyped = tmp_path / "incidnets.db"
    assert main([*argv, "--db", f"sqlite:///{mistyped}"]) == 2
    assert f"{mistyped}: no store here" in one_line_error(capsys)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.sqlite_only(reason="a read-only file is SQLite's; PostgreSQL grants rights per role")
def test_a_read_only_store_is_exported_without_being_written(tmp_path, db_url, capsys):
    with Store(db_url) as store:
        store.add_article(Article(url="https://wire.example/a", title="A story", text="Text.", published="2026-07-08"))
    db_file = tmp_path / "incidents.db"
    db_file.chmod(0o444)
    before = hashlib.sha256(db_file.read_bytes()).hexdigest()
    assert main(["export", "-", "--db", db_url]) == 0
    assert '"url": "https://wire.example/a"' in capsys.readouterr().out
    assert hashlib.sha256(db_file.read_bytes()).hexdigest() == before


def test_an_empty_file_is_no_store_for_a_reader(tmp_path, capsys):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert main(["export", "-", "--db", f"sqlite:///{empty}"]) == 2
    assert "not an incidents store" in one_line_error(capsys)
    assert empty.read_bytes() == b""


# --- one link at a time ---

HOLD = """
import sys, time
from incidents.store.locks import run_lock
with run_lock(sys.argv[1], "link"):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_second_link_says_another_link_is_running(db_url, store):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, db_url], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        done = subprocess.run([sys.executable, "-m", "incidents.app.cli", "link", "--db", db_url],
                              capture_output=True, text=True, timeout=120)
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    # "(pid N)" on SQLite, "(pid N on HOST)" on PostgreSQL, whose lock holder may be another machine
    assert f"another incidents link (pid {holder.pid}" in done.stderr and "is still working on this store" in done.stderr
