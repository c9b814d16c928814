"""`incidents export --labelled`: every article a correction labelled, as a labelled story
(the eval README's schema) with the corrected facts as gold, ready for the training corpus."""
from __future__ import annotations

import json

from test_corrections import ALIBABA, AU, KR, corrector, linked  # noqa: F401 - fixtures

from incidents.app.cli import main
from nlp.training.corpus import problems


def labelled(db_url, tmp_path, capsys) -> dict[str, dict]:
    out = tmp_path / "corrections.jsonl"
    assert main(["export", "--labelled", str(out), "--db", db_url]) == 0
    assert capsys.readouterr().out.startswith("exported ")
    return {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}


def test_corrected_articles_are_labelled_stories_with_the_corrections_as_gold(store, linked, corrector, db_url,
                                                                             tmp_path, capsys):
    assert labelled(db_url, tmp_path, capsys) == {}  # nothing corrected, nothing labelled
    corrector.merge(KR, AU)
    corrector.fact_reject(ALIBABA, "allegation", "Anthropic", "Alibaba", None)
    corrector.relevance("a2", False)
    stories = labelled(db_url, tmp_path, capsys)
    assert sorted(stories) == ["a1", "a2", "au", "kr"]
    assert stories["kr"]["incident"] == stories["au"]["incident"] == AU  # the merged articles, under the kept id
    assert [(e["type"], e["actor"], e["target"]) for e in stories["a1"]["events"]] == [("ban", "Alibaba", "Claude Code")]
    assert stories["a2"]["relevant"] is False and stories["a2"]["events"] == [] and stories["a2"]["incident"] is None
    for story in stories.values():
        assert story["split"] == "corrections" and story["published_estimated"] is False
        # the fixture's evidence sentences are made up; everything else is as the corpus wants it
        assert [p for p in problems(story) if "evidence" not in p] == []


def test_a_moved_article_and_a_corrected_party_are_labelled(store, linked, corrector, db_url, tmp_path, capsys):
    corrector.move("a2", to=AU)
    corrector.fact_change(ALIBABA, "ban", "Alibaba", "Claude Code", "2026-07-10", {"actor": "Anthropic"})
    stories = labelled(db_url, tmp_path, capsys)
    assert stories["a2"]["incident"] == AU
    assert ("ban", "Anthropic", "Claude Code", "2026-07-10") in [
        (e["type"], e["actor"], e["target"], e["date"]) for e in stories["a1"]["events"]]
    assert "Anthropic" in [e["name"] for e in stories["a1"]["entities"]]


def test_labelled_export_goes_to_standard_output(store, linked, corrector, db_url, capsys):
    corrector.relevance("au", False)
    assert main(["export", "--labelled", "-", "--db", db_url]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert json.loads(line)["id"] == "au"


def test_export_needs_a_file_or_labelled(db_url, store, capsys):
    assert main(["export", "--db", db_url]) == 2
    assert "name the output file" in capsys.readouterr().err
