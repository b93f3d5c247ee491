"""The order of the extraction stages (each stage is a module of :mod:`kb.extract.stages`).

Per article: text layer → names → per sentence, in order: direct quotes, frames, cue clauses
(when no frame was found), headline and comma-complementizer reports (when the sentence has no
statement and no full quote), continuations (when it still has none), quoted fragments → finish.
"""

from __future__ import annotations

from kb.model import Article, Quote

from .document import Document, SentenceState
from .rules import Rules
from .stages import cueless, names, text_layer
from .stages.continuations import continuation
from .stages.cue_clauses import cue_clause
from .stages.direct_quotes import direct
from .stages.finish import finish
from .stages.fragments import add_fragments
from .stages.frames import frame
from .stages.sentence_layer import sentence_state
from .stages.speech_nouns import speech_noun


class Pipeline:
    """Runs the stages for one language (its :class:`~kb.extract.rules.Rules`); holds no
    per-article state, so one instance can serve several threads."""

    def __init__(self, rules: Rules):
        self.rules = rules

    def run(self, art: Article, lang: str) -> list[Quote]:
        """The statements of ``art``; ``lang`` is the language code written on the Quotes."""
        doc = text_layer.build(art.text, art.date, self.rules)
        names.learn(doc)
        for s in doc.sents:
            if not s.toks:
                continue
            try:
                sentence(doc, sentence_state(doc, s))
            except Exception:  # one odd sentence must not sink the article
                continue
        return finish(doc, art, lang)


def sentence(doc: Document, st: SentenceState) -> None:
    """The statement stages of one sentence, in order; each found draft is appended."""
    for m in st.full:
        if id(m) not in doc.used_marks:
            doc.drafts.append(direct(doc, st, m))
    d = frame(doc, st)
    if d is not None:
        doc.drafts.append(d)
    else:
        for ci, lem, pi in st.cues:
            if (ci in st.used_cues and ci not in st.shared_cues) or ci in st.covered:
                continue
            d = cue_clause(doc, st, ci, lem, pi)
            if d is not None:
                doc.drafts.append(d)
                st.used_cues.add(ci)
    for stage in (cueless.headline, cueless.complement_clause):
        if len(doc.drafts) == st.n_before and not st.full:
            d = stage(doc, st.sent)
            if d is not None:
                doc.drafts.append(d)
    if len(doc.drafts) == st.n_before and not st.full:
        d = speech_noun(doc, st)  # "die Warnung der Wärter, … zu schießen"
        if d is not None:
            doc.drafts.append(d)
    if len(doc.drafts) == st.n_before:
        d = continuation(doc, st)
        if d is not None:
            doc.drafts.append(d)
    add_fragments(doc, st)
