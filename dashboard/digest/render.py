"""Jinja2 rendering of the digest: HTML with autoescape, plain text with nothing dangerous.

Every value a template prints goes through `clean_text` first (Jinja's `finalize`): control
characters and bidirectional overrides from web text are removed and runs of whitespace,
newlines included, become one space, so a title cannot forge lines, headers or terminal
escapes. The HTML environment then escapes what it prints.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from incidents.event_types import label as event_label
from incidents.model import parse_published

TEMPLATES = Path(__file__).resolve().parent / "templates"

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]+")
"""C0 and C1 controls (ANSI escapes start with one) and the bidirectional text overrides."""


def clean_text(value):
    """A printable one-line string; Markup the templates built themselves passes through."""
    if isinstance(value, Markup) or value is None:
        return "" if value is None else value
    if not isinstance(value, str):
        return value
    return " ".join(_UNSAFE.sub(" ", value).split())


def nice_date(value: str | date | None) -> str:
    """`2026-07-10` -> `10 Jul 2026`; a month-only `2026-07` -> `Jul 2026`; anything else as given."""
    if isinstance(value, date):
        return value.strftime("%-d %b %Y")
    if value and len(value) == 7 and value[4] == "-":
        day = parse_published(value + "-01")
        return day.strftime("%b %Y") if day else value
    day = parse_published(value)
    return day.strftime("%-d %b %Y") if day else (value or "")


@lru_cache(maxsize=2)
def environment(html: bool) -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=html, finalize=clean_text,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters.update(event_label=event_label, nice_date=nice_date, clean=clean_text)
    return env


def render_html(context: dict) -> str:
    return environment(True).get_template("digest.html.j2").render(context)


def render_text(context: dict) -> str:
    return environment(False).get_template("digest.txt.j2").render(context)
