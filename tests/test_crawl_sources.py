"""The sources file (CONTRACT.md): what a good one gives the crawler, and one clear line for a bad one."""
from __future__ import annotations

import subprocess
import sys

import pytest

from crawlers.sources import load_sources
from incidents.errors import IncidentsError

GOOD = r'''
[[sources]]
name = "Example Wire"
feeds = ["https://example.com/feed.xml"]
sitemaps = ["https://example.com/sitemap.xml"]
start_urls = ["https://example.com/tech/"]
allow = ["/20\\d\\d/"]

[[sources]]
name = "Only Sitemaps"
sitemaps = ["https://sitemaps.example/sitemap_index.xml"]
'''


def write(tmp_path, text: str):
    path = tmp_path / "sources.toml"
    path.write_text(text)
    return path


def test_a_good_file_gives_every_source_with_its_allow_patterns(tmp_path):
    wire, sitemaps_only = load_sources(write(tmp_path, GOOD))
    assert wire.name == "Example Wire"
    assert wire.feeds == ("https://example.com/feed.xml",)
    assert wire.start_urls == ("https://example.com/tech/",)
    assert wire.allows("https://example.com/2026/07/story.html")
    assert not wire.allows("https://example.com/about/")
    assert sitemaps_only.allows("https://sitemaps.example/anything")  # no allow: every link


@pytest.mark.parametrize("text, problem", [
    ('[[sources]]\nfeeds = ["https://a.example/feed"]\n', "[[sources]] #1: needs a name"),
    ('[[sources]]\nname = "A"\nallow = ["/x/"]\n', "[[sources]] #1 (A): needs at least one of feeds, sitemaps, start_urls"),
    ('[[sources]]\nname = "A"\nfeeds = ["https://a.example/feed"]\nallow = ["/20(\\\\d/"]\n', "(A): allow: bad regex '/20(\\\\d/'"),
    ('[[sources]]\nname = "A"\nfeeds = ["ftp://a.example/feed"]\n', "(A): feeds: 'ftp://a.example/feed' is not an http(s) URL"),
    ('[[sources]]\nname = "A"\nfeed = ["https://a.example/feed"]\n', "(A): unknown key 'feed'"),
    ('[[sources]]\nname = "A"\nfeeds = "https://a.example/feed"\nsitemaps = [1]\n', "(A): sitemaps: expected a list of strings"),
    ('[[sources]]\nname = "A"\nfeeds = ["https://a.example/f"]\n[[sources]]\nname = "A"\nfeeds = ["https://a.example/g"]\n',
     "source name 'A' appears more than once"),
    ('title = "no sources here"\n', "no [[sources]] entries"),
    ('[[sources]\nname = "A"\n', "not valid TOML"),
])
def test_a_bad_entry_is_named_with_the_file_and_the_problem(tmp_path, text, problem):
    path = write(tmp_path, text)
    with pytest.raises(IncidentsError) as caught:
        load_sources(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert problem in str(caught.value)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(IncidentsError, match="nowhere.toml: cannot read sources file"):
        load_sources(tmp_path / "nowhere.toml")


def test_crawl_command_exits_2_with_one_line_for_a_bad_sources_file(tmp_path):
    path = write(tmp_path, '[[sources]]\nname = "A"\n')
    result = subprocess.run(
        [sys.executable, "-m", "incidents.app.cli", "crawl", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--sources", str(path)],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"incidents: error: {path}: [[sources]] #1 (A): needs at least one of feeds, sitemaps, start_urls"]
