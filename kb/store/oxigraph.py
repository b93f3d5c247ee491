"""The embedded store: pyoxigraph (RocksDB) in a directory on disk."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from . import (
    DEFAULT_BASE_IRI,
    RDF_FORMATS,
    RESULT_FORMATS,
    QuerySyntaxError,
    RawResult,
    Row,
    Store,
    StoreError,
    nquads,
    to_rdflib,
)
from .sparql_text import bind_values

log = logging.getLogger(__name__)

_OX_RDF = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
#: bulk writes go through this redo log inside the store directory (see OxigraphStore.insert)
REDO_LOG = "quoth-redo.nq"
#: beside the redo log, quads ``<subject> <…#in> <graph> <…#replace>``: delete that subject's
#: triples in that graph before loading the log
REDO_MARKS = "quoth-redo-replace.nq"
_REDO_REPLACE = ox.NamedNode("urn:quoth:redo#replace")
_REDO_SUBJECT_IN = ox.NamedNode("urn:quoth:redo#in")

_OX_RESULTS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


#: RocksDB's informational logs kept beside the current ``LOG`` (each open rotates one)
KEEP_OLD_LOGS = 3


def prune_old_rocksdb_logs(path: Path, keep: int = KEEP_OLD_LOGS) -> int:
    """Delete all but the newest ``keep`` RocksDB ``LOG.old.*`` files in a store directory.

    RocksDB rotates its text log on every open and pyoxigraph does not expose its
    ``keep_log_file_num`` option, so a store opened by many CLI runs fills with them. They are
    diagnostics only, never read back; an unwritable directory is left alone. Returns the number
    deleted.
    """
    try:
        old = sorted(path.glob("LOG.old.*"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return 0
    gone = 0
    for f in old[keep:]:
        try:
            f.unlink()
            gone += 1
        except OSError:
            pass
    return gone


#: a read-only open beside a writer can meet an SST file that the writer's compaction has just
#: deleted (RocksDB reads the MANIFEST, then the files it names); such an open is tried again
READ_ONLY_OPEN_TRIES = 8


def _open_read_only(path: Path) -> ox.Store:
    """Open ``path`` read-only, retrying while a concurrent writer's compaction moves files."""
    for attempt in range(READ_ONLY_OPEN_TRIES):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as e:
            text = str(e)
            moving = "No such file" in text or "Corruption" in text
            if not moving or attempt == READ_ONLY_OPEN_TRIES - 1:
                if isinstance(e, RuntimeError):
                    raise OSError(text) from e
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


