"""Comparing and listing the names of parties: one key per name, one way to list several.

Each outlet names a party its own way: "U.S. Navy", "US Navy" and "the Navy";
"StackOverflow" and "Stack Overflow"; "Glenn Youngkin" and "Youngkin". Two name keys may
name one party (`names_one_party`) when they are

- the same letters, spacing and punctuation aside (``u s navy`` and ``us navy``), or
- the same name with words in front (``navy`` within ``us navy``, ``youngkin`` within
  ``glenn youngkin``): a shorter name, as outlets shorten on second mention.

A qualifier that differs keeps parties apart ("Italian Navy" is not the "US Navy"); a short
name that several distinct parties end with stays apart from all of them
(`canonical_names`). The linker compares an article with an incident this way.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["canonical_names", "filing_key", "name_key", "name_list", "names_one_party"]

LISTED = 3
"""Names a list spells out; beyond this it ends "and N others"."""

SHORTEST_ALIAS = 3
"""A shorter name must have this many letters to stand for a longer one ("AI" never does)."""


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


def compact(key: str) -> str:
    """A name key without its spaces: ``u s navy`` and ``us navy`` give ``usnavy``.

    >>> compact("stack overflow"), compact("u s navy")
    ('stackoverflow', 'usnavy')
    """
    return key.replace(" ", "")


def filing_key(key: str) -> str:
    """What every name that may name one party with `key` ends with: the last SHORTEST_ALIAS
    letters of its compacted form, so an index filed under it finds every alias.

    >>> filing_key("u s navy"), filing_key("navy"), filing_key("stack overflow")
    ('avy', 'avy', 'low')
    """
    return compact(key)[-SHORTEST_ALIAS:]


@lru_cache(maxsize=1 << 16)
def names_one_party(short: str, full: str) -> bool:
    """Whether two name keys may name one party: the same once compacted, or the first
    is the last words of the second.

    >>> names_one_party("navy", "us navy"), names_one_party("youngkin", "glenn youngkin")
    (True, True)
    >>> names_one_party("italian navy", "us navy"), names_one_party("ai", "meta ai")
    (False, False)
    """
    if not short or not full:
        return False
    if compact(short) == compact(full):
        return True
    words, longer = short.split(), full.split()
    return (len(compact(short)) >= SHORTEST_ALIAS and len(words) < len(longer)
            and longer[-len(words):] == words)


def canonical_names(keys: Iterable[str]) -> dict[str, str]:
    """Each name key mapped to the one name its party goes by among `keys` (the longest).

    A short name joins the longer ones it may stand for only when those are one party
    themselves; otherwise it stays apart.

    >>> names = canonical_names(["navy", "us navy", "u s navy", "youngkin", "glenn youngkin"])
    >>> names["navy"], names["us navy"], names["youngkin"]
    ('u s navy', 'u s navy', 'glenn youngkin')
    >>> canonical_names(["navy", "us navy", "italian navy"])["navy"]
    'navy'
    """
    keys = sorted({k for k in keys if k})
    root = {k: k for k in keys}

    def find(k: str) -> str:
        while root[k] != k:
            root[k] = root[root[k]]
            k = root[k]
        return k

    for short in keys:
        partners = [k for k in keys if k != short and names_one_party(short, k)]
        if not all(_one_party(a, b) for i, a in enumerate(partners) for b in partners[i + 1:]):
            continue
        for k in partners:
            a, b = find(short), find(k)
            if a != b:
                keep, drop = sorted((a, b), key=_preference)
                root[drop] = keep
    return {k: find(k) for k in keys}


def _one_party(a: str, b: str) -> bool:
    return names_one_party(a, b) or names_one_party(b, a)


def _preference(key: str) -> tuple:
    """The name a party goes by: the fullest one."""
    return (-len(key.split()), -len(key), key)
