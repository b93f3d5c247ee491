"""English quotations without a cue of their own (``uncued_quotations``): the verb the parse
hangs them on, a cue word right after them, the clause before a colon, a cue in the sentences
around them, else the previous quotation's speaker while quotations follow each other.
"""

from __future__ import annotations

from dataclasses import replace

from .tree import (Attribution, QUOTE_CHARS, asked_participle, doc_text, inverted_source, outside_subject,
                   name_span, region_at, sentence_of, source_of, source_triple, source_triple_at, span_chars,
                   trim_chars)

_GOVERNED_DEPS = {"ccomp", "parataxis", "dobj", "xcomp", "dep", "oprd"}
_NOT_CUES = {"be", "have", "do", "get", "become", "seem", "make", "take"}
_NP_POS = ("DET", "PROPN", "NOUN", "ADJ", "NUM", "PRON")


def _closed(text: str, reg: tuple[int, int]) -> bool:
    return reg[1] <= len(text) and text[reg[1] - 1] in QUOTE_CHARS


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
                    and region_at(tok.idx, regions) is None and not asked_participle(doc, tok)):
                subj = outside_subject(tok, regions) or inverted_source(doc, tok)
                if subj is not None and region_at(subj.idx, regions) is None:
                    return (source_triple_at(doc, subj, tok),
                            (tok.idx, tok.idx + len(tok.text)))
    return None, None


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
    if not len(seg) or region_at(seg[0].idx, regions) is not None:
        return None
    for t in seg:
        if t.pos_ in ("VERB", "AUX") and kinds.get(t.lemma_.lower()) == "speech":
            subj = source_of(t)
            if subj is not None and subj.i < colon.i:
                return source_triple(doc, subj), (t.idx, t.idx + len(t.text))
    # tokens are made anew on each access (``t.head is t`` never holds): compare indices
    roots = [t for t in seg if not (seg.start <= t.head.i < seg.end) or t.head.i == t.i]
    subj = None
    for r in roots:
        if r.pos_ in ("VERB", "AUX"):
            subj = source_of(r)
            break
    if subj is None:
        subj = next((r for r in roots if r.pos_ in ("NOUN", "PROPN", "PRON")), None)
        if subj is not None:  # the noun phrase without its topic ("on the raid")
            return ((span_chars(doc, (subj.left_edge.i, subj.i + 1)), name_span(doc, subj), subj.i), None)
    if subj is None or not (seg.start <= subj.i < seg.end) or subj.pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    return source_triple(doc, subj), None


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
                or region_at(head.idx, regions) is not None):
            return None
        subj = source_of(head) or inverted_source(doc, head)
        if subj is None or region_at(subj.idx, regions) is not None or subj.pos_ not in ("NOUN", "PROPN", "PRON"):
            return None
        return source_triple_at(doc, subj, head), (head.idx, head.idx + len(head.text))
    return None


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
            return ((span_chars(doc, (run[0].i, run[-1].i + 1)), span_chars(doc, (name_from, run[-1].i + 1)),
                     heads[-1].i), (t.idx, t.idx + len(t.text)))
        if not (t.pos_ in _NP_POS or t.tag_ == "POS" or (t.text in "-–" and run)) or "\n" in t.whitespace_:
            return None
        run.append(t)
    return None


def uncued_quotations(doc, text: str, kinds: dict, regions: list[tuple[int, int]],
                       found: list[Attribution]) -> None:
    """Quotations without a cue of their own: a cue near them, or the speaker of the quotation
    before them (appended to ``found``, or joined to the quotation they continue)."""
    last_src: tuple | None = None
    last_end = 0  # where the quotation of last_src ends
    continued = False  # the previous paragraph's quotation had no closing mark
    prev: tuple[int, tuple[int, int]] | None = None  # (index in found, region) of the last direct quotation
    unsourced: list[int] = []  # quotations without a speaker that run on into this paragraph
    for reg in regions:
        inner = (reg[0] + 1, reg[1] - 1)
        was_continued, continued = continued, not _closed(text, reg)
        if not was_continued:
            unsourced = []
        hit = [a for a in found if a.content[0] < inner[1] and inner[0] < a.content[1]]
        if hit:
            direct = [h for h in hit if h.direct]
            if direct:
                last_src = (direct[0].source, direct[0].name, direct[0].head)
                last_end = reg[1]
                prev = (found.index(direct[0]), reg)
                _give_speaker(found, unsourced, last_src)
                unsourced = []
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
        span = trim_chars(text, *inner)
        if prev is not None and _same_quotation(doc, found[prev[0]], prev[1], reg, cue):
            p = found[prev[0]]
            found[prev[0]] = replace(p, extra=p.extra + (span,))
            continue
        if src is not None and src[0] is not None:
            _give_speaker(found, unsourced, src)
            unsourced = []
        found.append(Attribution(span, cue, src[0] if src else None, "speech", True,
                                 src[1] if src else None, src[2] if src else None))
        prev = (len(found) - 1, reg)
        if src is None or src[0] is None:
            unsourced.append(len(found) - 1)


def _give_speaker(found: list[Attribution], indices: list[int], src: tuple) -> None:
    """A quotation that runs over paragraphs before its cue comes ('"A.¶"B," X said.') is X's
    from its first paragraph: the open paragraphs without a speaker take the one found later."""
    for k in indices:
        found[k] = replace(found[k], source=src[0], name=src[1], head=src[2])


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
