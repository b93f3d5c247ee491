"""Quoted fragments (quotation marks that hold no full quote): inside a statement of the
sentence they belong to it (and are Direct quotes of their own under ``fragments_as_direct``);
outside, a fragment is a Direct quote when it is long enough or its sentence has a cue, and
otherwise a title or scare quote (skipped). Quoted names are never quotes."""

from __future__ import annotations

import bisect

from ..document import Document, Draft, SentenceState
from ..text import QMark
from .colon_subject import colon_subject
from .phrases import clause_bounds
from .quote_marks import quoted_name
from .resolve import prev_draft, resolve
from .speakers import attribute_cue, speaker_for_cue



def fragment(doc: Document, st: SentenceState, m: QMark) -> Draft | None:
    """A quoted fragment outside any statement found so far: a Direct quote when it is
    long enough or its sentence has a cue; otherwise a title or scare quote (None)."""
    s = st.sent
    words = doc.text[m.cs:m.ce].split()
    if quoted_name(doc, m):
        return None
    has_cue = bool(st.cues)
    if len(words) < 4 and not (has_cue and doc.rules.conv.fragments_as_direct):
        return None
    if len(words) < 2:
        # a single quoted word counts after "als"/an article in a cue sentence:
        # "bezeichnete die Lage als „extrem“", "nannte dies einen „Putsch“"
        k = bisect.bisect_left([t.s for t in s.toks], m.o) - 1
        if not (has_cue and k >= 0 and s.toks[k].low in doc.rules.words["single_quote_before"]):
            return None
    doc.used_marks.add(id(m))
    toks = s.toks
    refs = []
    sp_span = None
    cue = None
    conf = 0.5
    if has_cue:
        ci = st.cues[0][0]
        ca, _ = clause_bounds(doc, s, ci)
        cue = (toks[ci].s, toks[ci].e)
        att = attribute_cue(doc, s, speaker_for_cue(doc, s, ci, ca), toks[ci])
        if att is not None:
            refs = att.refs
            sp_span = doc.char_span(s, att.rng)
            conf = 0.6
    if not refs:
        # no cue: the subject of the plain clause before the fragment ("Der Bundespräsident
        # konstatierte eine wachsende „Kluft …“")
        k = bisect.bisect_left([t.s for t in toks], m.o)
        rng = colon_subject(doc, s, k) if 0 < k < len(toks) else None
        if rng is not None:
            refs = resolve(doc, s, rng)
            sp_span = doc.char_span(s, rng) if refs else None
    if not refs:
        prev = prev_draft(doc, s.idx, 1)
        if prev is not None and prev.refs:
            refs, sp_span = list(prev.refs), prev.speaker_span
    d = Draft("Direct", [(m.cs, m.ce)], s.idx, s.idx, cue, sp_span, refs, None, conf)
    d.frame = doc.text[s.s:s.e]
    return d


def add_fragments(doc: Document, st: SentenceState) -> None:
    """Append the drafts of the sentence's quoted fragments, given the statements found in it
    (one by one: a fragment without a speaker takes the previous statement's)."""
    s = st.sent
    new = doc.drafts[st.n_before:]
    for m in st.frags:
        host = next((d for d in new if d.type != "Direct" and any(a <= m.o and m.c <= b + 1 for a, b in d.spans)), None)
        if host is None:
            if any(d.speaker_span and d.speaker_span[0] <= m.o < d.speaker_span[1] for d in new):
                continue  # a quoted name in the speaker: Wie die „Muster Zeitung“ berichtet, …
            d = fragment(doc, st, m)
            if d is not None:
                doc.drafts.append(d)
            continue
        doc.used_marks.add(id(m))
        if doc.rules.conv.fragments_as_direct and not quoted_name(doc, m):
            doc.drafts.append(Draft("Direct", [(m.cs, m.ce)], s.idx, s.idx, host.cue, host.speaker_span,
                                    list(host.refs), host.relay, host.conf * 0.9, host.frame, nested=True))