class OxigraphStore(Store):
    """pyoxigraph on disk (``path``) or in memory (``path=None``, for tests and benchmarks)."""

    def __init__(self, path: Path | None, base_iri: str = DEFAULT_BASE_IRI, read_only: bool = False):
        self.path = path
        self.base_iri = base_iri
        #: opened read-only: asked for, or the directory cannot be written (a read-only mount,
        #: no permission); reads work, writes raise StoreError
        self.read_only = read_only or (path is not None and Path(path).is_dir() and not _writable(Path(path)))
        try:
            if path is None:
                self._store = ox.Store()
            elif self.read_only:
                self._store = _open_read_only(Path(path))
            else:
                self._store = ox.Store(str(path))
        except OSError as e:
            if "lock" in str(e).lower():
                raise StoreError(
                    f"the store at {path} is in use by another process (is 'quoth serve' running?); "
                    "query the server's /sparql endpoint instead, or stop it") from e
            raise StoreError(f"cannot open the store at {path}: {e}") from e
        if self.read_only and not read_only:
            log.warning("the store at %s cannot be written: opened read-only", path)
        if path is not None:
            prune_old_rocksdb_logs(Path(path))
        if path is not None and not self.read_only:
            try:
                self._replay_redo_log()
            except OSError as e:  # a full disk: the log stays, and is applied on a later open
                self._store = None  # type: ignore[assignment]
                raise StoreError(
                    f"the store at {path} has an unfinished bulk write that cannot be completed now "
                    f"({e.strerror or e}); it is kept in {REDO_LOG} and completed when the store is "
                    "next opened with room to write (free some disk space)") from e

    @property
    def native(self) -> ox.Store:
        """The underlying pyoxigraph Store (for bulk paths and pyshacl)."""
        return self._store

    # -- reading ---------------------------------------------------------------
    def _query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Any:
        # bound through a VALUES block (Oxigraph's own substitutions only apply to projected variables)
        try:
            return self._store.query(bind_values(sparql, bindings), prefixes=self.prefixes(),
                                     use_default_graph_as_union=True, base_iri=self.base_iri)
        except SyntaxError as e:
            raise QuerySyntaxError(str(e)) from e

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[Row]:
        res = self._query(sparql, bindings)
        if not isinstance(res, ox.QuerySolutions):
            raise QuerySyntaxError("expected a SELECT query")
        names = [v.value for v in res.variables]
        out: list[Row] = []
        for sol in res:
            row: Row = {}
            for i, name in enumerate(names):
                t = sol[i]
                if t is not None:
                    row[name] = to_rdflib(t)
            out.append(row)
        return out

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        res = self._query(sparql, bindings)
        if not isinstance(res, ox.QueryBoolean):
            raise QuerySyntaxError("expected an ASK query")
        return bool(res)

    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        res = self._query(sparql, bindings)
        if not isinstance(res, ox.QueryTriples):
            raise QuerySyntaxError("expected a CONSTRUCT or DESCRIBE query")
        g = Graph()
        for t in res:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return g

    def query_raw(self, sparql: str, result_format: str = "json", graph_format: str = "ttl") -> RawResult:
        res = self._query(sparql)
        if isinstance(res, ox.QueryTriples):
            return RawResult(res.serialize(format=_OX_RDF[graph_format]), RDF_FORMATS[graph_format][1], "graph")
        kind = "boolean" if isinstance(res, ox.QueryBoolean) else "bindings"
        return RawResult(res.serialize(format=_OX_RESULTS[result_format]), RESULT_FORMATS[result_format], kind)

    def graph(self, graph_iri: str) -> Graph:
        g = Graph()
        for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)):
            g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return g

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def dump(self, out: IO[bytes], fmt: str, graph_iri: str | None = None) -> None:
        kw: dict[str, Any] = {"format": _OX_RDF[fmt]}
        if graph_iri is not None:
            kw["from_graph"] = ox.NamedNode(graph_iri)
        elif not RDF_FORMATS[fmt][2]:
            # triple formats: merge all graphs into one (the union a reader would query)
            ds = (ox.Triple(q.subject, q.predicate, q.object) for q in self._store)
            out.write(ox.serialize(_dedupe(ds), format=_OX_RDF[fmt], prefixes=self.prefixes()))
            return
        if fmt in ("ttl", "trig"):
            kw["prefixes"] = self.prefixes()
        self._store.dump(out, **kw)

    def triple_count(self) -> int:
        return len(self._store)

    # -- writing ---------------------------------------------------------------
    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.path} is read-only (a read-only mount or no write "
                             "permission): it can be queried, not written")

    def update(self, sparql: str) -> None:
        if not sparql.strip():
            return
        self._check_writable()
        try:
            self._store.update(sparql, prefixes=self.prefixes())
        except SyntaxError as e:
            raise QuerySyntaxError(str(e)) from e
        except OSError as e:
            raise StoreError(f"write failed: {e}") from e

    def insert(self, graphs: list[tuple[str, Any]], bulk: bool = False,
               replace: list[tuple[str, set]] | None = None) -> None:
        """Add triples to named graphs (after deleting ``replace``'s subjects), all or nothing.

        The default is one pyoxigraph transaction (on disk 2-3x cheaper than the same INSERT
        DATA as SPARQL), or one SPARQL Update when something is replaced. ``bulk=True``
        (large imports; the caller must hold the store alone, as the CLI does) uses
        Oxigraph's bulk loader, about 3x cheaper again, which writes sorted files and is not
        transactional by contract. Atomicity then comes from a redo log: the subjects to
        replace (as marker quads, ``quoth-redo-replace.nq``) and then the quads
        (``quoth-redo.nq``, the commit point) are written to the store directory (fsync,
        atomic rename); then the replaced subjects are deleted, the log is bulk-loaded
        (Oxigraph parses it: no Python object per quad) and removed. If the process dies in
        between, the next open of the store applies the log again (both steps are
        idempotent), so the write ends up whole, never half.
        """
        self._check_writable()
        replace = [(g, subs) for g, subs in (replace or []) if subs]
        if replace and not (bulk and self.path is not None):
            super().insert(graphs, replace=replace)
            return
        try:
            if bulk and self.path is not None:
                self._bulk_insert(graphs, replace)
            else:
                self._store.extend(ox.parse(nquads(graphs), format=ox.RdfFormat.N_QUADS))
        except OSError as e:
            raise StoreError(f"write failed: {e}") from e

    def _bulk_insert(self, graphs: list[tuple[str, Any]], replace: list[tuple[str, set]]) -> None:
        log, marks = Path(self.path) / REDO_LOG, Path(self.path) / REDO_MARKS
        if log.exists():  # an earlier write failed twice: it goes first, or it is lost
            self._replay_redo_log()
        marks.unlink(missing_ok=True)  # stale, from a write that never reached its log
        if replace:  # written first: the log's rename below commits both
            _write_durably(marks, ox.serialize(
                [ox.Quad(ox.NamedNode(str(x)), _REDO_SUBJECT_IN, ox.NamedNode(str(g)), _REDO_REPLACE)
                 for g, subs in replace for x in subs], format=ox.RdfFormat.N_QUADS))
        _write_durably(log, nquads(graphs))  # the log exists whole or not at all
        try:
            self._apply_redo_log()
        except OSError as e:  # possibly half-applied: finish it from the log now, or on next open
            try:
                self._replay_redo_log()
            except OSError:
                raise StoreError(f"bulk write failed ({e}); it is kept in {log} and will be "
                                 "completed when the store is next opened") from e

    def _apply_redo_log(self) -> None:
        """Delete the marked subjects' triples (one transaction), bulk-load the log, remove it.

        Both steps are idempotent: running this again after a crash gives the same store.
        """
        from .sparql_text import delete_subjects

        log, marks = Path(self.path) / REDO_LOG, Path(self.path) / REDO_MARKS
        if marks.exists():
            by_graph: dict[str, list[str]] = {}
            for m in ox.parse(path=str(marks), format=ox.RdfFormat.N_QUADS):
                by_graph.setdefault(m.object.value, []).append(m.subject.value)
            if by_graph:
                self._store.update(" ;\n".join(delete_subjects(g, subs) for g, subs in by_graph.items()))
        self._store.bulk_load(path=str(log), format=ox.RdfFormat.N_QUADS)
        log.unlink()
        marks.unlink(missing_ok=True)

    def _replay_redo_log(self) -> None:
        """Finish a bulk write that a crash interrupted (see :meth:`insert`)."""
        log = Path(self.path) / REDO_LOG
        for unfinished in (REDO_LOG + ".tmp", REDO_MARKS + ".tmp"):  # never started: nothing was applied
            log.with_name(unfinished).unlink(missing_ok=True)
        if log.exists():
            self._apply_redo_log()
            self._store.flush()
        else:
            log.with_name(REDO_MARKS).unlink(missing_ok=True)

    def load(self, data: bytes, fmt: str, graph_iri: str) -> None:
        quads = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph_iri))
                 for q in ox.parse(data, format=_OX_RDF[fmt])]
        from .sparql_text import iri

        # one transaction: clear the graph and insert (via update for atomicity)
        body = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                            format=ox.RdfFormat.N_TRIPLES).decode()
        self.update(f"DROP SILENT GRAPH {iri(graph_iri)};\nINSERT DATA {{ GRAPH {iri(graph_iri)} {{\n{body}}} }}")

    def bulk_load_nquads(self, path: Path) -> None:
        self._store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)

    def flush(self) -> None:
        self._store.flush()

    can_compact = True

    def compact(self) -> None:
        """Merge RocksDB's files after a bulk import (``Store.optimize``: later reads touch
        fewer files; the size on disk changes little, the quads are distinct)."""
        self._check_writable()
        self._store.optimize()

    def disk_bytes(self) -> int | None:
        """Size of the store directory (database and side indexes), or None in memory."""
        if self.path is None:
            return None
        return sum(f.stat().st_size for f in Path(self.path).rglob("*") if f.is_file())

    def recycle(self) -> bool:
        """Close and reopen the database to give its memory back; True if it was reopened.

        pyoxigraph 0.5's resident memory grows with every quad written (~0.9 KB each,
        measured) and is released only when the database is closed, so long imports call
        this every few hundred thousand quads. Skipped (False) when another object still
        holds the native store, which would keep the database open and locked.
        """
        import gc
        import sys

        if self.path is None or sys.getrefcount(self._store) > 2:
            return False
        self._store.flush()
        self._store = None  # type: ignore[assignment]
        gc.collect()
        self._store = ox.Store(str(self.path))
        return True

    def close(self) -> None:
        """Flush and release the store (a second close does nothing)."""
        if not hasattr(self, "_store"):
            return
        try:
            self._store.flush()
        except Exception:  # noqa: BLE001 - read-only stores cannot flush
            pass
        del self._store


def _writable(path: Path) -> bool:
    """Whether files can be created in ``path`` (access() also reports a read-only mount)."""
    return os.access(path, os.W_OK)


def _write_durably(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (temporary file, fsync, atomic rename)."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _dedupe(triples: Any) -> list[Any]:
    seen: set[Any] = set()
    out = []
    for t in triples:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out
