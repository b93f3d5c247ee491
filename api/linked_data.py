"""Linked data: dereferenceable IRIs with content negotiation, dumps, and the web pages.

Every claim, mention, speaker and article IRI (``{base}claim/{h}``, ``{base}mention/{h}``,
``{base}speaker/{key}``, ``{base}article/{id}``, and the role, segment, activity and agent
nodes below them) answers with its description — a CONSTRUCT of the resource's triples in every
graph (asserted and inferred), the labels of the nodes it links to, and the links pointing at
it — as Turtle, JSON-LD (Quoth's context), N-Triples or RDF/XML, or as an HTML page for a
browser. Unknown IRIs are 404. ``/export`` streams full dumps.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kb.browse import lead
from kb.store import FORMAT_ALIASES, RDF_FORMATS
from kb.vocab import QUOTE_TYPES

from . import views
from .conneg import negotiate, prefers_html
from .templating import local_href, templates

HERE = Path(__file__).resolve().parent
router = APIRouter()

RDF_MEDIA = {"text/turtle": "ttl", "application/ld+json": "jsonld", "application/n-triples": "nt",
             "application/rdf+xml": "rdfxml", "application/x-turtle": "ttl", "text/plain": "nt"}
KINDS = ("claim", "mention", "speaker", "article", "activity", "agent", "correction")

DESCRIBE_OUT = "CONSTRUCT {{ {r} ?p ?o }} WHERE {{ SELECT DISTINCT ?p ?o WHERE {{ {r} ?p ?o }} }}"
DESCRIBE_IN = """
CONSTRUCT {{ ?s ?p {r} }} WHERE {{ SELECT DISTINCT ?s ?p WHERE {{
  ?s ?p {r} .
  FILTER(?p IN (q:mentionOf, q:inArticle, q:speaker, q:respondsTo, q:contradicts, q:sameClaimAs, q:relayedBy))
}} LIMIT 2000 }}
"""
LABELS = """
SELECT DISTINCT ?n ?p ?l WHERE {{
  VALUES ?n {{ {values} }}
  VALUES ?p {{ skos:prefLabel q:text rdfs:label q:roleLabel }}
  ?n ?p ?l .
}}
"""
EXISTS = "ASK {{ {r} ?p ?o }}"


def _state(request: Request) -> Any:
    return request.app.state.quoth


def exists(state: Any, iri_: str) -> bool:
    from kb.store.sparql_text import iri

    return state.store.ask(EXISTS.format(r=iri(iri_)))


def describe(state: Any, iri_: str) -> Graph:
    """The resource's description; empty when the store does not know it.

    Its own triples, the links pointing at it (claims, mentions, articles; at most 2000), and
    the labels/texts of every node linked either way. DISTINCT everywhere: a speaker's type and
    label are repeated in each article graph naming it, and the union graph keeps the repeats.
    """
    from kb.store.sparql_text import iri
    from kb.vocab import PREFIXES

    r = iri(iri_)
    g = state.store.construct(DESCRIBE_OUT.format(r=r))
    if len(g) == 0:
        return g
    g += state.store.construct(DESCRIBE_IN.format(r=r))
    nodes = {n for n in set(g.objects()) | set(g.subjects()) if isinstance(n, URIRef) and str(n) != iri_}
    nodes = sorted(nodes)[:3000]
    for i in range(0, len(nodes), 500):
        values = " ".join(iri(str(n)) for n in nodes[i:i + 500])
        for row in state.store.select(LABELS.format(values=values)):
            g.add((row["n"], row["p"], row["l"]))
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    return g


def serialize(g: Graph, fmt: str) -> bytes:
    if fmt == "jsonld":
        from kb.export import graph_to_jsonld

        return graph_to_jsonld(g)
    return g.serialize(format=RDF_FORMATS[fmt][0], encoding="utf-8")


def _rdf_format(request: Request) -> str | None | Response:
    """'html', an RDF format key, or a 406 response."""
    fmt = request.query_params.get("format")
    if fmt:
        f = fmt.lower()
        if f == "html":
            return "html"
        key = FORMAT_ALIASES.get(f, f)
        if key in ("ttl", "nt", "jsonld", "rdfxml"):
            return key
        return PlainTextResponse(f"unknown format {fmt!r}: use ttl, nt, jsonld, rdfxml or html\n", 400)
    accept = request.headers.get("accept")
    if prefers_html(accept, list(RDF_MEDIA)):
        return "html"
    media = negotiate(accept, list(RDF_MEDIA) + ["application/json"])
    if media is None:
        return PlainTextResponse("available as text/turtle, application/ld+json, application/n-triples, "
                                 "application/rdf+xml and text/html\n", 406)
    return "jsonld" if media == "application/json" else RDF_MEDIA[media]


async def resource(request: Request, kind: str) -> Response:
    state = _state(request)
    raw = request.scope.get("raw_path") or request.url.path.encode()
    path = raw.decode("latin-1").split("?", 1)[0]
    iri = state.base_iri + path.lstrip("/")
    fmt = _rdf_format(request)
    if isinstance(fmt, Response):
        return fmt
    rich = fmt == "html" and (kind in ("claim", "article") or (kind == "speaker" and "/role/" not in iri))
    try:
        if rich:  # the page is built from the lookups; the description is not needed
            g = Graph()
            found = await anyio.to_thread.run_sync(exists, state, iri)
        else:
            g = await anyio.to_thread.run_sync(describe, state, iri)
            found = len(g) > 0
    except ValueError:  # not a valid IRI
        g, found = Graph(), False
    if not found:
        if fmt == "html":
            return templates.TemplateResponse(request, "notfound.html", {"iri": iri}, status_code=404)
        return PlainTextResponse(f"no resource {iri}\n", 404)
    headers = {"Vary": "Accept", "Link": f'<{iri}>; rel="canonical"'}
    if fmt == "html":
        cursor = request.query_params.get("cursor")
        ctx = await anyio.to_thread.run_sync(page_context, state, kind, iri, g, cursor)
        if ctx.get("json_href"):
            headers["Link"] += f', <{ctx["json_href"]}>; rel="alternate"; type="application/json"'
        return templates.TemplateResponse(request, ctx.pop("template"), ctx, headers=headers)
    body = await anyio.to_thread.run_sync(serialize, g, fmt)
    return Response(body, media_type=RDF_FORMATS[fmt][1], headers=headers)


for _kind in KINDS:
    def _make(kind: str) -> Any:
        async def handler(request: Request, rest: str) -> Response:
            return await resource(request, kind)

        handler.__name__ = f"{kind}_resource"
        return handler

    router.add_api_route(
        f"/{_kind}/{{rest:path}}", _make(_kind), methods=["GET"], tags=["linked data"],
        summary=f"Dereference a {_kind} IRI (Turtle, JSON-LD, N-Triples, RDF/XML or HTML by Accept)",
        responses={200: {"description": "The resource's description",
                         "content": {m: {} for m in ("text/turtle", "application/ld+json", "application/n-triples",
                                                     "application/rdf+xml", "text/html")}},
                   404: {"description": "Unknown IRI", "content": {"text/plain": {}, "text/html": {}}},
                   406: {"description": "No acceptable media type", "content": {"text/plain": {}}}},
        response_class=Response)


# ---------------------------------------------------------------------------------------------
# HTML pages
def _local(iri: str, base: str) -> str:
    """A path on this server for an IRI under the base, another http(s) IRI as it is, else '#'."""
    return local_href(iri, base)


def _segments(text: str, spans: list[tuple[int, int, str | None]] | list[tuple[int, int, str | None, Any]]
              ) -> list[dict[str, Any]]:
    """Text cut into plain and highlighted pieces (overlapping spans: the first wins); a span's
    optional fourth item is kept as the piece's ``info`` (who said it, the correction)."""
    out: list[dict[str, Any]] = []
    pos = 0
    for span in sorted(spans, key=lambda s: (s[0], s[1])):
        start, end, href = span[0], span[1], span[2]
        if start < pos or start >= end or end > len(text):
            continue
        if start > pos:
            out.append({"text": text[pos:start], "mark": False})
        out.append({"text": text[start:end], "mark": True, "href": href, "info": span[3] if len(span) > 3 else None})
        pos = end
    if pos < len(text):
        out.append({"text": text[pos:], "mark": False})
    return out


