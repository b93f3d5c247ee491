"""Ranking evidence for ``quoth ask``: lexical matches and reciprocal rank fusion.

Two rankings of the same candidate claims are fused by rank, not by adding scores on
different scales (Cormack, Clarke & Büttcher 2009, "Reciprocal rank fusion outperforms
Condorcet and individual rank learning methods"):

* the semantic ranking (multilingual USE cosine of the topic with the claim's text or its
  context row, kb.vectors);
* the lexical ranking: the share of the topic's terms (lemmas, compound prefixes) found in the
  claim's text, or — counting half — in its passage and the statement it replies to (what the
  claim is about, when its words do not say it: "her party has supported the idea").

``fuse`` gives each claim ``sum(1 / (k + rank))`` over the rankings it appears in (a claim with
no topic word is absent from the lexical ranking), divided by the best possible value so that a
claim first in both scores 1.0. Claims with equal lexical evidence share a rank.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .interpret import _lemma, fold, lexicon

#: the usual RRF constant: rank 1 and rank 10 differ by 13 %, so neither ranking alone decides
RRF_K = 60
#: a topic term found only in the claim's passage (not its own words) counts this much
PASSAGE_WEIGHT = 0.5

_WORD = re.compile(r"\w+", re.UNICODE)


def terms(text: str, lang: str) -> set[str]:
    """The content terms of a topic: lemmas, folded, without stopwords, digits and short words."""
    lex = lexicon(lang) if lang in ("en", "de") else None
    stop = lex.stopwords if lex else set()
    out = set()
    for w in _WORD.findall(text.lower()):
        if w in stop or len(w) < 3 or w.isdigit():
            continue
        out.add(fold(_lemma(w, lang) if lex else w))
    return out


@lru_cache(maxsize=50_000)
def text_terms(text: str) -> frozenset[str]:
    """Every word of a text (three letters or more) folded, as is and lemmatised in each language."""
    words = {w for w in _WORD.findall(text.lower()) if len(w) >= 3}
    return frozenset({fold(w) for w in words} | {fold(_lemma(w, "de")) for w in words}
                     | {fold(_lemma(w, "en")) for w in words})


def _found(t: str, lemmas: frozenset[str]) -> bool:
    return t in lemmas or (len(t) >= 5 and any(w.startswith(t) or (len(w) >= 5 and t.startswith(w)) for w in lemmas))


def overlap(topic_terms: set[str], text: str, passage: str | None = None) -> float:
    """Share of topic terms found in the text (1 each) or only in the passage (PASSAGE_WEIGHT each);
    lemmas, with prefix matches for compounds ("Müll" in "Müllberge")."""
    if not topic_terms:
        return 0.0
    own = text_terms(text)
    ctx = text_terms(passage) if passage else frozenset()
    hit = 0.0
    for t in topic_terms:
        if _found(t, own):
            hit += 1.0
        elif ctx and _found(t, ctx):
            hit += PASSAGE_WEIGHT
    return hit / len(topic_terms)


def ranks(scores: dict[str, float], positive_only: bool = False) -> dict[str, int]:
    """1-based competition ranks by descending score (equal scores share the better rank)."""
    items = sorted(((s, c) for c, s in scores.items() if not positive_only or s > 0), key=lambda x: -x[0])
    out: dict[str, int] = {}
    prev, rank = None, 0
    for n, (s, c) in enumerate(items, 1):
        if s != prev:
            rank, prev = n, s
        out[c] = rank
    return out


def fuse(semantic: dict[str, float], lexical: dict[str, float], k: int = RRF_K) -> dict[str, float]:
    """Reciprocal rank fusion of the semantic and lexical scores, normalised to 1.0 at best."""
    r_sem = ranks(semantic)
    r_lex = ranks(lexical, positive_only=True)
    n = 2 if r_lex else 1
    best = n / (k + 1)
    return {c: (1 / (k + r_sem[c]) + (1 / (k + r_lex[c]) if c in r_lex else 0.0)) / best for c in semantic}
