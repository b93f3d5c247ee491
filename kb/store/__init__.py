"""The Store protocol: one interface, two implementations.

* :class:`kb.store.oxigraph.OxigraphStore` — embedded pyoxigraph on disk (the default)
* :class:`kb.store.remote.RemoteStore` — any SPARQL 1.1 server (Query + Update protocol,
  Graph Store Protocol where the server has it)

Queries see the union of all named graphs as their default graph. Values are
*bound* (``bindings={"speaker": URIRef(...)}``), never pasted into query text.
:func:`open_store` picks the implementation from arguments or the environment
(``QUOTH_SPARQL_ENDPOINT`` for a server, else ``QUOTH_STORE`` / ``./quoth-data``).
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..vocab import PREFIXES

DEFAULT_STORE_DIR = "quoth-data"
DEFAULT_BASE_IRI = "http://127.0.0.1:8000/"

#: RDF dump formats: name -> (pyoxigraph/rdflib name, media type, holds graphs?)
RDF_FORMATS: dict[str, tuple[str, str, bool]] = {
    "ttl": ("turtle", "text/turtle", False),
    "nt": ("nt", "application/n-triples", False),
    "nq": ("nquads", "application/n-quads", True),
    "trig": ("trig", "application/trig", True),
    "jsonld": ("json-ld", "application/ld+json", True),
    "rdfxml": ("xml", "application/rdf+xml", False),
}
FORMAT_ALIASES = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "nquads": "nq",
                  "n-quads": "nq", "json-ld": "jsonld", "xml": "rdfxml", "rdf": "rdfxml"}

#: SPARQL result formats: name -> media type
RESULT_FORMATS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


class StoreError(RuntimeError):
    """The store could not do what was asked (missing, unreachable, write failed)."""


class QuerySyntaxError(ValueError):
    """A SPARQL query or update that does not parse; ``message`` says where."""


class QueryTimeout(TimeoutError):
    """A query ran past its time limit and was stopped."""


def normalize_format(name: str) -> str:
    """Map a user's format name (``turtle``, ``n-triples`` …) to a key of RDF_FORMATS."""
    key = FORMAT_ALIASES.get(name.lower(), name.lower())
    if key not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {name!r}; choose one of {', '.join(RDF_FORMATS)}")
    return key


@dataclass
class RawResult:
    """A serialized query result, ready to send to a client."""

    body: bytes
    media_type: str
    kind: str  # "bindings" | "boolean" | "graph"


Row = dict[str, Node]


class Store(ABC):
    """Everything the rest of Quoth needs from a quad store."""

    base_iri: str = DEFAULT_BASE_IRI

    # -- capabilities: what a store offers beyond SPARQL, declared here (not probed) -------
    #: the directory of an embedded on-disk store (side indexes live there); None otherwise
    path: Path | str | None = None
    #: the URL of a remote SPARQL endpoint; None for an embedded store
    endpoint: str | None = None
    #: opened read-only (asked for, or the store cannot be written): writes raise StoreError
    read_only: bool = False

    @property
    def native(self) -> Any:
        """The embedded pyoxigraph Store, for fast paths (pattern scans, bulk loads, pyshacl);
        None for a store that has none (remote)."""
        return None

    def recycle(self) -> bool:
        """Give memory back during a long import (the embedded store reopens); True if done."""
        return False

    # -- reading ---------------------------------------------------------------
    @abstractmethod
    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[Row]:
        """Run a SELECT query; rows map variable names to rdflib terms (unbound ones absent)."""

    @abstractmethod
    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        """Run an ASK query."""

    @abstractmethod
    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query into an rdflib Graph."""

    @abstractmethod
    def query_raw(self, sparql: str, result_format: str = "json", graph_format: str = "ttl") -> RawResult:
        """Run any read query and serialize its result (for the SPARQL endpoint and CLI)."""

    @abstractmethod
    def graph(self, graph_iri: str) -> Graph:
        """The triples of one named graph."""

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """IRIs of all named graphs."""

    @abstractmethod
    def dump(self, out: IO[bytes], fmt: str, graph_iri: str | None = None) -> None:
        """Write the whole store (or one graph) in an RDF format (see RDF_FORMATS)."""

    @abstractmethod
    def triple_count(self) -> int:
        """Number of quads in the store."""

    # -- writing ---------------------------------------------------------------
    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL Update atomically (all operations or none)."""

    def insert(self, graphs: list[tuple[str, Iterable[tuple[Node, Node, Node]] | bytes]], bulk: bool = False,
               replace: list[tuple[str, set]] | None = None) -> None:
        """Add triples to named graphs in one atomic write.

        Each graph's content is rdflib triples, or N-Quads bytes of that graph already
        (:func:`nquads`; built by the validation workers of a large import).

        ``replace`` lists (graph, subjects) whose triples in that graph are deleted first, in
        the same write (records rewritten by an import). ``bulk`` asks for the store's
        fastest atomic path for large writes when the caller holds the store alone (the
        embedded store has one; a server gets one SPARQL Update).
        """
        from .sparql_text import delete_subjects, insert_data

        ops = [delete_subjects(g, subs) for g, subs in (replace or []) if subs]
        ins = insert_data(graphs)
        self.update(" ;\n".join(ops + ([ins] if ins else [])))

    @abstractmethod
    def load(self, data: bytes, fmt: str, graph_iri: str) -> None:
        """Replace one named graph with parsed RDF data (atomically)."""

    def bulk_load_nquads(self, path: Path) -> None:
        """Load a large N-Quads file; the embedded store overrides this with its fast path."""
        self.update_from_nquads(path.read_bytes())

    def update_from_nquads(self, data: bytes) -> None:
        from .sparql_text import insert_data_from_nquads

        self.update(insert_data_from_nquads(data))

    #: whether :meth:`compact` does anything (a remote server manages its own storage)
    can_compact = False

    def compact(self) -> None:  # noqa: B027 - optional hook
        """Reorganise the storage after a large import (a no-op where the server manages it)."""

    def disk_bytes(self) -> int | None:
        """Bytes the store takes on disk, or None when it is not on this machine."""
        return None

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- helpers shared by both implementations ----------------------------------
    @staticmethod
    def prefixes() -> dict[str, str]:
        return dict(PREFIXES)


