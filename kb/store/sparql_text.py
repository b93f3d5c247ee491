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
#: a blank node term in N-Triples lines: at a line start or after a space, outside literals
#: (N-Triples literals escape no space-underscore-colon, but a literal may contain " _:", so a
#: false positive only picks the equivalent template form)
_BNODE_TERM = re.compile(r"(?:^| )_:", re.MULTILINE)
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
    """``INSERT DATA { GRAPH <g> { … } … }`` for several named graphs.

    With blank nodes it is ``INSERT { … } WHERE {}`` instead: the same effect in standard SPARQL
    (one solution, so each label is one new node), and the form Virtuoso accepts (it refuses blank
    nodes in INSERT DATA)."""
    parts = [f"GRAPH <{g}> {{\n{graph_ntriples(data)}}}" for g, data in graphs if len(data)]
    if not parts:
        return ""
    body = "\n".join(parts)
    if _BNODE_TERM.search(body):
        return "INSERT {\n" + body + "\n} WHERE {}"
    return "INSERT DATA {\n" + body + "\n}"


def _ox_triples(data: object) -> list[ox.Triple]:
    if isinstance(data, list) and data and isinstance(data[0], ox.Triple):
        return data
    if isinstance(data, bytes):
        return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)]
    return [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in data]  # type: ignore[attr-defined]


def _block(g: str, triples: list[ox.Triple]) -> str:
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return f"GRAPH <{g}> {{\n{body}}}" if g else body


def insert_data_parts(graphs: Iterable[tuple[str, object]], max_triples: int = 0,
                      bnodes_in_data: bool = True) -> list[str]:
    """SPARQL Update requests that insert ``(graph IRI, content)`` pairs (content: rdflib triples,
    N-Quads bytes of that graph, or pyoxigraph Triples; graph "" = the default graph).

    Each request holds at most ``max_triples`` triples in ``INSERT DATA`` (0: no limit), graphs
    kept together where they fit. With ``bnodes_in_data=False`` (servers that refuse blank nodes
    in INSERT DATA: Virtuoso) the triples with blank nodes go, all together in the first request,
    into ``INSERT { … } WHERE {}`` — standard SPARQL, one solution, so each label stays one node.
    """
    units: list[tuple[str, list[ox.Triple]]] = []
    with_bnodes: list[tuple[str, list[ox.Triple]]] = []
    for g, data in graphs:
        triples = _ox_triples(data)
        if not bnodes_in_data:
            b = [t for t in triples if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)]
            if b:
                with_bnodes.append((g, b))
                triples = [t for t in triples
                           if not (isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode))]
        step = max_triples or len(triples) or 1
        units += [(g, triples[i:i + step]) for i in range(0, len(triples), step)]
    parts: list[list[str]] = []
    blocks: list[str] = []
    size = 0
    for g, chunk in units:
        if max_triples and blocks and size + len(chunk) > max_triples:
            parts.append(["INSERT DATA {\n" + "\n".join(blocks) + "\n}"])
            blocks, size = [], 0
        blocks.append(_block(g, chunk))
        size += len(chunk)
    if blocks:
        parts.append(["INSERT DATA {\n" + "\n".join(blocks) + "\n}"])
    if with_bnodes:
        template = "INSERT {\n" + "\n".join(_block(g, t) for g, t in with_bnodes) + "\n} WHERE {}"
        parts = [[template] + (parts[0] if parts else [])] + parts[1:]
    return [" ;\n".join(p) for p in parts]


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
