"""Attribution frames without a speech verb: "laut X", "gemäß X", "X zufolge", "nach Angaben
(von) X", "nach eigenen Angaben", ", so X", "Demnach", "heißt es", "In einer Erklärung des X …"
(+ Konjunktiv), "according to X" ("according to X, quoting Y, …": speaker Y, relay X). A frame
next to a cue verb with its own subject is a relay ("sagte X laut Y"); a document frame yields
to a cue verb in its clause. The frame words come from ``data/<lang>/frames.toml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..document import Document, Draft, SentenceState, TokRange
from ..text import Sent
from .cue_clauses import cue_clause
from .phrases import END_PUNCT, has_verb, np_after
from .quote_marks import QUOTE_CHARS
from .resolve import latest, note_speakers, prev_draft, resolve, sentence_subject, source_subject

_ADJ_ENDING = re.compile(r"(e|en|er|es|em)$")
_LAUT_ADVERB_BEFORE = ("sehr", "so", "zu", "besonders", "ganz", "nicht")  # "sehr laut": the adverb
_POSSESSIVE_BEFORE_NACH = ("seiner", "ihrer", "meiner", "unserer")  # "Seiner Meinung nach"
_NACH_SOURCE_NOUN_ENDINGS = ("angaben", "berichten", "meinung", "aussagen", "einschätzung", "medien", "studie", "analyse",
                             "stellungnahme", "informationen", "erkenntnissen", "darstellung", "ansicht")
_DOC_ADJECTIVES = {"seiner", "ihrer", "einer", "einem", "gemeinsamen", "offiziellen", "schriftlichen"}
_SOURCE_LINKS = ("der", "des", "von", "vom", "dem", "eines", "einer")
_IMPERSONAL_SOURCE = ("in", "im", "aus", "bei", "beim", "von", "vom")


@dataclass
class FrameMatch:
    """A frame at tokens [start, end) of kind laut | nach | doc | zufolge | so | demnach |
    heisst, with its source NP (``spk``) and, for "according to X, quoting Y", the relay NP."""

    kind: str
    start: int
    end: int
    spk: TokRange | None = None
    relay: TokRange | None = None


def _source_prep(doc: Document, st: SentenceState, i: int) -> FrameMatch | None:
    """"laut X", "gemäß X", "according to X" (", quoting Y" makes X the relay)."""
    r = doc.rules
    s = st.sent
    toks = s.toks
    n = len(toks)
    lo = toks[i].low
    for prep in r.src_preps:
        if lo == "laut" and i > 0 and (toks[i - 1].low in r.p.determiners or toks[i - 1].low in _LAUT_ADVERB_BEFORE):
            return None  # the adverb: "mit einem laut gerufenen …", "sehr laut"
        if tuple(x.low for x in toks[i:i + len(prep)]) != prep:
            continue
        spk = np_after(doc, s, i + len(prep), frame=True)
        if not spk:
            return None
        fm = FrameMatch("laut", i, spk[1], spk)
        j = spk[1]
        if j + 2 < n and toks[j].text == "," and toks[j + 1].low in r.citing:
            # "according to X, quoting Y, …": Y said it, X relayed it
            inner = np_after(doc, s, j + 2, frame=True)
            if inner is not None:
                fm.relay, fm.spk, fm.end = spk, inner, inner[1]
                if fm.end + 2 < n and toks[fm.end].text == "(" and toks[fm.end + 2].text == ")":
                    fm.end += 3  # "(KCNA)"
        return fm
    return None


def _nach_postposed(doc: Document, st: SentenceState, i: int) -> FrameMatch | None:
    """Postposed: "Seiner Meinung nach …", "Ansicht der Experten nach"."""
    r = doc.rules
    toks = st.sent.toks
    if toks[i].low == "nach" and i > 1 and toks[i - 1].low in r.nach_nouns and (
            toks[i - 2].low in _POSSESSIVE_BEFORE_NACH or toks[i - 2].low in r.p.determiners or r.is_cap_word(toks[i - 2])):
        return FrameMatch("nach", i - 2, i + 1, (i - 2, i))
    return None


def _nach_source(doc: Document, st: SentenceState, i: int) -> FrameMatch | None:
    """"nach Angaben (von) X", "nach eigenen Angaben", "nach Aussagen Gordons", "Polizeiangaben"."""
    r = doc.rules
    s = st.sent
    toks = s.toks
    n = len(toks)
    if toks[i].low != "nach" or i + 1 >= n:
        return None
    j = i + 1
    while j + 1 < n and j - i <= 3 and (toks[j].text[:1].islower() or toks[j].low in r.p.determiners):
        j += 1  # "nach eigenen Angaben", "nach einer ersten Analyse", "nach dessen Angaben"
    jl = toks[j].low
    if not (jl in r.nach_nouns or jl.endswith(_NACH_SOURCE_NOUN_ENDINGS)):
        return None
    spk = None
    if j + 1 < n and toks[j + 1].low in _SOURCE_LINKS:
        spk = np_after(doc, s, j + 2 if toks[j + 1].low in ("von", "vom") else j + 1, frame=True)
    elif j + 1 < n and r.is_cap_word(toks[j + 1]) and r.is_name_word(toks[j + 1]):
        spk = np_after(doc, s, j + 1, frame=True)  # "nach Aussagen Gordons"
    if spk is None and j > i + 1 and toks[j - 1].low in ("dessen", "deren"):
        spk = (j - 1, j)
    fm = FrameMatch("nach", i, spk[1] if spk else j + 1, spk)
    if spk is None and not toks[j].text[:1].islower():
        if toks[j].low.endswith("angaben") and len(toks[j].low) > 8:
            fm.spk = (j, j + 1)  # "Polizeiangaben"
        elif r.conv.frame_word_as_speaker:
            fm.spk = (i + 1, j + 1)  # "eigenen Angaben" as the speaker mention
    return fm


def _document(doc: Document, st: SentenceState, i: int) -> FrameMatch | None:
    """"In einer Erklärung des Ministeriums …" + Konjunktiv, unless a cue verb of its own
    takes over ("In einem Interview sagte X, …")."""
    r = doc.rules
    s = st.sent
    toks = s.toks
    n = len(toks)
    if not (toks[i].low in r.doc_preps and i + 2 < n and (i == 0 or toks[i - 1].text == ",")):
        return None
    j = i + 1
    while j < n and j - i <= 3 and toks[j].low in r.p.determiners | _DOC_ADJECTIVES or (j < n and toks[j].text[:1].islower() and j - i <= 3 and _ADJ_ENDING.search(toks[j].low)):
        j += 1
    clause_end = next((k for k in range(j, n) if toks[k].text in (",", ":", ";")), n)
    if not (j < n and toks[j].low in r.doc_nouns and any(r.mood(t.text) for t in toks[j:])
            and not any(j < c[0] < clause_end and c[0] not in st.used_cues for c in st.cues)):
        return None
    spk = None
    if j + 1 < n and toks[j + 1].low in ("der", "des", "von", "vom"):
        spk = np_after(doc, s, j + 2 if toks[j + 1].low in ("von", "vom") else j + 1)
    if spk is None:
        spk = (i + 1, j + 1)
    return FrameMatch("doc", i, max(spk[1], j + 1), spk)


def _postposition(doc: Document, st: SentenceState, i: int) -> FrameMatch | None:
    """"X zufolge": the NP before the postposition."""
    r = doc.rules
    toks = st.sent.toks
    if not (toks[i].low in r.postpositions and i > 0):
        return None
    k = i - 1
    while k >= 0 and not toks[k].is_punct and k not in st.covered and (i - k) <= 10:
        if toks[k].low in r.aux or (toks[k].text[:1].islower() and toks[k].low not in r.p.determiners and toks[k].low not in r.p.np_connectors and not _ADJ_ENDING.search(toks[k].low)):
            break
        k -= 1
    k += 1
    return FrameMatch("zufolge", k, i + 1, (k, i)) if k < i else None


def _so(doc: Document, st: SentenceState, i: int) -> FrameMatch | None:
    """", so X" closing the reported clause (or the sentence)."""
    r = doc.rules
    s = st.sent
    toks = s.toks
    n = len(toks)
    if not (toks[i].low in r.so_words and i > 0 and toks[i - 1].text == "," and i + 1 < n):
        return None

    def closes(rng: TokRange) -> bool:
        return rng[1] >= n or toks[rng[1]].text in END_PUNCT or toks[rng[1]].text in (",", ")")

    rng = np_after(doc, s, i + 1)
    if rng and not closes(rng):
        rest = toks[rng[1]:]
        if len(rest) <= 14 and not has_verb(doc, rest) and not any(t.text == "," for t in rest[:-1]):
            rng = (rng[0], n - 1 if toks[n - 1].is_punct else n)
    if rng and closes(rng):
        return FrameMatch("so", i - 1, rng[1], rng)
    return None


def _anaphoric(doc: Document, st: SentenceState, i: int) -> FrameMatch | None:
    """"Demnach", "wonach": the source was named before."""
    r = doc.rules
    toks = st.sent.toks
    window = r.conv.anaphoric_frame_window
    if toks[i].low in r.anaphoric and (i == 0 or toks[i - 1].text == "," or window and i < window):
        return FrameMatch("demnach", i, i + 1)
    return None


def _impersonal(doc: Document, st: SentenceState, i: int) -> FrameMatch | None:
    """"heißt es" (+ "in einer Erklärung des Ministeriums"), "it is reported"."""
    s = st.sent
    toks = s.toks
    n = len(toks)
    for imp in doc.rules.impersonal:
        if tuple(x.low for x in toks[i:i + len(imp)]) != imp:
            continue
        fm = FrameMatch("heisst", i, i + len(imp))
        if fm.end < n and toks[fm.end].low in _IMPERSONAL_SOURCE:
            rng = np_after(doc, s, fm.end + 1)
            if rng:
                fm.spk, fm.end = rng, rng[1]
        return fm
    return None


MATCHERS: tuple[Callable[[Document, SentenceState, int], FrameMatch | None], ...] = (
    _source_prep, _nach_postposed, _nach_source, _document, _postposition, _so, _anaphoric, _impersonal,
)


def _quote_spans(st: SentenceState, fm: FrameMatch) -> list[tuple[int, int]]:
    """The quote: the sentence without the frame (one or two spans)."""
    toks = st.sent.toks
    b = len(toks)
    while b > 0 and toks[b - 1].text in END_PUNCT:
        b -= 1
    out = []
    for x, y in ((0, fm.start), (fm.end, b)):
        while x < y and (toks[x].is_punct and toks[x].text not in QUOTE_CHARS or x in st.covered):
            x += 1
        while y > x and (toks[y - 1].is_punct and toks[y - 1].text not in QUOTE_CHARS or (y - 1) in st.covered):
            y -= 1
        if y - x >= 2:
            out.append((toks[x].s, toks[y - 1].e))
    return out


def _antecedent(doc: Document, s: Sent, i: int) -> TokRange | None:
    """The NP a relative "wonach" at token ``i`` refers to: the one that ends at the comma
    before it ("eine Schätzung, wonach …", "Ein Bericht der Agentur „Interfax“, wonach …");
    None when the word before the comma ends no NP (a verb: "…, zurückgewiesen, wonach")."""
    toks = s.toks
    c = i - 1
    if c < 1 or toks[c].text != ",":
        return None
    best = None
    for k in range(c - 1, max(-1, c - 13), -1):
        if toks[k].text in (",", ";", ":") or toks[k].text in END_PUNCT:
            break
        rng = np_after(doc, s, k)
        if rng is not None and rng[1] <= c and all(t.text in QUOTE_CHARS for t in toks[rng[1]:c]) and not (k > 0 and toks[k - 1].low in doc.rules.p.determiners):
            best = rng
    return best


def _frame_draft(doc: Document, st: SentenceState, fm: FrameMatch, i: int, spans: list[tuple[int, int]]) -> Draft:
    s = st.sent
    toks = s.toks
    refs = []
    sp_span = None
    if fm.spk is not None:
        refs = resolve(doc, s, fm.spk)
        sp_span = doc.char_span(s, fm.spk)
    elif fm.kind == "demnach" and (ante := _antecedent(doc, s, i)) is not None:
        refs = resolve(doc, s, ante)  # "ein Bericht der Agentur, wonach …": the noun before the comma
        sp_span = doc.char_span(s, ante) if refs else None
    elif fm.kind in ("demnach", "nach"):
        prev = prev_draft(doc, s.idx, 3)
        if prev is not None:
            refs, sp_span = list(prev.refs), latest(doc, prev.refs, toks[i].s, prev.speaker_span)
        if fm.kind == "demnach" and not refs:
            src = source_subject(doc, s.idx - 1)  # "Die Kommission legte einen Bericht vor. Demnach …"
            if src is not None:
                sp_span, refs = src
        if doc.rules.conv.frame_word_as_speaker and fm.kind == "demnach":
            sp_span = (toks[i].s, toks[i].e)  # "Demnach" as the speaker mention
            if not refs:
                # the source need not be a person or organisation ("Inzwischen sind präzise
                # Vorwürfe bekannt geworden. Demnach …")
                src = source_subject(doc, s.idx - 1, min_score=0)
                refs = src[1] if src is not None else []
        elif fm.kind == "demnach":
            subj = sentence_subject(doc, s.idx - 1)
            if subj:
                sp_span, ref = subj
                refs = [ref]
    kw = {"zufolge": fm.end - 1, "so": fm.start + 1}.get(fm.kind, fm.start)
    relay = None
    if fm.relay is not None:
        rr = resolve(doc, s, fm.relay)
        relay = rr[0] if rr else None
    d = Draft("Indirect", spans, s.idx, s.idx, (toks[kw].s, toks[kw].e), sp_span, refs, relay, 0.75 if refs else 0.5)
    d.frame = doc.text[toks[fm.start].s:toks[min(fm.end, len(toks)) - 1].e]
    note_speakers(doc, s, refs, sp_span)
    return d


def _as_relay(doc: Document, st: SentenceState, fm: FrameMatch) -> Draft | None:
    """"sagte X laut Y": a cue verb with its own subject makes the frame's source a relay."""
    own = [c for c in st.cues if c[0] not in st.used_cues and not (fm.start <= c[0] < fm.end)]
    if doc.rules.conv.relay_cue_before_frame_only:
        own = [c for c in own if c[0] < fm.start]
    if not (own and fm.kind in ("laut", "nach") and fm.spk is not None):
        return None
    ci, lem, pi = own[0]
    d = cue_clause(doc, st, ci, lem, pi, relay_rng=fm.spk, frame_rng=(fm.start, fm.end))
    if d is not None:
        st.used_cues.add(ci)
    return d


def frame(doc: Document, st: SentenceState) -> Draft | None:
    """The first attribution frame of the sentence as an Indirect statement (or the cue
    clause it relays), None if there is none."""
    r = doc.rules
    s: Sent = st.sent
    for i, t in enumerate(s.toks):
        if i in st.covered or (t.low not in r.frame_first and t.low not in r.doc_preps):
            continue
        fm = next((x for x in (m(doc, st, i) for m in MATCHERS) if x is not None), None)
        if fm is None:
            continue
        d = _as_relay(doc, st, fm)
        if d is not None:
            return d
        spans = _quote_spans(st, fm)
        if not spans or (fm.kind == "so" and fm.start < 2):
            continue
        return _frame_draft(doc, st, fm, i, spans)
    return None
