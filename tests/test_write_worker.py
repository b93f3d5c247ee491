"""A server's writes extract, validate (SHACL) and embed in a warm worker process
(kb.write_worker), so that readers keep the GIL; a worker's death loses no write, and the
workers end with the server; a small write is not held up by a large article's extraction
(tests/test_api_rest.py)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from conftest_api import TOKEN, free_port, start_server, wait_ready

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _article(n: int) -> dict:
    return {"id": f"ww-{n}", "date": "2025-08-16", "language": "de", "title": f"Meldung {n}",
            "text": f"„Wir sehen uns zum {n}. Mal wieder“, sagte Donald Trump am Freitag vor Journalisten."}


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture()
def client(tmp_path):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from kb.store.oxigraph import OxigraphStore

    store = OxigraphStore(tmp_path / "store", base_iri="http://127.0.0.1:8000/")
    app = create_app(store, token=TOKEN, sparql_workers=1)
    with TestClient(app) as c:
        yield c
    store.close()


def test_write_work_runs_in_the_worker(client):
    r = client.post("/articles", json=_article(1), headers=AUTH)
    assert r.status_code == 200 and r.json()["stored"] == 1 and r.json()["claims"] == 1, r.text
    pids = client.get("/health").json()["write_workers"]
    assert pids and os.getpid() not in pids and all(_alive(p) for p in pids)
    state = client.app.state.quoth
    ing = state.ingestor
    assert ing._extractor is None  # the server never loaded the extractor
    assert ing.validator is state.write_worker  # SHACL in the worker
    assert state.vectors.encode_texts == state.write_worker.encode  # embeddings too
    # and what the worker computed is stored: the claim, its mention, its embedding
    items = client.get("/claims", params={"speaker": "donald-trump"}).json()["items"]
    assert [i["text"] for i in items] == ["Wir sehen uns zum 1. Mal wieder"]
    assert items[0]["claim"] in state.vectors._row


def test_a_killed_write_worker_loses_no_write(client):
    assert client.post("/articles", json=_article(1), headers=AUTH).status_code == 200
    pids = client.get("/health").json()["write_workers"]
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    deadline = time.time() + 10
    while any(_alive(p) for p in pids) and time.time() < deadline:
        time.sleep(0.05)
    r = client.post("/articles", json=_article(2), headers=AUTH)  # done in the server this once
    assert r.status_code == 200 and r.json()["stored"] == 1, r.text
    r = client.post("/articles", json=_article(3), headers=AUTH)  # and in a new worker again
    assert r.status_code == 200 and r.json()["stored"] == 1, r.text
    new = client.get("/health").json()["write_workers"]
    assert new and not set(new) & set(pids) and all(_alive(p) for p in new)
    texts = sorted(i["text"] for i in client.get("/claims", params={"speaker": "donald-trump"}).json()["items"])
    assert texts == [f"Wir sehen uns zum {n}. Mal wieder" for n in (1, 2, 3)]


@pytest.mark.server
def test_the_write_worker_ends_with_the_server(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    proc = start_server(tmp_path / "store", port, log=log)
    try:
        wait_ready(url, proc, log)
        r = httpx.post(f"{url}/articles", json=_article(1), headers=AUTH, timeout=120)
        assert r.status_code == 200, r.text
        pids = httpx.get(f"{url}/health").json()["write_workers"]
        assert pids and all(_alive(p) for p in pids)
        os.kill(proc.pid, signal.SIGKILL)  # no clean-up in the server
        proc.wait(10)
        deadline = time.time() + 10
        while any(_alive(p) for p in pids) and time.time() < deadline:
            time.sleep(0.1)
        assert not any(_alive(p) for p in pids), "a write worker outlived its server"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
