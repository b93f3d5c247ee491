"""Continuations: a sentence in the reported-speech mood (Konjunktiv I/II; not conditional:
no "wenn/falls") right after a statement → IndirectFreeIndirect with the same speaker; a
reportative modal ("soll/sollen") → FreeIndirect; Konjunktiv I without a statement before →
reported speech of the previous sentence's subject, else (main-clause Konjunktiv I only) of a
known speaker across sentences (:func:`_source_across`)."""

from __future__ import annotations

from ..document import Document, Draft, SentenceState
from .quote_marks import QUOTE_CHARS
from .resolve import latest, prev_draft, prev_subject, source_subject

IFI = "IndirectFreeIndirect"


def _mood(doc: Document, st: SentenceState) -> tuple[bool, bool, bool]:
    """(Konjunktiv I, Konjunktiv II, reportative modal) outside full quotes and fragments."""
    r = doc.rules
    p = r.p
    words = [t for t in st.sent.toks if t.i not in st.skip]
    lows = {t.low for t in words}
    k1 = any(r.mood(t.text) == 1 for t in words if t.i not in st.frag_toks)
    k2 = any(r.mood(t.text) == 2 for t in words if t.i not in st.frag_toks)
    rep = any(r.reportative(t.text) for t in words)
    if lows & r.conditional:
        k2 = False
    if any(p.pronouns.get(w) in ("sg1", "pl1") for w in lows):
        k1 = False  # "ich/wir" + Konjunktiv: the writer's own hedging, not a report
    return k1, k2, rep


def _previous(doc: Document, st: SentenceState) -> Draft | None:
    """The statement continued: one sentence back, or two (same paragraph if the conventions say so)."""
    s = st.sent
    prev = prev_draft(doc, s.idx, 1)
    if prev is None:
        prev = prev_draft(doc, s.idx, 2)
        if prev is not None and doc.sents[prev.last_sent].para != s.para and doc.rules.conv.continuation_same_paragraph:
            prev = None
    return prev


def _main_clause_k1(doc: Document, st: SentenceState) -> bool:
    """Is a Konjunktiv I verb the finite verb of the main clause: among the first seven
    tokens, no comma before it ("Dort sei man sich einig geworden", not "Als X ging, sei …")?"""
    toks = st.sent.toks
    fi = next((t.i for t in toks if t.i not in st.skip and doc.rules.mood(t.text) == 1), None)
    return fi is not None and fi <= 6 and not any(t.text == "," for t in toks[:fi])


def _source_across(doc: Document, st: SentenceState) -> Draft | None:
    """The speaker of a main-clause Konjunktiv I sentence with no statement in the two
    sentences before: the first person/organisation NP of the sentence before that can be its
    subject (``speaker_fit``: "Die Deutsche Welle berichtet …", "… gab General Sonthi …"), else
    the speaker of the last statement in the paragraph; only a speaker known in the article
    (gazetteer or article entity), since a wrong speaker costs more than a missing quote."""
    s = st.sent
    if not _main_clause_k1(doc, st):
        return None
    src = None
    subj = source_subject(doc, s.idx - 1)
    if subj is not None:
        src = Draft("Reported", [(s.s, s.s + 1)], s.idx - 1, s.idx - 1, None, subj[0], subj[1], None, 0.5)
    else:
        for d in reversed(doc.drafts):
            if doc.sents[d.last_sent].para != s.para:
                break
            if not d.nested and d.refs:
                src = d
                break
    if src is None or not (src.refs[0].resolved or src.refs[0].local_id >= 0):
        return None
    return src


def continuation(doc: Document, st: SentenceState) -> Draft | None:
    """The continuation statement of the sentence of ``st`` (None, also when it was merged
    into the previous continuation under ``merge_continuations``)."""
    s = st.sent
    toks = s.toks
    if len(toks) < 3 or (st.skip and len(st.skip) > len(toks) / 2):
        return None
    k1, k2, rep = _mood(doc, st)
    prev = _previous(doc, st)
    typ = None
    if k1 or k2:
        if prev is not None and prev.type != "Reported":
            typ = IFI
        elif k1 and s.idx > 0:
            # Konjunktiv I without a statement before: reported speech of the previous
            # sentence's subject ("Der Minister weist auf Risiken hin. Dazu gehöre …")
            subj = prev_subject(doc, s.idx - 1)
            if subj is not None:
                sp_span, refs = subj
                prev = Draft("Reported", [(s.s, s.s + 1)], s.idx - 1, s.idx - 1, None, sp_span, refs, None, 0.5)
                typ = IFI
            else:
                prev = _source_across(doc, st)
                typ = IFI if prev is not None else None
    elif rep and prev is not None:
        typ = "FreeIndirect"
    if typ is None:
        return None
    b = len(toks)
    while b > 0 and toks[b - 1].is_punct and toks[b - 1].text not in QUOTE_CHARS:
        b -= 1
    a = 0
    while a < b and (toks[a].is_punct and toks[a].text not in QUOTE_CHARS):
        a += 1
    if b - a < 2:
        return None
    merge = doc.rules.conv.merge_continuations and typ == IFI
    if merge and prev.type == IFI and prev.last_sent == s.idx - 1:
        # consecutive continuation sentences form one statement (final period kept)
        prev.spans[-1] = (prev.spans[-1][0], s.e)
        prev.last_sent = s.idx
        return None
    end = s.e if merge else toks[b - 1].e
    d = Draft(typ, [(toks[a].s, end)], s.idx, s.idx, None, latest(doc, prev.refs, toks[a].s, prev.speaker_span),
              list(prev.refs), prev.relay, 0.6 if typ == IFI else 0.45)
    d.date = prev.date
    d.frame = prev.frame
    return d
