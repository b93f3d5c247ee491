"""The memoised attribute ruler and lemmatizer (kb/extract/lang/en/speedups.py) annotate exactly
as spaCy's own components do, on sentences written for this test."""

from __future__ import annotations

import spacy

from kb.extract.lang.en.parse import MODEL
from kb.extract.lang.en.speedups import speed_up

TEXTS = [
    "\u201cWe ain't gonna stop now,\u201d the mayor said. Let's see what y'all think, she added.",
    "There is no reason to doubt it, said Ms. Okafor, who gets the figures every week.",
    "The harbour authority has said that it does not know whether the pier will open.\n\n"
    "\u201cI told them I'd come,\u201d he said, and did. \u201cC'mon, gotta go.\u201d",
    "It was what it was: the committee's members were told that the vote had been delayed.",
]


def _annotations(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


def test_same_annotations_as_the_plain_pipeline():
    plain = spacy.load(MODEL, exclude=["ner"])
    fast = speed_up(spacy.load(MODEL, exclude=["ner"]))
    for _ in range(2):  # the second round answers from the caches
        for text in TEXTS:
            assert _annotations(fast(text)) == _annotations(plain(text))
    assert fast.get_pipe("attribute_ruler").match.__self__.cache  # the cache is in use
