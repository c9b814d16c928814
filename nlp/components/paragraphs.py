"""incident_paragraphs: a line break ends a sentence.

Headlines and paragraphs have no final full stop; without this the parser runs the
headline into the first sentence. Runs before the parser, which keeps these starts.
"""
from spacy.language import Language
from spacy.tokens import Doc


@Language.component("incident_paragraphs", assigns=["token.is_sent_start"])
def mark_paragraph_starts(doc: Doc) -> Doc:
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc
