"""incident_paragraphs: a line break ends a sentence.

Headlines and paragraphs have no final full stop; without this the parser runs the
headline into the first sentence. A paragraph's second word never starts a sentence. Runs before the parser, which keeps these starts.
"""
from spacy.language import Language
from spacy.tokens import Doc


@Language.component("incident_paragraphs", assigns=["token.is_sent_start"])
def mark_paragraph_starts(doc: Doc) -> Doc:
    starts = [0] + [tok.i + 1 for tok in doc[:-1] if tok.is_space and "\n" in tok.text]
    for i in starts:
        doc[i].is_sent_start = True
        # the parser sometimes cuts a paragraph's first name off as a sentence of its own
        # ("OpenAI | lost access to ..."); a one-word sentence never opens a paragraph
        if i + 2 < len(doc) and doc[i].is_alpha and doc[i + 1].is_alpha:
            doc[i + 1].is_sent_start = False
    return doc
