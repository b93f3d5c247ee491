"""Large results from a real `quoth serve`: every result format, GET and POST, well past one pipe
buffer (the worker's answer used to fail with EAGAIN once it passed 64 KiB)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pyoxigraph as ox
import pytest

from conftest_api import running_server

ROWS = 50_000
TRIPLES = 100_000
# 3,000 filler triples joined with themselves: far more solutions than needed, each row distinct
SELECT = ("SELECT ?a ?n WHERE { GRAPH ?g { ?a <%(p)s> ?x } GRAPH ?h { ?b <%(p)s> ?n } } LIMIT " + str(ROWS))
CONSTRUCT = ("CONSTRUCT { ?a <urn:x:pairs> ?n } WHERE { GRAPH ?g { ?a <%(p)s> ?x } "
             "GRAPH ?h { ?b <%(p)s> ?n } } LIMIT " + str(TRIPLES))


@pytest.fixture(scope="module")
def big_server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("quoth-big"), cap=200_000, timeout=60) as server:
        yield server.url


def _count_rows(fmt: str, body: bytes) -> int:
    if fmt == "application/sparql-results+json":
        return len(json.loads(body)["results"]["bindings"])
    if fmt == "application/sparql-results+xml":
        ns = "{http://www.w3.org/2005/sparql-results#}"
        return len(ET.fromstring(body).findall(f"{ns}results/{ns}result"))
    delim = "," if fmt == "text/csv" else "\t"
    return len(list(csv.reader(io.StringIO(body.decode("utf-8")), delimiter=delim))) - 1


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", ["application/sparql-results+json", "application/sparql-results+xml",
                                 "text/csv", "text/tab-separated-values"])
def test_50k_rows_in_every_result_format(big_server, method, fmt):
    query = SELECT % {"p": big_server + "/test/p"}
    with httpx.Client(base_url=big_server, timeout=120) as c:
        if method == "GET":
            r = c.get("/sparql", params={"query": query}, headers={"Accept": fmt})
        else:
            r = c.post("/sparql", data={"query": query}, headers={"Accept": fmt})
    assert r.status_code == 200, r.text[:500]
    assert len(r.content) > 1 << 20  # well past the 64 KiB pipe buffer
    assert _count_rows(fmt, r.content) == ROWS


@pytest.mark.parametrize("fmt,rdf_format", [("text/turtle", ox.RdfFormat.TURTLE),
                                            ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                                            ("application/rdf+xml", ox.RdfFormat.RDF_XML),
                                            ("application/ld+json", ox.RdfFormat.JSON_LD),
                                            ("application/n-quads", ox.RdfFormat.N_QUADS),
                                            ("application/trig", ox.RdfFormat.TRIG)])
def test_construct_100k_triples_in_every_rdf_format(big_server, fmt, rdf_format):
    query = CONSTRUCT % {"p": big_server + "/test/p"}
    with httpx.Client(base_url=big_server, timeout=180) as c:
        r = c.post("/sparql", content=query.encode(),
                   headers={"Accept": fmt, "Content-Type": "application/sparql-query"})
    assert r.status_code == 200, r.text[:500]
    triples = list(ox.parse(r.content, format=rdf_format))
    assert len(triples) == TRIPLES


CLIENT_ROWS = 6_000


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_fetches_thousands_of_rows(big_server, method):
    from SPARQLWrapper import GET, JSON, POST, SPARQLWrapper

    sw = SPARQLWrapper(f"{big_server}/sparql")
    sw.setQuery(SELECT.replace(f"LIMIT {ROWS}", f"LIMIT {CLIENT_ROWS}") % {"p": big_server + "/test/p"})
    sw.setMethod(POST if method == "POST" else GET)
    sw.setReturnFormat(JSON)
    assert len(sw.query().convert()["results"]["bindings"]) == CLIENT_ROWS


def test_rdflib_sparqlstore_fetches_thousands_of_rows(big_server):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(f"{big_server}/sparql", returnFormat="json")
    try:
        rows = list(Graph(store=store).query(
            SELECT.replace(f"LIMIT {ROWS}", f"LIMIT {CLIENT_ROWS}") % {"p": big_server + "/test/p"}))
    finally:
        store.close()
    assert len(rows) == CLIENT_ROWS


@pytest.mark.slow
def test_comunica_fetches_thousands_of_rows(big_server):
    import subprocess

    from test_clients import JS_DIR, _npm_ready

    _npm_ready()
    query = SELECT.replace(f"LIMIT {ROWS}", f"LIMIT {CLIENT_ROWS}") % {"p": big_server + "/test/p"}
    r = subprocess.run(["node", "query.mjs", f"{big_server}/sparql", query], cwd=JS_DIR,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert len(json.loads(r.stdout.strip().splitlines()[-1])["bindings"]) == CLIENT_ROWS
