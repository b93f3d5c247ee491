"""Statements without a cue verb in their sentence: a headline "Name: statement" (a one-line
paragraph without final punctuation) and, in languages with comma complementizers, "X [verb of
any kind], dass Q" / "X …, Q (Konjunktiv I)" with a person or organisation as subject."""

from __future__ import annotations

from ..document import Document, Draft
from ..text import Sent
from .phrases import END_PUNCT, first_content, has_verb, np_after, np_score
from .quote_marks import QUOTE_CHARS
from .resolve import resolve

_NO_REPORT_AFTER_COMMA = {"und", "aber", "oder", "weil", "wenn", "da", "als", "um", "ohne", "sondern"}
_NO_REPORT_BEFORE_COMMA = ("so", "ohne", "statt", "anstatt", "als", "außer", "bis")
_DA_WORDS_REPORTING = ("davon", "darauf", "daran", "darüber")  # "dafür, dass" is no report, "darauf, dass" can be


def headline(doc: Document, s: Sent) -> Draft | None:
    """A one-line paragraph "Name: statement" without final punctuation (a headline)."""
    toks = s.toks
    if toks[-1].text in END_PUNCT or len(toks) < 4:
        return None
    if sum(1 for x in doc.sents if x.para == s.para) != 1:
        return None
    colon = next((t.i for t in toks[:6] if t.text == ":"), None)
    if colon is None or colon + 2 >= len(toks):
        return None
    rng = np_after(doc, s, 0)
    if rng is None or rng[1] != colon or np_score(doc, s, rng) < 2:
        return None
    refs = resolve(doc, s, rng)
    if not refs:
        return None
    d = Draft("Indirect", [(toks[colon + 1].s, toks[-1].e)], s.idx, s.idx, (toks[colon].s, toks[colon].e),
              doc.char_span(s, rng), refs, None, 0.5)
    d.frame = ""
    return d


def complement_clause(doc: Document, s: Sent) -> Draft | None:
    """"X [verb], dass Q" / "X [verb], Q-with-Konjunktiv-I": an Indirect statement of X."""
    r = doc.rules
    lang = r.language
    comps = lang.comma_complementizers
    if not comps:
        return None
    toks = s.toks
    not_after = lang.relative_pronouns | r.words["question_words"] | _NO_REPORT_AFTER_COMMA
    for k in range(2, len(toks) - 3):
        konj_clause = (toks[k].text == "," and k + 2 < len(toks) and toks[k + 1].low not in not_after
                       and any(r.mood(t.text) == 1 for t in toks[k + 1:k + 7]) and not r.mood(toks[k + 1].text))
        if not ((toks[k].text == "," and toks[k + 1].low in comps or konj_clause) and toks[k - 1].low not in _NO_REPORT_BEFORE_COMMA):
            continue
        before = toks[k - 1].low
        if before.startswith("da") and len(before) > 3 and before not in _DA_WORDS_REPORTING:
            return None  # "dafür, dass", "dazu, dass": not a report
        rng = np_after(doc, s, first_content(doc, toks, 0, k))
        if rng is None or rng[1] >= k or np_score(doc, s, rng) < 1:
            return None
        if not has_verb(doc, toks[rng[1]:k]):
            return None
        refs = resolve(doc, s, rng)
        if not refs:
            return None
        b = len(toks)
        while b > k + 2 and toks[b - 1].is_punct and toks[b - 1].text not in QUOTE_CHARS:
            b -= 1
        a = k + 1 if (r.conv.keep_complementizer or konj_clause) else k + 2
        d = Draft("Indirect", [(toks[a].s, toks[b - 1].e)], s.idx, s.idx, None, doc.char_span(s, rng), refs, None, 0.4)
        d.frame = doc.text[s.s:toks[k].s]
        return d
    return None
