"""Unit tests without a server: Accept parsing, the SPARQL query guard, result serializers,
the worker pool (time limit kills, snapshots refresh), and the app's settings (writes disabled)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import time

import pyoxigraph as ox
import pytest
from rdflib import Graph

from api.conneg import negotiate, parse_accept, prefers_html, quality
from kb.sparql_guard import inspect

RESULTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]


# ---------------------------------------------------------------------------------------------
# Accept
@pytest.mark.parametrize("header,expected", [
    (None, "application/sparql-results+json"),
    ("", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("*", "application/sparql-results+json"),
    ("text/csv", "text/csv"),
    ("TEXT/CSV", "text/csv"),
    ("text/*", "text/csv"),
    ("application/*;q=0.5, text/csv;q=0.4", "application/sparql-results+json"),
    ("application/sparql-results+xml;q=0.9, application/sparql-results+json;q=0.8", "application/sparql-results+xml"),
    ("*/*;q=0.1, application/sparql-results+json;q=0", "application/sparql-results+xml"),
    ("text/csv;charset=utf-8;q=0.7, */*;q=0.2", "text/csv"),
    ('application/sparql-results+xml;profile="a,b";q=0.9, text/csv;q=0.5', "application/sparql-results+xml"),
    ("text/csv;q=abc, application/sparql-results+xml;q=0.1", "application/sparql-results+xml"),
    ("garbage, /, text/, ;q=1, text/csv", "text/csv"),
    ("image/png", None),
    ("text/csv;q=0", None),
    ("text/csv;q=2", "text/csv"),
])
def test_negotiate(header, expected):
    assert negotiate(header, RESULTS) == expected


def test_specific_range_overrides_wildcard():
    ranges = parse_accept("text/*;q=0.9, text/csv;q=0.1, */*;q=0.5")
    assert quality(ranges, "text/csv") == 0.1
    assert quality(ranges, "text/turtle") == 0.9
    assert quality(ranges, "application/json") == 0.5


def test_prefers_html():
    rdf = ["text/turtle", "application/ld+json"]
    assert prefers_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", rdf)
    assert not prefers_html("*/*", rdf)
    assert not prefers_html(None, rdf)
    assert not prefers_html("text/turtle, text/html;q=0.5", rdf)
    assert not prefers_html("text/html;q=0, */*", rdf)


# ---------------------------------------------------------------------------------------------
# query guard
@pytest.mark.parametrize("q", [
    "SELECT * WHERE { ?s ?p ?o }",
    "PREFIX insert: <http://x/> SELECT * WHERE { ?s insert:delete ?o }",
    "SELECT ?service ?insert WHERE { ?service ?insert ?o }",
    "SELECT * WHERE { ?s ?p \"INSERT DATA { <a> <b> <c> }\" }",
    "SELECT * WHERE { ?s ?p '''DROP\nALL''' }",
    "SELECT * WHERE { ?s <http://example.org/SERVICE/DELETE> ?o } # SERVICE DROP",
    "ASK { ?s ?p ?o FILTER(CONTAINS(?o, 'service')) }",
    "SELECT * WHERE { ?s ?p 'it\\'s SERVICE' }",
])
def test_guard_accepts_harmless_queries(q):
    c = inspect(q)
    assert not c.update and not c.service, q


@pytest.mark.parametrize("q", [
    "INSERT DATA { <a:b> <a:c> <a:d> }",
    "insert data { <a:b> <a:c> <a:d> }",
    "PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }",
    "# comment\nDROP ALL",
    "CLEAR DEFAULT",
    "LOAD <http://example.org/x>",
    "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "\\u0049NSERT DATA { <a:b> <a:c> <a:d> }",
    "SELECT * WHERE { ?s ?p 'unterminated } INSERT DATA { <a:b> <a:c> <a:d> }",
])
def test_guard_flags_updates(q):
    assert inspect(q).update, q


@pytest.mark.parametrize("q", [
    "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { service silent ?e { ?s ?p ?o } }",
    "SELECT * WHERE{?s ?p ?o FILTER(1<2)SERVICE<http://x/>{}}",
    "SELECT * WHERE { \\u0053ERVICE <http://x/> { } }",
    "SELECT * WHERE { \\U00000053ERVICE <http://x/> { } }",
    "SELECT * WHERE { ?s ?p \"\\u0022 } SERVICE <http://x/> { } #\" }",
])
def test_guard_flags_service(q):
    assert inspect(q).service, q


def test_guard_form():
    assert inspect("PREFIX a: <http://a/> CONSTRUCT WHERE { ?s ?p ?o }").form == "CONSTRUCT"
    assert inspect("# SELECT\nASK {}").form == "ASK"
    assert inspect("describe <http://x>").form == "DESCRIBE"


# ---------------------------------------------------------------------------------------------
# serializers agree with pyoxigraph's own
def _store() -> ox.Store:
    s = ox.Store()
    ex = "http://example.org/"
    s.add(ox.Quad(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "p"), ox.Literal('quote " , comma\nline', language="de")))
    s.add(ox.Quad(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "n"), ox.Literal("42", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer"))))
    s.add(ox.Quad(ox.BlankNode("b0"), ox.NamedNode(ex + "p"), ox.Literal("tab\there <&>")))
    return s


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_serializers_match_pyoxigraph(fmt):
    from api import results

    s = _store()
    q = "SELECT ?s ?p ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?s <http://x/none> ?none } } ORDER BY ?s ?p"
    res = s.query(q)
    variables = [v.value for v in res.variables]
    rows = [[sol[i] for i in range(len(variables))] for sol in res]
    mine = results.BINDINGS[fmt](variables, rows)
    oxf = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
           "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[fmt]
    theirs = s.query(q).serialize(format=oxf)
    if fmt == "csv":  # lossy, not parseable: compare the bytes
        assert mine == theirs
        return
    # both parse to the same solutions
    a = list(ox.parse_query_results(mine, format=oxf))
    b = list(ox.parse_query_results(theirs, format=oxf))
    assert [[sol[v] for v in variables] for sol in a] == [[sol[v] for v in variables] for sol in b]
    if fmt == "json":
        json.loads(mine)
    if fmt == "csv":
        rows_csv = list(csv.reader(io.StringIO(mine.decode())))
        assert rows_csv[0] == variables


def test_boolean_serializers():
    from api import results

    for fmt, oxf in (("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML)):
        assert bool(ox.parse_query_results(results.boolean(True, fmt), format=oxf)) is True
        assert bool(ox.parse_query_results(results.boolean(False, fmt), format=oxf)) is False


# ---------------------------------------------------------------------------------------------
# worker pool
@pytest.fixture
def disk_store_filled(tmp_path):
    from kb.store.oxigraph import OxigraphStore

    store = OxigraphStore(tmp_path / "store", base_iri="http://127.0.0.1:8000/")
    rows = "\n".join(f"<http://ex/{i}> <http://ex/p> {i} ." for i in range(2000))
    store.update(f"INSERT DATA {{ GRAPH <http://ex/g> {{ {rows} }} }}")
    yield store
    store.close()


def test_pool_timeout_kills_worker_and_recovers(disk_store_filled):
    from api.worker import Timeout, WorkerPool

    pool = WorkerPool(disk_store_filled, size=1, timeout=1.0, cap=100)
    try:
        out = pool.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "json", "ttl")
        assert json.loads(out.body)["results"]["bindings"][0]["n"]["value"] == "2000"
        pid = pool.pids[0]
        t0 = time.perf_counter()
        with pytest.raises(Timeout):
            pool.run("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "json", "ttl")
        assert time.perf_counter() - t0 < 2.5
        deadline = time.time() + 5
        while time.time() < deadline and os.path.exists(f"/proc/{pid}") and \
                open(f"/proc/{pid}/stat").read().split(")")[-1].split()[0] != "Z":
            time.sleep(0.05)
        assert not os.path.exists(f"/proc/{pid}") or \
            open(f"/proc/{pid}/stat").read().split(")")[-1].split()[0] == "Z"
        assert pool.pids and pool.pids[0] != pid
        assert pool.killed == 1
        out = pool.run("ASK { ?s ?p 1999 }", "json", "ttl")
        assert json.loads(out.body)["boolean"] is True
    finally:
        pool.close()


def test_whole_store_counts_run_in_a_worker(disk_store_filled, monkeypatch):
    """The server's cached counts (/stats, the home page, the service description) come from
    a SPARQL worker process, not from the store in the server's process (api.counts)."""
    from api.app import create_app
    from kb.queries import stats

    expected = stats(disk_store_filled)
    state = create_app(disk_store_filled, sparql_workers=1).state.quoth
    try:
        def in_server(*args, **kwargs):
            raise AssertionError("counted in the server's process")

        monkeypatch.setattr(disk_store_filled, "triple_count", in_server)
        monkeypatch.setattr(disk_store_filled, "select", in_server)
        state._cache, state._count = {}, None
        assert state.stats() == expected and expected["quads"] == 2000
        assert state.triple_count() == 2000
        disk_store_filled.update("INSERT DATA { GRAPH <http://ex/g> { <http://ex/new> <http://ex/p> 1 } }")
        state.changed()  # a write: the counts are of the new snapshot
        assert state.stats()["quads"] == 2001
    finally:
        state.close()


