"""English hooks for the stages: active cue-verb forms and reported clauses without a comma
("said (that) Q", "said her party has …", "told reporters every case will …").

The hooks get the language's rules object (:class:`kb.extract.rules.Rules`) and tokens
(:class:`kb.extract.text.Tok`); they do not import the stages.
"""

from __future__ import annotations

from typing import Any

from kb.extract.text import lemma

AUX = frozenset({
    "has", "had", "have", "is", "was", "were", "are", "will", "would", "could", "can", "did",
    "does", "do", "should", "may", "might", "must", "been", "be",
})
GERUND_PREPS = frozenset({"from", "of", "for", "about", "without", "against", "into", "on", "in", "at", "after", "before"})
POSSESSIVES = frozenset({"her", "his", "their", "its", "our", "my"})
CLAUSE_OPENERS = frozenset({"every", "no", "all", "any", "some", "each", "most", "many", "the", "a", "an", "he", "she", "they", "it", "we", "i", "there"})
BE = frozenset({"is", "are", "was", "were", "be", "been", "being", "'s", "’s"})
LISTENERS = frozenset({"reporters", "journalists", "the", "him", "her", "them", "us", "parliament"})
TIME_WORDS = frozenset({"on", "in", "at", "yesterday", "today", "tuesday"})


def finite_form(tok: Any) -> bool:
    """A lowercase past form or a form of be/have/will."""
    lo = tok.low
    return tok.text[:1].islower() and (lo.endswith("ed") or lo in ("is", "are", "was", "were", "has", "have", "will"))


def _verb_form(rules: Any, sent: Any, t: Any) -> bool:
    if t.low != t.lemma:
        return True
    if t.i > 0 and sent.toks[t.i - 1].low in AUX | {"to"}:
        return True
    if t.i > 0:
        # present tense after a plural subject: "they say", "Officials tell"
        pl = sent.toks[t.i - 1]
        if pl.low in ("they", "we", "i", "you") or (pl.low.endswith("s") and (rules.is_role_word(pl.low) or rules.is_org_word(pl.low) or pl.low in rules.p.source_nouns)):
            return True
    return False


def cue_form(rules: Any, sent: Any, t: Any) -> bool:
    """An English cue word used as an active speech verb: not a gerund after a preposition
    ("banned from claiming"), not a passive ("were reported", "has been told"), not a
    capitalised word inside a sentence ("Prime Minister's Questions") unless the sentence
    is a title-case headline."""
    if not _verb_form(rules, sent, t):
        return False
    toks = sent.toks
    prev = toks[t.i - 1].low if t.i > 0 else ""
    if t.low.endswith("ing") and prev in GERUND_PREPS:
        return False
    if prev in rules.p.determiners and prev not in ("that",):
        return False  # "the claims", "his questions"
    if t.low.endswith("s") and not t.low.endswith("ss") and prev in GERUND_PREPS | {"over", "with", "by", "to", "under", "and", "or"}:
        return False  # "over fears", "of claims"
    k = t.i - 1
    while k >= 0 and (toks[k].low.endswith("ly") or toks[k].low in ("also", "not", "already")):
        k -= 1
    if k >= 0 and toks[k].low in BE and t.low != t.lemma and not t.low.endswith("ing"):
        return False
    if t.i > 0 and rules.is_cap_word(t):
        words = [x for x in toks if x.text.isalpha() and len(x.text) > 3]
        if sum(rules.is_cap_word(x) for x in words) < 0.6 * len(words):
            return False
    return True


def _told_clause(rules: Any, toks: list, ci: int) -> int | None:
    """Start of the bare clause after "tell <listener>" ("told reporters every case will …")."""
    p = rules.p
    k = ci + 1
    n = len(toks)
    while k < n and k - ci <= 4 and (rules.is_cap_word(toks[k]) or toks[k].low in ("him", "her", "them", "us", "me", "the") or (toks[k].text.isalpha() and toks[k].text[:1].islower() and toks[k].low not in CLAUSE_OPENERS and toks[k].low not in p.np_stop and toks[k].low not in p.complementizers and lemma(toks[k].low, rules.code) not in p.cues)):
        k += 1
    if k > ci + 1 and k + 1 < n and toks[k].low in CLAUSE_OPENERS and toks[k].low not in ("the", "a", "an") and toks[k + 1].text.isalpha():
        return k
    return None


def clause_start(rules: Any, toks: list, ci: int, lem: str) -> int | None:
    """Before the comma rule: "said her party has …" (a possessive opens the clause) and
    "told reporters every case will …"."""
    p = rules.p
    n = len(toks)
    if ci + 2 < n and toks[ci + 1].low in POSSESSIVES and toks[ci + 2].text[:1].islower() and toks[ci + 2].text.isalpha() and toks[ci + 2].low not in p.complementizers and toks[ci + 2].low not in p.np_stop:
        return ci + 1
    if lem == "tell":
        return _told_clause(rules, toks, ci)
    return None


def bare_clause_start(rules: Any, toks: list, ci: int, lem: str) -> int | None:  # noqa: ARG001
    """After the comma rule: "said (that) Q" / "told reporters (that) Q"."""
    p = rules.p
    n = len(toks)
    k = ci + 1
    while k < n and k - ci <= 4 and toks[k].low not in p.complementizers and not toks[k].is_punct and (toks[k].low not in p.pronouns or k == ci + 1) and toks[k].low not in ("the", "a"):
        if toks[k].low in LISTENERS or rules.is_cap_word(toks[k]) or toks[k].low in TIME_WORDS:
            k += 1
            continue
        break
    if k < n and toks[k].low in p.complementizers:
        return k
    if k < n and k == ci + 1 and (toks[k].low in p.pronouns or toks[k].low in ("the", "a") or rules.is_cap_word(toks[k])):
        return k
    return None
