"""The CPU-heavy part of a server's writes, in one warm worker process.

Extracting an article, validating its graph with SHACL (pyshacl) and embedding its claims hold
the GIL for most of a write (bench/README.md, "load with a writer"): in the server's process
they stall every reader for as long. :class:`WriteWorker` runs them in a child process that
loads the extractor, the shapes and the sentence encoder once. Only inputs and outputs cross
the pipe (articles, quotations, triples to validate, texts, reports, vectors); the store stays
with the server, which reads what it holds, merges and writes exactly as before (atomic per
article, under its write lock): the worker never writes anything.

* The child exits when its parent dies (it checks every 0.5 s, as :mod:`kb.validate_pool`).
* A child that dies (killed, out of memory) is replaced on the next call; the call that saw it
  die is done in this process instead, so no write fails for it.
* It runs at a lower CPU priority (:data:`NICE`): readers first, writes with what is left.
* One worker per process (:func:`shared`), whatever the number of applications in it.
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
#: how much lower the worker's CPU priority is than the server's: on a busy machine the
#: readers go first and writes take what is left (QUOTH_WRITE_WORKER_NICE)
NICE = int(os.environ.get("QUOTH_WRITE_WORKER_NICE", "10"))


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


def warm() -> int:
    """Load the extractor, the shapes and the encoder; the worker's process id."""
    from .vectors import encoder

    _get_extractor()
    _get_validator()
    encoder()
    return os.getpid()


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
class WriteWorker:
    """A warm child process for extraction, SHACL validation and embeddings (thread-safe).

    It stands in for a :class:`kb.validate.Validator` (``validate_many``) and for
    :func:`kb.vectors.encode` (``encode``); :meth:`extract` fills in each article's language.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self.pid: int | None = None
        self.restarts = 0

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn, not fork: this process holds an open RocksDB database and threads
                ctx = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=_init,
                                                 initargs=(os.getpid(), NICE))
                fut = self._pool.submit(warm)
                fut.add_done_callback(self._note_pid)
            return self._pool

    def _note_pid(self, fut: Any) -> None:
        if not fut.cancelled() and fut.exception() is None:
            self.pid = fut.result()

    def start(self) -> None:
        """Start the worker and let it load what it needs (returns at once)."""
        self._executor()

    def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        pool = self._executor()
        try:
            return pool.submit(fn, *args).result()
        except BrokenProcessPool as e:  # the worker died: replace it, do this call here
            log.warning("write worker died (%s): started again; this write is done in the server", e)
            with self._lock:
                if self._pool is pool:
                    self._pool, self.pid = None, None
                    self.restarts += 1
            pool.shutdown(wait=False, cancel_futures=True)
            return fn(*args)

    def extract(self, articles: Sequence[Article]) -> list[list[Quote] | InputError]:
        """The quotations of each article (or its InputError); sets ``language`` as
        :meth:`kb.ingest.Ingestor.extracted` does."""
        out = self._call(extract, list(articles))
        for a, (language, _) in zip(articles, out, strict=True):
            a.language = language
        return [quotes for _, quotes in out]

    def validate_many(self, graphs: Sequence[Sequence[tuple]]) -> list[Any]:
        return self._call(validate_many, [list(g) for g in graphs])

    def encode(self, texts: Sequence[str]) -> Any:
        return self._call(encode, list(texts))

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
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
