"""The Quoth HTTP API: wiring. A thin layer over ``kb``.

``create_app(store, token=…, query_timeout=…, store_dir=…)`` builds the FastAPI application:

* :mod:`api.rest` — JSON lookups (claims, speakers, articles, stats, ask) and token-protected writes
* :mod:`api.sparql` — the read-only SPARQL 1.1 Protocol endpoint with service description
* :mod:`api.linked_data` — dereferenceable IRIs (Turtle, JSON-LD, N-Triples, HTML), dumps
* :mod:`api.pages` — the web pages (home, search, indexes) with their JSON/CSV twins, error pages
* :mod:`api.corrections_api` — corrections of extracted statements (token-protected writes)
* :mod:`api.views` — the HTTP-free data of every view, rendered as JSON by rest and HTML by pages

Settings not in the signature come from the environment: ``QUOTH_RESULT_CAP`` (SPARQL result
cap, default 10000), ``QUOTH_SPARQL_WORKERS`` (worker processes, default 2),
``QUOTH_MAX_BODY`` (write body limit in bytes, default 10 MB); ``QUOTH_SPARQL_LONG_AFTER`` and
``QUOTH_SPARQL_MAX_LONG[_PER_CLIENT]`` (:mod:`api.sparql`), ``QUOTH_WRITE_WORKER[_NICE]``
(:mod:`kb.write_worker`).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from kb.graph import Iris
from kb.store import Store

from . import __version__

log = logging.getLogger(__name__)

#: seconds between two warm-ups of the home page's caches while writes go on
WARM_UP_INTERVAL = 10.0

HERE = Path(__file__).resolve().parent

DESCRIPTION = """
**Quoth** tracks who said what, and when: claims (speaker – text – date), their mentions in
news articles with the exact quoted span, speakers with their roles over time.

* REST lookups return JSON (this page documents them).
* `/sparql` is a read-only SPARQL 1.1 Protocol endpoint (time limit, result cap, no SERVICE).
* Every claim, mention, speaker and article IRI dereferences (Turtle, JSON-LD, N-Triples, HTML).
* `/export?format=ttl|nt|nq|trig|jsonld|rdfxml` streams a full dump.
* Writes need `Authorization: Bearer <token>` (the token given to `quoth serve --token`).
"""


class ServerTiming:
    """Pure ASGI middleware: ``Server-Timing: app;dur=<ms>`` on every response (time in the app)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()

        async def timed_send(message: Any) -> None:
            if message["type"] == "http.response.start":
                dur = (time.perf_counter() - t0) * 1000
                message = {**message, "headers": [*message.get("headers", []),
                                                  (b"server-timing", f"app;dur={dur:.2f}".encode())]}
            await send(message)

        await self.app(scope, receive, timed_send)


