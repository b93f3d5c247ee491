"""Parse-tree helpers for English attribution: quotation ranges, character spans, and the
speaker position of a cue (subject, passive agent, inverted or left-hand source).

    quote_regions(text) -> [(start, end)]        # paired quotation marks, per paragraph
    source_of(verb) / outside_subject(verb, regions) / inverted_source(doc, cue) / left_source(...)
    noun_phrase(tok, cue) -> token range; span_chars(doc, rng) -> character range

Shared by ``parse`` (cue attributions) and ``uncued`` (quotations without a cue of their own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUOTE_CHARS = "\"“”‘’'«»"
_OPEN = {"“": "”", '"': '"', "«": "»"}
_DOUBLE_MARK = re.compile('[“”"]')
# prepositions whose gerund takes the subject of the verb they hang on ("X left after saying …")
_SAME_SUBJECT_PREPS = {"while", "whilst", "after", "before", "by", "when", "without", "since", "upon"}
ADDRESSEE_CUES = {"tell", "ask", "order", "urge", "remind", "advise", "assure", "inform", "warn", "instruct"}


@dataclass(frozen=True)
class Attribution:
    """One attribution: half-open character ranges into the document text."""

    content: tuple[int, int]
    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    kind: str = "speech"  # speech | thought | intention
    direct: bool = False
    name: tuple[int, int] | None = None  # the source's name or head phrase, without apposition
    head: int | None = None  # token index of the source's head word (for coreference)
    noun_object: bool = False  # the content is the cue's noun object ("backs the deal")
    relay: tuple[int, int] | None = None  # "according to R, quoting S": R passed S's words on
    relay_head: int | None = None
    extra: tuple[tuple[int, int], ...] = ()  # further spans: '"A," X said. "B."' is one quotation


def doc_text(doc) -> str:
    """The document's text, built once (spaCy's ``Doc.text`` joins every token on each call)."""
    t = doc.user_data.get("quoth_text")
    if t is None:
        t = doc.user_data["quoth_text"] = doc.text
    return t


def sentence_of(doc, i: int):
    """The sentence (a Span) holding token ``i``; an index built once per document (spaCy's
    ``Token.sent`` walks the document on every call)."""
    idx = doc.user_data.get("quoth_sents")
    if idx is None:
        sents = list(doc.sents)
        owner = [0] * len(doc)
        for k, sp in enumerate(sents):
            for j in range(sp.start, sp.end):
                owner[j] = k
        idx = doc.user_data["quoth_sents"] = (sents, owner)
    return idx[0][idx[1][i]]


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Ranges of paired quotation marks (marks included), paired within each paragraph. A
    quotation that runs over paragraphs (newspaper style: the paragraph opens a mark it does not
    close, the next paragraph opens again) gives one range per paragraph, the open one ending
    at its paragraph's end."""
    out: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        out.extend((pos + a, pos + b) for a, b in _paragraph_regions(para))
        pos += len(para) + 1
    return out


def _paragraph_regions(para: str) -> list[tuple[int, int]]:
    """Quotation ranges of one paragraph. A double mark that opens (“ or ") is closed by the next
    double mark of any shape: texts mix them ('"…”', '“…“', '“…"')."""
    out, i, n = [], 0, len(para)
    while i < n:
        close = _OPEN.get(para[i])
        if close is None:
            i += 1
            continue
        j = para.find(close, i + 1) if close == "»" else _next_double(para, i + 1)
        if j < 0:  # open to the paragraph's end: a quotation continued in the next paragraph
            end = len(para.rstrip())
            if end - i > 2 and len(para[i + 1:end].split()) >= 4:
                out.append((i, end + 1))  # no closing mark: the range ends one past the text
            break
        if j - i > 2:
            out.append((i, j + 1))
        i = j + 1
    return out


def _next_double(para: str, start: int) -> int:
    """Index of the next double quotation mark (“, ” or ") from ``start``, or -1."""
    m = _DOUBLE_MARK.search(para, start)
    return m.start() if m else -1


def trim(doc, a: int, b: int) -> tuple[int, int] | None:
    """Token range [a, b) -> character range without edge punctuation and spaces."""
    while a < b and (doc[a].is_punct or doc[a].is_space) and doc[a].text not in ("$",):
        a += 1
    while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space):
        b -= 1
    if a >= b:
        return None
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)


