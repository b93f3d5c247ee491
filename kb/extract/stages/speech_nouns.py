"""Statements of a speech-act noun (issue: recall where cue verbs are missing): "trotz der
Warnung der Wärter, auf Fliehende zu schießen", "die Forderung der Opposition, dass …",
"Die Ankündigung des Ministers, die Steuern zu senken, …". The noun (``speech_nouns`` of
``lexicon.toml``, suffix match on compounds) is followed by its source — a genitive NP or
"von X" — and a comma clause: ", dass …" or a zu-infinitive clause. The clause is the
statement (Indirect); the source NP, which must look like someone who speaks, is the
speaker (a noun without a source gives no statement).
Runs only for a sentence that has no statement yet."""

from __future__ import annotations

from ..document import Document, Draft, SentenceState
from .phrases import END_PUNCT, np_after, np_score
from .resolve import note_speakers, resolve

_GENITIVE_WORDS = ("des", "der", "eines", "einer", "seines", "seiner", "ihres", "ihrer", "dessen", "deren")


def _clause_end(doc: Document, toks: list, a: int) -> int | None:
    """End (exclusive) of the reported clause starting at ``a``: a "dass" clause runs to the
    end of the sentence (or a dash), a zu-infinitive clause to its "zu + verb" word."""
    r = doc.rules
    n = len(toks)
    comps = r.language.comma_complementizers
    if toks[a].low in comps:
        b = a + 1
        while b < n and toks[b].text not in END_PUNCT and toks[b].text not in ("–", "—", ";"):
            b += 1
        return b if b - a >= 4 else None
    for b in range(a, min(n, a + 30)):
        t = toks[b]
        if t.text in END_PUNCT or t.text in (";", ":"):
            return None
        if t.low == r.language.infinitive_marker and b + 1 < n and toks[b + 1].text[:1].islower():
            return b + 2 if b + 2 - a >= 3 else None
        if r.is_zu_infinitive(t):
            return b + 1 if b + 1 - a >= 3 else None
    return None


def speech_noun(doc: Document, st: SentenceState) -> Draft | None:
    """The statement of the first speech-act noun with a comma clause in the sentence."""
    r = doc.rules
    nouns = r.words["speech_nouns"]
    if not nouns or not r.language.infinitive_marker:
        return None
    s = st.sent
    toks = s.toks
    n = len(toks)
    for i, t in enumerate(toks):
        if i in st.skip or not r.is_cap_word(t) or not any(t.low.endswith(x) for x in nouns):
            continue
        j = i + 1
        if not (j < n and (toks[j].low in _GENITIVE_WORDS or toks[j].low in ("von", "vom"))):
            continue  # no source named: too unsure whose statement it is
        k = j + 1 if toks[j].low in ("von", "vom") else j
        spk = np_after(doc, s, k)
        if spk is None:
            continue
        j = spk[1]
        if toks[j - 1].text == ",":  # apposition kept in the NP: "ihres Trainers, Greg Poss,"
            j -= 1
        if not (j + 1 < n and toks[j].text == ","):
            continue
        a = j + 1
        b = _clause_end(doc, toks, a)
        if b is None:
            continue
        if not r.conv.keep_complementizer and toks[a].low in r.language.comma_complementizers:
            a += 1
        refs = resolve(doc, s, spk)
        if not refs or np_score(doc, s, spk) < 1:
            continue  # the source must be someone who speaks ("die Warnung des Berichts" is not)
        sp_span = doc.char_span(s, spk)
        d = Draft("Indirect", [(toks[a].s, toks[b - 1].e)], s.idx, s.idx, (t.s, t.e), sp_span, refs, None, 0.4)
        d.frame = " ".join(x.text for x in toks[:a])
        note_speakers(doc, s, refs, sp_span)
        st.covered.update(range(a, b))
        return d
    return None