def test_pool_snapshot_refresh_after_write(disk_store_filled):
    from api.worker import WorkerPool

    pool = WorkerPool(disk_store_filled, size=2, timeout=5.0, cap=100)
    try:
        ask = "ASK { <http://ex/new> ?p ?o }"
        assert json.loads(pool.run(ask, "json", "ttl").body)["boolean"] is False
        disk_store_filled.update("INSERT DATA { GRAPH <http://ex/g> { <http://ex/new> <http://ex/p> 1 } }")
        assert json.loads(pool.run(ask, "json", "ttl").body)["boolean"] is False  # not refreshed yet
        pool.refresh()
        for _ in range(4):  # every worker moves to the new generation
            assert json.loads(pool.run(ask, "json", "ttl").body)["boolean"] is True
        assert len(list(pool.snapshots.root.iterdir())) == 1, "old generations are pruned"
    finally:
        root = pool.snapshots.root
        pool.close()
    assert not root.exists()


def test_pool_cap_and_graph_formats(disk_store_filled):
    from api.worker import WorkerPool

    pool = WorkerPool(disk_store_filled, size=1, timeout=5.0, cap=10)
    try:
        out = pool.run("CONSTRUCT WHERE { ?s ?p ?o }", "json", "ttl")
        assert out.kind == "graph" and out.capped
        assert len(Graph().parse(data=out.body, format="turtle")) == 10
        out = pool.run("SELECT * WHERE { ?s ?p ?o } LIMIT 10", "csv", "ttl")
        assert not out.capped and len(out.body.decode().strip().splitlines()) == 11
    finally:
        pool.close()


