"""SPARQL endpoint queries in worker subprocesses that can really be stopped.

pyoxigraph cannot cancel a running query, so endpoint queries run in persistent worker
processes (``python -m api.worker``) that open a read-only *snapshot* of the store — a RocksDB
checkpoint made by ``Store.backup`` (hard links, cheap) — and talk to the server over a pipe
(length-prefixed pickles). At the deadline the server SIGKILLs the worker, which stops the
query for real, and starts a fresh one. After a write the server marks the snapshot stale; the
next query makes a new checkpoint (a new *generation*) and each worker reopens it on its next job.

A query that runs past ``long_after`` leaves the normal workers (:class:`WorkerPool`): a spare
takes its place, it runs on at a lower CPU priority, at most ``max_long`` of them at once
(``max_long_per_client`` per client). :meth:`WorkerPool.background` runs the server's own
whole-store counts in one more worker (:mod:`api.counts`).

The worker also tries to leave the network (a new, empty network namespace) so that even a
``SERVICE`` call that slipped past the query check could not reach another host.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import pickle
import queue
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_LEN = struct.Struct("!I")
_PIPE_BUF = 65_536  # Linux pipe capacity: a larger answer arrives in several reads


# ---------------------------------------------------------------------------------------------
# framing (both sides)
def _write_msg(fd: int, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    buf = memoryview(_LEN.pack(len(data)) + data)
    while buf:
        n = os.write(fd, buf)
        buf = buf[n:]


def _read_exact(fd: int, n: int) -> bytes:
    chunks = []
    while n:
        b = os.read(fd, n)
        if not b:
            raise EOFError("worker pipe closed")
        chunks.append(b)
        n -= len(b)
    return b"".join(chunks)


def _read_msg(fd: int) -> Any:
    (n,) = _LEN.unpack(_read_exact(fd, _LEN.size))
    return pickle.loads(_read_exact(fd, n))


# ---------------------------------------------------------------------------------------------
# the worker process
def _leave_network() -> bool:
    """Enter a new network namespace (no interfaces but a down loopback); False if not allowed."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        clone_newnet, clone_newuser = 0x40000000, 0x10000000
        if libc.unshare(clone_newnet) == 0:
            return True
        return libc.unshare(clone_newuser | clone_newnet) == 0
    except Exception:  # noqa: BLE001 - best effort
        return False


def _open_snapshot(spec: tuple[str, str]) -> Any:
    import pyoxigraph as ox

    kind, path = spec
    if kind == "dir":
        return ox.Store.read_only(path)
    store = ox.Store()
    store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
    return store


