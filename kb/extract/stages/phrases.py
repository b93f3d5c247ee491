"""Noun phrases and subjects by position and capitalisation (no parser): the speaker noun
phrase after a token, the subject before a cue (Vorfeld in verb-second languages, the NP
right before the verb in SVO ones), the subject after the cue, clause bounds, "looks like a
verb", "looks like someone who speaks"."""

from __future__ import annotations

from ..document import Document, TokRange
from ..speakers import norm_tokens
from ..text import Sent, Tok, is_known, lemma
from .quote_marks import QUOTE_CHARS, title_mark

CLAUSE_PUNCT = {",", ":", ";", "–", "—", "(", ")", "-"}
END_PUNCT = {".", "!", "?", "…"}


def first_content(doc: Document, toks: list[Tok], start: int, end: int) -> int:
    """Index of the first token in [start, end) that is no leading conjunction or punctuation."""
    skip = doc.rules.words["leading_skip"]
    k = start
    while k < end and (toks[k].low in skip or toks[k].is_punct):
        k += 1
    return k


def _quoted_title_end(doc: Document, toks: list[Tok], j: int) -> int | None:
    """After a short capitalised title in quotation marks starting at token ``j`` (Die
    „Süddeutsche Zeitung“): the index of the token after it; None if it is no such title."""
    m = doc.mark_at(toks[j].s)
    if m is None or len(doc.text[m.cs:m.ce].split()) > 4 or not doc.text[m.cs:m.cs + 1].isupper():
        return None
    n = len(toks)
    while j < n and toks[j].s <= m.c:
        j += 1
    return j


def _apposition_end(doc: Document, s: Sent, j: int, frame: bool) -> int:
    """", Alexander Dartschiew," / ", der Bürgermeister von X," closed by a comma after the head:
    the index after the apposition, or ``j`` (the comma) when there is none."""
    toks = s.toks
    r = doc.rules
    inner = np_after(doc, s, j + 1, limit=12, frame=frame)
    if inner is not None and inner[1] < len(toks) and toks[inner[1]].text == "," and toks[j + 1].low not in r.p.pronouns:
        it = toks[inner[0]:inner[1]]
        if any(r.is_name_word(x) or r.is_role_word(x.low) for x in it) or (len(it) <= 3 and all(r.is_cap_word(x) for x in it)):
            return inner[1]
    return j


def _lowercase_head(doc: Document, toks: list[Tok], i: int, j: int) -> bool:
    """Languages with lowercase nouns: is toks[j] a lowercase word of the NP that started at ``i``?"""
    r = doc.rules
    p = r.p
    t = toks[j]
    lo = t.low
    if not (t.text[:1].islower() and lo not in p.np_stop and not t.is_punct and (j - i < 5 or r.is_org_word(lo) or r.is_role_word(lo))
            and lo.isalpha() and lemma(lo, r.code) not in p.cues and not lo.endswith("ly")):
        return False
    prev = toks[j - 1]
    prev_ok = j > i and (prev.low in p.determiners or r.is_cap_word(prev) or prev.low in r.language.possessive_clitics
                         or (prev.text[:1].islower() and prev.low not in p.np_connectors))
    inflected = lo.endswith("ed") or lo.endswith("ing") or (t.lemma != lo and not (lo.endswith("s") and lo[:-1] == t.lemma))
    return prev_ok and not inflected and (lo in p.determiners or is_known(lo, r.code))


def np_after(doc: Document, s: Sent, i: int, limit: int = 16, frame: bool = False) -> TokRange | None:
    """Token range [i, j) of a speaker noun phrase starting at token i. ``frame``: the source
    NP of a frame ("laut X"), which stops before "in", "aus", … ."""
    r = doc.rules
    p = r.p
    lang = r.language
    toks = s.toks
    n = len(toks)
    if i >= n:
        return None
    t = toks[i]
    if t.low in p.pronouns:
        return (i, i + 1)
    if t.low in lang.demonstratives and (i + 1 >= n or toks[i + 1].is_punct or toks[i + 1].text[:1].islower() and toks[i + 1].low not in p.determiners):
        return (i, i + 1)  # demonstrative used as a pronoun: "sagte dieser, …"
    adj = lang.adjective_ending
    weak_preps = r.words["weak_prepositions"]
    j = i
    has_head = False
    while j < n and j - i < limit:
        t = toks[j]
        lo = t.low
        if t.text in QUOTE_CHARS:
            end = _quoted_title_end(doc, toks, j)  # a title inside a name: Die „Süddeutsche Zeitung“
            if end is None:
                break
            j, has_head = end, True
            continue
        if doc.in_mark(t.s) and not has_head:
            break
        if has_head and j > i and lang.name_np_stop and (lo in p.determiners or lo in lang.name_np_stop) and r.is_name_word(toks[j - 1]):
            # a proper name is not followed by a genitive or a place inside the same NP:
            # "laut Müller die Prüfung …", "nach Angaben von Europol in Wien gefasst"
            break
        if has_head and lo in lang.np_object_articles and t.text[:1].islower() and toks[j - 1].low not in lang.prepositions and toks[j - 1].low not in weak_preps:
            break  # "der Minister Hans Berg den Plan": the object's article (not a title "Die Welt", not "in den USA")
        if lo in p.determiners or lo in lang.np_inner_determiners or (lo in lang.possessive_clitics and j > i):
            j += 1
            continue
        if (r.is_cap_word(t) or ("-" in t.text and (t.text.split("-")[-1][:1].isupper() or t.text[:1].isdigit()))) and lo not in p.np_stop:
            has_head = True
            j += 1
            continue
        if t.text == "," and has_head and j + 1 < n and limit > 12:
            j = _apposition_end(doc, s, j, frame)
            break
        weak = lo in weak_preps
        if weak and frame:
            break
        if weak and j + 1 < n and not (r.is_cap_word(toks[j + 1]) or (r.is_role_word(toks[j - 1].low) and toks[j + 1].low in p.determiners)):
            break
        if lo in p.np_connectors and has_head and j + 1 < n and (r.is_cap_word(toks[j + 1]) or toks[j + 1].low in p.determiners):
            j += 1
            continue
        if t.text[:1].islower() and lo not in p.np_stop and not t.is_punct and not has_head and (adj is None or adj.search(lo)):
            j += 1  # adjective before the head
            continue
        if not lang.nouns_capitalised and _lowercase_head(doc, toks, i, j):
            j += 1
            has_head = True
            continue
        break
    while j > i and (toks[j - 1].low in p.np_connectors or toks[j - 1].is_punct or toks[j - 1].low in p.determiners):
        j -= 1
    if j <= i or not any(r.is_cap_word(x) or not lang.nouns_capitalised or ("-" in x.text and x.text[:1].isdigit()) for x in toks[i:j]):
        return None
    return (i, j)


def subject_before_svo(doc: Document, s: Sent, cue_i: int, clause_start: int) -> TokRange | None:
    """SVO languages: the noun phrase right before the verb, read backwards."""
    r = doc.rules
    p = r.p
    toks = s.toks
    svo_skip, svo_links = r.words["svo_skip"], r.words["svo_links"]
    j = cue_i
    while j > clause_start and (toks[j - 1].low in r.aux or toks[j - 1].low.endswith("ly") or toks[j - 1].low in svo_skip):
        j -= 1
    k = j
    while k > clause_start:
        t = toks[k - 1]
        lo = t.low
        if r.is_cap_word(t) and not doc.in_mark(t.s):
            k -= 1
            continue
        if lo in r.language.possessive_clitics or lo in p.determiners:
            k -= 1
            continue
        if lo in svo_links and k - 1 > clause_start and (r.is_cap_word(toks[k - 2]) or toks[k - 2].text[:1].islower()) and k < j:
            if lo == "and" and not r.is_cap_word(toks[k - 2]):
                break
            k -= 1
            continue
        if t.text[:1].islower() and t.text.isalpha() and lo not in p.np_stop and lo == t.lemma or (lo.endswith("s") and not lo.endswith("ss") and lo[:-1] == t.lemma):
            if lo.endswith("ed") or lo.endswith("ing") or lo in p.cues or t.lemma in p.cues:
                break
            k -= 1
            continue
        break
    while k < j and (toks[k].low in svo_links or toks[k].is_punct):
        k += 1
    if k >= j or j - k > 10:
        return None
    if j - k == 1 and toks[k].low in ("it", "this", "that", "which", "who"):
        return None
    return (k, j)


