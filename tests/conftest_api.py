"""Fixtures for the HTTP API tests: a small store filled by the real ingest, and a real server.

``quoth_server`` starts ``quoth --store DIR serve`` (uvicorn) in a subprocess on a free
127.0.0.1 port, over a store filled by :class:`kb.ingest.Ingestor` from the small articles and
statements below (written for these tests), plus a few thousand generated triples in a graph of
their own for the runaway-query test. Test modules import what they use from here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import httpx
import pytest

TOKEN = "test-token-5f1c"
QUERY_TIMEOUT = 2.0
RESULT_CAP = 50

ARTICLES = [
    {"id": "gipfel-2025-08-16", "date": "2025-08-16", "language": "de", "title": "Gipfel in Alaska",
     "url": "https://example.org/gipfel",
     "text": ("Nach dem Treffen in Alaska äußerte sich der US-Präsident zufrieden. "
              "„Wir werden uns bald wiedersehen“, sagte Donald Trump am Freitag vor Journalisten. "
              "Wladimir Putin sagte, das Gespräch sei konstruktiv gewesen. "
              "Bundeskanzler Friedrich Merz erklärte: „Ohne die Ukraine darf nichts entschieden werden.“")},
    {"id": "summit-2025-08-17", "date": "2025-08-17", "language": "en", "title": "Leaders react to summit",
     "text": ("After the summit, Donald Trump said: \"We will meet again very soon.\" "
              "\"Nothing about Ukraine without Ukraine,\" said Friedrich Merz on Saturday. "
              "Emmanuel Macron said that Europe must stay united.")},
]

STATEMENTS = [
    {"speaker": "Angela Merkel", "text": "Wir schaffen das.", "language": "de", "date_said": "2015-08-31",
     "source": {"url": "https://example.org/merkel", "title": "Sommerpressekonferenz", "date": "2015-08-31"},
     "type": "Direct"},
    {"speaker": "Olaf Scholz", "text": "Wir erleben eine Zeitenwende.", "language": "de",
     "date_said": "2022-02-27", "source": {"url": "https://example.org/zeitenwende", "title": "Regierungserklärung",
                                            "date": "2022-02-27"}, "type": "Direct"},
    {"speaker": "Joe Biden", "text": "Democracy must be defended.", "language": "en",
     "date_said": "2022-09-01", "source": {"url": "https://example.org/biden", "title": "Speech",
                                            "date": "2022-09-02"}, "type": "Direct"},
    # a tricky text: quotes, angle brackets, SPARQL-looking words
    {"speaker": "Olaf Scholz", "text": "Ein \"Test\" mit <b>Markup</b> und } SELECT ?x { und 'Zitat'.",
     "language": "de", "date_said": "2023-05-05",
     "source": {"url": "https://example.org/markup", "title": "<script>alert(1)</script>", "date": "2023-05-06"},
     "type": "Indirect"},
]
FILLER_TRIPLES = 3000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fill_store(store) -> dict:
    """Ingest the test articles and statements with the real Ingestor; add filler triples."""
    from kb.ingest import Ingestor
    from kb.sources import article_from_json, statement_from_json

    ing = Ingestor(store)  # the real pipeline: extractor, SHACL validator, ontology
    ing.ensure_setup()
    results = [ing.ingest_article(article_from_json(a, f"article {i}")) for i, a in enumerate(ARTICLES)]
    summary = ing.ingest_statements([statement_from_json(s, f"statement {i}") for i, s in enumerate(STATEMENTS)])
    base = store.base_iri
    rows = "\n".join(f"<{base}test/filler/{i}> <{base}test/p> \"{i}\" ." for i in range(FILLER_TRIPLES))
    store.update(f"INSERT DATA {{ GRAPH <{base}graph/test-filler> {{\n{rows}\n}} }}")
    return {"articles": results, "statements": summary}


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    store_dir: Path
    log: Path
    fill: dict

    @property
    def base(self) -> str:
        return self.url + "/"


def start_server(store_dir: Path, port: int, token: str | None = TOKEN, timeout: float = QUERY_TIMEOUT,
                 cap: int = RESULT_CAP, log: Path | None = None) -> subprocess.Popen:
    env = dict(os.environ, QUOTH_RESULT_CAP=str(cap))
    env.pop("QUOTH_SPARQL_ENDPOINT", None)
    env.pop("QUOTH_TOKEN", None)
    env.pop("QUOTH_BASE_IRI", None)  # the store's own base IRI (kb.base_iri), else the served URL
    args = [sys.executable, "-c", "from kb.cli import run; run()", "--store", str(store_dir),
            "serve", "--host", "127.0.0.1", "--port", str(port),
            "--query-timeout", str(timeout)]
    if token:
        args += ["--token", token]
    out = open(log, "wb") if log else subprocess.DEVNULL
    return subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_ready(url: str, proc: subprocess.Popen, log: Path | None, seconds: float = 90) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            break
        try:
            if httpx.get(f"{url}/stats", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    text = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"quoth serve did not start on {url}:\n{text}")


@contextlib.contextmanager
def running_server(tmp: Path, prepare: Callable[[Any], None] | None = None, **start: Any) -> Iterator[Server]:
    """A real `quoth serve` over a store freshly filled by :func:`fill_store` (then given to
    ``prepare``, if any, for test data of its own), stopped on exit; ``start`` goes to
    :func:`start_server` (token, timeout, cap)."""
    from kb.store.oxigraph import OxigraphStore

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    store_dir = tmp / "store"
    store = OxigraphStore(store_dir, base_iri=url + "/")
    fill = fill_store(store)
    if prepare is not None:
        prepare(store)
    store.close()
    log = tmp / "server.log"
    proc = start_server(store_dir, port, log=log, **start)
    wait_ready(url, proc, log)
    try:
        yield Server(url, proc, store_dir, log, fill)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def quoth_server(tmp_path_factory):
    """A real `quoth serve` over a freshly ingested store, on 127.0.0.1:<free port>."""
    with running_server(tmp_path_factory.mktemp("quoth-api")) as server:
        yield server


@pytest.fixture(scope="session")
def http(quoth_server):
    with httpx.Client(base_url=quoth_server.url, timeout=30) as c:
        yield c


def first_claim(http: httpx.Client, **params) -> dict:
    items = http.get("/claims", params=params).json()["items"]
    assert items, f"no claims for {params}"
    return items[0]


def today() -> dt.date:
    return dt.date.today()
