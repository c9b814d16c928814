"""Charset lies: a page labelled latin-1 (or cp1252, ISO-8859-1, ASCII) whose bytes are UTF-8
is read as UTF-8, so its text is stored right rather than as mojibake; an honest single-byte
page keeps its label."""
from __future__ import annotations

import pytest
from crawl_site import article_page, article_text
from scrapy.http import HtmlResponse

from crawlers.extract import decode_page, extract_page, page_encoding

TITLE = "Zürich regulator fines “Café AI” — €2m for hidden tracking"


def utf8_page_labelled(charset: str) -> bytes:
    return article_page(TITLE, article_text(21), charset=charset).encode("utf-8")


@pytest.mark.parametrize("label", ["latin-1", "ISO-8859-1", "iso8859_1", "cp1252", "windows-1252", "us-ascii"])
def test_utf8_bytes_under_a_single_byte_label_are_read_as_utf8(label):
    text = decode_page(utf8_page_labelled(label), label)
    assert TITLE in text
    assert "Ã" not in text and "â€" not in text  # the mojibake the old crawler stored


@pytest.mark.parametrize("header", ["text/html; charset=iso-8859-1", "text/html; charset=windows-1252"])
def test_a_page_whose_header_lies_is_extracted_with_the_right_title_and_text(header):
    body = utf8_page_labelled("iso-8859-1")  # the meta tag lies too
    response = HtmlResponse("https://harbour.example/2026/07/zurich-fine.html", body=body,
                            headers={"Content-Type": header})
    page = extract_page(decode_page(response.body, response.encoding), response.url)
    assert page.is_article
    assert page.title.startswith("Zürich regulator fines “Café AI” — €2m")


def test_an_honest_cp1252_page_keeps_its_label():
    body = article_page("Vendor’s “ban” on café chains", article_text(22), charset="windows-1252").encode("cp1252")
    assert page_encoding(body, "windows-1252") == "cp1252"
    assert "Vendor’s “ban” on café chains" in decode_page(body, "windows-1252")


def test_an_honest_latin1_page_keeps_its_label():
    body = "<p>Le régulateur a infligé une amende à la société.</p>".encode("latin-1")
    assert decode_page(body, "iso-8859-1") == "<p>Le régulateur a infligé une amende à la société.</p>"


def test_other_labels_and_unknown_ones():
    body = "Zürich".encode("utf-8")
    assert page_encoding(body, "utf-8") == "utf-8"
    assert page_encoding(body, None) == "utf-8"
    assert page_encoding(body, "no-such-charset") == "utf-8"
    assert page_encoding("Zürich".encode("shift_jis", errors="replace"), "shift_jis") == "shift_jis"
