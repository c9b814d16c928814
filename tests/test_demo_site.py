"""The bundled sample news web: served per outlet on loopback, and a corpus worth crawling."""
from __future__ import annotations

import json
import tomllib
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

import pytest
from markupsafe import escape

from incidents.app.demo_site import SAMPLE_WEB_DIR, serve_sample_web
from incidents.errors import IncidentsError

OUTLETS = {"circuit_wire", "byteledger", "relay_dispatch", "kernel_post"}


@pytest.fixture(scope="module")
def web():
    with serve_sample_web() as running:
        yield running


@pytest.fixture(scope="module")
def stories() -> dict:
    with (SAMPLE_WEB_DIR / "stories.toml").open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((SAMPLE_WEB_DIR / "manifest.json").read_text(encoding="utf-8"))


def fetch(url: str, headers: dict | None = None):
    """(status, headers, body text) of a GET, with 3xx/4xx returned rather than raised."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, ""


def test_each_outlet_is_its_own_site_on_loopback(web):
    assert set(web.base_urls) == OUTLETS
    assert len(set(web.base_urls.values())) == len(OUTLETS)
    for url in web.base_urls.values():
        assert url.startswith("http://127.0.0.1:")
        status, _, robots = fetch(url + "/robots.txt")
        assert status == 200 and "Disallow: /private/" in robots


def test_rss_feed_is_served_with_real_links_and_tracking_parameters(web):
    base = web.base_urls["circuit_wire"]
    status, headers, body = fetch(base + "/feed.xml")
    assert status == 200
    assert headers["Content-Type"] == "application/rss+xml"
    assert "__BASE__" not in body
    assert f"<link>{base}/2026/07/08/alibaba-bans-claude-code.html?utm_source=rss" in body


def test_atom_feed_and_sitemap_index_get_their_xml_types(web):
    status, headers, body = fetch(web.base_urls["byteledger"] + "/atom.xml")
    assert status == 200 and headers["Content-Type"] == "application/atom+xml"
    assert "<feed" in body
    status, headers, body = fetch(web.base_urls["relay_dispatch"] + "/sitemap_index.xml")
    assert status == 200 and headers["Content-Type"] == "application/xml"
    assert f"<loc>{web.base_urls['relay_dispatch']}/sitemaps/articles-2026.xml</loc>" in body
    assert "<lastmod>" in body


def test_article_page_names_its_canonical_url_on_the_serving_port(web):
    base = web.base_urls["circuit_wire"]
    url = base + "/2026/07/08/alibaba-bans-claude-code.html"
    status, headers, body = fetch(url + "?utm_source=rss&utm_medium=feed")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert f'<link rel="canonical" href="{url}">' in body
    assert '<time datetime="2026-07-08T09:00:00Z">' in body
    assert "takes effect on Friday, 10 July" in body


def test_unchanged_page_answers_conditional_requests_with_304(web):
    url = web.base_urls["byteledger"] + "/atom.xml"
    status, headers, _ = fetch(url)
    assert status == 200
    etag, last_modified = headers["ETag"], headers["Last-Modified"]
    assert fetch(url, {"If-None-Match": etag})[0] == 304
    assert fetch(url, {"If-Modified-Since": last_modified})[0] == 304
    assert fetch(url, {"If-None-Match": '"stale"'})[0] == 200
    assert fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200


def test_missing_pages_and_paths_outside_the_outlet_are_404(web):
    base = web.base_urls["kernel_post"]
    assert fetch(base + "/tech/2026/11/no-such-story.html")[0] == 404
    assert fetch(base + "/../circuit_wire/feed.xml")[0] == 404
    assert fetch(base + "/%2e%2e/stories.toml")[0] == 404


def test_section_page_paginates_and_links_a_robots_disallowed_page(web):
    base = web.base_urls["kernel_post"]
    _, _, page_one = fetch(base + "/tech/")
    assert f'<link rel="next" href="{base}/tech/page/2/">' in page_one
    assert f"{base}/private/2026/11/embargoed-chip-results.html" in page_one
    status, _, page_two = fetch(base + "/tech/page/2/")
    assert status == 200 and f"{base}/tech/20" in page_two


def test_sources_file_names_every_outlet_with_an_entry_point_on_its_port(web):
    with open(web, "rb") as handle:
        sources = tomllib.load(handle)["sources"]
    assert len(sources) == len(OUTLETS)
    for source in sources:
        entry_points = source.get("feeds", []) + source.get("sitemaps", []) + source.get("start_urls", [])
        assert source["name"] and entry_points
        for url in entry_points:
            assert any(url.startswith(base) for base in web.base_urls.values())
            assert fetch(url)[0] == 200


def test_sources_template_with_an_unknown_outlet_is_a_clear_error(tmp_path):
    outlet = tmp_path / "only_outlet"
    outlet.mkdir()
    (outlet / "robots.txt").write_text("User-agent: *\n")
    (tmp_path / "sources.toml.in").write_text('[[sources]]\nname = "X"\nfeeds = ["{missing_outlet}/feed.xml"]\n')
    with pytest.raises(IncidentsError, match="missing_outlet"):
        with serve_sample_web(tmp_path):
            pass


def test_corpus_has_enough_articles_outlets_and_off_topic_stories(stories):
    articles = stories["articles"]
    assert len(articles) >= 40
    assert {a["outlet"] for a in articles} == OUTLETS == set(stories["outlets"])
    off_topic = [a for a in articles if not a.get("incident") and not a.get("syndicated_from")]
    assert len(off_topic) >= 8


def test_each_incident_is_told_by_two_outlets_in_different_words(stories):
    by_incident = defaultdict(list)
    for article in stories["articles"]:
        if article.get("incident"):
            by_incident[article["incident"]].append(article)
    assert set(by_incident) == {i["id"] for i in stories["incidents"]}
    assert len(by_incident) >= 8
    for incident, told in by_incident.items():
        assert len({a["outlet"] for a in told}) >= 2, incident
        assert len({a["headline"] for a in told}) == len(told), incident
        assert len({a["body"] for a in told}) == len(told), incident


def test_manifest_matches_the_committed_pages(manifest, stories):
    assert len(manifest["articles"]) == len(stories["articles"])
    for entry in manifest["articles"]:
        page = SAMPLE_WEB_DIR / entry["outlet"] / entry["path"].lstrip("/")
        assert page.is_file(), page
        assert str(escape(entry["headline"])) in page.read_text(encoding="utf-8")
    syndicated = [a for a in manifest["articles"] if a["syndicated_from"]]
    assert syndicated and all(a["incident"] for a in syndicated)
