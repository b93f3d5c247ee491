"""The SPARQL 1.1 Protocol endpoint: read-only, time-limited, capped, no federation.

* GET ``/sparql?query=…`` and POST (``application/x-www-form-urlencoded`` with ``query=``, or
  ``application/sparql-query``); ``default-graph-uri`` / ``named-graph-uri`` are honoured.
* SELECT/ASK answer in SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE in Turtle, N-Triples,
  RDF/XML or JSON-LD — chosen by the Accept header (q-values, wildcards) or ``format=``.
* GET ``/sparql`` without a query returns the SPARQL Service Description (with VoID), or the
  query page for a browser.
* Updates are refused (403), and so is ``SERVICE`` (403): :mod:`kb.sparql_guard` reads the
  query before it runs. Queries run in worker processes (:mod:`api.worker`) killed at the time
  limit (503); results stop at the cap (header ``X-Quoth-Result-Cap: hit``).
* A query still running after ``LONG_AFTER`` seconds gives its place to a spare worker and runs on
  aside (:class:`api.worker.WorkerPool`), so runaway queries do not hold up the others; beyond
  ``MAX_LONG`` such queries (``MAX_LONG_PER_CLIENT`` per client address) it is stopped: 503 with
  ``Retry-After``.
"""

from __future__ import annotations

import math
import os
import time
from typing import Any
from urllib.parse import parse_qs

import anyio
import httpx
from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from kb.sparql_guard import inspect
from kb.store import RDF_FORMATS, RESULT_FORMATS
from kb.store.remote_dialect import accept_header, reserialize

from .conneg import negotiate, prefers_html
from .worker import Busy, QuerySyntax, Timeout, WorkerDied

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

#: media type -> result format key (first of each key is the canonical one)
RESULT_MEDIA: dict[str, str] = {  # canonical types first: aliases only win when named explicitly
    "application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
    "application/json": "json", "application/xml": "xml", "text/xml": "xml",
}
GRAPH_MEDIA: dict[str, str] = {
    "text/turtle": "ttl", "application/n-triples": "nt", "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld", "application/n-quads": "nq", "application/trig": "trig",
    "application/x-turtle": "ttl", "text/plain": "nt", "application/json": "jsonld",
}
FORMAT_NAMES: dict[str, tuple[str, str]] = {  # ?format= value -> (results key, graph key)
    "json": ("json", "jsonld"), "xml": ("xml", "rdfxml"), "csv": ("csv", "ttl"), "tsv": ("tsv", "ttl"),
    "ttl": ("json", "ttl"), "turtle": ("json", "ttl"), "nt": ("json", "nt"), "ntriples": ("json", "nt"),
    "n-triples": ("json", "nt"), "rdfxml": ("xml", "rdfxml"), "rdf": ("xml", "rdfxml"),
    "jsonld": ("json", "jsonld"), "json-ld": ("json", "jsonld"),
    "nq": ("json", "nq"), "nquads": ("json", "nq"), "n-quads": ("json", "nq"), "trig": ("json", "trig"),
}
MAX_QUERY_BYTES = 256 * 1024
QUEUE_WAIT = 30.0  # seconds a query may wait for a free worker before 503
#: a query running longer than this (seconds) is long: it leaves the normal workers' slots (api.worker)
LONG_AFTER = float(os.environ.get("QUOTH_SPARQL_LONG_AFTER", "0.25"))
#: long queries running at once: in all, and per client (its IP address)
MAX_LONG = int(os.environ.get("QUOTH_SPARQL_MAX_LONG", "4"))
MAX_LONG_PER_CLIENT = int(os.environ.get("QUOTH_SPARQL_MAX_LONG_PER_CLIENT", "2"))


def _slots(request: Request) -> anyio.Semaphore:
    """Queries waiting for a worker wait here (as coroutines), not in the thread pool, so a burst
    of slow SPARQL queries cannot starve the REST routes of threads."""
    state = request.app.state.quoth
    sem = getattr(state, "_sparql_slots", None)
    if sem is None:
        size = getattr(getattr(state.sparql, "pool", None), "size", 4)
        sem = state._sparql_slots = anyio.Semaphore(size)
    return sem