def subject_before(doc: Document, s: Sent, cue_i: int, clause_start: int) -> TokRange | None:
    """Subject noun phrase at the start of the clause (the Vorfeld), ending before the cue."""
    r = doc.rules
    if not r.language.verb_second:
        return subject_before_svo(doc, s, cue_i, clause_start)
    toks = s.toks
    k = clause_start
    while k < cue_i and (toks[k].low in r.words["leading_skip"] or toks[k].low in r.subord or toks[k].is_punct or toks[k].text in QUOTE_CHARS):
        k += 1
    if k >= cue_i:
        return None
    if toks[k].low in r.vorfeld_adverbials and toks[k].low not in r.p.determiners:
        return None
    rng = np_after(doc, s, k)
    if rng is None or rng[1] > cue_i:
        return None
    if rng[1] - rng[0] == 1 and toks[rng[0]].low in r.words["expletives"]:
        return None
    return rng


def subject_after(doc: Document, s: Sent, i: int) -> TokRange | None:
    """The NP after the cue ("sagte gestern Putin"), past adverbs and a separable particle."""
    r = doc.rules
    toks = s.toks
    adverbs = r.words["adverbs_after_cue"]
    j = i
    while j < len(toks) and toks[j].low in r.language.reflexives:
        j += 1  # "äußerte sich der Minister"
    while j < len(toks) and (toks[j].low in adverbs or r.language.adverb(toks[j].text) or toks[j].low in r.particle_set and toks[j].low != "von" and not (j + 1 < len(toks) and toks[j + 1].low in r.p.determiners)):
        if toks[j].low == "am" and j + 1 < len(toks):
            j += 2
            continue
        j += 1
    return np_after(doc, s, j)


def trim_np(doc: Document, s: Sent, rng: TokRange | None) -> TokRange | None:
    """``rng`` without trailing auxiliaries and punctuation."""
    if rng is None:
        return None
    a, b = rng
    toks = s.toks
    while b > a and (toks[b - 1].low in doc.rules.aux or toks[b - 1].is_punct):
        b -= 1
    return (a, b) if b > a else None


def np_score(doc: Document, s: Sent, rng: TokRange | None) -> int:
    """How much the NP looks like a speaker: 3 name or personal pronoun, 2 role, 1 organisation,
    3 less for an object case ("Der Zeitung sagte er")."""
    if rng is None:
        return -9
    r = doc.rules
    p = r.p
    toks = s.toks[rng[0]:rng[1]]
    if len(toks) == 1 and toks[0].low in p.pronouns:
        return 3 if p.pronouns[toks[0].low] in ("m", "f", "f|pl", "pl") else 0
    sc = 0
    nt = norm_tokens(doc.text[toks[0].s:toks[-1].e], r.code)
    if r.g.match_name(nt) or any(r.is_name_word(t) for t in toks):
        sc = 3
    elif any(r.is_role_word(t.low) for t in toks):
        sc = 2
    elif any(r.is_org_word(t.low) for t in toks):
        sc = 1
    if toks[0].low in r.language.dative_words:
        sc -= 3
    return sc


def speakerish(doc: Document, s: Sent, rng: TokRange) -> bool:
    """Whether a candidate speaker NP looks like someone who can speak: a personal pronoun,
    a name, a role or organisation noun, or a source noun ("the letter"); not a lowercase
    phrase cut out of the sentence ("high alert and")."""
    r = doc.rules
    toks = s.toks[rng[0]:rng[1]]
    if not toks:
        return False
    if len(toks) == 1 and toks[0].low in r.p.pronouns:
        return True
    if np_score(doc, s, rng) >= 1:
        return True
    for t in toks:
        if r.is_cap_word(t) and t.i > 0:
            return True
        if t.low in r.p.source_nouns:
            return True
    return False


def has_verb(doc: Document, toks: list[Tok]) -> bool:
    """Does a token range contain something that looks like a finite verb?"""
    r = doc.rules
    for t in toks:
        if t.is_punct or doc.in_mark(t.s):
            continue
        if t.low in r.aux or r.mood(t.text) or r.language.finite_form(t):
            return True
    return False


def clause_bounds(doc: Document, s: Sent, i: int) -> tuple[int, int]:
    """Token bounds of the clause around token ``i`` (commas, colons, quotation marks)."""
    toks = s.toks
    a = i
    while a > 0 and toks[a - 1].text not in (",", ";", ":") and (toks[a - 1].text not in QUOTE_CHARS or title_mark(doc, toks[a - 1].s)):
        a -= 1
    b = i
    while b < len(toks) and toks[b].text not in (",", ";", ":") and toks[b].text not in END_PUNCT:
        b += 1
    return a, b
