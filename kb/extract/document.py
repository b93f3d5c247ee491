"""The per-article document object the stages work on, and the values they hand around.

A :class:`Document` is built once per article by :func:`kb.extract.stages.text_layer.build`:
text, paragraphs, sentences with tokens and character offsets, lemmas, quotation-mark pairs.
The names stage adds its entity layer (article-local entities, persons per sentence, speaker
mentions); the statement stages add candidate statements (:class:`Draft`) in reading order;
the finish stage turns them into :class:`kb.model.Quote` objects. Nothing of an article is kept
anywhere else, so extracting two articles at once needs no lock.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kb.model import Span, SpeakerRef

from .text import QMark, Sent

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .rules import Rules

TokRange = tuple[int, int]  # token indices [start, end) within one sentence
CharSpan = tuple[int, int]  # character offsets [start, end) into the article text


@dataclass
class Ref:
    """A speaker mention resolved within the article."""

    name: str
    kind: str = "person"
    key: str | None = None
    wikidata: str | None = None
    resolved: bool = False
    gender: str | None = None
    local_id: int = -1

    def to_speaker(self, mention: Span | None) -> SpeakerRef:
        return SpeakerRef(name=self.name, kind=self.kind, key=self.key, wikidata=self.wikidata,
                          mention=mention, resolved=self.resolved)


@dataclass
class Draft:
    """A candidate statement: type, spans, the sentences it covers, cue, speaker, relay."""

    type: str
    spans: list[CharSpan]
    sent: int
    last_sent: int
    cue: CharSpan | None = None
    speaker_span: CharSpan | None = None
    refs: list[Ref] = field(default_factory=list)
    relay: Ref | None = None
    conf: float = 0.5
    frame: str = ""  # text of the attribution part (for dates)
    nested: bool = False
    date: tuple[dt.date, str] | None = None
    relay_span: CharSpan | None = None


@dataclass
class LocalEntity:
    """A person or organisation of this article (from the gazetteer or learned here)."""

    id: int
    name: str
    kind: str
    key: str | None = None
    wikidata: str | None = None
    gender: str | None = None
    roles: set[tuple[str, ...]] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # folded name tokens (surnames etc.)

    def ref(self) -> Ref:
        return Ref(self.name, self.kind, self.key, self.wikidata, self.key is not None, self.gender, self.id)


@dataclass
class Document:
    """One article as the stages see it (see the module docstring)."""

    rules: "Rules"
    text: str
    date: dt.date
    paragraphs: list[CharSpan]
    sents: list[Sent]
    marks: list[QMark]
    starts: list[int] = field(default_factory=list)  # sentence start offsets
    mark_starts: list[int] = field(default_factory=list)  # opening-mark offsets
    # entity layer (names stage, extended while statements are attributed)
    locals: list[LocalEntity] = field(default_factory=list)
    sent_persons: dict[int, list[tuple[int, Ref]]] = field(default_factory=dict)
    mentions: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, local id)
    # candidate statements, in the order found
    drafts: list[Draft] = field(default_factory=list)
    used_marks: set[int] = field(default_factory=set)  # id() of quotation-mark pairs taken

    def __post_init__(self) -> None:
        self.starts = [s.s for s in self.sents]
        self.mark_starts = [m.o for m in self.marks]

    def sent_of(self, pos: int) -> int:
        """Index of the sentence holding character ``pos``."""
        i = bisect.bisect_right(self.starts, pos) - 1
        return max(i, 0)

    def in_mark(self, pos: int) -> bool:
        """Is ``pos`` strictly inside a quotation-mark pair?"""
        k = bisect.bisect_right(self.mark_starts, pos) - 1
        return k >= 0 and self.marks[k].o < pos < self.marks[k].c

    def mark_at(self, pos: int) -> QMark | None:
        """The quotation-mark pair opening at ``pos``."""
        k = bisect.bisect_left(self.mark_starts, pos)
        if k < len(self.marks) and self.marks[k].o == pos:
            return self.marks[k]
        return None

    def char_span(self, s: Sent, rng: TokRange) -> CharSpan:
        """Character span of the token range ``rng`` of sentence ``s``."""
        return (s.toks[rng[0]].s, s.toks[rng[1] - 1].e)


@dataclass
class SentenceState:
    """What the statement stages of one sentence share: its quotation marks (full quotes and
    fragments), the tokens they cover, the cue verbs found and which of them are taken."""

    sent: Sent
    full: list[QMark]
    frags: list[QMark]
    skip: set[int]  # token indices inside full direct quotes
    frag_toks: set[int]  # token indices inside quoted fragments
    cues: list[tuple[int, str, int | None]]  # (token index, lemma, particle token index)
    used_cues: set[int] = field(default_factory=set)
    shared_cues: set[int] = field(default_factory=set)  # cues of a direct quote with a clause of their own
    covered: set[int] = field(default_factory=set)  # tokens inside a statement found so far
    n_before: int = 0  # len(doc.drafts) when the sentence started
