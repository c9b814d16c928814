"""`incidents ingest FILE.jsonl`: good lines stored, bad lines reported by number and skipped."""
from __future__ import annotations

import json
from pathlib import Path

from incidents.app.cli import main
from incidents.store import Store

BOILERPLATE_PAGE = Path(__file__).parent / "fixtures" / "crawl" / "boilerplate_article.html"


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ingest_stores_good_lines_and_reports_bad_ones_by_number(tmp_path, db_url, capsys):
    source = write_lines(tmp_path / "articles.jsonl", [
        json.dumps({"id": "a001", "url": "https://wire.example/2026/07/ban?utm_source=x", "outlet": "Example Wire",
                    "title": "Alibaba bans Claude Code", "text": "Alibaba has banned Claude Code.", "published": "2026-07-08"}),
        "this is not json",
        json.dumps({"title": "a story without a url", "text": "..."}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"url": "https://harbour.example/2026/07/vendor", "html": BOILERPLATE_PAGE.read_text()}),
        json.dumps({"url": "https://c.example/1", "text": "x", "published": "last Tuesday"}),
        json.dumps({"url": "https://wire.example/2026/07/ban", "text": "The same story again."}),
    ])
    assert main(["ingest", str(source), "--db", db_url]) == 2  # stored what it could, and says some were bad
    out, err = capsys.readouterr()
    assert f"{source}: 2 stored, 1 already stored, 4 bad lines" in out
    for number, problem in ((2, "not JSON"), (3, "no url"), (5, "not a JSON object"), (7, "is not an ISO date")):
        assert any(line.startswith(f"{source}:{number}: skipped: ") and problem in line for line in err.splitlines()), err

    with Store(db_url) as store:
        articles = {a.url: a for batch in store.iter_articles() for a in batch}
    assert set(articles) == {"https://wire.example/2026/07/ban", "https://harbour.example/2026/07/vendor"}
    ban = articles["https://wire.example/2026/07/ban"]
    assert (ban.ext_id, ban.outlet, ban.published, ban.text) == ("a001", "Example Wire", "2026-07-08", "Alibaba has banned Claude Code.")


def test_ingested_html_goes_through_the_crawlers_extraction(tmp_path, db_url):
    source = write_lines(tmp_path / "html.jsonl", [
        json.dumps({"url": "https://harbour.example/2026/07/vendor", "html": BOILERPLATE_PAGE.read_text()})])
    assert main(["ingest", str(source), "--db", db_url]) == 0
    with Store(db_url) as store:
        article = store.get_article(1)
    assert article.title == "Vendor cuts off partner's API access after scraping row"
    assert article.published == "2026-07-14"
    assert article.text.startswith("Northwind AI has revoked the API access")
    assert "cookies" not in article.text and "newsletter" not in article.text and "Great reporting" not in article.text


def test_an_unreadable_file_is_one_line_and_exit_2(tmp_path, db_url, capsys):
    assert main(["ingest", str(tmp_path / "missing.jsonl"), "--db", db_url]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "missing.jsonl: cannot read" in err[0]