def _run(store: Any, job: dict[str, Any]) -> tuple:
    import pyoxigraph as ox

    from . import results

    if job.get("kind") == "len":  # the number of quads (WorkerPool.background)
        return ("len", len(store), False)

    # relative IRIs in a query resolve against the store's base IRI (kb.base_iri)
    kw: dict[str, Any] = {"prefixes": job.get("prefixes") or None, "base_iri": job.get("base_iri")}
    if job.get("default_graphs"):
        kw["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]]
    else:
        kw["use_default_graph_as_union"] = True
    if job.get("named_graphs"):
        kw["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
    try:
        res = store.query(job["query"], **kw)
    except SyntaxError as e:
        return ("syntax", str(e))
    cap = job["cap"]
    if isinstance(res, ox.QueryBoolean):
        return ("boolean", results.boolean(bool(res), job["result_format"]), False)
    if isinstance(res, ox.QuerySolutions):
        variables = [v.value for v in res.variables]
        rows = []
        for sol in res:
            if len(rows) >= cap:
                return ("bindings", results.BINDINGS[job["result_format"]](variables, rows), True)
            rows.append([sol[i] for i in range(len(variables))])
        return ("bindings", results.BINDINGS[job["result_format"]](variables, rows), False)
    triples = []
    capped = False
    for t in res:
        if len(triples) >= cap:
            capped = True
            break
        triples.append(t)
    fmt = job["graph_format"]
    fmts = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
            "jsonld": ox.RdfFormat.JSON_LD, "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
    kwargs = {"prefixes": job.get("prefixes")} if fmt == "ttl" and job.get("prefixes") else {}
    return ("graph", ox.serialize(triples, format=fmts[fmt], **kwargs), capped)


def main() -> None:
    """Worker loop: read a job, answer it, forever (until the pipe closes or we are killed)."""
    in_fd, out_fd = sys.stdin.fileno(), os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not corrupt the pipe
    isolated = _leave_network() if os.environ.get("QUOTH_WORKER_NETNS", "1") != "0" else False
    _write_msg(out_fd, ("ready", os.getpid(), isolated))
    store, spec = None, None
    while True:
        try:
            job = _read_msg(in_fd)
        except EOFError:
            return
        try:
            if job["snapshot"] != spec:
                store = None
                store = _open_snapshot(job["snapshot"])
                spec = job["snapshot"]
            t0 = time.perf_counter()
            out = _run(store, job)
            _write_msg(out_fd, ("ok", out, time.perf_counter() - t0))
        except Exception as e:  # noqa: BLE001 - report, stay alive
            _write_msg(out_fd, ("error", f"{type(e).__name__}: {e}"))


# ---------------------------------------------------------------------------------------------
# the server side
class WorkerDied(RuntimeError):
    pass


class Timeout(TimeoutError):
    pass


class Busy(Exception):
    """Too many long-running queries (of this client, or in all): refused, try again later."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Worker:
    """One worker subprocess and its pipes."""

    def __init__(self) -> None:
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self.proc = subprocess.Popen([sys.executable, "-m", "api.worker"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=env, cwd=root, close_fds=True,
                                     start_new_session=True)
        self.in_fd = self.proc.stdin.fileno()  # type: ignore[union-attr]
        self.out_fd = self.proc.stdout.fileno()  # type: ignore[union-attr]
        self.ready = False
        self.isolated: bool | None = None
        self.snapshot: tuple[str, str] | None = None
        #: the client whose long-running query this worker runs (WorkerPool._demote), else None
        self.long_client: str | None = None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _wait_readable(self, timeout: float | None) -> bool:
        r, _, _ = select.select([self.out_fd], [], [], timeout)
        return bool(r)

    def _ensure_ready(self, timeout: float = 30.0) -> None:
        if self.ready:
            return
        if not self._wait_readable(timeout):
            raise WorkerDied("SPARQL worker did not start")
        msg = _read_msg(self.out_fd)
        self.ready, self.isolated = True, bool(msg[2])

    def call(self, job: dict[str, Any], timeout: float) -> tuple:
        """Send a job and wait for its answer; Timeout at the deadline (the caller kills us)."""
        self._ensure_ready()
        try:
            _write_msg(self.in_fd, job)
        except OSError as e:
            raise WorkerDied(str(e)) from e
        if not self._wait_readable(timeout):
            raise Timeout()
        try:
            msg = _read_msg(self.out_fd)
        except (EOFError, OSError) as e:
            raise WorkerDied(str(e)) from e
        self.snapshot = job["snapshot"]
        return msg

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.kill()
        except ProcessLookupError:
            pass
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()  # type: ignore[union-attr]
            except Exception:  # noqa: BLE001
                pass
        self.proc.wait()


def _lower_priority(pid: int, by: int = 10) -> None:
    """Lower a worker's CPU priority (raise its nice value, 19 at most); best effort."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, min(19, os.getpriority(os.PRIO_PROCESS, pid) + by))
    except OSError:
        pass


def _remove_orphans(parent: Path | None) -> None:
    """Delete snapshot directories left by servers that died without cleaning up."""
    root = parent or Path(tempfile.gettempdir())
    for p in root.glob(".quoth-snapshots-*-*"):
        try:
            pid = int(p.name.split("-")[2])
        except (IndexError, ValueError):
            continue
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(p, ignore_errors=True)
        except OSError:  # alive (another user's process)
            pass


def _snapshot_root(parent: Path | None) -> Path:
    """A fresh directory for snapshots beside the store (cheap hard-linked backups), or in
    the system's temporary directory when the store's parent cannot be written."""
    prefix = f".quoth-snapshots-{os.getpid()}-"
    if parent is not None:
        try:
            _remove_orphans(parent)
            return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        except OSError as e:
            log.warning("cannot keep SPARQL snapshots beside the store in %s (%s): using %s",
                        parent, e, tempfile.gettempdir())
    _remove_orphans(None)
    return Path(tempfile.mkdtemp(prefix=prefix))


class Snapshots:
    """Read-only snapshots (generations) of an embedded store for the workers."""

    def __init__(self, store: Any) -> None:
        self.store = store
        path = store.path
        #: a store that cannot be written does not change: the workers read it in place
        self.fixed = path is not None and store.read_only
        parent = Path(path).resolve().parent if path is not None else None
        self.root = _snapshot_root(None if self.fixed else parent)
        self.on_disk = path is not None
        self.generation = 0
        self.dirty = True
        self._lock = threading.Lock()
        self._current: tuple[str, str] | None = None

    def mark_dirty(self) -> None:
        self.dirty = True

    def current(self) -> tuple[str, str]:
        with self._lock:
            if self.dirty or self._current is None:
                self.dirty = False  # a write during the backup marks it dirty again
                self.generation += 1
                target = self.root / f"gen-{self.generation}"
                if self.fixed:
                    self._current = ("dir", str(self.store.path))
                elif self.on_disk:
                    self.store.native.backup(str(target))
                    self._current = ("dir", str(target))
                else:
                    import pyoxigraph as ox

                    with open(f"{target}.nq", "wb") as f:
                        self.store.native.dump(f, format=ox.RdfFormat.N_QUADS)
                    self._current = ("nq", f"{target}.nq")
            return self._current

    def prune(self, in_use: set[tuple[str, str]]) -> None:
        """Delete generations no worker has open any more."""
        with self._lock:
            keep = set(in_use) | ({self._current} if self._current else set())
            for p in self.root.iterdir():
                spec = ("dir", str(p)) if p.is_dir() else ("nq", str(p))
                if spec not in keep:
                    shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class Outcome:
    kind: str          # "bindings" | "boolean" | "graph"
    body: bytes
    capped: bool
    seconds: float


class QuerySyntax(ValueError):
    pass


class WorkerPool:
    """Workers for queries; each query takes an idle one, killed and replaced at the deadline.

    ``size`` workers serve normal queries (the endpoint lets that many run at once), plus
    ``spare`` started ahead. With ``long_after`` set, a query still running after that many
    seconds becomes *long* (:meth:`run_async`): its worker leaves the normal ones (a new worker
    takes its place at once, the spare meanwhile) and runs on at a lower CPU priority until the
    query ends or its time limit; then it is stopped. At most ``max_long`` long queries run at
    once, ``max_long_per_client`` per client: a query that would exceed either is stopped with
    :class:`Busy`. So a runaway query delays the others by ``long_after`` at most.
    """

    def __init__(self, store: Any, size: int = 2, timeout: float = 5.0, cap: int = 10_000,
                 prefixes: dict[str, str] | None = None, *, spare: int = 0, long_after: float | None = None,
                 max_long: int = 4, max_long_per_client: int = 2) -> None:
        self.snapshots = Snapshots(store)
        self.size = max(1, size)
        self.spare = max(0, spare)
        self.long_after = long_after
        self.max_long = max_long
        self.max_long_per_client = max_long_per_client
        self._long: dict[str, int] = {}  # client -> long queries running
        self.timeout = timeout
        self.cap = cap
        self.prefixes = prefixes or {}
        self.base_iri: str | None = getattr(store, "base_iri", None)
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self.killed = 0
        self.closed = False
        self._pruned: tuple[int, frozenset] = (0, frozenset())
        self._bg: Worker | None = None  # for background(), started on first use
        self._bg_lock = threading.Lock()
        for _ in range(self.size + self.spare):
            self._spawn()

    def _spawn(self) -> None:
        w = Worker()
        with self._lock:
            self._all.add(w)
        self._idle.put(w)

    def _retire(self, w: Worker) -> None:
        """Kill a worker; replace it unless it ran a long query (replaced when it became long)."""
        replace = not self._end_long(w)
        with self._lock:
            self._all.discard(w)
        threading.Thread(target=w.kill, daemon=True).start()
        self.killed += 1
        if replace and not self.closed:
            self._spawn()

    @property
    def long_running(self) -> int:
        """Long queries running now."""
        with self._lock:
            return sum(self._long.values())

    def _demote(self, w: Worker, client: str) -> None:
        """Make ``w``'s query a long one (see the class docstring), or raise :class:`Busy`."""
        with self._lock:
            mine, total = self._long.get(client, 0), sum(self._long.values())
            if mine >= self.max_long_per_client or total >= self.max_long:
                who = "from this client" if mine >= self.max_long_per_client else "on this server"
                raise Busy(f"too many long-running SPARQL queries {who} (at most "
                           f"{self.max_long_per_client} per client, {self.max_long} in all); "
                           "this one was stopped: try again later", self.timeout)
            self._long[client] = mine + 1
            w.long_client = client
        _lower_priority(w.pid)  # normal queries first on a busy CPU
        if not self.closed:
            threading.Thread(target=self._spawn, daemon=True).start()

    def _end_long(self, w: Worker) -> bool:
        """Count ``w``'s long query as ended; False if it was not a long one."""
        with self._lock:
            client, w.long_client = w.long_client, None
            if client is None:
                return False
            self._long[client] -= 1
            if not self._long[client]:
                del self._long[client]
            return True

    @property
    def pids(self) -> list[int]:
        with self._lock:
            return [w.pid for w in self._all]

    def isolated(self) -> bool | None:
        with self._lock:
            vals = [w.isolated for w in self._all if w.ready]
        return all(vals) if vals else None

    def _job(self, query: str, result_format: str, graph_format: str,
             default_graphs: list[str] | None, named_graphs: list[str] | None) -> dict:
        return {"query": query, "result_format": result_format, "graph_format": graph_format,
                "cap": self.cap, "prefixes": self.prefixes, "snapshot": self.snapshots.current(),
                "base_iri": self.base_iri,
                "default_graphs": default_graphs or [], "named_graphs": named_graphs or []}

    def _finish(self, w: "Worker", msg: tuple) -> "Outcome":
        """Hand the worker back (a long query's, at a lower priority, is stopped: it has been
        replaced) and turn its answer into an Outcome (or the error it reported)."""
        if self._end_long(w):
            with self._lock:
                self._all.discard(w)
            threading.Thread(target=w.kill, daemon=True).start()
        else:
            self._idle.put(w)
        out = self._answer(msg)
        return Outcome(out[0], out[1], out[2], msg[2])

    def _answer(self, msg: tuple) -> tuple:
        """A worker's ``("ok", answer, seconds)`` message: its answer (or the error it reported)."""
        self._maybe_prune()
        if msg[0] == "error":
            raise RuntimeError(msg[1])
        out = msg[1]
        if out[0] == "syntax":
            raise QuerySyntax(out[1])
        return out

    def run(self, query: str, result_format: str, graph_format: str, default_graphs: list[str] | None = None,
            named_graphs: list[str] | None = None, timeout: float | None = None,
            wait: float = 60.0) -> Outcome:
        """Run a read query in a worker (blocking: call it from a thread)."""
        limit = self.timeout if timeout is None else timeout
        try:
            w = self._idle.get(timeout=wait)
        except queue.Empty as e:
            raise Timeout("all SPARQL workers are busy") from e
        job = self._job(query, result_format, graph_format, default_graphs, named_graphs)
        try:
            w._ensure_ready()
            msg = w.call(job, limit)
        except Timeout:
            self._retire(w)
            raise
        except (WorkerDied, OSError, EOFError) as e:
            self._retire(w)
            raise WorkerDied(f"SPARQL worker failed: {e}") from e
        return self._finish(w, msg)

    async def run_async(self, query: str, result_format: str, graph_format: str,
                        default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                        timeout: float | None = None, *, client: str = "",
                        on_long: Callable[[], None] | None = None) -> Outcome:
        """:meth:`run` on the event loop: waits for the worker's answer with ``add_reader`` instead
        of a thread. The caller must bound concurrency to :attr:`size` (the endpoint does); when
        the query becomes long, ``on_long`` is called: it no longer counts against that bound.
        ``client`` names the caller for the per-client limit of long queries."""
        import asyncio

        try:
            w = self._idle.get_nowait()
        except queue.Empty:  # more callers than workers: the blocking path waits in a thread
            import anyio

            return await anyio.to_thread.run_sync(self.run, query, result_format, graph_format,
                                                  default_graphs, named_graphs, timeout)
        limit = self.timeout if timeout is None else timeout
        loop = asyncio.get_running_loop()
        try:
            if self.snapshots.dirty or not w.ready:
                import anyio

                await anyio.to_thread.run_sync(self._prepare, w)
            job = self._job(query, result_format, graph_format, default_graphs, named_graphs)
            data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
            if len(data) > 32_768:  # could fill the pipe: write from a thread
                import anyio

                await anyio.to_thread.run_sync(_write_msg, w.in_fd, job)
            else:
                os.write(w.in_fd, _LEN.pack(len(data)) + data)
            ready = loop.create_future()
            loop.add_reader(w.out_fd, lambda: ready.done() or ready.set_result(None))
            try:
                await self._wait(w, ready, limit, client, on_long)
            finally:
                loop.remove_reader(w.out_fd)
                # watching a pipe may turn it non-blocking (uvloop does): the reads below block
                os.set_blocking(w.out_fd, True)
            (n,) = _LEN.unpack(_read_exact(w.out_fd, _LEN.size))
            if n > _PIPE_BUF:  # more than one pipe buffer: a thread waits for the rest
                import anyio

                body = await anyio.to_thread.run_sync(_read_exact, w.out_fd, n)
            else:
                body = _read_exact(w.out_fd, n)
            msg = pickle.loads(body)
            w.snapshot = job["snapshot"]
        except (TimeoutError, asyncio.TimeoutError):
            self._retire(w)
            raise Timeout() from None
        except (WorkerDied, OSError, EOFError) as e:
            self._retire(w)
            raise WorkerDied(f"SPARQL worker failed: {e}") from e
        except BaseException:  # cancelled (client gone): the worker's state is unknown
            self._retire(w)
            raise
        return self._finish(w, msg)

    async def _wait(self, w: Worker, ready: Any, limit: float, client: str,
                    on_long: Callable[[], None] | None) -> None:
        """Wait for the answer until ``limit``; past :attr:`long_after` the query becomes long."""
        import asyncio

        first = limit if self.long_after is None else min(limit, self.long_after)
        done, _ = await asyncio.wait({ready}, timeout=first)
        if done:
            return
        if first >= limit:
            raise Timeout()
        self._demote(w, client)
        if on_long is not None:
            on_long()
        done, _ = await asyncio.wait({ready}, timeout=limit - first)
        if not done:
            raise Timeout()

    def background(self, query: str | None, timeout: float = 120.0) -> Any:
        """A whole-store read the server needs for itself (the counts of its caches), in a
        worker of its own, one at a time: counting 600k quads holds the GIL for 0.15 s, the
        counts of kb.queries.stats take a second of CPU at 20k claims. Its priority is the
        server's: a page waiting for the counts must not wait for the rest of the machine.
        A SELECT query gives its parsed SPARQL JSON results; None gives the number of quads."""
        with self._bg_lock:
            if self.closed:
                raise WorkerDied("the SPARQL worker pool is closed")
            w = self._bg
            if w is None:
                w = self._bg = Worker()
            job = self._job(query or "", "json", "ttl", None, None)
            job.update(kind="len" if query is None else "query", cap=1_000_000)
            try:
                msg = w.call(job, timeout)
            except (Timeout, WorkerDied, OSError, EOFError):
                self._bg = None
                threading.Thread(target=w.kill, daemon=True).start()
                raise
        out = self._answer(msg)
        return out[1] if out[0] == "len" else json.loads(out[1])

    def _prepare(self, w: Worker) -> None:
        self.snapshots.current()
        w._ensure_ready()

    def _maybe_prune(self) -> None:
        with self._lock:
            used = frozenset(w.snapshot for w in (*self._all, self._bg) if w is not None and w.snapshot)
        state = (self.snapshots.generation, used)
        if state != self._pruned:
            self._pruned = state
            self.snapshots.prune(set(used))

    def refresh(self) -> None:
        """The store changed: the next query uses a new snapshot."""
        self.snapshots.mark_dirty()

    def close(self) -> None:
        self.closed = True
        with self._lock:
            workers = list(self._all) + ([self._bg] if self._bg is not None else [])
            self._all.clear()
            self._bg = None
        for w in workers:
            w.kill()
        self.snapshots.close()


if __name__ == "__main__":
    main()
