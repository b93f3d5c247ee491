"""SHACL validation of structured-statement imports in worker processes.

pyshacl costs about as much CPU per statement as everything else on the import path
together, and it holds the GIL. On a machine with two or more cores a large import
therefore validates batch k+1 in another process while this one writes batch k
(:meth:`kb.ingest.Ingestor.ingest_statements` with ``workers``).

A worker receives the batch's statement groups (small, cheap to pickle: rebuilding the
graphs from them costs less than pickling rdflib terms), builds each pseudo-article's
graph and claim records exactly as the writing process would (:meth:`Ingestor.prepare`,
:func:`kb.ingest.validation_triples`) and returns per article one
:class:`~kb.validate.ValidationReport`, one content digest
(:func:`kb.ingest.content_digest`) and the article's graphs as N-Quads
(:meth:`Ingestor.payload`, the writer's insert: the writer then builds only the claim
records, which depend on what the store holds).

The worker sees each claim record as its article states it, before the writer folds in
what the store already holds (:meth:`Ingestor._merge_existing`). Merging can only move a
record's date said earlier and keep a wording that was validated when first stored, so a
record that conforms before the merge conforms after it.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from .model import Statement
from .validate import ValidationReport

_ingestor = None  # one per worker process
#: how often a worker checks that the process that started it is still alive (seconds)
PARENT_POLL = 0.5


def _exit_with_parent(parent: int) -> None:
    """End this worker when its parent is gone (kill -9 leaves workers blocked on their task
    queue, whose write end they hold themselves). Once they are gone the multiprocessing
    resource tracker sees its pipe close and ends too."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _init(base_iri: str, parent: int | None = None) -> None:
    global _ingestor
    if parent is not None:
        _exit_with_parent(parent)
    from .ingest import Ingestor
    from .store.oxigraph import OxigraphStore

    # an in-memory store only to carry the base IRI: prepare() never reads it for imports
    _ingestor = Ingestor(OxigraphStore(None, base_iri=base_iri))
    _ingestor.validator  # load the shapes now, not on the first batch  # noqa: B018


def _validate(groups: Sequence[tuple[str, list[Statement]]]
              ) -> tuple[list[ValidationReport], list[str], list[list[tuple[str, bytes]]]]:
    from .ingest import content_digest, validation_triples

    ing = _ingestor
    assert ing is not None, "worker not initialised"
    prepared = ing._prepare_statements(list(groups))  # exactly as the writer builds them
    graphs, digests = [], []
    for p in prepared:
        graphs.append(validation_triples(p))
        digests.append(content_digest(p, graphs[-1]))
    reports = ing.validator.validate_many(graphs)
    return reports, digests, [ing.payload(p, d) for p, d in zip(prepared, digests)]


class ValidationPool:
    """``workers`` processes that validate statement groups; use as a context manager.

    >>> with ValidationPool(2, store.base_iri) as pool:
    ...     fut = pool.submit(groups)       # [(source_id, [Statement, ...]), ...]
    ...     reports, digests, payloads = fut.result()  # one of each per group, in order
    """

    def __init__(self, workers: int, base_iri: str):
        # spawn, not fork: the parent holds an open RocksDB database and threads
        ctx = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                                         initializer=_init, initargs=(base_iri, os.getpid()))
        self.workers = workers

    def submit(self, groups: Sequence[tuple[str, list[Statement]]]) -> Future:
        return self._pool.submit(_validate, list(groups))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ValidationPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
