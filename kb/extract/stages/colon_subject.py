"""The subject of a sentence that introduces a direct quote with a colon but no cue verb:
"Die Bewohner des Dorfes sehen es gelassen: „…“" — the Vorfeld subject of the clause before
the colon speaks (verb-second languages only; the subject must fit the finite verb, the
language's ``speaker_fit`` hook, and look like someone who speaks)."""

from __future__ import annotations

from ..document import Document, TokRange
from ..text import Sent
from .phrases import first_content, has_verb, np_after, np_score


def colon_subject(doc: Document, s: Sent, colon: int) -> TokRange | None:
    """Speaker NP of the clause ending at the colon token ``colon`` of sentence ``s``: the
    sentence-initial NP directly followed by a finite verb; None when there is none."""
    r = doc.rules
    lang = r.language
    if not lang.verb_second or colon <= 1:
        return None
    toks = s.toks
    if any(doc.in_mark(t.s) for t in toks[:colon]):
        return None
    rng = np_after(doc, s, first_content(doc, toks, 0, colon))
    if rng is None or rng[1] >= colon:
        return None
    # the NP may end in an apposition and its comma: "Der Leiter der Studie, Paulo Pinheiro, sieht …"
    v = rng[1] + 1 if toks[rng[1]].text == "," and any(t.text == "," for t in toks[rng[0]:rng[1]]) else rng[1]
    if v >= colon or any(t.text in (",", ";", ":") for t in toks[v:colon]):
        return None  # one plain main clause only
    if rng[0] > 0 and toks[rng[0] - 1].low in lang.prepositions or toks[rng[0]].low in lang.prepositions:
        return None  # "In der ARD sagte …", "Im Kongress": a place, not the subject
    verb = toks[v]
    if not (has_verb(doc, [verb]) or verb.text[:1].islower() and verb.lemma.endswith(("en", "ern", "eln")) and verb.lemma in (verb.low, verb.low + "n")):
        return None  # the finite verb follows the Vorfeld ("sehen", "zeigte sich")
    pronoun = rng[1] - rng[0] == 1 and toks[rng[0]].low in r.p.pronouns
    head_end = next((k for k in range(rng[0] + 1, rng[1]) if toks[k].low in r.p.determiners), rng[1])
    if not pronoun and np_score(doc, s, (rng[0], head_end)) < 1:
        return None  # the head must speak, not its genitive ("Die Anwendung der Richtlinie des Kanzlers")
    if lang.speaker_fit(r, toks, rng, rng[0], rng[1]) < 0:
        return None
    return rng
