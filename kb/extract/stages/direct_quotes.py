"""Direct quotes: a quotation-mark pair that holds a sentence-like quote, with its cue and
speaker — cue after ("„…“, sagte X", "„…“, so X", "…,” X said"), cue before ("X sagte: „…“",
"X: „…“", verbless "Ein Sprecher zu der Aktion: „…“"), interrupted quotes ("«A», sagte X, «B»"
→ one quote, two spans), otherwise the previous statement's speaker (≤ 2 sentences back) or
the previous sentence's subject."""

from __future__ import annotations

from dataclasses import dataclass

from ..document import CharSpan, Document, Draft, Ref, SentenceState, TokRange
from ..text import QMark, Sent, Tok
from .colon_subject import colon_subject
from .cues import find_cues
from .phrases import first_content, has_verb, np_after, np_score
from .quote_marks import QUOTE_CHARS, title_mark
from .resolve import latest, note_speakers, prev_draft, resolve, sentence_subject
from .speakers import attribute, speaker_for_cue



@dataclass
class _Found:
    """What the search for the quote's cue and speaker found."""

    sent: Sent  # the sentence of the speaker NP
    cue: Tok | None = None
    rng: TokRange | None = None
    cite_relay: TokRange | None = None
    conf: float = 0.6


def frame_text(doc: Document, s: Sent, spans: list[CharSpan]) -> str:
    """The sentence(s) around the quote without the quote: where a date said can be named."""
    parts = []
    pos = s.s
    for a, b in sorted(spans):
        if a > pos:
            parts.append(doc.text[pos:max(pos, a - 1)])
        pos = b + 1
    last = doc.sents[doc.sent_of(max(b for _, b in spans))]
    if pos < last.e:
        parts.append(doc.text[pos:last.e])
    return " ".join(parts)


def make_direct(doc: Document, s: Sent, spans: list[CharSpan], cue: Tok | None, sp_span: CharSpan | None,
                refs: list[Ref], conf: float, relay: Ref | None, last: int | None = None) -> Draft:
    """A Direct draft over ``spans`` (sentence ``s`` to ``last``)."""
    d = Draft("Direct", sorted(spans), s.idx, last if last is not None else s.idx,
              (cue.s, cue.e) if cue is not None else None, sp_span, refs, relay, conf)
    d.frame = frame_text(doc, s, spans)
    return d


def _cue_after(doc: Document, st: SentenceState, m: QMark, spans: list[CharSpan]) -> _Found | None:
    """„…“, sagte er / „…“, so X / "…," X said — and a second part: „A“, sagte X, „B“."""
    r = doc.rules
    s = st.sent
    end_sent = doc.sents[doc.sent_of(m.c)]
    end_skip = st.skip if end_sent is s else {t.i for t in end_sent.toks if t.s <= m.c}
    post_toks = [t for t in end_sent.toks if t.s > m.c and t.i not in end_skip]
    if not (post_toks and post_toks[0].text == "," and len(post_toks) > 1):
        return None
    first = post_toks[1].i
    cand = [c for c in find_cues(doc, end_sent, end_skip) if first <= c[0] <= first + 7]
    if cand:
        ci = cand[0][0]
        st.used_cues.add(ci)
        pick = speaker_for_cue(doc, end_sent, ci, first)
        found = _Found(end_sent, end_sent.toks[ci], pick.rng, pick.cite_relay, 0.9)
    elif post_toks[1].low in r.so_words and len(post_toks) > 2:
        found = _Found(end_sent, post_toks[1], np_after(doc, end_sent, post_toks[2].i), None, 0.85)
    else:
        return None
    # split quote: „A“, sagte X, „B“
    after = found.rng[1] if found.rng else found.cue.i + 1
    rest = end_sent.toks[after:] if after < len(end_sent.toks) else []
    if rest and rest[0].text in (",", ":") and len(rest) > 1:
        nxt = doc.mark_at(rest[1].s)
        if nxt is not None and id(nxt) not in doc.used_marks:
            doc.used_marks.add(id(nxt))
            spans.append((nxt.cs, nxt.ce))
    return found


def topic_colon_speaker(doc: Document, s: Sent, colon: int) -> TokRange | None:
    """Speaker of a verbless "X zu/über Y: „…“" ("X on Y: "…""): X opens the sentence, a topic
    preposition follows, and nothing between X and the colon is a verb."""
    r = doc.rules
    toks = s.toks
    rng = np_after(doc, s, first_content(doc, toks, 0, colon))
    if rng is None or rng[1] >= colon or toks[rng[1]].low not in r.words["topic_prepositions"]:
        return None
    if np_score(doc, s, rng) < 1:
        return None
    seg = [t for t in toks[rng[1]:colon] if not doc.in_mark(t.s) and t.text not in QUOTE_CHARS]
    if not seg or any(t.low in r.aux or r.mood(t.text) or t.lemma in r.p.cues for t in seg):
        return None
    if r.language.nouns_capitalised:
        if not r.is_cap_word(seg[-1]):
            return None  # "Ein Sprecher zu der Aktion sagte:" has its verb last
    elif has_verb(doc, seg):
        return None
    return rng