# ---------------------------------------------------------------------------------------------
# app settings (in-process)
def test_writes_disabled_without_token():
    from fastapi.testclient import TestClient

    from api.app import create_app
    from kb.store.oxigraph import OxigraphStore

    store = OxigraphStore(None, base_iri="http://testserver/")
    app = create_app(store, token=None, query_timeout=1.0, sparql_workers=1)
    with TestClient(app) as c:
        for method, path in (("POST", "/articles"), ("POST", "/statements"), ("DELETE", "/articles/x")):
            r = c.request(method, path, json={"id": "x", "text": "t", "date": str(dt.date.today())},
                          headers={"Authorization": "Bearer anything"})
            assert r.status_code == 403 and "disabled" in r.json()["detail"]
        assert c.get("/claims").json() == {"items": [], "next_cursor": None}
        r = c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200 and r.json()["boolean"] is False


def test_pool_async_path(disk_store_filled):
    import asyncio

    from api.worker import QuerySyntax, Timeout, WorkerPool

    pool = WorkerPool(disk_store_filled, size=1, timeout=1.0, cap=100)

    async def scenario() -> None:
        out = await pool.run_async("ASK { ?s ?p 5 }", "json", "ttl")
        assert json.loads(out.body)["boolean"] is True
        with pytest.raises(QuerySyntax):
            await pool.run_async("SELECT * WHERE {", "json", "ttl")
        pid = pool.pids[0]
        t0 = time.perf_counter()
        with pytest.raises(Timeout):
            await pool.run_async("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "json", "ttl")
        assert time.perf_counter() - t0 < 2.5
        assert pool.pids[0] != pid and pool.killed == 1
        out = await pool.run_async("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3", "csv", "ttl")
        assert len(out.body.decode().strip().splitlines()) == 4

    try:
        asyncio.run(scenario())
    finally:
        pool.close()
