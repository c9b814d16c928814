"""Lists of parties: "A, B and C", "seven firms: A, B, C", "apps such as A and B",
"including A and B". Every item of a list is a party of its own (the labelling rule: one
event per named actor-target pair), so what the text says of one item it says of all.

Two mechanisms, both from the dependency parse, none about a phrasing:
- `is_list_item`: a token that is an item of a list, to be proposed as a party even when
  the entity model left it unlabelled (it misses many app and firm names inside lists);
- `spread_over_lists`: once an event is decided for one item, the same event for the
  other items of the same list (same type, sentence and other party) is decided too.
"""
from __future__ import annotations

from spacy.tokens import Token

LIST_DEPS = ("conj", "appos")
LIST_PREPS = ("including", "as", "like")  # "including A", "such as A", "like A"
MAX_CLIMB = 12


def is_list_item(tok: Token) -> bool:
    """An item of a list (its first one too) or an apposition, or the object of
    "including"/"such as"/"like"."""
    return (tok.dep_ in LIST_DEPS or tok.dep_ == "pobj" and tok.head.lower_ in LIST_PREPS
            or any(c.dep_ == "conj" for c in tok.children))


def list_root(tok: Token) -> int:
    """The token index every item of tok's list shares: the list's first item, or the
    noun the list hangs from ("seven firms: A, B"; "apps such as A and B")."""
    for _ in range(MAX_CLIMB):
        if tok.dep_ in LIST_DEPS and tok.head != tok:
            tok = tok.head
        elif tok.dep_ == "pobj" and tok.head.lower_ in LIST_PREPS and tok.head.head != tok.head:
            tok = tok.head.head
        else:
            break
    return tok.i


def spread_over_lists(decided: set[tuple], rows: list[dict]) -> set[tuple]:
    """The decided (type, actor, target, sentence) keys, and every candidate whose target
    (or actor) is in the same list as a decided event's, with the same type, sentence and
    other party."""
    by_list: dict[tuple, list[tuple]] = {}
    for row in rows:
        for group in list_groups(row):
            by_list.setdefault(group, []).append(row_key(row))
    spread = set(decided)
    for row in rows:
        if row_key(row) in decided:
            for group in list_groups(row):
                spread.update(by_list.get(group, ()))
    return spread


def list_groups(row: dict) -> list[tuple]:
    """The lists a candidate shares with others: its target's list (same type, sentence and
    actor) and its actor's (same type, sentence and target). A party found only by the
    rules (no token of its own) is in no list."""
    groups = []
    if row.get("tlist") is not None:
        groups.append(("target", row["type"], row["sent_start"], row["actor"], row["tlist"]))
    if row.get("alist") is not None:
        groups.append(("actor", row["type"], row["sent_start"], row["target"], row["alist"]))
    return groups


def row_key(row: dict) -> tuple:
    return row["type"], row["actor"], row["target"], row["sent_start"]
