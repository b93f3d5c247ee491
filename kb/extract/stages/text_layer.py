"""Stage 1, text layer: the :class:`~kb.extract.document.Document` of an article.

Paragraphs (newlines), SoMaJo sentences and tokens per paragraph (regex splitter for languages
without a SoMaJo model), simplemma lemmas, quotation-mark pairs per paragraph.
"""

from __future__ import annotations

import datetime as dt

from ..document import Document
from ..rules import Rules
from ..text import find_quotes, lemma, paragraphs, segment


def build(text: str, date: dt.date, rules: Rules) -> Document:
    """The document object of ``text`` (published on ``date``) for the language of ``rules``."""
    code = rules.code
    paras = paragraphs(text)
    sents = segment(text, code, paras)
    for s in sents:
        for t in s.toks:
            t.lemma = lemma(t.text, code) if t.text.isalpha() else t.low
    return Document(rules=rules, text=text, date=date, paragraphs=paras, sents=sents, marks=find_quotes(text, paras))
