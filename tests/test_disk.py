"""A store on a read-only mount, beside a read-only parent, on a full disk (issue 18 item 8).

The mounts are tmpfs filesystems made for the test (root and CAP_SYS_ADMIN needed; else skipped).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import pytest

from conftest import free_port
from conftest_api import TOKEN, start_server, wait_ready
from crash_tools import quoth, write_statements


def _mount(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    return r.returncode == 0


def _remount_ro(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)


@pytest.fixture
def mnt(tmp_path):
    where = tmp_path / "mnt"
    if not _mount(where, "256m"):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield where
    subprocess.run(["umount", "-l", str(where)], check=False)


def _filled(store: Path, src: Path) -> None:
    r = quoth("--store", str(store), "ingest", "-q", "--workers", "0", "--no-vectors", "--statements", str(src))
    assert r.returncode == 0, r.stderr


def test_a_store_on_a_read_only_mount_is_read_and_refuses_writes_clearly(tmp_path, mnt):
    src = write_statements(tmp_path / "s.jsonl", 40)
    store = mnt / "kb"
    _filled(store, src)
    _remount_ro(mnt)
    r = quoth("--store", str(store), "stats", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["claims"] == 40
    r = quoth("--store", str(store), "query", "SELECT (COUNT(*) AS ?n) WHERE { ?c a q:Claim }")
    assert r.returncode == 0 and "40" in r.stdout, r.stderr
    new = write_statements(tmp_path / "new.jsonl", 60)  # 20 statements not stored yet
    r = quoth("--store", str(store), "ingest", "-q", "--no-vectors", "--statements", str(new))
    assert r.returncode != 0 and "Traceback" not in r.stderr and "read-only" in r.stderr, r.stderr
    # the server (its SPARQL snapshots cannot be beside the store) serves reads; writes are a 503
    port = free_port()
    log = tmp_path / "serve.log"
    proc = start_server(store, port, log=log)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(url, proc, log)
        with httpx.Client(base_url=url, timeout=60) as c:
            assert c.get("/claims").status_code == 200
            q = c.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?c a q:Claim }"},
                      headers={"Accept": "application/sparql-results+json"})
            assert q.status_code == 200, q.text
            assert q.json()["results"]["bindings"][0]["n"]["value"] == "40"
            w = c.post("/statements", json=[json.loads(new.read_text().splitlines()[-1])],
                       headers={"Authorization": f"Bearer {TOKEN}"})
            assert w.status_code == 503 and "read-only" in w.text, w.text
    finally:
        proc.terminate()
        proc.wait(30)
    assert "Traceback" not in log.read_text(errors="replace")


def test_a_full_disk_while_finishing_a_bulk_write_is_a_clear_message_then_completed(tmp_path):
    where = tmp_path / "small"
    if not _mount(where, "48m"):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        src = write_statements(tmp_path / "s.jsonl", 40)
        store = where / "kb"
        _filled(store, src)
        before = json.loads(quoth("--store", str(store), "stats", "--json").stdout)["claims"]
        # an acknowledged bulk write whose application a crash interrupted: its redo log
        quads = "".join(f"<urn:x:{i}> <urn:x:p> \"{'v' * 200}{i}\" <urn:x:g> .\n" for i in range(20_000))
        (store / "quoth-redo.nq").write_text(quads, encoding="utf-8")
        filler = where / "filler"
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=1M", "count=1000"], capture_output=True)
        r = quoth("--store", str(store), "stats", "--json")
        assert r.returncode != 0 and "Traceback" not in r.stderr, r.stderr
        assert "store" in r.stderr and ("space" in r.stderr.lower() or "bulk write" in r.stderr), r.stderr
        filler.unlink()
        r = quoth("--store", str(store), "stats", "--json")
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["claims"] == before and json.loads(r.stdout)["quads"] >= 20_000
        assert not (store / "quoth-redo.nq").exists()
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_serve_with_a_read_only_parent_keeps_its_snapshots_elsewhere(tmp_path, mnt):
    src = write_statements(tmp_path / "s.jsonl", 30)
    store = mnt / "kb"
    if not _mount(store, "128m"):  # a writable store inside a parent that becomes read-only
        pytest.skip("cannot mount a tmpfs here")
    try:
        _filled(store, src)
        _remount_ro(mnt)
        port = free_port()
        log = tmp_path / "serve.log"
        proc = start_server(store, port, log=log)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_ready(url, proc, log)
            with httpx.Client(base_url=url, timeout=60) as c:
                q = c.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?c a q:Claim }"},
                          headers={"Accept": "application/sparql-results+json"})
                assert q.status_code == 200, q.text
                assert q.json()["results"]["bindings"][0]["n"]["value"] == "30"
        finally:
            proc.terminate()
            proc.wait(30)
        assert "Traceback" not in log.read_text(errors="replace")
    finally:
        subprocess.run(["umount", "-l", str(store)], check=False)
