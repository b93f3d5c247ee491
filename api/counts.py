"""Whole-store counts for the server's caches, answered by a SPARQL worker process.

:func:`kb.queries.stats` counts the claims, mentions, articles, speakers and quads of the
whole store: a second of CPU at 20k claims, much of it holding the GIL (``len()`` of the
store holds it throughout). Run in the server after every run of writes (its warm-up), it
stalled the readers; :class:`WorkerCounts` gives it the store's ``select`` and
``triple_count`` answered by :meth:`api.worker.WorkerPool.background` instead — on the
snapshot the SPARQL endpoint reads, in a process of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kb.store.remote import json_rows
from kb.store.sparql_text import bind_values


class WorkerCounts:
    """The read side of a :class:`kb.store.Store` that :func:`kb.queries.stats` uses."""

    def __init__(self, pool: Any) -> None:
        self.pool = pool

    def select(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        return json_rows(self.pool.background(bind_values(sparql, bindings)))

    def triple_count(self) -> int:
        return int(self.pool.background(None))
