"""Per sentence: its quotation-mark pairs (full quotes and fragments), the tokens they cover
and its cue words, as the :class:`~kb.extract.document.SentenceState` the statement stages share."""

from __future__ import annotations

import bisect

from ..document import Document, SentenceState
from ..text import QMark, Sent
from .cues import find_cues
from .quote_marks import is_full


def sentence_state(doc: Document, s: Sent) -> SentenceState:
    """The sentence's quotation marks (full quotes, fragments not yet taken, also those opened
    up to three pairs before it), the tokens they cover and its cue words."""
    k0 = bisect.bisect_left(doc.mark_starts, s.s)
    marks = list(doc.marks[k0:bisect.bisect_left(doc.mark_starts, s.e)])
    k = k0 - 1
    while k >= 0 and k0 - k <= 3:
        if doc.marks[k].c > s.s:
            marks.insert(0, doc.marks[k])
        k -= 1
    full: list[QMark] = []
    frags: list[QMark] = []
    for m in marks:
        if is_full(doc, m):
            full.append(m)
        elif id(m) not in doc.used_marks:
            frags.append(m)
    toks = s.toks
    skip = {t.i for m in full for t in toks if m.o <= t.s and t.e <= m.c + 1}
    frag_toks = {t.i for m in frags for t in toks if m.o <= t.s and t.e <= m.c + 1}
    st = SentenceState(s, full, frags, skip, frag_toks, find_cues(doc, s, skip | frag_toks))
    st.covered = set(skip)
    st.n_before = len(doc.drafts)
    return st
