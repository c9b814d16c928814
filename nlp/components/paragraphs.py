"""incident_paragraphs: a line break ends a sentence.

Headlines and paragraphs have no final full stop; without this the parser runs the
headline into the first sentence. A paragraph's second word never starts a sentence. Runs before the parser, which keeps these starts.
"""
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc


@Language.component("incident_paragraphs", assigns=["token.is_sent_start"])
def mark_paragraph_starts(doc: Doc) -> Doc:
    # Set through one array: `Token.is_sent_start = ...` rescans the whole Doc for a parse
    # on every assignment, which made long articles quadratic.
    values = doc.to_array([SENT_START]).astype("int64")
    starts = [0] + [tok.i + 1 for tok in doc[:-1] if tok.is_space and "\n" in tok.text]
    for i in starts:
        values[i] = 1
        # the parser sometimes cuts a paragraph's first name off as a sentence of its own
        # ("OpenAI | lost access to ..."); a one-word sentence never opens a paragraph
        if i + 2 < len(doc) and doc[i].is_alpha and doc[i + 1].is_alpha:
            values[i + 1] = -1
    if len(doc):
        doc.from_array([SENT_START], values.astype("uint64"))
    return doc