def _valid_iri(value: str) -> bool:
    import pyoxigraph as ox

    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return ":" in value

router = APIRouter(tags=["SPARQL"])


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message.rstrip() + "\n", status_code=status, headers=headers)


class EmbeddedBackend:
    """Queries against the embedded store, in killable worker processes."""

    def __init__(self, store: Any, timeout: float, cap: int, workers: int = 2) -> None:
        from kb.vocab import PREFIXES

        from .worker import WorkerPool

        # a spare worker started ahead: a query that becomes long hands its slot on at once
        self.pool = WorkerPool(store, size=workers, timeout=timeout, cap=cap, prefixes=dict(PREFIXES), spare=1,
                               long_after=LONG_AFTER if LONG_AFTER > 0 else None, max_long=MAX_LONG,
                               max_long_per_client=MAX_LONG_PER_CLIENT)
        self.timeout = timeout
        self.cap = cap

    def run(self, query: str, result_format: str, graph_format: str, default_graphs: list[str],
            named_graphs: list[str]) -> tuple[str, bytes, str, bool, float | None]:
        out = self.pool.run(query, result_format, graph_format, default_graphs, named_graphs)
        media = RDF_FORMATS[graph_format][1] if out.kind == "graph" else RESULT_FORMATS[result_format]
        return out.kind, out.body, media, out.capped, out.seconds

    async def run_async(self, query: str, result_format: str, graph_format: str, default_graphs: list[str],
                        named_graphs: list[str], client: str = "", on_long: Any = None
                        ) -> tuple[str, bytes, str, bool, float | None]:
        out = await self.pool.run_async(query, result_format, graph_format, default_graphs, named_graphs,
                                        client=client, on_long=on_long)
        media = RDF_FORMATS[graph_format][1] if out.kind == "graph" else RESULT_FORMATS[result_format]
        return out.kind, out.body, media, out.capped, out.seconds

    def refresh(self) -> None:
        self.pool.refresh()

    def close(self) -> None:
        self.pool.close()


class RemoteBackend:
    """Queries forwarded to a remote SPARQL server, with a client-side time limit."""

    def __init__(self, store: Any, timeout: float, cap: int) -> None:
        self.store = store
        self.endpoint = store.endpoint
        self.timeout = timeout
        self.cap = cap
        self.client = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)))

    def run(self, query: str, result_format: str, graph_format: str, default_graphs: list[str],
            named_graphs: list[str]) -> tuple[str, bytes, str, bool]:
        dialect = self.store.dialect
        accept, redo = accept_header(query, result_format, graph_format, dialect)  # kb.store.remote_dialect
        data: dict[str, Any] = {"query": self.store.prologue() + query, **dialect.time_limit_params(self.timeout)}
        if default_graphs:
            data["default-graph-uri"] = default_graphs
        if named_graphs:
            data["named-graph-uri"] = named_graphs
        try:
            r = self.client.post(self.endpoint, data=data, headers={"Accept": accept})
        except httpx.TimeoutException as e:
            raise Timeout() from e
        except httpx.HTTPError as e:
            raise WorkerDied(f"cannot reach the SPARQL server: {e}") from e
        if r.status_code == 400:
            raise QuerySyntax(r.text)
        if r.status_code >= 300:
            raise WorkerDied(f"the SPARQL server answered {r.status_code}")
        if dialect.is_partial(r):
            raise Timeout()
        media = r.headers.get("content-type", "").split(";")[0].strip()
        kind = "graph" if media == RDF_FORMATS[graph_format][1] else "bindings"
        if kind == "bindings" and redo:
            return kind, reserialize(r.content, result_format), RESULT_FORMATS[result_format], False, None
        return kind, r.content, media, False, None

    def refresh(self) -> None:
        pass

    def close(self) -> None:
        self.client.close()


