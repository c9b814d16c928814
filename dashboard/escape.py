"""Showing text from the web safely in Streamlit's Markdown.

Streamlit never renders raw HTML unless asked to (and the dashboard never asks), but it
does render Markdown: a title such as `[click](http://evil)` or `**urgent**` would
become a link or bold text. `md()` backslash-escapes every Markdown special character,
so the text shows exactly as written. Use it for every string that came from a page,
a feed or an extraction whenever it goes into `st.markdown`, a caption or a label.
A bare web address in such text may still show as a link (Streamlit's Markdown has
GitHub's autolinks), but such a link always reads as its own address: no text from the
web can hide where a link leads.
"""
from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^&\"'])")
_SPACE = re.compile(r"\s+")
SAFE_SCHEMES = ("http://", "https://")


def md(text: object) -> str:
    """The text as one line of Markdown that renders literally."""
    return _SPECIAL.sub(r"\\\1", _SPACE.sub(" ", str(text or "")).strip())


def safe_url(url: str | None) -> str | None:
    """The URL when it is a web address; None for javascript:, data: and the like."""
    text = (url or "").strip()
    return text if text.lower().startswith(SAFE_SCHEMES) else None
