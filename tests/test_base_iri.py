"""The base IRI belongs to the store (issue 10 item 3; kb/base_iri.py).

A store ingested with the defaults keeps its IRIs under http://127.0.0.1:8000/ whatever port
`quoth serve` listens on: its claims are listed there and its IRIs dereference there by path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef

from conftest_api import free_port, start_server, wait_ready

DEFAULT = "http://127.0.0.1:8000/"
ARTICLE = (" date 2025-03-04\n"
           "Donald Trump hat am Dienstag in Washington über Zölle gesprochen. "
           "«Wir werden die Zölle auf Stahl im Sommer senken», sagte Trump vor Reportern. "
           "Trump sagte außerdem, die Gespräche mit Kanada gingen gut voran.\n")


def quoth(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("QUOTH_BASE_IRI", "QUOTH_STORE", "QUOTH_SPARQL_ENDPOINT")}
    out = subprocess.run([sys.executable, "-c", "from kb.cli import run; run()", *args], env=env,
                         capture_output=True, text=True, timeout=300)
    if check:
        assert out.returncode == 0, out.stderr[-2000:]
    return out


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("base-iri")
    (tmp / "tariffs.txt").write_text(ARTICLE, encoding="utf-8")
    quoth("--store", str(tmp / "store"), "ingest", "--no-vectors", str(tmp / "tariffs.txt"))
    return tmp / "store"


def test_the_base_is_recorded_at_first_ingest_and_shown_by_stats(store_dir):
    s = json.loads(quoth("--store", str(store_dir), "stats", "--json").stdout)
    assert s["base_iri"] == DEFAULT and s["claims"] >= 1


def test_another_base_for_a_store_that_has_one_is_a_clear_error(store_dir):
    out = quoth("--store", str(store_dir), "--base-iri", "http://example.org/kb/", "stats", check=False)
    assert out.returncode == 1
    assert "error: this store's base IRI is http://127.0.0.1:8000/" in out.stderr
    assert "Traceback" not in out.stderr


def test_relative_iris_in_a_query_resolve_against_the_base(store_dir):
    out = quoth("--store", str(store_dir), "query", "--format", "json",
                "ASK { ?c q:speaker <speaker/donald-trump> }")
    assert json.loads(out.stdout)["boolean"] is True


def _store_iris(value, found: set[str]) -> set[str]:
    if isinstance(value, dict):
        for v in value.values():
            _store_iris(v, found)
    elif isinstance(value, list):
        for v in value:
            _store_iris(v, found)
    elif isinstance(value, str) and value.startswith(DEFAULT):
        found.add(value)
    return found


def test_served_on_another_port_the_claims_are_there_and_every_iri_dereferences(store_dir, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    proc = start_server(store_dir, port, token=None, log=log)
    try:
        wait_ready(url, proc, log)
        assert f"base IRI {DEFAULT}" in log.read_text()  # serve says which base it serves
        with httpx.Client(base_url=url, timeout=30) as c:
            page = c.get("/claims", params={"speaker": "donald-trump"})
            assert page.status_code == 200
            items = page.json()["items"]
            assert items and all(i["speaker"]["iri"] == DEFAULT + "speaker/donald-trump" for i in items)
            iris = _store_iris(page.json(), set())
            assert any("/claim/" in i for i in iris) and any("/speaker/" in i for i in iris)
            # each dereferences on the serving host by its path, and so do the store IRIs in those
            # descriptions (mentions, articles, activities), two links deep
            seen, todo = set(iris), sorted(iris)
            for depth in range(3):
                found = []
                for i in todo:
                    r = c.get("/" + i[len(DEFAULT):], headers={"Accept": "text/turtle"})
                    assert r.status_code == 200, (i, r.status_code)
                    described = Graph().parse(data=r.text, format="turtle")
                    assert (URIRef(i), None, None) in described or (None, None, URIRef(i)) in described
                    found += [str(n) for t in described for n in (t[0], t[2])
                              if isinstance(n, URIRef) and str(n).startswith(DEFAULT) and str(n) not in seen]
                todo = sorted(set(found) - {x for x in found if "/graph/" in x})
                seen.update(todo)
            assert any("/article/" in x for x in seen) and any("/mention/" in x for x in seen)
            # the SPARQL endpoint resolves relative IRIs against the store's base too
            r = c.get("/sparql", params={"query": "SELECT ?t WHERE { <speaker/donald-trump> skos:prefLabel ?t }"},
                      headers={"Accept": "application/sparql-results+json"})
            assert r.status_code == 200 and r.json()["results"]["bindings"][0]["t"]["value"] == "Donald Trump"
    finally:
        proc.terminate()
        proc.wait(15)