def to_rdflib(term: Any) -> Node:
    """Convert a pyoxigraph term to an rdflib term."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"cannot convert {term!r}")


def to_oxigraph(term: Node) -> Any:
    """Convert an rdflib term to a pyoxigraph term."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r}")


def nquads(graphs: Iterable[tuple[str, Iterable[tuple[Node, Node, Node]] | bytes]]) -> bytes:
    """N-Quads for ``(graph IRI, content)`` pairs; content is rdflib triples, or N-Quads
    bytes already (every line in that graph, as this function writes them).

    Each distinct term is converted once and written in its N-Triples form by pyoxigraph
    (which escapes), so a batch costs one string per quad: a third of the time of building
    a pyoxigraph ``Quad`` per triple and serializing those (bench/README.md). Repeated
    triples are written once (speakers' facts recur in every article that quotes them).
    """
    import pyoxigraph as ox

    forms: dict[Any, str] = {}
    parts: list[bytes] = []
    lines: list[str] = []
    add = lines.append
    seen: set[str] = set()
    for g, triples in graphs:
        if isinstance(triples, bytes):
            parts += ["".join(lines).encode("utf-8"), triples]
            lines.clear()
            continue
        tail = f" {ox.NamedNode(g)} .\n"
        for s, p, o in triples:
            try:
                a = forms[s]
            except KeyError:
                a = forms[s] = str(to_oxigraph(s))
            try:
                b = forms[p]
            except KeyError:
                b = forms[p] = str(to_oxigraph(p))
            try:
                c = forms[o]
            except KeyError:
                c = forms[o] = str(to_oxigraph(o))
            line = f"{a} {b} {c}{tail}"
            if line not in seen:
                seen.add(line)
                add(line)
    parts.append("".join(lines).encode("utf-8"))
    return b"".join(parts)


def open_store(path: str | os.PathLike[str] | None = None, endpoint: str | None = None,
               update_endpoint: str | None = None, base_iri: str | None = None,
               create: bool = True, read_only: bool = False, default_base: str | None = None) -> Store:
    """Open the configured store.

    An explicit ``endpoint`` (or ``QUOTH_SPARQL_ENDPOINT``) selects a remote SPARQL 1.1 server;
    ``QUOTH_SPARQL_UPDATE_ENDPOINT``, ``QUOTH_SPARQL_USER`` / ``QUOTH_SPARQL_PASSWORD`` (HTTP digest
    authentication for updates) and ``QUOTH_SPARQL_DIALECT`` (auto, standard, virtuoso) configure it;
    otherwise the embedded Oxigraph store at ``path`` (or ``QUOTH_STORE``, default
    ``./quoth-data``). ``create=False`` raises :class:`StoreError` when the directory is missing.

    The base IRI is the store's own (:mod:`kb.base_iri`, recorded at its first ingest); for an
    empty store ``base_iri`` (or ``QUOTH_BASE_IRI``), else ``default_base``, else
    ``DEFAULT_BASE_IRI``. A ``base_iri`` that contradicts the store's is a :class:`StoreError`.
    """
    from ..base_iri import resolve

    explicit = base_iri or os.environ.get("QUOTH_BASE_IRI")
    base = explicit or default_base or DEFAULT_BASE_IRI
    endpoint = endpoint or (None if path else os.environ.get("QUOTH_SPARQL_ENDPOINT"))
    if endpoint:
        from .remote import RemoteStore

        upd = update_endpoint or os.environ.get("QUOTH_SPARQL_UPDATE_ENDPOINT")
        store: Store = RemoteStore(endpoint, update_endpoint=upd, base_iri=base,
                                   user=os.environ.get("QUOTH_SPARQL_USER") or None,
                                   password=os.environ.get("QUOTH_SPARQL_PASSWORD"),
                                   dialect=os.environ.get("QUOTH_SPARQL_DIALECT") or "auto")
    else:
        from .oxigraph import OxigraphStore

        directory = Path(path or os.environ.get("QUOTH_STORE") or DEFAULT_STORE_DIR)
        if not create and not directory.exists():
            raise StoreError(f"no store at {directory}: run 'quoth ingest' first, or pass --store DIR")
        store = OxigraphStore(directory, base_iri=base, read_only=read_only)
    try:
        resolve(store, explicit, base)
    except BaseException:
        store.close()
        raise
    return store
