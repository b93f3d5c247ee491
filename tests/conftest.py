"""Shared fixtures: embedded and remote stores, a real Oxigraph server on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from kb.store.oxigraph import OxigraphStore
from kb.store.remote import RemoteStore

BASE = "http://127.0.0.1:8000/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str:
    exe = Path(sys.executable).parent / "oxigraph"
    found = str(exe) if exe.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the Oxigraph server binary is missing: pip install oxigraph (see pyproject [test] extra)")
    return found


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph SPARQL 1.1 server on a free loopback port, stopped after the session."""
    port = free_port()
    data = tmp_path_factory.mktemp("oxigraph-server")
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(data), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("Oxigraph server did not start: " + proc.stderr.read().decode()[-2000:])
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def remote_store(oxigraph_server):
    store = RemoteStore(f"{oxigraph_server}/query", base_iri=BASE)
    store.update("DROP ALL")
    yield store
    store.update("DROP ALL")
    store.close()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """A throwaway Virtuoso on 127.0.0.1 (kb.store.virtuoso_local), stopped after the session;
    skipped only where Virtuoso is not installed (scripts/install-test-deps.sh installs it)."""
    from kb.store.virtuoso_local import LocalVirtuoso, VirtuosoUnavailable, find_binary, SERVER_BINARIES

    if not find_binary(SERVER_BINARIES):
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource; "
                    "scripts/install-test-deps.sh does it)")
    server = LocalVirtuoso(tmp_path_factory.mktemp("virtuoso"), memory_mb=256)
    try:
        server.start()
    except VirtuosoUnavailable as e:
        pytest.fail(f"Virtuoso is installed but did not start: {e}")
    yield server
    server.stop()


def clear_remote(store: RemoteStore) -> None:
    """Drop every data graph of a remote store (Virtuoso's own graphs stay)."""
    graphs = store.named_graphs()
    if graphs:
        store.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))


@pytest.fixture
def virtuoso_store(virtuoso_server):
    store = virtuoso_server.store(base_iri=BASE)
    clear_remote(store)
    yield store
    clear_remote(store)
    store.close()


@pytest.fixture
def disk_store(tmp_path):
    store = OxigraphStore(tmp_path / "store", base_iri=BASE)
    yield store
    store.close()


@pytest.fixture(params=["embedded", "remote", "virtuoso"])
def any_store(request):
    """Each test using this runs against both implementations of the Store protocol (the remote
    one on an Oxigraph server and on Virtuoso)."""
    return request.getfixturevalue({"embedded": "disk_store", "remote": "remote_store",
                                    "virtuoso": "virtuoso_store"}[request.param])