class QuothState:
    """What the routes share: the store, IRIs, the SPARQL backend, the write lock and settings."""

    def __init__(self, store: Store, token: str | None, query_timeout: float, result_cap: int,
                 sparql_workers: int, max_body: int, store_dir: str | None) -> None:
        self.store = store
        self.iris = Iris(store.base_iri)
        self.base_iri = self.iris.base
        self.token = token or None
        self.query_timeout = query_timeout
        self.result_cap = result_cap
        self.max_body = max_body
        self.store_dir = store_dir
        self.write_lock = threading.Lock()
        self._ingestor: Any = None
        self.write_worker: Any = None  # kb.write_worker.WriteWorker, once writes have started
        self._count: int | None = None
        self._asker: Any = None
        self._vectors: Any = None
        self._cache: dict[str, Any] = {}
        self.warm = False
        self._warm_lock = threading.Lock()
        self._warm_pending = False
        self._warmed_at = 0.0
        from .lookups import ClaimLister

        self.lister = ClaimLister(store)
        self.lister.refresh_index(self.write_lock)
        if store.endpoint:
            from .sparql import RemoteBackend

            self.sparql: Any = RemoteBackend(store, query_timeout, result_cap)
        else:
            from .sparql import EmbeddedBackend

            self.sparql = EmbeddedBackend(store, query_timeout, result_cap, workers=sparql_workers)
        threading.Thread(target=self.warm_up, daemon=True, name="quoth-warm-up").start()  # counts in .sparql

    @property
    def ingestor(self) -> Any:
        if self._ingestor is None:
            from kb.ingest import Ingestor

            from kb import write_worker

            worker = write_worker.shared() if write_worker.enabled() else None
            # keeps the side index and the claim embeddings in step with every write; SHACL
            # validation (and extraction, embeddings: extract_articles, vectors) in the worker
            ing = Ingestor(self.store, index=self.lister.index, vectors=self.vectors, validator=worker)
            if worker is not None:
                worker.start()
                self.vectors.encode_texts = worker.encode
            self.write_worker = worker
            ing.ensure_setup()
            self._ingestor = ing
        return self._ingestor

    def extract_articles(self, articles: list[Any]) -> list[Any]:
        """Each article's quotations (or its InputError), in the write worker when there is one:
        extraction holds the GIL, and readers would wait for it."""
        ing = self.ingestor
        if self.write_worker is not None:
            return self.write_worker.extract(articles)
        return [ing.extracted(a) for a in articles]

    @property
    def asker(self) -> Any:
        if self._asker is None:
            from kb.ask import Asker

            self._asker = Asker(self.store, vectors=self.vectors)
        return self._asker

    @property
    def vectors(self) -> Any:
        """One claim-embedding index shared by ingesting and asking."""
        if self._vectors is None:
            from kb.vectors import VectorIndex

            self._vectors = VectorIndex.for_store(self.store)
        return self._vectors

    def _counter(self) -> Any:
        """Where whole-store counts run: a SPARQL worker process (api.counts) for an embedded
        store, the store itself for a remote one."""
        pool = getattr(self.sparql, "pool", None)
        if pool is None:
            return self.store
        from .counts import WorkerCounts

        return WorkerCounts(pool)

    def triple_count(self) -> int | None:
        if self._count is None:
            try:
                self._count = self._counter().triple_count()
            except Exception:  # noqa: BLE001 - the description works without it
                return None
        return self._count

    def stats(self) -> dict[str, Any]:
        """kb.queries.stats, cached until the next write (it counts the whole store)."""
        cache = self._cache  # a write replaces the dict: a result computed before it is dropped
        if "stats" not in cache:
            from kb.queries import stats

            cache["stats"] = stats(self._counter())
        return cache["stats"]

    def recent_claims(self, n: int = 15) -> dict[str, Any]:
        """The newest claims with their sources (home page; ``items``, ``next_cursor``), cached
        until the next write."""
        cache = self._cache
        key = f"recent:{n}"
        if key not in cache:
            from kb.queries import ClaimFilter

            from .views import claims_data

            cache[key] = claims_data(self, ClaimFilter(), limit=n, sources=True)
        return cache[key]

    def warm_up(self) -> None:
        """Fill the caches the home page uses (counting a large store takes seconds) and index
        the bilingual lexicon of ``ask`` if it is not yet (kb.bilingual: ~15 s once per machine)."""
        try:
            self.stats()
            self.recent_claims()
        except Exception:  # noqa: BLE001 - computed on first use instead
            pass
        try:
            from kb import bilingual

            bilingual.load()
        except Exception:  # noqa: BLE001 - indexed on the first question instead
            pass
        self.warm = True

    def _warm_up_later(self) -> None:
        """One warm-up after a run of writes, not one per write: under a stream of writes the
        whole-store counts are recomputed at most every WARM_UP_INTERVAL seconds (a request
        that needs them meanwhile computes them itself), leaving the CPU to readers."""
        with self._warm_lock:
            if self._warm_pending:
                return
            self._warm_pending = True
        delay = max(0.0, self._warmed_at + WARM_UP_INTERVAL - time.monotonic())

        def run() -> None:
            with self._warm_lock:
                self._warm_pending = False
            self.warm_up()
            self._warmed_at = time.monotonic()

        t = threading.Timer(delay, run)
        t.daemon = True
        t.start()

    def changed(self) -> None:
        """After a write: new SPARQL snapshot on the next query, caches and side index refreshed."""
        self._count = None
        self._cache = {}
        self.sparql.refresh()
        self._warm_up_later()
        self.lister.mark_dirty()
        if self._vectors is not None and not self.store.read_only:
            try:
                self._vectors.save()
            except OSError as e:  # a full disk: the embeddings are rebuilt by 'quoth reindex'
                log.warning("claim embeddings not saved: %s", e)
        if self._asker is not None and hasattr(self._asker, "refresh"):
            self._asker.refresh()

    def close(self) -> None:
        try:
            self.sparql.close()
        except Exception:  # noqa: BLE001
            pass


