"""Pydantic response models of the REST API (they make the OpenAPI schema)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

QuoteType = Literal["Direct", "Indirect", "FreeIndirect", "IndirectFreeIndirect", "Reported"]

_CLAIM = "http://127.0.0.1:8000/claim/3f2a9c0d1e4b5a67"
_SPEAKER = "http://127.0.0.1:8000/speaker/donald-trump"


class SpeakerRef(BaseModel):
    iri: str = Field(examples=[_SPEAKER])
    name: str | None = Field(None, examples=["Donald Trump"])


class ClaimItem(BaseModel):
    claim: str = Field(description="The claim's IRI (dereferenceable)", examples=[_CLAIM])
    id: str = Field(description="The claim's local id (for /claims/{id})", examples=["3f2a9c0d1e4b5a67"])
    speaker: SpeakerRef
    text: str = Field(examples=["Wir werden uns bald wiedersehen."])
    language: str | None = Field(None, examples=["de"])
    date_said: str = Field(examples=["2025-08-15"])
    type: str | None = Field(None, examples=["Direct"])
    correction: str | None = Field(None, description="What the corrections in force on its mentions did "
                                   "(e.g. `rejected`), null when none", examples=["confirmed"])


class ClaimPage(BaseModel):
    items: list[ClaimItem]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last page")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "items": [{"claim": _CLAIM, "id": "3f2a9c0d1e4b5a67", "speaker": {"iri": _SPEAKER, "name": "Donald Trump"},
                   "text": "Wir werden uns bald wiedersehen.", "language": "de", "date_said": "2025-08-15",
                   "type": "Direct"}],
        "next_cursor": None}]})


class CorrectedSpan(BaseModel):
    start: int
    end: int
    text: str | None = None


class Correction(BaseModel):
    """A correction of one extracted statement (kb/corrections.py)."""

    correction: str = Field(description="The correction's IRI")
    action: Literal["confirm", "reattribute", "type", "span", "reject"]
    mention: str = Field(description="The mention (extracted statement) it corrects")
    claim: str = Field(description="The claim that mention reported")
    article: str = Field(description="The article's IRI")
    start: int | None = None
    end: int | None = None
    by: str = Field(examples=["Ana"])
    at: str = Field(examples=["2025-08-20T10:00:00+00:00"])
    note: str | None = None
    statement: str | None = Field(None, description="The corrected statement's IRI (reattribute, type, span)")
    speaker: SpeakerRef | None = Field(None, description="The speaker as corrected; null: unnamed (reattribute)")
    type: str | None = None
    span: CorrectedSpan | None = None


class CorrectionIn(BaseModel):
    """A correction to make. ``speaker``: a speaker key or IRI (``reattribute``; omit it or send
    null for an unnamed speaker); ``type`` (``type``); ``start``/``end`` (``span``)."""

    model_config = ConfigDict(extra="forbid")
    mention: str = Field(max_length=2000, description="The mention's IRI or local id")
    action: Literal["confirm", "reattribute", "type", "span", "reject"]
    by: str = Field("editor", min_length=1, max_length=100, description="Who makes the correction")
    speaker: str | None = Field(None, max_length=500)
    type: QuoteType | None = None
    start: int | None = Field(None, ge=0, le=100_000_000)
    end: int | None = Field(None, ge=0, le=100_000_000)
    note: str | None = Field(None, max_length=2000)


class CorrectionList(BaseModel):
    items: list[Correction]


class Source(BaseModel):
    mention: str = Field(description="The mention's IRI")
    article: str = Field(description="The article's id", examples=["ap-2025-08-16"])
    date: str = Field(description="The article's publication date", examples=["2025-08-16"])
    title: str | None = None
    url: str | None = None
    quote: str = Field("", description="The exact text as in the article")
    start: int | None = Field(None, description="Character offset of the quote in the article text")
    end: int | None = None
    cue: str | None = Field(None, examples=["sagte"])
    speaker_mention: str | None = Field(None, examples=["der US-Präsident"])
    relayed_by: str | None = None
    confidence: float
    type: str | None = None
    date_said: str
    correction: Correction | None = Field(None, description="The correction in force on this mention")


class Related(BaseModel):
    relation: str | None = Field(None, examples=["respondsTo"])
    claim: str
    text: str
    speaker: str | None = None
    direction: str = Field(examples=["out"])


class ClaimDetail(ClaimItem):
    hedged: bool = False
    context: str | None = None
    sources: list[Source]
    related: list[Related]
    corrections: list[Correction] = Field([], description="Every correction of its mentions, newest first")


class SpeakerSummary(BaseModel):
    iri: str = Field(examples=[_SPEAKER])
    id: str = Field(description="The speaker's key (for /speakers/{id})", examples=["donald-trump"])
    name: str = Field(examples=["Donald Trump"])
    kind: str = Field(examples=["person"])
    wikidata: str | None = Field(None, examples=["http://www.wikidata.org/entity/Q22686"])
    claims: int = Field(examples=[12])
    aliases: list[str] = Field(examples=[["Trump", "der US-Präsident"]])


class Role(BaseModel):
    role: str = Field(examples=["US-Präsident"])
    language: str | None = Field(None, examples=["de"])
    start: str | None = Field(None, examples=["2025-01-20"])
    end: str | None = None


class SpeakerDetail(BaseModel):
    iri: str = Field(examples=[_SPEAKER])
    id: str = Field(examples=["donald-trump"])
    name: str
    kind: str
    aliases: list[str]
    wikidata: list[str]
    roles: list[Role]
    claims: int


class Timeline(BaseModel):
    speaker: SpeakerDetail
    items: list[ClaimItem]
    next_cursor: str | None = None


class ArticleSummary(BaseModel):
    iri: str
    id: str = Field(examples=["ap-2025-08-16"])
    date: str = Field(examples=["2025-08-16"])
    language: str = Field(examples=["de"])
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    mentions: int
    claims: int | None = None


class ArticleList(BaseModel):
    items: list[ArticleSummary]
    next_offset: int | None = None


class ArticleSpan(BaseModel):
    """A highlighted statement of the article: its span and who said it (as a correction in
    force says, when there is one; null speaker: unnamed)."""

    mention: str
    claim: str
    start: int
    end: int
    speaker: SpeakerRef | None = None
    correction: Correction | None = None


class ArticleDetail(BaseModel):
    iri: str
    id: str
    date: str
    language: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    authors: list[str] = []
    text: str | None = None
    claims: list[ClaimItem]
    spans: list[ArticleSpan] = []
    corrections: list[Correction] = Field([], description="Corrections of its statements, newest first")


class Stats(BaseModel):
    claims: int
    mentions: int
    articles: int
    speakers: int
    by_type: dict[str, int]
    quads: int

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "claims": 120, "mentions": 160, "articles": 40, "speakers": 35,
        "by_type": {"Direct": 70, "Indirect": 50}, "quads": 5400}]})


class AskSource(BaseModel):
    model_config = ConfigDict(extra="allow")
    article: str | None = None
    date: str | None = None
    quote: str | None = None
    start: int | None = None
    end: int | None = None


class AskAnswer(BaseModel):
    model_config = ConfigDict(extra="allow")
    claim: str
    speaker: Any = None
    text: str
    date_said: str | None = None
    type: str | None = None
    sources: list[AskSource] = []
    score: float | None = None


class AskResult(BaseModel):
    """The DESIGN §6 ask contract (same JSON as ``quoth ask --json``)."""

    model_config = ConfigDict(extra="allow")
    question: str
    interpretation: dict[str, Any]
    sparql: str | None = None
    answers: list[AskAnswer]


class IngestItem(BaseModel):
    article_id: str
    stored: bool
    claims: int = 0
    mentions: int = 0
    errors: list[str] = []
    report: dict[str, Any] | None = Field(None, description="The SHACL validation report when rejected")


class IngestResponse(BaseModel):
    stored: int
    rejected: int
    claims: int
    mentions: int
    results: list[IngestItem]


class Problem(BaseModel):
    detail: Any = Field(description="What went wrong")


class DeleteResponse(BaseModel):
    deleted: str