def _cue_before(doc: Document, st: SentenceState, m: QMark, spans: list[CharSpan]) -> _Found | Draft | None:
    """X sagte: „…“ / X: „…“ / "X on Y: "…"". A Draft when the cue has no subject and the
    sentence already holds a statement (its speaker continues)."""
    s = st.sent
    toks = s.toks
    pre_toks = [t for t in toks if t.e <= m.o and t.i not in st.skip]
    if not pre_toks:
        return None
    # clause before the quote
    k = len(pre_toks) - 1
    if pre_toks[k].text in (":", ",", "–"):
        k -= 1
    start = 0
    for x in range(k, -1, -1):
        if pre_toks[x].text in (",", ";") or pre_toks[x].text in QUOTE_CHARS and not title_mark(doc, pre_toks[x].s):
            start = x + 1
            break
    cand = [c for c in st.cues if pre_toks[start].i <= c[0] <= pre_toks[k].i and c[0] not in st.used_cues] if k >= start else []
    if cand:
        ci = cand[-1][0]
        st.used_cues.add(ci)
        if ci + 1 < len(toks) and toks[ci + 1].low in doc.rules.language.shared_cue_openers and pre_toks[k].i - ci >= 3:
            st.shared_cues.add(ci)  # "…, promising a review is due: "…"": the cue also has its own clause
        pick = speaker_for_cue(doc, s, ci, pre_toks[start].i)
        found = _Found(s, toks[ci], pick.rng, pick.cite_relay, 0.85)
        if found.rng and found.rng[1] > pre_toks[k].i + 1:
            found.rng = None
        if found.rng is None and doc.drafts and doc.drafts[-1].sent == s.idx:
            prev = doc.drafts[-1]
            return make_direct(doc, s, spans, found.cue, prev.speaker_span, list(prev.refs), 0.8, prev.relay)
        return found
    if pre_toks[-1].text == ":" and k >= start:
        # "Trump: „…“" headline style
        rng = np_after(doc, s, pre_toks[start].i)
        if not (rng and rng[1] == pre_toks[-1].i):
            # verbless "Ein Sprecher zu der Aktion: „…“" / "A spokesman on the raid: "…""
            rng = topic_colon_speaker(doc, s, pre_toks[-1].i)
        if rng:
            return _Found(s, None, rng, None, 0.7)
    return None


def _without_speaker(doc: Document, s: Sent, m: QMark, spans: list[CharSpan], cue: Tok | None) -> Draft:
    """No attribution in this sentence: the previous statement's speaker (≤ 2 sentences back),
    else the previous sentence's subject, else none."""
    last = doc.sent_of(m.c)
    pre = [t for t in s.toks if t.e <= m.o]
    if pre and pre[-1].text == ":":
        rng = colon_subject(doc, s, pre[-1].i)  # "Die Bewohner sehen es gelassen: „…“"
        refs = resolve(doc, s, rng) if rng else []
        if refs:
            sp_span = doc.char_span(s, rng)
            note_speakers(doc, s, refs, sp_span)
            return make_direct(doc, s, spans, cue, sp_span, refs, 0.6, None, last=last)
    prev = prev_draft(doc, s.idx, 2)
    if prev is not None and prev.refs:
        return make_direct(doc, s, spans, cue, latest(doc, prev.refs, m.o, prev.speaker_span), list(prev.refs),
                           0.6 if cue is None else 0.7, prev.relay, last=last)
    subj = sentence_subject(doc, s.idx - 1)
    if subj is not None:
        sp_span, ref = subj
        return make_direct(doc, s, spans, cue, sp_span, [ref], 0.45, None, last=last)
    return make_direct(doc, s, spans, cue, None, [], 0.35, None, last=last)


def direct(doc: Document, st: SentenceState, m: QMark) -> Draft:
    """The Direct statement of the full quote ``m`` in the sentence of ``st``."""
    doc.used_marks.add(id(m))
    s = st.sent
    spans = [(m.cs, m.ce)]
    found = _cue_after(doc, st, m, spans)
    if found is None:
        found = _cue_before(doc, st, m, spans)
        if isinstance(found, Draft):
            return found
    if found is None or found.rng is None:
        return _without_speaker(doc, s, m, spans, found.cue if found else None)
    att = attribute(doc, found.sent, found.rng, found.cue, found.cite_relay)
    if not att.refs:
        return _without_speaker(doc, s, m, spans, found.cue)
    sp_span = doc.char_span(found.sent, att.rng)
    note_speakers(doc, found.sent, att.refs, sp_span)
    d = make_direct(doc, s, spans, found.cue, sp_span, att.refs, found.conf, att.relay, last=doc.sent_of(m.c))
    if att.relay is not None and att.relay_rng is not None:
        d.relay_span = doc.char_span(found.sent, att.relay_rng)
    return d


