"""The command line: the commands CONTRACT.md promises, and one-line errors with status 2."""
import json
import subprocess
import sys

import pytest

from incidents.app.cli import build_parser, main
from incidents.store import Store

CONTRACT_COMMANDS = ("demo", "crawl", "ingest", "extract", "link", "run", "export", "graph", "dashboard", "digest")


def test_help_lists_every_contract_command():
    result = subprocess.run([sys.executable, "-m", "incidents.app.cli", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for name in CONTRACT_COMMANDS:
        assert f"    {name}" in result.stdout


@pytest.mark.parametrize("name", CONTRACT_COMMANDS)
def test_every_command_takes_db(name):
    parser = build_parser()
    required = {"crawl": ["--sources", "x.toml"], "run": ["--sources", "x.toml"], "ingest": ["f.jsonl"],
                "export": ["-"]}
    args = parser.parse_args([name, "--db", "sqlite:///x.db", *required.get(name, [])])
    assert args.db == "sqlite:///x.db"


def test_unreadable_input_is_one_line_and_status_2(tmp_path, capsys, db_url):
    status = main(["ingest", str(tmp_path / "missing.jsonl"), "--db", db_url])
    err = capsys.readouterr().err.strip()
    assert status == 2
    assert "missing.jsonl" in err and "\n" not in err and "Traceback" not in err


def test_bad_database_url_is_a_clear_error(capsys):
    assert main(["export", "-", "--db", "not a url"]) == 2
    assert "not a database URL" in capsys.readouterr().err


def test_ingest_then_export_round_trips_ids(tmp_path, capsys, db_url):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "x1", "url": "https://news.example/a?utm_source=feed",
                                  "title": "T", "text": "Body.", "published": "2026-07-08"}) + "\n")
    assert main(["ingest", str(source), "--db", db_url]) == 0
    out = tmp_path / "out.jsonl"
    assert main(["export", str(out), "--db", db_url]) == 0
    row = json.loads(out.read_text())
    assert row["id"] == "x1"
    assert row["url"] == "https://news.example/a"
    assert row["published"] == "2026-07-08"


@pytest.mark.parametrize("before", [True, False], ids=["before-command", "after-command"])
def test_db_and_config_count_on_either_side_of_the_command(tmp_path, capsys, before):
    db = f"sqlite:///{tmp_path / 'chosen.db'}"
    config = tmp_path / "incidents.toml"
    config.write_text(f'db = "{db}"\n')
    Store(db).close()  # export only reads: it answers "no store here" for any other path
    argv = ["export", str(tmp_path / "out.jsonl")]
    argv = ["--config", str(config), *argv] if before else [*argv, "--config", str(config)]
    assert main(argv) == 0
    assert (tmp_path / "chosen.db").exists()
