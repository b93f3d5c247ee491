"""Cue words of a sentence: speech verbs of ``cues.txt`` (separable particles checked in the
clause: "kündigte … an"; merged: "ankündigte"), reflexive cues ("setzte sich für … ein"),
cue nouns followed by a reported clause ("vertritt die Ansicht, dass …"); negated cues
("sagte … nicht") are no cues, and the language's ``cue_form`` hook can veto a form."""

from __future__ import annotations

from ..document import Document
from ..text import Sent, Tok
from .phrases import CLAUSE_PUNCT, END_PUNCT

Cue = tuple[int, str, int | None]  # (token index, lemma, particle token index)


def _clause_punct(t: Tok) -> bool:
    return t.text in CLAUSE_PUNCT or t.text in END_PUNCT


def _noun_cue(doc: Document, toks: list[Tok], t: Tok) -> Cue | None:
    """A cue noun counts only if a reported clause follows: ", dass" / Konjunktiv / ", zu"."""
    r = doc.rules
    n = len(toks)
    for k in range(t.i + 1, min(n, t.i + 4)):
        if toks[k].text == ",":
            if k + 1 < n and (toks[k + 1].low in r.language.comma_complementizers or any(r.mood(x.text) for x in toks[k + 1:k + 8])):
                return (t.i, t.low, None)
            return None
        if toks[k].is_punct:
            return None
    return None


def _reflexive_cue(toks: list[Tok], t: Tok, particles: set[str]) -> Cue | None:
    """"setzte sich für … ein", "wünscht sich …", "sprach sich gegen … aus"."""
    n = len(toks)
    refl = next((k for k in range(t.i + 1, min(n, t.i + 4)) if toks[k].low == "sich"), None)
    if refl is None:
        return None
    pk = None
    for k in range(refl + 1, n):
        if _clause_punct(toks[k]):
            break
        if toks[k].low in particles:
            pk = k
    if pk is not None or "" in particles:
        return (t.i, "sich:" + t.lemma, pk)
    return None


def _cue_particles(doc: Document, lem: str) -> set[str] | None:
    """The particles the cue verb ``lem`` needs ("" = none); None if it is no cue verb."""
    r = doc.rules
    cues = r.p.cues
    parts = cues.get(lem)
    if parts is None:
        # merged separable verb: "ankündigte" -> an + kündigen
        for pt in r.particles:
            if lem.startswith(pt) and lem[len(pt):] in cues and pt in cues[lem[len(pt):]]:
                return {""}
    return parts


def _negated(toks: list[Tok], i: int, negations: frozenset[str]) -> bool:
    """"sagte … nicht" (a negation that ends the clause)."""
    n = len(toks)
    neg = False
    for k in range(i + 1, min(n, i + 6)):
        if _clause_punct(toks[k]):
            break
        if toks[k].low in negations and (k + 1 >= n or toks[k + 1].text in END_PUNCT or toks[k + 1].text in CLAUSE_PUNCT):
            neg = True
    return neg


def _verb_cue(doc: Document, s: Sent, t: Tok) -> Cue | None:
    toks = s.toks
    n = len(toks)
    parts = _cue_particles(doc, t.lemma)
    if parts is None or not doc.rules.language.cue_form(doc.rules, s, t):
        return None
    particle_i = None
    ok = "" in parts
    if not ok:
        # separable particle later in the clause
        for k in range(t.i + 1, n):
            if _clause_punct(toks[k]):
                break
            if toks[k].low in parts:
                ok, particle_i = True, k
                break
    else:
        # prepositional particles ("sprechen … von") are useful if present in the clause
        for k in range(t.i + 1, min(n, t.i + 5)):
            if _clause_punct(toks[k]):
                break
            if toks[k].low in parts:
                particle_i = k
                break
    if not ok or _negated(toks, t.i, doc.rules.words["negations"]) or _impersonal_infinitive(doc, toks, t.i):
        return None
    return (t.i, t.lemma, particle_i)


def _impersonal_infinitive(doc: Document, toks: list[Tok], i: int) -> bool:
    """"Wobei zu bemerken ist, dass …", "Hinzuzufügen sei …": a cue as zu-infinitive before a
    copula says that something is to be said, no one says it."""
    r = doc.rules
    marker = r.language.infinitive_marker
    before = i > 0 and toks[i - 1].low == marker or r.is_zu_infinitive(toks[i])
    return bool(marker) and before and i + 1 < len(toks) and toks[i + 1].low in r.words["impersonal_copulas"]


def find_cues(doc: Document, s: Sent, skip: set[int]) -> list[Cue]:
    """(token index, lemma, particle token index) of speech cues in the sentence, outside the
    token indices ``skip``."""
    r = doc.rules
    out: list[Cue] = []
    toks = s.toks
    for t in toks:
        if t.i in skip or not t.text.isalpha():
            continue
        if r.language.nouns_capitalised and t.text[:1].isupper() and t.i > 0:
            cue = _noun_cue(doc, toks, t) if t.low in r.cue_nouns else None
        else:
            rp = r.p.reflexive_cues.get(t.lemma)
            cue = _reflexive_cue(toks, t, rp) if rp is not None and t.text[:1].islower() else None
            if cue is None:
                cue = _verb_cue(doc, s, t)
        if cue is not None:
            out.append(cue)
    return out
