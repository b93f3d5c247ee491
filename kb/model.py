"""Plain data the pipeline passes along: articles in, quotes out, statements to store.

No RDF here: kb.graph turns these into triples. Offsets are character offsets
(Python str indices, i.e. Unicode code points) into ``Article.text``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .vocab import QUOTE_TYPES


class InputError(ValueError):
    """Bad input (a file, a date, a JSON line) with a message fit for the user."""


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` with the text it covers."""

    start: int
    end: int
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass
class Article:
    """One news article. ``id`` is the caller's identifier (JSON ``id`` or file stem)."""

    id: str
    text: str
    date: dt.date
    language: str | None = None
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    source_line: int | None = None  # line in the input file, for error reports
    has_text: bool = True  # False for articles that only carry structured statements
    author: str | None = None  # from a web page's metadata (kb.pages) or input; "A; B" for several
    page_digest: str | None = None  # sha256 of the HTML page it was taken from (kb.pages)


@dataclass
class SpeakerRef:
    """Who said it: the entity (if resolved) and the mention as written.

    ``key`` is the gazetteer key or a slug ("donald-trump"); kb.graph makes the IRI.
    ``resolved`` is False when the mention could not be tied to a known entity: the
    speaker then stays local to the article, with low confidence.
    """

    name: str
    kind: str = "person"  # "person" | "organization"
    key: str | None = None
    wikidata: str | None = None  # a Q-id such as "Q22686"
    mention: Span | None = None
    resolved: bool = True

    def to_json(self, iri: str | None = None) -> dict[str, Any]:
        return {
            "name": self.name,
            "iri": iri,
            "mention": self.mention.to_json() if self.mention else None,
        }


@dataclass
class Quote:
    """One statement mention found in one article (the DESIGN §6 extract line).

    ``spans`` hold the quote's text as found (for Direct quotes the marks are
    excluded); a quote interrupted by its cue has several spans. ``responds_to``
    is the index (in the same extraction result) of a quote this one replies to;
    ``context`` is the text a reply needs to be understood (e.g. the sentence
    before it).
    """

    article_id: str
    type: str
    text: str
    spans: list[tuple[int, int]]
    language: str
    date_said: dt.date
    speaker: SpeakerRef | None = None
    cue: Span | None = None
    confidence: float = 0.5
    hedged: bool = False
    context: str | None = None
    responds_to: int | None = None
    relay: SpeakerRef | None = None  # e.g. the news agency that passed the quote on
    date_basis: str = "publication"  # "publication" | "relative" | "explicit"

    def __post_init__(self) -> None:
        if self.type not in QUOTE_TYPES:
            raise ValueError(f"unknown quote type {self.type!r}; expected one of {QUOTE_TYPES}")

    @property
    def start(self) -> int:
        return min(s for s, _ in self.spans)

    @property
    def end(self) -> int:
        return max(e for _, e in self.spans)

    def to_json(self, speaker_iri: str | None = None) -> dict[str, Any]:
        """The DESIGN.md §6 ``quoth extract`` line for this mention."""
        return {
            "article": self.article_id,
            "type": self.type,
            "quote": {"text": self.text, "spans": [list(s) for s in self.spans]},
            "speaker": self.speaker.to_json(speaker_iri) if self.speaker else None,
            "cue": self.cue.to_json() if self.cue else None,
            "date_said": self.date_said.isoformat(),
            "language": self.language,
            "confidence": round(self.confidence, 3),
            "hedged": self.hedged,
            "responds_to": self.responds_to,
            "relay": self.relay.name if self.relay else None,
        }


@dataclass
class Statement:
    """A structured statement to import (DESIGN §6 ``--statements``): no article text."""

    speaker: str
    text: str
    language: str
    date_said: dt.date
    source_url: str | None
    source_title: str | None
    source_date: dt.date
    type: str = "Direct"
    speaker_iri: str | None = None
    line: int | None = None


@dataclass
class ArticleResult:
    """What ingesting one article produced (for summaries and API responses)."""

    article_id: str
    claims: int = 0
    mentions: int = 0
    stored: bool = False
    errors: list[str] = field(default_factory=list)
    report: dict[str, Any] | None = None  # SHACL report as JSON when rejected
    new_claims: int = 0  # claims not in the store before (nor earlier in the same batch)
    known_mentions: int = 0  # new mentions of claims already stored
    merged: int = 0  # mentions folded into a claim of nearly the same words (a near-duplicate)
    unchanged: bool = False  # stored already exactly so: nothing written
