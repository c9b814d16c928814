"""Main-text extraction (crawlers/extract.py): the whole article body and nothing else."""
from __future__ import annotations

from pathlib import Path

from crawlers.extract import clean_text, extract_page

FIXTURE = Path(__file__).parent / "fixtures" / "crawl" / "boilerplate_article.html"
SEED = Path(__file__).parent / "fixtures" / "crawl" / "seed-article.txt"  # copy of shared/seed-article.txt


def test_article_page_keeps_every_paragraph_and_drops_the_furniture():
    page = extract_page(FIXTURE.read_text(), "https://harbour.example/2026/07/vendor-cuts-off-api-access")
    paragraphs = page.text.split("\n")
    assert paragraphs[0].startswith("Northwind AI has revoked the API access")
    assert paragraphs[-1].startswith("Lawyers who follow the sector")
    assert len(paragraphs) == 5
    for furniture in ("cookies", "Cookie policy", "newsletter", "Related stories", "Chipmaker posts record",
                      "Great reporting", "mark my words", "Advertisement", "FastHost", "All rights reserved",
                      "Technology", "About us"):
        assert furniture not in page.text


def test_title_date_language_and_canonical_come_from_the_page():
    page = extract_page(FIXTURE.read_text(), "https://harbour.example/2026/07/vendor-cuts-off-api-access")
    assert page.title == "Vendor cuts off partner's API access after scraping row"
    assert page.published == "2026-07-14"
    assert page.language == "en"
    assert page.canonical == "/2026/07/vendor-cuts-off-api-access?utm_source=canonical"
    assert page.is_article


def test_paywall_teaser_and_more_in_block_after_the_story_are_cut():
    lines = SEED.read_text().splitlines()
    text = clean_text("\n".join(lines[3:]))
    assert text.endswith("vendor standards, and board-level scrutiny across the industry.")
    for teaser in ("are locked", "Create a free account", "Register to Unlock", "More in Technology", "KRISS ships"):
        assert teaser not in text


def test_a_page_without_article_text_is_not_an_article():
    page = extract_page("<html><body><nav><a href='/'>Home</a></nav><h1>Technology</h1>"
                        "<ul><li><a href='/a'>One story</a></li><li><a href='/b'>Another</a></li></ul></body></html>")
    assert not page.is_article


def test_empty_or_binary_input_gives_no_article():
    assert not extract_page("").is_article
    assert not extract_page(b"\x00\x01\x02 not markup").is_article
