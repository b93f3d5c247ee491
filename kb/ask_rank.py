"""Ranking evidence for ``quoth ask``: lexical matches and reciprocal rank fusion.

Two rankings of the same candidate claims are fused by rank, not by adding scores on
different scales (Cormack, Clarke & Büttcher 2009, "Reciprocal rank fusion outperforms
Condorcet and individual rank learning methods"):

* the semantic ranking (multilingual USE cosine of the topic with the claim's text or its
  context row, kb.vectors);
* the lexical ranking: the share of the topic's terms (lemmas, compound prefixes) found in the
  claim's text, or — counting half — in its passage and the statement it replies to (what the
  claim is about, when its words do not say it: "her party has supported the idea"). With a
  bilingual lexicon (kb.bilingual) a topic word is found through its translations too: the
  term "meeting" is the group {meeting, treffen, versammlung, …}, found when any member is.

``fuse`` gives each claim ``sum(1 / (k + rank))`` over the rankings it appears in (a claim with
no topic word is absent from the lexical ranking), divided by the best possible value so that a
claim first in both scores 1.0. Claims with equal lexical evidence share a rank.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from .interpret import _lemma, fold, lexicon

#: the usual RRF constant: rank 1 and rank 10 differ by 13 %, so neither ranking alone decides
RRF_K = 60
#: a topic term found only in the claim's passage (not its own words) counts this much
PASSAGE_WEIGHT = 0.5

_WORD = re.compile(r"\w+", re.UNICODE)


#: the other language of a question, for translations
OTHER = {"en": "de", "de": "en"}
#: (word, language) -> translations into the other language (kb.bilingual.Translator)
Translate = Callable[[str, str], Iterable[str]]


def _term(word: str, lang: str, lemmatise: bool = True) -> str:
    return fold(_lemma(word, lang) if lemmatise else word)


def _content_words(text: str, lang: str) -> list[str]:
    lex = lexicon(lang) if lang in ("en", "de") else None
    stop = lex.stopwords if lex else set()
    return [w for w in _WORD.findall(text.lower()) if w not in stop and len(w) >= 3 and not w.isdigit()]


def terms(text: str, lang: str) -> set[str]:
    """The content terms of a topic: lemmas, folded, without stopwords, digits and short words."""
    known = lang in ("en", "de")
    return {_term(w, lang, known) for w in _content_words(text, lang)}


def term_groups(text: str, lang: str, translate: Translate | None = None) -> list[frozenset[str]]:
    """The topic's terms, each with the terms of its translations (``translate``) into the other
    language: "a second meeting" → [{second, zweite, …}, {meeting, treffen, …}]. A phrase of two
    or three words with a translation ("air traffic controllers" → Fluglotsen) adds it to the
    group of each of its content words. Translations that are stopwords of the other language
    are left out (kb.bilingual already drops prepositions, conjunctions and pronouns). Without
    ``translate`` (or for another language) every group is the term alone."""
    known = lang in ("en", "de")
    words = _content_words(text, lang)
    content = set(words)
    groups: dict[str, set[str]] = {}
    for w in words:
        groups.setdefault(_term(w, lang, known), {_term(w, lang, known)})
    if translate is None or lang not in OTHER:
        return [frozenset(g) for g in groups.values()]
    other = OTHER[lang]
    stop = lexicon(other).stopwords

    def add(source: str, words: list[str]) -> None:
        found = set(translate(source, lang))
        lemma = _lemma(source, lang) if " " not in source else source
        if not found and lemma != source:  # "meetings" → "meeting"; not "meeting" → "meet" (erfüllen)
            found = set(translate(lemma, lang))
        for x in found:
            if len(x) >= 3 and x.lower() not in stop:  # as written and lemmatised ("Stahl" → "stehlen")
                for w in words:
                    groups[_term(w, lang, known)].update({fold(x), _term(x.lower(), other)})

    toks = _WORD.findall(text.lower())
    phrases = [toks[i:i + n] for n in (3, 2) for i in range(len(toks) - n + 1)
               if toks[i] in content and toks[i + n - 1] in content]  # starting and ending with one
    singles = sorted(content)
    prepare = getattr(translate, "prepare", None)
    if prepare is not None:  # one encoder call for the whole topic (kb.bilingual.Translator)
        prepare([" ".join(p) for p in phrases] + singles, lang)
    for span in phrases:
        add(" ".join(span), [t for t in span if t in content])
    for w in singles:
        add(w, [w])
    return [frozenset(g) for g in groups.values()]


@lru_cache(maxsize=50_000)
def text_terms(text: str) -> frozenset[str]:
    """Every word of a text (three letters or more) folded, as is and lemmatised in each language."""
    words = {w for w in _WORD.findall(text.lower()) if len(w) >= 3}
    return frozenset({fold(w) for w in words} | {fold(_lemma(w, "de")) for w in words}
                     | {fold(_lemma(w, "en")) for w in words})


def _found(t: str, lemmas: frozenset[str]) -> bool:
    return t in lemmas or (len(t) >= 5 and any(w.startswith(t) or (len(w) >= 5 and t.startswith(w)) for w in lemmas))


def overlap(topic_terms: Iterable[str | frozenset[str]], text: str, passage: str | None = None) -> float:
    """Share of topic terms found in the text (1 each) or only in the passage (PASSAGE_WEIGHT each);
    lemmas, with prefix matches for compounds ("Müll" in "Müllberge"). A term may be a group of
    alternatives (a word and its translations, ``term_groups``): found when one of them is."""
    groups = [frozenset([t]) if isinstance(t, str) else t for t in topic_terms]
    if not groups:
        return 0.0
    own = text_terms(text)
    ctx = text_terms(passage) if passage else frozenset()
    hit = 0.0
    for g in groups:
        if any(_found(t, own) for t in g):
            hit += 1.0
        elif ctx and any(_found(t, ctx) for t in g):
            hit += PASSAGE_WEIGHT
    return hit / len(groups)


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
