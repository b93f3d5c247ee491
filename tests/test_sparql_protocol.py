"""The 34 cases of the W3C SPARQL 1.1 Protocol test manifest (w3c/rdf-tests,
``sparql/sparql11/protocol/manifest.ttl``), written here as our own requests against a real
``quoth serve``.

The manifest's data is three named graphs, each holding one document typed ``foaf:Document`` and
named after it; the same shape is built here with IRIs of the test store. The endpoint is
read-only, so every update case expects a refusal (403), and its follow-up ASK must find that
nothing was written. Each case keeps the manifest's name, so a failure names the W3C test.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import httpx
import pytest
import rdflib

from conftest_api import running_server

FOAF_DOC = "http://xmlns.com/foaf/0.1/Document"
DC_BIB = "http://purl.org/dc/terms/BibliographicResource"
SPARQL_QUERY = {"content-type": "application/sparql-query"}
SPARQL_UPDATE = {"content-type": "application/sparql-update"}
FORM = {"content-type": "application/x-www-form-urlencoded"}


def doc(base: str, n: int) -> str:
    """The IRI of test document ``n`` (also the name of the graph that describes it)."""
    return f"{base}test/protocol/data{n}"


def prepare(store) -> None:
    """Three named graphs, data1–data3, each typing its own document as a foaf:Document."""
    base = store.base_iri
    graphs = " ".join(f"GRAPH <{doc(base, n)}> {{ <{doc(base, n)}> a <{FOAF_DOC}> }}" for n in (1, 2, 3))
    store.update(f"INSERT DATA {{ {graphs} }}")


@dataclass
class Call:
    """One HTTP request of a case and what must come back."""

    method: str
    params: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    status: int | tuple[int, ...] = 200  # 4 = any 4xx
    form: str | None = None  # "boolean", "tabular", "rdf"
    boolean: bool | None = None


def _q(text: str) -> bytes:
    return text.encode("utf-8")


def cases(base: str) -> dict[str, list[Call]]:
    """The manifest's 34 cases, in its terms, over this store's test graphs."""
    d1, d2, d3, d0 = doc(base, 1), doc(base, 2), doc(base, 3), doc(base, 0)
    ask_d1 = f"ASK {{ <{d1}> a ?type }}"
    ask_d12 = f"ASK {{ <{d1}> a ?type . <{d2}> a ?type }}"
    ask_named = f"ASK {{ GRAPH ?g1 {{ <{d1}> a ?type }} GRAPH ?g2 {{ <{d2}> a ?type }} }}"
    ask_full = (f"ASK {{ <{d3}> a ?type GRAPH ?g1 {{ <{d1}> a ?type }} "
                f"GRAPH ?g2 {{ <{d2}> a ?type }} }}")
    ask_from = (f"ASK FROM <{d3}> {{ GRAPH ?g1 {{ <{d1}> a ?type }} "
                f"GRAPH ?g2 {{ <{d2}> a ?type }} }}")
    g0 = [("default-graph-uri", d0)]
    out_graph = "http://example.org/protocol-update-test/"
    copy_docs = (f"PREFIX foaf: <http://xmlns.com/foaf/0.1/> DROP ALL ; "
                 f"INSERT DATA {{ GRAPH <{d1}> {{ <{d1}> a foaf:Document }} }} ; "
                 f"INSERT {{ GRAPH <{out_graph}> {{ ?s a <{DC_BIB}> }} }} WHERE {{ ?s a foaf:Document }}")
    nothing_written = Call("POST", headers=SPARQL_QUERY, form="boolean", boolean=False,
                           body=_q(f"ASK {{ GRAPH <{out_graph}> {{ ?s ?p ?o }} }}"))
    refused = dict(status=403)

    def update_case(params: list[tuple[str, str]]) -> list[Call]:
        return [Call("POST", params, SPARQL_UPDATE, _q(copy_docs), **refused), nothing_written]

    return {
        # queries that must succeed
        "query_post_form": [Call("POST", g0, FORM, _q("query=ASK%20%7B%7D"), form="boolean", boolean=True)],
        "query_dataset_default_graphs_get": [
            Call("GET", [("query", ask_d1), ("default-graph-uri", d1)], form="boolean", boolean=True)],
        "query_dataset_default_graphs_post": [
            Call("POST", [("default-graph-uri", d1), ("default-graph-uri", d2)], SPARQL_QUERY, _q(ask_d12),
                 form="boolean", boolean=True)],
        "query_dataset_named_graphs_post": [
            Call("POST", [("named-graph-uri", d1), ("named-graph-uri", d2)], SPARQL_QUERY, _q(ask_named),
                 form="boolean", boolean=True)],
        "query_dataset_named_graphs_get": [
            Call("GET", [("query", ask_named), ("named-graph-uri", d1), ("named-graph-uri", d2)],
                 form="boolean", boolean=True)],
        "query_dataset_full": [
            Call("POST", [("default-graph-uri", d3), ("named-graph-uri", d1), ("named-graph-uri", d2)],
                 SPARQL_QUERY, _q(ask_full), form="boolean", boolean=True)],
        # the protocol's dataset wins over the query's FROM (here: FROM would empty the named graphs)
        "query_multiple_dataset": [
            Call("POST", [("named-graph-uri", d1), ("named-graph-uri", d2)], SPARQL_QUERY, _q(ask_from),
                 form="boolean", boolean=True)],
        "query_get": [Call("GET", [("query", "ASK {}"), *g0], form="boolean", boolean=True)],
        "query_content_type_select": [
            Call("POST", g0, SPARQL_QUERY, _q("SELECT (1 AS ?value) {}"), form="tabular")],
        "query_content_type_ask": [Call("POST", g0, SPARQL_QUERY, _q("ASK {}"), form="boolean", boolean=True)],
        "query_content_type_describe": [
            Call("POST", g0, SPARQL_QUERY, _q("DESCRIBE <http://example.org/>"), form="rdf")],
        # relative IRIs resolve against the service's base
        "query_content_type_construct": [
            Call("POST", g0, SPARQL_QUERY, _q("CONSTRUCT { <s> <p> 1 } WHERE {}"), form="rdf")],
        "query_post_direct": [Call("POST", [], SPARQL_QUERY, _q("ASK {}"), form="boolean", boolean=True)],
        # updates: this endpoint is read-only, so each is refused and writes nothing
        "update_dataset_default_graph": update_case([("using-graph-uri", d1)]),
        "update_dataset_default_graphs": update_case([("using-graph-uri", d1), ("using-graph-uri", d2)]),
        "update_dataset_named_graphs": update_case([("using-named-graph-uri", d1),
                                                    ("using-named-graph-uri", d2)]),
        "update_dataset_full": update_case([("using-graph-uri", d1), ("using-named-graph-uri", d2)]),
        "update_post_form": [Call("POST", [], FORM, _q("update=" + quote(copy_docs)), **refused),
                             nothing_written],
        "update_post_direct": update_case([]),
        "update_base_uri": [
            Call("POST", [], SPARQL_UPDATE,
                 _q(f"INSERT DATA {{ GRAPH <{out_graph}> {{ <http://example.org/s> <http://example.org/p> <test> }} }}"),
                 **refused),
            nothing_written],
        # malformed requests: a 4xx each
        "bad_query_method": [Call("PUT", [("query", "ASK {}"), *g0], FORM, status=4)],
        "bad_multiple_queries": [Call("GET", [("query", "ASK {}"), ("query", "SELECT * {}")], status=4)],
        "bad_query_wrong_media_type": [Call("POST", [], {"content-type": "text/plain"}, _q("ASK {}"), status=4)],
        "bad_query_missing_form_type": [Call("POST", [], {}, _q("query=ASK%20%7B%7D"), status=4)],
        "bad_query_missing_direct_type": [Call("POST", [], {}, _q("ASK {}"), status=4)],
        "bad_query_non_utf8": [Call("POST", [], {"content-type": "application/sparql-query; charset=UTF-16"},
                                    "ASK {}".encode("utf-16"), status=4)],
        "bad_query_syntax": [Call("GET", [("query", "ASK {")], status=4)],
        "bad_update_get": [Call("GET", [("update", "CLEAR ALL")], status=4)],
        "bad_multiple_updates": [Call("POST", [], FORM, _q("update=CLEAR%20NAMED&update=CLEAR%20DEFAULT"),
                                      status=4)],
        "bad_update_wrong_media_type": [Call("POST", [], {"content-type": "text/plain"}, _q("CLEAR NAMED"),
                                             status=4)],
        "bad_update_missing_form_type": [Call("POST", [], {}, _q("update=CLEAR%20NAMED"), status=4)],
        "bad_update_non_utf8": [Call("POST", [], {"content-type": "application/sparql-update; charset=UTF-16"},
                                     "CLEAR NAMED".encode("utf-16"), status=4)],
        "bad_update_syntax": [Call("POST", [], FORM, _q("update=CLEAR%20XYZ"), status=4)],
        "bad_update_dataset_conflict": [
            Call("POST", [("using-named-graph-uri", "http://example/people")], SPARQL_UPDATE,
                 _q("PREFIX foaf: <http://xmlns.com/foaf/0.1/> WITH <http://example/addresses> "
                    "DELETE { ?p foaf:givenName 'Bill' } INSERT { ?p foaf:givenName 'William' } "
                    "WHERE { ?p foaf:givenName 'Bill' }"), status=4)],
    }


CASE_NAMES = sorted(cases("http://x/"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("quoth-protocol"), prepare=prepare) as srv:
        yield srv


def test_the_manifest_has_34_cases():
    assert len(CASE_NAMES) == 34


def _boolean(resp: httpx.Response) -> bool:
    media = resp.headers["content-type"].split(";")[0]
    if media == "application/sparql-results+json":
        return json.loads(resp.content)["boolean"]
    assert media == "application/sparql-results+xml", media
    el = ET.fromstring(resp.content).find("{http://www.w3.org/2005/sparql-results#}boolean")
    return el.text.strip() == "true"


def _check_form(call: Call, resp: httpx.Response) -> None:
    media = resp.headers["content-type"].split(";")[0].strip()
    if call.form == "boolean":
        assert _boolean(resp) is call.boolean
    elif call.form == "tabular":
        assert media in ("application/sparql-results+json", "application/sparql-results+xml",
                         "text/csv", "text/tab-separated-values"), media
        assert resp.content
    elif call.form == "rdf":
        rdf = {"application/rdf+xml": "xml", "text/turtle": "turtle", "application/n-triples": "nt"}
        assert media in rdf, media
        rdflib.Graph().parse(data=resp.content, format=rdf[media])


@pytest.mark.parametrize("name", CASE_NAMES)
def test_w3c_protocol_case(server, name):
    calls = cases(server.base)[name]
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for call in calls:
            url = "/sparql" + ("?" + urlencode(call.params) if call.params else "")
            resp = client.request(call.method, url, headers=call.headers, content=call.body)
            if call.status == 4:
                assert 400 <= resp.status_code < 500, (resp.status_code, resp.text[:300])
            else:
                assert resp.status_code == call.status, (resp.status_code, resp.text[:300])
            if call.form:
                _check_form(call, resp)
