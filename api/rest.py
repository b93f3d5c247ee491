"""REST lookups (JSON) and token-protected writes, over :mod:`kb.queries` and :mod:`kb.ingest`.

Every value from a request is bound into the prepared queries of ``kb.queries`` (VALUES
blocks of serialized RDF terms), never pasted into query text.
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any, Literal
from urllib.parse import quote

import anyio
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse

from kb import queries

from . import views

from .models import (
    ArticleDetail,
    ArticleList,
    AskResult,
    ClaimDetail,
    ClaimPage,
    DeleteResponse,
    IngestResponse,
    Problem,
    SpeakerDetail,
    SpeakerSummary,
    Stats,
    Timeline,
)

router = APIRouter()

QuoteTypeParam = Literal["Direct", "Indirect", "FreeIndirect", "IndirectFreeIndirect", "Reported"]
ERR = {400: {"model": Problem, "description": "Bad parameter (e.g. an invalid cursor)"}}
NOT_FOUND = {404: {"model": Problem, "description": "Not found"}}
ID_PATTERN = r"^[^/]+$"


def _state(request: Request) -> Any:
    return request.app.state.quoth


def _view(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a view's data function; its ViewError becomes the HTTP error."""
    try:
        return fn(*args, **kwargs)
    except views.ViewError as e:
        raise HTTPException(e.status, e.detail) from e


def _claims(state: Any, f: queries.ClaimFilter, limit: int, cursor: str | None) -> dict[str, Any]:
    return _view(views.claims_data, state, f, limit, cursor)


def _wants_html(request: Request) -> bool:
    from .conneg import prefers_html

    return prefers_html(request.headers.get("accept"), ["application/json"])


# ---------------------------------------------------------------------------------------------
# claims
@router.get("/claims", response_model=ClaimPage, tags=["claims"], responses=ERR,
            summary="List claims (filtered, newest first, cursor-paged)")
