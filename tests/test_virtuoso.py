"""The remote backend on a real Virtuoso (kb.store.virtuoso_local): the CLI ingests the example
articles through /sparql-auth with digest authentication, REST lists the claims, the SPARQL
endpoint forwards queries (formats, read-only, time limit), and delete removes an article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.app import create_app
from kb.cli import main
from kb.store import QuerySyntaxError, StoreError
from kb.store.remote import RemoteStore

from conftest import BASE, clear_remote

pytestmark = pytest.mark.server
EXAMPLES = sorted((Path(__file__).parent.parent / "examples" / "articles").glob("*.txt"))


def cli(server, *args: str, password: str | None = None):
    env = {"QUOTH_SPARQL_ENDPOINT": server.endpoint, "QUOTH_SPARQL_USER": "dba",
           "QUOTH_SPARQL_PASSWORD": password if password is not None else server.password,
           "QUOTH_BASE_IRI": BASE}
    return CliRunner().invoke(main, list(args), env=env)


@pytest.fixture(scope="module")
def loaded(virtuoso_server):
    """The example articles ingested into Virtuoso by `quoth ingest` (module scope)."""
    store = virtuoso_server.store(base_iri=BASE)
    clear_remote(store)
    r = cli(virtuoso_server, "ingest", "--quiet", "--no-vectors", *map(str, EXAMPLES))
    assert r.exit_code == 0, r.output
    assert "2 article(s) stored, 0 unchanged: 26 new claim(s)" in r.output
    yield store
    clear_remote(store)
    store.close()


def test_dialect_detected_and_system_graphs_hidden(loaded, virtuoso_server):
    plain = RemoteStore(virtuoso_server.endpoint, base_iri=BASE)  # dialect "auto"
    assert plain.dialect.name == "virtuoso"
    assert plain.update_endpoint.endswith("/sparql-auth")
    graphs = plain.named_graphs()
    assert graphs and not any("openlinksw" in g or g.startswith("http://www.w3.org/") for g in graphs)
    assert plain.triple_count() == loaded.triple_count() > 0
    plain.close()


def test_wrong_password_is_a_clear_error_without_the_password(loaded, virtuoso_server):
    r = cli(virtuoso_server, "ingest", "--quiet", "--no-vectors", str(EXAMPLES[0]), password="not-the-pw-123")
    assert r.exit_code != 0 and isinstance(r.exception, StoreError)  # `quoth` prints it as one line
    message = str(r.exception) + r.output
    assert "QUOTH_SPARQL_PASSWORD" in message and "not-the-pw-123" not in message
    anonymous = RemoteStore(virtuoso_server.endpoint, base_iri=BASE)
    with pytest.raises(StoreError):
        anonymous.update(f"INSERT DATA {{ GRAPH <{BASE}graph/x> {{ <{BASE}a> <{BASE}b> 1 }} }}")
    anonymous.close()


def test_cli_query_and_stats(loaded, virtuoso_server):
    r = cli(virtuoso_server, "query", "SELECT (COUNT(?c) AS ?n) WHERE { ?c a q:Claim }", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["results"]["bindings"][0]["n"]["value"] == "26"
    r = cli(virtuoso_server, "stats")
    assert r.exit_code == 0 and "26" in r.output, r.output


def test_rest_and_sparql_endpoint(loaded):
    app = create_app(loaded, token=None, query_timeout=2.0)
    with TestClient(app) as c:
        r = c.get("/claims", params={"limit": 50})
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        assert len(items) == 26 and all(i["speaker"]["name"] for i in items)
        dates = [i["date"] for i in items if i.get("date")]
        assert dates == sorted(dates, reverse=True)
        r = c.get("/claims", params={"speaker": "Donald Trump", "limit": 50})
        assert r.status_code == 200 and len(r.json()["items"]) == 14
        assert c.get("/articles").status_code == 200 and len(c.get("/articles").json()["items"]) == 2
        q = "SELECT ?t WHERE { ?c a q:Claim ; q:text ?t } ORDER BY ?t LIMIT 3"
        r = c.get("/sparql", params={"query": q}, headers={"Accept": "text/csv"})
        assert r.status_code == 200 and r.text.startswith("t\r\n") and r.text.count("\r\n") == 4
        r = c.get("/sparql", params={"query": "CONSTRUCT WHERE { ?c a q:Claim } LIMIT 5"},
                  headers={"Accept": "application/n-triples"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-triples")
        assert r.text.count("\n") == 5
        assert c.post("/sparql", data={"update": "DROP ALL"}).status_code == 403
        assert c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "}).status_code == 400
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        r = c.get("/sparql", params={"query": runaway})
        assert r.status_code == 503 and "time limit" in r.text


def test_syntax_error_maps(loaded):
    with pytest.raises(QuerySyntaxError):
        loaded.select("SELECT ?x WHERE { ?x ")


def test_large_write_goes_in_parts(loaded):
    from rdflib import Literal, URIRef

    rows = [(f"{BASE}x/{i}", f"Satz Nummer {i} – mit Umlaut ä") for i in range(5000)]
    triples = [(URIRef(s), URIRef(f"{BASE}p"), Literal(t, lang="de")) for s, t in rows]
    before = loaded.triple_count()
    loaded.insert([(f"{BASE}graph/big", triples)])  # over Virtuoso's limit for one request
    try:
        assert loaded.triple_count() == before + 5000
        hit = loaded.select(f"SELECT ?t WHERE {{ <{BASE}x/4999> <{BASE}p> ?t }}")
        assert str(hit[0]["t"]) == rows[-1][1] and hit[0]["t"].language == "de"
    finally:
        loaded.update(f"DROP SILENT GRAPH <{BASE}graph/big>")


def test_delete_article(loaded, virtuoso_server):
    ids = [i["id"] for i in TestClient(create_app(loaded, token=None)).get("/articles").json()["items"]]
    article_id = ids[0].rstrip("/").rsplit("/", 1)[-1]
    before = loaded.select("SELECT (COUNT(?c) AS ?n) WHERE { ?c a q:Claim }")[0]["n"]
    r = cli(virtuoso_server, "delete", article_id)
    assert r.exit_code == 0, r.output
    after = loaded.select("SELECT (COUNT(?c) AS ?n) WHERE { ?c a q:Claim }")[0]["n"]
    assert int(after) < int(before)
    r = cli(virtuoso_server, "delete", article_id)
    assert r.exit_code != 0
