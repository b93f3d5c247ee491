"""Conventions HTTP and SPARQL clients rely on, against a real `quoth serve`: HEAD on every GET
route, the API docs (Swagger UI and ReDoc) from this server only, SPARQLWrapper's list-valued
``format=``, and CONSTRUCT results as N-Quads and TriG."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest

from conftest_api import http, quoth_server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.server

CONSTRUCT = "CONSTRUCT { ?c <urn:x:said> ?t } WHERE { ?c a q:Claim ; q:text ?t }"
PROLOGUE = "PREFIX q: <https://w3id.org/quoth/ontology#>\n"


def _get_routes(app_paths: dict) -> list[str]:
    """Every GET path of the OpenAPI description without path parameters."""
    return [p for p, ops in app_paths.items() if "get" in ops and "{" not in p]


def test_head_answers_every_get_route_like_get_without_a_body(http):
    paths = _get_routes(http.get("/openapi.json").json()["paths"]) + ["/docs", "/redoc", "/openapi.json"]
    assert len(paths) >= 10
    claim = urlsplit(http.get("/claims").json()["items"][0]["claim"]).path
    for path in paths + [claim, "/speaker/donald-trump"]:
        get, head = http.get(path), http.head(path)
        assert head.status_code == get.status_code, path
        assert head.content == b"", path
        assert head.headers.get("content-type") == get.headers.get("content-type"), path
        if "content-length" in get.headers and path not in ("/health", "/stats"):
            assert head.headers["content-length"] == get.headers["content-length"], path


@pytest.mark.parametrize("path,asset", [("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")])
def test_api_docs_load_their_assets_from_this_server(http, path, asset):
    page = http.get(path)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    refs = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert any(r.endswith(asset) for r in refs), refs
    assert all(not urlsplit(r).netloc for r in refs), refs  # nothing from another host
    for r in refs:
        assert http.get(r).status_code == 200, r
    assert "img-src 'self'" in page.headers["content-security-policy"]


def test_sparqlwrapper_style_format_lists(http):
    r = http.get("/sparql", params={"query": PROLOGUE + CONSTRUCT,
                                     "format": "application/ld+json,application/x-json+ld"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/ld+json")
    r = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
                                     "format": "application/sparql-results+json,application/json"})
    assert r.status_code == 200 and sorted(r.json()["head"]["vars"]) == ["o", "p", "s"]
    r = http.get("/sparql", params={"query": "ASK {}", "format": "application/x-nothing-known"})
    assert r.status_code == 400


@pytest.mark.parametrize("how", ["accept", "format"])
@pytest.mark.parametrize("media,ox_format", [("application/n-quads", ox.RdfFormat.N_QUADS),
                                             ("application/trig", ox.RdfFormat.TRIG)])
def test_construct_as_nquads_and_trig(http, how, media, ox_format):
    turtle = http.get("/sparql", params={"query": PROLOGUE + CONSTRUCT}, headers={"accept": "text/turtle"})
    expected = {q.triple for q in ox.parse(turtle.content, format=ox.RdfFormat.TURTLE)}
    kw = {"headers": {"accept": media}} if how == "accept" else {"params": {"format": media}}
    params = {"query": PROLOGUE + CONSTRUCT, **kw.pop("params", {})}
    r = http.get("/sparql", params=params, **kw)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media
    quads = list(ox.parse(r.content, format=ox_format))
    assert len(expected) > 5
    assert {q.triple for q in quads} == expected
    assert all(q.graph_name == ox.DefaultGraph() for q in quads)
