"""Naive baseline for bench/eval_extract.py --baseline: every quotation-mark pair is a Direct
quote (no speaker); every sentence with a Konjunktiv verb and a cue verb is an Indirect quote
(the whole sentence), its speaker the word right after the cue (inverted order) or else the
sentence's first word."""

from __future__ import annotations

from kb.extract.lang.de.mood import mood
from kb.extract.profile import load_profile
from kb.extract.text import find_quotes, lemma, segment
from kb.model import Quote, Span, SpeakerRef


def baseline_extract(article) -> list[Quote]:
    text = article.text
    prof = load_profile("de")
    out: list[Quote] = []
    for m in find_quotes(text):
        if m.ce > m.cs:
            out.append(Quote(article.id, "Direct", text[m.cs:m.ce], [(m.cs, m.ce)], "de", article.date))
    for s in segment(text, "de"):
        toks = s.toks
        cues = [t for t in toks if t.text.isalpha() and lemma(t.text, "de") in prof.cues and t.text[:1].islower()]
        if not cues or not any(mood(t.text) for t in toks):
            continue
        c = cues[0]
        nxt = toks[c.i + 1] if c.i + 1 < len(toks) else None
        sp = nxt if nxt is not None and (nxt.text[:1].isupper() or nxt.low in prof.pronouns) else toks[0]
        out.append(Quote(article.id, "Indirect", text[s.s:s.e], [(s.s, s.e)], "de", article.date,
                         speaker=SpeakerRef(sp.text, mention=Span(sp.s, sp.e, sp.text), resolved=False),
                         cue=Span(c.s, c.e, c.text)))
    return out
