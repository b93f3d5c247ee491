"""The SPARQL 1.1 Protocol endpoint of `quoth serve`, over real HTTP on 127.0.0.1.

Formats and content negotiation, GET/POST variants, service description, CORS, and the
security rules: read-only (updates 403), no SERVICE (403), time limit (the query is really
stopped: its worker process is killed while other requests are answered), result cap.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef

from conftest_api import FILLER_TRIPLES, QUERY_TIMEOUT, RESULT_CAP, http, quoth_server  # noqa: F401

pytestmark = pytest.mark.server

CLAIMS = "SELECT ?c ?t WHERE { ?c a q:Claim ; q:text ?t } ORDER BY ?c LIMIT 5"
JSON = "application/sparql-results+json"
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g1 { ?a ?b ?c } GRAPH ?g2 { ?d ?e ?f } "
           "GRAPH ?g3 { ?g ?h ?i } GRAPH ?g4 { ?j ?k ?l } }")


def test_select_json_get(http):
    r = http.get("/sparql", params={"query": CLAIMS}, headers={"Accept": JSON})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(JSON)
    data = r.json()
    assert data["head"]["vars"] == ["c", "t"]
    assert data["results"]["bindings"], "the test store has claims"
    b = data["results"]["bindings"][0]
    assert b["c"]["type"] == "uri" and b["t"]["type"] == "literal" and "xml:lang" in b["t"]
    assert r.headers["X-Quoth-Result-Cap"] == "not-hit"


def test_select_xml_csv_tsv(http):
    r = http.get("/sparql", params={"query": CLAIMS}, headers={"Accept": "application/sparql-results+xml"})
    assert r.status_code == 200 and "sparql-results+xml" in r.headers["content-type"]
    ns = "{http://www.w3.org/2005/sparql-results#}"
    root = ET.fromstring(r.content)
    assert [v.get("name") for v in root.iter(ns + "variable")] == ["c", "t"]
    assert root.find(f"{ns}results/{ns}result") is not None
    r = http.get("/sparql", params={"query": CLAIMS}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["c", "t"] and len(rows) >= 2 and rows[1][0].startswith("http://127.0.0.1")
    r = http.get("/sparql", params={"query": CLAIMS}, headers={"Accept": "text/tab-separated-values"})
    assert r.status_code == 200
    lines = r.text.splitlines()
    assert lines[0] == "?c\t?t" and lines[1].startswith("<http://127.0.0.1")


def test_post_form_and_direct(http):
    r = http.post("/sparql", data={"query": CLAIMS}, headers={"Accept": JSON})
    assert r.status_code == 200 and r.json()["results"]["bindings"]
    r = http.post("/sparql", content=CLAIMS.encode(), headers={"Content-Type": "application/sparql-query",
                                                               "Accept": JSON})
    assert r.status_code == 200 and r.json()["results"]["bindings"]
    r = http.post("/sparql", content=b"query", headers={"Content-Type": "application/octet-stream"})
    assert r.status_code == 415


def test_ask(http):
    for accept, check in ((JSON, lambda r: r.json()["boolean"] is True),
                          ("application/sparql-results+xml", lambda r: b"<boolean>true</boolean>" in r.content)):
        r = http.get("/sparql", params={"query": "ASK { ?c a q:Claim }"}, headers={"Accept": accept})
        assert r.status_code == 200 and check(r)


@pytest.mark.parametrize("accept,expected", [
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("application/sparql-results+xml;q=0.2, text/csv;q=0.9", "text/csv"),
    ("*/*", JSON),
    ("", JSON),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+xml"),
    ("text/*;q=0.3, text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", JSON),
    ("application/sparql-results+json;q=0, */*;q=0.1", "application/sparql-results+xml"),
])
def test_conneg_select(http, accept, expected):
    r = http.get("/sparql", params={"query": CLAIMS}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == expected
    assert "Accept" in r.headers.get("vary", "")


def test_conneg_refusal_and_format_param(http):
    r = http.get("/sparql", params={"query": CLAIMS}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    r = http.get("/sparql", params={"query": CLAIMS, "format": "csv"}, headers={"Accept": "image/png"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    r = http.get("/sparql", params={"query": CLAIMS, "format": "nonsense"})
    assert r.status_code == 400


@pytest.mark.parametrize("accept,fmt", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/rdf+xml", "xml"),
    ("application/ld+json", "json-ld"), ("*/*", "turtle"),
])
def test_construct_formats(http, accept, fmt):
    q = "CONSTRUCT { ?c q:text ?t } WHERE { ?c a q:Claim ; q:text ?t }"
    r = http.get("/sparql", params={"query": q}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    g = Graph().parse(data=r.content, format=fmt)
    assert len(g) >= 3
    assert all(str(p) == "https://w3id.org/quoth/ontology#text" for p in g.predicates())


def test_describe(http):
    claim = http.get("/claims").json()["items"][0]["claim"]
    r = http.get("/sparql", params={"query": f"DESCRIBE <{claim}>"}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = Graph().parse(data=r.content, format="turtle")
    assert (URIRef(claim), None, None) in g


def test_syntax_error_is_400_with_message(http):
    r = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert r.status_code == 400
    assert "error at 1:" in r.text


@pytest.mark.parametrize("how", ["form-update", "sparql-update", "get-update", "query-insert", "query-lower",
                                 "query-comment", "query-drop", "query-load"])
def test_updates_are_refused(http, how):
    ins = "INSERT DATA { <http://example.org/x> <http://example.org/p> \"pwned\" }"
    if how == "form-update":
        r = http.post("/sparql", data={"update": ins})
    elif how == "sparql-update":
        r = http.post("/sparql", content=ins.encode(), headers={"Content-Type": "application/sparql-update"})
    elif how == "get-update":
        r = http.get("/sparql", params={"update": ins})
    elif how == "query-insert":
        r = http.post("/sparql", data={"query": ins})
    elif how == "query-lower":
        r = http.get("/sparql", params={"query": ins.lower()})
    elif how == "query-comment":
        r = http.get("/sparql", params={"query": "# harmless\nPREFIX x: <http://x/>\n" + ins})
    elif how == "query-drop":
        r = http.get("/sparql", params={"query": "DROP ALL"})
    else:
        r = http.get("/sparql", params={"query": "LOAD <http://example.org/data.ttl>"})
    assert r.status_code == 403, (how, r.status_code, r.text)
    r = http.get("/sparql", params={"query": "ASK { ?s ?p \"pwned\" }"}, headers={"Accept": JSON})
    assert r.json()["boolean"] is False


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * where { service <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?x ?y ?z . FILTER(1<2)SERVICE<http://example.org/sparql>{?s ?p ?o} }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<http://example.org/sparql> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { # a comment\n SERVICE\n<http://example.org/sparql> { ?s ?p ?o } }",
])
def test_service_is_refused(http, query):
    r = http.get("/sparql", params={"query": query})
    assert r.status_code == 403, r.text
    assert "SERVICE" in r.text


def test_service_word_in_strings_iris_and_names_is_fine(http):
    q = ("PREFIX service: <http://example.org/service#>\n"
         "SELECT ?service WHERE { BIND(\"SERVICE <http://example.org/>\" AS ?service) "
         "FILTER(?service != <http://example.org/SERVICE>) } # SERVICE in a comment")
    r = http.get("/sparql", params={"query": q}, headers={"Accept": JSON})
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"][0]["service"]["value"].startswith("SERVICE")


def test_result_cap(http):
    q = "SELECT ?s WHERE { GRAPH ?g { ?s <%s/test/p> ?o } }" % str(http.base_url).rstrip("/")
    r = http.get("/sparql", params={"query": q}, headers={"Accept": JSON})
    assert r.status_code == 200
    assert r.headers["X-Quoth-Result-Cap"] == "hit"
    assert r.headers["X-Quoth-Result-Cap-Limit"] == str(RESULT_CAP)
    assert len(r.json()["results"]["bindings"]) == RESULT_CAP
    r = http.get("/sparql", params={"query": q, "format": "csv"})
    assert r.headers["X-Quoth-Result-Cap"] == "hit" and len(r.text.splitlines()) == RESULT_CAP + 1
    r = http.get("/sparql", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"},
                 headers={"Accept": "application/n-triples"})
    assert r.headers["X-Quoth-Result-Cap"] == "hit" and len(r.text.strip().splitlines()) == RESULT_CAP


def test_default_graph_uri(http):
    base = str(http.base_url).rstrip("/")
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    r = http.get("/sparql", params={"query": q, "default-graph-uri": f"{base}/graph/test-filler"},
                 headers={"Accept": JSON})
    assert r.status_code == 200
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == FILLER_TRIPLES
    r = http.get("/sparql", params={"query": q, "default-graph-uri": "not an iri"})
    assert r.status_code == 400


def _worker_pids(server_pid: int) -> set[int]:
    """Worker processes (python -m api.worker) started by the server."""
    pids = set()
    for task in Path(f"/proc/{server_pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                cmd = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if b"api.worker" in cmd:
                pids.add(int(child))
    return pids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_runaway_query_is_stopped_while_others_are_served(http, quoth_server):
    before = _worker_pids(quoth_server.proc.pid)
    assert before, "the server runs SPARQL worker processes"
    result: dict = {}

    def runaway() -> None:
        t0 = time.perf_counter()
        with httpx.Client(base_url=quoth_server.url, timeout=60) as c:
            result["r"] = c.get("/sparql", params={"query": RUNAWAY})
        result["seconds"] = time.perf_counter() - t0

    t = threading.Thread(target=runaway)
    t.start()
    time.sleep(0.3)
    # meanwhile the server answers other requests: REST, pages, and SPARQL on the other worker
    served = []
    while t.is_alive():
        t0 = time.perf_counter()
        r1 = http.get("/stats")
        r2 = http.get("/sparql", params={"query": "ASK { ?c a q:Claim }"}, headers={"Accept": JSON})
        assert r1.status_code == 200 and r2.status_code == 200 and r2.json()["boolean"] is True
        served.append(time.perf_counter() - t0)
        time.sleep(0.1)
    t.join()
    # several answered while the runaway query ran, each well before its limit
    assert len(served) >= 3 and max(served) < QUERY_TIMEOUT, served
    r = result["r"]
    assert r.status_code == 503, r.text
    assert "time limit" in r.text
    assert QUERY_TIMEOUT <= result["seconds"] < QUERY_TIMEOUT + 3
    # really stopped: the worker that ran it was killed, and a fresh one replaced it
    deadline = time.time() + 10
    while time.time() < deadline:
        after = _worker_pids(quoth_server.proc.pid)
        gone = {p for p in before if not _alive(p)}
        if gone and len(after) >= len(before):
            break
        time.sleep(0.2)
    assert gone, f"no worker was killed: before {before}, after {after}"
    assert not (gone & after)
    r = http.get("/sparql", params={"query": CLAIMS}, headers={"Accept": JSON})
    assert r.status_code == 200 and r.json()["results"]["bindings"]


def _runaways(url: str, n: int, out: list) -> list[threading.Thread]:
    """Start ``n`` runaway queries in threads; each appends (status, text, headers, seconds)."""
    def run() -> None:
        t0 = time.perf_counter()
        with httpx.Client(base_url=url, timeout=60) as c:
            r = c.get("/sparql", params={"query": RUNAWAY})
        out.append((r.status_code, r.text, r.headers, time.perf_counter() - t0))

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    return threads


def _timed(http: httpx.Client, query: str) -> float:
    t0 = time.perf_counter()
    r = http.get("/sparql", params={"query": query}, headers={"Accept": JSON})
    assert r.status_code == 200, r.text
    return time.perf_counter() - t0


def test_runaway_queries_do_not_delay_a_normal_query(http, quoth_server):
    """Two runaway queries (as many as the normal workers) are running: a normal query is
    answered about as fast as alone (api.worker: long queries leave the normal workers)."""
    alone = sorted(_timed(http, CLAIMS) for _ in range(5))[2]
    out: list = []
    threads = _runaways(quoth_server.url, 2, out)
    time.sleep(0.1)  # both runaways have taken a worker
    during = []
    for _ in range(5):
        during.append(_timed(http, CLAIMS))
        time.sleep(0.05)
    still = not out  # measured while both runaways ran
    for t in threads:
        t.join()
    # the first waits for the runaways to become long (QUOTH_SPARQL_LONG_AFTER, 0.25 s); the
    # others as alone (the workers start again at once). Before: each waited for a time limit
    assert during[0] < 0.25 + alone + 0.5, (alone, during)
    assert max(during[1:]) < alone + 0.5, (alone, during)
    assert still, out
    assert [o[0] for o in out] == [503, 503] and all("time limit" in o[1] for o in out), out


def test_long_queries_are_limited_per_client(http, quoth_server):
    """A third runaway query from one client, while its two others run on, is stopped at once
    with 503 and Retry-After; the two run to their time limit; normal queries go on."""
    first: list = []
    threads = _runaways(quoth_server.url, 2, first)
    time.sleep(0.6)  # both are long now
    third: list = []
    t3 = _runaways(quoth_server.url, 1, third)[0]
    t3.join()
    status, text, headers, seconds = third[0]
    assert status == 503 and "too many long-running" in text, text
    assert int(headers["Retry-After"]) >= 1
    assert seconds < QUERY_TIMEOUT - 0.5  # stopped when it became long, not at its time limit
    assert _timed(http, CLAIMS) < 1.0
    for t in threads:
        t.join()
    assert [o[0] for o in first] == [503, 503] and all("time limit" in o[1] for o in first), first


def test_service_description(http):
    r = http.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.content, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoints = list(g.objects(None, URIRef(sd + "endpoint")))
    assert endpoints and str(endpoints[0]).endswith("/sparql")
    assert (None, URIRef(sd + "resultFormat"), URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON")) in g
    assert (None, URIRef("http://rdfs.org/ns/void#sparqlEndpoint"), endpoints[0]) in g
    r = http.get("/sparql", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and json.loads(r.content)
    r = http.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.status_code == 200 and "text/html" in r.headers["content-type"] and "<textarea" in r.text


def test_cors(http):
    r = http.options("/sparql", headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
                                         "Access-Control-Request-Headers": "content-type"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] in ("*", "https://yasgui.example")
    r = http.get("/sparql", params={"query": CLAIMS}, headers={"Origin": "https://yasgui.example"})
    assert r.headers["access-control-allow-origin"] in ("*", "https://yasgui.example")
    assert "x-quoth-result-cap" in r.headers.get("access-control-expose-headers", "").lower()


def test_query_too_long(http):
    r = http.post("/sparql", content=("# " + "x" * 300_000 + "\nASK {}").encode(),
                  headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