def list_claims(
    request: Request,
    speaker: str | None = Query(None, description="Speaker key (e.g. `donald-trump`), full speaker IRI, name or alias (`Trump`); "
                                "a name that picks no single speaker is a 400 naming the candidates",
                                examples=["donald-trump"], max_length=500),
    q: str | None = Query(None, description="Substring of the claim text (case-insensitive)", max_length=500,
                          examples=["Treffen"]),
    language: str | None = Query(None, description="Language of the claim text (BCP 47)",
                                 pattern=r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$", examples=["de"]),
    since: dt.date | None = Query(None, description="Said on or after this date", examples=["2025-01-01"]),
    until: dt.date | None = Query(None, description="Said on or before this date", examples=["2025-12-31"]),
    type: QuoteTypeParam | None = Query(None, description="Quote type"),
    article: str | None = Query(None, description="Only claims mentioned in this article (its id)", max_length=500),
    publisher: str | None = Query(None, description="Only claims reported by a publisher whose name contains this "
                                  "(case-insensitive)", max_length=200),
    limit: int = Query(50, ge=1, le=500, description="Page size"),
    cursor: str | None = Query(None, description="`next_cursor` of the previous page", max_length=2000),
) -> dict[str, Any]:
    """Claims matching every given filter, newest first (ties broken by IRI, so the order is stable),
    `limit` per page; follow `next_cursor` for more. `correction` says what corrections did to them."""
    state = _state(request)
    f = _view(views.claim_filter, state, speaker=speaker, q=q, language=language, since=since, until=until,
              type=type, article=article, publisher=publisher)
    return _claims(state, f, limit, cursor)


@router.get("/claims/{claim_id}", response_model=ClaimDetail, tags=["claims"], responses=NOT_FOUND,
            summary="One claim with its mentions (sources) and related claims")
def get_claim(request: Request, claim_id: str = Path(..., pattern=ID_PATTERN, examples=["3f2a9c0d1e4b5a67"])
              ) -> dict[str, Any]:
    state = _state(request)
    c = views.claim_detail(state, f"{state.base_iri}claim/{quote(claim_id, safe='')}")
    if c is None:
        raise HTTPException(404, f"no claim {claim_id!r}")
    return c


# ---------------------------------------------------------------------------------------------
# speakers
@router.get("/speakers", response_model=list[SpeakerSummary], tags=["speakers"],
            summary="Search speakers by name or alias")
def search_speakers(request: Request,
                    q: str | None = Query(None, description="Part of a name or alias (case-insensitive)",
                                          max_length=200, examples=["Trump"]),
                    limit: int = Query(50, ge=1, le=500),
                    offset: int = Query(0, ge=0, le=100_000)) -> Any:
    """Speakers whose name or any alias contains `q`, most claims first (a browser gets the
    HTML speaker index)."""
    state = _state(request)
    if _wants_html(request):
        from .pages import speakers_page

        return speakers_page(request, q, limit, offset)
    return views.speakers_data(state, q, limit, offset)["items"]


def _speaker_detail(state: Any, speaker_id: str) -> dict[str, Any]:
    return _view(views.speaker_detail, state, speaker_id)


@router.get("/speakers/{speaker_id}", response_model=SpeakerDetail, tags=["speakers"], responses=NOT_FOUND,
            summary="A speaker: names, Wikidata link, roles over time")
def get_speaker(request: Request,
                speaker_id: str = Path(..., pattern=ID_PATTERN, examples=["donald-trump"])) -> dict[str, Any]:
    return _speaker_detail(_state(request), speaker_id)


@router.get("/speakers/{speaker_id}/timeline", response_model=Timeline, tags=["speakers"],
            responses={**NOT_FOUND, **ERR}, summary="A speaker's claims over time (newest first)")
def speaker_timeline(request: Request,
                     speaker_id: str = Path(..., pattern=ID_PATTERN, examples=["donald-trump"]),
                     since: dt.date | None = Query(None), until: dt.date | None = Query(None),
                     limit: int = Query(50, ge=1, le=500),
                     cursor: str | None = Query(None, max_length=2000)) -> dict[str, Any]:
    state = _state(request)
    sp = _speaker_detail(state, speaker_id)
    f = _view(views.claim_filter, state, speaker=sp["iri"], since=since, until=until)
    page = _claims(state, f, limit, cursor)
    return {"speaker": sp, **page}


# ---------------------------------------------------------------------------------------------
# articles
@router.get("/articles", response_model=ArticleList, tags=["articles"], summary="List articles, newest first")
def list_articles(request: Request, limit: int = Query(50, ge=1, le=500),
                  offset: int = Query(0, ge=0, le=10_000_000),
                  publisher: str | None = Query(None, description="Publisher contains (case-insensitive)",
                                                max_length=200)) -> Any:
    """Articles with title, date, publisher and claim count (a browser gets the HTML index)."""
    state = _state(request)
    if _wants_html(request):
        from .pages import articles_page

        return articles_page(request, limit, offset, publisher)
    return views.articles_data(state, limit, offset, publisher)


@router.get("/articles/{article_id}", response_model=ArticleDetail, tags=["articles"], responses=NOT_FOUND,
            summary="An article with its text and the claims it yields")
def get_article(request: Request, article_id: str = Path(..., examples=["ap-2025-08-16"])) -> dict[str, Any]:
    state = _state(request)
    a = views.article_detail(state, article_id)
    if a is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return a


@router.get("/stats", response_model=Stats, tags=["claims"], summary="Counts of claims, mentions, articles, speakers")
def get_stats(request: Request) -> dict[str, Any]:
    return _state(request).stats()


@router.get("/health", tags=["claims"], summary="Server status: store kind, SPARQL workers, side index",
            responses={200: {"content": {"application/json": {"example": {
                "status": "ok", "store": "embedded", "sparql_workers": 2, "claims_index": "ready"}}}}})
def health(request: Request) -> dict[str, Any]:
    state = _state(request)
    pool = getattr(state.sparql, "pool", None)
    return {"status": "ok", "store": "remote" if getattr(state.store, "endpoint", None) else "embedded",
            "sparql_workers": len(pool.pids) if pool else 0,
            "sparql_workers_isolated": pool.isolated() if pool else None,
            "claims_index": state.lister.index_state, "caches_warm": state.warm,
            "writes": "enabled" if state.token else "disabled",
            # the processes that extract, validate and embed for writes (none until the first write)
            "write_workers": state.write_worker.pids if state.write_worker is not None else []}


# ---------------------------------------------------------------------------------------------
# ask
@router.get("/ask", response_model=AskResult, tags=["ask"],
            responses={400: {"model": Problem, "description": "The question cannot be understood"},
                       501: {"model": Problem, "description": "Question answering is not installed"}},
            summary="Answer a question about who said what (DESIGN §6 ask JSON)")
def ask(request: Request,
        q: str = Query(..., min_length=1, max_length=1000, examples=["What did Trump say about a second meeting?"]),
        limit: int = Query(10, ge=1, le=100)) -> Any:
    state = _state(request)
    if _wants_html(request):
        from .pages import ask_page

        return ask_page(request, q, limit)
    return _view(views.ask_data, state, q, limit)


# ---------------------------------------------------------------------------------------------
# writes
def require_token(request: Request) -> None:
    """Bearer-token check: 403 when writes are disabled or the token is wrong, 401 when none is sent."""
    state = _state(request)
    if not state.token:
        raise HTTPException(403, "writes are disabled: start the server with --token (or QUOTH_TOKEN) to enable them")
    auth = request.headers.get("authorization", "")
    scheme, _, given = auth.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise HTTPException(401, "send 'Authorization: Bearer <token>'", headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.strip().encode(), state.token.encode()):
        raise HTTPException(403, "wrong token")


WRITE_ERRORS = {
    401: {"model": Problem, "description": "No bearer token sent"},
    403: {"model": Problem, "description": "Writes disabled, or wrong token"},
    413: {"model": Problem, "description": "Body too large"},
    422: {"description": "Invalid input, or rejected by validation (results carry the SHACL report)"},
    503: {"model": Problem, "description": "Ingest is not available"},
}


async def _read_body(request: Request) -> bytes:
    limit = _state(request).max_body
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit:
        raise HTTPException(413, f"body larger than {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"body larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _json_items(body: bytes, jsonl_ok: bool) -> list[tuple[int | None, Any]]:
    """A JSON object, a JSON list, or (statements) JSON Lines -> [(line or index, object)]."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise HTTPException(422, "body is not UTF-8") from e
    from kb.model import InputError
    from kb.sources import loads_json

    try:  # depth-limited, and a lone surrogate is an error (kb.sources.loads_json)
        data = loads_json(text, "body")
    except InputError as e:
        if not jsonl_ok or "not valid JSON" not in str(e):
            raise HTTPException(422, str(e)) from e
        items = []
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    items.append((n, loads_json(line, f"line {n}")))
                except InputError as e2:
                    raise HTTPException(422, str(e2)) from e2
        return items
    if isinstance(data, list):
        return [(i + 1, x) for i, x in enumerate(data)]
    return [(1, data)]


def _parsed(items: list[tuple[int | None, Any]], parse: Any) -> list[Any]:
    """Parse each JSON item (an article or a statement); the first bad one is a 422."""
    from kb.model import InputError

    out = []
    for n, obj in items:
        try:
            out.append(parse(obj, f"item {n}", n))
        except InputError as e:
            raise HTTPException(422, str(e)) from e
    return out


def _ingest_response(results: list[Any]) -> JSONResponse:
    out = {"stored": sum(1 for r in results if r.stored), "rejected": sum(1 for r in results if not r.stored),
           "claims": sum(r.claims for r in results if r.stored),
           "mentions": sum(r.mentions for r in results if r.stored),
           "results": [{"article_id": r.article_id, "stored": r.stored, "claims": r.claims, "mentions": r.mentions,
                        "errors": list(r.errors), "report": r.report} for r in results]}
    return JSONResponse(out, status_code=200 if out["rejected"] == 0 else 422)


def _loaded_ingestor(state: Any) -> Any:
    """The server's Ingestor, loaded (and the store set up) under the write lock on first use."""
    from kb.store import StoreError

    with state.write_lock:
        try:
            return state.ingestor
        except ImportError as e:
            raise HTTPException(503, f"ingest is not available: {e}") from e
        except StoreError as e:
            raise HTTPException(503, f"the store could not be written: {e}") from e


def _with_ingestor(state: Any, fn: Any) -> Any:
    """Run a write with the (lazily loaded) Ingestor, one at a time; then refresh the SPARQL snapshot."""
    from kb.store import StoreError

    with state.write_lock:
        try:
            return fn(state.ingestor)
        except ImportError as e:  # a pipeline module (extractor, validator, ontology) is missing
            raise HTTPException(503, f"ingest is not available: {e}") from e
        except StoreError as e:
            raise HTTPException(503, f"the store could not be written: {e}") from e
        finally:
            state.changed()


_ARTICLE_IN = {"type": "object", "required": ["id", "text", "date"], "properties": {
    "id": {"type": "string"}, "text": {"type": "string"}, "date": {"type": "string", "format": "date"},
    "title": {"type": "string"}, "url": {"type": "string"}, "language": {"type": "string"},
    "publisher": {"type": "string"}}}
_STATEMENT_IN = {"type": "object", "required": ["speaker", "text", "language", "date_said", "source"], "properties": {
    "speaker": {"type": "string"}, "text": {"type": "string"}, "language": {"type": "string"},
    "date_said": {"type": "string", "format": "date"}, "type": {"type": "string"},
    "speaker_iri": {"type": "string"},
    "source": {"type": "object", "required": ["date"], "properties": {
        "url": {"type": "string"}, "title": {"type": "string"}, "date": {"type": "string", "format": "date"}}}}}

_ARTICLE_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "oneOf": [_ARTICLE_IN, {"type": "array", "items": _ARTICLE_IN, "maxItems": 1000}]},
    "example": {"id": "ap-2025-08-16", "date": "2025-08-16", "language": "de", "title": "Gipfel",
                "text": "„Wir werden uns bald wiedersehen“, sagte Trump am Freitag."}}}}}