def _pick_formats(request: Request, form: str | None) -> tuple[str, str] | Response:
    """(result format, graph format) from ``format=`` or Accept; a 406 response if none fits."""
    fmt = request.query_params.get("format")
    accept = request.headers.get("accept")
    if fmt:
        f = fmt.strip().lower()
        if f in FORMAT_NAMES:
            return FORMAT_NAMES[f]
        # a media type, or a list of them as SPARQLWrapper sends ("application/ld+json,application/x-json+ld"):
        # read as an Accept header; names this endpoint does not know are skipped
        known = [m for m in (part.split(";")[0].strip() for part in f.split(","))
                 if m in RESULT_MEDIA or m in GRAPH_MEDIA]
        if not known:
            return _error(400, f"unknown format {fmt!r}; use a media type or one of "
                               f"{', '.join(sorted(FORMAT_NAMES))}")
        accept = ", ".join(known)
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    offered = list(GRAPH_MEDIA) if graph_form else list(RESULT_MEDIA)
    media = negotiate(accept, offered)
    if media is None:
        return _error(406, "none of the requested media types can be produced; this query can answer "
                      + ", ".join(dict.fromkeys(offered)), {"Vary": "Accept"})
    if graph_form:
        return "json", GRAPH_MEDIA[media]
    return RESULT_MEDIA[media], "ttl"


async def _handle(request: Request, query: str, default_graphs: list[str], named_graphs: list[str]) -> Response:
    state = request.app.state.quoth
    if len(query.encode("utf-8", "surrogatepass")) > MAX_QUERY_BYTES:
        return _error(413, f"query longer than {MAX_QUERY_BYTES} bytes")
    check = inspect(query)
    if check.update:
        return _error(403, "this endpoint is read-only: SPARQL Update is not allowed")
    if check.service:
        return _error(403, "federated queries are not allowed: SERVICE is refused on this endpoint")
    formats = _pick_formats(request, check.form)
    if isinstance(formats, Response):
        return formats
    result_format, graph_format = formats
    for g in (*default_graphs, *named_graphs):
        if not _valid_iri(g):
            return _error(400, f"not an absolute IRI: {g!r}")
    t0 = time.perf_counter()
    slots = _slots(request)
    try:
        with anyio.fail_after(QUEUE_WAIT):
            await slots.acquire()
    except TimeoutError:
        return _error(503, "all SPARQL workers are busy; try again later", {"Retry-After": "5"})
    held = [True]

    def release() -> None:  # once: when the query becomes long (api.worker), or at the end
        if held[0]:
            held[0] = False
            slots.release()

    try:
        if hasattr(state.sparql, "run_async"):  # embedded: wait on the worker's pipe in the event loop
            kind, body, media, capped, inner = await state.sparql.run_async(
                query, result_format, graph_format, default_graphs, named_graphs,
                client=request.client.host if request.client else "", on_long=release)
        else:
            kind, body, media, capped, inner = await anyio.to_thread.run_sync(
                state.sparql.run, query, result_format, graph_format, default_graphs, named_graphs)
    except QuerySyntax as e:
        return _error(400, f"SPARQL syntax error: {e}")
    except Busy as e:
        return _error(503, str(e), {"Retry-After": str(max(1, math.ceil(e.retry_after)))})
    except Timeout:
        return _error(503, f"the query was stopped at the time limit of {state.sparql.timeout:g} s")
    except WorkerDied as e:
        return _error(500, str(e))
    except RuntimeError as e:
        return _error(500, f"query failed: {e}")
    finally:
        release()
    headers = {"Vary": "Accept", "X-Quoth-Query-Time": f"{time.perf_counter() - t0:.4f}",
               "X-Quoth-Result-Cap": "hit" if capped else "not-hit"}
    if inner is not None:
        headers["X-Quoth-Worker-Time"] = f"{inner:.4f}"
    if capped:
        headers["X-Quoth-Result-Cap-Limit"] = str(state.sparql.cap)
    ctype = media + ("; charset=utf-8" if media.startswith("text/") else "")
    return Response(body, media_type=ctype, headers=headers)


