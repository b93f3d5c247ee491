"""kill -9 of the real CLI during an import (issue 18 item 3): no orphans, side index finished."""

from __future__ import annotations

import json
import os
import signal

import pytest

from crash_tools import alive, children, quoth, start_quoth, wait_for, write_statements
from kb.digest import statement_lines

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc (Linux)")


def _store_claims(store) -> int:
    r = quoth("--store", str(store), "stats", "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["claims"]


def test_kill_9_of_an_import_leaves_no_process_and_a_rerun_ends_as_a_clean_import(tmp_path):
    src = write_statements(tmp_path / "s.jsonl", 6000)
    store = tmp_path / "kb"
    proc = start_quoth("--store", str(store), "ingest", "-q", "--workers", "2", "--batch-size", "500",
                       "--no-vectors", "--statements", str(src))
    # both validation workers (and the resource tracker) are up, and some batches are written
    assert wait_for(lambda: len(children(proc.pid)) >= 3 or proc.poll() is not None, 300), "no workers"
    assert proc.poll() is None, proc.stderr.read()
    kids = children(proc.pid)
    assert wait_for(lambda: (store / "quoth-index.sqlite").exists(), 120)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert wait_for(lambda: not any(alive(k) for k in kids), 20), \
        f"orphans alive 20 s after kill -9: {[k for k in kids if alive(k)]}"
    # the re-run finishes what the crash left (store and the speaker/date index) ...
    r = quoth("--store", str(store), "ingest", "-q", "--workers", "2", "--no-vectors", "--statements", str(src))
    assert r.returncode == 0, r.stderr
    assert _store_claims(store) == 6000
    assert quoth("--store", str(store), "validate").returncode == 0
    # ... and ends as a clean import does
    clean = tmp_path / "clean"
    assert quoth("--store", str(clean), "ingest", "-q", "--workers", "0", "--no-vectors",
                 "--statements", str(src)).returncode == 0
    from kb.index import ClaimIndex
    from kb.store.oxigraph import OxigraphStore

    a, b = OxigraphStore(store, read_only=True), OxigraphStore(clean, read_only=True)
    try:
        assert statement_lines(a) == statement_lines(b)
        idx = ClaimIndex.for_store(a, read_only=True)
        assert idx is not None and idx.is_fresh(a) and len(idx) == 6000
    finally:
        a.close()
        b.close()


def test_a_rerun_after_kill_9_finishes_the_vector_index(tmp_path):
    """The vector index is saved at the end of an import; after a kill -9 the re-run finds the
    stored batches unchanged (not embedded again) and must still embed every stored claim."""
    src = write_statements(tmp_path / "s.jsonl", 600)
    store = tmp_path / "kb"
    proc = start_quoth("--store", str(store), "ingest", "-q", "--workers", "0", "--batch-size", "50",
                       "--statements", str(src))
    from kb.store import StoreError
    from kb.store.oxigraph import OxigraphStore
    from kb.vectors import VectorIndex, count_claims

    def stored() -> int:  # read beside the writer, as the read-only commands do
        if not (store / "quoth-index.sqlite").exists():
            return 0
        try:
            s = OxigraphStore(store, read_only=True)
        except StoreError:  # the writer's compaction moved files past the open's retries: poll again
            return 0
        try:
            return count_claims(s)
        finally:
            s.close()

    assert wait_for(lambda: stored() >= 100 or proc.poll() is not None, 300)
    assert proc.poll() is None, "the import ended before the kill: " + proc.stderr.read()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    r = quoth("--store", str(store), "ingest", "-q", "--workers", "0", "--statements", str(src))
    assert r.returncode == 0, r.stderr
    s = OxigraphStore(store, read_only=True)
    try:
        v = VectorIndex.for_store(s)
        assert v.loaded and v.claim_count() == count_claims(s) == 600
    finally:
        s.close()
