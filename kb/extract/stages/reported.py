"""Statements of a cue verb without a reported clause: a mixed quote (a cue with a quoted
fragment: "lobten das Treffen als «konstruktiv»" → Indirect), a speech act with a noun object
(cue verbs marked ``*``: "kritisierte die Pläne" → Reported; reflexive cues "setzte sich für …
ein"; under ``noun_object_reported`` a prepositional cue with a noun object: "sprach von einer
freien Wahl"), and "Das erklärte X." whose statement is the sentence (or paragraph) before."""

from __future__ import annotations

from ..document import Document, Draft, SentenceState
from ..text import Sent, Tok
from .phrases import has_verb, np_score, subject_after
from .quote_marks import QUOTE_CHARS
from .resolve import note_speakers
from .speakers import attribute, attribute_cue, speaker_for_cue


def _trim_end(toks, b: int) -> int:
    """``b`` moved back over trailing punctuation (quotation marks stay)."""
    while b > 0 and toks[b - 1].is_punct and toks[b - 1].text not in QUOTE_CHARS:
        b -= 1
    return b


def np_object(doc: Document, q_toks: list[Tok]) -> bool:
    """Is the object of a prepositional cue a plain noun phrase, not a reported clause: no
    complementizer, no Konjunktiv, no finite verb, no zu-infinitive ("sprach von einer
    freien Wahl", "warnte vor einem Anstieg der Preise")?"""
    r = doc.rules
    marker = r.language.infinitive_marker
    if not q_toks or q_toks[0].low in r.complementizers:
        return False
    if any(r.mood(t.text) or (marker and (t.low == marker or r.is_zu_infinitive(t))) for t in q_toks):
        return False
    return not has_verb(doc, q_toks)


def reported(doc: Document, st: SentenceState, ci: int, lem: str, ca: int, cb: int, pi: int | None = None) -> Draft | None:
    """Mixed quote or Reported statement of cue ``ci`` (clause [ca, cb), particle at ``pi``):
    a cue marked ``*``, a reflexive cue, or a prepositional cue whose object is a noun phrase."""
    r = doc.rules
    conv = r.conv
    s = st.sent
    toks = s.toks
    n = len(toks)
    reflexive = lem.startswith("sich:")
    frag_after = [x for x in st.frag_toks if x > ci and x not in st.covered]
    prep_object = (conv.noun_object_reported and pi is not None and toks[pi].low in r.words["clause_particles"]
                   and np_object(doc, toks[pi + 1:cb]))
    if lem not in r.p.reported_cues and not reflexive and not frag_after and not prep_object:
        return None
    att = attribute_cue(doc, s, speaker_for_cue(doc, s, ci, ca), toks[ci])
    if att is None or not att.refs:
        return None
    refs, spk = att.refs, att.rng
    if not frag_after and not any(x.resolved or x.local_id >= 0 or x.kind == "organization" for x in refs):
        if not (spk[1] - spk[0] == 1 and toks[spk[0]].low in r.p.pronouns):
            return None
    sp_span = doc.char_span(s, spk)
    b = _trim_end(toks, n)
    if frag_after:
        if conv.fragments_as_direct:
            return None  # the quoted fragment is a Direct quote of its own
        last_frag = max(frag_after)
        b = cb
        while b < n and b <= last_frag:
            b += 1
        b = _trim_end(toks, b)
        a = spk[1] if spk[0] > ci else ci + 1
        while a < b and (toks[a].is_punct or reflexive and toks[a].low == "sich"):
            a += 1
        if b - a < 1:
            return None
        d = Draft("Indirect", [(toks[a].s, toks[b - 1].e)], s.idx, s.idx, (toks[ci].s, toks[ci].e), sp_span, refs, att.relay, 0.6)
    else:
        whole = conv.reported_whole_sentence
        a = 0 if whole else (spk[1] if spk[0] > ci else ci + 1)
        while a < b and (toks[a].is_punct or a in st.covered or not whole and reflexive and toks[a].low == "sich"):
            a += 1
        if reflexive and not whole and b - 1 > a and toks[b - 1].low in r.p.reflexive_cues.get(lem[5:], ()):
            b -= 1  # the separable particle: "… ein"
        if b - a < 2 or np_score(doc, s, spk) < 2:
            return None
        d = Draft("Reported", [(toks[a].s, toks[b - 1].e)], s.idx, s.idx, (toks[ci].s, toks[ci].e), sp_span, refs, att.relay, 0.45)
    d.frame = doc.text[s.s:s.e]
    note_speakers(doc, s, refs, sp_span)
    return d


def _in_statement(doc: Document, k: int) -> bool:
    return any(d.sent <= k <= d.last_sent for d in doc.drafts)


def anaphoric_statement(doc: Document, s: Sent, ci: int) -> Draft | None:
    """"Das erklärte ein Sprecher.": the sentence before (not already a statement) is what
    the speaker said."""
    conv = doc.rules.conv
    prev = doc.sents[s.idx - 1]
    if prev.para != s.para and not conv.anaphoric_statement_paragraph:
        return None
    if _in_statement(doc, prev.idx):
        return None
    toks = s.toks
    spk = subject_after(doc, s, ci + 1)
    if spk is not None:
        att = attribute(doc, s, spk, toks[ci])
    else:
        att = attribute_cue(doc, s, speaker_for_cue(doc, s, ci, 0), toks[ci])
    if att is None or not att.refs:
        return None
    b = _trim_end(prev.toks, len(prev.toks))
    if b < 2:
        return None
    sp_span = doc.char_span(s, att.rng)
    span = (prev.s, prev.toks[b - 1].e)
    first = prev.idx
    if conv.anaphoric_statement_paragraph and prev.para == s.para:
        # the paragraph up to and including the anaphor ("… Das teilte X mit.")
        while first > 0 and doc.sents[first - 1].para == s.para and not _in_statement(doc, first - 1):
            first -= 1
        span = (doc.sents[first].s, toks[0].e)
    d = Draft("Indirect", [span], first, s.idx, (toks[ci].s, toks[ci].e), sp_span, att.refs, att.relay, 0.6)
    d.frame = doc.text[s.s:s.e]
    note_speakers(doc, s, att.refs, sp_span)
    return d
