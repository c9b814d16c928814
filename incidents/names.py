"""Comparing and listing the names of parties: one key per name, one way to list several."""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["name_key", "name_list"]

LISTED = 3
"""Names a list spells out; beyond this it ends "and N others"."""


@lru_cache(maxsize=1 << 16)  # the same few thousand names are compared again and again
def name_key(name: str | None) -> str:
    """A comparison key for a canonical name: case, possessive and spacing ignored.

    >>> name_key("Alibaba's"), name_key("  OpenAI,  Inc. ")
    ('alibaba', 'openai inc')
    """
    text = (name or "").casefold().replace("\u2019", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def name_list(names: list[str], most: int = LISTED) -> str:
    """Names as a reader lists them.

    >>> name_list(["A"]), name_list(["A", "B"]), name_list(["A", "B", "C"]), name_list(["A", "B", "C", "D"])
    ('A', 'A and B', 'A, B and C', 'A, B and 2 others')
    """
    names = list(dict.fromkeys(n for n in names if n))
    if len(names) <= 1:
        return "".join(names)
    if len(names) <= most:
        return f"{', '.join(names[:-1])} and {names[-1]}"
    shown = names[:most - 1]
    return f"{', '.join(shown)} and {len(names) - len(shown)} others"
