"""The CPU-heavy part of a server's writes, in warm worker processes.

Extracting an article, validating its graph with SHACL (pyshacl) and embedding its claims hold
the GIL for most of a write (bench/README.md, "load with a writer"): in the server's process
they stall every reader for as long. :class:`WriteWorker` runs them in child processes that
load the extractor (the extraction lane), the shapes and the sentence encoder (the checking
lane) once. Only inputs and outputs cross
the pipe (articles, quotations, triples to validate, texts, reports, vectors); the store stays
with the server, which reads what it holds, merges and writes exactly as before (atomic per
article, under its write lock): the worker never writes anything.

* The child exits when its parent dies (it checks every 0.5 s, as :mod:`kb.validate_pool`).
* A child that dies (killed, out of memory) is replaced on the next call; the call that saw it
  die is done in this process instead, so no write fails for it.
* It runs at a lower CPU priority (:data:`NICE`): readers first, writes with what is left.
* One :class:`WriteWorker` per process (:func:`shared`), whatever the number of applications.
"""

from __future__ import annotations

import atexit
import functools
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .model import Article, InputError, Quote

log = logging.getLogger(__name__)

_extractor: Any = None  # in the worker (or in this process after a worker died)
_validator: Any = None


# -- what runs in the worker -------------------------------------------------------------------
#: how much lower the workers' CPU priority is than the server's (QUOTH_WRITE_WORKER_NICE): on a
#: busy machine the readers go first. Not more: at +10 (CFS weight 1/10) a write could wait for
#: minutes behind other programs on a loaded machine (a test's write timed out after 30 s)
NICE = int(os.environ.get("QUOTH_WRITE_WORKER_NICE", "5"))


def _init(parent: int, nice: int) -> None:
    from .validate_pool import _exit_with_parent

    _exit_with_parent(parent)
    if nice > 0:
        try:
            os.nice(nice)
        except OSError:
            pass


def _get_extractor() -> Any:
    global _extractor
    if _extractor is None:
        from .extract import Extractor
        from .extract.speakers import Gazetteer

        _extractor = Extractor(gazetteer=Gazetteer.load_default())  # as kb.ingest.Ingestor loads it
    return _extractor


def _get_validator() -> Any:
    global _validator
    if _validator is None:
        from .validate import Validator

        _validator = Validator()
    return _validator


def warm_extract() -> None:
    """Load the extractor (the extraction lane's first task)."""
    _get_extractor()


def warm_check() -> None:
    """Load the shapes and the encoder (the checking lane's first task)."""
    from .vectors import encoder

    _get_validator()
    encoder()


def extract(articles: Sequence[Article]) -> list[tuple[str, list[Quote] | InputError]]:
    """Each article's language (detected when not given) and its quotations, or why it
    cannot be read (:func:`kb.ingest.extract_quotes`)."""
    from .ingest import extract_quotes

    out = []
    for a in articles:
        quotes = extract_quotes(_get_extractor(), a)
        out.append((a.language, quotes))
    return out


def validate_many(graphs: Sequence[Sequence[tuple]]) -> list[Any]:
    """:meth:`kb.validate.Validator.validate_many` in the worker."""
    return _get_validator().validate_many([list(g) for g in graphs])


def encode(texts: Sequence[str]) -> Any:
    """:func:`kb.vectors.encode` in the worker."""
    from .vectors import encode as enc

    return enc(list(texts))


# -- the server's side --------------------------------------------------------------------------
#: lane -> (processes at most, what its first task loads). Two lanes, so that validating a small
#: write never waits for a large article's extraction; two extraction processes (the second
#: starts when two extractions overlap), so that one large article does not hold up another
LANES: dict[str, tuple[int, Callable[[], None]]] = {"extract": (2, warm_extract), "check": (1, warm_check)}


class WriteWorker:
    """Warm child processes for extraction, SHACL validation and embeddings (thread-safe).

    It stands in for a :class:`kb.validate.Validator` (``validate_many``) and for
    :func:`kb.vectors.encode` (``encode``); :meth:`extract` fills in each article's language.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pools: dict[str, ProcessPoolExecutor] = {}
        self.restarts = 0

    def _executor(self, lane: str) -> ProcessPoolExecutor:
        with self._lock:
            pool = self._pools.get(lane)
            if pool is None:
                size, warm = LANES[lane]
                # spawn, not fork: this process holds an open RocksDB database and threads
                ctx = multiprocessing.get_context("spawn")
                pool = self._pools[lane] = ProcessPoolExecutor(max_workers=size, mp_context=ctx, initializer=_init,
                                                               initargs=(os.getpid(), NICE))
                pool.submit(warm)
            return pool

    @property
    def pids(self) -> list[int]:
        """The worker processes running now."""
        with self._lock:
            pools = list(self._pools.values())
        return sorted(pid for p in pools for pid in list(getattr(p, "_processes", None) or {}))

    def start(self) -> None:
        """Start the workers and let them load what they need (returns at once)."""
        for lane in LANES:
            self._executor(lane)

    def _call(self, lane: str, fn: Callable[..., Any], *args: Any) -> Any:
        pool = self._executor(lane)
        try:
            return pool.submit(fn, *args).result()
        except BrokenProcessPool as e:  # a worker died: replace them, do this call here
            log.warning("write worker died (%s): started again; this write is done in the server", e)
            with self._lock:
                if self._pools.get(lane) is pool:
                    del self._pools[lane]
                    self.restarts += 1
            pool.shutdown(wait=False, cancel_futures=True)
            return fn(*args)

    def extract(self, articles: Sequence[Article]) -> list[list[Quote] | InputError]:
        """The quotations of each article (or its InputError); sets ``language`` as
        :meth:`kb.ingest.Ingestor.extracted` does."""
        out = self._call("extract", extract, list(articles))
        for a, (language, _) in zip(articles, out, strict=True):
            a.language = language
        return [quotes for _, quotes in out]

    def validate_many(self, graphs: Sequence[Sequence[tuple]]) -> list[Any]:
        return self._call("check", validate_many, [list(g) for g in graphs])

    def encode(self, texts: Sequence[str]) -> Any:
        return self._call("check", encode, list(texts))

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.shutdown(wait=False, cancel_futures=True)


@functools.cache
def shared() -> WriteWorker:
    """This process's write worker (its process starts on first use)."""
    worker = WriteWorker()
    atexit.register(worker.close)
    return worker


def enabled() -> bool:
    """False when ``QUOTH_WRITE_WORKER=0``: writes then extract, validate and embed in the server."""
    return os.environ.get("QUOTH_WRITE_WORKER", "1") != "0"
