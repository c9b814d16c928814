"""`incidents export --incidents FILE`: one row per incident, JSON lines or CSV."""
from __future__ import annotations

import csv
import json

from incidents.app.cli import main
from incidents.model import Incident

FORMULA = '=HYPERLINK("http://evil.example","open me")'


def test_one_json_row_per_incident_with_its_facts_once(briefing_store, db_url, tmp_path, capsys):
    out = tmp_path / "incidents.jsonl"
    assert main(["export", "--incidents", str(out), "--db", db_url]) == 0
    assert "exported 4 incidents" in capsys.readouterr().out
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows][0] == "anthropic-deepseek-distillation-2026-06"  # oldest first
    alibaba = next(r for r in rows if r["id"] == "alibaba-bans-claude-code-2026-07")
    bans = [f for f in alibaba["facts"] if f["type"] == "ban"]
    assert len(bans) == 1 and bans[0]["date"] == "2026-07-10"  # two articles, one fact
    assert bans[0]["sources"] == ["https://wire.example/alibaba-bans-claude-code",
                                  "https://kernel.example/alibaba-claude-ban"]
    assert alibaba["actors"] == ["Alibaba"] and alibaba["outlets"] == ["Example Wire", "Kernel Post"]
    assert [s["outlet"] for s in alibaba["sources"]] == ["Example Wire", "Kernel Post"]


def test_csv_for_spreadsheets_never_holds_a_formula(briefing_store, db_url, tmp_path):
    briefing_store.save_incident(Incident("formula-2026-07", FORMULA, "2026-07-03", "breach", ["@evil"], ["-x"],
                                          first_seen="2026-07-03"), [])
    out = tmp_path / "incidents.csv"
    assert main(["export", "--incidents", str(out), "--db", db_url]) == 0
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 5
    formula = next(r for r in rows if r["id"] == "formula-2026-07")
    assert formula["title"] == "'" + FORMULA and formula["actors"] == "'@evil" and formula["targets"] == "'-x"
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values())
    alibaba = next(r for r in rows if r["id"] == "alibaba-bans-claude-code-2026-07")
    assert "ban: Alibaba -> Claude Code (2026-07-10)" in alibaba["facts"]
    assert alibaba["article_count"] == "2"


def test_export_without_a_file_is_one_line(briefing_store, db_url, capsys):
    assert main(["export", "--db", db_url]) == 2
    err = capsys.readouterr().err.strip()
    assert "--incidents" in err and "\n" not in err
