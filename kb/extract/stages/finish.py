"""Last stage: drafts → :class:`kb.model.Quote` in text order — dates said (``dates.py``,
frame text only, never the quote itself), hedging, joint-speaker duplication, relays,
confidence, and context/responds-to for replies that start with an anaphor."""

from __future__ import annotations

import re

from kb.model import Article, Quote, Span

from .. import dates as dates_mod
from ..document import Document, Draft


def _hedged(doc: Document, qtext: str) -> bool:
    low = " " + re.sub(r"\s+", " ", qtext.lower()) + " "
    for h in doc.rules.p.hedges:
        if re.search(r"(?<!\w)" + re.escape(h) + r"(?!\w)", low):
            return True
    return False


def _trimmed_spans(text: str, d: Draft) -> list[tuple[int, int]]:
    spans = []
    for a, b in d.spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
    return spans


def _quotes_of(doc: Document, d: Draft, art: Article, lang: str) -> list[Quote]:
    """The Quotes of one draft: one per speaker (or one when joint speakers stay one), and
    under ``repeat_relayed_quote`` a relayed Direct quote once more for the relay."""
    text = doc.text
    conv = doc.rules.conv
    spans = _trimmed_spans(text, d)
    if not spans:
        return []
    qtext = " … ".join(text[a:b] for a, b in spans)
    date_said, basis = (d.date if d.date else (doc.date, "publication"))
    if date_said > doc.date:
        date_said, basis = doc.date, "publication"
    cue = Span(d.cue[0], d.cue[1], text[d.cue[0]:d.cue[1]]) if d.cue else None
    mention = Span(d.speaker_span[0], d.speaker_span[1], text[d.speaker_span[0]:d.speaker_span[1]]) if d.speaker_span else None
    hedged = _hedged(doc, qtext)
    refs = d.refs or [None]
    if conv.joint_speakers_as_one and len(refs) > 1:
        refs = refs[:1]
    out: list[Quote] = []
    if conv.repeat_relayed_quote and d.relay is not None and d.relay_span is not None and d.type == "Direct":
        relay_mention = Span(d.relay_span[0], d.relay_span[1], text[d.relay_span[0]:d.relay_span[1]])
        out.append(Quote(article_id=art.id, type=d.type, text=qtext, spans=spans, language=lang,
                         date_said=date_said, speaker=d.relay.to_speaker(relay_mention),
                         cue=cue, confidence=d.conf * 0.5, date_basis=basis))
    for r in refs:
        conf = d.conf
        speaker = None
        if r is not None:
            speaker = r.to_speaker(mention)
            if not r.resolved:
                conf *= 0.7
        else:
            conf *= 0.6
        relay = d.relay.to_speaker(None) if d.relay else None
        out.append(Quote(article_id=art.id, type=d.type, text=qtext, spans=spans, language=lang,
                         date_said=date_said, speaker=speaker, cue=cue,
                         confidence=max(0.05, min(1.0, conf)), hedged=hedged, relay=relay,
                         date_basis=basis))
    return out


def _context(doc: Document, out: list[Quote]) -> None:
    """A reply whose topic is in the sentence before keeps that sentence as context."""
    anaph = doc.rules.language.anaphors
    for qi, q in enumerate(out):
        first = re.findall(r"\w+", q.text[:40].lower())
        if not first or first[0] not in anaph:
            continue
        si = doc.sent_of(q.start)
        if si == 0:
            continue
        prev = doc.sents[si - 1]
        if prev.e > q.start:
            continue
        q.context = doc.text[prev.s:prev.e]
        # the quote it answers: in the previous sentence, or one further back when the
        # previous sentence itself only points back ("darauf")
        for back in (si - 1, si - 2):
            if back < 0:
                break
            bs = doc.sents[back]
            cands = [k for k in range(max(0, qi - 30), qi) if bs.s <= out[k].start < bs.e + 1 or (out[k].start < bs.s and out[k].end > bs.s)]
            cands = [k for k in cands if not q.speaker or not out[k].speaker or out[k].speaker.name != q.speaker.name]
            if cands:
                q.responds_to = cands[-1]
                break
            prev_words = re.findall(r"\w+", bs.s < bs.e and doc.text[bs.s:bs.e].lower() or "")
            if not any(w in anaph for w in prev_words):
                break


def finish(doc: Document, art: Article, lang: str) -> list[Quote]:
    """The Quotes of the document's drafts, in text order (``lang``: the article's language)."""
    drafts = sorted(doc.drafts, key=lambda d: (d.spans[0][0], d.nested))
    # dates first (continuations inherit)
    for d in drafts:
        if d.date is None:
            d.date = dates_mod.resolve_date(d.frame, doc.date, doc.rules.code)
    out: list[Quote] = []
    for d in drafts:
        out.extend(_quotes_of(doc, d, art, lang))
    _context(doc, out)
    return out
