"""Text from the web made safe for where it goes: a terminal or page, an XML file, a spreadsheet.

A page may put anything in a title or a name: right-to-left overrides that make a line
read backwards, escape sequences a terminal obeys, characters XML forbids, or `=HYPERLINK(...)`
that a spreadsheet runs. Each destination has one function here, and every writer uses it.
"""
from __future__ import annotations

import dataclasses
import re
from urllib.parse import urlsplit

__all__ = ["FORMULA_STARTS", "csv_cell", "display_text", "linkable_url", "shown", "terminal_report", "xml_text"]

# Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and marks that
# reorder or hide text, plus C0 and C1 control characters (ESC starts terminal sequences).
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_HIDDEN = re.compile(f"[{_BIDI}{_CONTROL}]")
_LINE_BREAKS = re.compile(r"[\t\n\r\u2028\u2029]+")

# XML 1.0 allows tab, newline and carriage return among the controls, no surrogates, and
# not U+FFFE/U+FFFF; C1 controls are allowed but no reader expects them in a name.
_NOT_XML = re.compile(f"[{_CONTROL}\ud800-\udfff\ufffe\uffff]")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A CSV cell starting with one of these runs as a formula in a spreadsheet."""


def display_text(value: object) -> str:
    """A name or title as one line a terminal, a page or an email shows as written:
    line breaks become spaces; bidi overrides and control characters are dropped."""
    if value is None:
        return ""
    text = str(value)
    if text.isprintable():  # no control, format (bidi) or line-separator character: nothing to do
        return text
    return _HIDDEN.sub("", _LINE_BREAKS.sub(" ", text))


def terminal_report(text: str) -> str:
    """A stage's report for the terminal: each line as `display_text` shows it (reports name
    URLs and reasons a page wrote: a feed entry's bidi override must not reorder the line)."""
    return "\n".join(display_text(line) for line in text.splitlines())


def shown(value):
    """`display_text` applied to every string inside a value: rows (dicts), lists, tuples and
    dataclasses (e.g. a briefing and its cards) come back as copies, the rest unchanged."""
    if isinstance(value, str):
        return display_text(value)
    # an item that is a plain string is escaped in place: a dashboard's first read escapes
    # 10,000 rows, and a call per cell was a third of it
    if isinstance(value, dict):
        return {k: display_text(v) if v.__class__ is str else shown(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if hasattr(value, "_fields"):
            return value
        items = [display_text(v) if v.__class__ is str else shown(v) for v in value]
        return items if value.__class__ is list else type(value)(items)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: shown(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    return value


_NOT_IN_LINKS = frozenset("<>\"'`\\")
"""Characters that could close an attribute or a Markdown link around a URL."""


def linkable_url(url: str | None) -> str | None:
    """The URL when a page or an email may link to it, else None: the only test of that.

    A link must be http(s) with a host, and hold no space, control character, quote,
    angle bracket or backslash (which could break out of an `href` or a Markdown link):
    `javascript:`, `data:` and the like never become links.

    >>> linkable_url(" https://a.example/x?y=1 "), linkable_url("javascript:alert(1)"), linkable_url("https://a.example/<b>")
    ('https://a.example/x?y=1', None, None)
    """
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:  # a malformed address, e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    if any(ord(c) < 33 or c in _NOT_IN_LINKS for c in text):
        return None
    return text


def xml_text(value: str) -> str:
    """The text without the characters an XML 1.0 document may not hold."""
    return _NOT_XML.sub("", value)


def csv_cell(value: object) -> object:
    """A CSV cell: lists joined with "; ", and text defused against spreadsheet formulas.

    Examples
    --------
    >>> csv_cell('=HYPERLINK("http://evil","click")')
    '\\'=HYPERLINK("http://evil","click")'
    >>> csv_cell(["Alibaba", "Anthropic"])
    'Alibaba; Anthropic'
    >>> csv_cell(-3)
    -3
    """
    if isinstance(value, (list, tuple)):
        value = "; ".join(" ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v) for v in value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
