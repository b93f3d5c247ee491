"""Memoised stand-ins for two slow steps of spaCy's English pipeline, with the same output.

    speed_up(nlp) -> nlp   # attribute ruler and lemmatizer answer from per-process caches

- The attribute ruler runs a token Matcher over every document (a fifth of the pipeline's
  time), although all but a few of its patterns look at one token only, through its text, tag
  and dependency label. Which one-token rules fire is computed once per (text, tag, label) with
  the ruler's own matcher on a one-token document; the few longer patterns keep a matcher of
  their own. The ruler's ``set_annotations`` then applies the matches as before (later rules
  win).
- The rule lemmatizer caches only some of its answers (never the "base form" ones, which it
  recomputes for every token); here every answer is cached by (text, POS, morphology).

Both caches are bounded and shared by the threads of a process (dict operations are atomic).
"""

from __future__ import annotations

from typing import Any

_MAX = 200_000  # cache entries kept before a cache starts over


class _FastRuler:
    """The attribute ruler's ``match`` from a cache of one-token matches (see module doc)."""

    def __init__(self, ruler: Any):
        from spacy.matcher import Matcher

        self.ruler = ruler
        self.vocab = ruler.vocab
        self.single = Matcher(ruler.vocab)
        self.multi = Matcher(ruler.vocab)
        for rule_id, pats in self._rules():
            for pat in pats:
                (self.single if len(pat) == 1 else self.multi).add(self.vocab.strings.add(rule_id), [pat])
        self.has_multi = len(self.multi) > 0
        self.cache: dict[tuple[int, str, str], list[tuple[int, int]]] = {}

    def _rules(self):
        """(rule id, patterns) of the ruler, the id being its index as the ruler numbers them."""
        for k in range(len(self.ruler.attrs)):
            key = str(k)
            got = self.ruler.matcher.get(self.vocab.strings[key])
            if got is not None:
                yield key, got[1]

    def _one(self, tok) -> list[tuple[int, int]]:
        from spacy.tokens import Doc

        key = (tok.orth, tok.tag_, tok.dep_)
        hit = self.cache.get(key)
        if hit is None:
            one = Doc(self.vocab, words=[tok.text], spaces=[False])
            one[0].tag_ = tok.tag_
            one[0].dep_ = tok.dep_
            hit = [(int(self.vocab.strings[m]), m) for m, _, _ in self.single(one, allow_missing=True)]
            if len(self.cache) >= _MAX:
                self.cache.clear()
            self.cache[key] = hit
        return hit

    def match(self, doc) -> list[tuple[int, int, int, int]]:
        """The ruler's matches on ``doc``, as ``AttributeRuler.match`` returns them."""
        out = [(aid, mid, t.i, t.i + 1) for t in doc for aid, mid in self._one(t)]
        if self.has_multi:
            out.extend((int(self.vocab.strings[m]), m, s, e)
                       for m, s, e in self.multi(doc, allow_missing=True))
        out.sort()
        return out


def speed_up(nlp):
    """Give ``nlp``'s attribute ruler and rule lemmatizer the caches of the module doc."""
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        ruler.match = _FastRuler(ruler).match  # instance attribute: __call__ looks it up there
    if "lemmatizer" in nlp.pipe_names:
        lem = nlp.get_pipe("lemmatizer")
        if getattr(lem, "mode", None) == "rule":
            lem.lemmatize = _cached(lem.rule_lemmatize)
    return nlp


def _cached(fn):
    cache: dict[tuple[int, int, int], list[str]] = {}

    def lemmatize(token) -> list[str]:
        key = (token.orth, token.pos, token.morph.key)
        hit = cache.get(key)
        if hit is None:
            hit = fn(token)
            if len(cache) >= _MAX:
                cache.clear()
            cache[key] = hit
        return hit

    return lemmatize