def trim_chars(text: str, a: int, b: int) -> tuple[int, int]:
    """Character range without edge spaces and punctuation (kept when nothing else is left)."""
    a0, b0 = a, b
    while a < b and (text[a].isspace() or text[a] in ",.;:" + QUOTE_CHARS):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in ",;:" + QUOTE_CHARS):
        b -= 1
    return (a, b) if a < b else (a0, b0)


def noun_phrase(tok, cue=None) -> tuple[int, int]:
    """Token range of a source's full noun phrase (title, apposition, 'of' phrase); relative and
    participial clauses are left out, and so is the cue (and what lies beyond it)."""
    cut = {c.i for c in tok.subtree if c.dep_ in ("relcl", "acl", "advcl", "ccomp", "parataxis")
           and c.i != tok.i}
    toks = [t for t in tok.subtree if not any(a.i in cut for a in (t, *t.ancestors) if a.i != tok.i)]
    if cue is not None:
        toks = [t for t in toks if (t.i > cue.i) == (tok.i > cue.i) and t.i != cue.i]
    keep = {t.i for t in toks} | {tok.i}
    a = b = tok.i
    while a - 1 in keep:
        a -= 1
    while b + 1 in keep:
        b += 1
    return a, b + 1


def name_span(doc, tok) -> tuple[int, int] | None:
    """Character range of a source's name: a proper noun with its compounds ("Chris Weston" of
    "Chris Weston, chief strategist"), else the noun phrase without apposition and clauses."""
    if tok.pos_ == "PROPN":
        parts = [tok] + [c for c in tok.children if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN"]
        return span_chars(doc, (min(t.i for t in parts), tok.i + 1))
    left = min([tok.i] + [c.left_edge.i for c in tok.children if c.i < tok.i])
    return span_chars(doc, (left, tok.i + 1))


def is_passive(verb) -> bool:
    """True when the verb has a passive subject or auxiliary ("was told")."""
    return any(ch.dep_ in ("nsubjpass", "auxpass", "csubjpass") for ch in verb.children)


def subject_of(verb):
    """The speaker position of a cue: its active subject or its passive agent ("by X"); the
    subject of a passive is what was said or whom it was said to, never the speaker."""
    for ch in verb.children:
        if ch.dep_ in ("nsubj", "csubj"):
            return ch
    for ch in verb.children:
        if ch.dep_ == "agent":
            for g in ch.children:
                if g.dep_ == "pobj":
                    return g
    return None


def source_of(verb):
    """The cue's subject, its passive agent, or (participial / coordinated cue) the subject of the
    verb it hangs on."""
    subj = subject_of(verb)
    if subj is not None and subj.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
        return verb.head  # "the senator, who said …"
    v = verb
    hops = 0
    while subj is None and hops < 3 and v.head.i != v.i:
        if v.dep_ == "pcomp" and v.head.lower_ in _SAME_SUBJECT_PREPS and v.head.head.i != v.head.i:
            v = v.head.head  # "X defended the plan whilst promising …" (not "blamed him for saying")
        elif v.dep_ in ("advcl", "conj", "xcomp", "acl"):
            v = v.head
        else:
            break
        subj = subject_of(v)
        hops += 1
    return subj


def outside_subject(verb, regions):
    """The cue's source outside quotations: when the parse takes a name inside the quotation as
    the subject ('"… Sen. Lee," Kay said'), the verb's other subject outside it (or None)."""
    subj = source_of(verb)
    if subj is not None and region_at(subj.idx, regions) is not None:
        subj = next((c for c in verb.children if c.dep_ == "nsubj" and region_at(c.idx, regions) is None), None)
    return subj


def inverted_source(doc, cue):
    """The noun phrase right after a cue without a subject ("…," added the agency), whatever
    the parse made of it: its word whose head lies outside it."""
    run = []
    for t in doc[cue.i + 1:cue.i + 12]:
        if (t.pos_ in ("DET", "PROPN", "NOUN", "ADJ", "NUM", "PRON") or (t.pos_ == "PART" and t.tag_ == "POS")
                or t.dep_ == "amod"):  # "said retired teacher X": a participle as adjective
            run.append(t)
        else:
            break
    if not run or not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in run):
        return None
    ids = {t.i for t in run}
    heads = [t for t in run if t.head.i not in ids or t.head.i == t.i]
    heads = [t for t in heads if t.pos_ in ("PROPN", "NOUN", "PRON")]
    return heads[0] if heads else run[-1]


