"""The HTML pages a journalist works in, and their JSON and CSV twins.

* ``/`` (recent claims with their sources), ``/search`` (text, speaker, date range, language,
  type and publisher filters, paged), ``/speakers`` and ``/articles`` (indexes, paged; a browser
  gets HTML from the REST routes, :mod:`api.rest`), ``/ask`` (HTML rendering of the ask view).
* Every page names its JSON twin in a ``Link: <…>; rel="alternate"; type="application/json"``
  header and in a visible link (as datasette does): ``/claims.json``, ``/speakers.json``,
  ``/articles.json`` take the same parameters as the page; ``/claims.csv`` exports any claim list.
* ``POST /corrections/form``: the claim page's correction form (token in a field).
* Errors (unknown page, unknown speaker, an empty question, a bad parameter) are HTML pages for
  a browser and JSON problems for everyone else (:func:`install_error_pages`).

Data comes from :mod:`api.views`; nothing here is imported by :mod:`api.views`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hmac
import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

import anyio
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kb.vocab import QUOTE_TYPES

from . import lookups, views
from .conneg import prefers_html
from .templating import local_href, templates

router = APIRouter(include_in_schema=False)
PAGE = 50


def _state(request: Request) -> Any:
    return request.app.state.quoth


def render(request: Request, template: str, ctx: dict[str, Any], json_href: str | None = None,
           csv_href: str | None = None, status_code: int = 200) -> Response:
    """A page with its JSON twin linked in the headers and on the page."""
    state = _state(request)
    ctx = {"local": lambda i: local_href(i, state.base_iri), "json_href": json_href, "csv_href": csv_href, **ctx}
    headers = {}
    if json_href:
        headers["Link"] = f'<{json_href}>; rel="alternate"; type="application/json"'
    return templates.TemplateResponse(request, template, ctx, status_code=status_code, headers=headers)


def _qs(params: dict[str, Any], **extra: Any) -> str:
    """A query string of the given non-empty parameters."""
    merged = {**params, **extra}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


# ---------------------------------------------------------------------------------------------
# home and search
@router.get("/")
def home(request: Request) -> Response:
    state = _state(request)
    recent = state.recent_claims(15)
    try:
        st = state.stats()
    except Exception:  # noqa: BLE001 - the page works without counts
        st = None
    return render(request, "home.html", {"recent": recent["items"], "more": recent["next_cursor"], "stats": st},
                  json_href="/claims.json?limit=15")


def _search_params(request: Request) -> dict[str, str]:
    keys = ("q", "speaker", "since", "until", "language", "type", "publisher", "article")
    return {k: request.query_params.get(k, "").strip()[:500] for k in keys}


def _date(value: str, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise views.ViewError(400, f"{name}: not a date (YYYY-MM-DD): {value!r}") from e


def _resolve_speaker(state: Any, speaker: str) -> str | None:
    """A speaker key, IRI or name -> an IRI (a name: the speaker with most claims matching it)."""
    if not speaker:
        return None
    iri = views.speaker_key_iri(state, speaker)
    if lookups.get_speaker(state.store, iri, index=views.side_index(state)) is not None:
        return iri
    hits = lookups.search_speakers(state.store, speaker, limit=1, index=views.side_index(state))
    if not hits:
        raise views.ViewError(404, f"no speaker {speaker!r}")
    return hits[0]["iri"]


def _filter(state: Any, p: dict[str, str]) -> views.ClaimFilter:
    if p["type"] and p["type"] not in QUOTE_TYPES:
        raise views.ViewError(400, f"type must be one of {', '.join(QUOTE_TYPES)}")
    if p["language"] and not p["language"].replace("-", "").isalnum():
        raise views.ViewError(400, f"not a language tag: {p['language']!r}")
    return views.claim_filter(state, speaker=_resolve_speaker(state, p["speaker"]), q=p["q"],
                              language=p["language"], since=_date(p["since"], "since"),
                              until=_date(p["until"], "until"), type=p["type"], publisher=p["publisher"],
                              article=p["article"])


@router.get("/search")
def search(request: Request, cursor: str | None = Query(None, max_length=2000)) -> Response:
    state = _state(request)
    p = _search_params(request)
    f = _filter(state, p)
    page = views.claims_data(state, f, limit=PAGE, cursor=cursor, sources=True)
    speakers = (lookups.search_speakers(state.store, p["q"], limit=10, index=views.side_index(state))
                if p["q"] and not cursor else [])
    qs = _qs(p)
    return render(request, "search.html", {
        "p": p, "types": QUOTE_TYPES, "speakers": speakers, "claims": page["items"],
        "next_href": f"/search?{_qs(p, cursor=page['next_cursor'])}" if page["next_cursor"] else None,
        "first_href": f"/search?{qs}" if cursor else None},
        json_href=f"/claims.json?{_qs(p, cursor=cursor)}", csv_href=f"/claims.csv?{qs}")


# ---------------------------------------------------------------------------------------------
# indexes (a browser reaches them through GET /speakers and GET /articles, api.rest)
def _index_page(request: Request, path: str, data: dict[str, Any], p: dict[str, Any], limit: int, offset: int,
                ctx: dict[str, Any]) -> Response:
    """An offset-paged index page (``path`` is /speakers or /articles) with its JSON twin."""
    p = {**p, "limit": limit if limit != PAGE else None}
    return render(request, f"{path.strip('/')}.html", {
        **ctx, "offset": offset,
        "next_href": f"{path}?{_qs(p, offset=data['next_offset'])}" if data["next_offset"] else None,
        "prev_href": f"{path}?{_qs(p, offset=max(0, offset - limit) or None)}" if offset else None},
        json_href=f"{path}.json?{_qs(p, offset=offset or None)}")


def speakers_page(request: Request, q: str | None, limit: int, offset: int) -> Response:
    """The speaker index (search by name or alias, claim counts)."""
    data = views.speakers_data(_state(request), q, limit, offset)
    return _index_page(request, "/speakers", data, {"q": q or ""}, limit, offset,
                       {"q": q or "", "speakers": data["items"]})


def articles_page(request: Request, limit: int, offset: int, publisher: str | None) -> Response:
    """The article index (title, date, publisher, claim count; filter by publisher)."""
    data = views.articles_data(_state(request), limit, offset, publisher)
    return _index_page(request, "/articles", data, {"publisher": publisher or ""}, limit, offset,
                       {"publisher": publisher or "", "articles": data["items"]})


def ask_page(request: Request, q: str, limit: int) -> Response:
    state = _state(request)
    error, answer, status = None, None, 200
    try:
        answer = views.ask_data(state, q, limit)
    except views.ViewError as e:
        error, status = e.detail, e.status
    return render(request, "ask.html", {"q": q, "answer": answer, "error": error},
                  json_href=f"/ask?{_qs({'q': q})}", status_code=status)


# ---------------------------------------------------------------------------------------------
# JSON and CSV twins
@router.get("/claims.json")
def claims_json(request: Request, cursor: str | None = Query(None, max_length=2000),
                limit: int = Query(PAGE, ge=1, le=500)) -> Any:
    state = _state(request)
    return views.claims_data(state, _filter(state, _search_params(request)), limit=limit, cursor=cursor,
                             sources=True)


@router.get("/claims.csv")
def claims_csv(request: Request) -> Response:
    """Every claim of a listing (the search filters, ``speaker`` or ``article``), at most 10,000, as CSV."""
    state = _state(request)
    f = _filter(state, _search_params(request))

    def rows() -> Iterator[str]:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(views.CSV_COLUMNS)
        for c in views.all_claims(state, f):
            w.writerow(views.csv_row(c))
            if buf.tell() > 1 << 15:
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue()

    return StreamingResponse(rows(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="quoth-claims.csv"'})


@router.get("/speakers.json")
def speakers_json(request: Request, q: str | None = Query(None, max_length=200),
                  limit: int = Query(PAGE, ge=1, le=500), offset: int = Query(0, ge=0, le=100_000)) -> Any:
    return views.speakers_data(_state(request), q, limit, offset)


@router.get("/articles.json")
def articles_json(request: Request, publisher: str | None = Query(None, max_length=200),
                  limit: int = Query(PAGE, ge=1, le=500), offset: int = Query(0, ge=0, le=10_000_000)) -> Any:
    return views.articles_data(_state(request), limit, offset, publisher)


# ---------------------------------------------------------------------------------------------
# the correction form of the claim page
FORM_FIELDS = ("token", "claim", "mention", "action", "speaker", "type", "start", "end", "note", "by")


@router.post("/corrections/form")
async def correction_form(request: Request) -> Response:
    """Form-encoded correction (the token in a field, since a form cannot send a header);
    on success back to the claim page (303), else an HTML error page."""
    state = _state(request)
    body = await request.body()
    if len(body) > 20_000:
        raise views.ViewError(413, "form too large")
    try:
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()
                if k in FORM_FIELDS}
    except UnicodeDecodeError as e:
        raise views.ViewError(400, "form is not UTF-8") from e
    if not state.token:
        raise views.ViewError(403, "writes are disabled: start the server with --token (or QUOTH_TOKEN)")
    if not hmac.compare_digest(form.get("token", "").encode(), state.token.encode()):
        raise views.ViewError(403, "wrong token")
    data: dict[str, Any] = {k: (form.get(k) or None) for k in ("mention", "action", "speaker", "type", "note", "by")}
    for k in ("start", "end"):
        v = (form.get(k) or "").strip()
        if v:
            if not v.isdigit():
                raise views.ViewError(422, f"{k}: a character offset (a whole number)")
            data[k] = int(v)
    if data.get("action") != "reattribute":
        data["speaker"] = None
    if data.get("action") != "type":
        data["type"] = None
    if data.get("action") != "span":
        data["start"] = data["end"] = None
    await anyio.to_thread.run_sync(views.write_correction, state, data)
    claim = form.get("claim") or ""
    target = f"/claim/{quote(claim, safe='')}#corrections" if claim and "/" not in claim else "/"
    return RedirectResponse(target, status_code=303)


# ---------------------------------------------------------------------------------------------
# errors
def _error_response(request: Request, status: int, detail: Any) -> Response:
    if prefers_html(request.headers.get("accept"), ["application/json"]):
        text = detail if isinstance(detail, str) else "; ".join(
            f"{'.'.join(str(x) for x in d.get('loc', [])[1:])}: {d.get('msg')}" for d in detail
            if isinstance(d, dict)) or str(detail)
        return render(request, "error.html", {"status": status, "detail": text, "path": request.url.path},
                      status_code=status)
    return JSONResponse({"detail": detail}, status_code=status)


def install_error_pages(app: FastAPI) -> None:
    """HTML error pages for browsers (unknown page, unknown speaker, an empty question, …);
    the same JSON problems as before for API clients."""
    from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler

    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        if prefers_html(request.headers.get("accept"), ["application/json"]):
            return _error_response(request, exc.status_code, exc.detail)
        return await http_exception_handler(request, exc)

    async def on_validation(request: Request, exc: RequestValidationError) -> Response:
        if prefers_html(request.headers.get("accept"), ["application/json"]):
            if request.url.path == "/ask":
                return ask_page(request, request.query_params.get("q", ""), 10)
            return _error_response(request, 422, exc.errors())
        return await request_validation_exception_handler(request, exc)

    async def on_view(request: Request, exc: views.ViewError) -> Response:
        return _error_response(request, exc.status, exc.detail)

    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(views.ViewError, on_view)
