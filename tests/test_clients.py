"""Real clients against a real `quoth serve` on 127.0.0.1 (unchanged clients, no mocks).

* SPARQLWrapper — JSON, XML and CSV, GET and POST
* rdflib's SPARQLStore — the endpoint used as a remote, read-only rdflib Graph
* @comunica/query-sparql (npm) — runs `npm ci` in tests/js when node_modules is missing; FAILS (never
  skips) when node or npm is missing
* schemathesis — property-based requests from the OpenAPI spec, bounded examples
* headless Chromium (/usr/bin/chromium) — home page, a claim page, and the SPARQL page whose script
  runs a query and renders a results table (checked in the DOM after the page's JS ran)
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest_api import ARTICLES, first_claim, http, quoth_server  # noqa: F401

pytestmark = pytest.mark.server
JS_DIR = Path(__file__).parent / "js"
QUERY = ("PREFIX q: <https://w3id.org/quoth/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
         "SELECT ?claim ?name ?text WHERE { ?claim a q:Claim ; q:text ?text ; q:speaker ?s . "
         "?s skos:prefLabel ?name } ORDER BY ?claim")


def _expected(http) -> set[str]:
    return {c["claim"] for c in http.get("/claims", params={"limit": 500}).json()["items"]}


# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_sparqlwrapper(quoth_server, http, method, fmt):
    from SPARQLWrapper import CSV, JSON, POST, XML, SPARQLWrapper

    sw = SPARQLWrapper(f"{quoth_server.url}/sparql")
    sw.setQuery(QUERY)
    sw.setMethod(POST if method == "POST" else "GET")
    sw.setReturnFormat({"json": JSON, "xml": XML, "csv": CSV}[fmt])
    res = sw.query()
    converted = res.convert()
    if fmt == "json":
        claims = {b["claim"]["value"] for b in converted["results"]["bindings"]}
    elif fmt == "xml":
        ns = "http://www.w3.org/2005/sparql-results#"
        claims = {b.getElementsByTagNameNS(ns, "uri")[0].firstChild.data
                  for b in converted.getElementsByTagNameNS(ns, "binding") if b.getAttribute("name") == "claim"}
    else:
        rows = list(csv.DictReader(io.StringIO(converted.decode("utf-8"))))
        claims = {r["claim"] for r in rows}
    assert claims == _expected(http)


def test_sparqlwrapper_ask_and_construct(quoth_server):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    sw = SPARQLWrapper(f"{quoth_server.url}/sparql")
    sw.setQuery("PREFIX q: <https://w3id.org/quoth/ontology#> ASK { ?c a q:Claim }")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True
    sw.setQuery("PREFIX q: <https://w3id.org/quoth/ontology#> CONSTRUCT { ?c q:text ?t } WHERE { ?c q:text ?t }")
    sw.setReturnFormat(TURTLE)
    g = sw.queryAndConvert()
    from rdflib import Graph

    assert len(Graph().parse(data=g, format="turtle")) >= 3


def test_sparqlwrapper_update_refused(quoth_server):
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    sw = SPARQLWrapper(f"{quoth_server.url}/sparql")
    sw.setMethod(POST)
    sw.setQuery("INSERT DATA { <http://example.org/a> <http://example.org/b> \"c\" }")
    with pytest.raises((SPARQLWrapperException, Exception)) as e:
        sw.query()
    assert "403" in str(e.value) or "Forbidden" in str(e.value) or "read-only" in str(e.value)


# ---------------------------------------------------------------------------------------------
def test_rdflib_sparqlstore_as_remote_graph(quoth_server, http):
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(f"{quoth_server.url}/sparql", returnFormat="json")
    g = Graph(store=store)
    rows = list(g.query(QUERY))
    assert {str(r.claim) for r in rows} == _expected(http)
    c = first_claim(http, speaker="angela-merkel")
    triples = list(g.triples((URIRef(c["claim"]), None, None)))
    assert (URIRef(c["claim"]), URIRef("https://w3id.org/quoth/ontology#text"), None) in \
        {(s, p, None) for s, p, _ in triples}
    assert str(g.value(URIRef(c["speaker"]["iri"]), SKOS.prefLabel)) == "Angela Merkel"
    assert (URIRef(c["claim"]), None, None) in g
    assert g.query("ASK { ?s ?p ?o }").askAnswer is True
    store.close()


# ---------------------------------------------------------------------------------------------
def _npm_ready() -> None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.fail("node and npm are required for the Comunica client test (apt-get install nodejs npm); "
                    "see tests/README-ci.md", pytrace=False)
    if not (JS_DIR / "node_modules" / "@comunica" / "query-sparql").exists():
        cmd = [npm, "ci" if (JS_DIR / "package-lock.json").exists() else "install", "--no-audit", "--no-fund"]
        r = subprocess.run(cmd, cwd=JS_DIR, capture_output=True, text=True, timeout=900)
        if r.returncode != 0:
            pytest.fail(f"{' '.join(cmd)} failed in {JS_DIR}:\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}", pytrace=False)


@pytest.mark.slow
def test_comunica_query_sparql(quoth_server, http):
    _npm_ready()
    r = subprocess.run(["node", "query.mjs", f"{quoth_server.url}/sparql", QUERY], cwd=JS_DIR,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    rows = json.loads(r.stdout.strip().splitlines()[-1])["bindings"]
    assert {row["claim"] for row in rows} == _expected(http)
    assert {"Angela Merkel", "Olaf Scholz"} <= {row["name"] for row in rows}


# ---------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_schemathesis_openapi(quoth_server, tmp_path):
    exe = Path(sys.executable).parent / "schemathesis"
    if not exe.exists():
        pytest.fail("schemathesis is not installed in the venv (pip install schemathesis)", pytrace=False)
    cmd = [str(exe), "run", f"{quoth_server.url}/openapi.json", "--max-examples", "15",
           "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
                       "response_schema_conformance",
           "--phases", "examples,coverage,fuzzing", "--seed", "1", "--request-timeout", "30",
           "--exclude-path-regex", "^/(claim|mention|speaker|article|activity|agent|correction)/\\{rest\\}$",
           "--workers", "1", "--generation-deterministic"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=tmp_path)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out[-6000:]
    assert "Tested:" in out and " passed" in out, out[-3000:]


# ---------------------------------------------------------------------------------------------
def _chromium() -> str:
    from cdp import chromium

    return chromium()


def dump_dom(url: str, budget_ms: int = 8000) -> str:
    with tempfile.TemporaryDirectory(prefix="quoth-chromium-") as profile:
        cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage", f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}",
               "--dump-dom", url]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


@pytest.mark.slow
def test_browser_pages(quoth_server, http):
    from html.parser import HTMLParser

    class Ids(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.ids: set[str] = set()
            self.marks = 0
            self.cells: list[str] = []
            self._in_td = False

        def handle_starttag(self, tag, attrs):
            d = dict(attrs)
            if "id" in d:
                self.ids.add(d["id"])
            if tag == "mark":
                self.marks += 1
            self._in_td = tag == "td"

        def handle_data(self, data):
            if self._in_td:
                self.cells.append(data)

    home = dump_dom(quoth_server.url + "/")
    p = Ids()
    p.feed(home)
    assert {"search-form", "ask-form", "recent"} <= p.ids
    assert "Wir schaffen das." in home

    c = http.get("/claims", params={"article": ARTICLES[0]["id"]}).json()["items"][0]
    page = dump_dom(c["claim"])
    p = Ids()
    p.feed(page)
    assert "claim" in p.ids and p.marks >= 1
    assert c["speaker"]["name"] in page

    from urllib.parse import urlencode

    q = ("PREFIX q: <https://w3id.org/quoth/ontology#>\n"
         "SELECT ?claim ?text WHERE { ?claim a q:Claim ; q:text ?text } ORDER BY ?claim")
    page = dump_dom(f"{quoth_server.url}/query?{urlencode({'query': q, 'run': '1'})}")
    p = Ids()
    p.feed(page)
    assert "result-table" in p.ids, page[-3000:]
    assert "Wir schaffen das." in p.cells
    assert 'data-done="true"' in page