_ENDPOINT_DOC = {
    "description": "SPARQL 1.1 Protocol query endpoint (read-only). Without `query`, returns the "
                   "Service Description (Turtle, or by Accept: N-Triples, RDF/XML, JSON-LD; browsers get "
                   "the query page). Answers SPARQL results (JSON, XML, CSV, TSV) or RDF.",
    "responses": {
        200: {"description": "Query results", "content": {
            "application/sparql-results+json": {}, "application/sparql-results+xml": {}, "text/csv": {},
            "text/tab-separated-values": {}, "text/turtle": {}, "application/n-triples": {},
            "application/rdf+xml": {}, "application/ld+json": {}}},
        400: {"description": "SPARQL syntax error (the parser's message)", "content": {"text/plain": {}}},
        403: {"description": "Update or SERVICE refused", "content": {"text/plain": {}}},
        406: {"description": "No acceptable media type", "content": {"text/plain": {}}},
        413: {"description": "Query too long", "content": {"text/plain": {}}},
        415: {"description": "Unsupported body type", "content": {"text/plain": {}}},
        503: {"description": "Stopped at the time limit, or too many long-running queries (Retry-After)",
              "content": {"text/plain": {}}},
    },
}


@router.get("/sparql", summary="SPARQL query (GET) or service description", **_ENDPOINT_DOC)
async def sparql_get(request: Request) -> Response:
    qp = request.query_params
    if "update" in qp:
        return _error(403, "this endpoint is read-only: SPARQL Update is not allowed")
    queries = qp.getlist("query")
    if not queries:
        return await service_description(request)
    if len(queries) > 1:
        return _error(400, "more than one 'query' parameter; send one query per request")
    query = queries[0]
    return await _handle(request, query, qp.getlist("default-graph-uri"), qp.getlist("named-graph-uri"))


@router.post("/sparql", summary="SPARQL query (POST, form or application/sparql-query)", **_ENDPOINT_DOC)
async def sparql_post(request: Request) -> Response:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_QUERY_BYTES + 4096:
        return _error(413, f"request body larger than {MAX_QUERY_BYTES} bytes")
    qp = request.query_params
    if ctype == "application/sparql-update":
        return _error(403, "this endpoint is read-only: SPARQL Update is not allowed")
    if ctype == "application/sparql-query":
        charset = _charset(request.headers.get("content-type", ""))
        if charset not in (None, "utf-8", "utf8"):
            return _error(415, f"a query must be sent as UTF-8, not {charset}")
        body = await _read_limited(request)
        if body is None:
            return _error(413, f"request body larger than {MAX_QUERY_BYTES} bytes")
        try:
            query = body.decode("utf-8")
        except UnicodeDecodeError:
            return _error(400, "the query is not UTF-8")
        return await _handle(request, query, qp.getlist("default-graph-uri"), qp.getlist("named-graph-uri"))
    if ctype == "application/x-www-form-urlencoded":
        body = await _read_limited(request)
        if body is None:
            return _error(413, f"request body larger than {MAX_QUERY_BYTES} bytes")
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except (UnicodeDecodeError, ValueError):
            return _error(400, "the form body is not UTF-8 application/x-www-form-urlencoded")
        if "update" in form:
            return _error(403, "this endpoint is read-only: SPARQL Update is not allowed")
        if not form.get("query"):
            return _error(400, "missing 'query' parameter")
        if len(form["query"]) > 1:
            return _error(400, "more than one 'query' parameter; send one query per request")
        dg = form.get("default-graph-uri") or qp.getlist("default-graph-uri")
        ng = form.get("named-graph-uri") or qp.getlist("named-graph-uri")
        return await _handle(request, form["query"][0], dg, ng)
    if ctype == "multipart/form-data":
        body = await _read_limited(request)
        if body is None:
            return _error(413, f"request body larger than {MAX_QUERY_BYTES} bytes")
        mform = await request.form()
        if "update" in mform:
            return _error(403, "this endpoint is read-only: SPARQL Update is not allowed")
        if len(mform.getlist("query")) > 1:
            return _error(400, "more than one 'query' parameter; send one query per request")
        query = mform.get("query")
        if not isinstance(query, str):
            return _error(400, "missing 'query' parameter")
        dg = [str(v) for v in mform.getlist("default-graph-uri")] or qp.getlist("default-graph-uri")
        ng = [str(v) for v in mform.getlist("named-graph-uri")] or qp.getlist("named-graph-uri")
        return await _handle(request, query, dg, ng)
    return _error(415, "POST a query as application/sparql-query or as form field 'query' "
                       "(application/x-www-form-urlencoded)")


