"""Building SPARQL text safely: RDF terms are serialized, never user strings pasted.

Used by the remote store (which cannot use Oxigraph's native substitutions) and by
the atomic article write (one SPARQL Update with DROP / DELETE / INSERT DATA).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from . import to_oxigraph

_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def term_sparql(term: Node) -> str:
    """An RDF term in SPARQL/N-Triples syntax, with every special character escaped."""
    if isinstance(term, (URIRef, Literal)):
        # pyoxigraph's N-Triples writer escapes literals and rejects invalid IRIs
        return str(to_oxigraph(term))
    raise TypeError(f"only IRIs and literals can be bound, not {term!r}")


def bind_values(sparql: str, bindings: Mapping[str, Node] | None) -> str:
    """Bind variables by a VALUES block at the start of the first WHERE group.

    Filters in that group then see the bound values, as with SEP-0007 substitution.
    Values are serialized as RDF terms, so a value can never change the query's shape.
    """
    if not bindings:
        return sparql
    names = list(bindings)
    for n in names:
        if not _VAR.match(n):
            raise ValueError(f"bad variable name {n!r}")
    row = " ".join(term_sparql(bindings[n]) for n in names)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }} "
    m = _WHERE.search(sparql)
    if not m:
        raise ValueError("query has no WHERE { … } to bind values into")
    return sparql[: m.end()] + block + sparql[m.end():]


def graph_ntriples(graph: Graph | Iterable[tuple] | bytes) -> str:
    """A graph's triples as N-Triples text (valid inside INSERT DATA / GRAPH blocks); the
    graph is rdflib triples or N-Quads bytes of that one graph (:func:`kb.store.nquads`)."""
    if isinstance(graph, bytes):
        triples = [ox.Triple(q.subject, q.predicate, q.object)
                   for q in ox.parse(graph, format=ox.RdfFormat.N_QUADS)]
    else:
        triples = [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def insert_data(graphs: Iterable[tuple[str, Graph]]) -> str:
    """``INSERT DATA { GRAPH <g> { … } … }`` for several named graphs."""
    parts = [f"GRAPH <{g}> {{\n{graph_ntriples(data)}}}" for g, data in graphs if len(data)]
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}" if parts else ""


def insert_data_parts(graphs: Iterable[tuple[str, object]], max_triples: int = 0) -> list[str]:
    """``INSERT DATA`` operations for ``(graph IRI, content)`` pairs (content as for
    :func:`graph_ntriples`, or pyoxigraph Triples; graph "" = the default graph), each with at most
    ``max_triples`` triples (0: all in one), graphs kept together where they fit."""
    parts: list[str] = []
    blocks: list[str] = []
    size = 0

    def flush() -> None:
        nonlocal size
        if blocks:
            parts.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
            blocks.clear()
        size = 0

    for g, data in graphs:
        if isinstance(data, list) and data and isinstance(data[0], ox.Triple):
            lines = ox.serialize(data, format=ox.RdfFormat.N_TRIPLES).decode("utf-8").splitlines(keepends=True)
        else:
            lines = graph_ntriples(data).splitlines(keepends=True)  # type: ignore[arg-type]
        step = max_triples or len(lines) or 1
        for i in range(0, len(lines), step):
            chunk = lines[i:i + step]
            if max_triples and size + len(chunk) > max_triples:
                flush()
            body = "".join(chunk)
            blocks.append(f"GRAPH <{g}> {{\n{body}}}" if g else body)
            size += len(chunk)
    flush()
    return parts


def delete_subjects(graph: str, subjects: Iterable[str]) -> str:
    """A SPARQL Update operation that deletes every triple of ``subjects`` in ``graph``."""
    values = " ".join(iri(str(x)) for x in subjects)
    g = iri(str(graph))
    return f"DELETE {{ GRAPH {g} {{ ?s ?p ?o }} }} WHERE {{ VALUES ?s {{ {values} }} GRAPH {g} {{ ?s ?p ?o }} }}"


def insert_data_from_nquads(data: bytes) -> str:
    """``INSERT DATA`` for N-Quads input (grouped per graph)."""
    by_graph: dict[str, list[ox.Quad]] = {}
    for q in ox.parse(data, format=ox.RdfFormat.N_QUADS):
        g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        by_graph.setdefault(g, []).append(ox.Quad(q.subject, q.predicate, q.object))
    parts = []
    for g, quads in by_graph.items():
        body = ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        parts.append(f"GRAPH <{g}> {{\n{body}}}" if g else body)
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}"


def iri(value: str) -> str:
    """``<iri>`` after checking it is a valid IRI (raises ValueError otherwise)."""
    return str(ox.NamedNode(value))
