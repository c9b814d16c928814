"""A headline capitalises its words whatever they are ("Launches Probe Into", "Faces a Fresh
Copyright Suit"), so its capitals say nothing: a name read there is one only as far as the
body writes it with the same capitals, as a whole name, and not as a sentence's first word
unless the tagger reads a proper noun there.
"""
from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token


def in_headline(item: Token | Span) -> bool:
    start = item.idx if isinstance(item, Token) else item.start_char
    return start < item.doc.user_data.get("title_chars", 0)


def body_writes(doc: Doc, words: Sequence[str]) -> bool:
    """Whether the body writes `words` with these capitals as a whole name: not as a
    sentence's first word unless the tagger reads a proper noun there, nor as part of a
    longer run of capitalised words, but for a person's given names before them
    ("Youngkin" is written in "Governor Glenn Youngkin")."""
    title_chars = doc.user_data.get("title_chars", 0)
    size = len(words)
    if not size:
        return False
    for tok in doc:
        if tok.idx <= title_chars or tok.text != words[0] or tok.i + size > len(doc) \
                or tok.is_sent_start and tok.pos_ != "PROPN":
            continue
        if [t.text for t in doc[tok.i:tok.i + size]] != list(words):
            continue
        before, after = doc[tok.i - 1], doc[tok.i + size] if tok.i + size < len(doc) else None
        surname = doc[tok.i + size - 1].ent_type_ == "PERSON"
        if (surname or not is_name_word(before)) and (after is None or not is_name_word(after)):
            return True
    return False


def longest_name_the_body_writes(ent: Span) -> Span | None:
    """The longest run of a headline name's words that the body writes as a name (with a
    proper noun among them): "Center for Investigative Reporting Takes" is the Center for
    Investigative Reporting; None when there is no such run."""
    doc = ent.doc
    for size in range(len(ent), 0, -1):
        for start in range(ent.start, ent.end - size + 1):
            words = doc[start:start + size]
            if any(is_name_word(t) for t in words) and body_writes(doc, [t.text for t in words]):
                return ent if size == len(ent) else Span(doc, start, start + size, label=ent.label_)
    return None


def is_name_word(tok: Token) -> bool:
    """A capitalised proper noun: a word of a name, wherever its capital is worth reading."""
    return tok.pos_ == "PROPN" and tok.text[:1].isupper()
