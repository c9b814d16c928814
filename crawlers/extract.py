"""Main text, title, date, language and canonical link of a news page.

trafilatura finds the article body (precision settings, comments off); the checks here then
drop what it still lets through on news sites: cookie and newsletter notices, paywall
teasers, share prompts, and a trailing "More in ..." or "Related" block of other headlines.
The crawler's ExtractPipeline and `incidents ingest` both call `extract_page`; the spider
turns a page's bytes into text with `decode_page`, which sees through a wrong charset label.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import datetime, timezone

import trafilatura
from lxml import html as lxml_html

from incidents.model import parse_published

MIN_ARTICLE_WORDS = 40
"""A page with fewer words of body text is not an article (section page, stub, error page)."""

BOILERPLATE_LINE = re.compile(
    r"""(
        \bwe\ use\ cookies\b | \bthis\ (web)?site\ uses\ cookies\b | \baccept\ (all\ )?cookies\b
      | \bcookie\ (policy|settings|preferences|consent)\b | \bmanage\ (your\ )?consent\b
      | \b(sign\ up|subscribe)\ (for|to)\ (our|the)\ [\w\s]{0,20}newsletter\b | ^\s*subscribe\ now\b
      | \bget\ (our|the)\ [\w\s]{0,20}newsletter\b | \bdelivered\ to\ your\ inbox\b
      | \bcreate\ a\ free\ account\b | \bregister\ to\ unlock\b | \bare\ locked\.?$ | \bsubscribe\ to\ (read|continue|unlock)\b
      | \blog\ ?in\ to\ (continue|read)\b | \bsubscribers?\ only\b | \bjoin\ the\ club\b
      | ^\s*share\ (this|on)\b | ^\s*(advertisement|sponsored(\ content)?|skip\ to\ (main\ )?content)\s*$
      | ^\s*(read|see)\ (more|also)\s*: | ^\s*(click|tap)\ here\ to\b
      | \ball\ rights\ reserved\b | ^\s*(©|copyright\b)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
"""A line of page furniture that trafilatura sometimes keeps with the body."""

TRAILING_BLOCK = re.compile(
    r"""^\s*(more\ (in|from|on)\b.{0,40} | related(\ (articles|stories|coverage|reading))?
          | read\ next | you\ (may|might)\ also\ like | recommended(\ for\ you)? | most\ read
          | (latest|top)\ stories | comments?(\ \(\d+\))? | \d+\ comments?)\s*:?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
"""A heading after which the rest of the page is other stories or reader comments."""

XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

SINGLE_BYTE_LABELS = frozenset({"ascii", "iso8859-1", "iso8859-15", "cp1252"})
"""Charsets (Python's names for them) that servers and templates declare by default, often
for pages whose bytes are really UTF-8."""

ENGLISH_WORDS = frozenset(
    "the of and to in a is that for it on was with as by at from are be has have this an "
    "its were which said after their but not they been will or had would".split())


@dataclass
class ExtractedPage:
    title: str | None
    text: str | None
    published: str | None
    canonical: str | None
    language: str | None
    published_time: str | None = None  # UTC ISO datetime when the markup gives the time of day
    refused_date: str | None = None  # a date the page gave that is out of range, dropped

    @property
    def word_count(self) -> int:
        return len(self.text.split()) if self.text else 0

    @property
    def is_article(self) -> bool:
        return self.word_count >= MIN_ARTICLE_WORDS


def extract_page(html: str | bytes, url: str | None = None, *, language_hint: str | None = None) -> ExtractedPage:
    """The article in a page: title, body without page furniture, date, language, canonical link."""
    if isinstance(html, str):
        html = XML_DECLARATION.sub("", html, count=1)  # lxml refuses str with an encoding declaration
    try:
        tree = lxml_html.document_fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):  # empty or not markup at all
        return ExtractedPage(None, None, None, None, None)
    # Read the head before trafilatura, which prunes the tree it is given.
    canonical, language = _canonical_link(tree), _declared_language(tree, language_hint)
    published_time = _published_time(tree)
    doc = trafilatura.bare_extraction(
        tree, url=url, include_comments=False, include_tables=False, favor_precision=True,
        with_metadata=True, date_extraction_params={"original_date": True, "extensive_search": False},
    )
    if doc is None:
        published_time, refused = _sane(published_time)
        return ExtractedPage(None, None, None, canonical, language, published_time, refused)
    text = clean_text(doc.text or "", doc.title)
    published, refused = _sane(doc.date)
    published_time, refused_time = _sane(published_time)
    return ExtractedPage(
        title=(doc.title or "").strip() or None,
        text=text or None,
        published=published,
        canonical=canonical,
        language=language or guess_language(text),
        published_time=published_time,
        refused_date=refused or refused_time,
    )


def _sane(value: str | None) -> tuple[str | None, str | None]:
    """(the date if in range, else None; the date if it was refused as out of range)."""
    if not value or parse_published(value) is not None:
        return value, None
    return None, value if re.match(r"\d{4}-\d\d-\d\d", value) else None


def decode_page(body: bytes, declared_encoding: str | None) -> str:
    """The text of a page's bytes, in the encoding it really uses (`page_encoding`)."""
    return body.decode(page_encoding(body, declared_encoding), errors="replace")


def page_encoding(body: bytes, declared_encoding: str | None) -> str:
    """The declared encoding, unless it is a single-byte default (latin-1, cp1252, ASCII)
    and the bytes are valid UTF-8 with non-ASCII characters: then the label lies (a server
    default over a UTF-8 page), as real latin-1 text almost never forms valid UTF-8."""
    try:
        declared = codecs.lookup(declared_encoding or "utf-8").name
    except LookupError:  # a label Python does not know: UTF-8 is the web's default
        return "utf-8"
    if declared in SINGLE_BYTE_LABELS and not body.isascii() and _is_utf8(body):
        return "utf-8"
    return declared


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def clean_text(text: str, title: str | None = None) -> str:
    """The body without furniture lines, a repeated title, or a trailing block of other stories."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if title and lines and lines[0].casefold() == title.strip().casefold():
        lines = lines[1:]
    cut = _trailing_block_start(lines)
    return "\n".join(line for line in lines[:cut] if not BOILERPLATE_LINE.search(line))


def _trailing_block_start(lines: list[str]) -> int:
    # Only in the second half: "Related" early in a story is more likely a sentence than a block.
    for index in range(len(lines) // 2, len(lines)):
        if TRAILING_BLOCK.match(lines[index]):
            return index
    return len(lines)


def _canonical_link(tree) -> str | None:
    for href in tree.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content"):
        if href.strip():
            return href.strip()
    return None


PUBLISHED_TIME_XPATH = (
    "//meta[@property='article:published_time' or @name='date' or @name='pubdate' or @name='publishdate'"
    " or @itemprop='datePublished']/@content | //*[@itemprop='datePublished']/@datetime | //time/@datetime")


def _published_time(tree) -> str | None:
    """The publication instant from the markup, for telling which of two copies came first."""
    candidates = list(tree.xpath(PUBLISHED_TIME_XPATH))
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        candidates += re.findall(r'"datePublished"\s*:\s*"([^"]+)"', script)
    for value in candidates:
        if "T" in value or " " in value.strip():
            try:
                moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                continue
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            return moment.astimezone(timezone.utc).isoformat(timespec="seconds")
    return None


def _declared_language(tree, hint: str | None) -> str | None:
    declared = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or hint
    if not declared:
        values = tree.xpath("//meta[@http-equiv='content-language']/@content | //meta[@property='og:locale']/@content")
        declared = values[0] if values else None
    code = re.split(r"[-_,;\s]", declared.strip().lower())[0] if declared else ""
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


def guess_language(text: str) -> str | None:
    """'en' when English function words are common enough; None when unsure (no detector bundled)."""
    words = re.findall(r"[a-z]+", text.lower())
    if len(words) < 20:
        return None
    share = sum(word in ENGLISH_WORDS for word in words) / len(words)
    return "en" if share >= 0.15 else None