def left_source(doc, cue, regions):
    """The noun right before a cue without a subject ('her adviser, Jo Lee, said: "…"', where the
    parse hung the name elsewhere), in the cue's sentence and outside quotations; else None."""
    k = cue.i - 1
    if k >= 0 and doc[k].text == ",":
        k -= 1
    if k < 0 or sentence_of(doc, k).start != sentence_of(doc, cue.i).start:
        return None
    t = doc[k]
    if t.pos_ not in ("PROPN", "NOUN", "PRON") or region_at(t.idx, regions) is not None:
        return None
    return t


def span_chars(doc, rng: tuple[int, int]) -> tuple[int, int] | None:
    """Token range -> character range without edge punctuation (None when nothing is left)."""
    return trim(doc, rng[0], rng[1])


def region_at(pos: int, regions) -> tuple[int, int] | None:
    """The quotation range holding character ``pos``, or None."""
    for r in regions:
        if r[0] <= pos < r[1]:
            return r
    return None


def source_triple(doc, subj) -> tuple:
    """(source span, name span, head index) of a subject with its whole noun phrase."""
    return span_chars(doc, noun_phrase(subj)), name_span(doc, subj), subj.i


def source_triple_at(doc, subj, cue) -> tuple:
    """(source span, name span, head index) of a subject, its noun phrase cut at the cue."""
    return span_chars(doc, noun_phrase(subj, cue)), name_span(doc, subj), subj.i


def asked_participle(doc, tok) -> bool:
    """An addressee cue opening its sentence ("Asked what he believed, he said …"): the one asked
    answers in the main clause; the participle is no one's cue."""
    return tok.lemma_.lower() in ADDRESSEE_CUES and tok.i == sentence_of(doc, tok.i).start


def finite(v) -> bool:
    """A verb that can head a clause of its own: a finite form or one with a modal or auxiliary."""
    return v.tag_ in ("VBZ", "VBD", "VBP", "MD") or any(c.dep_ in ("aux", "auxpass") for c in v.children)


def stray_clause(doc, cue) -> tuple[int, int] | None:
    """Token range of a clause the parse hung elsewhere although it is the cue's content: the
    clause that starts right after the cue ('with the paper reporting no one will …', the clause
    made a second complement of the main verb), or, when the cue's object is followed at once by
    a finite verb without a subject of its own, the object and that verb ('promising a review is
    coming', the verb made an adverbial clause of the main verb). None when there is none."""
    obj = next((c for c in cue.children if c.dep_ == "dobj"), None)
    starts = [(cue.i + 1, True)]
    if obj is not None and obj.i > cue.i:
        starts = [(obj.right_edge.i + 1, False)]
    for p, with_subject in starts:
        if p < len(doc) and with_subject and doc[p].lower_ == "that" and doc[p].dep_ == "mark":
            p += 1
        if p >= len(doc) or doc[p].dep_ == "mark" or doc[p].is_punct:
            continue
        v = doc[p]
        while v.head.i != v.i and v.head.left_edge.i == p:
            v = v.head
        if with_subject and v.dep_ in ("nsubj", "nsubjpass") and v.head.pos_ in ("VERB", "AUX"):
            v = v.head  # the clause's subject starts after the cue, the parse put the cue before it
            if v.left_edge.i <= cue.i and (subject_of(cue) is None or any(c.dep_ == "mark" for c in cue.children)):
                continue  # "While speaking, the president …": the cue's clause is subordinate
        elif v.head.i == cue.i or v.head.i == v.i or v.dep_ not in ("ccomp", "advcl", "conj", "parataxis", "dep"):
            continue
        if v.pos_ not in ("VERB", "AUX") or not finite(v):
            continue
        has_subject = any(c.dep_ in ("nsubj", "nsubjpass", "expl") and c.i < v.i for c in v.children)
        if with_subject and has_subject:
            return p, v.right_edge.i + 1
        if not with_subject and not has_subject and v.i == p:
            return obj.left_edge.i, v.right_edge.i + 1
    return None
