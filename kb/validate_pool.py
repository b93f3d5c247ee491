"""SHACL validation of structured-statement imports in worker processes.

pyshacl costs about as much CPU per statement as everything else on the import path
together, and it holds the GIL. On a machine with two or more cores a large import
therefore validates batch k+1 in another process while this one writes batch k
(:meth:`kb.ingest.Ingestor.ingest_statements` with ``workers``).

A worker receives the batch's statement groups (small, cheap to pickle: rebuilding the
graphs from them costs less than pickling rdflib terms), builds each pseudo-article's
graph and claim records with the same builder as the writing process
(:class:`kb.builder.GraphBuilder`, :func:`kb.builder.validation_triples`) and returns per
article one :class:`~kb.validate.ValidationReport`, one content digest
(:func:`kb.builder.content_digest`) and the article's graphs as N-Quads
(:meth:`GraphBuilder.payload`, the writer's insert: the writer then builds only the claim
records, which depend on what the store holds). This module does not import kb.ingest.

The worker sees each claim record as its article states it, before the writer folds in
what the store already holds (:meth:`kb.ingest.Ingestor._merge_existing`, by the rules of
:mod:`kb.claim_merge`). Merging only takes values of other validated records and mentions
(earliest date, most direct type, least wording), so a record that conforms before the
merge conforms after it.
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

_builder = None  # one per worker process: kb.builder.GraphBuilder
_validator = None  # and its kb.validate.Validator
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
    global _builder, _validator
    if parent is not None:
        _exit_with_parent(parent)
    from .builder import GraphBuilder
    from .validate import Validator

    _builder = GraphBuilder(base_iri)
    _validator = Validator()  # load the shapes now, not on the first batch


def _validate(groups: Sequence[tuple[str, list[Statement]]]
              ) -> tuple[list[ValidationReport], list[str], list[list[tuple[str, bytes]]]]:
    from .builder import content_digest, validation_triples

    builder, validator = _builder, _validator
    assert builder is not None and validator is not None, "worker not initialised"
    prepared = builder.prepare_statements(list(groups))  # exactly as the writer builds them
    graphs, digests = [], []
    for p in prepared:
        graphs.append(validation_triples(p))
        digests.append(content_digest(p, graphs[-1]))
    reports = validator.validate_many(graphs)
    return reports, digests, [builder.payload(p, d) for p, d in zip(prepared, digests)]


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
