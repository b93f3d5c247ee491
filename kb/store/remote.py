"""A remote SPARQL 1.1 server (Oxigraph server, Virtuoso, GraphDB, …) as the store.

Uses the SPARQL 1.1 Protocol for queries and updates and, when configured, the Graph Store
Protocol for whole-graph reads and dumps. The server must query the union of its named
graphs by default (Oxigraph: ``oxigraph serve --union-default-graph``; Virtuoso and GraphDB
do so out of the box).

Dialects (``dialect=``, env ``QUOTH_SPARQL_DIALECT``; ``auto`` reads the ``Server`` header of the
first answer): ``standard`` and ``virtuoso``. The Virtuoso dialect (docs/VIRTUOSO.md) sends updates to
``/sparql-auth`` (HTTP digest authentication), leaves Virtuoso's own system graphs out of
``named_graphs``, ``dump`` and ``triple_count``, splits large ``INSERT DATA`` into parts its SPARQL
compiler accepts, and maps its error codes (transaction time-outs, partial "anytime" results) to
:class:`QueryTimeout`. Credentials (``user``/``password``, env ``QUOTH_SPARQL_USER`` /
``QUOTH_SPARQL_PASSWORD``) are only sent to the update endpoint and never appear in messages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import IO, Any

import httpx
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from . import (
    DEFAULT_BASE_IRI,
    RDF_FORMATS,
    RESULT_FORMATS,
    QuerySyntaxError,
    QueryTimeout,
    RawResult,
    Row,
    Store,
    StoreError,
)
from .sparql_text import bind_values, iri
from .remote_dialect import Dialect, detect_dialect, guess_update_endpoint, reserialize, accept_header
from ..vocab import sparql_prefixes

_BNODE_JUNK = re.compile(r"[^A-Za-z0-9_]")
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.8"


class RemoteStore(Store):
    """A SPARQL 1.1 server reached over HTTP."""

    def __init__(self, endpoint: str, update_endpoint: str | None = None,
                 graph_store_endpoint: str | None = None, base_iri: str = DEFAULT_BASE_IRI,
                 timeout: float = 30.0, user: str | None = None, password: str | None = None,
                 dialect: str = "auto"):
        self.endpoint = endpoint
        self._explicit_update = update_endpoint
        self.graph_store_endpoint = graph_store_endpoint
        self.base_iri = base_iri
        self._client = httpx.Client(timeout=timeout)
        self._auth = httpx.DigestAuth(user, password or "") if user else None
        self._dialect: Dialect | None = None if dialect == "auto" else Dialect.named(dialect)

    @property
    def dialect(self) -> Dialect:
        """The server's dialect (detected from the first answer when ``auto``)."""
        if self._dialect is None:
            try:
                r = self._client.get(self.endpoint, params={"query": "ASK {}"},
                                     headers={"Accept": RESULT_FORMATS["json"]})
                self._dialect = detect_dialect(r.headers.get("server", ""))
            except httpx.HTTPError:
                return Dialect.named("standard")  # unreachable: errors come from the real request
        return self._dialect

    @property
    def update_endpoint(self) -> str:
        """Where updates go: as configured, else guessed from the query endpoint and dialect."""
        return self._explicit_update or guess_update_endpoint(self.endpoint, self.dialect)

    # -- protocol ----------------------------------------------------------------
    def prologue(self) -> str:
        """BASE (the store's base IRI: relative IRIs resolve against it) and the predefined PREFIXes."""
        return f"BASE {iri(_slash(self.base_iri))}\n" + sparql_prefixes()

    def _post_query(self, sparql: str, accept: str) -> httpx.Response:
        try:
            r = self._client.post(self.endpoint, data={"query": self.prologue() + sparql},
                                  headers={"Accept": accept})
        except httpx.TimeoutException as e:
            raise QueryTimeout(f"the SPARQL server at {self.endpoint} did not answer in time") from e
        except httpx.HTTPError as e:
            raise StoreError(f"cannot reach the SPARQL server at {self.endpoint}: {e}") from e
        self.dialect.check_query_response(r, self.endpoint)
        return r

    def _results(self, sparql: str, bindings: Mapping[str, Node] | None) -> dict:
        r = self._post_query(bind_values(sparql, bindings), RESULT_FORMATS["json"])
        return json.loads(r.content)

    # -- reading -------------------------------------------------------------------
    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[Row]:
        data = self._results(sparql, bindings)
        return json_rows(data)

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        data = self._results(sparql, bindings)
        if "boolean" not in data:
            raise QuerySyntaxError("expected an ASK query")
        return bool(data["boolean"])

    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        r = self._post_query(bind_values(sparql, bindings), _GRAPH_ACCEPT)
        fmt = "nt" if "n-triples" in r.headers.get("content-type", "") else "turtle"
        return Graph().parse(data=r.content, format=fmt)

    def query_raw(self, sparql: str, result_format: str = "json", graph_format: str = "ttl") -> RawResult:
        accept, redo = accept_header(sparql, result_format, graph_format, self.dialect)
        r = self._post_query(sparql, accept)
        ctype = r.headers.get("content-type", "").split(";")[0].strip()
        kind = "graph" if ctype == RDF_FORMATS[graph_format][1] else "bindings"
        body = r.content
        if kind == "bindings" and (result_format == "json" or redo) and b'"boolean"' in body[:200]:
            kind = "boolean"
        if kind != "graph" and redo:
            body, ctype = reserialize(body, result_format), RESULT_FORMATS[result_format]
        return RawResult(body, ctype or RESULT_FORMATS[result_format], kind)

    def graph(self, graph_iri: str) -> Graph:
        return self.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri(graph_iri)} {{ ?s ?p ?o }} }}")

    def named_graphs(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(str(r["g"]) for r in rows if not self.dialect.is_system_graph(str(r["g"])))

    def dump(self, out: IO[bytes], fmt: str, graph_iri: str | None = None) -> None:
        if graph_iri is not None:
            rows = self.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH {iri(graph_iri)} {{ ?s ?p ?o }} }}")
            quads = [(r["s"], r["p"], r["o"], URIRef(graph_iri)) for r in rows]
        else:
            rows = self.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            quads = [(r["s"], r["p"], r["o"], r["g"]) for r in rows
                     if not self.dialect.is_system_graph(str(r["g"]))]
        from . import to_oxigraph

        oxq = [ox.Quad(*(to_oxigraph(t) for t in q[:3]), to_oxigraph(q[3])) for q in quads]
        from .oxigraph import OxigraphStore

        mem = OxigraphStore(None, base_iri=self.base_iri)
        mem.native.extend(oxq)
        mem.dump(out, fmt, graph_iri)

    def triple_count(self) -> int:
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sum(int(r["n"]) for r in rows if not self.dialect.is_system_graph(str(r["g"])))

    # -- writing -----------------------------------------------------------------------
    def update(self, sparql: str) -> None:
        if not sparql.strip():
            return
        self._post_update(sparql)

    def _post_update(self, sparql: str) -> None:
        try:
            r = self._client.post(self.update_endpoint, content=(sparql_prefixes() + sparql).encode(),
                                  headers={"Content-Type": "application/sparql-update"}, auth=self._auth)
        except httpx.TimeoutException as e:
            raise QueryTimeout(f"the SPARQL update endpoint {self.update_endpoint} did not answer in time") from e
        except httpx.HTTPError as e:
            raise StoreError(f"cannot reach the SPARQL update endpoint {self.update_endpoint}: {e}") from e
        self.dialect.check_update_response(r, self.update_endpoint)

    def load(self, data: bytes, fmt: str, graph_iri: str) -> None:
        g = Graph().parse(data=data, format=RDF_FORMATS[fmt][0])
        self._write([f"DROP SILENT GRAPH {iri(graph_iri)}"], [(graph_iri, g)])

    def insert(self, graphs: list[tuple[str, Any]], bulk: bool = False,
               replace: list[tuple[str, set]] | None = None) -> None:
        """One SPARQL Update (deletes of ``replace`` then INSERT DATA), in parts where the
        server's dialect limits the size of a request (kb.store.remote_dialect)."""
        from .sparql_text import delete_subjects

        self._write([delete_subjects(g, subs) for g, subs in (replace or []) if subs], graphs)

    def update_from_nquads(self, data: bytes) -> None:
        by_graph: dict[str, list[ox.Quad]] = {}
        for q in ox.parse(data, format=ox.RdfFormat.N_QUADS):
            by_graph.setdefault(q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "", []).append(q)
        self._write([], [(g, [ox.Triple(q.subject, q.predicate, q.object) for q in qs])
                         for g, qs in by_graph.items()])

    def _write(self, ops: list[str], graphs: list[tuple[str, Any]]) -> None:
        from .sparql_text import insert_data_parts

        parts = insert_data_parts(graphs, self.dialect.max_insert_triples, self.dialect.bnodes_in_insert_data)
        first = " ;\n".join(ops + parts[:1])
        if first:
            self.update(first)
        for part in parts[1:]:
            self.update(part)

    def close(self) -> None:
        self._client.close()


def json_rows(data: dict) -> list[Row]:
    """The rows of SPARQL JSON results (``application/sparql-results+json``, parsed)."""
    if "results" not in data:
        raise QuerySyntaxError("expected a SELECT query")
    return [{k: _json_term(v) for k, v in b.items()} for b in data["results"]["bindings"]]


def _json_term(v: dict) -> Node:
    t = v["type"]
    if t == "uri":
        return URIRef(v["value"])
    if t == "bnode":  # Virtuoso labels them nodeID://b10003: keep a valid blank node label
        return BNode(_BNODE_JUNK.sub("_", v["value"].removeprefix("nodeID://")))
    if "xml:lang" in v:
        return Literal(v["value"], lang=v["xml:lang"])
    if "datatype" in v and v["datatype"] != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(v["value"], datatype=URIRef(v["datatype"]))
    return Literal(v["value"])


def _slash(base: str) -> str:
    return base if base.endswith("/") else base + "/"