def create_app(store: Store, token: str | None = None, query_timeout: float = 5.0,
               store_dir: str | None = None, *, result_cap: int | None = None,
               sparql_workers: int | None = None, max_body: int | None = None) -> FastAPI:
    """Build the application over an open store (embedded or remote)."""
    state = QuothState(
        store, token, float(query_timeout),
        result_cap if result_cap is not None else int(os.environ.get("QUOTH_RESULT_CAP", "10000")),
        sparql_workers if sparql_workers is not None else int(os.environ.get("QUOTH_SPARQL_WORKERS", "2")),
        max_body if max_body is not None else int(os.environ.get("QUOTH_MAX_BODY", str(10 * 1024 * 1024))),
        store_dir)
    atexit.register(state.close)

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # noqa: ANN202
        yield
        state.close()

    from fastapi_offline import FastAPIOffline  # /docs without a CDN

    app = FastAPIOffline(title="Quoth", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                         swagger_ui_parameters={"validatorUrl": None},
                         redoc_url="/redoc",  # its footer logo's CDN URL is blocked by the page's CSP
                  openapi_tags=[{"name": "claims", "description": "Claims: speaker, text, date said, sources"},
                                {"name": "speakers", "description": "Speakers, aliases, roles over time"},
                                {"name": "articles", "description": "Source articles"},
                                {"name": "ask", "description": "Question answering"},
                                {"name": "writes", "description": "Ingest and delete (bearer token)"},
                                {"name": "SPARQL", "description": "SPARQL 1.1 Protocol endpoint"},
                                {"name": "linked data", "description": "Dereferenceable IRIs and dumps"}])
    app.state.quoth = state
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST", "DELETE", "OPTIONS"],
                       allow_headers=["*"], expose_headers=["X-Quoth-Result-Cap", "X-Quoth-Query-Time",
                                                            "X-Quoth-Result-Cap-Limit", "X-Quoth-Worker-Time",
                                                            "Server-Timing"], max_age=3600)
    app.add_middleware(ServerTiming)
    from . import corrections_api, linked_data, pages, rest, sparql
    from .head_requests import HeadAsGet
    from .security_headers import SecurityHeaders

    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)  # outermost: HEAD sees the GET's headers, all middleware included
    app.include_router(rest.router)
    app.include_router(corrections_api.router)
    app.include_router(sparql.router)
    app.include_router(linked_data.router)
    app.include_router(pages.router)
    pages.install_error_pages(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app


def app_from_env() -> FastAPI:
    """``uvicorn --factory api.app:app_from_env``: the store from QUOTH_STORE / QUOTH_SPARQL_ENDPOINT."""
    from kb.store import open_store

    store = open_store(create=True)
    return create_app(store, token=os.environ.get("QUOTH_TOKEN"),
                      query_timeout=float(os.environ.get("QUOTH_QUERY_TIMEOUT", "5")))
