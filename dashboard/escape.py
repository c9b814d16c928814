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


def md(text: object) -> str:
    """The text as one line of Markdown that renders literally (nothing for None or a
    missing value, never "nan")."""
    if text is None or text != text:  # NaN, as pandas gives a missing text
        return ""
    return _SPECIAL.sub(r"\\\1", _SPACE.sub(" ", str(text)).strip())