_STATEMENT_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"type": "array", "items": _STATEMENT_IN},
                         "example": [{"speaker": "Donald Trump", "text": "We will meet again soon.",
                                      "language": "en", "date_said": "2025-08-15",
                                      "source": {"url": "https://example.org/a", "title": "Summit",
                                                 "date": "2025-08-16"}}]},
    "application/x-ndjson": {"schema": {"type": "string", "description": "JSON Lines, one statement per line"}}}}}


@router.post("/articles", tags=["writes"], response_model=IngestResponse, responses=WRITE_ERRORS,
             dependencies=[Depends(require_token)], openapi_extra=_ARTICLE_BODY,
             summary="Ingest one article or a list (extract, validate, store; idempotent)")
async def post_articles(request: Request) -> Any:
    """Each article is extracted, validated with SHACL and stored atomically — or rejected with the
    SHACL report (status 422; the others in the list are still stored). Re-posting changes nothing."""
    from kb.sources import article_from_json

    state = _state(request)
    articles = _parsed(_json_items(await _read_body(request), jsonl_ok=False), article_from_json)
    await anyio.to_thread.run_sync(_loaded_ingestor, state)
    # extraction (the slow part) outside the write lock, in the write worker (kb.write_worker):
    # other writes go on meanwhile, and readers keep the GIL
    quotes = await anyio.to_thread.run_sync(state.extract_articles, articles)
    results = await anyio.to_thread.run_sync(
        _with_ingestor, state, lambda ing: [ing.ingest_article(a, q) for a, q in zip(articles, quotes)])
    return _ingest_response(results)


@router.post("/statements", tags=["writes"], response_model=IngestResponse, responses=WRITE_ERRORS,
             dependencies=[Depends(require_token)], openapi_extra=_STATEMENT_BODY,
             summary="Import structured statements (JSON list or JSON Lines)")
async def post_statements(request: Request) -> Any:
    from kb.sources import statement_from_json

    state = _state(request)
    statements = _parsed(_json_items(await _read_body(request), jsonl_ok=True), statement_from_json)
    summary = await anyio.to_thread.run_sync(_with_ingestor, state, lambda ing: ing.ingest_statements(statements))
    return _ingest_response(summary.results)


@router.delete("/articles/{article_id}", tags=["writes"], response_model=DeleteResponse,
               responses={**WRITE_ERRORS, **NOT_FOUND}, dependencies=[Depends(require_token)],
               summary="Delete an article and the claims only it supported")
async def delete_article(request: Request, article_id: str) -> Any:
    state = _state(request)
    found = await anyio.to_thread.run_sync(_with_ingestor, state, lambda ing: ing.delete_article(article_id))
    if not found:
        raise HTTPException(404, f"no article {article_id!r}")
    return {"deleted": article_id}
