"""A remote SPARQL 1.1 server (Oxigraph server, Virtuoso, GraphDB, …) as the store.

Uses the SPARQL 1.1 Protocol for queries and updates and, when configured, the Graph Store
Protocol for whole-graph reads and dumps. The server must query the union of its named
graphs by default (Oxigraph: ``oxigraph serve --union-default-graph``; Virtuoso and GraphDB
do so out of the box).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO

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
from ..vocab import sparql_prefixes

_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.8"


class RemoteStore(Store):
    """A SPARQL 1.1 server reached over HTTP."""

    def __init__(self, endpoint: str, update_endpoint: str | None = None,
                 graph_store_endpoint: str | None = None, base_iri: str = DEFAULT_BASE_IRI,
                 timeout: float = 30.0):
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or _guess_update_endpoint(endpoint)
        self.graph_store_endpoint = graph_store_endpoint
        self.base_iri = base_iri
        self._client = httpx.Client(timeout=timeout)

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
        if r.status_code == 400:
            raise QuerySyntaxError(r.text.strip() or "bad query")
        if r.status_code >= 300:
            raise StoreError(f"SPARQL server answered {r.status_code}: {r.text[:500]}")
        return r

    def _results(self, sparql: str, bindings: Mapping[str, Node] | None) -> dict:
        r = self._post_query(bind_values(sparql, bindings), RESULT_FORMATS["json"])
        return json.loads(r.content)

    # -- reading -------------------------------------------------------------------
    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[Row]:
        data = self._results(sparql, bindings)
        if "results" not in data:
            raise QuerySyntaxError("expected a SELECT query")
        return [{k: _json_term(v) for k, v in b.items()} for b in data["results"]["bindings"]]

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
        accept = f"{RESULT_FORMATS[result_format]}, {RDF_FORMATS[graph_format][1]};q=0.9"
        r = self._post_query(sparql, accept)
        ctype = r.headers.get("content-type", "").split(";")[0].strip()
        kind = "graph" if ctype == RDF_FORMATS[graph_format][1] else "bindings"
        if kind == "bindings" and result_format == "json" and b'"boolean"' in r.content[:200]:
            kind = "boolean"
        return RawResult(r.content, ctype or RESULT_FORMATS[result_format], kind)

    def graph(self, graph_iri: str) -> Graph:
        return self.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri(graph_iri)} {{ ?s ?p ?o }} }}")

    def named_graphs(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(str(r["g"]) for r in rows)

    def dump(self, out: IO[bytes], fmt: str, graph_iri: str | None = None) -> None:
        if graph_iri is not None:
            rows = self.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH {iri(graph_iri)} {{ ?s ?p ?o }} }}")
            quads = [(r["s"], r["p"], r["o"], URIRef(graph_iri)) for r in rows]
        else:
            rows = self.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            quads = [(r["s"], r["p"], r["o"], r["g"]) for r in rows]
        from . import to_oxigraph

        oxq = [ox.Quad(*(to_oxigraph(t) for t in q[:3]), to_oxigraph(q[3])) for q in quads]
        from .oxigraph import OxigraphStore

        mem = OxigraphStore(None, base_iri=self.base_iri)
        mem.native.extend(oxq)
        mem.dump(out, fmt, graph_iri)

    def triple_count(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"]) if rows else 0

    # -- writing -----------------------------------------------------------------------
    def update(self, sparql: str) -> None:
        if not sparql.strip():
            return
        try:
            r = self._client.post(self.update_endpoint, content=(sparql_prefixes() + sparql).encode(),
                                  headers={"Content-Type": "application/sparql-update"})
        except httpx.HTTPError as e:
            raise StoreError(f"cannot reach the SPARQL update endpoint {self.update_endpoint}: {e}") from e
        if r.status_code == 400:
            raise QuerySyntaxError(r.text.strip())
        if r.status_code >= 300:
            raise StoreError(f"SPARQL update failed ({r.status_code}): {r.text[:500]}")

    def load(self, data: bytes, fmt: str, graph_iri: str) -> None:
        g = Graph().parse(data=data, format=RDF_FORMATS[fmt][0])
        from .sparql_text import graph_ntriples

        self.update(f"DROP SILENT GRAPH {iri(graph_iri)};\n"
                    f"INSERT DATA {{ GRAPH {iri(graph_iri)} {{\n{graph_ntriples(g)}}} }}")

    def close(self) -> None:
        self._client.close()


def _guess_update_endpoint(endpoint: str) -> str:
    """Oxigraph serves /query and /update; Fuseki /sparql and /update; else the same URL."""
    for q, u in (("/query", "/update"), ("/sparql", "/update")):
        if endpoint.endswith(q):
            return endpoint[: -len(q)] + u
    return endpoint


def _json_term(v: dict) -> Node:
    t = v["type"]
    if t == "uri":
        return URIRef(v["value"])
    if t == "bnode":
        return BNode(v["value"])
    if "xml:lang" in v:
        return Literal(v["value"], lang=v["xml:lang"])
    if "datatype" in v and v["datatype"] != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(v["value"], datatype=URIRef(v["datatype"]))
    return Literal(v["value"])


def _slash(base: str) -> str:
    return base if base.endswith("/") else base + "/"