def _window(text: str, start: int, end: int, size: int = 300) -> list[dict[str, Any]]:
    lo, hi = max(0, start - size), min(len(text), end + size)
    segs = _segments(text[lo:hi], [(start - lo, end - lo, None)])
    if lo > 0:
        segs.insert(0, {"text": "… ", "mark": False})
    if hi < len(text):
        segs.append({"text": " …", "mark": False})
    return segs


def _article_body(state: Any, article_id: str) -> str | None:
    rows = state.store.select("SELECT ?body WHERE { ?a schema:articleBody ?body } LIMIT 1",
                              {"a": state.iris.article(article_id)})
    return str(rows[0]["body"]) if rows else None


def page_context(state: Any, kind: str, iri: str, g: Graph, cursor: str | None = None) -> dict[str, Any]:
    base = state.base_iri
    ctx: dict[str, Any] = {"iri": iri, "kind": kind, "local": lambda i: _local(str(i), base),
                           "formats": _format_links(iri, base)}
    if kind == "claim":
        c = views.claim_detail(state, iri)
        if c is not None:
            for s in c["sources"]:
                s["href"] = _local(str(state.iris.article(s["article"])), base)
                body = _article_body(state, s["article"]) if s.get("start") is not None else None
                s["segments"] = _window(body, s["start"], s["end"]) if body else None
                s["lead"] = lead(body)
            ctx.update(template="claim.html", claim=c, types=QUOTE_TYPES, writes=bool(state.token),
                       json_href=f"/claims/{quote(c['id'], safe='')}")
            return ctx
    if kind == "speaker" and "/role/" not in iri:
        data = views.speaker_page(state, iri, cursor=cursor)
        if data is not None:
            sid = quote(data["speaker_id"], safe="")
            ctx.update(template="speaker.html", **data, json_href=f"/speakers/{sid}",
                       csv_href=f"/claims.csv?speaker={sid}",
                       next_href=f"{_local(iri, base)}?cursor={quote(data['more'], safe='')}" if data["more"] else None,
                       first_href=_local(iri, base) if cursor else None)
            return ctx
    if kind == "article":
        aid = views.local_id(iri, "article", base) if iri.startswith(base) else None
        a = views.article_detail(state, aid) if aid is not None else None
        if a is not None:
            spans = [(s["start"], s["end"], _local(s["claim"], base), s) for s in a["spans"]]
            eid = quote(aid, safe="")
            ctx.update(template="article.html", article=a,
                       segments=_segments(a["text"], spans) if a.get("text") else None,
                       json_href=f"/articles/{eid}", csv_href=f"/claims.csv?article={eid}")
            return ctx
    if len(g) == 0:
        g = describe(state, iri)
    rows = []
    for s, p, o in sorted(g.triples((URIRef(iri), None, None))):
        label = None
        if isinstance(o, URIRef):
            label = g.value(o, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")) or \
                g.value(o, URIRef("https://w3id.org/quoth/ontology#text"))
        rows.append({"p": str(p), "p_short": _short(g, p), "o": str(o), "iri": isinstance(o, URIRef),
                     "href": _local(str(o), base) if isinstance(o, URIRef) else None,
                     "label": str(label) if label else None,
                     "lang": o.language if isinstance(o, Literal) else None})
    incoming = [{"s": str(s), "href": _local(str(s), base), "p_short": _short(g, p)}
                for s, p, _ in sorted(g.triples((None, None, URIRef(iri))))]
    types = [_short(g, t) for t in g.objects(URIRef(iri), RDF.type)]
    ctx.update(template="resource.html", rows=rows, incoming=incoming, types=types)
    return ctx


def _short(g: Graph, term: Any) -> str:
    try:
        return g.namespace_manager.normalizeUri(term)
    except Exception:  # noqa: BLE001
        return str(term)


def _format_links(iri: str, base: str) -> list[tuple[str, str]]:
    path = _local(iri, base)
    return [(name, f"{path}?format={key}") for name, key in
            (("Turtle", "ttl"), ("JSON-LD", "jsonld"), ("N-Triples", "nt"), ("RDF/XML", "rdfxml"))]


EXAMPLE_QUERY = """SELECT ?claim ?speaker ?date ?text WHERE {
  ?claim a q:Claim ; q:speaker ?s ; q:dateSaid ?date ; q:text ?text .
  ?s skos:prefLabel ?speaker .
} ORDER BY DESC(?date) LIMIT 20"""


@router.get("/query", response_class=HTMLResponse, include_in_schema=False)
async def sparql_page(request: Request) -> Response:
    from kb.vocab import PREFIXES

    state = _state(request)
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    query = request.query_params.get("query") or (prefixes + "\n" + EXAMPLE_QUERY)
    from urllib.parse import urlencode

    twin = "/sparql?" + urlencode({"query": query, "format": "json"})  # the results as SPARQL JSON
    return templates.TemplateResponse(request, "sparql.html", {
        "query": query, "prefixes": PREFIXES, "timeout": state.query_timeout, "cap": state.result_cap,
        "autorun": request.query_params.get("run") == "1", "json_href": twin},
        headers={"Link": f'<{twin}>; rel="alternate"; type="application/json"'})


# ---------------------------------------------------------------------------------------------
# dumps
class _QueueWriter:
    """A file-like object feeding a bounded queue (the dump runs in a thread)."""

    def __init__(self, q: queue.Queue, stop: threading.Event, chunk: int = 1 << 16) -> None:
        self.q, self.stop, self.chunk, self.buf = q, stop, chunk, bytearray()

    def write(self, data: bytes) -> int:
        self.buf += data
        if len(self.buf) >= self.chunk:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buf:
            self._put(bytes(self.buf))
            self.buf.clear()

    def _put(self, item: Any) -> None:
        while True:
            if self.stop.is_set():
                raise BrokenPipeError("client went away")
            try:
                self.q.put(item, timeout=0.5)
                return
            except queue.Full:
                continue


def stream_dump(store: Any, fmt: str) -> Iterator[bytes]:
    from kb.export import export_store

    q: queue.Queue = queue.Queue(maxsize=32)
    stop = threading.Event()
    w = _QueueWriter(q, stop)

    def run() -> None:
        try:
            export_store(store, w, fmt)
            w.flush()
        except BrokenPipeError:
            return
        except Exception as e:  # noqa: BLE001 - surface in the response stream
            q.put(e)
        q.put(None)

    threading.Thread(target=run, daemon=True, name="quoth-dump").start()
    try:
        while True:
            item = q.get()
            if item is None:
                return
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        stop.set()


EXPORT_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld", "rdfxml")


def _export(request: Request, fmt: str) -> Response:
    key = FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
    if key not in RDF_FORMATS:
        return PlainTextResponse(f"unknown format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}\n", 400)
    ext = {"rdfxml": "rdf"}.get(key, key)
    return StreamingResponse(stream_dump(_state(request).store, key), media_type=RDF_FORMATS[key][1],
                             headers={"Content-Disposition": f'attachment; filename="quoth.{ext}"'})


_EXPORT_DOC = {"tags": ["linked data"], "response_class": Response,
               "responses": {200: {"description": "The whole store, streamed",
                                   "content": {v[1]: {} for v in RDF_FORMATS.values()}},
                             400: {"description": "Unknown format", "content": {"text/plain": {}}}}}


@router.get("/export", summary="Full dump of the store (streamed)", **_EXPORT_DOC)
def export(request: Request, format: str = Query("ttl", description="ttl, nt, nq, trig, jsonld or rdfxml",
                                                 max_length=20)) -> Response:
    return _export(request, format)


@router.get("/export.{ext}", summary="Full dump of the store by file extension", **_EXPORT_DOC)
def export_ext(request: Request, ext: str) -> Response:
    return _export(request, {"rdf": "rdfxml"}.get(ext, ext))

