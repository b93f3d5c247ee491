"""The API over a remote SPARQL store (a real Oxigraph server): the endpoint forwards queries
with a client-side time limit, keeps the read-only and SERVICE rules, and REST works."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from kb.store.remote import RemoteStore

pytestmark = pytest.mark.server
BASE = "http://testserver/"


@pytest.fixture
def remote_client(oxigraph_server):
    store = RemoteStore(f"{oxigraph_server}/query", base_iri=BASE)
    store.update("DROP ALL")
    rows = "\n".join(f"<{BASE}x/{i}> <{BASE}p> {i} ." for i in range(400))
    store.update(f"INSERT DATA {{ GRAPH <{BASE}graph/test> {{ {rows} }} }}")
    app = create_app(store, token=None, query_timeout=1.0)
    with TestClient(app) as c:
        yield c
    store.update("DROP ALL")
    store.close()


def test_remote_select_and_construct(remote_client):
    r = remote_client.get("/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{BASE}p> ?o }}"},
                          headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "400"
    r = remote_client.get("/sparql", params={"query": f"CONSTRUCT WHERE {{ <{BASE}x/1> ?p ?o }}"},
                          headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")


def test_remote_rules_and_limit(remote_client):
    assert remote_client.post("/sparql", data={"update": "DROP ALL"}).status_code == 403
    r = remote_client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }"})
    assert r.status_code == 403
    r = remote_client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert r.status_code == 400
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    r = remote_client.get("/sparql", params={"query": runaway})
    assert r.status_code == 503 and "time limit" in r.text
    assert remote_client.get("/claims").status_code == 200