def _charset(content_type: str) -> str | None:
    """The lower-cased ``charset`` parameter of a Content-Type header, if it has one."""
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


async def _read_limited(request: Request) -> bytes | None:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_QUERY_BYTES + 4096:
            return None
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body  # let request.form() read it again
    return body


def description_graph(request: Request) -> Graph:
    state = request.app.state.quoth
    base = state.base_iri
    endpoint = URIRef(str(request.url_for("sparql_get")))
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("dct", DCTERMS)
    svc = URIRef(f"{endpoint}#service")
    g.add((svc, RDF.type, SD.Service))
    g.add((svc, SD.endpoint, endpoint))
    g.add((svc, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((svc, SD.feature, SD.UnionDefaultGraph))
    for f in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
              "Turtle", "N-Triples", "RDF_XML", "JSON-LD"):
        g.add((svc, SD.resultFormat, FORMATS[f]))
    ds = URIRef(f"{base}dataset")
    dd = BNode()
    g.add((svc, SD.defaultDataset, dd))
    g.add((dd, RDF.type, SD.Dataset))
    dg = BNode()
    g.add((dd, SD.defaultGraph, dg))
    g.add((dg, RDF.type, SD.Graph))
    g.add((dg, RDF.type, VOID.Dataset))
    g.add((dg, DCTERMS.description, Literal("The union of all named graphs")))
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal("Quoth: who said what, and when")))
    g.add((ds, VOID.sparqlEndpoint, endpoint))
    g.add((ds, VOID.uriSpace, Literal(base)))
    for key in ("ttl", "nt", "nq", "trig", "jsonld"):
        g.add((ds, VOID.dataDump, URIRef(f"{str(request.base_url).rstrip('/')}/export?format={key}")))
    for prefix, vocab in (("schema", "http://schema.org/"), ("q", "https://w3id.org/quoth/ontology#"),
                          ("prov", "http://www.w3.org/ns/prov#"), ("skos", "http://www.w3.org/2004/02/skos/core#")):
        g.add((ds, VOID.vocabulary, URIRef(vocab)))
    quads = state.triple_count()
    if quads is not None:
        g.add((ds, VOID.triples, Literal(quads, datatype=XSD.integer)))
        g.add((dg, VOID.triples, Literal(quads, datatype=XSD.integer)))
    return g


async def service_description(request: Request) -> Response:
    offered = ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"]
    if prefers_html(request.headers.get("accept"), offered):
        from .linked_data import sparql_page

        return await sparql_page(request)
    media = negotiate(request.headers.get("accept"), offered + ["text/plain"])
    if media is None:
        return _error(406, "the service description is available as " + ", ".join(offered))
    g = await anyio.to_thread.run_sync(description_graph, request)
    fmt = {"text/turtle": "turtle", "application/n-triples": "nt", "text/plain": "nt",
           "application/rdf+xml": "xml", "application/ld+json": "json-ld"}[media]
    return Response(g.serialize(format=fmt, encoding="utf-8"), media_type=media, headers={"Vary": "Accept"})
